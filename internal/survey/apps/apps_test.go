package apps

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
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

// webApps writes web-apps records as the probe prints them: a tree's files with
// their length.
func webApps(lines []string, files map[string]string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	rels := make([]string, 0, len(files))
	for rel := range files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		fmt.Fprintf(&b, "F\t%d\t%s\n%s\n", len(files[rel]), rel, files[rel])
	}
	b.WriteString("# done\n")
	return b.String()
}

// The legacy lab's Redmine, as the probe reports it: found from the vhost's
// DocumentRoot, what its tree says, its database without the password, and ruby's
// coverage when no ruby runs it.
func TestRubyLegacyRedmine(t *testing.T) {
	records := webApps([]string{
		"E\tDocumentRoot\t/etc/apache2/sites-enabled/redmine.conf:6\t/var/www/redmine/public\tok\t/var/www/redmine/public\t/var/www/redmine",
		"A\t/var/www/redmine\t33\t33",
		"M\tf\tGemfile.lock", "M\tf\tconfig/environment.rb", "M\tf\tlib/redmine/version.rb", "M\tf\tconfig/database.yml",
		"C\t12\t0\t0\t0\t0\t0\t0\t0\t0",
	}, map[string]string{
		"Gemfile.lock": fixture(t, "redmine-Gemfile.lock"), "lib/redmine/version.rb": fixture(t, "redmine-version.rb"),
		"config/database.yml": fixture(t, "redmine-database.yml"),
	})
	a := kittest.Archive(
		kittest.Failed(evidence.KindCmd, "ruby-v", evidence.StatusAbsent, ""),
		kittest.Cmd("web-apps", "_web_apps ...", records),
		kittest.Cmd("web-app-sizes", "_web_app_sizes ...", "S\t/var/www/redmine\t.\t120\t100000\t33\t33\t\n# done\n"),
	)
	s := &snapshot.Snapshot{Middleware: snapshot.Middleware{WebServers: []snapshot.WebServer{{Kind: "apache", Modules: []string{"passenger_module"},
		VHosts: []snapshot.VHost{{ServerName: "redmine.example.co.jp", Listen: "*:80", DocumentRoot: "/var/www/redmine/public",
			Paths: []snapshot.VHostPath{{Directive: "DocumentRoot", Path: "/var/www/redmine/public", Source: "/etc/apache2/sites-enabled/redmine.conf:6"}}}}}}}}
	s.Accounts.Users = []snapshot.User{{Name: "www-data", UID: 33}}
	in := kittest.Input(a, s)
	New().Survey(in)
	NewRuby().Survey(in)
	apps := in.Snap.Middleware.Apps
	if len(apps) != 1 {
		t.Fatalf("apps %+v", apps)
	}
	got := apps[0]
	if got.Name != "Redmine 4.2.11" || got.Path != "/var/www/redmine" || got.Kind != "rails" || got.Runtime != "" || got.Server != "passenger" ||
		got.Owner != "www-data" || got.Group != "33" || got.Bytes == nil || *got.Bytes != 120*1024 || *got.ApparentBytes != 100000 {
		t.Errorf("app %+v", got)
	}
	if len(got.ServedBy) != 1 || got.ServedBy[0].By != "apache redmine.example.co.jp *:80" || got.ServedBy[0].Found != "application" {
		t.Errorf("served by %+v", got.ServedBy)
	}
	if want := []string{"i18n 1.8.11", "mysql2 0.5.5", "nokogiri 1.13.10", "rails 5.2.8.1"}; !reflect.DeepEqual(got.Gems, want) {
		t.Errorf("gems %v", got.Gems)
	}
	var settings []string
	for _, st := range got.Settings {
		settings = append(settings, st.Key+"="+st.Value+"@"+st.Source)
	}
	if want := []string{"rails=5.2.8.1@/var/www/redmine/Gemfile.lock", "database.adapter=mysql2@/var/www/redmine/config/database.yml:2",
		"database.host=127.0.0.1@/var/www/redmine/config/database.yml:4", "database.database=redmine@/var/www/redmine/config/database.yml:3",
		"database.username=redmine@/var/www/redmine/config/database.yml:5"}; !reflect.DeepEqual(settings, want) {
		t.Errorf("settings %v", settings)
	}
	b, _ := json.Marshal(in.Snap)
	if strings.Contains(string(b), "redmine-db-pw") || strings.Contains(string(b), "redacted") {
		t.Error("a password (or its marker) reached the snapshot")
	}
	if c := in.Snap.Coverage[snapshot.SectionRuby]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "the Ruby that runs /var/www/redmine is unknown") {
		t.Errorf("coverage %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionApps]; c.Status != snapshot.Collected {
		t.Errorf("apps coverage %+v", c)
	}
}

