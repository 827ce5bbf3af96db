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

// Whatever stands in passwd's or group's second field goes (a system without shadow
// keeps the hash there, an administrator may have typed a password); the markers that
// say nothing of a password stay, and a locked hash stays locked; the probe's sed
// agrees, under GNU sed and busybox sed.
func TestHashes(t *testing.T) {
	in := "root:x:0:0:root:/root:/bin/bash\n" +
		"old:$1$Salt$HashHashHash:1002:1002::/home/old:/bin/sh\n" +
		"des:abJnggxhB/yWI:1003:1003::/home/des:/bin/sh\n" +
		"xdes:xbJnggxhB/yWI:1003:1003::/home/des:/bin/sh\n" +
		"plain:hunter2:1003:1003::/home/des:/bin/sh\n" +
		"locked:!$6$s$h:1004:1004::/:/bin/false\n" +
		"star:*$6$s$h:1004:1004::/:/bin/false\n" +
		"nopw::1005:1005::/:/bin/sh\n" +
		"svc:*:1006:1006::/:/usr/sbin/nologin\n" +
		"lk:!!:1007:1007::/:/bin/sh\n" +
		"bang:!:1008:1008::/:/bin/sh\n" +
		"+::::::\n" +
		"+@admins::::::\n" +
		"wheel:x:10:alice,bob\n" +
		"grp:$6$salt$grouphash:11:\n" +
		"no newline:!!"
	want := "root:x:0:0:root:/root:/bin/bash\n" +
		"old:<redacted>:1002:1002::/home/old:/bin/sh\n" +
		"des:<redacted>:1003:1003::/home/des:/bin/sh\n" +
		"xdes:<redacted>:1003:1003::/home/des:/bin/sh\n" +
		"plain:<redacted>:1003:1003::/home/des:/bin/sh\n" +
		"locked:!<redacted>:1004:1004::/:/bin/false\n" +
		"star:*<redacted>:1004:1004::/:/bin/false\n" +
		"nopw::1005:1005::/:/bin/sh\n" +
		"svc:*:1006:1006::/:/usr/sbin/nologin\n" +
		"lk:!!:1007:1007::/:/bin/sh\n" +
		"bang:!:1008:1008::/:/bin/sh\n" +
		"+::::::\n" +
		"+@admins::::::\n" +
		"wheel:x:10:alice,bob\n" +
		"grp:<redacted>:11:\n" +
		"no newline:!!"
	if got := string(Hashes([]byte(in))); got != want {
		t.Errorf("got\n%s", got)
	}
	if again := string(Hashes([]byte(want))); again != want {
		t.Errorf("not idempotent:\n%s", again)
	}
	sameAsProbe(t, "_hashes_redact", Hashes, in, want, "a:b\x00c:1\n")
}
