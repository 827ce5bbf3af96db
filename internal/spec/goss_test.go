package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// exported is the gossfile of one expectation from a host whose init system was
// init, read back, and the header.
func exported(t *testing.T, init string, e Expectation) (map[string]map[string]map[string]any, string) {
	t.Helper()
	if e.From.Host == "" {
		e.From.Host = "old"
	}
	file, err := Goss(&Spec{TrowelSpec: FormatVersion, Source: Source{Host: "old", Init: init}, Expectations: []Expectation{e}})
	if err != nil {
		t.Fatal(err)
	}
	doc := asGossReads(t, file)
	var g map[string]map[string]map[string]any
	if err := yaml.Unmarshal(doc, &g); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, doc)
	}
	return g, string(doc)
}

// asGossReads is a gossfile as goss reads it: run as a Go template first (goss's
// own functions are never called by an export, so none are defined here).
func asGossReads(t *testing.T, file []byte) []byte {
	t.Helper()
	tmpl, err := template.New("gossfile").Option("missingkey=error").Parse(string(file))
	if err != nil {
		t.Fatalf("goss cannot load it as a template: %v\n%s", err, file)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]any{}); err != nil {
		t.Fatalf("goss cannot run it as a template: %v\n%s", err, file)
	}
	return out.Bytes()
}

// TestGossKeepsTemplateText: a command line holding Go template text (docker's
// --format, a program's own templates) reaches goss as it is, in the header's
// comments and in a resource: goss runs the whole file as a template first.
func TestGossKeepsTemplateText(t *testing.T) {
	cmd := `/usr/bin/docker-gen -notify-output -format '{{ .Name }}{{{x}}}' /etc/docker-gen/{{name}}.tmpl`
	e := Expectation{ID: "process:" + cmd + ":root", Body: Process{Name: "docker-gen", Command: cmd, User: "root"}}
	e.From.Host = "old {{host}}"
	g, doc := exported(t, "systemd", e)
	if !strings.Contains(doc, cmd) || !strings.Contains(doc, "old {{host}}") {
		t.Errorf("the command line or the host's name did not reach goss as it is:\n%s", doc)
	}
	if len(g) == 0 {
		t.Errorf("no resource:\n%s", doc)
	}
}

