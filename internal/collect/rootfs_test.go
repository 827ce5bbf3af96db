package collect

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
)

// A hostile image: links that try to leave the root, a FIFO, a loop, a 2 GB file.
func TestReadRootNeverLeavesTheRoot(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	outside := filepath.Join(base, "outside")
	must(t, os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755))
	must(t, os.MkdirAll(outside, 0o755))
	must(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("OUTSIDE-SECRET"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "etc/hostname"), []byte("inside\n"), 0o644))
	// Absolute and relative escapes, and a directory link pointing out.
	must(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "etc/os-release")))
	must(t, os.Symlink("../../../../../../../"+strings.TrimPrefix(filepath.Join(outside, "secret"), "/"), filepath.Join(root, "etc/redhat-release")))
	must(t, os.Symlink(outside, filepath.Join(root, "etc/init.d")))
	// A link inside the image resolves inside it, as on the host.
	must(t, os.Symlink("/etc/hostname", filepath.Join(root, "etc/HOSTNAME")))
	must(t, os.Symlink("loop2", filepath.Join(root, "etc/timezone")))
	must(t, os.Symlink("timezone", filepath.Join(root, "etc/loop2")))
	must(t, syscall.Mkfifo(filepath.Join(root, "etc/machine-id"), 0o644))
	// An unfiltered file: the filters drop NUL bytes, as the probe's tr does, and
	// a sparse file is all NUL.
	big, err := os.Create(filepath.Join(root, "etc/hosts"))
	must(t, err)
	must(t, big.Truncate(2<<30)) // sparse: 2 GB that costs nothing
	big.Close()

	var out bytes.Buffer
	must(t, ReadRoot(context.Background(), root, &out))
	if bytes.Contains(out.Bytes(), []byte("OUTSIDE-SECRET")) {
		t.Fatal("content from outside the root was read")
	}
	a, err := evidence.DecodeBytes(out.Bytes())
	must(t, err)
	if !a.Complete {
		t.Fatalf("incomplete: %v", a.Problems)
	}
	for path, want := range map[string]evidence.Status{
		"/etc/os-release":     evidence.StatusSkipped,
		"/etc/redhat-release": evidence.StatusSkipped,
		"/etc/machine-id":     evidence.StatusNotFile,
		"/etc/timezone":       evidence.StatusSkipped,
	} {
		if it, _ := a.File(path); it.Status != want {
			t.Errorf("%s: %s (%s), want %s", path, it.Status, it.Stderr, want)
		}
	}
	// A link out of the root is refused, and says so: "does not exist" would be a
	// claim about a place nobody looked at.
	for _, path := range []string{"/etc/os-release", "/etc/redhat-release"} {
		if it, _ := a.File(path); !strings.Contains(it.Problem(), "refused: outside the root") {
			t.Errorf("%s: %q, want it refused as outside the root", path, it.Problem())
		}
	}
	if it, _ := a.File("/etc/HOSTNAME"); it.Text() != "inside\n" {
		t.Errorf("a link inside the image was not followed inside it: %q", it.Text())
	}
	if it, _ := a.File("/etc/hosts"); !it.Truncated || int64(len(it.Data)) != it.Limit {
		t.Errorf("2 GB file: truncated %v, %d bytes", it.Truncated, len(it.Data))
	}
	if it, _ := a.List("/etc/init.d"); it.Status != evidence.StatusSkipped || !strings.Contains(it.Problem(), "refused: outside the root") {
		t.Errorf("listing through a link out of the root: %s %q", it.Status, it.Problem())
	}
	if it, _ := a.List("/etc"); !strings.Contains(it.Text(), "l\tinit.d\t"+outside+"\n") {
		t.Errorf("listing should show the link as written:\n%s", it.Text())
	}
	if it, _ := a.Cmd("ps"); it.Status != evidence.StatusOffline {
		t.Errorf("ps offline: %s", it.Status)
	}
}

