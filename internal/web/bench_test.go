package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// The scale of a large estate: a thousand hosts, made from the lab's real
// snapshots with other names and addresses. Every host ships its logs to the
// collector (host 0) and relays mail through it by a name its /etc/hosts gives;
// every tenth host is a database the hosts after it use, named by address; one
// host in seven is the CentOS 5 root instead of the Debian lab host.
const scaleHosts = 1000

func scaleAddr(i int) string { return fmt.Sprintf("10.%d.%d.10", 100+i/250, i%250) }

// scaleEstate records the thousand hosts in st.
func scaleEstate(tb testing.TB, st *store.Store) {
	tb.Helper()
	leg, c5 := labLegacy(tb), readSnapshot(tb, "../store/testdata/centos5.json")
	groups := []string{"development", "staging", "production"}
	collector := scaleAddr(0)
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s := scaleHost(tb, i, leg, c5, collector)
				name := fmt.Sprintf("h%04d", i)
				if _, err := st.RecordSurvey(context.Background(), store.Survey{Snapshot: s, Inventory: store.Inventory{Name: name, Group: groups[i%len(groups)]},
					Operator: store.Operator{User: "bench", Host: "bench", TrowelVersion: "0.1.0-test", Command: "trowel survey -i estate.ini"}}); err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		}()
	}
	for i := range scaleHosts {
		work <- i
	}
	close(work)
	wg.Wait()
	if failed != nil {
		tb.Fatal(failed)
	}
}

// scaleHost is host i: a deep copy of legacy or the CentOS root, renamed and
// moved, pointed at the collector and its database.
func scaleHost(tb testing.TB, i int, leg, c5 *snapshot.Snapshot, collector string) *snapshot.Snapshot {
	src := leg
	if i%7 == 6 {
		src = c5
	}
	s := deepCopy(tb, src)
	name, addr := fmt.Sprintf("h%04d", i), scaleAddr(i)
	s.Host.Hostname, s.Host.FQDN = name, name+".estate.test"
	s.CollectedAt = testNow.Add(-time.Duration(i%90) * 24 * time.Hour)
	s.Source.Target = "root@" + addr + ":22"
	s.Network.Interfaces = []snapshot.Interface{{Name: "lo", Addresses: []string{"127.0.0.1/8"}}, {Name: "eth0", Addresses: []string{addr + "/16"}}}
	for j := range s.Logs.Shippers {
		for k := range s.Logs.Shippers[j].Destinations {
			s.Logs.Shippers[j].Destinations[k].Host = collector
		}
	}
	for j, e := range s.Network.Hosts {
		if slices.Contains(e.Names, "mailrelay.example.co.jp") {
			s.Network.Hosts[j].Address = collector
		}
	}
	if db := i / 10 * 10; db != i {
		for j := range s.Middleware.Apps {
			for k, st := range s.Middleware.Apps[j].Settings {
				if st.Key == "database.host" {
					s.Middleware.Apps[j].Settings[k].Value = scaleAddr(db)
				}
			}
		}
	}
	return s
}

func deepCopy(tb testing.TB, s *snapshot.Snapshot) *snapshot.Snapshot {
	doc, err := jsonMarshal(s)
	if err != nil {
		tb.Fatal(err)
	}
	var out snapshot.Snapshot
	if err := jsonUnmarshal(doc, &out); err != nil {
		tb.Fatal(err)
	}
	return &out
}

var (
	scaleOnce sync.Once
	scaleDB   string
)

