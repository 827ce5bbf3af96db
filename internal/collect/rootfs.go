package collect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/rpmdb"
)

// rootReader reads a mounted disk of a host that is switched off, following the same
// plan as the probe, so the evidence has the same item names. Commands that need a
// running system are recorded as offline; those whose answer lives on disk (the
// package databases, the shadow file's password states) are computed here instead.
type rootReader struct {
	root string
	w    *evidence.Writer
}

// ReadRoot writes the evidence of the root filesystem at dir to w.
func ReadRoot(ctx context.Context, dir string, w io.Writer) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	r := &rootReader{root: abs, w: evidence.NewWriter(w)}
	uid := os.Geteuid()
	name := strconv.Itoa(uid)
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	r.w.Header(map[string]string{
		"probe": "offline-" + probe.Version, "uid": strconv.Itoa(uid), "user": name,
		"epoch": strconv.FormatInt(time.Now().Unix(), 10), "root": abs,
	}, "probe", "uid", "user", "epoch", "root")
	for _, st := range probe.Plan {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.step(st)
	}
	return r.w.Close()
}

func (r *rootReader) step(st probe.Step) {
	switch st.Kind {
	case probe.File:
		r.file(st.Path, st.Limit, filterOf(st))
	case probe.Glob:
		if st.Path == probe.SudoersIncludes {
			r.sudoersIncludes(st)
			return
		}
		for _, p := range r.glob(st.Path) {
			if r.isRegular(p) {
				r.file(p, st.Limit, filterOf(st))
			}
		}
	case probe.List:
		r.list(st.Path, limitOr(st.Limit))
	case probe.ListGlob:
		for _, p := range r.glob(st.Path) {
			if r.isDir(p) {
				r.list(p, limitOr(st.Limit))
			}
		}
	case probe.Cmd:
		r.cmd(st)
	case probe.HomeFile:
		r.homeFiles(st)
	}
}

func limitOr(l int64) int64 {
	if l > 0 {
		return l
	}
	return 4 << 20
}

// open resolves p inside the root and opens it without blocking, so a FIFO in the
// image cannot hang the reader.
func (r *rootReader) open(p string) (*os.File, fs.FileInfo, error) {
	hp, err := r.inside(p)
	if err != nil {
		return nil, nil, err
	}
	fi, err := os.Lstat(hp)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, nil
	}
	f, err := os.OpenFile(hp, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	return f, fi, err
}

// filterOf is the offline twin of the probe's redaction mode for a step: the same
// filters in Go (internal/redact), so a disk read offline gives the same evidence.
func filterOf(st probe.Step) func([]byte) []byte {
	switch {
	case st.Redact:
		return redact.Text
	case st.RedactArgs:
		return redact.Args
	case st.RedactCommands:
		return redact.Commands
	case st.RedactKeys:
		return redact.KeyLines
	case st.RedactHashes:
		return redact.Hashes
	case st.Argv0:
		return redact.Program
	}
	return nil
}

func (r *rootReader) file(p string, limit int64, filter func([]byte) []byte) {
	it := &evidence.Item{Kind: evidence.KindFile, Name: p, Limit: limit}
	f, _, err := r.open(p)
	switch {
	case err != nil:
		it.Status, it.Stderr = statusOf(err)
	case f == nil:
		it.Status = evidence.StatusNotFile
	default:
		data, rerr := io.ReadAll(io.LimitReader(f, limit+1))
		f.Close()
		it.Status, it.Data = evidence.StatusOK, data
		if rerr != nil {
			it.RC, it.Stderr = 1, []byte(rerr.Error())
		}
		if filter != nil {
			it.Data = filter(it.Data)
		}
	}
	r.w.Item(it)
}

func statusOf(err error) (evidence.Status, []byte) {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return evidence.StatusAbsent, nil
	case errors.Is(err, fs.ErrPermission):
		return evidence.StatusDenied, []byte(err.Error())
	}
	return evidence.StatusSkipped, []byte(err.Error())
}

func (r *rootReader) isRegular(p string) bool {
	hp, err := r.inside(p)
	if err != nil {
		return false
	}
	fi, err := os.Lstat(hp)
	return err == nil && fi.Mode().IsRegular()
}

