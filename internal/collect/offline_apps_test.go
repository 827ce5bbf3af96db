package collect

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/collect/roottest"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
)

// appsRoot is a Debian host's disk with an application behind every kind of place
// that serves one (internal/e2e/testdata/apps).
const appsRoot = "../e2e/testdata/apps"

var probeShells = [][]string{{"dash"}, {"bash"}, {"bash", "--posix"}, {"busybox", "sh"}, {"posh"}, {"yash"}}

// runProbeSteps runs a plan of the probe under one shell and returns its items.
func runProbeSteps(t *testing.T, shell []string, steps []probe.Step, dir string) *evidence.Archive {
	t.Helper()
	if _, err := exec.LookPath(shell[0]); err != nil {
		t.Skipf("%s is not installed", shell[0])
	}
	script := filepath.Join(t.TempDir(), "probe.sh")
	if err := os.WriteFile(script, probe.Render(steps), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell[0], append(shell[1:], script)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", shell, err)
	}
	a, err := evidence.DecodeBytes(out)
	if err != nil || !a.Complete {
		t.Fatalf("%v: %v %v", shell, err, a.Problems)
	}
	return a
}

// The probe and the offline reader say the same of the same tree, record for record,
// under every shell: which places lead where through which links, what each tree
// holds, the configuration through the secret filter, and the sizes (du's and the
// walk's rounding may differ by a block).
func TestAppsProbeAndOfflineAgree(t *testing.T) {
	base := t.TempDir()
	roottest.Copy(t, appsRoot, base, base)
	steps := []probe.Step{
		{Kind: probe.Cmd, Name: "web-apps", Shell: "_web_apps " + base, Limit: 4 << 20, Timeout: 60},
		{Kind: probe.Cmd, Name: "web-app-sizes", Shell: "_web_app_sizes " + base, Limit: 4 << 20, Timeout: 60},
	}
	r := &rootReader{root: "/"}
	facts := r.appFacts(base)
	sizes := r.appSizes(base, time.Now().Add(time.Minute))
	for _, want := range []string{
		"E\tDocumentRoot\t" + base + "/etc/apache2/sites-enabled/redmine.conf:4\t" + base + "/var/www/redmine\tok\t" + base + "/opt/redmine/releases/20240115/public\t" + base + "/opt/redmine/releases/20240115\n" +
			"L\t" + base + "/var/www/redmine\t" + base + "/opt/redmine/current/public\n" +
			"L\t" + base + "/opt/redmine/current\treleases/20240115\n",
		"E\tExecStart\t" + base + "/etc/systemd/system/gunicorn.service:7\t" + base + "/srv/portal/venv/bin\tok\t" + base + "/srv/portal/venv/bin\t" + base + "/srv/portal\n",
		"E\tchdir\t" + base + "/etc/php/8.2/fpm/pool.d/intranet.conf:6\t" + base + "/srv/intranet\tok\t",
		"A\t" + base + "/var/www/html\t",
		"T\tindex.html\tApache2 Debian Default Page: It works\n",
		"G\t26\twp-includes/version.php\n13:$wp_version = '6.4.3';\n",
		"12:DB_PASSWORD=<redacted>\n",
		"I\tWEB-INF/lib\tspring-webmvc-5.3.31.jar\n",
	} {
		if !bytes.Contains(facts, []byte(want)) {
			t.Errorf("the offline reader does not say %q", want)
		}
	}
	// master.key and secrets.yml are named (M), never read (F, G).
	if bytes.Contains(facts, []byte("Planted")) || bytes.Contains(facts, []byte("\tconfig/master.key\n")) && !bytes.Contains(facts, []byte("M\tf\tconfig/master.key\n")) {
		t.Errorf("a secret left the tree:\n%s", facts)
	}
	if !bytes.Contains(sizes, []byte("S\t"+base+"/opt/redmine/releases/20240115\t"+base+"/srv/redmine-files\t")) {
		t.Errorf("Redmine's attachments_storage_path was not measured:\n%s", sizes)
	}
	for _, sh := range probeShells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbeSteps(t, sh, steps, base)
			got, _ := a.Cmd("web-apps")
			if got.RC != 0 || !bytes.Equal(got.Data, facts) {
				t.Errorf("web-apps (rc %d, %s) differs from the offline reader:\n%s", got.RC, got.Stderr, lineDiff(string(facts), got.Text()))
			}
			gotSizes, _ := a.Cmd("web-app-sizes")
			if d := sizeDiff(string(sizes), gotSizes.Text()); d != "" {
				t.Errorf("web-app-sizes differs from the offline reader:\n%s", d)
			}
		})
	}
}

// A running interpreter's working directory is followed on a live host: a "ruby"
// whose cwd is the Rails API's tree.
func TestAppsProbeFollowsARunningInterpreter(t *testing.T) {
	base := t.TempDir()
	roottest.Copy(t, appsRoot, base, base)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep")
	}
	ruby := filepath.Join(t.TempDir(), "ruby")
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ruby, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ruby, "60")
	cmd.Dir = filepath.Join(base, "srv/api")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGKILL); _ = cmd.Wait() }()
	pid := strconv.Itoa(cmd.Process.Pid)
	steps := []probe.Step{{Kind: probe.Cmd, Name: "web-apps", Shell: "_web_apps", Limit: 4 << 20, Timeout: 60}}
	a := runProbeSteps(t, probeShells[0], steps, base)
	it, _ := a.Cmd("web-apps")
	out := it.Text()
	for _, want := range []string{
		"P\t" + pid + "\truby\t" + ruby + "\t" + base + "/srv/api\n",
		"E\tcwd\t/proc/" + pid + "\t" + base + "/srv/api\tok\t" + base + "/srv/api\t" + base + "/srv/api\n",
		"A\t" + base + "/srv/api\t",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n offline: " + strconv.Quote(a) + "\n probe:   " + strconv.Quote(b)
		}
	}
	return ""
}

// sizeDiff compares S records field by field, allowing du's KiB to differ by 4.
func sizeDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	if len(w) != len(g) {
		return "offline:\n" + want + "\nprobe:\n" + got
	}
	for i := range w {
		a, b := strings.Split(w[i], "\t"), strings.Split(g[i], "\t")
		if len(a) != len(b) {
			return lineDiff(want, got)
		}
		for j := range a {
			if a[j] == b[j] {
				continue
			}
			x, err1 := strconv.Atoi(a[j])
			y, err2 := strconv.Atoi(b[j])
			if j != 3 || err1 != nil || err2 != nil || x-y > 4 || y-x > 4 {
				return lineDiff(want, got)
			}
		}
	}
	return ""
}
