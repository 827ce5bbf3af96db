package files

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// The roots of testdata/roots (see SOURCES.md there): a Debian 11 host, a CentOS 7
// host and a CentOS 5 one, each with an administrator's edits. The RPM databases are
// the real ones of internal/rpmdb/testdata, copied in; with withSQLite converted to
// rpm's SQLite format by the rpm on this machine, so that rpm itself can be asked.
func root(t *testing.T, name string, withSQLite bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	copyTree(t, filepath.Join("testdata/roots", name), dir)
	src := map[string]string{"el7": "centos7-httpd24", "el5": "centos5-plain"}[name]
	if src == "" {
		return dir
	}
	db := filepath.Join(dir, "var/lib/rpm")
	if err := os.MkdirAll(db, 0o755); err != nil {
		t.Fatal(err)
	}
	src = "../../rpmdb/testdata/" + src + "/var/lib/rpm/Packages"
	if !withSQLite {
		copyFile(t, src, filepath.Join(db, "Packages"))
		return dir
	}
	if _, err := exec.LookPath("rpmdb"); err != nil {
		t.Skip("rpm is not installed here: rpm -qf cannot be asked")
	}
	bdb := t.TempDir()
	copyFile(t, src, filepath.Join(bdb, "Packages"))
	export := exec.Command("rpmdb", "--dbpath", bdb, "--define", "_db_backend bdb_ro", "--exportdb")
	headers, err := export.Output()
	if err != nil {
		t.Skipf("this rpm cannot read a Berkeley DB database: %v", err)
	}
	imp := exec.Command("rpmdb", "--dbpath", db, "--define", "_db_backend sqlite", "--importdb")
	imp.Stdin = bytes.NewReader(headers)
	if out, err := imp.CombinedOutput(); err != nil {
		t.Skipf("rpmdb --importdb: %v\n%s", err, out)
	}
	return dir
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, filepath.Join(to, rel))
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		copyFile(t, p, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// offline reads a root as trowel survey DIR does.
func offline(t *testing.T, dir string) *evidence.Archive {
	t.Helper()
	var out bytes.Buffer
	if err := collect.ReadRoot(context.Background(), dir, &out); err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// filesPlan is the probe's plan for this surveyor on a host of one package manager:
// its own steps and the dpkg status. (This machine may have rpm installed beside
// dpkg; the root it stands for has only one of them.)
func filesPlan(manager string) []probe.Step {
	other := map[string]string{"dpkg": "files-rpm-", "rpm": "files-dpkg-"}[manager]
	var plan []probe.Step
	for _, st := range probe.Plan {
		switch {
		case st.Name == "files-trees", strings.HasPrefix(st.Name, other):
		case strings.HasPrefix(st.Name, "files-"), st.Path == "/var/lib/dpkg/status", strings.HasPrefix(st.Path, "/var/lib/ucf/"):
			plan = append(plan, st)
		}
	}
	return plan
}

var shells = [][]string{{"dash"}, {"bash"}, {"bash", "--posix"}, {"busybox", "sh"}, {"posh"}, {"yash"}}

// live runs the probe's files steps under a shell on this machine with the root's
// /etc, /var/lib, /usr/share and /opt mounted in their places, in a mount namespace
// of its own (unshare: as root, or in a user namespace where the kernel allows one),
// and /usr/local where the root has one.
func live(t *testing.T, dir, manager string, shell []string) *evidence.Archive {
	t.Helper()
	return liveSteps(t, dir, filesPlan(manager), shell)
}

// liveSteps runs the steps of plan as live does.
func liveSteps(t *testing.T, dir string, plan []probe.Step, shell []string) *evidence.Archive {
	t.Helper()
	if _, err := exec.LookPath(shell[0]); err != nil {
		t.Skipf("%s is not installed", shell[0])
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare is not installed")
	}
	work := t.TempDir()
	script := filepath.Join(work, "probe.sh")
	if err := os.WriteFile(script, probe.Render(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(work, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	// Debian's rpm keeps its database in ~/.rpmdb; the host's is in /var/lib/rpm.
	if err := os.WriteFile(filepath.Join(home, ".rpmmacros"), []byte("%_dbpath /var/lib/rpm\n%_db_backend sqlite\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Debian reaches awk through /etc/alternatives, which the root's /etc hides: the
	// programs the probe runs are linked from a directory first in PATH instead.
	bin := filepath.Join(work, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, prog := range []string{"awk", "sed", "grep", "find", "xargs", "md5sum", "sha256sum", "tr", "head", "wc", "od", "stat", "rpm", "sort", "cut"} {
		if p, err := exec.LookPath(prog); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				_ = os.Symlink(real, filepath.Join(bin, prog))
			}
		}
	}
	mounts := ""
	for _, d := range []string{"etc", "var/lib", "usr/share", "usr/local", "opt"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err == nil && fi.IsDir() {
			mounts += "mount --bind '" + filepath.Join(dir, d) + "' /" + d + " && "
		}
	}
	args := []string{"-m"}
	if os.Geteuid() != 0 {
		args = []string{"-r", "-m"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmdline := mounts + "exec " + strings.Join(shell, " ") + " '" + script + "'"
	cmd := exec.CommandContext(ctx, "unshare", append(args, "sh", "-c", cmdline)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "PATH="+bin+":"+os.Getenv("PATH"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "unshare") || strings.Contains(stderr.String(), "mount") {
			t.Skipf("no mount namespace here: %s", stderr.String())
		}
		t.Fatalf("%v: %v\n%s", shell, err, stderr.String())
	}
	a, err := evidence.DecodeBytes(out)
	if err != nil || !a.Complete {
		t.Fatalf("%v: decode: %v (complete %v)", shell, err, a != nil && a.Complete)
	}
	return a
}

// surveyed runs the files surveyor over an archive's items of the files plan.
func surveyed(a *evidence.Archive, pkgManager string) *snapshot.Snapshot {
	keep := &evidence.Archive{Complete: true, Header: a.Header}
	for _, st := range filesPlan(pkgManager) {
		id := evidence.ID(evidence.KindCmd, st.Name)
		if st.Kind == probe.File {
			id = evidence.ID(evidence.KindFile, st.Path)
		}
		if it, ok := a.Get(id); ok {
			keep.Add(it)
		}
	}
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{}, Evidence: map[string]snapshot.EvidenceRef{}}
	s.OS.PackageManager = pkgManager
	New().Survey(&kit.Input{Archive: keep, Snap: s})
	return s
}

// configsJSON is the files the root itself holds: a %config file under /usr is this
// machine's own when the probe runs here.
func configsJSON(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	var mine []snapshot.ConfigFile
	for _, c := range s.Files.Configs {
		if strings.HasPrefix(c.Path, "/etc/") || strings.HasPrefix(c.Path, "/opt/") {
			mine = append(mine, c)
		}
	}
	b, err := json.MarshalIndent(mine, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The probe on a live host and the offline reader on its disk must come to the same
// files section: the same changed and unowned files, writers, copies compared and
// settings that differ, under every shell the probe runs in. The install scripts'
// lines and the digests of generated files are the same bytes; the content step's
// records are the same once read (find lists /etc in the disk's order).
func TestProbeAndOfflineReaderAgreeOnFiles(t *testing.T) {
	for _, tc := range []struct {
		root, manager string
		items         []string
	}{
		{"debian11", "dpkg", []string{"cmd:files-dpkg-scripts", "cmd:files-templates", "file:/var/lib/ucf/registry", "file:/var/lib/ucf/hashfile"}},
		{"el7", "rpm", []string{"cmd:files-rpm-scripts"}},
		{"el5", "rpm", []string{"cmd:files-rpm-scripts"}},
	} {
		t.Run(tc.root, func(t *testing.T) {
			dir := root(t, tc.root, tc.manager == "rpm")
			off := offline(t, dir)
			want := configsJSON(t, surveyed(off, tc.manager))
			if len(want) < 1000 {
				t.Fatalf("the offline survey found too little:\n%s", want)
			}
			for _, sh := range shells {
				t.Run(strings.Join(sh, " "), func(t *testing.T) {
					if tc.manager == "rpm" && sh[0] == "busybox" {
						// Debian's busybox has an rpm applet of its own, which its sh
						// may run for "rpm"; no RPM host has busybox for /bin/sh.
						t.Skip("busybox sh may run busybox's own rpm")
					}
					a := live(t, dir, tc.manager, sh)
					for _, arch := range []*evidence.Archive{a, off} {
						for _, it := range arch.Items {
							for _, secret := range []string{"Generated0nInstall", "Chang3dByTheAdmin"} {
								if bytes.Contains(it.Data, []byte(secret)) {
									t.Errorf("%s: a password from the root left it", it.Name)
								}
							}
						}
					}
					for _, id := range tc.items {
						li, _ := a.Get(id)
						oi, _ := off.Get(id)
						if !li.OK() || !bytes.Equal(li.Data, oi.Data) {
							t.Errorf("%s: live (%s, %d bytes, stderr %q) and offline (%s, %d bytes) differ:\n%s", id, li.Status, len(li.Data), li.Stderr, oi.Status, len(oi.Data), firstDiff(string(li.Data), string(oi.Data)))
						}
					}
					for _, name := range []string{"files-" + tc.manager + "-content"} {
						li, _ := a.Cmd(name)
						oi, _ := off.Cmd(name)
						lc, err1 := ParseContent(li.Text())
						oc, err2 := ParseContent(oi.Text())
						if err1 != nil || err2 != nil || !lc.Done || !oc.Done {
							t.Fatalf("%s: %v / %v, done %v / %v", name, err1, err2, lc.Done, oc.Done)
						}
						if l, o := contentsJSON(t, lc), contentsJSON(t, oc); l != o {
							t.Errorf("%s differs:\n%s", name, firstDiff(l, o))
						}
					}
					if got := configsJSON(t, surveyed(a, tc.manager)); got != want {
						t.Errorf("live and offline surveys differ:\n%s", firstDiff(got, want))
					}
				})
			}
		})
	}
}

func contentsJSON(t *testing.T, c Contents) string {
	t.Helper()
	for p := range c.Files {
		if !strings.HasPrefix(p, "/etc/") && !strings.HasPrefix(p, "/opt/") {
			delete(c.Files, p)
		}
	}
	for _, cs := range c.Copies {
		sort.Slice(cs, func(i, j int) bool { return cs[i].Path < cs[j].Path })
	}
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  " + x + "\n  " + y
		}
	}
	return "(same)"
}