func TestReadRootPackageDatabases(t *testing.T) {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "var/lib/rpm"), 0o755))
	db, err := os.ReadFile("../../../shared/fixtures/rpmdb/centos5-plain/Packages")
	if err != nil {
		t.Skip("shared fixtures not beside the checkout:", err)
	}
	must(t, os.WriteFile(filepath.Join(root, "var/lib/rpm/Packages"), db, 0o644))
	must(t, os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "etc/shadow"), []byte("root:$6$salt$hash:19000:0:99999:7:::\nbin:*:19000::::::\nold:!$1$x$y:1::::::\nnopw::1::::::\n"), 0o600))
	var out bytes.Buffer
	must(t, ReadRoot(context.Background(), root, &out))
	if bytes.Contains(out.Bytes(), []byte("$6$salt")) || bytes.Contains(out.Bytes(), []byte("$1$x")) {
		t.Fatal("a password hash reached the evidence")
	}
	a, err := evidence.DecodeBytes(out.Bytes())
	must(t, err)
	it, _ := a.Cmd("rpm-qa")
	if !it.OK() || it.RC != 0 || !strings.Contains(it.Text(), "bash\t(none)\t3.2\t") {
		t.Errorf("rpm-qa offline: %s rc %d %q", it.Status, it.RC, firstLines(it.Text(), 3))
	}
	it, _ = a.Cmd("shadow-state")
	want := "root:usable:19000:0:99999:7::\nbin:nologin:19000:::::\nold:locked:1:::::\nnopw:empty:1:::::\n"
	if it.Text() != want {
		t.Errorf("shadow-state = %q, want %q", it.Text(), want)
	}
}

// The probe's awk and ShadowStates must say the same of the same file.
func TestShadowStatesMatchProbe(t *testing.T) {
	in := "root:$6$salt$hash:19000:0:99999:7:::\nbin:*:19000::::::\nold:!$1$x$y:1::::::\nnopw::1::::::\nlk:*LK*:::::::\nshort:x\n"
	f := filepath.Join(t.TempDir(), "shadow")
	must(t, os.WriteFile(f, []byte(in), 0o600))
	out, err := exec.Command("dash", "-c", shellFunction(t, "_shadow")+"_shadow "+f).Output()
	must(t, err)
	if got := string(ShadowStates([]byte(in))); got != string(out) {
		t.Errorf("Go:\n%s\nprobe:\n%s", got, out)
	}
}

// A gzipped bundle is read once, and what is kept is the evidence itself.
func TestBundleKeepsWhatItDecoded(t *testing.T) {
	var plain bytes.Buffer
	w := evidence.NewWriter(&plain)
	w.Item(&evidence.Item{Kind: evidence.KindFile, Name: "/etc/hostname", Limit: 100, Status: evidence.StatusOK, Data: []byte("h\n")})
	must(t, w.Close())
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write(plain.Bytes())
	must(t, zw.Close())
	f := filepath.Join(t.TempDir(), "host.evidence.gz")
	must(t, os.WriteFile(f, z.Bytes(), 0o600))
	res, err := Bundle(f)
	must(t, err)
	if !bytes.Equal(res.Raw, plain.Bytes()) || !res.Archive.Complete || res.Source.Kind != "bundle" {
		t.Errorf("raw %d bytes (want %d), complete %v, kind %s", len(res.Raw), plain.Len(), res.Archive.Complete, res.Source.Kind)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Links that stay inside the root resolve as on the host; a missing file behind a
// link that resolved is simply absent, while a link whose own target is not in the
// root, or that climbs above it, is refused.
func TestResolveOutsideTheRoot(t *testing.T) {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "etc/rc.d/init.d"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "usr/share/zoneinfo/Asia"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "usr/share/zoneinfo/Asia/Tokyo"), []byte("TZif"), 0o644))
	must(t, os.Symlink("rc.d/init.d", filepath.Join(root, "etc/init.d")))
	must(t, os.Symlink("../usr/share/zoneinfo/Asia/Tokyo", filepath.Join(root, "etc/localtime")))
	must(t, os.Symlink("/run/resolvconf/resolv.conf", filepath.Join(root, "etc/resolv.conf")))
	must(t, os.Symlink("../../../etc/passwd", filepath.Join(root, "etc/climb")))
	for p, want := range map[string]string{
		"/etc/init.d/mysqld": "absent",
		"/etc/localtime":     "ok",
		"/etc/resolv.conf":   "outside",
		"/etc/climb":         "outside",
	} {
		hp, err := resolve(root, p)
		got := "ok"
		switch {
		case err != nil && strings.HasPrefix(err.Error(), "refused: outside the root"):
			got = "outside"
		case err != nil:
			got = err.Error()
		default:
			if _, err := os.Stat(hp); err != nil {
				got = "absent"
			}
		}
		if got != want {
			t.Errorf("%s: %s (%v), want %s", p, got, err, want)
		}
	}
}

