package store

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// backends are the two stores every test runs against.
var backends = []struct {
	name string
	dsn  func(t testing.TB) string
}{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "trowel.db") }},
	{"postgres", pgtest.DSN},
}

// forEachBackend runs test once per backend, each with a new, empty store.
func forEachBackend(t *testing.T, test func(t *testing.T, open func(...Option) *Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.dsn(t)
			test(t, func(opts ...Option) *Store {
				t.Helper()
				s, err := Open(context.Background(), dsn, opts...)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	}
}

var recordedAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func pinned() Option { return WithClock(func() time.Time { return recordedAt }) }

func readSnapshot(t testing.TB, path string) *snapshot.Snapshot {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// legacy is the lab's legacy host, surveyed over SSH as root.
func legacy(t testing.TB) *snapshot.Snapshot {
	return readSnapshot(t, "../report/testdata/legacy.json")
}

// centos5 is an offline CentOS 5 root with the evidence it was read from.
func centos5(t testing.TB) (*snapshot.Snapshot, []byte) {
	t.Helper()
	ev, err := os.ReadFile("testdata/centos5.evidence.gz")
	if err != nil {
		t.Fatal(err)
	}
	return readSnapshot(t, "testdata/centos5.json"), ev
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var operator = Operator{User: "ops", Host: "jump1", TrowelVersion: "0.1.0-test", Command: "trowel survey ssh://root@legacy --sudo"}

func record(t testing.TB, s *Store, sv Survey) SurveyInfo {
	t.Helper()
	if sv.Operator == (Operator{}) {
		sv.Operator = operator
	}
	info, err := s.RecordSurvey(context.Background(), sv)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRecordAndResolve(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		leg := legacy(t)
		c5, ev := centos5(t)
		li := record(t, s, Survey{Snapshot: leg})
		ci := record(t, s, Survey{Snapshot: c5, Evidence: ev, Outcome: "partial"})
		if li.Host != "legacy.trowel.test" || li.Seq != 1 || ci.Host != "www01.example.co.jp" || ci.Seq != 1 {
			t.Fatalf("recorded as %s and %s", li.Ref(), ci.Ref())
		}

		// By its name, its short name, its host name, in any case.
		for _, ref := range []string{"legacy.trowel.test", "legacy", "LEGACY", "legacy@1", "legacy@2026-11-21"} {
			got, info, err := s.Resolve(ctx, ref)
			if err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			if info.Ref() != "legacy.trowel.test@1" {
				t.Errorf("%s resolved to %s", ref, info.Ref())
			}
			if mustJSON(t, got) != mustJSON(t, leg) {
				t.Errorf("%s: the stored snapshot is not the one recorded", ref)
			}
		}
		_, info, err := s.Resolve(ctx, "www01")
		if err != nil {
			t.Fatal(err)
		}
		if want := "www01.example.co.jp@1, surveyed 2026-12-07 02:38 UTC (root internal/report/testdata/centos5)"; info.Describe() != want {
			t.Errorf("Describe: %q, want %q", info.Describe(), want)
		}

		// The evidence comes back as collected (decompressed), the findings as
		// analyze made them.
		gotEv, err := s.Evidence(ctx, info)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotEv, gunzip(t, ev)) {
			t.Error("the stored evidence is not the one recorded")
		}
		if _, err := s.Evidence(ctx, li); !isNotFound(err) {
			t.Errorf("evidence of a survey recorded without: %v", err)
		}
		f, err := s.Findings(ctx, li)
		if err != nil {
			t.Fatal(err)
		}
		if want := analyze.Analyze(leg, "en"); mustJSON(t, f) != mustJSON(t, want) || len(want) == 0 {
			t.Errorf("stored findings differ from analyze's (%d stored, %d made)", len(f), len(want))
		}

		// The audit trail says who recorded each, and how it ended.
		log, err := s.AuditLog(ctx, AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Host != "www01.example.co.jp" || log[0].Survey != 1 || log[0].Outcome != "partial" ||
			log[1].Outcome != "ok" || log[1].Operator != operator || !log[1].At.Equal(recordedAt) || log[1].Action != "survey" ||
			log[1].Target != leg.Source.Target {
			t.Errorf("audit log: %+v", log)
		}
	})
}

func isNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// drifted is the legacy host a week later: Apache upgraded, a cron job gone.
func drifted(t testing.TB) *snapshot.Snapshot {
	s := legacy(t)
	s.CollectedAt = s.CollectedAt.AddDate(0, 0, 7)
	for i := range s.Packages {
		if s.Packages[i].Name == "apache2" {
			s.Packages[i].Version += "+u1"
		}
	}
	s.CronJobs = s.CronJobs[1:]
	return s
}

func TestHistoryAndReferences(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		first, later := legacy(t), drifted(t)
		record(t, s, Survey{Snapshot: first})
		record(t, s, Survey{Snapshot: later})
		// A snapshot recorded late (taken before both) is numbered as recorded
		// but does not become the latest.
		earlier := legacy(t)
		earlier.CollectedAt = earlier.CollectedAt.AddDate(0, 0, -30)
		record(t, s, Survey{Snapshot: earlier})

		h, hist, err := s.History(ctx, "legacy")
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "legacy.trowel.test" || h.Surveys != 3 || len(hist) != 3 {
			t.Fatalf("history of %+v: %d surveys", h, len(hist))
		}
		for i, want := range []time.Time{first.CollectedAt, later.CollectedAt, earlier.CollectedAt} {
			if hist[i].Seq != i+1 || !hist[i].CollectedAt.Equal(want) || hist[i].Operator == nil || *hist[i].Operator != operator {
				t.Errorf("history[%d] = %s collected %s by %+v, want @%d collected %s", i, hist[i].Ref(), hist[i].CollectedAt, hist[i].Operator, i+1, want)
			}
		}

		day := func(t time.Time) string { return t.Format("2006-01-02") }
		cases := map[string]*snapshot.Snapshot{
			"legacy":                             later,
			"legacy@1":                           first,
			"legacy@2":                           later,
			"legacy@3":                           earlier,
			"legacy@" + day(first.CollectedAt):   first,
			"legacy@" + day(later.CollectedAt):   later,
			"legacy@" + day(earlier.CollectedAt): earlier,
			"legacy@" + day(later.CollectedAt.AddDate(1, 0, 0)): later,
		}
		for ref, want := range cases {
			got, _, err := s.Resolve(ctx, ref)
			if err != nil {
				t.Errorf("%s: %v", ref, err)
				continue
			}
			if !got.CollectedAt.Equal(want.CollectedAt) || mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("%s gave the survey collected %s, want %s", ref, got.CollectedAt, want.CollectedAt)
			}
		}
		// What changed between two looks is there to diff.
		a, _, _ := s.Resolve(ctx, "legacy@1")
		b, _, _ := s.Resolve(ctx, "legacy@2")
		if len(a.CronJobs) != len(b.CronJobs)+1 {
			t.Errorf("cron jobs %d then %d", len(a.CronJobs), len(b.CronJobs))
		}

		for ref, want := range map[string]string{
			"legacy@4": "legacy.trowel.test has 3 surveys; there is no legacy.trowel.test@4",
			"legacy@" + day(earlier.CollectedAt.AddDate(0, 0, -1)): "legacy.trowel.test has no survey on or before " + day(earlier.CollectedAt.AddDate(0, 0, -1)),
			"nosuch": `no host "nosuch" in the store`,
		} {
			_, _, err := s.Resolve(ctx, ref)
			if !isNotFound(err) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want not found: %s", ref, err, want)
			}
		}
	})
}

