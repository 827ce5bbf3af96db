package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/verify"
)

func sshOptions(lab *labtest.Lab, target string) remote.Options {
	return remote.Options{
		Target:         target,
		ConfigFile:     "none",
		KnownHostsFile: lab.KnownHosts,
		IdentityFiles:  []string{lab.KeyFile},
		ConnectTimeout: 15 * time.Second,
		Timeout:        3 * time.Minute,
	}
}

// surveySSH surveys a lab host as trowel survey does, asking its services too;
// with specs, as trowel verify does, also asking what those expect.
func surveySSH(t *testing.T, o remote.Options, specs ...*spec.Spec) *snapshot.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var tf cli.TargetFlags
	for _, sp := range specs {
		tf.AlsoAsk = append(tf.AlsoAsk, verify.Questions(sp)...)
	}
	res, err := collect.SSHAndAsk(ctx, o, tf.AskFunc(), survey.Premask)
	if err != nil {
		t.Fatalf("survey %s: %v", o.Target, err)
	}
	if res.Err != nil {
		t.Fatalf("survey %s stopped early: %v", o.Target, res.Err)
	}
	return checked(t, survey.Run(res.Archive, res.Source, res.Raw))
}

// checked validates every snapshot the tests produce against the published schema.
func checked(t *testing.T, s *snapshot.Snapshot) *snapshot.Snapshot {
	t.Helper()
	doc, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := snapshot.Validate(doc); err != nil {
		t.Fatalf("snapshot does not validate against trowel schema: %v", err)
	}
	return s
}

func TestLegacyHostThreeWays(t *testing.T) {
	lab := labtest.Require(t)
	legacy := lab.Hosts["legacy"]

	viaSSH := surveySSH(t, sshOptions(lab, legacy.URL("root")))

	res, err := collect.Root(context.Background(), legacy.Root)
	if err != nil {
		t.Fatal(err)
	}
	offline := checked(t, survey.Run(res.Archive, res.Source, res.Raw))

	// A bundle: the probe run by hand through the system's own ssh client, as a
	// customer would, and brought back as a file.
	cmd := lab.Command(context.Background(), "legacy", "root", "sh -s")
	cmd.Stdin = bytes.NewReader(probe.Script())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running the probe by hand: %v", err)
	}
	bundleFile := filepath.Join(t.TempDir(), "legacy.evidence")
	if err := os.WriteFile(bundleFile, out, 0o600); err != nil {
		t.Fatal(err)
	}
	bres, err := collect.Bundle(bundleFile)
	if err != nil {
		t.Fatal(err)
	}
	bundle := checked(t, survey.Run(bres.Archive, bres.Source, bres.Raw))

	for name, s := range map[string]*snapshot.Snapshot{"ssh": viaSSH, "offline": offline, "bundle": bundle} {
		for _, sec := range []snapshot.Section{snapshot.SectionHost, snapshot.SectionOS, snapshot.SectionPackages} {
			c := s.Coverage[sec]
			// A disk does not know the CPUs and memory of the machine it came out of.
			if name == "offline" && sec == snapshot.SectionHost && c.Status == snapshot.Partial {
				continue
			}
			if c.Status != snapshot.Collected {
				t.Errorf("%s: %s coverage %s: %s", name, sec, c.Status, c.Reason)
			}
		}
		if s.OS.ID != "debian" || !strings.HasPrefix(s.OS.VersionID, "11") {
			t.Errorf("%s: os = %+v", name, s.OS)
		}
		if s.Host.Hostname != "legacy" {
			t.Errorf("%s: hostname %q", name, s.Host.Hostname)
		}
	}
	// Offline, nothing runs: live sections must say so, never come back empty-handed.
	for _, sec := range []snapshot.Section{snapshot.SectionProcesses, snapshot.SectionListeners} {
		if c := offline.Coverage[sec]; c.Status != snapshot.Unavailable || !strings.Contains(c.Reason, "offline") {
			t.Errorf("offline %s coverage = %+v", sec, c)
		}
	}

	// The same packages and services, whichever way the evidence came.
	sshPkgs := packageSet(viaSSH)
	if len(sshPkgs) < 100 {
		t.Fatalf("only %d packages over SSH", len(sshPkgs))
	}
	for _, want := range []string{"apache2", "mariadb-server", "postfix", "cron", "openssh-server", "rsyslog"} {
		if !containsPrefix(sshPkgs, want+" ") {
			t.Errorf("package %s not found over SSH", want)
		}
	}
	sameStrings(t, "packages ssh vs offline", sshPkgs, packageSet(offline))
	sameStrings(t, "packages ssh vs bundle", sshPkgs, packageSet(bundle))
	sameStrings(t, "services ssh vs offline", serviceSet(viaSSH), serviceSet(offline))
	sameStrings(t, "services ssh vs bundle", serviceSet(viaSSH), serviceSet(bundle))

	// The same live state over SSH and from the bundle (both ran the probe live).
	sameStrings(t, "listeners ssh vs bundle", listenerSet(viaSSH), listenerSet(bundle))
	sameStrings(t, "daemons ssh vs bundle", daemonSet(viaSSH), daemonSet(bundle))
	ls := strings.Join(listenerSet(viaSSH), "\n")
	for _, port := range legacy.Ports {
		if !strings.Contains(ls, fmt.Sprintf(":%d ", port)) {
			t.Errorf("port %d (planted by the lab) not among listeners:\n%s", port, ls)
		}
	}
	for _, svc := range []string{"apache2", "cron", "ssh"} {
		found := false
		for _, s := range viaSSH.Services {
			if s.Name == svc {
				found = true
				if s.Enabled == nil || !*s.Enabled {
					t.Errorf("service %s not enabled: %+v", svc, s)
				}
				if s.Running == nil || !*s.Running {
					t.Errorf("service %s not seen running: %+v", svc, s)
				}
			}
		}
		if !found {
			t.Errorf("service %s not found", svc)
		}
	}
	// Secrets planted on the host never leave it: not in any evidence archive, not in
	// any snapshot. Shadow hashes are recognised by their crypt prefixes.
	secrets := []string{"$6$", "$y$", "$5$", "$1$"}
	for _, u := range legacy.Users {
		if u.Password != "" {
			secrets = append(secrets, u.Password)
		}
	}
	for k, v := range legacy.Planted {
		if strings.Contains(strings.ToLower(k), "pass") && v != "" {
			secrets = append(secrets, v)
		}
	}
	blobs := map[string][]byte{"offline evidence": res.Raw, "bundle evidence": out}
	for name, s := range map[string]*snapshot.Snapshot{"ssh": viaSSH, "offline": offline, "bundle": bundle} {
		doc, _ := json.Marshal(s)
		blobs[name+" snapshot"] = doc
	}
	for name, blob := range blobs {
		for _, secret := range secrets {
			if bytes.Contains(blob, []byte(secret)) {
				t.Errorf("%s contains the secret %q", name, secret)
			}
		}
	}

	// Every fact names its evidence, and the evidence is described.
	for _, p := range viaSSH.Packages {
		if _, ok := viaSSH.Evidence[p.Evidence]; !ok {
			t.Fatalf("package %s cites %q, not in the evidence index", p.Name, p.Evidence)
		}
	}
}

