package probe

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// shells the probe must run under. bash 3.2 itself is not packaged anywhere reachable;
// posh and yash are strict POSIX shells that reject the extensions bash 3.2 lacks too.
// mksh is left out: it is nobody's /bin/sh on a server, and its wait does not report
// the status of a job started in a command substitution's subshell.
var shells = [][]string{{"dash"}, {"bash"}, {"bash", "--posix"}, {"busybox", "sh"}, {"posh"}, {"yash"}}

func runProbe(t *testing.T, shell []string, script []byte, env ...string) *evidence.Archive {
	t.Helper()
	if _, err := exec.LookPath(shell[0]); err != nil {
		t.Skipf("%s is not installed", shell[0])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The script goes in as a file: posh has no -s. Reading from standard input, as over
	// SSH, is tested separately.
	dir := t.TempDir()
	file := filepath.Join(dir, "probe.sh")
	mustWrite(t, file, script)
	cmd := exec.CommandContext(ctx, shell[0], append(shell[1:], file)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v\n%s", shell, err, stderr.String())
	}
	a, err := evidence.DecodeBytes(out)
	if err != nil {
		t.Fatalf("%v: decode: %v", shell, err)
	}
	if !a.Complete {
		t.Fatalf("%v: stream incomplete; problems: %v", shell, a.Problems)
	}
	return a
}

func TestFullProbeRunsUnderEveryShell(t *testing.T) {
	script := Script()
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, script)
			if a.Header["probe"] != Version || a.Header["uid"] == "" || a.Header["epoch"] == "" {
				t.Errorf("header = %v", a.Header)
			}
			if it, _ := a.File("/etc/passwd"); !it.OK() || !bytes.Contains(it.Data, []byte("root:")) {
				t.Errorf("/etc/passwd not read: %+v", it)
			}
			if it, _ := a.Cmd("uname"); !it.OK() || it.RC != 0 || len(strings.Split(strings.TrimSpace(it.Text()), "\n")) != 5 {
				t.Errorf("uname = %+v %q", it, it.Text())
			}
			// A busybox built as a standalone shell (Debian's busybox-static) runs
			// its own ps, which knows no lstart: the probe then reads /proc, as on
			// a busybox host.
			it, _ := a.Cmd("ps")
			if it.RC != 0 && sh[0] == "busybox" {
				it, _ = a.Cmd("proc-ps")
			}
			if !it.OK() || !strings.Contains(it.Text(), "-s") {
				t.Errorf("%s did not list the probe's own shell: %+v", it.Name, it)
			}
			if len(a.Problems) > 0 {
				t.Errorf("problems: %v", a.Problems)
			}
		})
	}
}

