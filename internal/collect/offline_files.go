package collect

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/rpmdb"
)

// The probe's files-* steps computed from a disk image: same lines, same order of
// sections, so one parser reads both (see the _files_* functions in prologue.sh).

// digest hashes a file inside the root as md5sum/sha256sum would, or returns the
// line coreutils prints for a file it cannot read.
func (r *rootReader) digest(p string, sha bool) string {
	prog := "md5sum"
	if sha {
		prog = "sha256sum"
	}
	f, fi, err := r.open(p)
	if err != nil || f == nil {
		why := "No such file or directory"
		if err != nil && os.IsPermission(err) {
			why = "Permission denied"
		} else if f == nil && fi != nil && fi.IsDir() {
			why = "Is a directory"
		}
		return fmt.Sprintf("%s: %s: %s\n", prog, p, why)
	}
	defer f.Close()
	var h interface {
		io.Writer
		Sum([]byte) []byte
	} = md5.New()
	if sha {
		h = sha256.New()
	}
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Sprintf("%s: %s: %v\n", prog, p, err)
	}
	return hex.EncodeToString(h.Sum(nil)) + "  " + p + "\n"
}

// readSmall reads a file inside the root, at most 64 MiB.
func (r *rootReader) readSmall(p string) ([]byte, error) {
	f, fi, err := r.open(p)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, fmt.Errorf("%s is not a regular file (%s)", p, fi.Mode())
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 64<<20))
}

// dpkgEtc returns the md5sums lines for /etc ("INFO/PKG.md5sums:DIGEST  etc/x"), the
// conffile paths, and the expected digests of both.
func (r *rootReader) dpkgEtc() (sumsLines []string, paths []string, want map[string]string, err error) {
	status, err := r.readSmall("/var/lib/dpkg/status")
	if err != nil {
		return nil, nil, nil, err
	}
	want = map[string]string{}
	in := false
	for _, line := range strings.Split(string(status), "\n") {
		switch {
		case strings.HasPrefix(line, "Conffiles:"):
			in = true
		case in && strings.HasPrefix(line, " "):
			l := strings.TrimPrefix(line, " ")
			obsolete := strings.HasSuffix(l, " obsolete")
			for _, m := range []string{" obsolete", " remove-on-upgrade"} {
				l = strings.TrimSuffix(l, m)
			}
			i := strings.LastIndexByte(l, ' ')
			if i <= 0 {
				continue
			}
			paths = append(paths, l[:i])
			if !obsolete {
				want[l[:i]] = l[i+1:]
			}
		default:
			in = false
		}
	}
	infos, _ := r.globInfo(".md5sums")
	for _, name := range infos {
		data, err := r.readSmall("/var/lib/dpkg/info/" + name)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			d, p, ok := strings.Cut(line, "  ")
			if ok && strings.HasPrefix(p, "etc/") {
				sumsLines = append(sumsLines, "/var/lib/dpkg/info/"+name+":"+line)
				paths = append(paths, "/"+p)
				want["/"+p] = d
			}
		}
	}
	return sumsLines, paths, want, nil
}

// globInfo lists /var/lib/dpkg/info's files with the given suffix, sorted as the
// shell's glob sorts them in the C locale.
func (r *rootReader) globInfo(suffix string) ([]string, error) {
	hp, err := r.inside("/var/lib/dpkg/info")
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(hp)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) && !strings.Contains(e.Name(), "\n") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

func oddPath(p string) bool { return strings.ContainsAny(p, " \t\"'\\") }

func (r *rootReader) filesDpkgSums() ([]byte, error) {
	sumsLines, paths, _, err := r.dpkgEtc()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, l := range sumsLines {
		b.WriteString(l + "\n")
	}
	for _, p := range paths {
		if oddPath(p) {
			b.WriteString("odd\t" + p + "\n")
			continue
		}
		b.WriteString(r.digest(p, false))
	}
	b.WriteString("# done\n")
	return b.Bytes(), nil
}

