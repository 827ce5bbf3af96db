package e2e

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/trowel-dev/trowel/internal/estate"
	"github.com/trowel-dev/trowel/internal/labtest"
)

// TestMapOfTheLab surveys every lab host and maps them with trowel map, as a user
// does: legacy's dependencies on the collector (syslog, the log shipper, the mail
// relay through a name only its /etc/hosts knows) with their evidence, the
// collector a host of the estate, the machine the surveys came from outside it,
// no edge without evidence, and waves in which the collector moves before legacy.
func TestMapOfTheLab(t *testing.T) {
	lab := labtest.Require(t)
	bin := trowelBinary(t)
	if code, out := runTrowel(t, bin, "map", "--help"); code != 0 {
		t.Skipf("trowel has no map command: %s", out)
	}
	dir := t.TempDir()
	args := []string{"map", "--format", "json"}
	for _, name := range lab.HostNames() {
		file := filepath.Join(dir, name+".json")
		code, out := runTrowel(t, bin, "survey", lab.Hosts[name].URL("root"), "--identity", lab.KeyFile,
			"--known-hosts", lab.KnownHosts, "--ssh-config", "none", "-o", file)
		if code != 0 {
			t.Fatalf("survey %s: exit %d\n%s", name, code, out)
		}
		args = append(args, "lab="+file)
	}
	code, out := runTrowel(t, bin, args...)
	if code != 0 {
		t.Fatalf("trowel map: exit %d\n%s", code, out)
	}
	var m estate.Map
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("map JSON: %v\n%.2000s", err, out)
	}
	host := map[string]estate.Host{}
	byName := map[string]string{}
	for _, h := range m.Hosts {
		host[h.ID] = h
		byName[h.Hostname] = h.ID
	}
	legacy, collector := byName["legacy"], byName["collector"]
	if legacy == "" || collector == "" {
		t.Fatalf("legacy or collector missing from the hosts: %+v", m.Hosts)
	}

	type key struct {
		to   string
		port int
	}
	fromLegacy := map[key]estate.Edge{}
	for _, e := range m.Edges {
		if len(e.Evidence) == 0 {
			t.Errorf("edge %s has no evidence", e.ID)
		}
		if e.From.Known && e.From.Host == legacy {
			fromLegacy[key{e.To.ID(), e.Port}] = e
		}
	}
	hasEvidence := func(e estate.Edge, kind, source string) bool {
		return slices.ContainsFunc(e.Evidence, func(ev estate.Evidence) bool {
			return ev.Kind == kind && (source == "" || ev.Source == source)
		})
	}
	syslog := fromLegacy[key{collector, 514}]
	if !syslog.To.Known || !hasEvidence(syslog, "config", "/etc/rsyslog.d/60-forward.conf:2") || !hasEvidence(syslog, "connection", "") {
		t.Errorf("legacy -> collector syslog:514: %+v", syslog)
	}
	forward := fromLegacy[key{collector, 24224}]
	if !hasEvidence(forward, "config", "/etc/logship.conf:5") || !hasEvidence(forward, "connection", "") {
		t.Errorf("legacy -> collector :24224 (logship): %+v", forward)
	}
	relay := fromLegacy[key{collector, 25}]
	if !slices.ContainsFunc(relay.Evidence, func(ev estate.Evidence) bool {
		return ev.Kind == "config" && ev.Named == "mailrelay.example.co.jp" && ev.Resolved != nil && ev.Resolved.By == "hosts_file"
	}) {
		t.Errorf("legacy -> collector smtp:25 through /etc/hosts: %+v", relay)
	}
	// Nothing invented: legacy depends on the collector only, on the ports its
	// configs name (NFS is fstab's mount of the collector's export).
	for k, e := range fromLegacy {
		if k.to != collector || !slices.Contains([]int{25, 514, 2049, 24224}, k.port) {
			t.Errorf("unexpected edge from legacy: %s -> %s %s:%s", legacy, k.to, e.Service, strconv.Itoa(k.port))
		}
	}

	// The collector is a host of the estate. (The surveys' own SSH sessions, from the
	// lab machine, are no clients at all: the survey leaves itself out.)
	for _, p := range m.Outside {
		if p.Address == lab.Hosts["collector"].Addr {
			t.Errorf("the collector is listed outside the estate: %+v", p)
		}
	}
	if host[collector].Wave >= host[legacy].Wave {
		t.Errorf("collector moves in wave %d, legacy in %d: legacy depends on it", host[collector].Wave, host[legacy].Wave)
	}
}