// TestGossShapes holds each kind's export to the resource goss reads it by, and its
// attributes.
func TestGossShapes(t *testing.T) {
	yes := true
	for _, c := range []struct {
		name string
		init string
		e    Expectation
		want map[string]map[string]map[string]any // type, name, attributes (those named)
		not  string                               // why goss cannot, when it cannot
	}{
		// A wildcard is reached on either family, as verify sees it: 0.0.0.0:3306 on the
		// old host is kept by [::]:3306 on the new one. goss's port resource reads one
		// table, so ss answers.
		{name: "a dual-stack wildcard listener, by ss", e: Expectation{ID: "port:tcp/80", Body: Port{Proto: "tcp", Address: "*", Port: 80, Socket: "tcp6"}},
			want: map[string]map[string]map[string]any{"command": {"port:tcp/80": {"exec": `ss -Hlnt 'sport = :80' | grep -Eq '(0\.0\.0\.0|\*|\[::\]):80 '`, "exit-status": 0}}}},
		{name: "an IPv4 wildcard listener, by ss", e: Expectation{ID: "port:tcp/22", Body: Port{Proto: "tcp", Address: "*", Port: 22, Socket: "tcp"}},
			want: map[string]map[string]map[string]any{"command": {"port:tcp/22": {"exec": `ss -Hlnt 'sport = :22' | grep -Eq '(0\.0\.0\.0|\*|\[::\]):22 '`}}}},
		{name: "a UDP wildcard listener", e: Expectation{ID: "port:udp/514", Body: Port{Proto: "udp", Address: "*", Port: 514, Socket: "udp"}},
			want: map[string]map[string]map[string]any{"command": {"port:udp/514": {"exec": `ss -Hlnu 'sport = :514' | grep -Eq '(0\.0\.0\.0|\*|\[::\]):514 '`}}}},
		{name: "an IPv4-mapped loopback listener is tcp6, its address as Go writes it",
			e:    Expectation{ID: "port:tcp/6379@loopback", Body: Port{Proto: "tcp", Address: "::ffff:127.0.0.1", Port: 6379, Socket: "tcp6"}},
			want: map[string]map[string]map[string]any{"port": {"tcp6:6379": {"ip": []any{"127.0.0.1"}}}}},
		{name: "an IPv6 address in capitals", e: Expectation{ID: "port:udp/53@fe80::a", Body: Port{Proto: "udp", Address: "fe80::a", Port: 53, Socket: "udp6"}},
			want: map[string]map[string]map[string]any{"port": {"udp6:53": {"ip": []any{"FE80::A"}}}}},
		{name: "the old host's own address, any but loopback allowed", e: Expectation{ID: "port:tcp/3306@10.0.0.1", Allow: []string{AllowAddress}, Body: Port{Proto: "tcp", Address: "10.0.0.1", Port: 3306, Socket: "tcp"}},
			want: map[string]map[string]map[string]any{"command": {"port:tcp/3306@10.0.0.1": {"exec": `ss -Hlnt 'sport = :3306' | grep -Eqv '(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):3306 '`}}}},
		{name: "a spec written without sockets", e: Expectation{ID: "port:tcp/80", Body: Port{Proto: "tcp", Address: "*", Port: 80}},
			want: map[string]map[string]map[string]any{"command": {"port:tcp/80": {"exit-status": 0}}}},
		{name: "a loopback listener in a spec written without sockets", e: Expectation{ID: "port:tcp/6379@loopback", Body: Port{Proto: "tcp", Address: "127.0.0.1", Port: 6379}},
			want: map[string]map[string]map[string]any{"port": {"tcp:6379": {"listening": true, "ip": []any{"127.0.0.1"}}}}},
		{name: "systemd's services through goss's resource", init: "systemd", e: Expectation{ID: "service:nginx", Body: Service{Name: "nginx", Running: &yes, Enabled: &yes}},
			want: map[string]map[string]map[string]any{"service": {"nginx": {"running": true, "enabled": true}}}},
		{name: "a service that need not start at boot", init: "systemd", e: Expectation{ID: "service:nginx", Allow: []string{AllowEnabled}, Body: Service{Name: "nginx", Running: &yes, Enabled: &yes}},
			want: map[string]map[string]map[string]any{"service": {"nginx": {"running": true, "enabled": nil}}}},
		{name: "SysV services through the init scripts", init: "sysv", e: Expectation{ID: "service:httpd", Body: Service{Name: "httpd", Running: &yes, Enabled: &yes}},
			want: map[string]map[string]map[string]any{"command": {
				"service:httpd (running)":         {"exec": "systemctl is-active -q httpd 2>/dev/null || service httpd status", "exit-status": 0},
				"service:httpd (enabled at boot)": {"exec": "systemctl is-enabled -q httpd 2>/dev/null || ls /etc/rc[2345].d/S[0-9][0-9]httpd"}}}},
		{name: "a service name sh would split", e: Expectation{ID: "service:x", Body: Service{Name: "x y", Running: &yes}}, not: "no init script's name"},
		{name: "a service's account runs something", e: Expectation{ID: "process:postfix:postfix", Body: Process{Name: "pickup", Service: "postfix", User: "postfix"}},
			want: map[string]map[string]map[string]any{"command": {"process:postfix:postfix": {"exec": "ps -u postfix -o args=", "stdout": nil}}}},
		{name: "a program by its command line", e: Expectation{ID: "process:/opt/w.sh:deploy", Body: Process{Name: "w.sh", Command: "/opt/w.sh", User: "deploy"}},
			want: map[string]map[string]map[string]any{"command": {"process:/opt/w.sh:deploy": {"exec": "ps -u deploy -o args=", "stdout": []any{`/(^|\s)/opt/w\.sh(\s|$)/`}}}}},
		{name: "a noauto mount by its fstab line", e: Expectation{ID: "mount:/mnt/b", Body: Mount{MountPoint: "/mnt/b", Device: "f:/b", Declared: true}},
			want: map[string]map[string]map[string]any{"file": {"/etc/fstab": {"exists": true, "contents": []any{`/^\s*[^#\s]\S*\s+/mnt/b\s/`}}}}},
		{name: "a network mount with its source", e: Expectation{ID: "mount:/mnt/b", Body: Mount{MountPoint: "/mnt/b", Device: "f:/b", FSType: "nfs"}},
			want: map[string]map[string]map[string]any{"mount": {"/mnt/b": {"exists": true, "filesystem": "nfs", "source": "f:/b"}}}},
		{name: "a kernel parameter of several fields", e: Expectation{ID: "sysctl:net.ipv4.ip_local_port_range", Body: Sysctl{Key: "net.ipv4.ip_local_port_range", Value: "1024 65000"}},
			want: map[string]map[string]map[string]any{"kernel-param": {"net.ipv4.ip_local_port_range": {"value": map[string]any{"match-regexp": `^\s*1024\s+65000\s*$`}}}}},
		{name: "a glob of kernel parameters", e: Expectation{ID: "sysctl:x", Body: Sysctl{Key: "net.ipv4.conf.*.rp_filter", Value: "1"}}, not: "not a glob"},
		{name: "a user's groups, uid tolerated", e: Expectation{ID: "user:ops", Allow: []string{AllowUID}, Body: User{Name: "ops", UID: new(int), Groups: []string{"adm"}, Shell: "/bin/bash"}},
			want: map[string]map[string]map[string]any{"user": {"ops": {"exists": true, "groups": []any{"adm"}, "shell": "/bin/bash", "uid": nil}}}},
		{name: "Postfix's name in its own case", e: Expectation{ID: "setting:postfix:smtp_tls_CApath", Body: Setting{Service: "postfix", Key: "smtp_tls_CApath", Value: "/etc/ssl/certs"}},
			want: map[string]map[string]map[string]any{"command": {"setting:postfix:smtp_tls_CApath": {"exec": "postconf -h smtp_tls_CApath"}}}},
		{name: "a Match block's setting", e: Expectation{ID: "setting:sshd:m", Body: Setting{Service: "sshd", Key: "match user x: passwordauthentication", Value: "no"}}, not: "Match blocks"},
		{name: "an Include", e: Expectation{ID: "setting:sshd:include", Body: Setting{Service: "sshd", Key: "include", Value: "/etc/ssh/sshd_config.d/*.conf"}}, not: "not the Include"},
		{name: "a setting no tool prints without credentials", e: Expectation{ID: "setting:postgresql:port", Body: Setting{Service: "postgresql", Key: "port", Value: "5433"}}, not: "without its credentials"},
		{name: "a shipper that was connected", e: Expectation{ID: "log_shipper:td-agent", Body: LogShipper{Name: "td-agent", User: "td-agent", Command: "/opt/td-agent/bin/ruby", Destinations: []string{"log:24224", "10.0.0.9:514"}, Connected: []string{"10.0.0.5:24224"}}},
			want: map[string]map[string]map[string]any{"command": {
				"log_shipper:td-agent (running)":                     {"exec": "ps -u td-agent -o args="},
				"log_shipper:td-agent (connected to 10.0.0.5:24224)": {"exec": "ss -tn state established"}}}},
		{name: "a periodic job is its script", e: Expectation{ID: "cron:/etc/cron.daily/x", From: From{Source: "/etc/cron.daily/x"}, Body: Cron{User: "root", Schedule: "daily", Command: "/etc/cron.daily/x"}},
			want: map[string]map[string]map[string]any{"file": {"/etc/cron.daily/x": {"exists": true}}}},
		{name: "a User_Alias rule in the sudoers files", e: Expectation{ID: "sudo:ADMINS", Body: Sudo{Name: "ADMINS", RunAs: "ALL", Commands: []string{"ALL"}}},
			want: map[string]map[string]map[string]any{"command": {"sudo:ADMINS": {"exec": "cat /etc/sudoers /etc/sudoers.d/* 2>/dev/null; true"}}}},
		{name: "an SMTP answer", e: Expectation{ID: "smtp:25", Body: SMTP{Port: 25}}, not: "no SMTP resource"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, doc := exported(t, c.init, c.e)
			if c.not != "" {
				if len(g) > 0 || !strings.Contains(doc, c.not) || !strings.Contains(doc, "#     "+c.e.ID+"\n") {
					t.Errorf("want it listed as not expressible (%q):\n%s", c.not, doc)
				}
				return
			}
			for typ, rs := range c.want {
				if len(g[typ]) != len(rs) {
					t.Errorf("%s: %d resources, want %d:\n%s", typ, len(g[typ]), len(rs), doc)
				}
				for name, attrs := range rs {
					got, ok := g[typ][name]
					if !ok {
						t.Errorf("no %s %q:\n%s", typ, name, doc)
						continue
					}
					for k, v := range attrs {
						if g, _ := json.Marshal(got[k]); string(g) != string(must(json.Marshal(v))) {
							t.Errorf("%s %q: %s = %s, want %s", typ, name, k, g, must(json.Marshal(v)))
						}
					}
					if got["title"] != c.e.ID {
						t.Errorf("%s %q: title %v, want %s", typ, name, got["title"], c.e.ID)
					}
				}
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// printed are outputs of the tools the commands run, as each release prints them,
// against which the patterns an expectation exports must hold (is) or not (isNot):
// what a host that meets the expectation prints, and what one that does not.
var printed = []struct {
	name      string
	e         Expectation
	is, isNot string
}{
	{name: "sshd -T of OpenSSH 8.4 prints both names of a renamed setting",
		e:     Expectation{ID: "setting:sshd:kbdinteractiveauthentication", Body: Setting{Service: "sshd", Key: "kbdinteractiveauthentication", Value: "no"}},
		is:    "port 22\nkbdinteractiveauthentication yes\nchallengeresponseauthentication no\nusepam yes\n",
		isNot: "port 22\nkbdinteractiveauthentication yes\nchallengeresponseauthentication yes\n"},
	{name: "sshd -T of OpenSSH 9.2 prints the new name only",
		e:     Expectation{ID: "setting:sshd:kbdinteractiveauthentication", Body: Setting{Service: "sshd", Key: "kbdinteractiveauthentication", Value: "no"}},
		is:    "usepam yes\nkbdinteractiveauthentication no\n",
		isNot: "usepam yes\nkbdinteractiveauthentication yes\n"},
	{name: "sshd -T prints one allowusers line per user",
		e:     Expectation{ID: "setting:sshd:allowusers", Body: Setting{Service: "sshd", Key: "allowusers", Value: "alice deploy@10.0.0.*"}},
		is:    "allowusers alice\nallowusers deploy@10.0.0.*\nallowgroups ops\n",
		isNot: "allowusers alice\nallowusers deploy\n"},
	{name: "sshd_config as written, where sshd cannot run",
		e:     Expectation{ID: "setting:sshd:allowusers", Body: Setting{Service: "sshd", Key: "allowusers", Value: "alice deploy"}},
		is:    "# sshd_config\nAllowUsers alice deploy\nUsePAM yes\n",
		isNot: "#AllowUsers alice deploy\nAllowUsers alice\n"},
	{name: "sshd -T writes yes and no in lower case",
		e:     Expectation{ID: "setting:sshd:permitrootlogin", Body: Setting{Service: "sshd", Key: "permitrootlogin", Value: "Yes"}},
		is:    "permitrootlogin yes\n",
		isNot: "permitrootlogin no\n"},
	{name: "sshd -T names without-password by its new name",
		e:     Expectation{ID: "setting:sshd:permitrootlogin", Body: Setting{Service: "sshd", Key: "permitrootlogin", Value: "without-password"}},
		is:    "permitrootlogin prohibit-password\n",
		isNot: "permitrootlogin yes\n"},
	{name: "sshd -T writes an address with its port",
		e:     Expectation{ID: "setting:sshd:listenaddress", Body: Setting{Service: "sshd", Key: "listenaddress", Value: "::"}},
		is:    "port 22\nlistenaddress [::]:22\nlistenaddress 0.0.0.0:22\n",
		isNot: "port 22\nlistenaddress 0.0.0.0:22\n"},
	{name: "postconf -h keeps a list's commas as written",
		e:     Expectation{ID: "setting:postfix:mydestination", Body: Setting{Service: "postfix", Key: "mydestination", Value: "$myhostname, legacy, localhost"}},
		is:    "$myhostname,legacy,  localhost\n",
		isNot: "$myhostname, localhost\n"},
	{name: "my_print_defaults writes a name with dashes",
		e:     Expectation{ID: "setting:mariadb:bind_address", Body: Setting{Service: "mariadb", Key: "bind_address", Value: "0.0.0.0"}},
		is:    "--user=mysql\n--bind-address=0.0.0.0\n",
		isNot: "--bind-address=127.0.0.1\n"},
	{name: "crontab -l keeps cron's \\% escape and a job's input",
		e:     Expectation{ID: "cron:/var/spool/cron/crontabs/root:5", From: From{Source: "/var/spool/cron/crontabs/root:5"}, Body: Cron{User: "root", Schedule: "45 3 * * *", Command: "tar czf /b/etc-$(date +%a).tgz /etc"}},
		is:    "MAILTO=ops\n45 3  * * *\ttar czf /b/etc-$(date +\\%a).tgz /etc\n",
		isNot: "#45 3 * * * tar czf /b/etc-$(date +\\%a).tgz /etc\n"},
	{name: "a job's standard input follows its command after a %",
		e:     Expectation{ID: "cron:/var/spool/cron/crontabs/root:8", From: From{Source: "/var/spool/cron/crontabs/root:8"}, Body: Cron{User: "root", Schedule: "0 9 * * 1", Command: "/usr/sbin/sendmail ops"}},
		is:    "0 9 * * 1 /usr/sbin/sendmail ops%Subject: ping%%alive\n",
		isNot: "0 9 * * 1 /usr/sbin/sendmail ops2\n"},
	{name: "cron.d names the user",
		e:     Expectation{ID: "cron:/etc/cron.d/r:5", From: From{Source: "/etc/cron.d/r:5"}, Body: Cron{User: "www-data", Schedule: "*/10 * * * *", Command: "find /tmp -delete"}},
		is:    "SHELL=/bin/sh\n*/10 * * * * www-data find /tmp -delete\n",
		isNot: "*/10 * * * * root find /tmp -delete\n"},
	{name: "sudo -l lists a rule without its host, tags before the commands",
		e:     Expectation{ID: "sudo:deploy", Body: Sudo{Name: "deploy", RunAs: "ALL", Commands: []string{"ALL"}, NoPasswd: new(bool)}},
		is:    "Matching Defaults entries for deploy on legacy:\n    env_reset, mail_badpass\n\nUser deploy may run the following commands on legacy:\n    (ALL) ALL\n",
		isNot: "User deploy may run the following commands on legacy:\n    (ALL) NOPASSWD: ALL\n"},
	{name: "sudo -l lists a user's Defaults among the matching ones",
		e:     Expectation{ID: "sudo:ops", Body: Sudo{Name: "ops", RunAs: "ALL:ALL", Commands: []string{"/usr/bin/systemctl restart apache2", "/usr/bin/systemctl reload apache2"}, Defaults: []string{"Defaults env_reset", "Defaults:ops requiretty"}}},
		is:    "Matching Defaults entries for ops on legacy:\n    env_reset, mail_badpass, secure_path=/usr/sbin\\:/usr/bin, requiretty\n\nUser ops may run the following commands on legacy:\n    (ALL : ALL) /usr/bin/systemctl restart apache2, /usr/bin/systemctl reload apache2\n",
		isNot: "Matching Defaults entries for ops on legacy:\n    env_reset\n\nUser ops may run the following commands on legacy:\n    (ALL : ALL) /usr/bin/systemctl restart apache2, /usr/bin/systemctl reload apache2\n"},
	{name: "a %group rule as the sudoers file writes it",
		e:     Expectation{ID: "sudo:%sudo", Body: Sudo{Name: "%sudo", RunAs: "ALL:ALL", Commands: []string{"ALL"}}},
		is:    "# Allow members of group sudo to execute any command\n%sudo\tALL=(ALL:ALL) ALL\n",
		isNot: "#%sudo\tALL=(ALL:ALL) ALL\n"},
	{name: "ss writes the peer of an established connection",
		e:     Expectation{ID: "log_shipper:logship", Body: LogShipper{Name: "logship", Command: "/usr/local/sbin/logship", Connected: []string{"10.231.0.40:24224"}}},
		is:    "Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n0      0        10.231.0.10:41822 10.231.0.40:24224\n/usr/bin/python3 /usr/local/sbin/logship /etc/logship.conf\n",
		isNot: "0      0        10.231.0.10:41822 10.231.0.40:2422\n/usr/local/sbin/logship.old\n"},
	{name: "ssh-keygen -l lists a fingerprint between its size and comment",
		e:     Expectation{ID: "key:root:SHA256:YBKt+x/g", From: From{Source: "/root/.ssh/authorized_keys:1"}, Body: Key{User: "root", Fingerprint: "SHA256:YBKt+x/g"}},
		is:    "3072 SHA256:YBKt+x/g contractor@old-jenkins (RSA)\n",
		isNot: "3072 SHA256:YBKt+x/gZ contractor@old-jenkins (RSA)\n"},
	{name: "the zone where each family keeps it",
		e:     Expectation{ID: "timezone", Body: Timezone{Zone: "Asia/Tokyo"}},
		is:    "ZONE=\"Asia/Tokyo\"\nUTC=false\n",
		isNot: "/usr/share/zoneinfo/UTC\nEtc/UTC\n"},
	{name: "iptables-save and nft write a port opened",
		e:     Expectation{ID: "firewall:tcp/80", Body: Firewall{Proto: "tcp", Port: 80}},
		is:    "*filter\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n",
		isNot: "-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT\n-A INPUT -p udp -m udp --dport 80 -j ACCEPT\n"},
	{name: "an HTTP answer's title and redirect",
		e:     Expectation{ID: "http:r:80/", Body: HTTP{Proto: "http", Port: 80, VHost: "r", Path: "/", Status: 302, Location: "http://r/login", Title: "Redmine  Login"}},
		is:    "Location: http://r/login\nServer: Apache\n<html><head><title>Redmine Login</title>\n",
		isNot: "Location: http://r/login2\n<title>Redmine</title>\n"},
}

// patternsOf are the patterns an expectation's resources want of a tool's output:
// commands' stdout, a file's contents, an HTTP answer's headers and body.
func patternsOf(t *testing.T, e Expectation) []string {
	t.Helper()
	g, doc := exported(t, "", e)
	var out []string
	for _, rs := range g {
		for _, attrs := range rs {
			for _, k := range []string{"stdout", "contents", "headers", "body"} {
				ps, _ := attrs[k].([]any)
				for _, p := range ps {
					out = append(out, p.(string))
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s exports no pattern:\n%s", e.ID, doc)
	}
	return out
}

// gossHolds reads a pattern as goss does (a /regular expression/, matched against
// each line; every pattern here is one) and reports whether a line of text matches.
func gossHolds(t *testing.T, pattern, text string) bool {
	t.Helper()
	if len(pattern) < 2 || pattern[0] != '/' || pattern[len(pattern)-1] != '/' {
		t.Fatalf("pattern %q is no /regular expression/: goss would read it as a substring", pattern)
	}
	re, err := regexp.Compile(pattern[1 : len(pattern)-1])
	if err != nil {
		t.Fatalf("pattern %q: %v", pattern, err)
	}
	return slices.ContainsFunc(strings.Split(text, "\n"), re.MatchString)
}

// TestGossPatternsMatchWhatToolsPrint holds the patterns to the tools' output: every
// pattern of an expectation finds its line in what a host that meets it prints, and
// some pattern misses in what a host that does not prints.
func TestGossPatternsMatchWhatToolsPrint(t *testing.T) {
	for _, c := range printed {
		t.Run(c.name, func(t *testing.T) {
			var missed []string
			for _, p := range patternsOf(t, c.e) {
				if !gossHolds(t, p, c.is) {
					t.Errorf("%s finds no line in:\n%s", p, c.is)
				}
				if !gossHolds(t, p, c.isNot) {
					missed = append(missed, p)
				}
			}
			if len(missed) == 0 {
				t.Errorf("every pattern holds in what a host without it prints:\n%s", c.isNot)
			}
		})
	}
}

// TestGossReadsThePatterns runs the real goss, when it is beside the project, on the
// same outputs (goss's matching resource with have-patterns, the matcher of command
// output): goss reads every pattern as this package's tests do.
func TestGossReadsThePatterns(t *testing.T) {
	goss, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "tools", "goss", "goss"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(goss); err != nil {
		if os.Getenv("TROWEL_LAB_REQUIRED") == "1" {
			t.Fatalf("goss required (TROWEL_LAB_REQUIRED=1): %v", err)
		}
		t.Skipf("the real goss is not beside the project (%v): see ../shared/tools/goss/README.md", err)
	}
	matching := map[string]any{}
	for _, c := range printed {
		ps := patternsOf(t, c.e)
		matching[c.name+" (is)"] = map[string]any{"content": c.is, "matches": map[string]any{"have-patterns": ps}}
		matching[c.name+" (is not)"] = map[string]any{"content": c.isNot, "matches": map[string]any{"not": map[string]any{"have-patterns": ps}}}
	}
	doc, err := yaml.Marshal(map[string]any{"matching": matching})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "patterns.yaml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, runErr := exec.Command(goss, "-g", file, "validate", "--format", "json").Output()
	var r struct {
		Results []struct {
			Successful bool   `json:"successful"`
			ID         string `json:"resource-id"`
			Summary    string `json:"summary-line"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("goss printed no report (%v): %v\n%s", runErr, err, out)
	}
	if len(r.Results) != len(matching) {
		t.Errorf("goss checked %d, want %d", len(r.Results), len(matching))
	}
	for _, res := range r.Results {
		if !res.Successful {
			t.Errorf("goss reads the patterns otherwise: %s", res.Summary)
		}
	}
}
