package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/storetest"
)

// The lab's hosts surveyed at once from an inventory, with one address nobody
// has and one host that accepts the connection and never says a word: the others
// complete and are recorded, the two failures are named with what to do, the
// audit trail says who surveyed what, and the stored snapshots are read back by
// name (a report, a verify of replica against legacy).
func TestLabEstateAtOnce(t *testing.T) {
	lab := labtest.Require(t)
	bin := trowelBinary(t)
	collector := lab.Hosts["collector"]
	hang := listenIn(t, collector.Netns, net.JoinHostPort(collector.Addr, "0"))
	hangPort := hang.Addr().(*net.TCPAddr).Port
	unreachableAddr := unusedLabAddr(t, lab)

	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("all:\n  vars:\n    ansible_user: root\n  children:\n    lab:\n      hosts:\n")
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		fmt.Fprintf(&b, "        %s: {ansible_host: %s, ansible_port: %d}\n", name, h.Addr, h.Port)
	}
	fmt.Fprintf(&b, "    broken:\n      hosts:\n        unreachable: {ansible_host: %s}\n        hanging: {ansible_host: %s, ansible_port: %d}\n",
		unreachableAddr, collector.Addr, hangPort)
	inv := filepath.Join(dir, "lab.yml")
	if err := os.WriteFile(inv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "trowel.db")
	trowel := func(args ...string) (int, string) {
		return runTrowel(t, bin, append(args, "--store", db)...)
	}

	start := time.Now()
	code, out := trowel("survey", "-i", inv, "--ssh-config", "none", "--known-hosts", lab.KnownHosts, "--identity", lab.KeyFile,
		"--no-ask", "--connect-timeout", "5s", "--timeout", "4m", "-o", filepath.Join(dir, "snapshots"))
	took := time.Since(start)
	t.Logf("survey of the lab took %s:\n%s", took, out)
	if code != cli.ExitError {
		t.Errorf("exit %d, want 2 (two hosts failed)", code)
	}
	n := len(lab.Hosts)
	for _, want := range []string{
		fmt.Sprintf("%d hosts in ", n+2), fmt.Sprintf(": %d surveyed, 2 failed; recorded in %s", n, db),
		"unreachable  failed: ", "hanging      failed: no SSH answer from " + net.JoinHostPort(collector.Addr, strconv.Itoa(hangPort)),
		"→ check that the host is up",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	// The two failures cost their connect timeout, not the others' surveys.
	if took > 4*time.Minute {
		t.Errorf("took %s", took)
	}

	ctx := context.Background()
	s := storetest.Open(t, db)
	hosts, err := s.Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != n {
		t.Errorf("%d hosts stored, want %d", len(hosts), n)
	}
	for _, h := range hosts {
		lh, ok := lab.Hosts[h.Name]
		if !ok || lh.Name != h.InventoryName || h.Group != "lab" || h.Surveys != 1 || h.Latest == nil || h.Latest.Hostname != h.Name {
			t.Errorf("stored host: %+v", h)
			continue
		}
		snap, _, err := s.Resolve(ctx, h.Name)
		if err != nil || snap.Source.Kind != "ssh" || snap.Coverage[snapshot.SectionPackages].Status != snapshot.Collected {
			t.Errorf("%s's stored snapshot: %v", h.Name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "snapshots", h.Name+".json")); err != nil {
			t.Errorf("%s's snapshot file: %v", h.Name, err)
		}
	}

	log, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	me, _ := user.Current()
	machine, _ := os.Hostname()
	ok, failed := 0, 0
	for _, e := range log {
		if e.Action != "survey" || e.Operator.User != me.Username || e.Operator.Host != machine || !strings.Contains(e.Operator.Command, "survey -i "+inv) {
			t.Errorf("audit entry: %+v", e)
		}
		switch {
		case e.Outcome == "ok" && e.Survey == 1 && lab.Hosts[e.Host].Name != "":
			ok++
		case strings.HasPrefix(e.Outcome, "failed: ") && (strings.Contains(e.Target, unreachableAddr) || strings.Contains(e.Target, ":"+strconv.Itoa(hangPort))):
			failed++
		default:
			t.Errorf("audit entry: %+v", e)
		}
	}
	if ok != n || failed != 2 {
		t.Errorf("audit: %d ok, %d failed; want %d and 2", ok, failed, n)
	}

	// Stored snapshots wherever a snapshot is taken.
	if code, out := trowel("report", "legacy", "-o", filepath.Join(dir, "legacy.md")); code != cli.ExitOK || !strings.Contains(out, "legacy is legacy@1") {
		t.Errorf("report legacy: exit %d\n%s", code, out)
	}
	if code, out := trowel("verify", "replica", "--against", "legacy", "--no-ask"); code != cli.ExitFindings {
		t.Errorf("verify replica against legacy: exit %d, want 1 (its planted faults)\n%s", code, out)
	}
	runs, err := s.Verifications(ctx, "replica", 0)
	if err != nil || len(runs) != 1 || runs[0].Survey != 1 || runs[0].Against != "legacy@1" || runs[0].Failed == 0 {
		t.Errorf("replica's verification: %+v %v", runs, err)
	}
	code, out = trowel("log", "--format", "json", "--limit", "2")
	var last []store.AuditEntry
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &last) != nil || len(last) != 2 || last[0].Action != "verify" || last[1].Action != "report" {
		t.Errorf("log: exit %d\n%s", code, out)
	}
}

// unusedLabAddr is an address of the lab's network that no host has: nothing
// answers there, not even with a refusal.
func unusedLabAddr(t *testing.T, lab *labtest.Lab) string {
	used := map[string]bool{lab.Gateway: true}
	for _, h := range lab.Hosts {
		used[h.Addr] = true
	}
	for i := 250; i < 255; i++ {
		if a := fmt.Sprintf("10.231.0.%d", i); !used[a] {
			return a
		}
	}
	t.Fatal("no unused address in 10.231.0.250-254")
	return ""
}

// listenIn listens on addr inside the network namespace of a lab host, and keeps
// every connection it accepts open without a word until the test ends: a host
// whose sshd hangs. The socket is made by a thread moved into that namespace and
// never moved back (it ends with its goroutine, as Go does with a locked thread).
func listenIn(t *testing.T, netns, addr string) net.Listener {
	t.Helper()
	type result struct {
		ln  net.Listener
		err error
	}
	ch := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		f, err := os.Open(filepath.Join("/run/netns", netns))
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{err: fmt.Errorf("entering %s: %w", netns, err)}
			return
		}
		ln, err := net.Listen("tcp", addr)
		ch <- result{ln, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatalf("a hanging host in %s: %v", netns, r.err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := r.ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		r.ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return r.ln
}