// scaleStore is a SQLite store holding the thousand hosts, made once per test
// binary (it takes a while) in TROWEL_WEB_SCALE_STORE when that names a file
// (kept between runs), else in a temporary directory.
func scaleStore(tb testing.TB) string {
	scaleOnce.Do(func() {
		path := os.Getenv("TROWEL_WEB_SCALE_STORE")
		if path != "" {
			if _, err := os.Stat(path); err == nil {
				scaleDB = path
				return
			}
		} else {
			dir, err := os.MkdirTemp("", "trowel-web-scale-")
			if err != nil {
				tb.Fatal(err)
			}
			path = filepath.Join(dir, "trowel.db")
		}
		st, err := store.Open(context.Background(), path, store.WithClock(func() time.Time { return testNow }))
		if err != nil {
			tb.Fatal(err)
		}
		defer st.Close()
		start := time.Now()
		scaleEstate(tb, st)
		tb.Logf("recorded %d hosts in %s", scaleHosts, time.Since(start).Round(time.Millisecond))
		scaleDB = path
	})
	if scaleDB == "" {
		tb.Fatal("no scale store")
	}
	return scaleDB
}

// BenchmarkScale measures the pages of a thousand-host estate. index is the
// first request after a start (every snapshot decoded, the map built); estate,
// map and the rest are what a visitor waits for after that. The budget: the
// estate page and the map under 200 ms each.
func BenchmarkScale(b *testing.B) {
	ts := coldServer(b, scaleStore(b), Config{}, false)
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			ts.srv.idx = newIndex(ts.st, b.Logf)
			if err := ts.srv.Warm(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	if err := ts.srv.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct{ name, path string }{
		{"estate", "/"},
		{"estate-filtered", "/?group=production&eol=ended&sort=findings&dir=desc"},
		{"map", "/map"},
		{"map-ja", "/map?lang=ja"},
		{"ask-cron", "/ask/cron?group=staging"},
		{"host", "/hosts/h0010"},
	} {
		ts.mustGet(p.path) // what is made once per state is made
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if code, _ := ts.serve(p.path); code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, code)
				}
			}
		})
	}
	b.Run("map-drawing", func(b *testing.B) {
		st, err := ts.srv.idx.view(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			fresh := &state{m: st.m}
			if _, err := fresh.drawing("en"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestScale holds the estate page and the map of a thousand hosts to their
// budget: under 200 ms each once the estate is read (the best of several tries,
// so a busy machine does not fail it). Run with TROWEL_WEB_SCALE=1 (make test
// sets it); recording the thousand hosts takes a minute.
func TestScale(t *testing.T) {
	if os.Getenv("TROWEL_WEB_SCALE") != "1" {
		t.Skip("set TROWEL_WEB_SCALE=1 to check the thousand-host budget")
	}
	ts := coldServer(t, scaleStore(t), Config{}, false)
	start := time.Now()
	if err := ts.srv.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("reading the estate: %s", time.Since(start).Round(time.Millisecond))
	for _, path := range []string{"/", "/map"} {
		page := ts.mustGet(path)
		if path == "/" && strings.Count(page, `<th scope="row">`) != scaleHosts {
			t.Errorf("%s lists %d hosts", path, strings.Count(page, `<th scope="row">`))
		}
		best := time.Hour
		for range 7 {
			t0 := time.Now()
			if code, _ := ts.serve(path); code != http.StatusOK {
				t.Fatalf("%s: %d", path, code)
			}
			best = min(best, time.Since(t0))
		}
		t.Logf("%s: %s (%d KB)", path, best.Round(time.Millisecond), len(page)/1024)
		if best > 200*time.Millisecond {
			t.Errorf("%s takes %s, over the 200 ms budget", path, best)
		}
	}
}

func jsonMarshal(v any) ([]byte, error)   { return json.Marshal(v) }
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// serve answers a GET as the server does for a browser, the page written to
// nowhere: the time is the server's, not a test recorder's copying.
func (ts *testServer) serve(path string) (code, size int) {
	r := httpRequest(http.MethodGet, path, nil)
	r.Header.Set("Accept", "text/html")
	w := &discardWriter{h: http.Header{}}
	ts.srv.ServeHTTP(w, r)
	return w.code, w.n
}

type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (d *discardWriter) Header() http.Header { return d.h }

func (d *discardWriter) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}

func (d *discardWriter) Write(b []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	d.n += len(b)
	return len(b), nil
}