func TestParseRef(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]Ref{
		"legacy":            {Host: "legacy"},
		"legacy@2":          {Host: "legacy", Seq: 2},
		"legacy@2026-11-01": {Host: "legacy", Day: day},
		"web.example.com@1": {Host: "web.example.com", Seq: 1},
	} {
		got, err := ParseRef(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseRef(%q) = %+v, %v (%q)", in, got, err, got.String())
		}
	}
	for _, bad := range []string{"", "@2", "legacy@", "legacy@0", "legacy@-1", "legacy@+2", "legacy@2026-13-01", "admin@legacy", "legacy@last"} {
		if r, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) = %+v, want an error", bad, r)
		}
	}
}

func TestHostsListsSummaries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		if hs, err := s.Hosts(ctx); err != nil || len(hs) != 0 {
			t.Fatalf("empty store: %v, %v", hs, err)
		}
		c5, ev := centos5(t)
		record(t, s, Survey{Snapshot: c5, Evidence: ev, Inventory: Inventory{Name: "www01", Group: "web"}})
		record(t, s, Survey{Snapshot: legacy(t)})
		record(t, s, Survey{Snapshot: drifted(t)})

		hs, err := s.Hosts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 2 || hs[0].Name != "legacy.trowel.test" || hs[1].Name != "www01" {
			t.Fatalf("hosts: %s", mustJSON(t, hs))
		}
		leg, www := hs[0], hs[1]
		if leg.Surveys != 2 || leg.Latest == nil || leg.Latest.Seq != 2 || leg.Group != "" {
			t.Errorf("legacy: %s", mustJSON(t, leg))
		}
		if www.InventoryName != "www01" || www.Group != "web" || www.FQDN != "" || www.Hostname != "www01.example.co.jp" {
			t.Errorf("www01: %s", mustJSON(t, www))
		}
		for _, tc := range []struct {
			h    Host
			snap *snapshot.Snapshot
			os   string
			eol  EOLSummary
		}{
			{leg, drifted(t), "Debian GNU/Linux 11 (bullseye)", EOLSummary{Status: "eol", Date: "2024-08-14"}},
			{www, c5, "CentOS release 5.11 (Final)", EOLSummary{Status: "eol", Date: "2017-03-31"}},
		} {
			sum := tc.h.Latest.Summary
			if sum.OS != tc.os || sum.EndOfLife != tc.eol {
				t.Errorf("%s: os %q, end of life %+v", tc.h.Name, sum.OS, sum.EndOfLife)
			}
			// The counts are the snapshot's and its findings', as recorded.
			want := summarize(tc.snap, analyze.Analyze(tc.snap, "en"))
			if !reflect.DeepEqual(sum, want) {
				t.Errorf("%s: summary %+v, want %+v", tc.h.Name, sum, want)
			}
			if sum.Coverage.Sections() != len(snapshot.Sections) || sum.Coverage.Collected == 0 || sum.Findings.High == 0 {
				t.Errorf("%s: coverage %+v, findings %+v", tc.h.Name, sum.Coverage, sum.Findings)
			}
		}
		if c := www.Latest.Coverage; c.Unavailable == 0 || c.Partial == 0 {
			t.Errorf("an offline root has sections it could not read: %+v", c)
		}
	})
}

