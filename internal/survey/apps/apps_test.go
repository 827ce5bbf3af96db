package apps

import (
	"encoding/json"
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

func TestRubyLegacyRedmine(t *testing.T) {
	a := kittest.Archive(
		kittest.Failed(evidence.KindCmd, "ruby-v", evidence.StatusAbsent, ""),
		kittest.File("/var/www/redmine/Gemfile.lock", fixture(t, "redmine-Gemfile.lock")),
		kittest.File("/var/www/redmine/lib/redmine/version.rb", fixture(t, "redmine-version.rb")),
		kittest.File("/var/www/redmine/config/environment.rb", "Rails.application.initialize!\n"),
		kittest.File("/var/www/redmine/config/database.yml", fixture(t, "redmine-database.yml")),
	)
	s := &snapshot.Snapshot{Middleware: snapshot.Middleware{WebServers: []snapshot.WebServer{{Kind: "apache",
		VHosts: []snapshot.VHost{{DocumentRoot: "/var/www/redmine/public"}}}}}}
	in := kittest.Input(a, s)
	NewRuby().Survey(in)
	apps := in.Snap.Middleware.Apps
	if len(apps) != 1 {
		t.Fatalf("apps %+v", apps)
	}
	got := apps[0]
	if got.Name != "Redmine 4.2.11" || got.Path != "/var/www/redmine" || got.Kind != "rails" || got.Runtime != "" {
		t.Errorf("app %+v", got)
	}
	if want := []string{"i18n 1.8.11", "mysql2 0.5.5", "nokogiri 1.13.10", "rails 5.2.8.1"}; !reflect.DeepEqual(got.Gems, want) {
		t.Errorf("gems %v", got.Gems)
	}
	var settings []string
	for _, st := range got.Settings {
		settings = append(settings, st.Key+"="+st.Value)
	}
	if want := []string{"rails=5.2.8.1", "database.adapter=mysql2", "database.database=redmine", "database.host=127.0.0.1"}; !reflect.DeepEqual(settings, want) {
		t.Errorf("settings %v", settings)
	}
	b, _ := json.Marshal(in.Snap)
	if strings.Contains(string(b), "redmine-db-pw") || strings.Contains(string(b), "redacted") {
		t.Error("a password (or its marker) reached the snapshot")
	}
	if c := in.Snap.Coverage[snapshot.SectionRuby]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "Ruby that runs") {
		t.Errorf("coverage %+v", c)
	}
}

func TestRubyVAndServers(t *testing.T) {
	if v := ParseRubyV("ruby 1.8.5 (2006-08-25) [x86_64-linux]\n"); v != "1.8.5" {
		t.Errorf("1.8.5: %q", v)
	}
	if v := ParseRubyV("ruby 2.7.4p191 (2021-07-07 revision a21a3b7d23) [x86_64-linux-gnu]\n"); v != "2.7.4" {
		t.Errorf("2.7.4: %q", v)
	}
	s := &snapshot.Snapshot{Processes: []snapshot.Process{{Command: "unicorn_rails master -c /srv/app/config/unicorn.rb -E production -D"}}}
	if got := rubyServer(s, "/srv/app", false); got != "unicorn" {
		t.Errorf("server %q", got)
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
	apps := in.Snap.Middleware.Apps
	if len(apps) != 2 {
		t.Fatalf("apps %+v", apps)
	}
	if apps[0].Server != "mod_php" || apps[0].Runtime != "php 5.1.6" {
		t.Errorf("ini app %+v", apps[0])
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
		kittest.List("/var/lib/tomcat6/webapps", "d\tROOT\nf\tjenkins.war\nd\tjenkins\n"),
	)
	in := kittest.Input(a, nil)
	NewJava().Survey(in)
	apps := in.Snap.Middleware.Apps
	if len(apps) != 4 {
		t.Fatalf("apps %+v", apps)
	}
	want := []snapshot.Setting{
		{Key: "connector", Value: "port=8080 protocol=HTTP/1.1 ssl=false", Source: "/etc/tomcat6/server.xml:3"},
		{Key: "connector", Value: "port=8443 protocol=HTTP/1.1 ssl=true", Source: "/etc/tomcat6/server.xml:5"},
		{Key: "connector", Value: "port=8009 protocol=AJP/1.3 ssl=false", Source: "/etc/tomcat6/server.xml:6"},
	}
	if !reflect.DeepEqual(apps[0].Settings, want) || apps[0].Runtime != "java 11.0.20" {
		t.Errorf("server.xml app %+v", apps[0])
	}
	if apps[1].Name != "ROOT" || apps[2].Name != "jenkins" || apps[2].Path != "/var/lib/tomcat6/webapps/jenkins.war" {
		t.Errorf("webapps %+v", apps[1:])
	}
	if c := in.Snap.Coverage[snapshot.SectionJava]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}
