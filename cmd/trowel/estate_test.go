package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/fleet/sshfake"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/storetest"
)

// fakeEstate starts an estate of fake SSH hosts, one per behaviour given (each on
// an address of its own, answering with the CentOS 5 evidence under its own
// name), and writes an inventory of them; unreachable adds a host whose port
// nobody listens on. It returns the inventory, the flags that reach the hosts, and
// each host's target as the audit trail writes it.
func fakeEstate(t *testing.T, hosts map[string]sshfake.Behaviour, unknownKey map[string]bool, unreachable string) (inv string, flags []string, targets map[string]string) {
	e := startEstate(t, hosts, unknownKey, unreachable, 0)
	return e.inventory, append(e.credentials, "--no-ask"), e.targets
}

// fakeHosts is a running estate of fake SSH hosts and its inventory.
type fakeHosts struct {
	inventory string
	// credentials are the flags that let trowel in: key, known_hosts, no
	// ssh_config.
	credentials []string
	targets     map[string]string // as the audit trail writes them
	servers     map[string]*sshfake.Server
}

// startEstate is fakeEstate, with each host's probe taking delay.
func startEstate(t *testing.T, hosts map[string]sshfake.Behaviour, unknownKey map[string]bool, unreachable string, delay time.Duration) *fakeHosts {
	t.Helper()
	t.Setenv("SSH_AUTH_SOCK", "")
	dir := t.TempDir()
	e, err := sshfake.NewEstate(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	var lines []string
	f := &fakeHosts{targets: map[string]string{}, servers: map[string]*sshfake.Server{}}
	i := 2
	for _, name := range sortedKeys(hosts) {
		s, err := e.Add(sshfake.Config{Behaviour: hosts[name], Evidence: centos5Evidence(t, name, nil), IP: fmt.Sprintf("127.0.0.%d", i), Delay: delay}, unknownKey[name])
		if err != nil {
			t.Fatal(err)
		}
		i++
		group := "app"
		if strings.HasPrefix(name, "db") {
			group = "db"
		}
		lines = append(lines, fmt.Sprintf("[%s]\n%s ansible_host=%s ansible_port=%d", group, name, s.Host(), s.Port()))
		f.targets[name] = "ops@" + s.Addr
		f.servers[name] = s
	}
	if unreachable != "" {
		// A port just freed: nothing listens there, so the connection is refused.
		ln, err := net.Listen("tcp", "127.0.0.99:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		lines = append(lines, fmt.Sprintf("[app]\n%s ansible_host=127.0.0.99 ansible_port=%d", unreachable, port))
		f.targets[unreachable] = fmt.Sprintf("ops@127.0.0.99:%d", port)
	}
	f.inventory = filepath.Join(dir, "estate.ini")
	if err := os.WriteFile(f.inventory, []byte("[all:vars]\nansible_user=ops\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.credentials = []string{"--ssh-config", "none", "--known-hosts", e.KnownHosts, "--identity", e.KeyFile}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	out := slices.Collect(maps.Keys(m))
	slices.Sort(out)
	return out
}

// An estate surveyed at once from an inventory: one host hangs before saying
// anything, one hangs after the probe started, one refuses the key, one drops the
// connection half-way, one has a host key nobody accepted, one is unreachable.
// The others complete and are recorded; each failure is named with what to do;
// the host that dropped the connection is kept, marked incomplete; the audit
// trail says who did what; and each hang ends by the time limit given.
func TestSurveyAnEstate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "trowel.db")
	t.Setenv(store.Env, db)
	inv, flags, targets := fakeEstate(t, map[string]sshfake.Behaviour{
		"web1": sshfake.Answer, "web2": sshfake.Answer, "db1": sshfake.Answer,
		"silent": sshfake.Silent, "stalled": sshfake.Stall, "badkey": sshfake.RefuseKey, "cut": sshfake.Drop, "stranger": sshfake.Answer,
	}, map[string]bool{"stranger": true}, "gone")
	snaps := filepath.Join(dir, "snapshots")
	// That hosts run at once (and bounded) is fleet's own test; here each hang must
	// end by its own limit, which the summary names.
	code, out := run(t, append([]string{"survey", "-i", inv, "--connect-timeout", "2s", "--timeout", "4s", "--parallel", "16", "-o", snaps}, flags...)...)
	if code != cli.ExitError {
		t.Errorf("exit %d, want 2 (hosts failed)\n%s", code, out)
	}
	for _, want := range []string{
		"9 hosts in ", ": 3 surveyed, 1 stopped early (what arrived is kept), 5 failed; recorded in " + db,
		"silent    failed: no SSH answer from 127.0.0.", "→ check that the host is up",
		"stalled   failed: the run on ", "did not finish within the time limit (4s)", "→ the host is slow or the probe hangs there",
		"badkey    failed: could not log in as ops@", "→ check the login user (ansible_user",
		"cut       partial: the connection to ", "[kept as cut@1]", "→ what arrived is recorded and marked incomplete",
		"stranger  failed: host key for ", "→ check its fingerprint with the host's administrator, then re-run with --accept-new-host-key",
		"gone      failed: cannot connect to 127.0.0.99:", "→ check the address and port (ansible_host, ansible_port)",
		"trowel: 6 of 9 hosts were not surveyed in full",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}

	ctx := context.Background()
	s := storetest.Open(t, db)
	hosts, err := s.Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Host{}
	for _, h := range hosts {
		got[h.Name] = h
	}
	if len(hosts) != 4 {
		t.Errorf("%d hosts stored, want web1, web2, db1 and cut: %+v", len(hosts), hosts)
	}
	for name, group := range map[string]string{"web1": "app", "web2": "app", "db1": "db", "cut": "app"} {
		h, ok := got[name]
		if !ok || h.InventoryName != name || h.Group != group || h.Surveys != 1 || h.Latest == nil || h.Latest.Hostname != name {
			t.Errorf("%s in the store: %+v", name, h)
		}
		if _, err := os.Stat(filepath.Join(snaps, name+".json")); err != nil {
			t.Errorf("%s's snapshot was not written: %v", name, err)
		}
	}
	if snap, _, err := s.Resolve(ctx, "web2"); err != nil || snap.Host.Hostname != "web2" || snap.Source.Kind != "ssh" {
		t.Errorf("web2's snapshot: %v", err)
	}
	if ev, err := s.Evidence(ctx, *got["web1"].Latest); err != nil || !strings.Contains(string(ev), "TROWEL-EVIDENCE/") {
		t.Errorf("web1's evidence: %v", err)
	}

	log, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]string{}
	for _, e := range log {
		if e.Action != "survey" || e.Operator.User == "" || e.Operator.Host == "" || e.Operator.TrowelVersion == "" {
			t.Errorf("audit entry: %+v", e)
		}
		outcomes[e.Target] = e.Outcome
	}
	if len(log) != 9 {
		t.Errorf("%d audit entries, want one per host:\n%s", len(log), mustJSON(t, log))
	}
	for name, want := range map[string]string{"web1": "ok", "web2": "ok", "db1": "ok", "cut": "stopped early: the connection to ",
		"stalled": "failed: the run on ", "badkey": "failed: could not log in", "gone": "failed: cannot connect",
		"stranger": "failed: host key for", "silent": "failed: no SSH answer"} {
		if o := outcomes[targets[name]]; !strings.HasPrefix(o, want) {
			t.Errorf("the audit entry of %s (%s) says %q, want %q", name, targets[name], o, want)
		}
	}
	for _, e := range log {
		if e.Host == "web1" && (e.Survey != 1 || e.Outcome != "ok") {
			t.Errorf("web1's entry: %+v", e)
		}
	}

	// The stored snapshots are read back by name, and listed.
	if code, out := run(t, "report", "web1", "-o", filepath.Join(dir, "web1.md")); code != cli.ExitOK || !strings.Contains(out, "web1 is web1@1") {
		t.Errorf("report web1: exit %d\n%s", code, out)
	}
	code, out = run(t, "hosts", "--format", "json")
	var rows []map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 4 {
		t.Errorf("hosts: exit %d\n%s", code, out)
	}
	if code, out := run(t, "log", "web1", "--format", "json"); code != cli.ExitOK || !strings.Contains(out, `"action": "report"`) {
		t.Errorf("log web1: exit %d\n%s", code, out)
	}
}

// --format json gives each host's outcome, for tools; --limit takes a part of the
// inventory; --no-store records nothing.
func TestSurveyAnEstateJSON(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "trowel.db")
	t.Setenv(store.Env, db)
	inv, flags, _ := fakeEstate(t, map[string]sshfake.Behaviour{"web1": sshfake.Answer, "db1": sshfake.Answer, "db2": sshfake.RefuseKey}, nil, "")
	code, out := run(t, append([]string{"survey", "-i", inv, "--limit", "db", "--format", "json", "--no-store", "--timeout", "10s"}, flags...)...)
	if code != cli.ExitError {
		t.Errorf("exit %d\n%s", code, out)
	}
	var rs []fleet.Result
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "]")+1]), &rs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rs) != 2 || rs[0].Name != "db1" || rs[0].Status != fleet.OK || rs[0].Ref != "" ||
		rs[1].Name != "db2" || rs[1].Status != fleet.Failed || !strings.Contains(rs[1].Advice, "ansible_user") {
		t.Errorf("results: %+v", rs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("--no-store left a store behind")
	}
}

func TestSurveyManyUsage(t *testing.T) {
	inv := filepath.Join(t.TempDir(), "hosts")
	os.WriteFile(inv, []byte("web1\n"), 0o644)
	key := filepath.Join(t.TempDir(), "id_ed25519")
	os.WriteFile(key, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"survey", "web1", "-i", inv}, "give targets, or -i/--targets, not both"},
		{[]string{"survey", "--limit", "web", "web1"}, "--limit without -i"},
		{[]string{"survey", "-i", inv, "--targets", inv}, "not both"},
		{[]string{"survey", "-i", inv, "--limit", "nosuch"}, "matches no host or group"},
		{[]string{"survey", "-i", key}, "is an SSH private key, not an inventory"},
		// ssh's -i given with a target: the key is named, not a clash of targets.
		{[]string{"survey", "web1", "-i", key}, "give the key with --identity"},
		{[]string{"survey", "a", "b", "--observe", "1h"}, "--observe takes one target"},
		{[]string{"survey"}, "no target given"},
	} {
		if code, out := run(t, c.args...); code != cli.ExitError || !strings.Contains(out, c.want) {
			t.Errorf("%q: exit %d, want 2 saying %q\n%s", c.args, code, c.want, out)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