func (r *rootReader) isDir(p string) bool {
	hp, err := r.inside(p)
	if err != nil {
		return false
	}
	fi, err := os.Lstat(hp)
	return err == nil && fi.IsDir()
}

// glob expands a plan pattern whose wildcards are in its last component, reading the
// directory through resolve so a symlinked directory cannot lead outside the root.
func (r *rootReader) glob(patterns string) []string {
	// A plan's glob may hold several patterns, and wildcards in any component
	// (/var/www/*/Gemfile.lock): the shell expands each word in turn, sorted, and
	// keeps only what exists.
	var out []string
	for _, pattern := range strings.Fields(patterns) {
		out = append(out, r.globOne(pattern)...)
	}
	return out
}

func (r *rootReader) globOne(pattern string) []string {
	cur := []string{"/"}
	for _, part := range strings.Split(strings.TrimPrefix(pattern, "/"), "/") {
		if part == "" {
			continue
		}
		var next []string
		for _, dir := range cur {
			if !strings.ContainsAny(part, "*?[") {
				next = append(next, path.Join(dir, part))
				continue
			}
			hp, err := r.inside(dir)
			if err != nil {
				continue
			}
			entries, err := os.ReadDir(hp)
			if err != nil {
				continue
			}
			for _, e := range entries {
				name := e.Name()
				if strings.HasPrefix(name, ".") && !strings.HasPrefix(part, ".") {
					continue // the shell's glob skips dot files too
				}
				if ok, _ := path.Match(part, name); ok {
					next = append(next, path.Join(dir, name))
				}
			}
		}
		cur = next
	}
	var out []string
	for _, p := range cur {
		if hp, err := r.inside(p); err == nil {
			if _, err := os.Lstat(hp); err == nil {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// list writes entries as the probe's _entries does: type, name, and a link's target
// as written in the link, not resolved.
func (r *rootReader) list(p string, limit int64) {
	it := &evidence.Item{Kind: evidence.KindList, Name: p, Limit: limit}
	hp, err := r.inside(p)
	var entries []os.DirEntry
	if err == nil {
		var fi fs.FileInfo
		if fi, err = os.Lstat(hp); err == nil && !fi.IsDir() {
			it.Status = evidence.StatusNotFile
			r.w.Item(it)
			return
		}
		if err == nil {
			entries, err = os.ReadDir(hp)
		}
	}
	if err != nil {
		it.Status, it.Stderr = statusOf(err)
		r.w.Item(it)
		return
	}
	it.Status, it.Data = evidence.StatusOK, entryLines(hp, entries)
	r.w.Item(it)
}

// entryLines is the probe's _entries for the directory at host path dir.
func entryLines(dir string, entries []os.DirEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		name := e.Name()
		if strings.Contains(name, "\n") {
			continue
		}
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			target, _ := os.Readlink(filepath.Join(dir, name))
			fmt.Fprintf(&b, "l\t%s\t%s\n", name, target)
		case t.IsDir():
			fmt.Fprintf(&b, "d\t%s\n", name)
		case t.IsRegular():
			fmt.Fprintf(&b, "f\t%s\n", name)
		default:
			fmt.Fprintf(&b, "o\t%s\n", name)
		}
	}
	return b.Bytes()
}

func (r *rootReader) cmd(st probe.Step) {
	it := &evidence.Item{Kind: evidence.KindCmd, Name: st.Name, Command: st.Shell, Limit: st.Limit}
	oc, ok := offlineCommands[st.Offline]
	if st.Offline == "" || !ok {
		// The status says it all (Item.Problem words it); a stderr saying it
		// again would be read out twice in every coverage reason.
		it.Status = evidence.StatusOffline
		r.w.Item(it)
		return
	}
	out, err := oc.run(r)
	it.Command = oc.describe
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		it.Status, it.RC, it.Data, it.Stderr = evidence.StatusOK, exit.rc, out, []byte(exit.msg)
	case errors.Is(err, fs.ErrNotExist):
		it.Status, it.RC = evidence.StatusAbsent, 127
	case err != nil:
		it.Status, it.RC, it.Stderr = evidence.StatusOK, 1, []byte(err.Error())
		if errors.Is(err, fs.ErrPermission) {
			it.Status = evidence.StatusDenied
		}
	default:
		it.Status, it.Data = evidence.StatusOK, out
	}
	r.w.Item(it)
}

// exitError is an offline command ending as its probe twin does with a status of
// its own (2 for "no such directory", 1 for "could not read all of it"), keeping
// what it printed: not the "not installed" a missing input would otherwise read as.
type exitError struct {
	rc  int
	msg string
}

func (e *exitError) Error() string { return e.msg }

// missing is the end of an offline command whose input file is not on the disk, as
// its probe twin ends (exit status 2, "No such file or directory"): not the "command
// not installed" an absent item would read as. Other errors pass unchanged.
func missing(p string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &exitError{2, p + ": No such file or directory"}
	}
	return err
}

