package secrets

import (
	"bytes"
	"container/list"
	"encoding/json"
	"html"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

// encodings are the forms a line takes in what trowel writes.
var encodings = map[string]func(string) string{
	"text": func(s string) string { return s },
	"json": func(s string) string {
		b, _ := json.Marshal(map[string]string{"command": s})
		return string(b)
	},
	"html": func(s string) string { return "<td><code>" + html.EscapeString(s) + "</code></td>" },
	"yaml": func(s string) string {
		b, _ := json.Marshal(s) // a YAML double-quoted scalar is a JSON string
		return "    job: " + string(b)
	},
}

// Every command-line credential is masked in every form trowel writes it, and no
// look-alike is touched.
func TestMaskShapes(t *testing.T) {
	for _, s := range redacttest.Shapes(t) {
		for name, enc := range encodings {
			in := enc(s.Line) + "\n"
			out, fs := Mask([]byte(in))
			switch s.Kind {
			case "cmd", "args":
				if bytes.Contains(out, []byte(s.Secret)) {
					t.Errorf("%s: %q survived: %s", name, s.Secret, out)
				}
				if len(fs) == 0 {
					t.Errorf("%s: nothing reported for %s", name, in)
				}
			case "keep":
				if string(out) != in || len(fs) != 0 {
					t.Errorf("%s: a line with no secret was changed (%v):\n in: %s\nout: %s", name, fs, in, out)
				}
			}
			if name == "json" && !json.Valid(bytes.TrimSpace(out)) {
				t.Errorf("masking broke the JSON: %s", out)
			}
			if again, fs := Mask(out); !bytes.Equal(again, out) || len(fs) != 0 {
				t.Errorf("%s: masking again changed %s into %s (%v)", name, out, again, fs)
			}
		}
	}
}

// gitleaks' rules find what the command-line rules do not know, and findings say
// the rule and the line, never the value.
func TestMaskFindsTokens(t *testing.T) {
	in := "first line\n" +
		"export GITHUB=ghp_Kq8vN2xR7tLm4pWz9sYc3bHd6fJg1aE5uQ0o\n" +
		"slack: xoxb-2934857102-2938475610293-Kq8vN2xR7tLm4pWz9sYc3bHd\n" +
		"aws AKIAZ3MQ7T4XQW2LN5PD\n" +
		"-----BEGIN OPENSSH PRIVATE KEY-----\n" +
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" +
		"-----END OPENSSH PRIVATE KEY-----\n" +
		`{"key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAzq8vN2xR7tLm4pWz9sYc3bHd\n-----END RSA PRIVATE KEY-----\n"}` + "\n"
	out, fs := Mask([]byte(in))
	for _, secret := range []string{"ghp_Kq8v", "xoxb-2934857102", "AKIAZ3MQ7T4XQW2LN5PD", "b3BlbnNzaC1rZXktdjEAAAAABG5", "MIIEpAIBAAKCAQEAzq8v"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("%q survived:\n%s", secret, out)
		}
	}
	lines := map[int]string{}
	for _, f := range fs {
		lines[f.Line] = f.Rule
	}
	for line, rule := range map[int]string{2: "gitleaks:github-pat", 3: "gitleaks:slack-bot-token", 4: "gitleaks:aws-access-token", 5: "trowel:private-key", 8: "trowel:private-key"} {
		if lines[line] != rule {
			t.Errorf("line %d: rule %q, want %q (all: %v)", line, lines[line], rule, fs)
		}
	}
	if strings.Count(string(out), "\n") != strings.Count(in, "\n") {
		t.Errorf("lines were joined or split:\n%s", out)
	}
}

// What trowel writes of its own is no secret: the fingerprint of a public key, a
// file's digest, a package's checksum, a file system's UUID, the marker, a template's
// vault variable.
func TestMaskLeavesTrowelsOwnFactsAlone(t *testing.T) {
	for _, in := range []string{
		"| root | contractor@old-jenkins | ssh-rsa | SHA256:YBKtCic0GU3KAHjgBppOKg8qLfo+x/giRz0ZDDc4BrY |",
		`"fingerprint": "SHA256:YBKtCic0GU3KAHjgBppOKg8qLfo+x/giRz0ZDDc4BrY",`,
		`authorized_key fingerprint MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48`,
		`"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",`,
		`"evidence_sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`,
		`api_key_digest: 9f86d081884c7d659a2feaa0c55ad015`,
		`UUID=3f1d2c4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f /data ext4 defaults 0 2`,
		`machine_id_token: 3f1d2c4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f`,
		`password: "{{ vault_database_mysql_password }}"`,
		`  - "--key {{ vault_mailhandler_key }}"`,
		`ExecStart=/usr/bin/app --token \u003credacted\u003e`,
		`<td>--api-key=&lt;redacted&gt;</td>`,
		`"redmine: \"|/usr/bin/ruby rdm-mailhandler.rb --url http://127.0.0.1/ --key <redacted>\""`,
		`PassengerPreStart http://127.0.0.1/`,
		`ProxyPass / ajp://backend:8009/`,
		`| 3306 | mysqld | 127.0.0.1 | the key to the datadir (/var/lib/mysql) |`,
	} {
		if out, fs := Mask([]byte(in + "\n")); string(out) != in+"\n" || len(fs) != 0 {
			t.Errorf("changed (%v):\n in: %s\nout: %s", fs, in, out)
		}
	}
}