// etcFiles walks /etc inside the root (never leaving it, never following links),
// regular files only, at most 20000, as `find /etc -xdev -type f | head` does.
func (r *rootReader) etcFiles() ([]string, error) {
	hp, err := r.inside("/etc")
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(hp, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if len(out) >= 20000 {
			return filepath.SkipAll
		}
		if d.Type().IsRegular() && !strings.Contains(p, "\n") {
			rel, _ := filepath.Rel(hp, p)
			out = append(out, path.Join("/etc", filepath.ToSlash(rel)))
		}
		return nil
	})
	return out, err
}

func (r *rootReader) dpkgUnowned() ([]string, int, error) {
	lists, err := r.globInfo(".list")
	if err != nil {
		return nil, 0, err
	}
	owned := map[string]bool{}
	for _, name := range append(lists, "../diversions") {
		data, err := r.readSmall("/var/lib/dpkg/info/" + name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			owned[sc.Text()] = true
		}
	}
	return r.unownedEtc(owned)
}

func (r *rootReader) filesDpkgUnowned() ([]byte, error) {
	paths, n, err := r.dpkgUnowned()
	if err != nil {
		return nil, err
	}
	return []byte(strings.Join(append(paths, fmt.Sprintf("# checked %d files", n), "# done"), "\n") + "\n"), nil
}

func (r *rootReader) filesDpkgContent() ([]byte, error) {
	_, paths, want, err := r.dpkgEtc()
	if err != nil {
		return nil, err
	}
	var cands []string
	for _, p := range paths {
		if d, ok := want[p]; ok && !oddPath(p) {
			if line := r.digest(p, false); strings.HasPrefix(line, d+"  ") || !isDigestLine(line) {
				continue
			}
			cands = append(cands, p)
		}
	}
	unowned, _, err := r.dpkgUnowned()
	if err != nil {
		return nil, err
	}
	return r.content(append(cands, unowned...), "dpkg", probe.Templates()), nil
}

func isDigestLine(l string) bool {
	d, _, ok := strings.Cut(l, "  ")
	return ok && (len(d) == 32 || len(d) == 64) && strings.Trim(d, "0123456789abcdef") == ""
}

// content is _files_content: each file's redacted text, length-prefixed, or why not,
// then the copies of its packaged version the root keeps (see contentCopies).
func (r *rootReader) content(paths []string, family string, templates map[string]string) []byte {
	var b bytes.Buffer
	copies := 0
	for i, p := range paths {
		if i >= probe.ContentMaxFiles {
			fmt.Fprintf(&b, "N\t%s\tover the cap of %d files\n", p, probe.ContentMaxFiles)
			continue
		}
		if r.contentOne(&b, p) != nil {
			r.contentCopies(&b, p, family, templates, &copies)
		}
	}
	b.WriteString("# done\n")
	return b.Bytes()
}

// pemLimit bounds what is read of a large .pem to look for a private key in it.
const pemLimit = 64 << 20

// secretFile is the probe's _files_secret: a name whose content never leaves the
// host, or a .pem holding a private key (the probe greps the whole file).
func (r *rootReader) secretFile(p string) bool {
	if probe.SecretPath(p) {
		return true
	}
	if !probe.PEMName(p) {
		return false
	}
	data, err := r.readHead(p, pemLimit)
	return err == nil && probe.PrivateKeyPEM(p, data)
}

// contentOne writes the F or N record of one file and returns the raw bytes whose
// redaction went out, or nil.
func (r *rootReader) contentOne(b *bytes.Buffer, p string) []byte {
	if r.secretFile(p) {
		fmt.Fprintf(b, "N\t%s\tsecret\n", p)
		return nil
	}
	f, fi, err := r.open(p)
	switch {
	case err != nil && os.IsPermission(err):
		fmt.Fprintf(b, "N\t%s\tunreadable\n", p)
		return nil
	case err != nil || f == nil:
		fmt.Fprintf(b, "N\t%s\tnot a regular file\n", p)
		return nil
	}
	defer f.Close()
	if fi.Size() > probe.ContentFileLimit {
		fmt.Fprintf(b, "N\t%s\ttoo large (%d bytes)\n", p, fi.Size())
		return nil
	}
	data, _ := io.ReadAll(io.LimitReader(f, probe.ContentFileLimit+1))
	text := string(redact.Text(data))
	fmt.Fprintf(b, "F\t%d\t%s\n%s\n", len(text), p, text)
	if data == nil {
		data = []byte{}
	}
	return data
}