// offlineCommand produces from a disk image what a probe command prints on a live
// host, so one parser serves both.
type offlineCommand struct {
	describe string // what the evidence says was run, for provenance
	run      func(r *rootReader) ([]byte, error)
}

// offlineCommands are the plan's Offline names, one line each; the functions live
// beside the domain they serve (offline_*.go).
var offlineCommands = map[string]offlineCommand{
	"rpm-qa":             {"rpm -qa (read offline from the RPM database by trowel)", (*rootReader).rpmQA},
	"dpkg-list-mtimes":   {"stat of /var/lib/dpkg/info/*.list (read offline by trowel)", (*rootReader).dpkgListMtimes},
	"shadow-state":       {"password states of /etc/shadow (read offline by trowel; no hash leaves this machine)", (*rootReader).shadowState},
	"files-dpkg-sums":    {"md5 digests of dpkg's conffiles and /etc md5sums entries (computed offline by trowel)", (*rootReader).filesDpkgSums},
	"files-dpkg-unowned": {"files under /etc no dpkg list names (computed offline by trowel)", (*rootReader).filesDpkgUnowned},
	"files-dpkg-scripts": {"lines of the postinst scripts that name a path under /etc (read offline by trowel; secrets removed)", (*rootReader).filesDpkgScripts},
	"files-dpkg-content": {"redacted content of changed and unowned configs and of the packaged copies beside them (read offline by trowel)", (*rootReader).filesDpkgContent},
	"files-rpm-sums":     {"digests of rpm %config files, from the RPM database and the disk (computed offline by trowel)", (*rootReader).filesRPMSums},
	"files-rpm-unowned":  {"files under /etc no RPM package lists (computed offline by trowel)", (*rootReader).filesRPMUnowned},
	"files-rpm-scripts":  {"lines of the %post scriptlets that name a path under /etc, from the RPM database (read offline by trowel; secrets removed)", (*rootReader).filesRPMScripts},
	"files-rpm-content":  {"redacted content of changed and unowned configs and of the packaged copies beside them (read offline by trowel)", (*rootReader).filesRPMContent},
	"files-templates":    {"md5 digests of generated configs, their templates and ucf's files (computed offline by trowel)", (*rootReader).filesTemplates},
	"files-trees":        {"software trees outside the package manager (walked offline by trowel)", (*rootReader).filesTrees},
	"files-software":     {"names and versions of software installed outside the package manager, and what each command in /usr/local/bin is (read offline by trowel)", (*rootReader).filesSoftware},
	"web-certs":          {"certificate files named by web, mail and Tomcat configurations (read offline by trowel; private keys removed)", (*rootReader).webCerts},
	"tomcat-xml":         {"Tomcat server.xml files (read offline by trowel; password attributes removed)", (*rootReader).tomcatServerXML},
	"tomcat-contexts":    {"Tomcat context files (read offline by trowel; password attributes removed)", (*rootReader).tomcatContexts},
	"web-apps":           {"the applications web servers and process managers serve, and what their trees say (read offline by trowel; secrets removed)", (*rootReader).webApps},
	"web-app-sizes":      {"sizes of the applications' trees and data (measured offline by trowel)", (*rootReader).webAppSizes},
	"localtime-mtime":    {"lstat of /etc/localtime (read offline by trowel)", (*rootReader).localtimeMtime},
	"cron-exec":          {"execute bits of run-parts files and of paths the crontabs name (read offline by trowel)", (*rootReader).cronExec},
	"lastlog":            {"lastlog (read offline from /var/log/lastlog by trowel)", (*rootReader).lastlog},
	"du-data":            {"du -sk -x of the usual data directories (measured offline by trowel)", (*rootReader).duData},
	"du-apparent":        {"apparent size of the files of the usual data directories (measured offline by trowel)", (*rootReader).duApparent},
	"mysqld-launch":      {"the option files the MySQL server's unit or init script names (read offline by trowel; secrets removed)", (*rootReader).mysqldLaunch},
	"mysql-datadir":      {"the MySQL data directory's entries and sizes (read offline by trowel)", (*rootReader).mysqlDatadir},
	"postgres-datadirs":  {"PostgreSQL data directories and database sizes (read offline by trowel)", (*rootReader).pgDatadirs},
	"software-traces":    {"servers' programs (and their packages), /usr/share/doc versions and version files on disk (read offline by trowel)", (*rootReader).softwareTraces},
	"var-log-files":      {"size and mtime of the files under /var/log (read offline by trowel)", (*rootReader).varLogFiles},
	"cron-scripts":       {"the scripts cron jobs run (read offline by trowel; secrets removed)", (*rootReader).cronScripts},
	"backup-files":       {"size and mtime of the files in backup places (read offline by trowel)", (*rootReader).backupFiles},
	"run-hints":          {"pid and lock files left on the disk (read offline by trowel)", (*rootReader).runHints},
	"mail-spools":        {"message counts of the local mailboxes (read offline by trowel; no message leaves this machine)", (*rootReader).mailSpools},
}

