package probe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The running server's command line decides which option file is read and which
// datadir is listed. The lab's own servers show in this machine's /proc, so the
// command line is given by redefining _data_mysqld_args, the one function that
// reads /proc; the rest runs as on a host, under every shell.
func TestMysqldLaunchUnderEveryShell(t *testing.T) {
	dir := t.TempDir()
	cnf := filepath.Join(dir, "my.cnf")
	data := filepath.Join(dir, "data")
	mustWrite(t, cnf, []byte("[mysqld]\ndatadir = "+data+"/ # ops\nsocket = /tmp/mysql.sock\n"))
	if err := os.MkdirAll(filepath.Join(data, "redmine"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A tarball's layout: /usr/local/mysql -> /opt/mariadb-VERSION.
	release := filepath.Join(dir, "mariadb-10.5.23")
	if err := os.MkdirAll(filepath.Join(release, "data", "redmine"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(release, filepath.Join(dir, "mysql")); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, ".my.cnf")
	mustWrite(t, secret, []byte("[client]\npassword = S3CRET\n"))
	args := func(words ...string) string {
		return "_data_mysqld_args() { printf '%s\\n' /usr/local/mysql/bin/mariadbd " + strings.Join(words, " ") + "; }; "
	}
	steps := []Step{
		{Kind: Cmd, Name: "launch", Shell: args("--defaults-file="+cnf, "--defaults-extra-file="+secret, "--user=mysql") + "_data_mysqld_launch", Limit: 1 << 20, Timeout: 20},
		{Kind: Cmd, Name: "datadir-file", Shell: args("--defaults-file="+cnf) + "_data_mysql_datadir", Limit: 1 << 20, Timeout: 20},
		{Kind: Cmd, Name: "datadir-arg", Shell: args("--defaults-file="+cnf, "--datadir="+dir) + "_data_mysql_datadir", Limit: 1 << 20, Timeout: 20},
		{Kind: Cmd, Name: "datadir-link", Shell: args("--datadir="+filepath.Join(dir, "mysql", "data")) + "_data_mysql_datadir", Limit: 1 << 20, Timeout: 20},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(steps))
			it, ok := a.Cmd("launch")
			if !ok || !it.OK() {
				t.Fatalf("not collected: %+v", it)
			}
			if out := it.Text(); !strings.Contains(out, "==> "+cnf+" <==\n[mysqld]\n") || strings.Contains(out, "S3CRET") || strings.Count(out, "==> ") != 1 {
				t.Errorf("launch files:\n%s", out)
			}
			if it, _ := a.Cmd("datadir-file"); !strings.HasPrefix(it.Text(), "datadir\t"+data+"\nd\tredmine\n") {
				t.Errorf("the defaults file's datadir not listed:\n%s", it.Text())
			}
			if it, _ := a.Cmd("datadir-arg"); !strings.HasPrefix(it.Text(), "datadir\t"+dir+"\n") || strings.Contains(it.Text(), "real\t") {
				t.Errorf("the command line's --datadir not listed:\n%s", it.Text())
			}
			if it, _ := a.Cmd("datadir-link"); !strings.HasPrefix(it.Text(), "datadir\t"+filepath.Join(dir, "mysql", "data")+"\nreal\t"+filepath.Join(release, "data")+"\nd\tredmine\n") {
				t.Errorf("a datadir behind a link is not said where it lies:\n%s", it.Text())
			}
		})
	}
}
