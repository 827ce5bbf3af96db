package estate

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestLabMap checks the map of the lab estate edge by edge: the edges that exist,
// each with the evidence that shows it, and no other.
func TestLabMap(t *testing.T) {
	m := Build(lab(t))
	want := []string{
		"h-app2 -> h-collector syslog:514",
		"h-app2 -> h-collector nfs:2049",
		"h-app2 -> h-collector fluentd forward:24224",
		"h-app2 -> h-db mysql:3306",
		"h-app2 -> o-mailrelay-example-co-jp smtp:25",
		"h-backup -> h-collector syslog:514",
		"h-backup -> h-db mysql:3306",
		"h-db -> h-backup rsync:873",
		"h-db -> h-collector syslog:514",
		"h-legacy -> h-collector smtp:25",
		"h-legacy -> h-collector syslog:514",
		"h-legacy -> h-collector nfs:2049",
		"h-legacy -> h-collector fluentd forward:24224",
		"h-legacy -> h-db mysql:3306",
		"h-legacy -> o-ntp-nict-jp ntp:123",
		"h-stg -> h-collector smtp:25",
		"h-stg -> h-collector syslog:514",
		"h-stg -> h-collector nfs:2049",
		"h-stg -> h-collector fluentd forward:24224",
		"o-10-231-0-1 -> h-legacy ssh:22",
	}
	if got := strings.Split(strings.TrimSpace(describe(m)), "\n"); !slices.Equal(got, want) {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The application server to its database: named in database.yml by FQDN,
	// observed from both ends over the window.
	e, ok := edgeBetween(m, "legacy", "db", 3306)
	if !ok {
		t.Fatal("no legacy -> db edge")
	}
	kinds := map[string]Evidence{}
	for _, ev := range e.Evidence {
		kinds[ev.Kind] = ev
	}
	if cfg := kinds[kindConfig]; cfg.Source != "/var/www/redmine/config/database.yml" || cfg.Named != "db.trowel.test" ||
		cfg.Resolved == nil || cfg.Resolved.By != byFQDN || cfg.Host != "h-legacy" || cfg.Via != viaDatabase {
		t.Errorf("config evidence of legacy -> db: %+v", cfg)
	}
	if conn := kinds[kindConnection]; conn.Source != "cmd:ss" || conn.FirstSeen == nil || conn.LastSeen == nil || conn.Samples != 288 || conn.Host != "h-legacy" {
		t.Errorf("connection evidence of legacy -> db: %+v", conn)
	}
	if cl := kinds[kindClient]; cl.Host != "h-db" || cl.Named != "10.231.0.10" || cl.FirstSeen == nil {
		t.Errorf("client evidence of legacy -> db: %+v", cl)
	}
	if !e.From.Known || !e.To.Known || e.Listening == nil || !*e.Listening || e.PortAssumed {
		t.Errorf("legacy -> db: %+v", e)
	}
	// app2 names the database by address only, without a port, and was not seen
	// connected: one config line, the standard port.
	if e, _ := edgeBetween(m, "app2", "db", 3306); len(e.Evidence) != 1 || !e.PortAssumed || e.Evidence[0].Named != "10.231.0.50" {
		t.Errorf("app2 -> db: %+v", e)
	}

	// Every host sends its logs to the collector, which is a host of the estate.
	for _, h := range []string{"legacy", "app2", "db", "backup", "stg"} {
		e, ok := edgeBetween(m, h, "collector", 514)
		if !ok || !e.To.Known || e.Service != "syslog" {
			t.Errorf("%s -> collector syslog: %+v", h, e)
			continue
		}
		if !slices.ContainsFunc(e.Evidence, func(ev Evidence) bool {
			return ev.Kind == kindConfig && ev.Source == "/etc/rsyslog.d/60-forward.conf:2" && ev.Via == viaLogShipper
		}) {
			t.Errorf("%s -> collector syslog lacks rsyslog's forwarding line: %+v", h, e.Evidence)
		}
	}
	if slices.ContainsFunc(m.Outside, func(p Peer) bool { return p.Address == "10.231.0.40" }) {
		t.Error("the collector is listed outside the estate")
	}

	// The relay: a name only legacy's /etc/hosts knows resolves through that line
	// for legacy, and stays outside for app2, whose /etc/hosts lacks it.
	relay, ok := edgeBetween(m, "legacy", "collector", 25)
	if !ok || len(relay.Evidence) != 1 {
		t.Fatalf("legacy -> collector smtp: %+v", relay)
	}
	if r := relay.Evidence[0].Resolved; r == nil || r.By != byHostsFile || r.Source != "/etc/hosts:10" || r.Address != "10.231.0.40" ||
		relay.Evidence[0].Source != "/etc/postfix/main.cf:41" || relay.Evidence[0].Named != "mailrelay.example.co.jp" {
		t.Errorf("legacy's relay evidence: %+v %+v", relay.Evidence[0], r)
	}
	if e, ok := edgeBetween(m, "app2", "mailrelay.example.co.jp", 25); !ok || e.To.Known {
		t.Errorf("app2's relay should stay outside: %+v", e)
	}
	out := map[string]Peer{}
	for _, p := range m.Outside {
		out[p.Address] = p
	}
	if p := out["mailrelay.example.co.jp"]; !p.Unresolved || !slices.Equal(p.Users, []string{"h-app2"}) || !slices.Equal(p.Services, []string{"smtp"}) {
		t.Errorf("outside relay: %+v", p)
	}
	if p := out["10.231.0.1"]; p.Unresolved || !slices.Equal(p.Clients, []string{"h-legacy"}) || !slices.Contains(p.Names, "gateway.trowel.test") {
		t.Errorf("outside gateway: %+v", p)
	}
	if _, ok := out["127.127.1.0"]; ok {
		t.Error("ntpd's local clock (127.127.1.0) is listed outside")
	}
	if len(out) != 3 {
		t.Errorf("outside: %+v", m.Outside)
	}
}

// TestLabWaves checks the waves of the lab estate: the collector first, the
// database and its backup host together (a cycle), the two application servers
// together (one application, one database), staging last.
func TestLabWaves(t *testing.T) {
	m := Build(lab(t))
	var got []string
	for _, w := range m.Waves {
		var kinds []string
		for _, r := range w.Reasons {
			kinds = append(kinds, r.Kind)
		}
		got = append(got, fmt.Sprintf("%s after %v %s", strings.Join(w.Hosts, ","), w.After, strings.Join(kinds, ",")))
	}
	want := []string{
		"h-collector after [] ",
		"h-db,h-backup after [1] cycle",
		"h-legacy,h-app2 after [1 2] shared_data,application",
		"h-stg after [1] ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("waves:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cycle := m.Waves[1].Reasons[0]
	if !slices.Equal(cycle.What, []string{"backup → db mysql:3306", "db → backup rsync:873"}) {
		t.Errorf("cycle: %+v", cycle)
	}
	// Rolling the database wave back means pointing both application servers
	// back through the lines that name it, and copying the database back.
	rb := m.Waves[1].Rollback
	if len(rb.Repoint) != 2 || rb.Repoint[0].End.Host != "h-app2" || !slices.Equal(rb.Repoint[0].Sources, []string{"/var/www/redmine/config/database.yml"}) ||
		!slices.Equal(rb.Data, []string{"mariadb redmine @ db"}) {
		t.Errorf("rollback of the database wave: %+v", rb)
	}
	for _, h := range m.Hosts {
		if h.Wave == 0 || !slices.Contains(m.Waves[h.Wave-1].Hosts, h.ID) {
			t.Errorf("%s is in wave %d, which does not list it", h.Name, h.Wave)
		}
	}
	assertWavesOrdered(t, m)
}

// TestLabDuplicates checks the work the two production application servers both
// do: their cron jobs and the services beyond those every host runs; staging's
// copies of the same jobs are not duplicates.
func TestLabDuplicates(t *testing.T) {
	m := Build(lab(t))
	var got []string
	for _, d := range m.Duplicates {
		var hosts []string
		for _, p := range d.Where {
			hosts = append(hosts, p.Host)
		}
		if d.Group != "production" {
			t.Errorf("duplicate outside production: %+v", d)
		}
		got = append(got, d.Kind+" "+d.What+" "+strings.Join(hosts, ","))
	}
	for _, w := range []string{
		"cron /var/www/redmine/script/rotate-attachments.sh >/dev/null 2>&1 h-legacy,h-app2",
		"cron /usr/local/bin/check-redmine.sh h-legacy,h-app2",
		"service apache h-legacy,h-app2",
	} {
		if !slices.Contains(got, w) {
			t.Errorf("missing duplicate %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
	for _, g := range got {
		// Packaged jobs and every host's own services are nobody's duplicate.
		if strings.Contains(g, "e2scrub") || strings.Contains(g, "run-parts") || strings.HasPrefix(g, "service ssh") ||
			strings.HasPrefix(g, "service syslog") || strings.HasPrefix(g, "service cron") || strings.Contains(g, "h-stg") {
			t.Errorf("not a duplicate: %s", g)
		}
	}
}

// assertWavesOrdered holds a map's waves to the rule: every host in exactly one
// wave, and every edge that orders waves going from a later wave to an earlier
// one (or staying inside one), with After naming exactly those waves.
func assertWavesOrdered(t *testing.T, m *Map) {
	t.Helper()
	wave := map[string]int{}
	for _, w := range m.Waves {
		for _, h := range w.Hosts {
			if _, dup := wave[h]; dup {
				t.Errorf("%s in two waves", h)
			}
			wave[h] = w.Number
		}
	}
	if len(wave) != len(m.Hosts) {
		t.Errorf("%d hosts in waves, %d hosts", len(wave), len(m.Hosts))
	}
	after := map[int][]int{}
	for _, e := range m.Edges {
		if !e.From.Known || !e.To.Known || !ordersWaves(e) {
			continue
		}
		f, to := wave[e.From.Host], wave[e.To.Host]
		if f < to {
			t.Errorf("%s (wave %d) moves before %s (wave %d), which it depends on", e.From.Host, f, e.To.Host, to)
		}
		if f != to && !slices.Contains(after[f], to) {
			after[f] = append(after[f], to)
		}
	}
	for _, w := range m.Waves {
		slices.Sort(after[w.Number])
		if !slices.Equal(w.After, after[w.Number]) {
			t.Errorf("wave %d is after %v, its edges say %v", w.Number, w.After, after[w.Number])
		}
		for _, a := range w.After {
			if m.Waves[a-1].Layer >= w.Layer {
				t.Errorf("wave %d (layer %d) after wave %d (layer %d)", w.Number, w.Layer, a, m.Waves[a-1].Layer)
			}
		}
	}
}

// TestGapsAreSaid: a host surveyed offline has no observed connections; the map
// says so for that host instead of reading the absence as "talks to nobody".
func TestGapsAreSaid(t *testing.T) {
	offline := bare("old", "", "10.0.0.1")
	offline.Coverage[snapshot.SectionConns] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "offline"}
	delete(offline.Coverage, snapshot.SectionStorage)
	m := Build([]Named{{Snapshot: offline}})
	got := fmt.Sprint(m.Hosts[0].Gaps)
	if want := "[{connections unavailable offline} {storage unknown }]"; got != want {
		t.Errorf("gaps %s, want %s", got, want)
	}
	var b strings.Builder
	if err := Write(&b, m, "md", "en", fixedTime); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| old | `connections` | unavailable | offline |") || !strings.Contains(b.String(), "not recorded in the snapshot") {
		t.Errorf("the document does not say what was not collected:\n%s", b.String())
	}
	if err := Write(&b, m, "pdf", "en", fixedTime); err == nil {
		t.Error("an unknown format is written")
	}
}
