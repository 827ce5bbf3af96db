package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The CentOS 5 Redmine box of issue 12: a real CentOS 5.11 RPM database that lists
// none of what the host is for. MySQL came from a tarball (its init script linked
// S64 in rc3.d, my.cnf edited, a 2 GiB sparse ibdata1), td-agent from its own
// repository, httpd 2.2 with Passenger from source; logs, a backup script, a DHCP
// lease, root's unread mail and the pid files of the last boot are on the disk.
// See testdata/SOURCES.md.

// fixedEpoch is the survey's "now", so next runs and ages do not follow the clock.
var fixedEpoch = time.Date(2015, 3, 1, 12, 30, 0, 0, time.UTC)

// centosRoot copies testdata/centos5-redmine to a temporary directory as a mounted
// disk holds it (links, modes), with the InnoDB tablespace a sparse 2 GiB file and
// every file's time pinned.
func centosRoot(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree("testdata/centos5-redmine", dir); err != nil {
		t.Fatal(err)
	}
	ibdata := filepath.Join(dir, "var/lib/mysql/ibdata1")
	f, err := os.OpenFile(ibdata, os.O_CREATE|os.O_WRONLY, 0o660)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("InnoDB tablespace stand-in")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(ibdata, 2<<30); err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		return os.Chtimes(p, stamp, stamp)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyTree copies a directory tree, keeping symbolic links as links and modes.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm()|0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

func centosOffline(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	res, err := collect.Root(context.Background(), centosRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	res.Archive.Header["epoch"] = strconv.FormatInt(fixedEpoch.Unix(), 10)
	if strings.Contains(string(res.Raw), "S3cretPw") {
		t.Fatal("the backup script's password reached the evidence")
	}
	return Run(res.Archive, res.Source, res.Raw)
}

func TestCentOSRedmineOffline(t *testing.T) {
	s := centosOffline(t)
	checkFileFacts(t, s)
	if doc, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	} else if err := snapshot.Validate(doc); err != nil {
		t.Fatalf("the snapshot does not validate: %v", err)
	}

	// Offline, nothing runs: no service is said to run or not to, and the live
	// sections say why they are empty.
	for _, sv := range s.Services {
		if sv.Running != nil {
			t.Errorf("service %s: running %v, offline", sv.Name, *sv.Running)
		}
	}
	for _, sec := range []snapshot.Section{snapshot.SectionProcesses, snapshot.SectionListeners, snapshot.SectionConns} {
		if c := s.Coverage[sec]; c.Status != snapshot.Unavailable || !strings.Contains(c.Reason, "offline") {
			t.Errorf("%s: %+v", sec, c)
		}
	}
	db := mysqlOf(t, s)
	if db.Version != "5.0.95" || db.VersionSource != "/usr/share/doc/mysql-5.0.95" {
		t.Errorf("mysql version %q from %q, want 5.0.95 from /usr/share/doc/mysql-5.0.95", db.Version, db.VersionSource)
	}
	for _, sh := range s.Logs.Shippers {
		if sh.Running != nil {
			t.Errorf("shipper %s: running %v, offline", sh.Name, *sh.Running)
		}
	}

	// The handover document says so: MySQL is there, with where its version came
	// from and both sizes; it is not called absent, and nothing is said to run.
	var md bytes.Buffer
	if err := report.Markdown(&md, report.Handover(s, analyze.Analyze(s, "en"), "en")); err != nil {
		t.Fatal(err)
	}
	doc := md.String()
	for _, want := range []string{"**Version**: 5.0.95 (/usr/share/doc/mysql-5.0.95)", "2.0 GiB apparent", "program /usr/local/mysql/bin/mysqld (no package owns it)",
		"| mysqld | unknown | yes (3) |", "the pid file /var/run/mysqld/mysqld.pid says mysqld ran as pid 2345", "Logs no logrotate stanza names (they grow until someone empties them): /var/log/redmine-batch.log.",
		"| `/var/spool/mail/root` | root | 1.2 KiB | 3 | 2 |", "| eth0 | `10.20.1.15` |"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "Absent from this host") && strings.Contains(line, "mysql") {
			t.Errorf("MySQL called absent: %s", line)
		}
		if strings.Contains(line, "| yes | yes") || strings.Contains(strings.ToLower(line), "running**: yes") {
			t.Errorf("something said to run offline: %s", line)
		}
	}
}