func TestSurveyAccountsAndRoutes(t *testing.T) {
	lab := labtest.Require(t)
	legacy := lab.Hosts["legacy"]
	cases := []struct {
		name       string
		opts       func() remote.Options
		privileged bool
		note       string
		// login and through are who logged in and how the probe got its rights.
		login, through string
	}{
		{"sudo without password", func() remote.Options {
			o := sshOptions(lab, legacy.URL("deploy"))
			o.Sudo = true
			return o
		}, true, "", "deploy", "sudo"},
		{"sudo with password and requiretty", func() remote.Options {
			o := sshOptions(lab, legacy.URL("ops"))
			o.Sudo = true
			pw := legacy.Users["ops"].Password
			o.SudoPassword = func() ([]byte, error) { return []byte(pw), nil }
			return o
		}, true, "", "ops", "sudo"},
		{"unprivileged", func() remote.Options { return sshOptions(lab, legacy.URL("alice")) }, false, "", "alice", ""},
		{"through the bastion", func() remote.Options {
			o := sshOptions(lab, legacy.URL("root"))
			b := lab.Hosts["bastion"]
			o.Jump = fmt.Sprintf("jump@%s:%d", b.Addr, b.Port)
			return o
		}, true, "", "root", ""},
		{"legacy algorithms", func() remote.Options {
			return sshOptions(lab, fmt.Sprintf("ssh://root@%s:%d", legacy.Addr, legacy.LegacyPort))
		}, true, "legacy", "root", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := surveySSH(t, c.opts())
			if s.Source.Privileged != c.privileged {
				t.Errorf("privileged = %v (uid %v)", s.Source.Privileged, s.Source.UID)
			}
			if s.Source.Login != c.login || s.Source.Through != c.through {
				t.Errorf("login %q through %q, want %q through %q", s.Source.Login, s.Source.Through, c.login, c.through)
			}
			// Other tests may be logged in to legacy from the same gateway.
			noSelf(t, s, false)
			if s.Host.Hostname != "legacy" || s.Coverage[snapshot.SectionPackages].Status != snapshot.Collected {
				t.Errorf("host %q packages %+v", s.Host.Hostname, s.Coverage[snapshot.SectionPackages])
			}
			if c.note != "" && !strings.Contains(strings.Join(s.Source.Notes, "\n"), c.note) {
				t.Errorf("no note mentioning %q: %v", c.note, s.Source.Notes)
			}
			if !c.privileged {
				if c := s.Coverage[snapshot.SectionListeners]; c.Status == snapshot.Collected {
					t.Errorf("unprivileged listeners claimed complete: %+v", c)
				}
			}
		})
	}
}

