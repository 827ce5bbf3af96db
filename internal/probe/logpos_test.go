package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// _logpos finds position files three ways (a config's pos_file, an imfile state
// glob, filebeat's registry), prints each, and stats every log they name, under
// every shell: fluentd's tab-separated lines, rsyslog's JSON with escaped slashes,
// filebeat's JSON lines.
func TestLogPositionsUnderEveryShell(t *testing.T) {
	dir := t.TempDir()
	logA, logB, logC := filepath.Join(dir, "a.log"), filepath.Join(dir, "b log.log"), filepath.Join(dir, "c.log")
	mustWrite(t, logA, []byte(strings.Repeat("x", 100)))
	mustWrite(t, logB, []byte(strings.Repeat("y", 7)))
	mustWrite(t, logC, []byte("z\n"))
	var st syscall.Stat_t
	if err := syscall.Stat(logA, &st); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "td-agent.conf")
	pos := filepath.Join(dir, "td.pos")
	mustWrite(t, conf, []byte("<source>\n  @type tail\n  path "+logA+"\n  pos_file "+pos+" # kept by fluentd\n</source>\n"))
	mustWrite(t, pos, []byte(fmt.Sprintf("%s\t%016x\t%016x\n", logA, 50, st.Ino)))
	state := filepath.Join(dir, "imfile-state:4242")
	mustWrite(t, state, []byte(`{ "filename": "`+strings.ReplaceAll(logB, "/", `\/`)+`", "prev_was_nl": 1, "curr_offs": 7, "strt_offs": 7 }`))
	registry := filepath.Join(dir, "log.json")
	mustWrite(t, registry, []byte(`{"op":"set","id":1}`+"\n"+`{"k":"filebeat::logs::native::1-2","v":{"source":"`+logC+`","offset":2,"FileStateOS":{"inode":1,"device":2}}}`+"\n"))

	// Configs whose pos_file names a secret: /etc/shadow itself (a secret path,
	// never read), and a copy of it elsewhere (not a position format: not sent).
	shadow := filepath.Join(dir, "shadow.copy")
	mustWrite(t, shadow, []byte("root:$6$S3CRET:19000:0:99999:7:::\n"))
	evil := filepath.Join(dir, "evil.conf")
	mustWrite(t, evil, []byte("pos_file = /etc/shadow\nposition_file = "+shadow+"\n"))

	step := Step{Kind: Cmd, Name: "log-positions", Shell: "_logpos " + conf + " " + evil + " " + dir + "/none.conf -- " + dir + "/imfile-state:* " + registry + " " + dir + "/missing.json", Needs: "stat", Limit: 1 << 20, Timeout: 20}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render([]Step{step}))
			it, ok := a.Cmd("log-positions")
			if !ok || !it.OK() {
				t.Fatalf("not collected: %+v", it)
			}
			out := it.Text()
			for _, want := range []string{
				" " + pos + " <==\n" + logA + "\t",
				" " + state + " <==\n{ \"filename\"",
				" " + registry + " <==\n{\"op\"",
				"==> log 100 ", " " + logA + " <==",
				"==> log 7 ", " " + logB + " <==",
				"==> log 2 ", " " + logC + " <==",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("no %q in\n%s", want, out)
				}
			}
			if strings.Contains(out, "S3CRET") || strings.Contains(out, "/etc/shadow") || strings.Contains(out, "root:") {
				t.Errorf("a secret file named as a position file was read:\n%s", out)
			}
			if strings.Contains(out, "missing.json") || strings.Contains(out, "none.conf") {
				t.Errorf("a file that is not there was printed:\n%s", out)
			}
			if n := strings.Count(out, "==> pos "); n != 4 {
				t.Errorf("%d position files, want 3 and the copy of shadow (its name, no content):\n%s", n, out)
			}
		})
	}
	if os.Getenv("TROWEL_LOGPOS_SAMPLE") != "" {
		a := runProbe(t, shells[0], Render([]Step{step}))
		it, _ := a.Cmd("log-positions")
		os.WriteFile(os.Getenv("TROWEL_LOGPOS_SAMPLE"), it.Data, 0o644)
	}
}