func TestNote(t *testing.T) {
	if got := Note(2, "/etc/aliases"); got != "2 values that looked like secrets were masked in /etc/aliases" {
		t.Error(got)
	}
	if got := Note(1, "/etc/crontab"); got != "1 value that looked like a secret was masked in /etc/crontab" {
		t.Error(got)
	}
}

// The cost of a scan on a large snapshot, and that it grows linearly: each size is
// the last one times four.
func BenchmarkMask(b *testing.B) {
	doc, err := os.ReadFile("../report/testdata/legacy.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 4, 16} {
		data := bytes.Repeat(doc, n)
		b.Run(strings.Repeat("x", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Mask(data)
			}
		})
	}
}

// A value the probe already replaced is no secret in any form trowel writes it: an
// HTML page's "&lt;redacted&gt;" in a URL's password was masked again.
func TestMarkerIsNoValue(t *testing.T) {
	for _, s := range []string{"curlftpfs#ftp://mirror:<redacted>@ftp.example.co.jp/ /mnt/ftp"} {
		for name, enc := range encodings {
			in := enc(s) + "\n"
			if out, fs := Mask([]byte(in)); string(out) != in || len(fs) != 0 {
				t.Errorf("%s: the marker was masked (%v): %s", name, fs, out)
			}
		}
	}
}

// A text masked again is answered from memory, the same as the first time; what a
// caller does to what it was given changes nothing for the next; and the memory
// stays within its bound.
func TestMaskRemembers(t *testing.T) {
	secret := "export MYSQL_PWD=" + strings.Repeat("s3cr3t", 4) + "\n"
	text := []byte(strings.Repeat("an ordinary line of a config file\n", 20) + secret)
	first, fs := Mask(text)
	if bytes.Contains(first, []byte("s3cr3t")) || len(fs) != 1 {
		t.Fatalf("first: %v\n%s", fs, first)
	}
	first[0] = 'X'
	again, fs2 := Mask(text)
	if again[0] != 'a' || bytes.Contains(again, []byte("s3cr3t")) || len(fs2) != 1 || fs2[0] != fs[0] {
		t.Errorf("again: %v\n%s", fs2, again)
	}
	plain := []byte(strings.Repeat("nothing to see here\n", 20))
	if out, fs := Mask(plain); &out[0] != &plain[0] || fs != nil {
		t.Errorf("a text with nothing to mask comes back as it was")
	}
	if out, fs := Mask(plain); &out[0] != &plain[0] || fs != nil {
		t.Errorf("a remembered text with nothing to mask comes back as it was")
	}
	m := &memo{entries: map[[32]byte]*list.Element{}, order: list.New()}
	big := make([]byte, memoLimit/4)
	for i := range 10 {
		m.put([32]byte{byte(i)}, big, []Finding{{Rule: "r", Line: 1}})
	}
	if m.size > memoLimit || m.order.Len() != 3 || len(m.entries) != 3 {
		t.Errorf("memo holds %d bytes in %d entries", m.size, m.order.Len())
	}
	if _, _, ok := m.get([32]byte{9}); !ok {
		t.Error("the newest entry was dropped")
	}
	if _, _, ok := m.get([32]byte{0}); ok {
		t.Error("the oldest entry was kept")
	}
}

// Masked on many cores, a large text comes out as on one, findings and their order
// included: each span of lines is masked on its own, and a private key block or an
// option whose value is on the next line may sit across two spans.
func TestMaskSameOnManyCores(t *testing.T) {
	doc, err := os.ReadFile("../report/testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, s := range redacttest.Shapes(t) {
		b.Write(doc[:(i*997)%min(len(doc), 16<<10)])
		for _, enc := range encodings {
			b.WriteString(enc(s.Line) + "\n")
		}
		b.WriteString("- --password\n- s3cr3t-on-the-next-line\n")
		b.WriteString("-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n", 40) + "-----END RSA PRIVATE KEY-----\n")
	}
	text := []byte(b.String())
	if len(lineSpans(strings.SplitAfter(b.String(), "\n"))) < 8 {
		t.Fatalf("the text is too small to be cut into spans")
	}
	old := runtime.GOMAXPROCS(1)
	one, oneFound := mask(text)
	runtime.GOMAXPROCS(8)
	many, manyFound := mask(text)
	runtime.GOMAXPROCS(old)
	if len(oneFound) == 0 || !bytes.Equal(one, many) || !slices.Equal(oneFound, manyFound) {
		t.Errorf("one core: %d findings, many: %d; same text: %v", len(oneFound), len(manyFound), bytes.Equal(one, many))
	}
}

// mayEndWithOption lets through every line argvEnd matches: in every form trowel
// writes an option at a line's end, with what may follow it.
func TestMayEndWithOptionKeepsEveryMatch(t *testing.T) {
	matched := 0
	for _, name := range optionEnds {
		for _, opt := range []string{"-" + name, "--db-" + strings.ToUpper(name), "--x" + name} {
			for _, lead := range []string{"", "  - ", `["`, "&#34;", "&quot;", "&#39;", "'", " "} {
				for _, end := range []string{"", `"`, `\"`, "'", "&#34;", "&quot;", "&#39;"} {
					for _, tail := range []string{"", ",", " , ", "\t", "\r\n", "\n", " ,\r\n"} {
						l := lead + opt + end + tail
						if argvEnd.MatchString(l) {
							matched++
							if !mayEndWithOption(l) {
								t.Errorf("%q matches argvEnd but was skipped", l)
							}
						}
					}
				}
			}
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d lines matched argvEnd: the test reads too little", matched)
	}
}