// host is a bare snapshot of a host with these names, collected at.
func host(hostname, fqdn string, at time.Time) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		CollectedAt:   at,
		Source:        snapshot.Source{Kind: "ssh", Target: "ssh://" + cmp.Or(fqdn, hostname)},
		Host:          snapshot.Host{Hostname: hostname, FQDN: fqdn},
	}
}

func TestHostNames(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		record(t, s, Survey{Snapshot: host("web", "web.a.example", t0)})
		record(t, s, Survey{Snapshot: host("web", "web.b.example", t0)})
		record(t, s, Survey{Snapshot: host("db1", "db1.a.example", t0), Inventory: Inventory{Name: "web", Group: "legacy-db"}})

		// "web" is the inventory's name of db1: a host's own name wins over
		// others' short names.
		if h, err := s.FindHost(ctx, "web"); err != nil || h.FQDN != "db1.a.example" {
			t.Errorf("web: %+v, %v", h, err)
		}
		if h, err := s.FindHost(ctx, "Web.B.Example"); err != nil || h.Name != "web.b.example" {
			t.Errorf("Web.B.Example: %+v, %v", h, err)
		}
		if h, err := s.FindHost(ctx, "db1"); err != nil || h.Name != "web" || h.Group != "legacy-db" {
			t.Errorf("db1: %+v, %v", h, err)
		}

		// Two hosts share a short name: say which, never pick one.
		record(t, s, Survey{Snapshot: host("app", "app.a.example", t0)})
		record(t, s, Survey{Snapshot: host("app", "app.b.example", t0), Inventory: Inventory{Name: "app-b", Group: "dmz"}})
		_, _, err := s.Resolve(ctx, "app@1")
		var amb *AmbiguousError
		if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
			t.Fatalf("app: %v", err)
		}
		want := `"app" matches 2 hosts in the store: app-b (FQDN app.b.example, group dmz); app.a.example; give the name trowel hosts shows`
		if err.Error() != want {
			t.Errorf("ambiguity:\n %s\nwant\n %s", err, want)
		}
	})
}

