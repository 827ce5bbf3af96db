package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/collect/roottest"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// appsRoot is a Debian host's disk with an application behind every kind of place
// that serves one: Redmine through a DocumentRoot link into a release and
// PassengerAppRoot, WordPress, Laravel behind nginx and php-fpm, a plain PHP
// intranet run by a pool's chdir, a Rails API run by a puma unit, Django run by a
// gunicorn unit and proxied to, a Tomcat webapp with its context; and Debian's
// stock /var/www/html, Tomcat's ROOT. Its credentials all start "Planted".
const appsRoot = "testdata/apps"

// owners are who owns what on the fixture's host (git keeps no owners).
var owners = map[string][2]int{
	"opt/redmine/releases/20240115":       {998, 998},
	"opt/redmine/releases/20240115/files": {33, 33},
	"srv/redmine-files":                   {33, 33},
	"var/www/blog":                        {33, 33},
	"var/www/blog/wp-content/uploads":     {33, 33},
	"srv/api":                             {1000, 1000},
	"srv/portal":                          {1000, 1000},
	"var/lib/tomcat9/webapps/inventory":   {997, 997},
}

// appsDisk is a copy of the fixture, under prefix when given, owned as on the host
// when this test may chown.
func appsDisk(t *testing.T, prefix string) (string, bool) {
	t.Helper()
	root := t.TempDir()
	if prefix == "-" {
		prefix = root
	}
	roottest.Copy(t, appsRoot, root, prefix)
	owned := os.Geteuid() == 0
	for p, o := range owners {
		if owned {
			if err := os.Lchown(filepath.Join(root, p), o[0], o[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root, owned
}

func offlineApps(t *testing.T, root string) (*snapshot.Snapshot, []byte) {
	t.Helper()
	res, err := collect.Root(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	return checked(t, survey.Run(res.Archive, res.Source, res.Raw)), res.Raw
}

// Every application of the disk is found from what serves it, followed to its real
// tree, with what the tree says it is (framework, version and the line that says
// so), who owns it, its configuration and secrets named, its database (never a
// password), its data and sizes; the stock page and Tomcat's ROOT are named as what
// they are, not applications; no planted credential reaches the snapshot or the
// evidence.
func TestAppsOfADisk(t *testing.T) {
	root, owned := appsDisk(t, "")
	s, raw := offlineApps(t, root)
	apps := map[string]snapshot.App{}
	for _, a := range s.Middleware.Apps {
		apps[a.Path] = a
	}
	redmine, ok := apps["/opt/redmine/releases/20240115"]
	if !ok {
		t.Fatalf("no Redmine at its release; apps %v, not apps %+v", keys(apps), s.Middleware.NotApps)
	}
	if redmine.Name != "Redmine 4.2.11" || redmine.VersionSource != "/opt/redmine/releases/20240115/lib/redmine/version.rb:8" ||
		redmine.Kind != "rails" || redmine.Release != "20240115" || redmine.Server != "passenger" {
		t.Errorf("redmine %+v", redmine)
	}
	if redmine.Runtime != "ruby 2.7.8" || !strings.Contains(redmine.RuntimeSource, "PassengerRuby /usr/local/rbenv/versions/2.7.8/bin/ruby at /etc/apache2/sites-enabled/redmine.conf:6") {
		t.Errorf("redmine's ruby %q from %q", redmine.Runtime, redmine.RuntimeSource)
	}
	var served []string
	for _, sp := range redmine.ServedBy {
		served = append(served, sp.By+" "+sp.Directive+" "+sp.Path+" -> "+sp.RealPath+" ["+strings.Join(sp.Links, ", ")+"]")
	}
	wantServed := []string{
		"apache redmine.example.test *:80 DocumentRoot /var/www/redmine -> /opt/redmine/releases/20240115/public [/var/www/redmine -> /opt/redmine/current/public, /opt/redmine/current -> releases/20240115]",
		"apache redmine.example.test *:80 PassengerAppRoot /opt/redmine/current -> /opt/redmine/releases/20240115 [/opt/redmine/current -> releases/20240115]",
	}
	if !reflect.DeepEqual(served, wantServed) {
		t.Errorf("redmine served by\n%s", strings.Join(served, "\n"))
	}
	if want := []string{"mysql2 0.5.5", "nokogiri 1.13.10", "rails 5.2.8.1", "rmagick 4.2.6"}; !reflect.DeepEqual(redmine.Gems, want) {
		t.Errorf("gems %v", redmine.Gems)
	}
	if want := []string{"plugin redmine_agile", "plugin redmine_checklists"}; !reflect.DeepEqual(redmine.Libraries, want) {
		t.Errorf("plugins %v", redmine.Libraries)
	}
	wantDB := []string{
		"rails=5.2.8.1 @/opt/redmine/releases/20240115/Gemfile.lock",
		"database.adapter=mysql2 @/opt/redmine/releases/20240115/config/database.yml:2",
		"database.host=127.0.0.1 @/opt/redmine/releases/20240115/config/database.yml:4",
		"database.database=redmine @/opt/redmine/releases/20240115/config/database.yml:3",
		"database.username=redmine @/opt/redmine/releases/20240115/config/database.yml:5",
	}
	if got := settings(redmine); !reflect.DeepEqual(got, wantDB) {
		t.Errorf("redmine settings\n%s", strings.Join(got, "\n"))
	}
	if !reflect.DeepEqual(redmine.Secrets, []string{"/opt/redmine/releases/20240115/config/secrets.yml"}) ||
		!reflect.DeepEqual(redmine.Configs, []string{"/opt/redmine/releases/20240115/config/configuration.yml", "/opt/redmine/releases/20240115/config/database.yml"}) {
		t.Errorf("configs %v secrets %v", redmine.Configs, redmine.Secrets)
	}
	data := map[string]snapshot.AppData{}
	for _, d := range redmine.Data {
		data[d.Path] = d
	}
	files, stored := data["/opt/redmine/releases/20240115/files"], data["/srv/redmine-files"]
	if files.What != "attachments" || files.ApparentBytes == nil || *files.ApparentBytes != 12288 || files.Bytes == nil || *files.Bytes < 12288 {
		t.Errorf("files %+v", files)
	}
	if stored.What != "attachments (attachments_storage_path)" || stored.Source != "/opt/redmine/releases/20240115/config/configuration.yml:9" ||
		stored.ApparentBytes == nil || *stored.ApparentBytes != 20480 {
		t.Errorf("attachments_storage_path %+v", stored)
	}
	if redmine.ApparentBytes == nil || *redmine.ApparentBytes < 12288 || redmine.Bytes == nil {
		t.Errorf("redmine's size %v %v", redmine.Bytes, redmine.ApparentBytes)
	}
	if owned && (redmine.Owner != "redmine" || redmine.Group != "redmine" || files.Owner != "www-data" || stored.Owner != "www-data") {
		t.Errorf("owners: tree %s:%s, files %s, attachments %s", redmine.Owner, redmine.Group, files.Owner, stored.Owner)
	}

	for _, c := range []struct{ path, name, source, server, kind string }{
		{"/var/www/blog", "WordPress 6.4.3", "/var/www/blog/wp-includes/version.php:13", "", "php"},
		{"/srv/shop", "Laravel 10.48.4", "/srv/shop/composer.lock:23", "php-fpm", "php"},
		{"/srv/portal", "Django 3.2.25", "/srv/portal/requirements.txt:1", "gunicorn", "python"},
		{"/srv/api", "Rails 7.0.8", "/srv/api/Gemfile.lock:6", "puma", "rails"},
		{"/var/lib/tomcat9/webapps/inventory", "Java webapp 2.3.1", "/var/lib/tomcat9/webapps/inventory/META-INF/MANIFEST.MF:3", "tomcat", "java"},
		{"/srv/intranet", "PHP (intranet)", "", "php-fpm", "php"},
		{"/opt/sync", "Java application (sync)", "", "java", "java"},
	} {
		a, ok := apps[c.path]
		if !ok {
			t.Errorf("no application at %s", c.path)
			continue
		}
		if a.Name != c.name || a.VersionSource != c.source || a.Server != c.server || a.Kind != c.kind {
			t.Errorf("%s: name %q from %q, server %q, kind %q", c.path, a.Name, a.VersionSource, a.Server, a.Kind)
		}
	}
	if got := settings(apps["/var/www/blog"]); !reflect.DeepEqual(got, []string{
		"database.adapter=mysql @/var/www/blog/wp-config.php", "database.host=db.internal @/var/www/blog/wp-config.php:6",
		"database.port=3307 @/var/www/blog/wp-config.php:6", "database.database=wordpress @/var/www/blog/wp-config.php:3",
		"database.username=wp @/var/www/blog/wp-config.php:4",
	}) {
		t.Errorf("wordpress settings %v", got)
	}
	shop := apps["/srv/shop"]
	if got := settings(shop); !reflect.DeepEqual(got, []string{
		"requires.php=^8.1 @/srv/shop/composer.json:5",
		"database.adapter=postgresql @/srv/shop/.env:7", "database.host=10.20.0.5 @/srv/shop/.env:8", "database.port=5432 @/srv/shop/.env:9",
		"database.database=shop @/srv/shop/.env:10", "database.username=shop @/srv/shop/.env:11",
	}) || !reflect.DeepEqual(shop.Extensions, []string{"gd", "intl"}) || shop.Runtime != "php 8.2" {
		t.Errorf("laravel settings %v, extensions %v, runtime %q", got, shop.Extensions, shop.Runtime)
	}
	portal := apps["/srv/portal"]
	if got := settings(portal); !reflect.DeepEqual(got, []string{
		"database.adapter=mysql @/srv/portal/portal/settings.py:11", "database.host=127.0.0.1 @/srv/portal/portal/settings.py:15",
		"database.port=3306 @/srv/portal/portal/settings.py:16", "database.database=portal @/srv/portal/portal/settings.py:12",
		"database.username=portal @/srv/portal/portal/settings.py:13",
	}) || portal.Runtime != "python 3.9" || portal.Service != "gunicorn.service" {
		t.Errorf("django settings %v, runtime %q, service %q", got, portal.Runtime, portal.Service)
	}
	var portalBy []string
	for _, sp := range portal.ServedBy {
		portalBy = append(portalBy, sp.By+" "+sp.Directive)
	}
	if !reflect.DeepEqual(portalBy, []string{"apache portal.example.test *:80 Alias", "systemd gunicorn.service ExecStart"}) {
		t.Errorf("django served by %q", portalBy)
	}
	if len(portal.Data) != 1 || portal.Data[0].Path != "/srv/portal-media" || portal.Data[0].Source != "/srv/portal/portal/settings.py:21" {
		t.Errorf("django data %+v", portal.Data)
	}
	api := apps["/srv/api"]
	if got := settings(api); !reflect.DeepEqual(got, []string{
		"rails=7.0.8 @/srv/api/Gemfile.lock",
		"database.adapter=postgresql @/srv/api/config/database.yml:2", "database.host=pg.internal @/srv/api/config/database.yml:12",
		"database.port=5433 @/srv/api/config/database.yml:13", "database.database=api_production @/srv/api/config/database.yml:14",
		"database.username=api @/srv/api/config/database.yml:15",
	}) || api.Runtime != "ruby 3.1.4" || api.Service != "puma.service" || !reflect.DeepEqual(api.Secrets, []string{"/srv/api/config/master.key"}) {
		t.Errorf("api settings %v, runtime %q, service %q, secrets %v", got, api.Runtime, api.Service, api.Secrets)
	}
	if len(api.Data) != 1 || api.Data[0].What != "Active Storage files" || api.Data[0].ApparentBytes == nil || *api.Data[0].ApparentBytes != 6000 {
		t.Errorf("api data %+v", api.Data)
	}
	if sync := apps["/opt/sync"]; sync.Service != "inventory-sync.service" || len(sync.ServedBy) != 1 || sync.ServedBy[0].By != "systemd inventory-sync.service" ||
		!reflect.DeepEqual(sync.Configs, []string{"/opt/sync/application.properties"}) {
		t.Errorf("the jar a unit runs %+v", sync)
	}
	inv := apps["/var/lib/tomcat9/webapps/inventory"]
	if got := settings(inv); !reflect.DeepEqual(got, []string{
		"database.adapter=mysql @/etc/tomcat9/Catalina/localhost/inventory.xml:2", "database.host=db.internal @/etc/tomcat9/Catalina/localhost/inventory.xml:2",
		"database.port=3306 @/etc/tomcat9/Catalina/localhost/inventory.xml:2", "database.database=inventory @/etc/tomcat9/Catalina/localhost/inventory.xml:2",
		"database.username=inventory @/etc/tomcat9/Catalina/localhost/inventory.xml:2",
	}) || !reflect.DeepEqual(inv.Libraries, []string{"mysql-connector-j-8.0.33.jar", "spring-webmvc-5.3.31.jar"}) {
		t.Errorf("tomcat webapp settings %v libraries %v", got, inv.Libraries)
	}

	// Served, but no application: said what they are.
	notApps := map[string]snapshot.ServedPath{}
	for _, n := range s.Middleware.NotApps {
		notApps[n.Path] = n
	}
	if _, ok := apps["/var/www/html"]; ok {
		t.Errorf("Debian's stock page is an application")
	}
	if n := notApps["/var/www/html"]; n.Found != "stock" || n.What != "Apache2 Debian Default Page: It works" || n.By != "apache (no ServerName) *:80" {
		t.Errorf("/var/www/html %+v", n)
	}
	if n := notApps["/var/lib/tomcat9/webapps/ROOT"]; n.Found != "stock" || n.What != "Apache Tomcat" {
		t.Errorf("Tomcat's ROOT %+v", n)
	}
	if n := notApps["/usr/share/apache2/icons/"]; n.Found != "absent" || n.By != "apache (every site)" {
		t.Errorf("the icons alias %+v", n)
	}
	if c := s.Coverage[snapshot.SectionApps]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "offline: which process serves a proxy's backend") {
		t.Errorf("coverage %+v", c)
	}

	// Nothing planted left the disk.
	doc, _ := json.Marshal(s)
	for _, v := range plantedIn(t, appsRoot) {
		if bytes.Contains(doc, []byte(v)) || bytes.Contains(raw, []byte(v)) {
			t.Errorf("the planted %q reached the snapshot or the evidence", v)
		}
	}
}

// The probe, run against the same disk under every shell, brings back the same
// applications as the offline reader: the records it prints, moved back from where
// the test put the disk, survey to the same facts.
func TestAppsOfADiskLiveAndOfflineAgree(t *testing.T) {
	root, _ := appsDisk(t, "")
	offline, _ := offlineApps(t, root)
	moved, _ := appsDisk(t, "-")
	steps := []probe.Step{
		{Kind: probe.Cmd, Name: "web-apps", Shell: "_web_apps " + moved, Limit: 4 << 20, Timeout: 60},
		{Kind: probe.Cmd, Name: "web-app-sizes", Shell: "_web_app_sizes " + moved, Limit: 4 << 20, Timeout: 60},
	}
	script := filepath.Join(t.TempDir(), "probe.sh")
	if err := os.WriteFile(script, probe.Render(steps), 0o644); err != nil {
		t.Fatal(err)
	}
	// collect's TestAppsProbeAndOfflineAgree holds every shell's records to the
	// offline reader's; two shells suffice here.
	for _, sh := range [][]string{{"dash"}, {"busybox", "sh"}} {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			if _, err := exec.LookPath(sh[0]); err != nil {
				t.Skipf("%s is not installed", sh[0])
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, sh[0], append(sh[1:], script)...).Output()
			if err != nil {
				t.Fatal(err)
			}
			live, err := evidence.DecodeBytes(out)
			if err != nil {
				t.Fatal(err)
			}
			res, err := collect.Root(context.Background(), root)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"web-apps", "web-app-sizes"} {
				it, _ := live.Cmd(name)
				off, _ := res.Archive.Cmd(name)
				off.Data = unmove(t, it.Data, moved)
			}
			s := checked(t, survey.Run(res.Archive, res.Source, nil))
			// The moved disk's files hold longer paths, so its sizes differ here;
			// collect's TestAppsProbeAndOfflineAgree holds them equal.
			a, b := appsJSON(t, withoutSizes(offline)), appsJSON(t, withoutSizes(s))
			if a != b {
				t.Errorf("the probe's records survey to other applications than the offline reader's:\noffline %s\nprobe   %s", a, b)
			}
		})
	}
}

// unmove takes the prefix out of the records, the length of each file's content
// with it.
func unmove(t *testing.T, data []byte, prefix string) []byte {
	t.Helper()
	var b bytes.Buffer
	text := string(data)
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		f := strings.Split(line, "\t")
		if (f[0] == "F" || f[0] == "G") && len(f) == 3 {
			n, err := strconv.Atoi(f[1])
			if err != nil || len(text) < n+1 {
				t.Fatalf("bad record %q", line)
			}
			body := strings.ReplaceAll(text[:n], prefix, "")
			text = text[n+1:]
			fmt.Fprintf(&b, "%s\t%d\t%s\n%s\n", f[0], len(body), f[2], body)
			continue
		}
		b.WriteString(strings.ReplaceAll(line, prefix, "") + "\n")
	}
	return b.Bytes()
}

func withoutSizes(s *snapshot.Snapshot) *snapshot.Snapshot {
	c := *s
	c.Middleware.Apps = slices.Clone(s.Middleware.Apps)
	for i := range c.Middleware.Apps {
		a := &c.Middleware.Apps[i]
		a.Bytes, a.ApparentBytes = nil, nil
		a.Data = slices.Clone(a.Data)
		for j := range a.Data {
			a.Data[j].Bytes, a.Data[j].ApparentBytes = nil, nil
		}
	}
	return &c
}

func appsJSON(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	b, err := json.Marshal([]any{s.Middleware.Apps, s.Middleware.NotApps, s.Coverage[snapshot.SectionApps]})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func settings(a snapshot.App) []string {
	var out []string
	for _, st := range a.Settings {
		out = append(out, st.Key+"="+st.Value+" @"+st.Source)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// plantedIn are the planted values of a disk's files, each once.
func plantedIn(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		for _, m := range plantedSecret.FindAll(b, -1) {
			seen[string(m)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 10 {
		t.Fatalf("only %d planted values in %s", len(seen), dir)
	}
	return slices.Sorted(maps.Keys(seen))
}
