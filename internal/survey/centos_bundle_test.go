package survey

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The same CentOS root surveyed from a probe bundle: the real probe runs with the
// root as its filesystem root (a chroot with a static busybox as its userland, as
// a customer would run it on the host), and the bundle it writes is surveyed. Live
// facts from the chroot are what they are (it has no /proc, nothing of the image
// runs, and without rpm the package list is unknown, so no server is proven
// absent); the file facts must be the offline survey's.
func TestCentOSRedmineFromAProbeBundle(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chroot")
	}
	chroot, err := exec.LookPath("chroot")
	if err != nil {
		t.Skip("chroot is not installed")
	}
	bb := staticBusybox()
	if bb == "" {
		t.Skip("no static busybox: install Debian's busybox-static (lab/deps.sh does), or name one in TROWEL_BUSYBOX_STATIC")
	}
	root := centosRoot(t)
	installBusybox(t, root, bb)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// On standard input, as over SSH: the kernel takes no single argument of more
	// than 128 KiB, and the probe is about that size.
	cmd := exec.CommandContext(ctx, chroot, root, "/bin/sh", "-s")
	cmd.Stdin = bytes.NewReader(probe.Script())
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LC_ALL=C"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the probe in the chroot: %v\n%s", err, stderr.String())
	}
	bundle := filepath.Join(t.TempDir(), "redmine01.evidence")
	if err := os.WriteFile(bundle, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("S3cretPw")) {
		t.Fatal("the backup script's password left the host")
	}
	res, err := collect.Bundle(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Archive.Complete {
		t.Fatalf("the bundle is incomplete: %v", res.Archive.Problems)
	}
	res.Archive.Header["epoch"] = strconv.FormatInt(fixedEpoch.Unix(), 10)
	live := Run(res.Archive, res.Source, res.Raw)
	checkFileFacts(t, live)

	// What the program says of itself, where it could run: the stand-in mysqld.
	if db := mysqlOf(t, live); db.Version != "5.0.95" || db.VersionSource != "_data_run mysqld --version" {
		t.Errorf("mysql version %q from %q", db.Version, db.VersionSource)
	}

	off := centosOffline(t)
	same := func(what string, f func(*snapshot.Snapshot) any) {
		t.Helper()
		if a, b := f(live), f(off); !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ:\nbundle  %+v\noffline %+v", what, a, b)
		}
	}
	same("log files", func(s *snapshot.Snapshot) any {
		var out []string
		for _, f := range s.Logs.Files {
			out = append(out, f.Path+" "+strconv.FormatInt(f.Bytes, 10)+" "+f.RotatedBy+" "+strconv.FormatBool(f.Unrotated)+" "+f.Modified.UTC().String())
		}
		slices.Sort(out)
		return out
	})
	same("log rotation", func(s *snapshot.Snapshot) any { return withoutEvidence(s.Logs.Rotation) })
	same("data directories", func(s *snapshot.Snapshot) any {
		var out []string
		for _, d := range s.Storage.DataDirs {
			out = append(out, d.Path+" "+strconv.FormatInt(*d.Bytes, 10)+" "+strconv.FormatInt(*d.ApparentBytes, 10))
		}
		return out
	})
	same("MySQL's data", func(s *snapshot.Snapshot) any {
		db := mysqlOf(t, s)
		return []any{db.Datadir, *db.DatadirBytes, *db.DatadirApparentBytes, db.Databases, db.Settings, db.Configs, db.Role}
	})
	same("MySQL's traces on disk", func(s *snapshot.Snapshot) any {
		return slices.DeleteFunc(mysqlOf(t, s).Presence, func(p string) bool { return strings.HasPrefix(p, "program run by ") })
	})
	same("services at boot", func(s *snapshot.Snapshot) any {
		var out []string
		for _, sv := range s.Services {
			out = append(out, sv.Name+" "+sv.EnabledState+" "+sv.Path)
		}
		return out
	})
	same("backups", func(s *snapshot.Snapshot) any {
		var out []string
		for _, b := range s.Backups.Items {
			out = append(out, b.Kind+" "+b.Tool+" "+b.What+" "+b.Where+" "+b.Job+" "+strconv.FormatInt(b.Bytes, 10))
		}
		return out
	})
	same("mailboxes", func(s *snapshot.Snapshot) any { return withoutEvidence(s.Storage.Mailboxes) })
	same("hints", func(s *snapshot.Snapshot) any {
		var out []string
		for _, h := range s.Hints {
			out = append(out, h.Kind+" "+h.Path+" "+strconv.Itoa(h.PID)+" "+h.Service+" "+h.Written.String())
		}
		return out
	})
	same("DHCP leases", func(s *snapshot.Snapshot) any { return withoutEvidence(s.Network.DHCPLeases) })
	same("interfaces at boot", func(s *snapshot.Snapshot) any { return withoutEvidence(s.Network.Configured) })
	same("web servers", func(s *snapshot.Snapshot) any {
		ws := s.Middleware.WebServers[0]
		return []any{ws.VHosts, ws.Legacy, ws.Listen, ws.ConfigRoot}
	})
}

// staticBusybox is a busybox that needs no library, so it runs in a bare chroot:
// TROWEL_BUSYBOX_STATIC, else the system's when it is static.
func staticBusybox() string {
	for _, p := range []string{os.Getenv("TROWEL_BUSYBOX_STATIC"), "/bin/busybox", "/usr/bin/busybox"} {
		if p == "" {
			continue
		}
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		static := true
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				static = false
			}
		}
		f.Close()
		if static {
			return p
		}
	}
	return ""
}

// installBusybox makes busybox the chroot's userland: /bin/busybox and a link per
// applet, and /dev/null and /dev/urandom. Left out: the applets named like the
// programs the probe looks for (busybox's httpd would read as an Apache), and its
// rpm and dpkg, which are not the package managers they are named for.
func installBusybox(t *testing.T, root, bb string) {
	t.Helper()
	for _, d := range []string{"bin", "dev", "tmp", "root"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin/busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command(bb, "--list").Output()
	if err != nil {
		t.Fatal(err)
	}
	skip := append(distro.AllPrograms(), "rpm", "rpm2cpio", "dpkg", "dpkg-deb", "busybox")
	for _, a := range strings.Fields(string(list)) {
		if slices.Contains(skip, a) {
			continue
		}
		if _, err := os.Lstat(filepath.Join(root, "bin", a)); err == nil {
			continue
		}
		if err := os.Symlink("busybox", filepath.Join(root, "bin", a)); err != nil {
			t.Fatal(err)
		}
	}
	for name, minor := range map[string]int{"null": 3, "urandom": 9} {
		p := filepath.Join(root, "dev", name)
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int(1<<8|minor)); err != nil {
			t.Skipf("cannot make %s in the chroot: %v", p, err)
		}
	}
	if f, err := os.OpenFile(filepath.Join(root, "dev/null"), os.O_WRONLY, 0); err != nil {
		t.Skipf("device files do not work where the test's temporary files are (nodev?): %v", err)
	} else {
		f.Close()
	}
}

// withoutEvidence is a list with its items' evidence IDs blanked: a bundle's items
// and an offline read's cite the same facts by the same names, but the item a fact
// rests on may be told apart (a command run, or its offline twin).
func withoutEvidence[T any](list []T) []T {
	out := slices.Clone(list)
	for i := range out {
		v := reflect.ValueOf(&out[i]).Elem()
		if f := v.FieldByName("Evidence"); f.IsValid() && f.CanSet() {
			f.Set(reflect.Zero(f.Type()))
		}
	}
	return out
}
