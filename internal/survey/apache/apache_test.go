package apache

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseV(t *testing.T) {
	cases := []struct {
		file string
		want Info
	}{
		{"debian11-apache2ctl-V.txt", Info{Version: "2.4.62", MPM: "event", HTTPDRoot: "/etc/apache2", MainConfig: "apache2.conf"}},
		{"rhel6-httpd-V.txt", Info{Version: "2.2.15", MPM: "prefork", HTTPDRoot: "/etc/httpd", MainConfig: "conf/httpd.conf"}},
	}
	for _, c := range cases {
		got, ok := ParseV(fixture(t, c.file))
		if !ok || got != c.want {
			t.Errorf("%s: got %+v %v, want %+v", c.file, got, ok, c.want)
		}
	}
	if _, ok := ParseV("httpd: command not found\n"); ok {
		t.Error("ParseV accepted garbage")
	}
}

func TestParseM(t *testing.T) {
	mods := ParseM(fixture(t, "debian11-apache2ctl-M.txt"))
	if len(mods) < 20 || mods[0] != "core_module" || !contains(mods, "access_compat_module") || !contains(mods, "ssl_module") {
		t.Errorf("modules: %v", mods)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestParseConfigContinuationsQuotesAndErrors(t *testing.T) {
	text := "# c\nLogFormat \"%h \\\"%r\\\"\" combined\nProxyPass /app \\\n   http://127.0.0.1:8080/app\n<Directory \"/srv/a b\">\n</Directory>\nAlias \"/x /y\n"
	lines, err := ParseConfig("f.conf", text)
	if err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Errorf("error = %v, want one naming line 7", err)
	}
	if len(lines) != 5 {
		t.Fatalf("got %d lines: %+v", len(lines), lines)
	}
	if got := lines[0].Args; !reflect.DeepEqual(got, []string{`%h "%r"`, "combined"}) {
		t.Errorf("LogFormat args %q", got)
	}
	if l := lines[1]; l.Num != 3 || !reflect.DeepEqual(l.Args, []string{"/app", "http://127.0.0.1:8080/app"}) {
		t.Errorf("continued ProxyPass: %+v", l)
	}
	if l := lines[2]; !l.Open || l.Name != "Directory" || l.Args[0] != "/srv/a b" {
		t.Errorf("section: %+v", l)
	}
	if l := lines[3]; !l.Close || l.Name != "Directory" {
		t.Errorf("close: %+v", l)
	}
}

func TestExpand(t *testing.T) {
	vars := ParseEnvvars(fixture(t, "envvars"))
	if vars["APACHE_LOG_DIR"] != "/var/log/apache2" || vars["APACHE_RUN_USER"] != "www-data" {
		t.Errorf("envvars: %v", vars)
	}
	if got := Expand("${APACHE_LOG_DIR}/x.log ${NOPE} $APACHE_RUN_USER", vars); got != "/var/log/apache2/x.log ${NOPE} www-data" {
		t.Errorf("Expand = %q", got)
	}
}

// legacyArchive is the lab's legacy host as its probe saw it (testdata/SOURCES.md).
func legacyArchive(t *testing.T, extra ...*evidence.Item) *evidence.Archive {
	items := []*evidence.Item{
		kittest.Failed(evidence.KindCmd, "httpd-V", evidence.StatusAbsent, ""),
		kittest.Cmd("apache2ctl-V", "apache2ctl -V", fixture(t, "debian11-apache2ctl-V.txt")),
		kittest.Failed(evidence.KindCmd, "httpd-M", evidence.StatusAbsent, ""),
		kittest.Cmd("apache2ctl-M", "apache2ctl -M", fixture(t, "debian11-apache2ctl-M.txt")),
		kittest.File("/etc/apache2/apache2.conf", fixture(t, "apache2.conf")),
		kittest.File("/etc/apache2/ports.conf", fixture(t, "ports.conf")),
		kittest.File("/etc/apache2/envvars", fixture(t, "envvars")),
		kittest.File("/etc/apache2/sites-enabled/redmine.conf", fixture(t, "redmine.conf")),
	}
	return kittest.Archive(append(items, extra...)...)
}

func TestSurveyLegacyHost(t *testing.T) {
	in := kittest.Input(legacyArchive(t), nil)
	New().Survey(in)
	cov := in.Snap.Coverage[snapshot.SectionApache]
	if len(in.Snap.Middleware.WebServers) != 1 {
		t.Fatalf("web servers: %+v (coverage %+v)", in.Snap.Middleware.WebServers, cov)
	}
	ws := in.Snap.Middleware.WebServers[0]
	if ws.Version != "2.4.62" || ws.MPM != "event" || ws.ConfigRoot != "/etc/apache2" {
		t.Errorf("version %q mpm %q root %q", ws.Version, ws.MPM, ws.ConfigRoot)
	}
	if !reflect.DeepEqual(ws.Listen, []string{"80", "443"}) {
		t.Errorf("listen %v", ws.Listen)
	}
	want := []snapshot.VHost{
		{ServerName: "redmine.example.co.jp", Aliases: []string{"redmine", "legacy"}, Listen: "*:80",
			DocumentRoot: "/var/www/redmine/public",
			Logs:         []string{"/var/log/apache2/redmine_error.log", "/var/log/apache2/access.log"},
			Source:       "/etc/apache2/sites-enabled/redmine.conf:2"},
		{ServerName: "redmine.example.co.jp", Listen: "*:443", TLS: true,
			DocumentRoot: "/var/www/redmine/public",
			Logs:         []string{"/var/log/apache2/redmine_ssl_error.log", "/var/log/apache2/ssl_access.log"},
			Source:       "/etc/apache2/sites-enabled/redmine.conf:28"},
	}
	if !reflect.DeepEqual(ws.VHosts, want) {
		t.Errorf("vhosts\n got %+v\nwant %+v", ws.VHosts, want)
	}
	var legacy []string
	for _, d := range ws.Legacy {
		legacy = append(legacy, d.Source+" "+d.Text)
		if d.Why == "" {
			t.Errorf("%s has no why", d.Source)
		}
	}
	wantLegacy := []string{
		"/etc/apache2/sites-enabled/redmine.conf:12 Order allow,deny",
		"/etc/apache2/sites-enabled/redmine.conf:13 Allow from all",
		"/etc/apache2/sites-enabled/redmine.conf:18 Order deny,allow",
		"/etc/apache2/sites-enabled/redmine.conf:19 Deny from all",
		"/etc/apache2/sites-enabled/redmine.conf:20 Allow from 127.0.0.1 10.231.0.0/24",
		"/etc/apache2/sites-enabled/redmine.conf:37 Order allow,deny",
		"/etc/apache2/sites-enabled/redmine.conf:38 Allow from all",
	}
	if !reflect.DeepEqual(legacy, wantLegacy) {
		t.Errorf("legacy\n got %q\nwant %q", legacy, wantLegacy)
	}
	// mods-enabled and conf-enabled were not in this archive: optional includes.
	if cov.Status != snapshot.Collected || !strings.Contains(cov.Reason, "mods-enabled/*.load") {
		t.Errorf("coverage %+v", cov)
	}
	if !contains(ws.Evidence, "file:/etc/apache2/sites-enabled/redmine.conf") || !contains(ws.Evidence, "cmd:apache2ctl-V") {
		t.Errorf("evidence %v", ws.Evidence)
	}
}

func TestSurveyIfModuleDecidedByLoadedModules(t *testing.T) {
	a := legacyArchive(t)
	a.Add(kittest.Cmd("apache2ctl-M", "apache2ctl -M", "Loaded Modules:\n core_module (static)\n"))
	in := kittest.Input(a, nil)
	New().Survey(in)
	if got := in.Snap.Middleware.WebServers[0].Listen; !reflect.DeepEqual(got, []string{"80"}) {
		t.Errorf("without ssl_module, listen = %v", got)
	}
}

func TestSurveyCentOS5Include(t *testing.T) {
	conf := "ServerRoot \"/etc/httpd\"\nLockFile logs/accept.lock\nListen 80\nInclude conf.d/*.conf\nInclude extra/missing.conf\nNameVirtualHost *:80\nDocumentRoot \"/var/www/html\"\nErrorLog logs/error_log\n"
	vh := "<VirtualHost *:80>\n  ServerName wiki.example.com\n  ProxyPass / http://127.0.0.1:8080/\n  CustomLog logs/wiki_log common\n  Options Indexes +FollowSymLinks\n</VirtualHost>\n"
	a := kittest.Archive(
		kittest.Cmd("httpd-V", "httpd -V", fixture(t, "rhel6-httpd-V.txt")),
		kittest.Failed(evidence.KindCmd, "httpd-M", evidence.StatusOK, "httpd: Syntax error"),
		kittest.File("/etc/httpd/conf/httpd.conf", conf),
		kittest.File("/etc/httpd/conf.d/wiki.conf", vh),
		kittest.File("/etc/sysconfig/httpd", "HTTPD=/usr/sbin/httpd.worker\n"),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	ws := in.Snap.Middleware.WebServers[0]
	if ws.Version != "2.2.15" || ws.MPM != "prefork" {
		t.Errorf("version %q mpm %q", ws.Version, ws.MPM)
	}
	want := []snapshot.VHost{{ServerName: "wiki.example.com", Listen: "*:80", Proxies: []string{"http://127.0.0.1:8080/"},
		Logs: []string{"/etc/httpd/logs/wiki_log"}, Source: "/etc/httpd/conf.d/wiki.conf:1"}}
	if !reflect.DeepEqual(ws.VHosts, want) {
		t.Errorf("vhosts %+v", ws.VHosts)
	}
	var names []string
	for _, d := range ws.Legacy {
		names = append(names, d.Name+"@"+d.Source)
	}
	wantNames := []string{"LockFile@/etc/httpd/conf/httpd.conf:2", "Options@/etc/httpd/conf.d/wiki.conf:5", "NameVirtualHost@/etc/httpd/conf/httpd.conf:6"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("legacy %v", names)
	}
	cov := in.Snap.Coverage[snapshot.SectionApache]
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, "/etc/httpd/extra/missing.conf (Include at /etc/httpd/conf/httpd.conf:5)") {
		t.Errorf("coverage %+v", cov)
	}
}

func TestSurveyNotInstalled(t *testing.T) {
	a := kittest.Archive(
		kittest.Failed(evidence.KindCmd, "httpd-V", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "apache2ctl-V", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "httpd-M", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "apache2ctl-M", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/apache2/apache2.conf", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/apache2/httpd.conf", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/httpd/conf/httpd.conf", evidence.StatusAbsent, ""),
	)
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	in := kittest.Input(a, s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionApache]; c.Status != snapshot.NotApplicable {
		t.Errorf("coverage %+v", c)
	}
	// Without a package list, absence is not proven.
	in = kittest.Input(a, nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionApache]; c.Status != snapshot.Unavailable {
		t.Errorf("without packages: coverage %+v", c)
	}
}

func TestSurveyConfigDenied(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("httpd-V", "httpd -V", fixture(t, "rhel6-httpd-V.txt")),
		kittest.Failed(evidence.KindFile, "/etc/httpd/conf/httpd.conf", evidence.StatusDenied, ""),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionApache]; c.Status != snapshot.Denied {
		t.Errorf("coverage %+v", c)
	}
	if ws := in.Snap.Middleware.WebServers; len(ws) != 1 || ws[0].Version != "2.2.15" || len(ws[0].VHosts) != 0 {
		t.Errorf("web servers %+v", ws)
	}
}