// TestIdentityFollowsTheHost: a host surveyed by hand and later through an
// inventory is one host with one history, known by the inventory's name.
func TestIdentityFollowsTheHost(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		leg := legacy(t)
		record(t, s, Survey{Snapshot: leg})
		i2 := record(t, s, Survey{Snapshot: drifted(t), Inventory: Inventory{Name: "redmine-old", Group: "web"}})
		i3 := record(t, s, Survey{Snapshot: leg})
		if i2.Ref() != "redmine-old@2" || i3.Ref() != "redmine-old@3" {
			t.Errorf("recorded as %s, %s", i2.Ref(), i3.Ref())
		}
		hs, err := s.Hosts(ctx)
		if err != nil || len(hs) != 1 || hs[0].Name != "redmine-old" || hs[0].Surveys != 3 {
			t.Fatalf("hosts: %s, %v", mustJSON(t, hs), err)
		}
		// Its old name still finds it: the FQDN.
		if _, info, err := s.Resolve(ctx, "legacy.trowel.test@1"); err != nil || info.Ref() != "redmine-old@1" {
			t.Errorf("by FQDN: %v %v", info.Ref(), err)
		}

		// A survey that found no name needs the inventory's.
		if _, err := s.RecordSurvey(ctx, Survey{Snapshot: host("", "", leg.CollectedAt), Operator: operator}); err == nil ||
			!strings.Contains(err.Error(), "no host name") {
			t.Errorf("nameless survey: %v", err)
		}
		if i := record(t, s, Survey{Snapshot: host("", "", leg.CollectedAt), Inventory: Inventory{Name: "box7"}}); i.Ref() != "box7@1" {
			t.Errorf("nameless survey with an inventory name: %s", i.Ref())
		}
	})
}

const marker = "hunter2-SECRET"

