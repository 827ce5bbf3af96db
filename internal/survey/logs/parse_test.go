package logs

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func fixture(t testing.TB, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseRsyslogLegacyLab(t *testing.T) {
	c := ParseRsyslog(fixture(t, "rsyslog_60-forward.conf"))
	want := []Dest{{Host: "10.231.0.40", Port: 514, Proto: "tcp", Line: 2}}
	if !reflect.DeepEqual(c.Dests, want) {
		t.Fatalf("got %+v", c.Dests)
	}
	main := ParseRsyslog(fixture(t, "rsyslog.conf"))
	if len(main.Dests) != 0 || !reflect.DeepEqual(main.Includes, []string{"/etc/rsyslog.d/*.conf"}) {
		t.Fatalf("rsyslog.conf: %+v", main)
	}
}

func TestParseRsyslogForms(t *testing.T) {
	text := "*.* @loghost\nauth.* @@(z9)[2001:db8::1]:10514;RSYSLOG_ForwardFormat\nmail.* :omrelp:relp.example:2514\n" +
		"action(type=\"omfwd\"\n  target=\"10.0.0.9\" port=\"601\" protocol=\"tcp\")\n$ModLoad imfile\n$InputFileName /var/log/app.log\n"
	got := fmt.Sprint(ParseRsyslog(text))
	want := "{[{loghost 514 udp 1} {2001:db8::1 10514 tcp 2} {relp.example 2514 relp 3} {10.0.0.9 601 tcp 4}] [/var/log/app.log] [] []}"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestParseKeyValueLogship(t *testing.T) {
	ch := SplitChunks(fixture(t, "log-shipper-configs_legacy.txt"), true)
	if len(ch) != 1 || ch[0].PID != 493 || ch[0].Path != "/etc/logship.conf" {
		t.Fatalf("chunks %+v", ch)
	}
	c := ParseKeyValue(ch[0].Text)
	if got := fmt.Sprint(c.Dests, c.Inputs); got != "[{10.231.0.40 24224  5}] [/var/log/apache2/access.log]" {
		t.Fatalf("got %s", got)
	}
}

func TestParseFluentd(t *testing.T) {
	text := `<source>
  type tail
  path /var/log/httpd/access_log
</source>
@include conf.d/*.conf
<match apache.**>
  @type forward
  <server>
    host 10.0.0.40
    port 24225
  </server>
  <server>
    host backup.example
  </server>
</match>
<match app.**>
  @type s3
  s3_bucket my-logs
</match>
<match es.**>
  @type elasticsearch
  host es.local
  port 9200
</match>`
	got := fmt.Sprint(ParseFluentd(text))
	want := "{[{10.0.0.40 24225 forward 9} {backup.example 24224 forward 13} {s3://my-logs 0 s3 18} {es.local 9200 elasticsearch 22}] [/var/log/httpd/access_log] [conf.d/*.conf] []}"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestParseFluentBitAndFilebeat(t *testing.T) {
	fb := ParseFluentBit("[INPUT]\n    Name tail\n    Path /var/log/*.log\n[OUTPUT]\n    Name  forward\n    Host  10.1.1.1\n    Port  24224\n")
	if got := fmt.Sprint(fb); got != "{[{10.1.1.1 24224 forward 6}] [/var/log/*.log] [] []}" {
		t.Fatalf("fluent-bit %s", got)
	}
	y, err := ParseFilebeat("filebeat.inputs:\n- type: log\n  paths:\n    - /var/log/messages\noutput.logstash:\n  hosts: [\"ls1:5044\", \"ls2\"]\n")
	if err != nil || fmt.Sprint(y) != "{[{ls1 5044 logstash 6} {ls2 5044 logstash 6}] [/var/log/messages] [] []}" {
		t.Fatalf("filebeat %v %v", y, err)
	}
}

func TestParseSyslogNG(t *testing.T) {
	text := "source s_app { file(\"/var/log/app.log\"); };\n# destination d_old { udp(\"1.1.1.1\"); };\ndestination d_net {\n  tcp(\"10.0.0.5\" port(1514));\n  network(\"logs.example\" transport(\"udp\") port(514));\n};\n"
	got := fmt.Sprint(ParseSyslogNG(text))
	if got != "{[{10.0.0.5 1514 tcp 4} {logs.example 514 udp 5}] [/var/log/app.log] [] []}" {
		t.Fatalf("got %s", got)
	}
}

func TestParseLogrotate(t *testing.T) {
	global, err := ParseLogrotate("weekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n", Rotate{})
	if err != nil || global.Global.Frequency != "weekly" || global.Global.Rotate != 4 || global.Includes[0] != "/etc/logrotate.d" {
		t.Fatalf("global %+v %v", global, err)
	}
	lr, err := ParseLogrotate(fixture(t, "logrotate_rsyslog"), global.Global)
	if err != nil || len(lr.Stanzas) != 1 {
		t.Fatalf("%+v %v", lr, err)
	}
	s := lr.Stanzas[0]
	if s.Line != 1 || len(s.Paths) != 13 || s.Paths[0] != "/var/log/syslog" || s.Frequency != "weekly" || s.Rotate != 4 || !s.Compress {
		t.Fatalf("stanza %+v", s)
	}
}

func TestParseFileStats(t *testing.T) {
	st, err := ParseFileStats(fixture(t, "var-log-files_legacy.txt") + "junk\n12 x /a\n")
	if len(st) != 17 || st[6].Path != "/var/log/apache2/access.log" || st[6].Bytes != 92 || st[6].Modified.Unix() != 1795225084 {
		t.Fatalf("%d %+v", len(st), st)
	}
	if err == nil || err.Error() != "2 lines could not be read; the first, line 19: expected size, mtime and path" {
		t.Fatalf("err %v", err)
	}
}

// Each log says which stanza rotates it; a live log none names is unrotated, a
// rotated copy or a log that does not grow is not, and without the whole
// configuration nothing is called unrotated.
func TestMarkRotation(t *testing.T) {
	files := func() []snapshot.LogFile {
		return []snapshot.LogFile{{Path: "/var/log/messages"}, {Path: "/var/log/messages-20150222"}, {Path: "/var/log/httpd/access_log"},
			{Path: "/var/log/httpd/access_log.1.gz"}, {Path: "/var/log/app/batch.log"}, {Path: "/var/log/lastlog"}, {Path: "/var/log/app/batch.log.1"}}
	}
	rot := []snapshot.LogRotate{{Paths: []string{"/var/log/messages", "/var/log/secure"}, Source: "/etc/logrotate.d/syslog:1"},
		{Paths: []string{"/var/log/httpd/*log"}, Source: "/etc/logrotate.d/httpd:1"}}
	fs := files()
	markRotation(fs, rot, true)
	want := []struct {
		by        string
		unrotated bool
	}{{"/etc/logrotate.d/syslog:1", false}, {"/etc/logrotate.d/syslog:1", false}, {"/etc/logrotate.d/httpd:1", false},
		{"/etc/logrotate.d/httpd:1", false}, {"", true}, {"", false}, {"", false}}
	for i, w := range want {
		if fs[i].RotatedBy != w.by || fs[i].Unrotated != w.unrotated {
			t.Errorf("%s: rotated by %q, unrotated %v; want %q, %v", fs[i].Path, fs[i].RotatedBy, fs[i].Unrotated, w.by, w.unrotated)
		}
	}
	fs = files()
	markRotation(fs, rot, false)
	for _, f := range fs {
		if f.Unrotated {
			t.Errorf("%s called unrotated without the whole configuration", f.Path)
		}
	}
}
