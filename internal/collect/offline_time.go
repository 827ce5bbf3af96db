package collect

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// localtimeMtime is the probe's _lmtime offline: the mtime of /etc/localtime itself,
// not of the zone file it links to (its parent directories resolve inside the root).
func (r *rootReader) localtimeMtime() ([]byte, error) {
	dir, err := r.inside("/etc")
	if err != nil {
		return nil, err
	}
	fi, err := os.Lstat(filepath.Join(dir, "localtime"))
	if err != nil {
		return nil, missing("/etc/localtime", err)
	}
	return []byte(fmt.Sprintf("%d\n", fi.ModTime().Unix())), nil
}

// cronExec is the probe's _cronexec offline: which run-parts files are executable,
// and which absolute paths the crontabs name are executable files.
func (r *rootReader) cronExec() ([]byte, error) {
	var b strings.Builder
	for _, d := range []string{"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"} {
		hp, err := r.inside(d)
		if err != nil {
			continue
		}
		entries, err := os.ReadDir(hp)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if x, ok := r.executable(d + "/" + e.Name()); ok {
				flag := "-"
				if x {
					flag = "x"
				}
				fmt.Fprintf(&b, "%s\t%s/%s\n", flag, d, e.Name())
			}
		}
	}
	var texts []string
	for _, g := range []string{"/etc/crontab", "/etc/cron.d/*", "/etc/anacrontab", "/var/spool/cron/*", "/var/spool/cron/crontabs/*"} {
		for _, p := range r.glob(g) {
			if !r.isRegular(p) {
				continue
			}
			if hp, err := r.inside(p); err == nil {
				if data, err := os.ReadFile(hp); err == nil && len(data) < 1<<20 {
					texts = append(texts, string(data))
				}
			}
		}
	}
	seen := map[string]bool{}
	var paths []string
	for _, t := range texts {
		for _, line := range strings.Split(t, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), "#") {
				continue
			}
			for _, tok := range strings.FieldsFunc(line, func(c rune) bool {
				return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._+-", c))
			}) {
				if len(tok) > 1 && tok[0] == '/' && !seen[tok] && len(paths) < 300 {
					seen[tok] = true
					paths = append(paths, path.Clean(tok))
				}
			}
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if x, ok := r.executable(p); ok && x {
			fmt.Fprintf(&b, "p\t%s\n", p)
		}
	}
	return []byte(b.String()), nil
}

// executable reports whether a host path is a regular file with an execute bit; ok
// is false when it is not a regular file.
func (r *rootReader) executable(p string) (x, ok bool) {
	hp, err := r.inside(p)
	if err != nil {
		return false, false
	}
	fi, err := os.Stat(hp)
	if err != nil || !fi.Mode().IsRegular() {
		return false, false
	}
	return fi.Mode()&0o111 != 0 && fi.Mode()&fs.ModeType == 0, true
}