func TestProbeItemsUnderHostileConditions(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	garbage := filepath.Join(dir, "garbage")
	fifo := filepath.Join(dir, "fifo")
	mustWrite(t, big, bytes.Repeat([]byte("x"), 5000))
	junk := make([]byte, 4096)
	_, _ = rand.Read(junk)
	// A file that tries to forge records: the magic line and a boundary-looking line.
	junk = append(junk, []byte("\nTROWEL-EVIDENCE/1 twdeadbeef\n\ntwdeadbeef E ok 0 - -\n\x00\xff\xfe")...)
	mustWrite(t, garbage, junk)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	globDir := filepath.Join(t.TempDir(), "glob")
	if err := os.Mkdir(globDir, 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(globDir, "a.conf"), []byte("0123456789abcdef"))
	if err := syscall.Mkfifo(filepath.Join(globDir, "b.fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := []Step{
		{Kind: File, Path: big, Limit: 1000},
		{Kind: File, Path: garbage, Limit: 1 << 20},
		{Kind: File, Path: fifo, Limit: 100},
		{Kind: File, Path: filepath.Join(dir, "nope"), Limit: 100},
		{Kind: File, Path: dir, Limit: 100},
		{Kind: Cmd, Name: "stderr-rc", Shell: "echo out; echo err >&2; exit 3", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "hang-simple", Shell: "sleep 60", Limit: 100, Timeout: 1},
		{Kind: Cmd, Name: "hang-compound", Shell: "echo before; sleep 60; echo after", Limit: 100, Timeout: 1},
		{Kind: Cmd, Name: "hang-fifo", Shell: "cat " + fifo, Limit: 100, Timeout: 1},
		{Kind: Cmd, Name: "not-installed", Shell: "trowel-no-such-tool -x", Needs: "trowel-no-such-tool", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "stdin", Shell: "cat", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "big-out", Shell: "yes", Limit: 1000, Timeout: 10},
		{Kind: Cmd, Name: "fallback", Shell: "echo fallback", Unless: "stderr-rc", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "not-needed", Shell: "echo no", Unless: "fallback", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "conditional", Shell: "echo no", When: "[ -e /trowel-no-such-file ]", Limit: 100, Timeout: 5},
		{Kind: List, Path: dir},
		// Too small a limit for its entries: this listing goes through head.
		{Kind: List, Path: globDir, Limit: 10},
		{Kind: Glob, Path: filepath.Join(globDir, "*"), Limit: 10},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel() // mostly waiting for watchdogs
			start := time.Now()
			a := runProbe(t, sh, Render(plan))
			// Three commands hang; each watchdog fires after a second and kills after
			// two more. Far less than the 60 s they would sleep.
			if el := time.Since(start); el > 25*time.Second {
				t.Errorf("probe took %v: a watchdog did not fire", el)
			}
			it, _ := a.File(big)
			if !it.Truncated || len(it.Data) != 1000 {
				t.Errorf("big: truncated=%v len=%d", it.Truncated, len(it.Data))
			}
			it, _ = a.File(garbage)
			if !bytes.Equal(it.Data, junk) || it.Status != evidence.StatusOK {
				t.Errorf("garbage not carried byte for byte (len %d of %d, status %s)", len(it.Data), len(junk), it.Status)
			}
			expectStatus(t, a, evidence.ID(evidence.KindFile, fifo), evidence.StatusNotFile)
			expectStatus(t, a, evidence.ID(evidence.KindFile, filepath.Join(dir, "nope")), evidence.StatusAbsent)
			expectStatus(t, a, evidence.ID(evidence.KindFile, dir), evidence.StatusNotFile)
			it, _ = a.Cmd("stderr-rc")
			if it.Status != evidence.StatusOK || it.RC != 3 || it.Text() != "out\n" || strings.TrimSpace(string(it.Stderr)) != "err" {
				t.Errorf("stderr-rc = status %s rc %d out %q err %q", it.Status, it.RC, it.Text(), it.Stderr)
			}
			for _, n := range []string{"hang-simple", "hang-compound", "hang-fifo"} {
				expectStatus(t, a, "cmd:"+n, evidence.StatusTimeout)
			}
			if it, _ := a.Cmd("hang-compound"); it.Text() != "before\n" {
				t.Errorf("output before the hang was lost: %q", it.Text())
			}
			expectStatus(t, a, "cmd:not-installed", evidence.StatusAbsent)
			if it, _ := a.Cmd("stdin"); it.Text() != "" || it.RC != 0 {
				t.Errorf("a command reading stdin saw %q: it must read /dev/null, not the probe", it.Text())
			}
			if it, _ := a.Cmd("big-out"); !it.Truncated || len(it.Data) != 1000 {
				t.Errorf("big-out: truncated=%v len=%d", it.Truncated, len(it.Data))
			}
			if it, _ := a.Cmd("fallback"); it.Text() != "fallback\n" {
				t.Errorf("fallback after a failed command did not run: %+v", it)
			}
			if _, ok := a.Cmd("not-needed"); ok {
				t.Errorf("fallback ran although the command it replaces succeeded")
			}
			expectStatus(t, a, "cmd:conditional", evidence.StatusSkipped)
			it, _ = a.List(dir)
			for _, want := range []string{"f\tbig", "o\tfifo", "f\tgarbage"} {
				if !strings.Contains(it.Text(), want+"\n") {
					t.Errorf("listing lacks %q:\n%s", want, it.Text())
				}
			}
			if it, _ := a.List(globDir); !it.Truncated || it.Text() != "f\ta.conf\no" {
				t.Errorf("listing over its limit = %+v %q", it, it.Text())
			}
			if it, _ := a.File(filepath.Join(globDir, "a.conf")); !it.Truncated || it.Text() != "0123456789" {
				t.Errorf("glob item = %+v %q", it, it.Text())
			}
			if _, ok := a.File(filepath.Join(globDir, "b.fifo")); ok {
				t.Errorf("glob read a fifo")
			}
		})
	}
}

// Over SSH the script arrives on standard input; commands must not eat the rest of it.
func TestProbeFromStandardInput(t *testing.T) {
	for _, sh := range []string{"dash", "bash", "busybox"} {
		if _, err := exec.LookPath(sh); err != nil {
			continue
		}
		args := []string{"-s"}
		if sh == "busybox" {
			args = []string{"sh", "-s"}
		}
		cmd := exec.Command(sh, args...)
		cmd.Stdin = bytes.NewReader(Script())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", sh, err)
		}
		a, err := evidence.DecodeBytes(out)
		if err != nil || !a.Complete {
			t.Fatalf("%s: complete=%v err=%v", sh, a != nil && a.Complete, err)
		}
	}
}