// TestScrubEveryWrite: every blob, and every text made from one, passes the scrub
// before it is written; what the store holds has no trace of what it removed.
func TestScrubEveryWrite(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		var mu sync.Mutex
		var seen []string
		scrub := func(b []byte) []byte {
			mu.Lock()
			defer mu.Unlock()
			kind := "text"
			switch {
			case bytes.HasPrefix(b, []byte("TROWEL-EVIDENCE/")):
				kind = "evidence"
			case bytes.HasPrefix(bytes.Join(bytes.Fields(b[:min(len(b), 40)]), nil), []byte(`{"schema_version"`)):
				kind = "snapshot"
			case bytes.HasPrefix(b, []byte(`[`)):
				kind = "findings"
			}
			seen = append(seen, kind)
			return bytes.ReplaceAll(b, []byte(marker), []byte("<redacted>"))
		}
		s := open(pinned(), WithScrub(scrub))

		snap, ev := centos5(t)
		snap.Source.Target = "ssh://admin:" + marker + "@www01"
		snap.CronJobs[0].Command = "mysqldump -p" + marker + " redmine"
		snap.EndOfLife[0].Version = marker // reaches a finding's args and title
		ev = append(gunzip(t, ev), []byte("\ntw1 B cmd 10 leaked\nexport PGPASSWORD="+marker+"\n")...)
		op := operator
		op.Command = "trowel survey --password " + marker + " www01"
		info := record(t, s, Survey{Snapshot: snap, Evidence: ev, Operator: op})
		if _, err := s.Audit(ctx, AuditEntry{Operator: op, Action: "survey", Target: "ssh://ops:" + marker + "@www02",
			Outcome: "failed: sudo said " + marker}); err != nil {
			t.Fatal(err)
		}
		// Each blob once (the evidence's beside the snapshot's and the findings',
		// which are made from the scrubbed snapshot), then the audit entries'
		// command, target and outcome.
		rest := slices.DeleteFunc(slices.Clone(seen), func(k string) bool { return k == "evidence" })
		if want := []string{"snapshot", "findings", "text", "text", "text", "text", "text", "text"}; !reflect.DeepEqual(rest, want) ||
			len(seen) < 3 || !slices.Contains(seen[:3], "evidence") || len(seen) != len(rest)+1 {
			t.Errorf("the scrub saw %v, want the snapshot, the findings and the evidence (in any order), then six texts", seen)
		}

		// Nothing of the marker anywhere in the database: every blob (after
		// decompression) and every text column of every table.
		rows, err := s.r.QueryContext(ctx, "SELECT kind, data FROM blobs")
		if err != nil {
			t.Fatal(err)
		}
		blobs := 0
		for rows.Next() {
			var kind string
			var data []byte
			if err := rows.Scan(&kind, &data); err != nil {
				t.Fatal(err)
			}
			blobs++
			if plain := gunzip(t, data); bytes.Contains(plain, []byte(marker)) {
				t.Errorf("the stored %s holds the secret", kind)
			} else if !bytes.Contains(plain, []byte("redacted")) {
				t.Errorf("the stored %s was not the scrubbed one", kind)
			}
		}
		rows.Close()
		if blobs != 3 {
			t.Errorf("%d blobs stored, want 3", blobs)
		}
		for _, table := range []string{"hosts", "surveys", "findings", "audit"} {
			if dump := dumpTable(t, s, table); strings.Contains(dump, marker) {
				t.Errorf("table %s holds the secret:\n%s", table, dump)
			}
		}
		if hist := mustHistory(t, s, "www01"); hist[0].SourceTarget != "ssh://admin:<redacted>@www01" {
			t.Errorf("source target %q", hist[0].SourceTarget)
		}
		log, _ := s.AuditLog(ctx, AuditFilter{})
		if len(log) != 2 || log[0].Operator.Command != "trowel survey --password <redacted> www01" ||
			log[0].Target != "ssh://ops:<redacted>@www02" || log[0].Outcome != "failed: sudo said <redacted>" {
			t.Errorf("audit: %+v", log)
		}
		_ = info

		// A scrub that breaks a snapshot's JSON stores nothing.
		broken := open(WithScrub(func(b []byte) []byte { return b[:len(b)/2] }))
		if _, err := broken.RecordSurvey(ctx, Survey{Snapshot: legacy(t), Operator: operator}); err == nil || !strings.Contains(err.Error(), "not stored") {
			t.Errorf("broken scrub: %v", err)
		}
		if hs, _ := broken.Hosts(ctx); len(hs) != 1 {
			t.Errorf("a refused survey left hosts behind: %d hosts", len(hs))
		}
	})
}

func mustHistory(t testing.TB, s *Store, name string) []SurveyInfo {
	t.Helper()
	_, hist, err := s.History(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return hist
}

// dumpTable renders every row of a table as text.
func dumpTable(t testing.TB, s *Store, table string) string {
	t.Helper()
	rows, err := s.r.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v\t", v)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestAuditIsAppendOnly(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		record(t, s, Survey{Snapshot: legacy(t)})
		failed, err := s.Audit(ctx, AuditEntry{Operator: operator, Action: "survey", Target: "ssh://legacy", Host: "legacy.trowel.test", Outcome: "failed: host key changed"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Audit(ctx, AuditEntry{Operator: operator, Action: "survey", Target: "ssh://gone", Host: "gone", Outcome: "failed: no route to host"}); err != nil {
			t.Fatal(err)
		}
		log, err := s.AuditLog(ctx, AuditFilter{Host: "legacy"})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].ID != failed.ID || log[0].Host != "legacy.trowel.test" || log[0].Survey != 0 || log[1].Survey != 1 {
			t.Errorf("legacy's audit log: %s", mustJSON(t, log))
		}
		if all, _ := s.AuditLog(ctx, AuditFilter{Limit: 1}); len(all) != 1 || all[0].Target != "ssh://gone" || all[0].Host != "" {
			t.Errorf("newest entry: %s", mustJSON(t, all))
		}

		for _, stmt := range []string{"UPDATE audit SET outcome = 'ok'", "DELETE FROM audit", "DELETE FROM audit WHERE id = 1"} {
			if _, err := s.w.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", stmt, err)
			}
		}
		if s.Backend() == "postgres" {
			if _, err := s.w.ExecContext(ctx, "TRUNCATE audit CASCADE"); err == nil {
				t.Error("TRUNCATE audit was allowed")
			}
		}
		if after, _ := s.AuditLog(ctx, AuditFilter{}); len(after) != 3 || after[2].Outcome != "ok" {
			t.Errorf("the audit trail changed: %s", mustJSON(t, after))
		}
	})
}

