package collect

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/redact"
)

// fstat is the probe's _fstat DEPTH DIR: "bytes mtime path" for the regular files at
// most depth levels below dir, on dir's own filesystem, written to b.
func (r *rootReader) fstat(b *bytes.Buffer, depth int, dir string) {
	hp, ok := r.dir(dir)
	if !ok {
		return
	}
	top, ok := statT(hp)
	if !ok {
		return
	}
	_ = filepath.WalkDir(hp, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(hp, p)
		level := 0
		if rel != "." {
			level = strings.Count(rel, "/") + 1
		}
		st, ok := lstatT(p)
		if !ok {
			return nil
		}
		if d.IsDir() {
			if uint64(st.Dev) != uint64(top.Dev) || level >= depth {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.Contains(rel, "\n") {
			return nil
		}
		fmt.Fprintf(b, "%d %d %s\n", st.Size, st.Mtim.Sec, path.Join(dir, filepath.ToSlash(rel)))
		return nil
	})
}

// varLogFiles is `_fstat 3 /var/log | head -n 3000` read from a disk image.
func (r *rootReader) varLogFiles() ([]byte, error) {
	var b bytes.Buffer
	r.fstat(&b, 3, "/var/log")
	return headLines(b.Bytes(), 3000), nil
}

// cronFiles is the probe's _cron_files: the crontabs there are.
func (r *rootReader) cronFiles() []string {
	var out []string
	for _, g := range []string{"/etc/crontab", "/etc/anacrontab", "/etc/cron.d/*", "/var/spool/cron/*", "/var/spool/cron/crontabs/*", "/var/spool/cron/tabs/*"} {
		for _, p := range r.glob(g) {
			if hp, err := r.inside(p); err == nil {
				if fi, err := os.Stat(hp); err == nil && fi.Mode().IsRegular() {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// absWords is the probe's _abs_words: the absolute paths written in the files, cut
// at any character a path rarely holds, sorted and each once, at most 2000.
func (r *rootReader) absWords(files []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		data, err := r.readSmall(f)
		if err != nil {
			continue
		}
		for _, w := range strings.FieldsFunc(string(data), func(c rune) bool {
			return !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("/._+@%-", c))
		}) {
			if strings.HasPrefix(w, "/") && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	sort.Strings(out)
	if len(out) > 2000 {
		out = out[:2000]
	}
	return out
}

// regularFile reports whether p is a regular file, following links inside the root
// as [ -f ] does.
func (r *rootReader) regularFile(p string) bool {
	hp, err := r.inside(p)
	if err != nil {
		return false
	}
	fi, err := os.Stat(hp)
	return err == nil && fi.Mode().IsRegular()
}

// jobScripts is the probe's _job_scripts: the scripts crontabs name, then the
// run-parts directories' files.
func (r *rootReader) jobScripts(cronFiles []string) []string {
	var out []string
	for _, w := range r.absWords(cronFiles) {
		if strings.HasPrefix(w, "/dev/") || strings.HasPrefix(w, "/proc/") || strings.HasPrefix(w, "/sys/") || !r.regularFile(w) {
			continue
		}
		switch path.Ext(w) {
		case ".sh", ".bash", ".pl", ".py", ".rb", ".php":
		default:
			if x, _ := r.executable(w); !x {
				continue
			}
		}
		out = append(out, w)
	}
	for _, d := range []string{"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"} {
		for _, p := range r.glob(d + "/*") {
			if r.regularFile(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// cronScripts is the probe's _cron_scripts read from a disk image: the text of the
// scripts cron jobs run, each under "==> PATH <==", through the secret filter.
func (r *rootReader) cronScripts() ([]byte, error) {
	var b bytes.Buffer
	scripts := r.jobScripts(r.cronFiles())
	if len(scripts) > 300 {
		scripts = scripts[:300]
	}
	for _, s := range scripts {
		data, err := r.readHead(s, 65536)
		if err != nil || bytes.Contains(bytes.ReplaceAll(data[:min(4, len(data))], []byte{0}, nil), []byte("ELF")) {
			continue
		}
		fmt.Fprintf(&b, "==> %s <==\n", s)
		b.Write(data)
		b.WriteString("\n")
	}
	return redact.Text(b.Bytes()), nil
}

// backupFiles is `_backup_files | head -n 3000` read from a disk image: the files of
// the usual backup places and of the backup-looking directories the crontabs and
// their scripts name.
func (r *rootReader) backupFiles() ([]byte, error) {
	cf := r.cronFiles()
	words := r.absWords(append(cf, r.jobScripts(cf)...))
	named := map[string]bool{}
	for _, w := range words {
		lw := strings.ToLower(w)
		if !strings.Contains(lw, "backup") && !strings.Contains(lw, "dump") && !strings.Contains(lw, "bak") && !strings.Contains(lw, "archive") {
			continue
		}
		if hasAnyPrefix(w, "/dev/", "/proc/", "/sys/", "/etc/cron", "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/var/log/") || strings.HasSuffix(w, ".log") {
			continue
		}
		// A script or log that exists names itself, not a backup place; a path that
		// does not exist is an output name built at run time.
		_, isDir := r.dir(w)
		if !isDir && r.exists(w) {
			continue
		}
		if !isDir {
			w = path.Dir(w)
			if _, ok := r.dir(w); !ok {
				continue
			}
		}
		switch w {
		case "/", "/etc", "/usr", "/var", "/home", "/root", "/srv", "/opt", "/tmp":
			continue
		}
		named[w] = true
	}
	dirs := make([]string, 0, len(named))
	for d := range named {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	if len(dirs) > 40 {
		dirs = dirs[:40]
	}
	var b bytes.Buffer
	for _, g := range []string{"/var/backups", "/backup", "/backups", "/root/backup*", "/srv/backup*", "/var/backup", "/home/backup*", "/data/backup*"} {
		for _, d := range r.glob(g) {
			r.fstat(&b, 3, d)
		}
	}
	for _, d := range dirs {
		if hasAnyPrefix(d+"/", "/var/backups/", "/backup/", "/backups/") {
			continue
		}
		r.fstat(&b, 2, d)
	}
	return headLines(b.Bytes(), 3000), nil
}

func (r *rootReader) exists(p string) bool {
	hp, err := r.inside(p)
	if err != nil {
		return false
	}
	_, err = os.Stat(hp)
	return err == nil
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// runHints is the probe's _run_hints read from a disk image: what the pid and lock
// files left at shutdown say.
func (r *rootReader) runHints() ([]byte, error) {
	var b bytes.Buffer
	for _, g := range []string{"/var/run/*.pid", "/var/run/*/*.pid", "/run/*.pid", "/run/*/*.pid"} {
		for _, p := range r.glob(g) {
			hp, err := r.inside(p)
			if err != nil {
				continue
			}
			fi, err := os.Stat(hp)
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			data, _ := r.readHead(p, 4096)
			pid, _, _ := strings.Cut(string(data), "\n")
			if pid == "" || strings.Trim(pid, "0123456789") != "" {
				pid = ""
			}
			fmt.Fprintf(&b, "pid\t%d\t%s\t%s\n", fi.ModTime().Unix(), p, pid)
		}
	}
	for _, p := range r.glob("/var/lock/subsys/*") {
		if hp, err := r.inside(p); err == nil {
			if fi, err := os.Stat(hp); err == nil && fi.Mode().IsRegular() {
				fmt.Fprintf(&b, "lock\t%d\t%s\t\n", fi.ModTime().Unix(), p)
			}
		}
	}
	return b.Bytes(), nil
}

// mailSpools is the probe's _mail_spools read from a disk image.
func (r *rootReader) mailSpools() ([]byte, error) {
	var b bytes.Buffer
	for _, d := range []string{"/var/spool/mail", "/var/mail"} {
		hp, err := r.inside(d)
		if err != nil {
			continue
		}
		if fi, err := os.Lstat(hp); err != nil || !fi.IsDir() {
			continue // a link to the other is read there
		}
		for _, p := range r.glob(d + "/*") {
			f, fi, err := r.open(p)
			if err != nil || f == nil {
				continue
			}
			n, unread, last := CountMbox(io.LimitReader(f, 64<<20))
			f.Close()
			fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\t%s\n", p, fi.Size(), fi.ModTime().Unix(), n, unread, last)
		}
	}
	return b.Bytes(), nil
}

// CountMbox is the probe's mbox count in Go: the messages of an mbox, those without
// a Status header saying read, and the last "From " line after "From ". Exported
// for the test that holds it to the probe's awk.
func CountMbox(rd io.Reader) (messages, unread int, last string) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	blank, header, read := true, false, false
	for sc.Scan() {
		line := strings.ReplaceAll(sc.Text(), "\x00", "")
		switch {
		case blank && strings.HasPrefix(line, "From "):
			if messages > 0 && !read {
				unread++
			}
			messages++
			read, header, blank, last = false, true, false, line[5:]
		case header && strings.HasPrefix(line, "Status:") && strings.Contains(line, "R"):
			read = true
			blank = false
		case line == "":
			header, blank = false, true
		default:
			blank = false
		}
	}
	if messages > 0 && !read {
		unread++
	}
	return messages, unread, last
}