// The probe's _apparent and apparentSize say the same of the same tree, under every
// shell: a sparse file counts at its length, a hard-linked file once.
func TestApparentSizeMatchesProbe(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "db/sub"), 0o755))
	f, err := os.Create(filepath.Join(dir, "ibdata1"))
	must(t, err)
	must(t, f.Truncate(2<<30)) // 2 GiB that occupy nothing
	f.Close()
	must(t, os.WriteFile(filepath.Join(dir, "db/t1.frm"), []byte("0123456789"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "db/sub/odd name"), []byte("abc"), 0o644))
	must(t, os.Link(filepath.Join(dir, "db/t1.frm"), filepath.Join(dir, "db/t1.hard")))
	must(t, os.Symlink("/etc/passwd", filepath.Join(dir, "db/link")))
	want, complete := apparentSize(dir, time.Now().Add(time.Minute))
	if !complete || want != 2<<30+13 {
		t.Fatalf("apparentSize = %d (complete %v), want %d", want, complete, 2<<30+13)
	}
	if kib, _ := diskUsage(dir, time.Now().Add(time.Minute)); kib*1024 >= want/100 {
		t.Errorf("allocated %d KiB: the sparse file should occupy next to nothing", kib)
	}
	for sh, out := range underEveryShell(t, shellFunction(t, "_apparent")+"_apparent "+dir) {
		if got := strings.TrimSpace(out); got != strconv.FormatInt(want, 10) {
			t.Errorf("%s: _apparent = %s, apparentSize = %d", sh, got, want)
		}
	}
}

// underEveryShell runs a script under each shell the probe must run under that is
// installed here, and returns what each printed.
func underEveryShell(t *testing.T, script string) map[string]string {
	t.Helper()
	outs := map[string]string{}
	for _, sh := range [][]string{{"dash"}, {"bash"}, {"bash", "--posix"}, {"busybox", "sh"}, {"posh"}, {"yash"}} {
		if _, err := exec.LookPath(sh[0]); err != nil {
			continue
		}
		out, err := exec.Command(sh[0], append(sh[1:], "-c", script)...).Output()
		if err != nil {
			t.Fatalf("%v: %v", sh, err)
		}
		outs[strings.Join(sh, " ")] = string(out)
	}
	return outs
}

// shellFunction is the text of one function of the probe's script.
func shellFunction(t *testing.T, name string) string {
	t.Helper()
	script := string(probe.Script())
	start := strings.Index(script, "\n"+name+"() {")
	if start < 0 {
		t.Fatalf("the probe has no function %s", name)
	}
	end := strings.Index(script[start:], "\n}\n")
	return script[start+1 : start+end+3]
}

// The probe's mbox count and CountMbox say the same of the same mailbox, under
// every shell.
func TestMailSpoolCountMatchesProbe(t *testing.T) {
	dir := t.TempDir()
	mbox := "From root@www01  Sun Mar  1 12:00:00 2015\nSubject: read\nStatus: RO\n\nbody\n\n" +
		"From root@www01  Mon Mar  2 03:00:00 2015\nSubject: unread\n\n>From escaped\nStatus: R in the body\n\n" +
		"From cron@www01  Tue Mar  3 03:00:00 2015\nSubject: old, unread\nStatus: O\n\nx\n"
	must(t, os.WriteFile(filepath.Join(dir, "root"), []byte(mbox), 0o600))
	n, unread, last := CountMbox(strings.NewReader(mbox))
	if n != 3 || unread != 2 || last != "cron@www01  Tue Mar  3 03:00:00 2015" {
		t.Fatalf("CountMbox = %d %d %q", n, unread, last)
	}
	// _mail_spools frames each mailbox with the boundary and lists them one a line.
	env := "_onnet() { return 1; }\n_NL='\n'\n_B=tw0123\n"
	for sh, out := range underEveryShell(t, env+shellFunction(t, "_mail_spools")+"_mail_spools "+dir) {
		f := strings.Split(strings.TrimSuffix(out, "\n"), "\t")
		if len(f) != 6 || f[3] != "3" || f[4] != "2" || f[5] != last {
			t.Errorf("%s: %q", sh, out)
		}
	}
}

// An offline command whose input is not on the disk ends as the probe's does: the
// file is missing, not the command.
func TestOfflineCommandOfAMissingFile(t *testing.T) {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644))
	var out bytes.Buffer
	must(t, ReadRoot(context.Background(), root, &out))
	a, err := evidence.DecodeBytes(out.Bytes())
	must(t, err)
	for name, file := range map[string]string{"shadow-state": "/etc/shadow", "localtime-mtime": "/etc/localtime", "lastlog": "/var/log/lastlog"} {
		it, _ := a.Cmd(name)
		if it.Status != evidence.StatusOK || it.RC != 2 || !strings.Contains(it.Problem(), file+": No such file or directory") || strings.Contains(it.Problem(), "not installed") {
			t.Errorf("%s: %s rc %d: %s", name, it.Status, it.RC, it.Problem())
		}
	}
}
