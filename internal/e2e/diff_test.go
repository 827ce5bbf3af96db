package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/diff"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestDiffLegacyDrift surveys legacy twice over SSH and diffs the two: nothing
// is missing, although processes, connections and the probe's own session come
// and go between the looks (the noise diff suppresses).
func TestDiffLegacyDrift(t *testing.T) {
	lab := labtest.Require(t)
	legacy := lab.Hosts["legacy"]
	first := surveySSH(t, sshOptions(lab, legacy.URL("root")))
	second := surveySSH(t, sshOptions(lab, legacy.URL("root")))
	r := diff.Compare(first, second)
	if r.CrossPlatform {
		t.Errorf("one host seen as two platforms: %s, %s", r.Old.Platform, r.New.Platform)
	}
	for _, d := range r.Differences {
		t.Errorf("drift on an untouched host: %s %s %s %s %q → %q", d.Kind, d.Concern, d.Item, d.Field, d.Old, d.New)
	}
}

// TestDiffLegacyAgainstNew diffs legacy with the fresh bookworm host: most of
// legacy is missing there, and the log shipper, the cron jobs and Apache are
// said first, in that order of concern.
func TestDiffLegacyAgainstNew(t *testing.T) {
	lab := labtest.Require(t)
	legacy := surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root")))
	fresh := surveySSH(t, sshOptions(lab, lab.Hosts["new"].URL("root")))
	r := diff.Compare(legacy, fresh)

	missing := missingItems(r)
	for _, want := range []struct {
		concern diff.Concern
		item    string
	}{
		{diff.ConcernShippers, "logship"},
		{diff.ConcernCron, "deploy: */5 * * * * /home/deploy/bin/sync-uploads.sh"},
		{diff.ConcernCron, "root: 30 2 * * * /usr/local/sbin/backup-redmine.sh"},
		{diff.ConcernListeners, "tcp/80 (apache2)"},
		{diff.ConcernMiddleware, "apache vhost redmine.example.co.jp *:80"},
		{diff.ConcernProcesses, "service apache2"},
	} {
		if !hasItem(missing[want.concern], want.item) {
			t.Errorf("%s %q not reported missing on new; missing there: %q", want.concern, want.item, missing[want.concern])
		}
	}
	// The dangerous part first: the shipper leads, cron follows, and nothing
	// missing comes after anything changed or new.
	if len(r.Differences) == 0 || r.Differences[0].Kind != diff.Missing || r.Differences[0].Concern != diff.ConcernShippers {
		t.Fatalf("first difference is not a missing log shipper: %+v", r.Differences[:min(1, len(r.Differences))])
	}
	seenOther, lastRank := false, -1
	for _, d := range r.Differences {
		if d.Kind != diff.Missing {
			seenOther = true
			continue
		}
		if seenOther {
			t.Errorf("missing %s %q comes after a changed or new one", d.Concern, d.Item)
		}
		rank := concernRank(d.Concern)
		if rank < lastRank {
			t.Errorf("missing %s %q comes after a less important concern", d.Concern, d.Item)
		}
		lastRank = rank
		if len(d.OldSource) == 0 {
			t.Errorf("missing %s %q cites nothing on legacy", d.Concern, d.Item)
		}
	}
}

