package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

// TestGossOnThisHost is the goss export's defining property on the machine the
// tests run on: the export of a host's own snapshot passes on that host, under the
// real goss. Whatever this machine runs (a build, another engineer's tests), what
// comes and goes must not have been exported.
func TestGossOnThisHost(t *testing.T) {
	goss := gossBinary(t)
	if os.Geteuid() != 0 {
		t.Skip("goss runs the export as root (sshd -T, crontab -l -u, sudo -l -U read what only root may), and so must this test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tf := cli.TargetFlags{Timeout: 4 * time.Minute}
	res, err := tf.Collect(ctx, target.Target{Kind: target.Local, Arg: "local"})
	if err != nil {
		t.Fatalf("survey local: %v", err)
	}
	if res.Err != nil {
		t.Fatalf("survey local stopped early: %v", res.Err)
	}
	sp := spec.Derive(checked(t, survey.Run(res.Archive, res.Source, res.Raw)), "local.json")
	doc, err := spec.Goss(sp)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "local.goss.yaml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, goss, "-g", file, "validate", "--format", "json").Output()
	r := readGoss(t, out, err, doc)
	t.Logf("goss on this host: %s", r.Summary.Line)
	if r.Summary.Count == 0 {
		t.Fatalf("the export of this host checks nothing:\n%s", doc)
	}
	for _, f := range r.failures(sp) {
		t.Errorf("fails on the host it came from: %s", f)
	}
}

// TestGossOnTheLab is the export checked by goss on the lab's hosts: legacy's own
// export, run on legacy, passes in full; run on replica (legacy migrated, with three
// planted faults, lab/README.md) it fails on exactly what those faults break, each
// fault on at least one item.
func TestGossOnTheLab(t *testing.T) {
	lab := labtest.Require(t)
	goss := gossBinary(t)
	if _, ok := lab.Hosts["replica"]; !ok {
		t.Skip("the lab has no replica host (lab/lib.sh LAB_HOSTS)")
	}
	carryOrphanKey(t, lab)
	sp := spec.Derive(surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("root"))), "legacy.json")
	doc, err := spec.Goss(sp)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("legacy passes its own export", func(t *testing.T) {
		r := gossOnLabHost(t, lab, "legacy", goss, doc)
		t.Logf("goss on legacy: %s", r.Summary.Line)
		if r.Summary.Count == 0 || r.Summary.Skipped > 0 {
			t.Errorf("goss on legacy: %s", r.Summary.Line)
		}
		for _, f := range r.failures(sp) {
			t.Errorf("fails on legacy itself: %s", f)
		}
	})

	t.Run("replica fails exactly on the planted faults", func(t *testing.T) {
		r := gossOnLabHost(t, lab, "replica", goss, doc)
		t.Logf("goss on replica: %s", r.Summary.Line)
		// What each planted fault breaks (lab/roles/replica/setup.sh), of what the
		// export checks: log_follow has no goss resource, and is listed as such.
		faults := map[string]func(id string) bool{
			"no log shipper": func(id string) bool {
				return id == "service:logship" || strings.HasPrefix(id, "log_shipper:logship")
			},
			"deploy's crontab missing": func(id string) bool {
				return strings.HasPrefix(id, "cron:/var/spool/cron/crontabs/deploy:") ||
					(strings.HasPrefix(id, "process:") && strings.HasSuffix(id, ":deploy"))
			},
			"crond in the old zone": func(id string) bool { return id == "cron_zone" },
		}
		faultOf := func(id string) string {
			for name, breaks := range faults {
				if breaks(id) {
					return name
				}
			}
			return ""
		}
		want, got := map[string]bool{}, map[string]bool{}
		perFault := map[string][]string{}
		for _, id := range r.checked() {
			if f := faultOf(id); f != "" {
				want[id] = true
				perFault[f] = append(perFault[f], id)
			}
		}
		for name := range faults {
			if len(perFault[name]) == 0 {
				t.Errorf("the export checks nothing the fault %q breaks", name)
			}
		}
		for _, f := range r.failures(sp) {
			got[f.id] = true
			if !want[f.id] {
				t.Errorf("false alarm on replica: %s", f)
			}
		}
		for id := range want {
			if !got[id] {
				t.Errorf("%s passes on replica, though the fault %q breaks it", id, faultOf(id))
			}
		}
	})
}