// A tree that says nothing of being an application is none: Debian's stock page is
// named as such, a directory of HTML as static files; and a place that could not
// be followed says why, in the coverage too.
func TestServedButNoApplication(t *testing.T) {
	records := webApps([]string{
		"E\tDocumentRoot\t/etc/apache2/sites-enabled/000-default.conf:3\t/var/www/html\tok\t/var/www/html\t/var/www/html",
		"E\tDocumentRoot\t/etc/apache2/sites-enabled/site.conf:3\t/var/www/site\tok\t/var/www/site\t/var/www/site",
		"E\tAlias\t/etc/apache2/sites-enabled/site.conf:4\t/mnt/share/docs\tnetwork\t\t",
		"E\tcwd\t/proc/42\t/home/app\tplain\t/home/app\t",
		"P\t42\truby\t/usr/bin/ruby\t/home/app",
		"A\t/var/www/html\t0\t0", "M\tf\tindex.html", "C\t1\t0\t0\t0\t0\t0\t0\t1\t0", "T\tindex.html\tApache2 Debian Default Page: It works",
		"A\t/var/www/site\t0\t0", "M\tf\tindex.html", "C\t3\t0\t0\t0\t0\t0\t0\t2\t0", "T\tindex.html\tOur company",
	}, nil)
	in := kittest.Input(kittest.Archive(kittest.Cmd("web-apps", "_web_apps ...", records), kittest.Cmd("web-app-sizes", "_web_app_sizes ...", "# done\n")), nil)
	New().Survey(in)
	if len(in.Snap.Middleware.Apps) != 0 {
		t.Errorf("apps %+v", in.Snap.Middleware.Apps)
	}
	var got []string
	for _, n := range in.Snap.Middleware.NotApps {
		got = append(got, n.Path+" "+n.Found+" "+n.What)
	}
	want := []string{"/var/www/html stock Apache2 Debian Default Page: It works", "/var/www/site static 3 entries, 2 HTML", "/mnt/share/docs network "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("not apps %q", got)
	}
	if c := in.Snap.Coverage[snapshot.SectionApps]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "/mnt/share/docs (Alias at /etc/apache2/sites-enabled/site.conf:4) is on a network filesystem") {
		t.Errorf("coverage %+v", c)
	}
}

// Nothing serves anything, and the probe said so to its end: no application here.
func TestNoApplication(t *testing.T) {
	in := kittest.Input(kittest.Archive(kittest.Cmd("web-apps", "_web_apps ...", "# done\n"), kittest.Cmd("web-app-sizes", "_web_app_sizes ...", "# done\n")), nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionApps]; c.Status != snapshot.NotApplicable {
		t.Errorf("coverage %+v", c)
	}
	in = kittest.Input(kittest.Archive(kittest.Failed(evidence.KindCmd, "web-apps", evidence.StatusTimeout, "")), nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionApps]; c.Status != snapshot.TimedOut {
		t.Errorf("a probe that timed out: coverage %+v", c)
	}
}