// TestDiffLegacyAgainstReplica diffs legacy with its migration to bookworm, which
// the lab builds with three planted faults (lab/roles/replica/setup.sh): no log
// shipper, deploy's crontab not carried over, crond started before the zone
// change. The first two are what the replica lacks, and come first; the third
// opens what changed.
func TestDiffLegacyAgainstReplica(t *testing.T) {
	lab := labtest.Require(t)
	replica, ok := lab.Hosts["replica"]
	if !ok {
		t.Skip("the lab has no replica host (lab/lib.sh); make lab-up builds it")
	}
	legacy := surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root")))
	migrated := surveySSH(t, sshOptions(lab, replica.URL("root")))
	r := diff.Compare(legacy, migrated)
	for _, d := range r.Differences {
		t.Logf("%s %s %s %s %q → %q", d.Kind, d.Concern, d.Item, d.Field, d.Old, d.New)
	}

	missing := missingItems(r)
	if !hasItem(missing[diff.ConcernShippers], "logship") {
		t.Errorf("the replica's missing log shipper is not reported; missing shippers: %q", missing[diff.ConcernShippers])
	}
	for _, job := range []string{"deploy: @reboot nohup /home/deploy/bin/worker.sh", "deploy: */5 * * * * /home/deploy/bin/sync-uploads.sh"} {
		if !hasItem(missing[diff.ConcernCron], job) {
			t.Errorf("deploy's job %q is not reported missing; missing jobs: %q", job, missing[diff.ConcernCron])
		}
	}
	// The faults lead the report: the shipper, then deploy's jobs.
	var head []string
	for _, d := range r.Differences[:min(3, len(r.Differences))] {
		head = append(head, string(d.Kind)+" "+string(d.Concern)+" "+d.Item)
	}
	if len(head) < 3 || !strings.HasPrefix(head[0], "missing log_shippers logship") ||
		!strings.HasPrefix(head[1], "missing cron deploy: ") || !strings.HasPrefix(head[2], "missing cron deploy: ") {
		t.Errorf("the report does not open with the planted faults:\n%s", strings.Join(head, "\n"))
	}
	// The zone fault: legacy's jobs fire in Asia/Tokyo, the replica's in the zone
	// its crond started in. Every job says so, and they open what changed.
	var firstChanged *diff.Difference
	for i, d := range r.Differences {
		if d.Kind == diff.Changed {
			firstChanged = &r.Differences[i]
			break
		}
	}
	if firstChanged == nil || firstChanged.Concern != diff.ConcernCron || firstChanged.Old != "Asia/Tokyo" ||
		!strings.Contains(firstChanged.New, "crond started before the zone change") {
		t.Errorf("the first change is not a cron job's firing zone: %+v", firstChanged)
	}
	if stale := staleDaemons(migrated); !containsWith(stale, "cron") {
		t.Errorf("crond on the replica is not seen as started before the zone change: %q", stale)
	}
}

// TestDiffCommandLine runs trowel diff on two snapshot files as a user does:
// exit 1 with differences, 0 without, 2 on a bad file; md, html and json.
func TestDiffCommandLine(t *testing.T) {
	lab := labtest.Require(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "trowel")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/trowel").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := run("diff", "--help"); code != 0 || !strings.Contains(out, "OLD NEW") {
		t.Skipf("trowel has no diff command yet (cmd/trowel/main.go does not add newDiffCommand): %s", out)
	}
	ssh := []string{"--identity", lab.KeyFile, "--known-hosts", lab.KnownHosts, "--ssh-config", "none"}
	legacy, fresh := filepath.Join(dir, "legacy.json"), filepath.Join(dir, "new.json")
	for host, file := range map[string]string{"legacy": legacy, "new": fresh} {
		if code, out := run(append([]string{"survey", lab.Hosts[host].URL("root"), "-o", file}, ssh...)...); code != 0 {
			t.Fatalf("survey %s: exit %d\n%s", host, code, out)
		}
	}
	code, out := run("diff", legacy, fresh)
	if code != 1 || !strings.Contains(out, "# Parity report") || !strings.Contains(out, "`logship`") {
		t.Errorf("diff legacy new: exit %d\n%s", code, out)
	}
	if code, out := run("diff", legacy, legacy, "--format", "json"); code != 0 || !strings.Contains(out, `"differences": []`) {
		t.Errorf("diff legacy legacy: exit %d\n%s", code, out)
	}
	// A snapshot against a live target: the target is surveyed first.
	if code, out := run(append([]string{"diff", legacy, lab.Hosts["new"].URL("root"), "--format", "html", "--lang", "ja"}, ssh...)...); code != 1 || !strings.Contains(out, "<html") || !strings.Contains(out, "新ホストに欠けているもの") {
		t.Errorf("diff legacy ssh://new --format html --lang ja: exit %d\n%.2000s", code, out)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"hello": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run("diff", bad, legacy); code != 2 || !strings.Contains(out, "not a trowel snapshot") {
		t.Errorf("diff of a JSON that is no snapshot: exit %d\n%s", code, out)
	}
	if code, out := run("diff", legacy, fresh, "--format", "pdf"); code != 2 {
		t.Errorf("--format pdf: exit %d\n%s", code, out)
	}
}

func missingItems(r diff.Result) map[diff.Concern][]string {
	m := map[diff.Concern][]string{}
	for _, d := range r.Differences {
		if d.Kind == diff.Missing {
			m[d.Concern] = append(m[d.Concern], d.Item)
		}
	}
	return m
}

// hasItem reports whether an item starts with prefix (cron items end with the
// command's redirections, which the tests need not spell).
func hasItem(items []string, prefix string) bool {
	for _, it := range items {
		if strings.HasPrefix(it, prefix) {
			return true
		}
	}
	return false
}

func concernRank(c diff.Concern) int {
	for i, x := range diff.Concerns {
		if x == c {
			return i
		}
	}
	return len(diff.Concerns)
}

func staleDaemons(s *snapshot.Snapshot) []string {
	var out []string
	for _, d := range s.Time.StaleDaemons {
		out = append(out, d.Command)
	}
	return out
}
