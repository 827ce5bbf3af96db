package e2e

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/survey"
)

// selfMarks are what the survey's own processes look like on any host: its SSH
// login, trowel's sudo command, the probe's shell and its commands, the collector.
var selfMarks = []string{"TROWEL-SUDO-PROMPT", "trowel-ready-", "TROWEL_SSH_CONNECTION", "/bin/sh -s", "probe.sh", "ps -eo pid=", "trowel survey"}

// noSelf fails when anything of the survey's own shows in a snapshot: a process of
// its footprint; and, alone (where no other survey or login can be on the host at the
// same time), a process that looks like the survey's, or its connection as a client
// or a dependency.
func noSelf(t *testing.T, s *snapshot.Snapshot, alone bool) {
	t.Helper()
	sess := s.Source.Session
	if sess == nil || len(sess.PIDs) == 0 {
		t.Fatalf("no session traced: %+v", s.Source)
	}
	for _, p := range s.Processes {
		if slices.Contains(sess.PIDs, p.PID) {
			t.Errorf("process %d %q is the survey's", p.PID, p.Command)
		}
		for _, m := range selfMarks {
			if alone && strings.Contains(p.Command, m) {
				t.Errorf("process %d %q looks like the survey's", p.PID, p.Command)
			}
		}
	}
	if sess.Client == "" || !alone {
		return
	}
	for _, c := range s.Network.Clients {
		if strings.HasPrefix(sess.Client, c.RemoteAddress+":") && strings.HasSuffix(sess.Server, ":"+itoa(c.LocalPort)) && c.Count == 1 {
			t.Errorf("the survey's own connection is a client: %+v", c)
		}
	}
	for _, c := range append(slices.Clone(s.Network.Connections), s.Network.Unanswered...) {
		if strings.HasSuffix(sess.Server, ":"+itoa(c.RemotePort)) && strings.HasPrefix(sess.Server, c.RemoteAddress+":") {
			t.Errorf("the survey's own connection is a dependency: %+v", c)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Real surveys of one machine through every way in (see
// internal/survey/self/testdata/SOURCES.md), read back as kept evidence: nothing of the
// survey is a process, a client or a dependency, no expectation, finding or sentence
// of the document is about it, and the document says who logged in and how.
func TestTheSurveyNeverReportsItself(t *testing.T) {
	files, err := filepath.Glob("../survey/self/testdata/*.evidence")
	if err != nil || len(files) < 7 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	ways := map[string]string{
		"ssh-root": "(root, as root)", "ssh-user": "(opsadmin, without root", "ssh-sudo-nopasswd": "(opsadmin, through sudo, as root)",
		"ssh-sudo-password-pty": "(opspw, through sudo, as root)", "local": "(root, as root)", "local-sudo": "(opsadmin, through sudo, as root)",
		"bundle-by-hand-sudo": "(opsadmin, through sudo, as root)",
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".evidence")
		t.Run(name, func(t *testing.T) {
			res, err := collect.Bundle(f)
			if err != nil {
				t.Fatal(err)
			}
			s := checked(t, survey.Run(res.Archive, res.Source, res.Raw))
			noSelf(t, s, true)
			// The host's own sshd still listens and runs: only the survey is gone.
			if !slices.ContainsFunc(s.Listeners, func(l snapshot.Listener) bool { return l.Port == 2299 }) ||
				!slices.ContainsFunc(s.Processes, func(p snapshot.Process) bool { return strings.Contains(p.Command, "[listener]") }) {
				t.Errorf("the host's sshd is gone with the survey: listeners %+v", s.Listeners)
			}
			for _, sv := range s.Services {
				if sv.Name == "sudo" && sv.Running != nil && *sv.Running {
					t.Errorf("sudo runs as a service: %+v", sv)
				}
			}

			sp := spec.Derive(s, name+".json")
			yaml, err := spec.Marshal(sp)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range append(selfMarks, "sshd: ", "service:sudo", "[sudo]") {
				if strings.Contains(string(yaml), m) {
					t.Errorf("an expectation mentions %q:\n%s", m, grepLines(string(yaml), m))
				}
			}
			findings := analyze.Analyze(s, "en")
			for _, fd := range findings {
				if strings.Contains(fd.ID(), "sudo") && fd.Key != "sudo.nopasswd" && !strings.HasPrefix(fd.Key, "coverage.") {
					t.Errorf("a finding about the survey's sudo: %s", fd.ID())
				}
			}
			var md bytes.Buffer
			if err := report.Markdown(&md, report.Handover(s, findings, "en")); err != nil {
				t.Fatal(err)
			}
			// The sources table names the commands the probe ran (ps among them): that
			// is provenance, not a fact about the host.
			for _, m := range []string{"TROWEL-SUDO-PROMPT", "trowel-ready-", "/bin/sh -s", "probe.sh", "trowel survey ssh:", "trowel survey local --", "sshd: opsadmin", "sshd: opspw", "sshd: root@"} {
				if strings.Contains(md.String(), m) {
					t.Errorf("the document mentions %q:\n%s", m, grepLines(md.String(), m))
				}
			}
			if want := ways[name]; !strings.Contains(md.String(), want) {
				t.Errorf("the document's source lacks %q:\n%s", want, grepLines(md.String(), "Surveyed through"))
			}
		})
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
