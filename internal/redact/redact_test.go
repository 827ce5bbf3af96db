package redact

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

var corpus = []string{
	"[client]\npassword = s3cret\nuser=root\n",
	"[mysqld]\nbind-address = 0.0.0.0\n",
	"db:\n  password: hunter2 # old\n  host: db1\n",
	"define('DB_PASSWORD', 'wp-pass');\n",
	"define( 'AUTH_KEY', 'put your unique phrase here' );\ndefine('DB_HOST', 'db1');\n",
	"$db_pwd = 'x';\n",
	"\"api_key\": \"AKIA123\",\n",
	"aws_secret_access_key=abc/def\n",
	"SSLCertificateKeyFile /etc/ssl/private/server.key\n",
	"ssl_key = /etc/ssl/private/x.key\n",
	"requirepass foobared\nmasterauth  other\n",
	"GRANT ALL ON *.* TO 'u'@'%' IDENTIFIED BY 'pw';\n",
	"url = mysql://redmine:Passw0rd@db.example:3306/redmine\nhttp://host/path\n",
	"token:abc\nnotoken here\n",
	"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\nafter\n",
	"x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
	"ssh-rsa AAAAB3NzaC1yc2E user@host\n",
	"no newline at end password=1",
	"binary \xff\xfe password=\x00\x01secret\n\xc3\x28 token=\xa0\xa1\n",
	"smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\nrelayhost = [10.0.0.1]:25\n",
	"",
	"\n\n",
	"PassengerRuby /usr/bin/ruby\nPASSWORD=X\nPassword\t=\tY\n",
	"<Connector port=\"8443\" keystorePass=\"kspass1\" truststorePassword='tspass2' clientAuth=\"false\"/>\n",
	"<add key=\"x\" client_secret=\"cs3\" accessToken=\"tok4\" passive=\"true\"/>\n",
	"30 2 * * * mysqldump -uroot -pdumpPW5 --all-databases | gzip > /backup/all.sql.gz\n",
	"0 * * * * /opt/sync --password=syncPW6 --token tokPW7 -v\n",
	"PGPASSWORD=pgPW8 pg_dump db > x; curl -H x --api-key keyPW9 http://h\n",
	"mysql -u a -p -h b\n",
	"  mysqladmin -pfirst -psecond status\n",
}