func TestRubyVAndServers(t *testing.T) {
	if v := ParseRubyV("ruby 1.8.5 (2006-08-25) [x86_64-linux]\n"); v != "1.8.5" {
		t.Errorf("1.8.5: %q", v)
	}
	if v := ParseRubyV("ruby 2.7.4p191 (2021-07-07 revision a21a3b7d23) [x86_64-linux-gnu]\n"); v != "2.7.4" {
		t.Errorf("2.7.4: %q", v)
	}
	for cmd, want := range map[string]string{
		"unicorn_rails master -c /srv/app/config/unicorn.rb -E production -D": "unicorn_rails",
		"/usr/local/bin/bundle exec puma -C config/puma.rb":                   "puma",
		"/srv/portal/venv/bin/gunicorn portal.wsgi:application":               "gunicorn",
		"-/usr/bin/java -jar /opt/app/app.jar":                                "java",
	} {
		if got := commandServer(cmd); got != want {
			t.Errorf("%s: %q", cmd, got)
		}
	}
}

func TestRubyNotInstalled(t *testing.T) {
	a := kittest.Archive(kittest.Failed(evidence.KindCmd, "ruby-v", evidence.StatusAbsent, ""))
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}}}
	in := kittest.Input(a, s)
	NewRuby().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionRuby]; c.Status != snapshot.NotApplicable {
		t.Errorf("coverage %+v", c)
	}
}

