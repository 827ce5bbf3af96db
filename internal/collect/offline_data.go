package collect

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/trowel-dev/trowel/internal/probe"
)

// dataBudget bounds an offline walk of a database's directories as the probe's
// watchdog bounds du there.
const dataBudget = 30 * time.Second

// duApparent is the probe's _net_apparent read from a disk image: du-data's lines
// with the apparent size of each directory's files in bytes.
func (r *rootReader) duApparent() ([]byte, error) { return r.dataDirLines(apparentSize, ""), nil }

// dir is the host path of a directory of the surveyed host, following links inside
// the root as [ -d ] does on the host.
func (r *rootReader) dir(p string) (string, bool) {
	hp, err := r.inside(p)
	if err != nil {
		return "", false
	}
	fi, err := os.Stat(hp)
	return hp, err == nil && fi.IsDir()
}

// apparentSize is the probe's _apparent: the sum of the lengths of the regular files
// below dir on its filesystem, each hard-linked file once. complete is false when
// something could not be read or the deadline passed.
func apparentSize(dir string, deadline time.Time) (size int64, complete bool) {
	complete = walkOnce(dir, deadline, func(st *syscall.Stat_t, d fs.DirEntry) {
		if d.Type().IsRegular() {
			size += st.Size
		}
	})
	return size, complete
}

// mysqlConfigs are the option files _data_mysql_datadir reads datadir= from, in its
// order: the last datadir= wins.
var mysqlConfigs = []string{"/etc/my.cnf", "/etc/mysql/my.cnf", "/etc/my.cnf.d/*.cnf", "/etc/mysql/conf.d/*.cnf", "/etc/mysql/mariadb.conf.d/*.cnf", "/etc/mysql/mysql.conf.d/*.cnf"}

// datadirLine is the probe's sed expression for a datadir= line.
var datadirLine = regexp.MustCompile(`(?m)^[ \t]*datadir[ \t]*=[ \t]*["']*([^"' \t#\n]*)`)

// mysqlStartLine is a unit's or init script's line that runs the server (not
// mysqladmin, whose --defaults-file is Debian's debian.cnf); mysqlStartOpt one of
// its words that names an option file or the datadir literally ("$datadir" is
// the script's, unknown here).
var (
	mysqlStartLine = regexp.MustCompile(`(?:^|[\s=/"'])(?:mysqld|mariadbd|mysqld_safe)(?:\s|$)`)
	mysqlStartOpt  = regexp.MustCompile(`^--(defaults-file|defaults-extra-file|datadir)=["']?(/[^"'$]*)["']?$`)
)

// mysqlStart stands in offline for the running server's command line, which the
// probe reads from /proc: the options the first start line of its units and init
// scripts (probe.MySQLStartScripts) names, by name.
func (r *rootReader) mysqlStart() map[string]string {
	for _, p := range probe.MySQLStartScripts {
		data, err := r.readSmall(p)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if t := strings.TrimSpace(line); t == "" || t[0] == '#' || !mysqlStartLine.MatchString(t) {
				continue
			}
			opts := map[string]string{}
			for _, w := range strings.Fields(line) {
				if m := mysqlStartOpt.FindStringSubmatch(w); m != nil {
					opts[m[1]] = m[2]
				}
			}
			if len(opts) > 0 {
				return opts
			}
		}
	}
	return nil
}

// mysqldLaunch is the probe's _data_mysqld_launch read from a disk image: the
// option files the server's start line names, never a secret one.
func (r *rootReader) mysqldLaunch() ([]byte, error) {
	var b bytes.Buffer
	start := r.mysqlStart()
	for _, k := range []string{"defaults-file", "defaults-extra-file"} {
		p := start[k]
		if p == "" || r.secretFile(p) {
			continue
		}
		if data, err := r.readSmall(p); err == nil {
			fmt.Fprintf(&b, "==> %s <==\n%s\n", p, data[:min(len(data), 64<<10)])
		}
	}
	return b.Bytes(), nil
}