func TestUnknownHostKeyIsRefusedClearly(t *testing.T) {
	lab := labtest.Require(t)
	o := sshOptions(lab, lab.Hosts["legacy"].URL("root"))
	o.KnownHostsFile = filepath.Join(t.TempDir(), "known_hosts")
	_, err := collect.SSH(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "accept-new-host-key") {
		t.Fatalf("err = %v", err)
	}
	if _, statErr := os.Stat(o.KnownHostsFile); statErr == nil {
		t.Errorf("known_hosts written without --accept-new-host-key")
	}
}

// The command line, built and run as a user runs it: exit codes are part of the
// interface.
func TestCommandLineExitCodes(t *testing.T) {
	lab := labtest.Require(t)
	bin := filepath.Join(t.TempDir(), "trowel")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/trowel").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	legacy := lab.Hosts["legacy"]
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	snap := filepath.Join(t.TempDir(), "legacy.json")
	if code, out := run("survey", legacy.URL("root"), "--identity", lab.KeyFile, "--known-hosts", lab.KnownHosts, "--ssh-config", "none", "-o", snap); code != 0 {
		t.Fatalf("survey exit %d:\n%s", code, out)
	}
	doc, err := os.ReadFile(snap)
	if err != nil || snapshot.Validate(doc) != nil {
		t.Fatalf("snapshot file: %v", err)
	}
	if code, out := run("survey", legacy.URL("root"), "--identity", lab.KeyFile, "--known-hosts", filepath.Join(t.TempDir(), "none"), "--ssh-config", "none"); code != 2 || !strings.Contains(out, "not known") {
		t.Errorf("unknown host key: exit %d:\n%s", code, out)
	}
	if code, out := run("survey"); code != 2 || !strings.Contains(out, "arg") {
		t.Errorf("no target: exit %d:\n%s", code, out)
	}
	if code, out := run("survey", "/nonexistent-dir-and-host.invalid", "--connect-timeout", "2s", "--ssh-config", "none"); code != 2 {
		t.Errorf("unreachable: exit %d:\n%s", code, out)
	}
}

func packageSet(s *snapshot.Snapshot) []string {
	var out []string
	for _, p := range s.Packages {
		out = append(out, fmt.Sprintf("%s %s-%s %s", p.Name, p.Version, p.Release, p.Arch))
	}
	sort.Strings(out)
	return out
}

func serviceSet(s *snapshot.Snapshot) []string {
	var out []string
	for _, sv := range s.Services {
		en := "?"
		if sv.Enabled != nil {
			en = fmt.Sprint(*sv.Enabled)
		}
		out = append(out, fmt.Sprintf("%s %s enabled=%s", sv.Name, sv.Init, en))
	}
	sort.Strings(out)
	return out
}

func listenerSet(s *snapshot.Snapshot) []string {
	var out []string
	for _, l := range s.Listeners {
		out = append(out, fmt.Sprintf("%s %s:%d %s", l.Proto, l.Address, l.Port, l.Process))
	}
	sort.Strings(out)
	return out
}

var sshdStartups = regexp.MustCompile(`\[listener\] [0-9]+ of`)

// daemonSet is the long-running processes: what a survey must find both times. The
// sessions that carried each probe differ by nature and are left out.
func daemonSet(s *snapshot.Snapshot) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range s.Processes {
		if p.PPID > 1 && !strings.Contains(p.Command, "mysqld") && !strings.Contains(p.Command, "apache2") {
			continue
		}
		if strings.HasPrefix(p.Command, "sleep ") {
			continue // the lab's init loop and watchdogs sleep in turns
		}
		// OpenSSH 9's listener retitles itself with the count of connections in
		// progress ("[listener] 1 of 10-100 startups"): the test's own sessions.
		k := p.User + " " + sshdStartups.ReplaceAllString(p.Command, "[listener] N of")
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func sameStrings(t *testing.T, what string, a, b []string) {
	t.Helper()
	am, bm := map[string]bool{}, map[string]bool{}
	for _, s := range a {
		am[s] = true
	}
	for _, s := range b {
		bm[s] = true
	}
	var onlyA, onlyB []string
	for s := range am {
		if !bm[s] {
			onlyA = append(onlyA, s)
		}
	}
	for s := range bm {
		if !am[s] {
			onlyB = append(onlyB, s)
		}
	}
	if len(onlyA)+len(onlyB) > 0 {
		sort.Strings(onlyA)
		sort.Strings(onlyB)
		t.Errorf("%s differ:\n only first: %v\n only second: %v", what, onlyA, onlyB)
	}
}