func (r *rootReader) rpmQA() ([]byte, error) {
	db, err := r.rpmDatabase()
	if err != nil {
		return nil, err
	}
	return rpmdb.QueryAll(db)
}

// rpmDatabase is the host path of the first RPM database below the root (BDB,
// SQLite or NDB, by rpm's own paths), never one a symlink leads out of the root to.
func (r *rootReader) rpmDatabase() (string, error) {
	for _, p := range rpmdb.DatabasePaths {
		hp, err := r.inside(p)
		if err != nil {
			continue
		}
		if fi, err := os.Lstat(hp); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		return hp, nil
	}
	return "", fs.ErrNotExist
}

func (r *rootReader) dpkgListMtimes() ([]byte, error) {
	hp, err := r.inside("/var/lib/dpkg/info")
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(hp)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".list") || strings.Contains(e.Name(), "\n") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			fmt.Fprintf(&b, "%d %s\n", fi.ModTime().Unix(), e.Name())
		}
	}
	return b.Bytes(), nil
}

// shadowState is the probe's _shadow in Go: the state of each password, never the
// hash itself.
func (r *rootReader) shadowState() ([]byte, error) {
	f, fi, err := r.open("/etc/shadow")
	if err != nil {
		return nil, missing("/etc/shadow", err)
	}
	if f == nil {
		return nil, fmt.Errorf("/etc/shadow is not a regular file (%s)", fi.Mode())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4<<20))
	if err != nil {
		return nil, err
	}
	return ShadowStates(data), nil
}

// ShadowStates turns shadow(5) lines into name:state:ageing fields, where state is
// empty, nologin, locked or usable. Exported for the test that holds it to the probe.
func ShadowStates(data []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, ":")
		for len(f) < 9 {
			f = append(f, "")
		}
		p := f[1]
		var s string
		switch {
		case p == "":
			s = "empty"
		case p == "!" || p == "!!" || p == "*" || p == "*LK*" || p == "x" || p == "NP":
			s = "nologin"
		case strings.HasPrefix(p, "!") || strings.HasPrefix(p, "*"):
			s = "locked"
		default:
			s = "usable"
		}
		fmt.Fprintf(&b, "%s:%s:%s:%s:%s:%s:%s:%s\n", f[0], s, f[2], f[3], f[4], f[5], f[6], f[7])
	}
	return b.Bytes()
}