func TestPHP(t *testing.T) {
	ini := "[PHP]\nshort_open_tag = On\nmemory_limit = 128M\n; date.timezone =\ndate.timezone = \"Asia/Tokyo\"\nregister_globals = Off\n"
	pool := "[www]\nuser = apache\nlisten = 127.0.0.1:9000\npm = dynamic\nphp_admin_value[error_log] = /var/log/php-fpm/www-error.log\n"
	a := kittest.Archive(
		kittest.Cmd("php-v", "php -v", "PHP 5.1.6 (cli) (built: Nov 29 2010 16:47:46)\nCopyright (c) 1997-2006 The PHP Group\n"),
		kittest.File("/etc/php.ini", ini),
		kittest.File("/etc/php-fpm.d/www.conf", pool),
	)
	s := &snapshot.Snapshot{Middleware: snapshot.Middleware{WebServers: []snapshot.WebServer{{Kind: "apache", Modules: []string{"php5_module"}}}}}
	in := kittest.Input(a, s)
	NewPHP().Survey(in)
	apps := in.Snap.Middleware.Runtimes
	if len(apps) != 2 || len(in.Snap.Middleware.Apps) != 0 {
		t.Fatalf("runtimes %+v apps %+v", apps, in.Snap.Middleware.Apps)
	}
	if apps[0].Server != "mod_php" || apps[0].Version != "5.1.6" {
		t.Errorf("ini %+v", apps[0])
	}
	want := []snapshot.Setting{
		{Key: "short_open_tag", Value: "On", Source: "/etc/php.ini:2"},
		{Key: "memory_limit", Value: "128M", Source: "/etc/php.ini:3"},
		{Key: "date.timezone", Value: "Asia/Tokyo", Source: "/etc/php.ini:5"},
		{Key: "register_globals", Value: "Off", Source: "/etc/php.ini:6"},
	}
	if !reflect.DeepEqual(apps[0].Settings, want) {
		t.Errorf("settings %+v", apps[0].Settings)
	}
	if apps[1].Server != "php-fpm" || len(apps[1].Settings) != 4 || apps[1].Settings[1].Key != "www/listen" || apps[1].Settings[1].Value != "127.0.0.1:9000" {
		t.Errorf("pool %+v", apps[1])
	}
	if c := in.Snap.Coverage[snapshot.SectionPHP]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

func TestJava(t *testing.T) {
	if v := ParseJavaVersion("java version \"1.6.0_45\"\nJava(TM) SE Runtime Environment (build 1.6.0_45-b06)\n"); v != "1.6.0_45" {
		t.Errorf("java 6: %q", v)
	}
	xml := "==> /etc/tomcat6/server.xml <== ok\n<Server port=\"8005\">\n<!-- <Connector port=\"8081\"/> -->\n<Connector port=\"8080\" protocol=\"HTTP/1.1\"\n   connectionTimeout=\"20000\" />\n<Connector port=\"8443\" SSLEnabled=\"true\" keystorePass=\"<redacted>\"/>\n<Connector port=\"8009\" protocol=\"AJP/1.3\" />\n</Server>\n"
	a := kittest.Archive(
		kittest.Cmd("java-version", "java -version 2>&1", "openjdk version \"11.0.20\" 2023-07-18\n"),
		kittest.Cmd("tomcat-server-xml", "_web_xml ...", xml),
	)
	in := kittest.Input(a, nil)
	NewJava().Survey(in)
	apps := in.Snap.Middleware.Runtimes
	if len(apps) != 1 {
		t.Fatalf("runtimes %+v", apps)
	}
	want := []snapshot.Setting{
		{Key: "connector", Value: "port=8080 protocol=HTTP/1.1 ssl=false", Source: "/etc/tomcat6/server.xml:3"},
		{Key: "connector", Value: "port=8443 protocol=HTTP/1.1 ssl=true", Source: "/etc/tomcat6/server.xml:5"},
		{Key: "connector", Value: "port=8009 protocol=AJP/1.3 ssl=false", Source: "/etc/tomcat6/server.xml:6"},
	}
	if !reflect.DeepEqual(apps[0].Settings, want) || apps[0].Version != "11.0.20" {
		t.Errorf("server.xml %+v", apps[0])
	}
	if c := in.Snap.Coverage[snapshot.SectionJava]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

// On a live host a vhost's proxy to a port of this host leads to the process
// listening there, and from its working directory to the application.
func TestProxyLeadsToTheProcessAndItsTree(t *testing.T) {
	records := webApps([]string{
		"P\t42\tgunicorn\t/usr/bin/python3.9\t/srv/portal",
		"E\tcwd\t/proc/42\t/srv/portal\tok\t/srv/portal\t/srv/portal",
		"A\t/srv/portal\t1000\t1000", "M\tf\tmanage.py", "C\t3\t1\t0\t0\t0\t0\t0\t0\t0",
	}, nil)
	s := &snapshot.Snapshot{
		Source:    snapshot.Source{Kind: "ssh"},
		Processes: []snapshot.Process{{PID: 42, Command: "/srv/portal/venv/bin/python3 /srv/portal/venv/bin/gunicorn portal.wsgi"}},
		Listeners: []snapshot.Listener{{Proto: "tcp", Address: "127.0.0.1", Port: 8000, PID: 42}},
		Middleware: snapshot.Middleware{WebServers: []snapshot.WebServer{{Kind: "apache",
			VHosts: []snapshot.VHost{{ServerName: "portal.example.test", Listen: "*:80", Proxies: []string{"http://127.0.0.1:8000/"}, Source: "/etc/apache2/sites-enabled/portal.conf:1"}}}}},
	}
	in := kittest.Input(kittest.Archive(kittest.Cmd("web-apps", "_web_apps", records), kittest.Cmd("web-app-sizes", "_web_app_sizes", "# done\n")), s)
	New().Survey(in)
	apps := in.Snap.Middleware.Apps
	if len(apps) != 1 {
		t.Fatalf("apps %+v", apps)
	}
	a := apps[0]
	var by []string
	for _, sp := range a.ServedBy {
		by = append(by, sp.By+" "+sp.Directive+" "+sp.Path+" "+sp.What)
	}
	want := []string{"process 42 (gunicorn) cwd /srv/portal ", "apache portal.example.test *:80 ProxyPass http://127.0.0.1:8000/ process 42 (gunicorn) listening on :8000"}
	if !reflect.DeepEqual(by, want) || a.Name != "Django (portal)" || a.Server != "gunicorn" || a.Runtime != "python 3.9" {
		t.Errorf("%q, name %q, server %q, runtime %q", by, a.Name, a.Server, a.Runtime)
	}
	if c := in.Snap.Coverage[snapshot.SectionApps]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}
