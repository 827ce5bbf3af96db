package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
	"github.com/trowel-dev/trowel/internal/verify"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testNow is the clock of every test: a few weeks after the lab was surveyed.
var testNow = time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)

const testToken = "test-token-0123456789abcdef"

// readSnapshot decodes a snapshot of the project's test data.
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

// labLegacy is the lab's legacy host as trowel surveyed it over SSH: Apache,
// Redmine, MariaDB, Postfix relaying through the collector, syslog and an
// in-house shipper sending there too.
func labLegacy(t testing.TB) *snapshot.Snapshot {
	return readSnapshot(t, "../report/testdata/legacy.json")
}

// moved makes a copy of the legacy host into another host: its names, its
// address, and the /etc/hosts line that named it.
func moved(t testing.TB, name, addr string, at time.Time) *snapshot.Snapshot {
	s := labLegacy(t)
	old := s.Host.Hostname
	s.Host.Hostname, s.Host.FQDN = name, name+".trowel.test"
	s.CollectedAt = at
	s.Source.Target = "root@" + addr + ":22"
	for i, ifc := range s.Network.Interfaces {
		if ifc.Name != "lo" {
			s.Network.Interfaces[i].Addresses = []string{addr + "/24"}
		}
	}
	for i, e := range s.Network.Hosts {
		if slices.Contains(e.Names, old) {
			s.Network.Hosts[i].Address, s.Network.Hosts[i].Names = addr, []string{name + ".trowel.test", name}
		}
	}
	return s
}

// labStore fills a store with the lab as an estate:
//
//   - legacy (production), surveyed twice: three weeks ago with Apache 2.4.56
//     and no backup job, then as the lab surveys it;
//   - collector (production, 10.231.0.40): where legacy ships its logs and
//     relays its mail; it receives and runs nothing else;
//   - www01 (production): the CentOS 5 root read offline, with its evidence;
//   - stg (staging, 10.232.0.10): a copy of legacy last surveyed in September;
//   - newweb (production): legacy rebuilt on Debian 13, supported to 2028;
//   - app3 (production): legacy on Ubuntu 22.04, whose standard support ends
//     within six months;
//   - broken: a survey of a schema this trowel does not read.
func labStore(t testing.TB, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	op := store.Operator{User: "aiko", Host: "jump1", TrowelVersion: "0.1.0-test", Command: "trowel survey -i lab.ini"}
	record := func(s *snapshot.Snapshot, ev []byte, name, group string) {
		t.Helper()
		if _, err := st.RecordSurvey(ctx, store.Survey{Snapshot: s, Evidence: ev, Inventory: store.Inventory{Name: name, Group: group}, Operator: op}); err != nil {
			t.Fatalf("recording %s: %v", name, err)
		}
	}

	older := labLegacy(t)
	older.CollectedAt = older.CollectedAt.AddDate(0, 0, -14)
	older.CronJobs = slices.DeleteFunc(older.CronJobs, func(j snapshot.CronJob) bool { return strings.Contains(j.Command, "backup") })
	for i := range older.Packages {
		if older.Packages[i].Name == "apache2" {
			older.Packages[i].Version = "2.4.56"
		}
	}
	record(older, nil, "legacy", "production")
	record(labLegacy(t), nil, "legacy", "production")

	coll := moved(t, "collector", "10.231.0.40", labLegacy(t).CollectedAt)
	coll.Services = slices.DeleteFunc(coll.Services, func(s snapshot.Service) bool { return s.Name != "ssh" && s.Name != "rsyslog" })
	coll.Listeners = []snapshot.Listener{
		{Proto: "tcp", Address: "0.0.0.0", Port: 22, Service: "ssh", Process: "sshd", Evidence: "cmd:ss"},
		{Proto: "tcp", Address: "0.0.0.0", Port: 514, Service: "rsyslog", Process: "rsyslogd", Evidence: "cmd:ss"},
		{Proto: "tcp", Address: "0.0.0.0", Port: 24224, Service: "lab-sink", Process: "lab-sink", Evidence: "cmd:ss"},
		{Proto: "tcp", Address: "0.0.0.0", Port: 25, Service: "lab-sink", Process: "lab-sink", Evidence: "cmd:ss"},
	}
	coll.Middleware, coll.CronJobs, coll.Logs.Shippers, coll.Network.Connections, coll.Network.Clients = snapshot.Middleware{}, nil, nil, nil, nil
	record(coll, nil, "collector", "production")

	c5 := readSnapshot(t, "../store/testdata/centos5.json")
	ev, err := os.ReadFile("../store/testdata/centos5.evidence.gz")
	if err != nil {
		t.Fatal(err)
	}
	record(c5, ev, "www01", "production")

	record(moved(t, "stg", "10.232.0.10", time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)), nil, "stg", "staging")

	nw := moved(t, "newweb", "10.231.0.20", time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC))
	nw.OS.PrettyName, nw.OS.VersionID, nw.OS.Version, nw.OS.Codename = "Debian GNU/Linux 13 (trixie)", "13", "13 (trixie)", "trixie"
	nw.EndOfLife = []snapshot.EndOfLife{{Product: "debian", Cycle: "13", Version: "13.2", EOL: "2028-08-09", Status: "supported", Of: "os", DataDate: "2026-08-22"}}
	record(nw, nil, "newweb", "production")

	app3 := moved(t, "app3", "10.231.0.30", time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	app3.OS.ID, app3.OS.PrettyName, app3.OS.VersionID, app3.OS.Version, app3.OS.Codename = "ubuntu", "Ubuntu 22.04.5 LTS", "22.04", "22.04.5 LTS (Jammy Jellyfish)", "jammy"
	app3.EndOfLife = []snapshot.EndOfLife{{Product: "ubuntu", Cycle: "22.04", Version: "22.04.5", EOL: "2027-04-01", Status: "supported", Of: "os", LTS: true, DataDate: "2026-08-22"}}
	record(app3, nil, "app3", "production")

	// newweb checked against legacy twice, as a cutover goes: then one check
	// still failed.
	for i, res := range []verify.Result{
		{Pass: 30, Fail: 12, Skip: 3, Checks: []verify.Check{{ID: "svc-apache", Kind: "service", Status: verify.Fail, Message: "apache2 is not running"}}},
		{Pass: 41, Fail: 1, Skip: 3, Checks: []verify.Check{
			{ID: "cron-zone", Kind: "cron_zone", Status: verify.Fail, Message: "cron fires in UTC, expected Asia/Tokyo", Fix: "set the time zone and restart cron"},
			{ID: "svc-apache", Kind: "service", Status: verify.Pass, Message: "apache2 runs"},
		}},
	} {
		if _, err := st.RecordVerification(ctx, store.Verification{Result: res, Target: "ssh://root@10.231.0.20", Against: "legacy@2",
			Host: "newweb", Survey: 1, Operator: store.Operator{User: "ken", Host: "jump1", TrowelVersion: "0.1.0-test", Command: fmt.Sprintf("trowel verify newweb --against legacy@2 # %d", i+1)}}); err != nil {
			t.Fatal(err)
		}
	}

	broken := moved(t, "broken", "10.231.0.99", labLegacy(t).CollectedAt)
	broken.SchemaVersion = 999
	record(broken, nil, "broken", "")
}

