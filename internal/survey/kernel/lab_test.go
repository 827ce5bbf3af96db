package kernel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/labtest/labsurvey"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/survey"
)

// The kernel surveyor tells an administrator's file from a packaged one by what the
// files surveyor found, so it must run after it.
func TestRegisteredAfterFiles(t *testing.T) {
	at := map[string]int{}
	for i, s := range survey.Surveyors() {
		at[s.Name()] = i
	}
	if at["kernel"] < at["files"] {
		t.Errorf("kernel (at %d) runs before files (at %d): every sysctl file's origin comes out unknown; move kernel.New() after files.New() in internal/survey/survey.go", at["kernel"], at["files"])
	}
}

// The lab's legacy host: a DBA's tuning file applied at boot, and a line added to
// sysctl.conf that was never applied (lab/roles/redmine.sh).
func TestLegacySysctls(t *testing.T) {
	lab := labtest.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	res, err := labsurvey.Survey(ctx, lab, "legacy")
	if err == nil {
		err = res.Err
	}
	if err != nil {
		t.Fatalf("survey: %v", err)
	}
	s := survey.Run(res.Archive, res.Source, res.Raw)
	if c := s.Coverage[snapshot.SectionSysctl]; c.Status != snapshot.Collected || !s.Kernel.Live {
		t.Fatalf("coverage %+v live %v", c, s.Kernel.Live)
	}
	if len(s.Kernel.InForce) < 100 {
		t.Errorf("only %d parameters in force were read", len(s.Kernel.InForce))
	}
	by := map[string]snapshot.Sysctl{}
	for _, sc := range s.Kernel.Sysctls {
		by[sc.Key] = sc
	}
	for i, want := range []struct{ key, value string }{
		{"net.core.somaxconn", "1024"}, {"net.ipv4.tcp_keepalive_time", "600"}, {"kernel.shmmax", "4294967296"},
	} {
		sc := by[want.key]
		c := sc.Configured
		if c == nil || c.File != "/etc/sysctl.d/60-redmine.conf" || c.Line != i+2 || c.Value != want.value || sc.Value != want.value || !sc.Applied() {
			t.Errorf("%s = %+v configured %+v", want.key, sc, c)
			continue
		}
		if c.Origin != snapshot.OriginAdmin || !strings.Contains(c.OriginWhy, "owned by no package") {
			t.Errorf("%s: origin %s (%s)", want.key, c.Origin, c.OriginWhy)
		}
		if len(sc.Evidence) != 2 {
			t.Errorf("%s: evidence %v", want.key, sc.Evidence)
		}
	}
	fin := by["net.ipv4.tcp_fin_timeout"]
	if c := fin.Configured; c == nil || c.File != "/etc/sysctl.conf" || c.Value != "30" || fin.Value != "60" || fin.Applied() {
		t.Errorf("the line never applied: %+v configured %+v", fin, c)
	} else if c.Origin != snapshot.OriginAdmin || !strings.Contains(c.OriginWhy, "procps") {
		t.Errorf("fin_timeout: origin %s (%s)", c.Origin, c.OriginWhy)
	}
	if sc := by["fs.protected_hardlinks"]; sc.Configured == nil || sc.Configured.Origin != snapshot.OriginOS {
		t.Errorf("Debian's protect-links.conf: %+v", sc)
	}

	// The spec expects what the old server ran with, and says why for the line
	// never applied.
	sp := spec.Derive(s, "legacy.json")
	got := map[string]spec.Expectation{}
	value := map[string]string{}
	for _, e := range sp.Expectations {
		if b, ok := e.Body.(spec.Sysctl); ok {
			got[b.Key], value[b.Key] = e, b.Value
		}
	}
	if len(got) != 4 || value["net.core.somaxconn"] != "1024" || got["net.core.somaxconn"].From.Source != "/etc/sysctl.d/60-redmine.conf:2" {
		t.Errorf("sysctl expectations: %+v", got)
	}
	if e := got["net.ipv4.tcp_fin_timeout"]; value["net.ipv4.tcp_fin_timeout"] != "60" || !strings.Contains(e.Note, "sets 30") {
		t.Errorf("fin_timeout expectation: %+v", e)
	}
}