func TestKnownSecretsAreRemoved(t *testing.T) {
	cases := map[string]string{
		"password = s3cret\n":                                                  "password = <redacted>\n",
		"  password: hunter2 # old\n":                                          "  password: <redacted>\n",
		"define('DB_PASSWORD', 'wp-pass');\n":                                  "define('DB_PASSWORD', <redacted>\n",
		"url = mysql://redmine:Passw0rd@db/x\n":                                "url = mysql://redmine:<redacted>@db/x\n",
		"requirepass foobared\n":                                               "requirepass <redacted>\n",
		"IDENTIFIED BY 'pw';\n":                                                "IDENTIFIED BY <redacted>\n",
		"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n": KeyMarker + "\n",
		"relayhost = [10.0.0.1]:25\n":                                          "relayhost = [10.0.0.1]:25\n",
		"ServerName www.example.com\n":                                         "ServerName www.example.com\n",
		"<Connector port=\"8443\" keystorePass=\"k1\" secure=\"true\"/>\n":     "<Connector port=\"8443\" keystorePass=\"<redacted>\" secure=\"true\"/>\n",
	}
	for in, want := range cases {
		if got := string(Text([]byte(in))); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range corpus {
		out := Text([]byte(in))
		for _, secret := range []string{"s3cret", "hunter2", "wp-pass", "AKIA123", "Passw0rd", "foobared", "MIIEpAIBAAKCAQEA", "b3BlbnNzaC1rZXktdjEAAAAA", "abc/def", "kspass1", "tspass2", "cs3", "tok4", "dumpPW5", "syncPW6", "tokPW7", "keyPW9", "first", "pgPW8"} {
			if bytes.Contains(out, []byte(secret)) {
				t.Errorf("secret %q survived in %q", secret, out)
			}
		}
	}
}

// The probe's sed filters and this package must agree byte for byte, each filter with
// its twin, under each shell and sed the probe may meet (GNU sed, busybox sed).
func TestSameAsProbeFilter(t *testing.T) {
	inputs := append(append([]string(nil), corpus...), dictCorpus...)
	for _, s := range redacttest.Shapes(t) {
		inputs = append(inputs, s.Line+"\n")
	}
	// One run per filter and sed: every input in one stream, since each filter works
	// line by line; the corpus's own oddities (no final newline, NUL) go singly.
	var joined strings.Builder
	for _, in := range inputs {
		if strings.HasSuffix(in, "\n") && !strings.ContainsRune(in, 0) {
			joined.WriteString(in)
		}
	}
	streams := []string{joined.String()}
	for _, in := range inputs {
		if !strings.HasSuffix(in, "\n") || strings.ContainsRune(in, 0) {
			streams = append(streams, in)
		}
	}
	twins := map[string]func([]byte) []byte{"_redact_cmd": Commands, "_redact_args": Args, "_redact": Text, "_redact_dict": Dict}
	for fn, twin := range twins {
		sameAsProbe(t, fn, twin, streams...)
	}
}

// sameAsProbe runs the probe's filter fn (with the filters it calls) on each input
// under GNU sed and busybox sed, and requires twin's bytes.
func sameAsProbe(t *testing.T, fn string, twin func([]byte) []byte, inputs ...string) {
	t.Helper()
	script := string(probe.Script())
	var fns strings.Builder
	for _, name := range []string{"_rules_text", "_rules_cmd", "_rules_args", "_rules_sed", "_redact_cmd", "_redact_args", "_redact", "_redact_dict", "_hashes_redact"} {
		start := strings.Index(script, "\n"+name+"() {")
		end := strings.Index(script[start:], "\n}\n")
		fns.WriteString(script[start : start+end+3])
	}
	runners := map[string][]string{"gnu-sed": {"dash", "-c"}, "busybox-sed": {"busybox", "sh", "-c"}}
	for name, runner := range runners {
		if _, err := exec.LookPath(runner[0]); err != nil {
			t.Logf("%s: %s not installed", name, runner[0])
			continue
		}
		prefix := "LC_ALL=C; export LC_ALL; "
		if name == "busybox-sed" {
			prefix += "sed() { busybox sed \"$@\"; }; tr() { busybox tr \"$@\"; }; "
		}
		for _, in := range inputs {
			cmd := exec.Command(runner[0], append(runner[1:], prefix+fns.String()+fn)...)
			cmd.Stdin = strings.NewReader(in)
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s %s: %v", name, fn, err)
			}
			want := twin([]byte(in))
			if bytes.Equal(got, want) {
				continue
			}
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Errorf("%s %s disagrees:\n sed: %q\n  go: %q", name, fn, gl[i], wl[i])
				}
			}
			if len(gl) != len(wl) {
				t.Errorf("%s %s: %d lines from sed, %d from Go", name, fn, len(gl), len(wl))
			}
		}
	}
}

// Every planted credential is removed by the filters that must know its shape, and
// every look-alike passes every filter untouched.
func TestShapes(t *testing.T) {
	filters := []struct {
		name  string
		f     func([]byte) []byte
		kinds string
	}{{"Commands", Commands, "cmd"}, {"Args", Args, "cmd args"}, {"Text", Text, "cmd args text"}}
	for _, s := range redacttest.Shapes(t) {
		for _, f := range filters {
			out := string(f.f([]byte(s.Line + "\n")))
			switch {
			case s.Kind == "keep", s.Kind == "keep-cmd" && f.name == "Commands":
				if out != s.Line+"\n" {
					t.Errorf("%s changed a line with no secret:\n in: %s\nout: %s", f.name, s.Line, out)
				}
			case strings.Contains(f.kinds, s.Kind):
				if strings.Contains(out, s.Secret) {
					t.Errorf("%s let %q through: %s", f.name, s.Secret, out)
				} else if !strings.Contains(out, Marker) {
					t.Errorf("%s: no marker in %s", f.name, out)
				}
			}
			if again := string(f.f([]byte(out))); again != out {
				t.Errorf("%s is not idempotent:\n once: %s\ntwice: %s", f.name, out, again)
			}
		}
	}
}

func FuzzText(f *testing.F) {
	for _, c := range corpus {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := Text(b)
		if bytes.Count(out, []byte("\n")) > bytes.Count(b, []byte("\n"))+1 {
			t.Errorf("redaction added lines")
		}
	})
}