// testServer is a server over a new SQLite store, filled with the lab unless
// empty.
type testServer struct {
	t   testing.TB
	srv *Server
	st  *store.Store
	// jar is the browser's cookies, kept from one request to the next.
	jar map[string]*http.Cookie
}

func newTestServer(t testing.TB, cfg Config, fill bool) *testServer {
	t.Helper()
	return newTestServerAt(t, filepath.Join(t.TempDir(), "trowel.db"), cfg, fill)
}

func newTestServerAt(t testing.TB, dsn string, cfg Config, fill bool) *testServer {
	t.Helper()
	ts := coldServer(t, dsn, cfg, fill)
	if err := ts.srv.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ts
}

// coldServer is a test server that has not read the estate yet.
func coldServer(t testing.TB, dsn string, cfg Config, fill bool) *testServer {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if fill {
		labStore(t, st)
	}
	cfg.Store = st
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	cfg.Operator = store.Operator{User: "serve", Host: "ops1", TrowelVersion: "0.1.0-test"}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{t: t, srv: srv, st: st, jar: map[string]*http.Cookie{}}
}

// browser is another browser on the same server: no cookie yet.
func (ts *testServer) browser() *testServer {
	return &testServer{t: ts.t, srv: ts.srv, st: ts.st, jar: map[string]*http.Cookie{}}
}

// response is one answer of the server.
type response struct {
	*http.Response
	Body string
}

// get asks for a page as a browser on this machine would.
func (ts *testServer) get(target string, headers ...string) response {
	ts.t.Helper()
	return ts.do(httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+target, nil), headers...)
}

// post submits a form.
func (ts *testServer) post(target string, form url.Values, headers ...string) response {
	ts.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080"+target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return ts.do(r, headers...)
}

// do sends r with headers given as name, value pairs.
func (ts *testServer) do(r *http.Request, headers ...string) response {
	ts.t.Helper()
	r.Header.Set("Accept", "text/html")
	for _, c := range ts.jar {
		r.AddCookie(c)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	ts.srv.ServeHTTP(w, r)
	res := w.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(ts.jar, c.Name)
		} else {
			ts.jar[c.Name] = c
		}
	}
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

// mustGet asks for a page that must be there.
func (ts *testServer) mustGet(target string, headers ...string) string {
	ts.t.Helper()
	r := ts.get(target, headers...)
	if r.StatusCode != http.StatusOK {
		ts.t.Fatalf("GET %s: %s\n%.3000s", target, r.Status, r.Body)
	}
	return r.Body
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token of a page's forms.
func csrfOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%.1000s", page)
	}
	return m[1]
}

// signIn signs the test browser in under name, through the sign-in form.
func (ts *testServer) signIn(t testing.TB, name string) {
	t.Helper()
	csrf := csrfOf(t, ts.mustGet("/login"))
	r := ts.post("/login", url.Values{"csrf": {csrf}, "name": {name}, "token": {testToken}, "next": {"/"}})
	if r.StatusCode != http.StatusSeeOther || ts.jar[sessionCookie] == nil {
		t.Fatalf("signing in: %s\n%.1000s", r.Status, r.Body)
	}
}

// postNote writes a note through the host page's form.
func (ts *testServer) postNote(t testing.TB, host, text string) response {
	t.Helper()
	csrf := csrfOf(t, ts.mustGet(hostURL(host)))
	return ts.post(hostURL(host)+"/notes", url.Values{"csrf": {csrf}, "text": {text}})
}