// gossBinary is the real goss, kept beside the project (../shared/tools/goss/goss
// from the checkout's root; see the README there).
func gossBinary(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "..", "shared", "tools", "goss", "goss")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("TROWEL_LAB_REQUIRED") == "1" {
			t.Fatalf("goss required (TROWEL_LAB_REQUIRED=1) but not usable: %v", err)
		}
		t.Skipf("the real goss is not at %s (%v): it is kept beside the project, see ../shared/tools/goss/README.md", p, err)
	}
	return p
}

// gossOnLabHost copies goss and the gossfile into a lab host (through its root
// directory, the same mount the host runs in) and runs goss there over SSH, as goss
// users do; the copy is removed afterwards.
func gossOnLabHost(t *testing.T, lab *labtest.Lab, host, goss string, gossfile []byte) gossReport {
	t.Helper()
	h := lab.Hosts[host]
	if h.Root == "" {
		t.Fatalf("lab.json gives %s no root directory", host)
	}
	// /var/tmp, not /tmp: a host systemd-nspawn boots has a tmpfs of its own on /tmp,
	// which hides what is written to the root's tmp from outside.
	dir, err := os.MkdirTemp(filepath.Join(h.Root, "var/tmp"), "trowel-goss-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin, err := os.ReadFile(goss)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "goss"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "legacy.goss.yaml"), gossfile, 0o644); err != nil {
		t.Fatal(err)
	}
	inside := "/" + strings.TrimPrefix(strings.TrimPrefix(dir, h.Root), "/")
	out, err := lab.SSH(t, host, "root", inside+"/goss -g "+inside+"/legacy.goss.yaml validate --format json")
	return readGoss(t, []byte(out), err, gossfile)
}

// gossReport is what goss validate --format json prints.
type gossReport struct {
	Results []gossResult `json:"results"`
	Summary struct {
		Count   int    `json:"test-count"`
		Failed  int    `json:"failed-count"`
		Skipped int    `json:"skipped-count"`
		Line    string `json:"summary-line"`
	} `json:"summary"`
}

type gossResult struct {
	Successful bool   `json:"successful"`
	Type       string `json:"resource-type"`
	ID         string `json:"resource-id"`
	Property   string `json:"property"`
	Meta       struct {
		Expectations []string `json:"expectations"`
	} `json:"meta"`
	Summary string `json:"summary-line"`
}

// readGoss reads goss's report; goss exits 1 when a check failed, and anything
// else that is not a report is the run failing.
func readGoss(t *testing.T, out []byte, runErr error, gossfile []byte) gossReport {
	t.Helper()
	var r gossReport
	if err := json.Unmarshal(out, &r); err != nil {
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			runErr = fmt.Errorf("%w: %s", runErr, ee.Stderr)
		}
		t.Fatalf("goss printed no report (%v): %v\n%s\ngossfile:\n%s", runErr, err, out, gossfile)
	}
	if r.Summary.Failed == 0 && runErr != nil {
		t.Fatalf("goss failed with nothing failing in its report: %v", runErr)
	}
	return r
}

// gossFailure is a failing goss check, with the expectation it checks and where
// that came from on the old host.
type gossFailure struct {
	id, what string
}

func (f gossFailure) String() string { return f.id + ": " + f.what }

// failures are the failing checks, one per expectation and property, each with
// goss's message (cut short: a process list is long) and the expectation's
// provenance.
func (r gossReport) failures(sp *spec.Spec) []gossFailure {
	from := map[string]string{}
	for _, e := range sp.Expectations {
		from[e.ID] = e.From.Where()
	}
	var out []gossFailure
	for _, res := range r.Results {
		if res.Successful {
			continue
		}
		msg := strings.Join(strings.Fields(res.Summary), " ")
		if len(msg) > 600 {
			msg = msg[:600] + " ..."
		}
		ids := res.Meta.Expectations
		if len(ids) == 0 {
			ids = []string{"(no expectation named) " + res.Type + " " + res.ID}
		}
		for _, id := range ids {
			out = append(out, gossFailure{id: id, what: fmt.Sprintf("goss %s %q %s: %s [expected from %s]", res.Type, res.ID, res.Property, msg, from[id])})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// checked are the expectations goss checked, passing or not.
func (r gossReport) checked() []string {
	var out []string
	for _, res := range r.Results {
		for _, id := range res.Meta.Expectations {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}