// contentCopies is _files_copies: the copies of p's packaged version, each as a C
// record with its digests, its F or N record, and a D record of p's lines it lacks.
func (r *rootReader) contentCopies(b *bytes.Buffer, p, family string, templates map[string]string, n *int) {
	type cand struct{ kind, path string }
	var cands []cand
	for _, k := range probe.CopyKinds[family] {
		cands = append(cands, cand{k.Kind, p + k.Suffix})
	}
	if family == "dpkg" {
		cands = append(cands, cand{probe.UCFCacheKind, probe.UCFCache + strings.ReplaceAll(p, "/", ":")})
		if t, ok := templates[p]; ok {
			cands = append(cands, cand{probe.TemplateKind, t})
		}
	}
	for _, suf := range probe.MovedAside[family] {
		if base, ok := strings.CutSuffix(p, suf); ok {
			cands = append(cands, cand{probe.InForceKind, base})
		}
	}
	for _, c := range cands {
		if !r.isRegular(c.path) {
			continue
		}
		if *n++; *n > probe.ContentMaxFiles {
			continue
		}
		raw, err := r.readSmall(c.path)
		if err != nil {
			fmt.Fprintf(b, "C\t%s\t%s\t%s\t-\t-\nN\t%s\tunreadable\n", p, c.kind, c.path, c.path)
			continue
		}
		m, h := md5.Sum(raw), sha256.Sum256(raw)
		fmt.Fprintf(b, "C\t%s\t%s\t%s\t%s\t%s\n", p, c.kind, c.path, hex.EncodeToString(m[:]), hex.EncodeToString(h[:]))
		if r.contentOne(b, c.path) == nil || strings.Contains(c.path, `\`) {
			continue
		}
		cur, err := r.readSmall(p)
		if err != nil {
			continue
		}
		fmt.Fprintf(b, "D\t%s\t%s\t%s\n", p, c.path, absentLines(cur, raw))
	}
}

// absentLines is the D record's list: the numbers of cur's lines that are not lines
// of copy, each after a blank, at most probe.DiffLinesMax of them and then " +".
// Lines are split as awk splits them: at newlines, a last line without one counted.
func absentLines(cur, copy []byte) string {
	have := map[string]bool{}
	for _, l := range awkLines(copy) {
		have[l] = true
	}
	var b strings.Builder
	n := 0
	for i, l := range awkLines(cur) {
		if have[l] {
			continue
		}
		if n++; n > probe.DiffLinesMax {
			b.WriteString(" +")
			break
		}
		fmt.Fprintf(&b, " %d", i+1)
	}
	return b.String()
}

func awkLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" && len(b) <= 1 {
		if len(b) == 1 {
			return []string{""}
		}
		return nil
	}
	return strings.Split(s, "\n")
}

// filesTemplates is _files_generated: the md5 digests of the table's generated files
// and templates, then of every file ucf's hashfile names. Like the probe's step it
// runs only where dpkg keeps its status.
func (r *rootReader) filesTemplates() ([]byte, error) {
	if !r.isRegular("/var/lib/dpkg/status") {
		return nil, fs.ErrNotExist
	}
	paths := probe.GeneratedPaths()
	if data, err := r.readSmall(probe.UCFHashfile); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			d, p, ok := strings.Cut(line, " ")
			if ok && len(d) == 32 && isDigestLine(d+"  x") {
				paths = append(paths, strings.TrimLeft(p, " "))
			}
		}
	}
	var b bytes.Buffer
	for _, p := range paths {
		if oddPath(p) {
			b.WriteString("odd\t" + p + "\n")
			continue
		}
		b.WriteString(r.digest(p, false))
	}
	b.WriteString("# done\n")
	return b.Bytes(), nil
}

// filesDpkgScripts is _files_dpkg_scripts: the lines of each package's postinst that
// name a path under /etc.
func (r *rootReader) filesDpkgScripts() ([]byte, error) {
	names, err := r.globInfo(".postinst")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, name := range names {
		data, err := r.readSmall("/var/lib/dpkg/info/" + name)
		if err != nil {
			continue
		}
		pkg := strings.TrimSuffix(name, ".postinst")
		pkg, _, _ = strings.Cut(pkg, ":")
		scriptLines(&b, pkg, data)
	}
	b.WriteString("# done\n")
	return redact.Text(b.Bytes()), nil
}

// filesRPMScripts is _files_rpm_scripts, from the %post scriptlets in the database.
func (r *rootReader) filesRPMScripts() ([]byte, error) {
	db, err := r.rpmDatabase()
	if err != nil {
		return nil, err
	}
	ss, err := rpmdb.Scriptlets(db)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, s := range ss {
		scriptLines(&b, s.Package, []byte(s.PostIn+"\n"))
	}
	b.WriteString("# done\n")
	return redact.Text(b.Bytes()), nil
}

// scriptLines is the probe's awk program over one script: backslash-continued lines
// joined, then "P PACKAGE" once, "C" for each line sourcing debconf's confmodule and
// "L LINE" (cut) for each line naming a path under /etc.
func scriptLines(b *bytes.Buffer, pkg string, script []byte) {
	shown := false
	show := func() {
		if !shown {
			b.WriteString("P\t" + pkg + "\n")
			shown = true
		}
	}
	held := ""
	for _, line := range awkLines(script) {
		l := line
		if held != "" {
			l, held = held+" "+l, ""
		}
		if strings.HasSuffix(l, "\\") && len(l) < probe.ScriptJoinMax {
			held = l[:len(l)-1]
			continue
		}
		switch {
		case strings.Contains(l, "/usr/share/debconf/confmodule"):
			show()
			b.WriteString("C\n")
		case strings.Contains(l, "/etc/"):
			show()
			if len(l) > probe.ScriptLineMax {
				l = l[:probe.ScriptLineMax]
			}
			b.WriteString("L\t" + l + "\n")
		}
	}
}

// rpmFiles reads the file lists of the RPM database below the root.
func (r *rootReader) rpmFiles() ([]rpmdb.File, error) {
	db, err := r.rpmDatabase()
	if err != nil {
		return nil, err
	}
	return rpmdb.Files(db)
}

// unownedEtc lists the files under /etc that owned does not hold, and how many
// files were checked.
func (r *rootReader) unownedEtc(owned map[string]bool) ([]string, int, error) {
	files, err := r.etcFiles()
	if err != nil {
		return nil, 0, err
	}
	var out []string
	for _, p := range files {
		if !owned[p] {
			out = append(out, p)
		}
	}
	return out, len(files), nil
}

// rpmConfigs is _files_rpm_sums' data: conf lines, and the current digests.
func (r *rootReader) rpmConfigs() (conf []rpmdb.File, err error) {
	all, err := r.rpmFiles()
	if err != nil {
		return nil, err
	}
	for _, f := range all {
		if f.Config && f.Digest != "" {
			conf = append(conf, f)
		}
	}
	return conf, nil
}

func (r *rootReader) filesRPMSums() ([]byte, error) {
	conf, err := r.rpmConfigs()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, f := range conf {
		fmt.Fprintf(&b, "conf\t%s\t%s\t%s\n", f.Package, f.Digest, f.Path)
		switch {
		case oddPath(f.Path), len(f.Digest) != 32 && len(f.Digest) != 64:
			b.WriteString("odd\t" + f.Path + "\n")
		default:
			b.WriteString(r.digest(f.Path, len(f.Digest) == 64))
		}
	}
	b.WriteString("# done\n")
	return b.Bytes(), nil
}

func (r *rootReader) rpmUnowned() ([]string, int, error) {
	all, err := r.rpmFiles()
	if err != nil {
		return nil, 0, err
	}
	owned := map[string]bool{}
	for _, f := range all {
		owned[f.Path] = true
	}
	return r.unownedEtc(owned)
}

func (r *rootReader) filesRPMUnowned() ([]byte, error) {
	paths, n, err := r.rpmUnowned()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, p := range paths {
		fmt.Fprintf(&b, "file %s is not owned by any package\n", p)
	}
	fmt.Fprintf(&b, "# checked %d files\n# done\n", n)
	return b.Bytes(), nil
}

func (r *rootReader) filesRPMContent() ([]byte, error) {
	conf, err := r.rpmConfigs()
	if err != nil {
		return nil, err
	}
	var cands []string
	for _, f := range conf {
		if oddPath(f.Path) || (len(f.Digest) != 32 && len(f.Digest) != 64) {
			continue
		}
		if line := r.digest(f.Path, len(f.Digest) == 64); isDigestLine(line) && !strings.HasPrefix(line, f.Digest+"  ") {
			cands = append(cands, f.Path)
		}
	}
	unowned, _, err := r.rpmUnowned()
	if err != nil {
		return nil, err
	}
	return r.content(append(cands, unowned...), "rpm", nil), nil
}

var treeMarkers = map[string]bool{".git": true, "Gemfile": true, "config.ru": true, "package.json": true,
	"pyvenv.cfg": true, "requirements.txt": true, "setup.py": true, "composer.json": true, "pom.xml": true,
	"go.mod": true, "wp-config.php": true, "Makefile": true}

// filesTrees is _files_trees read from the disk.
func (r *rootReader) filesTrees() ([]byte, error) {
	var dirs []string
	for _, g := range []string{"/usr/local/*", "/opt/*", "/srv/*", "/var/www/*", "/var/lib/gems/*"} {
		dirs = append(dirs, r.glob(g)...)
	}
	if pw, err := r.readSmall("/etc/passwd"); err == nil {
		for _, line := range strings.Split(string(pw), "\n") {
			f := strings.Split(line, ":")
			if len(f) < 7 || !(strings.HasSuffix(f[6], "nologin") || strings.HasSuffix(f[6], "false")) || systemHome(f[5]) {
				continue
			}
			dirs = append(dirs, f[5])
		}
	}
	var b bytes.Buffer
	for _, d := range dirs {
		r.tree(&b, d)
	}
	b.WriteString("# done\n")
	return b.Bytes(), nil
}

// systemHome is the probe's list of homes that are the system's own directories.
func systemHome(h string) bool {
	switch h {
	case "", "/", "/nonexistent", "/dev", "/proc", "/bin", "/sbin", "/usr", "/var", "/run", "/var/empty",
		"/var/www", "/srv", "/opt", "/tmp", "/root", "/etc", "/var/backups", "/var/mail", "/var/log":
		return true
	}
	for _, p := range []string{"/dev/", "/usr/", "/var/spool/", "/var/lib/", "/var/cache/", "/var/run/", "/run/",
		"/var/empty/", "/var/www/", "/srv/", "/opt/", "/etc/", "/var/log/"} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	return false
}

func (r *rootReader) tree(b *bytes.Buffer, d string) {
	hp, err := r.inside(d)
	if err != nil {
		return
	}
	if fi, err := os.Lstat(hp); err != nil || !fi.IsDir() {
		return
	}
	fmt.Fprintf(b, "T\t%s\n", d)
	var n int
	var bytesSum, newest int64
	var markers, execs []string
	_ = filepath.WalkDir(hp, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(hp, p)
		depth := 0
		if rel != "." {
			depth = strings.Count(rel, string(filepath.Separator)) + 1
		}
		name := path.Join(d, filepath.ToSlash(rel))
		if depth > 0 && depth <= 3 && len(markers) < 40 && (treeMarkers[e.Name()] || strings.HasSuffix(e.Name(), ".jar") || strings.HasSuffix(e.Name(), ".war")) {
			markers = append(markers, name)
		}
		if !e.Type().IsRegular() || n >= 10000 {
			return nil
		}
		fi, err := e.Info()
		if err != nil {
			return nil
		}
		n++
		bytesSum += fi.Size()
		if m := fi.ModTime().Unix(); m > newest {
			newest = m
		}
		if depth <= 2 && fi.Mode()&0o100 != 0 && len(execs) < 10 {
			execs = append(execs, r.execKind(p)+"\t"+name)
		}
		return nil
	})
	fmt.Fprintf(b, "S\t%d\t%d\t%d\n", n, bytesSum, newest)
	for _, m := range markers {
		fmt.Fprintf(b, "M\t%s\n", m)
	}
	for _, x := range execs {
		fmt.Fprintf(b, "X\t%s\n", x)
	}
}

func (r *rootReader) execKind(hostPath string) string {
	f, err := os.OpenFile(hostPath, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "other"
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	switch {
	case n == 4 && string(head) == "\x7fELF":
		return "elf"
	case n >= 2 && string(head[:2]) == "#!":
		return "script"
	}
	return "other"
}
