package redact

import "testing"

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