// checkFileFacts holds what the disk says, however it was read: offline, or by
// the probe run on it.
func checkFileFacts(t *testing.T, s *snapshot.Snapshot) {
	t.Helper()
	if s.OS.ID != "centos" || s.OS.Version != "5.11" {
		t.Errorf("os %+v", s.OS)
	}

	// MySQL is present, with what shows it, and both sizes of its data.
	db := mysqlOf(t, s)
	for _, want := range []string{"program /usr/local/mysql/bin/mysqld (no package owns it)",
		"init script /etc/init.d/mysqld, starts at boot (runlevels 3)", "data directory /var/lib/mysql"} {
		if !slices.Contains(db.Presence, want) {
			t.Errorf("mysql presence %q lacks %q", db.Presence, want)
		}
	}
	if c := s.Coverage[snapshot.SectionMySQL]; c.Status == snapshot.NotApplicable {
		t.Errorf("mysql: %+v", c)
	}
	if db.DatadirBytes == nil || db.DatadirApparentBytes == nil || *db.DatadirBytes > 1<<20 || *db.DatadirApparentBytes < 2<<30 {
		t.Errorf("mysql datadir: %v on disk, %v apparent; want the sparse ibdata1 small on disk and 2 GiB apparent", db.DatadirBytes, db.DatadirApparentBytes)
	}
	var schemas []string
	for _, sc := range db.Databases {
		schemas = append(schemas, sc.Name)
		if sc.Bytes == nil || sc.ApparentBytes == nil {
			t.Errorf("schema %s: sizes %v %v", sc.Name, sc.Bytes, sc.ApparentBytes)
		}
	}
	if !slices.Equal(schemas, []string{"mysql", "redmine"}) {
		t.Errorf("schemas %q", schemas)
	}
	if o := settingOf(db.Settings, "max_connections"); o != "300" {
		t.Errorf("max_connections %q", o)
	}
	dd := dataDirOf(s, "/var/lib/mysql")
	if dd == nil || dd.Bytes == nil || dd.ApparentBytes == nil || *dd.Bytes > 1<<20 || *dd.ApparentBytes < 2<<30 {
		t.Errorf("/var/lib/mysql data dir: %+v", dd)
	}

	// Enabled at boot through rc3.d, the default runlevel.
	for _, name := range []string{"mysqld", "httpd", "td-agent"} {
		sv := serviceOf(s, name)
		if sv == nil || sv.Enabled == nil || !*sv.Enabled || sv.Init != "sysv" {
			t.Errorf("service %s: %+v", name, sv)
		}
	}

	// Apache 2.2 with Passenger and the Redmine vhost.
	if len(s.Middleware.WebServers) != 1 {
		t.Fatalf("web servers %+v", s.Middleware.WebServers)
	}
	ws := s.Middleware.WebServers[0]
	if !slices.Contains(ws.Modules, "passenger_module") || !slices.ContainsFunc(ws.VHosts, func(v snapshot.VHost) bool {
		return v.ServerName == "redmine.example.co.jp" && v.DocumentRoot == "/var/www/redmine/public"
	}) || len(ws.Legacy) == 0 {
		t.Errorf("apache %+v", ws)
	}

	// The other servers are absent, and the proof says what was looked at; where
	// the RPM database could not be read (a userland without rpm), that is no proof.
	for _, sec := range []snapshot.Section{snapshot.SectionPostgreSQL, snapshot.SectionDovecot, snapshot.SectionRedis, snapshot.SectionMemcached, snapshot.SectionDocker, snapshot.SectionNginx} {
		c := s.Coverage[sec]
		switch {
		case s.Coverage[snapshot.SectionPackages].Status != snapshot.Collected:
			if c.Status == snapshot.NotApplicable || !strings.Contains(c.Reason, "package: the package list is incomplete") {
				t.Errorf("%s without the package list: %+v", sec, c)
			}
		case c.Status != snapshot.NotApplicable || !strings.Contains(c.Reason, "no init script or unit"):
			t.Errorf("%s: %+v", sec, c)
		}
	}

	// td-agent, which no package lists, ships the Redmine access log.
	var ta *snapshot.LogShipper
	for i := range s.Logs.Shippers {
		if s.Logs.Shippers[i].Name == "td-agent" {
			ta = &s.Logs.Shippers[i]
		}
	}
	if ta == nil || len(ta.Destinations) != 1 || ta.Destinations[0].Host != "logs.example.co.jp" || ta.Destinations[0].Port != 24224 || ta.Service != "td-agent" ||
		!slices.Contains(ta.Inputs, "/var/log/httpd/redmine_access_log") {
		t.Errorf("td-agent %+v", ta)
	}

	// Logs, their rotation, and the one log nothing rotates.
	logs := map[string]snapshot.LogFile{}
	for _, f := range s.Logs.Files {
		logs[f.Path] = f
	}
	for p, by := range map[string]string{"/var/log/messages": "/etc/logrotate.d/syslog:1", "/var/log/messages.1": "/etc/logrotate.d/syslog:1",
		"/var/log/httpd/redmine_access_log": "/etc/logrotate.d/httpd:1", "/var/log/mysqld.log": "/etc/logrotate.d/mysqld:1"} {
		if f, ok := logs[p]; !ok || f.RotatedBy != by || f.Unrotated {
			t.Errorf("log %s: %+v, want rotated by %s", p, f, by)
		}
	}
	if f := logs["/var/log/redmine-batch.log"]; !f.Unrotated || f.Bytes != 36 || logs["/var/log/td-agent/redmine_access.pos"].Unrotated {
		t.Errorf("redmine-batch.log: %+v, want a log nothing rotates", f)
	}

	// The backup script, what it runs, and the dumps it left.
	var job, dump *snapshot.BackupTrace
	for i, b := range s.Backups.Items {
		switch {
		case b.Kind == "job" && b.Tool == "mysqldump":
			job = &s.Backups.Items[i]
		case b.Kind == "dump" && b.Where == "/backup/mysql":
			dump = &s.Backups.Items[i]
		}
	}
	if !s.Backups.Found || job == nil || !strings.Contains(job.What, "redmine") || !strings.Contains(job.What, "/etc/cron.daily/redmine-backup:3") || dump == nil || dump.Latest == nil {
		t.Errorf("backups %+v", s.Backups.Items)
	}

	// What the disk says of the network.
	if len(s.Network.DHCPLeases) != 1 || s.Network.DHCPLeases[0].Interface != "eth0" || s.Network.DHCPLeases[0].Address != "10.20.1.15" {
		t.Errorf("leases %+v", s.Network.DHCPLeases)
	}
	if len(s.Network.Configured) != 1 || s.Network.Configured[0].Method != "dhcp" || s.Network.Configured[0].OnBoot == nil || !*s.Network.Configured[0].OnBoot {
		t.Errorf("configured %+v", s.Network.Configured)
	}

	// Root's unread mail: the backup failing every night.
	var root *snapshot.Mailbox
	for i, m := range s.Storage.Mailboxes {
		if m.User == "root" {
			root = &s.Storage.Mailboxes[i]
		}
	}
	if root == nil || root.Messages != 3 || root.Unread != 2 || !strings.HasPrefix(root.Last, "root@redmine01.example.co.jp  Sun Mar  1 04:02:03 2015") {
		t.Errorf("root's mailbox %+v", root)
	}

	// Pid and lock files, told as hints.
	var pid *snapshot.Hint
	for i, h := range s.Hints {
		if h.Path == "/var/run/mysqld/mysqld.pid" {
			pid = &s.Hints[i]
		}
	}
	if pid == nil || pid.PID != 2345 || pid.Service != "mysqld" || !strings.Contains(pid.Says, "a hint only, it proves nothing about now") {
		t.Errorf("mysqld's pid file: %+v", pid)
	}
	if !slices.ContainsFunc(s.Hints, func(h snapshot.Hint) bool { return h.Kind == "lock_file" && h.Path == "/var/lock/subsys/mysqld" }) {
		t.Errorf("hints %+v", s.Hints)
	}
}

func mysqlOf(t *testing.T, s *snapshot.Snapshot) snapshot.Database {
	t.Helper()
	for _, d := range s.Middleware.Databases {
		if d.Kind == "mysql" {
			return d
		}
	}
	t.Fatalf("no MySQL found: %+v (%+v)", s.Middleware.Databases, s.Coverage[snapshot.SectionMySQL])
	return snapshot.Database{}
}

func settingOf(ss []snapshot.Setting, key string) string {
	for _, s := range ss {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

func dataDirOf(s *snapshot.Snapshot, p string) *snapshot.DataDir {
	for i, d := range s.Storage.DataDirs {
		if d.Path == p {
			return &s.Storage.DataDirs[i]
		}
	}
	return nil
}

func serviceOf(s *snapshot.Snapshot, name string) *snapshot.Service {
	for i, sv := range s.Services {
		if sv.Name == name {
			return &s.Services[i]
		}
	}
	return nil
}