// mysqlDatadir is the probe's _data_mysql_datadir read from a disk image: the
// start line's --datadir, else the datadir of the only option file it names,
// else of the standard ones.
func (r *rootReader) mysqlDatadir() ([]byte, error) {
	start := r.mysqlStart()
	dd := start["datadir"]
	configs := mysqlConfigs
	if df := start["defaults-file"]; df != "" {
		configs = []string{df}
		if r.secretFile(df) {
			configs = nil
		}
	}
	if dd != "" {
		configs = nil
	}
	for _, g := range configs {
		for _, p := range r.glob(g) {
			data, err := r.readSmall(p)
			if err != nil {
				continue
			}
			for _, m := range datadirLine.FindAllStringSubmatch(string(data), -1) {
				dd = m[1]
			}
		}
	}
	if dd == "" {
		dd = "/var/lib/mysql"
	}
	dd = strings.TrimSuffix(dd, "/")
	var b bytes.Buffer
	fmt.Fprintf(&b, "datadir\t%s\n", dd)
	hp, ok := r.dir(dd)
	if !ok {
		return b.Bytes(), &exitError{2, dd + ": No such file or directory"}
	}
	entries, err := os.ReadDir(hp)
	if err != nil {
		return b.Bytes(), &exitError{1, dd + ": " + err.Error()}
	}
	r.realdir(&b, hp, dd)
	b.Write(headLines(entryLines(hp, entries), 5000))
	deadline := time.Now().Add(dataBudget)
	kib, _ := diskUsage(hp, deadline)
	app, _ := apparentSize(hp, deadline)
	fmt.Fprintf(&b, "total\t%d\t%d\n", kib, app)
	bad := false
	n := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.Contains(e.Name(), "\n") {
			continue // the probe's glob skips dot directories and follows no link
		}
		if n++; n > 1000 {
			break
		}
		sub := filepath.Join(hp, e.Name())
		if kib, complete := diskUsage(sub, deadline); complete {
			fmt.Fprintf(&b, "size\t%d\t%s\n", kib, e.Name())
		} else {
			bad = true
		}
		app, _ := apparentSize(sub, deadline)
		fmt.Fprintf(&b, "apparent\t%d\t%s\n", app, e.Name())
	}
	if bad {
		return b.Bytes(), &exitError{1, "du: cannot read some database directories: Permission denied"}
	}
	return b.Bytes(), nil
}

// pgDatadirs is the probe's _data_pg_datadirs read from a disk image.
// realdir is the probe's _realdir: "real<TAB>path" where the root's links lead dd
// (hp, resolved inside the root), nothing where none does.
func (r *rootReader) realdir(b *bytes.Buffer, hp, dd string) {
	if real := r.surveyed(hp); real != dd {
		fmt.Fprintf(b, "real\t%s\n", real)
	}
}

func (r *rootReader) pgDatadirs() ([]byte, error) {
	var b bytes.Buffer
	found, bad := false, false
	deadline := time.Now().Add(dataBudget)
	for _, g := range []string{"/var/lib/pgsql/data", "/var/lib/pgsql/*/data", "/var/lib/postgresql/*/main", "/usr/local/pgsql/data"} {
		for _, dd := range r.glob(g) {
			if _, ok := r.dir(dd); !ok {
				continue
			}
			found = true
			fmt.Fprintf(&b, "datadir\t%s\n", dd)
			hp, _ := r.dir(dd)
			r.realdir(&b, hp, dd)
			base, ok := r.dir(dd + "/base")
			entries, err := os.ReadDir(base)
			if !ok || err != nil {
				fmt.Fprintf(&b, "denied\t%s\n", dd)
				bad = true
				continue
			}
			n := 0
			for _, e := range entries {
				if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				if n++; n > 1000 {
					break
				}
				if kib, complete := diskUsage(path.Join(base, e.Name()), deadline); complete {
					fmt.Fprintf(&b, "size\t%d\t%s\n", kib, e.Name())
				}
			}
		}
	}
	switch {
	case !found:
		return nil, &exitError{2, "no PostgreSQL data directory in the standard places"}
	case bad:
		return b.Bytes(), &exitError{1, "a data directory could not be read: Permission denied"}
	}
	return b.Bytes(), nil
}

// headLines is text cut after n lines, as head -n does.
func headLines(text []byte, n int) []byte {
	for i, c := range text {
		if c == '\n' {
			if n--; n == 0 {
				return text[:i+1]
			}
		}
	}
	return text
}
