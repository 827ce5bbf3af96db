package mysql

import (
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// psProcesses reads a ps fixture ("PID PPID USER COMMAND") as the processes
// surveyor leaves it; a script's kernel name is the script's.
func psProcesses(t *testing.T, text string) []snapshot.Process {
	t.Helper()
	var out []snapshot.Process
	for _, line := range strings.Split(text, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		pid, _ := strconv.Atoi(f[0])
		ppid, _ := strconv.Atoi(f[1])
		comm := path.Base(f[3])
		if comm == "sh" && len(f) > 4 {
			comm = path.Base(f[4])
		}
		out = append(out, snapshot.Process{PID: pid, PPID: ppid, User: f[2], Command: strings.Join(f[3:], " "), Comm: comm})
	}
	return out
}

// webappArchive is the webapp host's evidence: its own /etc/my.cnf, and
// mariadb-common's /etc/mysql/my.cnf, which names Debian's socket.
func webappArchive(t *testing.T, extra ...*evidence.Item) *evidence.Archive {
	items := []*evidence.Item{
		kittest.Cmd("mysqld-version", "_data_run mysqld --version", "/usr/local/mysql/bin/mariadbd  Ver 10.5.23-MariaDB-0+deb11u1 for debian-linux-gnu on x86_64 (Debian 11)\n"),
		kittest.Cmd("mysql-datadir", "_data_mysql_datadir", "datadir\t/usr/local/mysql/data\nd\tmysql\nd\tredmine\ntotal\t300\t300000\nsize\t100\tmysql\nsize\t200\tredmine\n"),
		kittest.File("/etc/my.cnf", fixture(t, "webapp_my.cnf")),
		kittest.File("/etc/mysql/my.cnf", fixture(t, "legacy_mariadb.cnf")),
		kittest.File("/etc/init.d/mysql", fixture(t, "webapp_init.d_mysql")),
	}
	return kittest.Archive(append(items, extra...)...)
}

func settingSource(db snapshot.Database, key string) string {
	for _, s := range db.Settings {
		if NormKey(s.Key) == NormKey(key) {
			return s.Source
		}
	}
	return ""
}

func TestRunningServerDecidesItsOptionFiles(t *testing.T) {
	in := kittest.Input(webappArchive(t), nil)
	in.Snap.Processes = psProcesses(t, fixture(t, "webapp_ps.txt"))
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	if db.Socket != "/tmp/mysql.sock" || db.Port != 3306 || db.Datadir != "/usr/local/mysql/data" || db.Bind != "127.0.0.1" {
		t.Errorf("%+v", db)
	}
	if strings.Join(db.Configs, " ") != "/etc/my.cnf" {
		t.Errorf("configs %v: the server reads only its --defaults-file", db.Configs)
	}
	// mysqld_safe put the socket on mariadbd's command line, which wins over the file.
	if src := settingSource(db, "socket"); src != "/proc/793/cmdline" {
		t.Errorf("socket from %q", src)
	}
	if src := settingSource(db, "bind-address"); src != "/etc/my.cnf:8" {
		t.Errorf("bind-address from %q", src)
	}
	if c := in.Snap.Coverage[snapshot.SectionMySQL]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

func TestDefaultsFileAloneGivesTheFilesSocket(t *testing.T) {
	in := kittest.Input(webappArchive(t), nil)
	in.Snap.Processes = []snapshot.Process{{PID: 801, Comm: "mariadbd", Command: "/usr/local/mysql/bin/mariadbd --defaults-file=/etc/my.cnf"}}
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	if db.Socket != "/tmp/mysql.sock" || settingSource(db, "socket") != "/etc/my.cnf:6" {
		t.Errorf("socket %q from %q", db.Socket, settingSource(db, "socket"))
	}
}

func TestDefaultsFileOutsideTheStandardPlaces(t *testing.T) {
	launch := kittest.Cmd("mysqld-launch", "_data_mysqld_launch", "==> /etc/opt/mariadb/my.cnf <==\n[mysqld]\nsocket = /var/opt/mariadb/mysqld.sock\nport = 3307\n\n")
	in := kittest.Input(webappArchive(t, launch), nil)
	in.Snap.Processes = []snapshot.Process{{PID: 801, Comm: "mariadbd", Command: "/usr/local/mysql/bin/mariadbd --defaults-file=/etc/opt/mariadb/my.cnf"}}
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	if db.Socket != "/var/opt/mariadb/mysqld.sock" || db.Port != 3307 || strings.Join(db.Configs, " ") != "/etc/opt/mariadb/my.cnf" {
		t.Errorf("%+v", db)
	}
	if settingSource(db, "port") != "/etc/opt/mariadb/my.cnf:3" {
		t.Errorf("port from %q", settingSource(db, "port"))
	}
}

func TestUncollectedDefaultsFileIsNotReplacedByTheStandardOnes(t *testing.T) {
	in := kittest.Input(webappArchive(t), nil)
	in.Snap.Processes = []snapshot.Process{{PID: 801, Comm: "mariadbd", Command: "/usr/local/mysql/bin/mariadbd --defaults-file=/srv/db/my.cnf --port=3310"}}
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	if db.Socket != "" || len(db.Configs) != 0 || db.Port != 3310 {
		t.Errorf("%+v", db)
	}
	c := in.Snap.Coverage[snapshot.SectionMySQL]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "the server reads /srv/db/my.cnf (/proc/801/cmdline), which was not collected") {
		t.Errorf("coverage %+v", c)
	}
}

func TestNoDefaultsReadsNoFile(t *testing.T) {
	in := kittest.Input(webappArchive(t), nil)
	in.Snap.Processes = []snapshot.Process{{PID: 9, Comm: "mysqld", Command: "/usr/sbin/mysqld --no-defaults --datadir /srv/mysql -P 3308"}}
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	if len(db.Configs) != 0 || db.Datadir != "/srv/mysql" || db.Port != 3308 || db.Socket != "" {
		t.Errorf("%+v", db)
	}
}

func TestStartScriptStandsInOffline(t *testing.T) {
	in := kittest.Input(webappArchive(t), nil)
	in.Snap.Source.Kind = "root"
	New().Survey(in)
	db := in.Snap.Middleware.Databases[0]
	// /etc/init.d/mysql starts mysqld_safe with --defaults-file=/etc/my.cnf; its
	// --datadir="$datadir" is the script's variable, not known.
	if db.Socket != "/tmp/mysql.sock" || settingSource(db, "socket") != "/etc/my.cnf:6" || strings.Join(db.Configs, " ") != "/etc/my.cnf" {
		t.Errorf("%+v", db)
	}
	if src := settingSource(db, "pid-file"); src != "" {
		t.Errorf("a variable's value taken from %s", src)
	}
}

func TestUnitStartsTheServer(t *testing.T) {
	unit := kittest.File("/etc/systemd/system/mariadb.service", fixture(t, "opt_mariadb.service"))
	l, ok := ScriptLaunch(unit)
	if !ok || l.DefaultsFile != "/etc/opt/mariadb/my.cnf" || l.Where != "/etc/systemd/system/mariadb.service:9" {
		t.Errorf("%+v %v", l, ok)
	}
	// Debian's unit passes variables only: the compiled-in list applies.
	deb := kittest.File("/lib/systemd/system/mariadb.service", "[Service]\nExecStartPre=/usr/bin/install -m 755 -o mysql -g root -d /var/run/mysqld\nExecStart=/usr/sbin/mariadbd $MYSQLD_OPTS $_WSREP_NEW_CLUSTER $_WSREP_START_POSITION\n")
	l, ok = ScriptLaunch(deb)
	if !ok || l.names() || strings.Join(l.OptionFiles(), " ") != "/etc/my.cnf /etc/mysql/my.cnf" {
		t.Errorf("%+v %v", l, ok)
	}
	// mysqladmin's --defaults-file (Debian's debian.cnf) is not the server's.
	admin := kittest.File("/etc/init.d/mysql", "#!/bin/sh\nMYADMIN=\"/usr/bin/mysqladmin --defaults-file=/etc/mysql/debian.cnf\"\nif pidof mysqld; then :; fi\n")
	if l, ok := ScriptLaunch(admin); ok {
		t.Errorf("%+v", l)
	}
}

func TestOptionFilesOrder(t *testing.T) {
	for _, c := range []struct {
		cmd, want string
	}{
		{"mysqld", "/etc/my.cnf /etc/mysql/my.cnf"},
		{"mysqld --defaults-extra-file=/etc/extra.cnf", "/etc/my.cnf /etc/mysql/my.cnf /etc/extra.cnf"},
		{"mysqld --defaults-file=/a.cnf --defaults-extra-file=/b.cnf", "/a.cnf"},
		{"mysqld --no-defaults", ""},
	} {
		l := ParseCommand(strings.Fields(c.cmd), "x")
		if got := strings.Join(l.OptionFiles(), " "); got != c.want {
			t.Errorf("%s: %q, want %q", c.cmd, got, c.want)
		}
	}
}

func TestGroupSuffix(t *testing.T) {
	f, _ := ParseOptionFile("/etc/my.cnf", "[mysqld]\nport = 3306\n[mysqld_b]\nport = 3307\n")
	l := ParseCommand([]string{"mysqld", "--defaults-group-suffix=_b"}, "x")
	if o, _ := ServerSettings(Merge(Files{"/etc/my.cnf": f}, l.OptionFiles()), "", &l).Get("port"); o.Value != "3307" {
		t.Errorf("port %+v", o)
	}
}