// Command lines carry passwords as often as config files do: a mysqldump from cron,
// a JVM started with -Dpassword. They must not leave the host either.
func TestProbeRedactsCommandLines(t *testing.T) {
	lines := strings.Join([]string{
		"1 0 0 Mon Nov 20 10:00:00 2026 mysqldump -uroot -pS3CRET1 redmine",
		"2 0 0 Mon Nov 20 10:00:00 2026 java -Ddb.password=S3CRET2 -jar app.jar",
		"3 0 0 Mon Nov 20 10:00:00 2026 tool --token S3CRET3 --verbose",
		"4 0 0 Mon Nov 20 10:00:00 2026 env DB_PASSWORD=S3CRET4 ./run",
		"5 0 0 Mon Nov 20 10:00:00 2026 curl https://u:S3CRET5@api.example/x",
		"6 0 0 Mon Nov 20 10:00:00 2026 svc --api-key=S3CRET6 --port 8080",
		"7 0 0 Mon Nov 20 10:00:00 2026 /usr/sbin/httpd -k start -p 80",
	}, "\n") + "\n"
	dir := t.TempDir()
	f := filepath.Join(dir, "ps.txt")
	mustWrite(t, f, []byte(lines))
	plan := []Step{{Kind: Cmd, Name: "ps", Shell: "cat " + f, Limit: 1 << 20, Timeout: 10, RedactArgs: true}}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(plan))
			it, _ := a.Cmd("ps")
			out := it.Text()
			if strings.Contains(out, "S3CRET") {
				t.Errorf("a secret left the host:\n%s", out)
			}
			for _, keep := range []string{"mysqldump -uroot -p<redacted> redmine", "-jar app.jar", "--verbose", "./run", "--port 8080", "/usr/sbin/httpd -k start -p 80"} {
				if !strings.Contains(out, keep) {
					t.Errorf("lost %q from the command lines:\n%s", keep, out)
				}
			}
		})
	}
}

func TestProbeUnprivilegedRecordsDenied(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch to an unprivileged user")
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("setpriv not installed")
	}
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "dash", "-s")
	cmd.Stdin = bytes.NewReader(Script())
	cmd.Dir = "/"
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(out)
	if err != nil || !a.Complete {
		t.Fatalf("decode: %v", err)
	}
	if a.Header["uid"] != "65534" {
		t.Fatalf("uid = %q", a.Header["uid"])
	}
	it, _ := a.Cmd("shadow-state")
	if it.RC == 0 || !strings.Contains(strings.ToLower(string(it.Stderr)), "permission denied") {
		t.Errorf("shadow as nobody: rc %d stderr %q", it.RC, it.Stderr)
	}
}

// The probe must write nothing on the target. Every redirection in the script must go
// to /dev/null or to a file descriptor; none may name a file.
func TestProbeWritesNothing(t *testing.T) {
	redirect := regexp.MustCompile(`(^|[^<>&0-9])[0-9]?>>?\s*([^&\s|;)]+)`)
	for i, line := range strings.Split(string(Script()), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "#") {
			continue
		}
		// Quoted text is data, not redirection: drop it before looking.
		l = strings.ReplaceAll(l, `'"'"'`, "")
		l = regexp.MustCompile(`'[^']*'`).ReplaceAllString(l, "''")
		l = regexp.MustCompile(`"[^"]*"`).ReplaceAllString(l, `""`)
		for _, m := range redirect.FindAllStringSubmatch(l, -1) {
			if target := m[2]; target != "/dev/null" && !strings.HasPrefix(target, "&") {
				t.Errorf("line %d writes to %q: %s", i+1, target, line)
			}
		}
	}
	for _, bad := range []string{"mktemp", "tee ", "touch ", "mkdir ", "mkfifo", " rm ", "dd of="} {
		if bytes.Contains(Script(), []byte(bad)) {
			t.Errorf("probe contains %q", bad)
		}
	}
}

func expectStatus(t *testing.T, a *evidence.Archive, id string, want evidence.Status) {
	t.Helper()
	it, ok := a.Get(id)
	if !ok || it.Status != want {
		t.Errorf("%s: status %q (present %v), want %q; stderr %q", id, it.Status, ok, want, it.Stderr)
	}
}

func mustWrite(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