func TestMigrations(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testMigrations(t, b.dsn(t)) })
	}
}

func testMigrations(t *testing.T, dsn string) {
	ctx := context.Background()
	// Opened by several at once, as a team's trowels will: the schema is
	// applied once.
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(ctx, dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
	}
	first := stores[0]
	for _, s := range stores {
		defer s.Close()
	}
	var n, v int
	if err := first.r.QueryRowContext(ctx, "SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	if n != len(migrations) || v != SchemaVersion {
		t.Errorf("schema_migrations: %d rows, version %d; want %d, %d", n, v, len(migrations), SchemaVersion)
	}

	// A store a newer trowel migrated is refused, not misread.
	if _, err := first.w.ExecContext(ctx, first.d.bind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		SchemaVersion+1, "from the future", first.clock()); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, dsn)
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Store != SchemaVersion+1 {
		t.Errorf("newer schema: %v", err)
	}
}

func TestConcurrentRecording(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		const workers, each = 6, 4
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					// Half the workers survey one shared host, the others one each.
					name := "shared.example"
					if w%2 == 1 {
						name = fmt.Sprintf("h%d.example", w)
					}
					snap := host(strings.SplitN(name, ".", 2)[0], name, time.Date(2026, 11, 1, w, i, 0, 0, time.UTC))
					if _, err := s.RecordSurvey(ctx, Survey{Snapshot: snap, Operator: operator}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		hist := mustHistory(t, s, "shared.example")
		if len(hist) != workers/2*each {
			t.Fatalf("shared host has %d surveys, want %d", len(hist), workers/2*each)
		}
		for i, h := range hist {
			if h.Seq != i+1 {
				t.Errorf("survey %d numbered %d", i, h.Seq)
			}
		}
		if hs, _ := s.Hosts(ctx); len(hs) != 1+workers/2 {
			t.Errorf("%d hosts, want %d", len(hs), 1+workers/2)
		}
		if log, _ := s.AuditLog(ctx, AuditFilter{}); len(log) != workers*each {
			t.Errorf("%d audit entries, want %d", len(log), workers*each)
		}
	})
}

func TestSQLiteFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "trowel.db")
	if _, err := Open(ctx, path, MustExist()); !errors.Is(err, ErrNoStore) {
		t.Errorf("MustExist on a missing store: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("MustExist created the store's directory")
	}
	for _, dsn := range []string{path, "sqlite:" + path, "file:" + path} {
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		if s.Backend() != "sqlite" || s.Location() != path {
			t.Errorf("%s: %s at %s", dsn, s.Backend(), s.Location())
		}
		var mode string
		if err := s.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal mode %q, %v", mode, err)
		}
		s.Close()
	}
	if _, err := Open(ctx, "mysql://db/trowel"); err == nil || !strings.Contains(err.Error(), "not mysql://") {
		t.Errorf("another database's URL: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the store is readable by others: %v", fi.Mode())
	}
}

func TestChoose(t *testing.T) {
	t.Setenv(Env, "")
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if got, _ := Choose(""); got != "/srv/data/trowel/trowel.db" {
		t.Errorf("default: %s", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/ops")
	if got, _ := Choose(""); got != "/home/ops/.local/share/trowel/trowel.db" {
		t.Errorf("default without XDG_DATA_HOME: %s", got)
	}
	t.Setenv(Env, "postgres://trowel@db/trowel")
	if got, _ := Choose(""); got != "postgres://trowel@db/trowel" {
		t.Errorf("from %s: %s", Env, got)
	}
	if got, _ := Choose("/tmp/x.db"); got != "/tmp/x.db" {
		t.Errorf("--store: %s", got)
	}
}

func TestPostgresLocationHidesPassword(t *testing.T) {
	s := &Store{}
	if err := s.openPostgres("postgres://trowel:s3cret@db.example/trowel"); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(s.Location(), "s3cret") || s.Backend() != "postgres" {
		t.Errorf("location %q", s.Location())
	}
}
