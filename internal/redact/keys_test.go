package redact

import (
	"strings"
	"testing"
)

// A key line's secret-looking command= and environment= values go; the key, and a
// key whose base64 happens to contain "pwd", stay.
func TestKeyLines(t *testing.T) {
	in := `command="mysqldump -uroot -pS3CRET db",no-pty ssh-rsa AAAA x` + "\n" +
		`environment="DB_TOKEN=S3CRET" ssh-rsa AAAA y` + "\n" +
		`command="echo \"S3CRET\" pass" ssh-rsa AAAA z` + "\n" +
		`command="/bin/true" ssh-rsa AAAApwdAAA= w` + "\n"
	out := string(KeyLines([]byte(in)))
	want := `command="<redacted>",no-pty ssh-rsa AAAA x` + "\n" +
		`environment="<redacted>" ssh-rsa AAAA y` + "\n" +
		`command="<redacted>" ssh-rsa AAAA z` + "\n" +
		`command="/bin/true" ssh-rsa AAAApwdAAA= w` + "\n"
	if out != want {
		t.Errorf("got\n%s", out)
	}
}

// A forced command's credential option goes with the whole command.
func TestKeyLinesOptions(t *testing.T) {
	in := `command="/usr/bin/rdm-mailhandler.rb --key K3y-1" ssh-ed25519 AAAA a` + "\n" +
		`command="/opt/push --auth=Auth-2" ssh-ed25519 AAAA b` + "\n" +
		`command="gitlab-shell key-12" ssh-ed25519 AAAA c` + "\n"
	out := string(KeyLines([]byte(in)))
	if strings.Contains(out, "K3y-1") || strings.Contains(out, "Auth-2") || !strings.Contains(out, "gitlab-shell key-12") {
		t.Errorf("got\n%s", out)
	}
}
