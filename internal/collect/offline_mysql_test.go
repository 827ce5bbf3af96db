package collect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRoot writes files (path: content) under a new root.
func writeRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		hp := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(hp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(hp, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Offline nothing runs: the unit that starts the server names its only option
// file, whose datadir is listed and which is read; /etc/mysql/my.cnf (a client
// library's) is not the server's.
func TestOfflineMysqlFollowsItsUnit(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"/etc/systemd/system/mariadb.service": "[Service]\nExecStartPre=/usr/bin/install -d -o mysql -g mysql /run/mysqld\nExecStart=/usr/local/mysql/bin/mariadbd --defaults-file=/etc/opt/mariadb/my.cnf\n",
		"/etc/opt/mariadb/my.cnf":             "[mysqld]\ndatadir = /srv/mariadb/\nsocket = /srv/mariadb/mysqld.sock\n",
		"/etc/mysql/my.cnf":                   "[mysqld]\ndatadir = /var/lib/mysql\n",
		"/srv/mariadb/redmine/db.opt":         "default-character-set=utf8mb4\n",
	})
	r := &rootReader{root: root}
	out, err := r.mysqldLaunch()
	if err != nil || string(out) != "==> /etc/opt/mariadb/my.cnf <==\n[mysqld]\ndatadir = /srv/mariadb/\nsocket = /srv/mariadb/mysqld.sock\n\n" {
		t.Errorf("launch files %q (%v)", out, err)
	}
	dd, err := r.mysqlDatadir()
	if err != nil || !strings.HasPrefix(string(dd), "datadir\t/srv/mariadb\nd\tredmine\n") {
		t.Errorf("datadir %q (%v)", dd, err)
	}
}

// An init script's --datadir wins; mysqladmin's --defaults-file (debian.cnf) is
// not the server's and a secret file is never read.
func TestOfflineMysqlInitScript(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"/etc/init.d/mysql":       "#!/bin/sh\nMYADMIN=\"/usr/bin/mysqladmin --defaults-file=/etc/mysql/debian.cnf\"\n$bindir/mysqld_safe --defaults-file=/root/.my.cnf --datadir=/data/db --pid-file=\"$pid_file\" >/dev/null 2>&1 &\n",
		"/root/.my.cnf":           "[client]\npassword = S3CRET\n",
		"/etc/mysql/debian.cnf":   "[client]\npassword = S3CRET\n",
		"/data/db/mysql/user.frm": "x",
	})
	r := &rootReader{root: root}
	if out, _ := r.mysqldLaunch(); len(out) != 0 {
		t.Errorf("a secret file read: %q", out)
	}
	if dd, _ := r.mysqlDatadir(); !strings.HasPrefix(string(dd), "datadir\t/data/db\n") {
		t.Errorf("datadir %q", dd)
	}
}

// A datadir reached through links (a tarball's /usr/local/mysql -> /opt/mariadb-
// VERSION, as the lab's webapp has it) is said where it really lies, so a copy of
// /opt can leave the live database out; one reached directly says nothing more.
func TestOfflineMysqlDatadirBehindALink(t *testing.T) {
	root := writeRoot(t, map[string]string{
		"/etc/my.cnf": "[mysqld]\ndatadir = /usr/local/mysql/data\n",
		"/opt/mariadb-10.5.23-linux-x86_64/data/redmine/db.opt": "default-character-set=utf8mb4\n",
	})
	if err := os.MkdirAll(filepath.Join(root, "usr/local"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/opt/mariadb-10.5.23-linux-x86_64", filepath.Join(root, "usr/local/mysql")); err != nil {
		t.Fatal(err)
	}
	r := &rootReader{root: root}
	dd, err := r.mysqlDatadir()
	if err != nil || !strings.HasPrefix(string(dd), "datadir\t/usr/local/mysql/data\nreal\t/opt/mariadb-10.5.23-linux-x86_64/data\nd\tredmine\n") {
		t.Errorf("datadir %q (%v)", dd, err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/my.cnf"), []byte("[mysqld]\ndatadir = /opt/mariadb-10.5.23-linux-x86_64/data\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if dd, _ := r.mysqlDatadir(); strings.Contains(string(dd), "real\t") {
		t.Errorf("a datadir reached directly: %q", dd)
	}
}

// PostgreSQL's data directory behind a link (/var/lib/pgsql -> /data/pgsql) is
// said where it lies, as MySQL's is.
func TestOfflinePostgresDatadirBehindALink(t *testing.T) {
	root := writeRoot(t, map[string]string{"/data/pgsql/data/base/1/PG_VERSION": "13\n", "/var/lib/.keep": ""})
	if err := os.Symlink("/data/pgsql", filepath.Join(root, "var/lib/pgsql")); err != nil {
		t.Fatal(err)
	}
	r := &rootReader{root: root}
	out, err := r.pgDatadirs()
	if err != nil || !strings.HasPrefix(string(out), "datadir\t/var/lib/pgsql/data\nreal\t/data/pgsql/data\n") {
		t.Errorf("%q (%v)", out, err)
	}
}
