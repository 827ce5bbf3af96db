package probe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/redact"
)

// The probe's _keys_redact and the offline reader's redact.KeyLines must agree, and a
// HomeFile step reads every home's file through it.
func TestHomeFileKeysRedactedLikeOffline(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	keys := `command="mysqldump -uroot -pS3CRET db",no-pty ssh-rsa AAAA x` + "\n" +
		`environment="DB_TOKEN=S3CRET" ssh-rsa AAAA y` + "\n" +
		`command="echo \"S3CRET\" pass" ssh-rsa AAAA z` + "\n" +
		`from="10.0.0.0/8",command="/bin/true" ssh-rsa AAAApwdAAA= w` + "\n" +
		`command="/usr/bin/rdm-mailhandler.rb --key S3CRET",no-pty ssh-ed25519 AAAA v` + "\n" +
		`environment="X=1",command="/opt/push --auth=S3CRET" ssh-ed25519 AAAA u` + "\n"
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(home, ".ssh", "authorized_keys"), []byte(keys))
	passwd := filepath.Join(dir, "passwd")
	mustWrite(t, passwd, []byte("u:x:1:1::"+home+":/bin/sh\nv:x:2:2::"+home+":/bin/sh\nw:x:3:3::relative:/bin/sh\n"))
	script := strings.ReplaceAll(string(Render([]Step{{Kind: HomeFile, Path: ".ssh/authorized_keys", Limit: 1 << 20, RedactKeys: true}})), "</etc/passwd", "<"+passwd)
	script = strings.ReplaceAll(script, "[ -r /etc/passwd ]", "[ -r "+passwd+" ]")
	want := string(redact.KeyLines([]byte(keys)))
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, []byte(script))
			it, ok := a.File(filepath.Join(home, ".ssh", "authorized_keys"))
			if !ok || !it.OK() {
				t.Fatalf("not read: %+v", it)
			}
			if got := it.Text(); got != want || strings.Contains(got, "S3CRET") {
				t.Errorf("probe\n%s\noffline\n%s", got, want)
			}
			if n := len(a.Items); n != 1 {
				t.Errorf("%d items: a shared home is read once, a relative one never", n)
			}
		})
	}
}

// Every redaction mode a step can ask for is applied by _file itself, whatever kind
// of step reads the file: a mode _file did not know would send the file as it is.
func TestFileAppliesEveryRedactionMode(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	mustWrite(t, f, []byte("0 2 * * * /opt/sync --password=S3CRET\n"+`command="mysqldump -pS3CRET x" ssh-rsa AAAA k`+"\n"))
	for _, st := range []Step{
		{Kind: File, Path: f, Limit: 4096, Redact: true},
		{Kind: File, Path: f, Limit: 4096, RedactArgs: true},
		{Kind: File, Path: f, Limit: 4096, RedactKeys: true},
	} {
		a := runProbe(t, shells[0], Render([]Step{st}))
		it, ok := a.File(f)
		if !ok || !it.OK() {
			t.Fatalf("%+v: not read: %+v", st, it)
		}
		if strings.Contains(it.Text(), "S3CRET") && !st.RedactKeys {
			t.Errorf("%+v: the secret went out: %q", st, it.Text())
		}
		if st.RedactKeys && strings.Count(it.Text(), "S3CRET") != 1 {
			// the keys filter touches key options only; the crontab line is not one
			t.Errorf("keys filter: %q", it.Text())
		}
	}
}

// A home on a network filesystem is not touched at all (a hung NFS server would hang
// the probe on the first stat), and its file is recorded as skipped, not absent.
func TestHomeFileOnNetworkFilesystemIsSkipped(t *testing.T) {
	dir := t.TempDir()
	// The home does not exist: to a probe that stats it first, it is silently
	// passed over (and on a hung server, the stat never returns). The probe must
	// decide from the mount table alone.
	home := filepath.Join(dir, "nfs", "u")
	passwd := filepath.Join(dir, "passwd")
	mustWrite(t, passwd, []byte("u:x:1:1::"+home+":/bin/sh\n"))
	script := string(Render([]Step{{Kind: HomeFile, Path: ".ssh/authorized_keys", Limit: 4096, RedactKeys: true}}))
	script = strings.ReplaceAll(script, "</etc/passwd", "<"+passwd)
	script = strings.ReplaceAll(script, "[ -r /etc/passwd ]", "[ -r "+passwd+" ]")
	// The probe learns network mounts from /proc/mounts; pretend dir/nfs is one.
	script = strings.Replace(script, "\t_netmounts\n", "\t_netmounts\n\t_netm="+filepath.Join(dir, "nfs")+"\n", 1)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, []byte(script))
			it, ok := a.File(filepath.Join(home, ".ssh", "authorized_keys"))
			if !ok || it.Status != evidence.StatusSkipped || len(it.Data) != 0 {
				t.Fatalf("want a skipped item without content, got %+v", it)
			}
		})
	}
}
