package sshfake

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/survey"
)

func recorded(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../store/testdata/centos5.evidence.gz")
	if err != nil {
		t.Fatal(err)
	}
	out, err := ProbeOutput(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func options(e *Estate, s *Server) remote.Options {
	return remote.Options{
		Target: "ssh://ops@" + s.Addr, ConfigFile: "none", KnownHostsFile: e.KnownHosts, IdentityFiles: []string{e.KeyFile},
		ConnectTimeout: 2 * time.Second, Timeout: 3 * time.Second,
	}
}

// Each behaviour, as trowel's own SSH collector meets it.
func TestBehaviours(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	e, err := NewEstate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ev, err := Renamed(recorded(t), "web7")
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[Behaviour]*Server{}
	for i, b := range []Behaviour{Answer, Silent, Stall, RefuseKey, Drop} {
		s, err := e.Add(Config{Behaviour: b, Evidence: ev, IP: "127.0.0." + string(rune('2'+i))}, false)
		if err != nil {
			t.Fatal(err)
		}
		hosts[b] = s
	}
	ctx := context.Background()

	res, err := collect.SSH(ctx, options(e, hosts[Answer]))
	if err != nil || res.Stopped() != nil {
		t.Fatalf("answer: %v %v", err, res.Stopped())
	}
	snap := survey.Run(res.Archive, res.Source, res.Raw)
	if snap.Host.Hostname != "web7" || snap.OS.ID != "centos" || snap.Source.Kind != "ssh" {
		t.Errorf("answer: host %q, os %q, source %+v", snap.Host.Hostname, snap.OS.ID, snap.Source)
	}
	// The probe is asked to run in halves (its stderr a second stream).
	if ex := hosts[Answer].Execs(); len(ex) != 1 || ex[0] != "/bin/sh -s "+probe.HalvesArg {
		t.Errorf("commands run: %q", ex)
	}

	res, err = collect.SSH(ctx, options(e, hosts[Drop]))
	if err != nil || res.Err == nil || !strings.Contains(res.Err.Error(), "closed after") || res.Archive.Complete {
		t.Errorf("drop: %v, %v", err, res)
	} else if s := survey.Run(res.Archive, res.Source, res.Raw); s.Host.Hostname != "web7" {
		t.Errorf("drop: what arrived names %q", s.Host.Hostname)
	}

	for b, want := range map[Behaviour]string{
		RefuseKey: "could not log in as ops@",
		Silent:    "no SSH answer from",
		Stall:     "did not finish within the time limit",
	} {
		start := time.Now()
		_, err := collect.SSH(ctx, options(e, hosts[b]))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", b, err, want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %s, past its time limits", b, d)
		}
	}
}

// Edit writes the probe's output back as the probe would have: decoded again, it
// holds the same items, and the edit.
func TestEditRoundTrip(t *testing.T) {
	orig := recorded(t)
	out, err := Edit(orig, func(a *evidence.Archive) { a.Header["epoch"] = "1800000000" })
	if err != nil {
		t.Fatal(err)
	}
	a, _ := evidence.DecodeBytes(orig)
	b, err := evidence.DecodeBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Complete || len(b.Items) != len(a.Items)-countMeta(a) || b.Header["epoch"] != "1800000000" || b.Header["uid"] != a.Header["uid"] {
		t.Fatalf("items %d→%d, complete %v, header %v", len(a.Items), len(b.Items), b.Complete, b.Header)
	}
	for _, it := range a.Items {
		if it.Kind == evidence.KindMeta {
			continue
		}
		got, ok := b.Get(it.ID())
		if !ok || string(got.Data) != string(it.Data) || got.Status != it.Status || got.Truncated != it.Truncated {
			t.Errorf("%s changed", it.ID())
		}
	}
}

func countMeta(a *evidence.Archive) int {
	n := 0
	for _, it := range a.Items {
		if it.Kind == evidence.KindMeta {
			n++
		}
	}
	return n
}
