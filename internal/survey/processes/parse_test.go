package processes

import (
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func byPID(ps []Proc) map[int]Proc {
	m := map[int]Proc{}
	for _, p := range ps {
		m[p.PID] = p
	}
	return m
}

func TestParsePSEL6(t *testing.T) {
	ps, err := ParsePS(fixture(t, "ps_eo_el6.txt"))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if len(ps) != 30 {
		t.Fatalf("got %d processes, want 30", len(ps))
	}
	m := byPID(ps)
	my := m[1604]
	if my.PPID != 1502 || my.UID != 27 || my.Comm != "mysqld" || my.Ticks != -1 {
		t.Errorf("mysqld = %+v", my)
	}
	if !strings.HasPrefix(my.Command, "/usr/libexec/mysqld --basedir=/usr ") || !strings.HasSuffix(my.Command, "--socket=/var/lib/mysql/mysql.sock") {
		t.Errorf("mysqld command = %q", my.Command)
	}
	if want := time.Date(2026, 3, 9, 8, 12, 12, 0, time.UTC); !my.Wall.Equal(want) {
		t.Errorf("mysqld wall = %v, want %v", my.Wall, want)
	}
	comms := map[int]string{
		1:    "init",
		2:    "kthreadd",
		21:   "kworker/u16:0-kcryptd/253:0",
		1480: "master",
		1502: "sh",
		1610: "bash",  // "-bash", a login shell
		1702: "nginx", // "nginx: master process ..."
		1810: "ruby",
		2240: "httpd", // "[httpd] <defunct>"
		2573: "sshd",  // "sshd: admin@notty"
	}
	for pid, want := range comms {
		if got := m[pid].Comm; got != want {
			t.Errorf("pid %d: comm %q, want %q", pid, got, want)
		}
	}
	if got := m[2240].Command; got != "[httpd] <defunct>" {
		t.Errorf("zombie command %q", got)
	}
	if got := m[2591].Wall; !got.Equal(time.Date(2026, 11, 20, 10, 0, 2, 0, time.UTC)) {
		t.Errorf("ps wall %v", got)
	}
}

func TestParsePSKeepsInnerSpacing(t *testing.T) {
	ps, err := ParsePS(" 42     1   0 Wed Jun  5 09:03:07 2024 /usr/bin/java  -Dx=\"a  b\"   -jar app.jar  \n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Command != `/usr/bin/java  -Dx="a  b"   -jar app.jar` {
		t.Fatalf("got %+v", ps)
	}
	if !ps[0].Wall.Equal(time.Date(2024, 6, 5, 9, 3, 7, 0, time.UTC)) {
		t.Errorf("wall %v", ps[0].Wall)
	}
}

func TestParsePSLocalisedLstart(t *testing.T) {
	// procps-ng 4 formats lstart with strftime, so the names follow the locale.
	ps, err := ParsePS("    1     0     0 金  11月 20 10:00:00 2026 /sbin/init\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Command != "/sbin/init" || !ps[0].Wall.IsZero() {
		t.Fatalf("got %+v", ps)
	}
}

func TestParsePSBad(t *testing.T) {
	ps, err := ParsePS(fixture(t, "Ps_BAD.txt"))
	if len(ps) != 0 || err == nil {
		t.Fatalf("Ps_BAD: got %d processes, err %v", len(ps), err)
	}
	var pe *kit.ParseError
	if !errors.As(err, &pe) || len(pe.Lines) != 1 || pe.Lines[0].Line != 1 {
		t.Fatalf("Ps_BAD: error %#v", err)
	}

	// The header line of another ps format is skipped, the cut line reported.
	ps, err = ParsePS(fixture(t, "PsAuxcww_BAD.txt"))
	if len(ps) != 0 || !errors.As(err, &pe) || len(pe.Lines) != 1 || pe.Lines[0].Line != 2 {
		t.Fatalf("PsAuxcww_BAD: got %v, %v", ps, err)
	}
}

func TestParsePSKeepsGoodLinesAroundBadOnes(t *testing.T) {
	in := "    1     0     0 Mon Mar  9 08:12:01 2026 /sbin/init\n" +
		"garbage\n" +
		"   12     1     0 Mon Mar  9 08:12:01 2026\n" + // no command
		"   13     1     x Mon Mar  9 08:12:01 2026 /bin/x\n" +
		"   14     1     0 yesterday /bin/y\n" +
		"  501     1     0 Mon Mar  9 08:12:05 2026 /sbin/udevd -d\r\n"
	ps, err := ParsePS(in)
	if len(ps) != 2 || ps[0].PID != 1 || ps[1].PID != 501 || ps[1].Command != "/sbin/udevd -d" {
		t.Fatalf("got %+v", ps)
	}
	var pe *kit.ParseError
	if !errors.As(err, &pe) || len(pe.Lines) != 4 {
		t.Fatalf("err %v", err)
	}
	got := []int{}
	for _, l := range pe.Lines {
		got = append(got, l.Line)
	}
	if !reflect.DeepEqual(got, []int{2, 3, 4, 5}) {
		t.Errorf("bad lines %v", got)
	}
	if !strings.Contains(err.Error(), "4 lines could not be read; the first, line 2") {
		t.Errorf("message %q", err.Error())
	}
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	sort.Ints(out)
	return out
}

func TestKernelThreads(t *testing.T) {
	el6, _ := ParsePS(fixture(t, "ps_eo_el6.txt"))
	if got := sortedKeys(KernelThreads(el6)); !reflect.DeepEqual(got, []int{2, 3, 4, 21}) {
		t.Errorf("el6 kernel threads %v", got)
	}
	el5, _ := ParsePS(fixture(t, "ps_eo_el5.txt"))
	if got := sortedKeys(KernelThreads(el5)); !reflect.DeepEqual(got, []int{2, 3, 4, 5, 6, 7, 10, 11, 176}) {
		t.Errorf("el5 kernel threads %v", got)
	}
	// With kthreadd present, a bracketed child of init is a program in disguise.
	disguised := append(append([]Proc{}, el6...), Proc{PID: 6666, PPID: 1, Command: "[kworker/0:1]", Comm: "kworker/0:1"})
	if KernelThreads(disguised)[6666] {
		t.Error("a bracketed child of init on a kthreadd kernel was taken for a kernel thread")
	}
	// In a container, PID 2 is an ordinary process.
	ctr := []Proc{{PID: 1, Command: "/sbin/tini -- nginx"}, {PID: 2, PPID: 1, Command: "nginx: master process nginx"}, {PID: 3, PPID: 2, Command: "nginx: worker process"}}
	if got := KernelThreads(ctr); len(got) != 0 {
		t.Errorf("container: %v", got)
	}
	// A parent cycle in damaged input ends.
	cyc := []Proc{{PID: 5, PPID: 6, Command: "[a]"}, {PID: 6, PPID: 5, Command: "[b]"}}
	if got := KernelThreads(cyc); len(got) != 0 {
		t.Errorf("cycle: %v", got)
	}
}

func TestDescendants(t *testing.T) {
	el6, _ := ParsePS(fixture(t, "ps_eo_el6.txt"))
	if got := sortedKeys(Descendants(el6, 2581)); !reflect.DeepEqual(got, []int{2581, 2590, 2591}) {
		t.Errorf("descendants of the probe %v", got)
	}
	if got := sortedKeys(Descendants(el6, 1650)); !reflect.DeepEqual(got, []int{1650, 1652, 1653, 2240}) {
		t.Errorf("descendants of httpd %v", got)
	}
}

// statField22 reads starttime from a /proc/PID/stat line, as the probe's _procps does:
// the fields after the parenthesised name, which may itself hold spaces.
func statField22(t *testing.T, stat string) (ppid, start string) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		t.Fatal("no ) in stat")
	}
	f := strings.Fields(stat[i+1:]) // field 3 onwards
	return f[1], f[19]
}

func TestParseProcPS(t *testing.T) {
	ps, err := ParseProcPS(fixture(t, "proc_ps_busybox.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 12 {
		t.Fatalf("got %d processes", len(ps))
	}
	m := byPID(ps)
	if p := m[2]; p.Command != "[kthreadd]" || p.Comm != "kthreadd" || p.Ticks != 2 {
		t.Errorf("kthreadd %+v", p)
	}
	if p := m[501]; p.Command != "nginx: master process /usr/sbin/nginx" || p.Comm != "nginx" || p.UID != 0 {
		t.Errorf("nginx %+v", p)
	}
	if p := m[777]; p.Command != "[nginx]" || p.PPID != 501 {
		t.Errorf("zombie %+v", p)
	}
	if got := sortedKeys(KernelThreads(ps)); !reflect.DeepEqual(got, []int{2, 3}) {
		t.Errorf("kernel threads %v (the zombie 777 must not be one)", got)
	}
	// The vim line agrees with the real /proc/26231/stat it was written from.
	ppid, start := statField22(t, fixture(t, "proc_26231_stat"))
	if ppid != "5392" || start != "82375" {
		t.Fatalf("stat fixture: ppid %s start %s", ppid, start)
	}
	if p := m[26231]; p.PPID != 5392 || p.Ticks != 82375 || p.UID != 1000 || p.Command != "vim /etc/hosts" || p.Comm != "vim" {
		t.Errorf("vim %+v", p)
	}
}

func TestParseProcPSBad(t *testing.T) {
	in := "1\t0\t0\t1\tinit\t/sbin/init\n" +
		"2\t0\n" +
		"x\t0\t0\t1\tfoo\t\n" +
		"3\t1\t0\tnot-a-number\tbar\t/bin/bar\n" +
		"4\t1\t0\t5\t\t\n"
	ps, err := ParseProcPS(in)
	if len(ps) != 2 || ps[1].PID != 3 || ps[1].Ticks != -1 {
		t.Fatalf("got %+v", ps)
	}
	var pe *kit.ParseError
	if !errors.As(err, &pe) || len(pe.Lines) != 3 {
		t.Fatalf("err %v", err)
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in     string
		offset int
		zone   string
		epoch  int64
		bad    bool
	}{
		{"1795683600\n+0900\nJST\n", 9 * 3600, "JST", 1795683600, false},
		{"1795683600\n-0330\nNST\n", -(3*3600 + 30*60), "NST", 1795683600, false},
		{"1795683600\r\n+0000\r\nUTC\r\n", 0, "UTC", 1795683600, false},
		{"1795683600\n+0530\n", 5*3600 + 30*60, "", 1795683600, false},
		{"%s\n%z\n%Z\n", 0, "", 0, true}, // a date that knows no format directives
		{"1795683600\n", 0, "", 0, true},
		{"1795683600\n+9900\nXXX\n", 0, "", 0, true},
		{"", 0, "", 0, true},
	}
	for _, c := range cases {
		d, err := ParseDate(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("%q: no error", c.in)
			}
			continue
		}
		if err != nil || d.Offset != c.offset || d.Zone != c.zone || d.Epoch != c.epoch {
			t.Errorf("%q: got %+v, %v", c.in, d, err)
		}
	}
}

func TestParseBtimeAndClkTck(t *testing.T) {
	stat := "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0\nintr 1 2 3\nctxt 1990473\nbtime 1795600000\nprocesses 2915\n"
	if b, err := ParseBtime(stat); err != nil || b != 1795600000 {
		t.Errorf("btime %d %v", b, err)
	}
	if _, err := ParseBtime("cpu 1 2 3\n"); err == nil {
		t.Error("no btime: no error")
	}
	if _, err := ParseBtime("btime soon\n"); err == nil {
		t.Error("bad btime: no error")
	}
	if v, err := ParseClkTck("100\n"); err != nil || v != 100 {
		t.Errorf("clk %d %v", v, err)
	}
	if _, err := ParseClkTck("undefined\n"); err == nil {
		t.Error("bad clk: no error")
	}
}

func TestParsePasswd(t *testing.T) {
	m := ParsePasswd(fixture(t, "passwd_el6.txt"))
	if m[0] != "root" || m[27] != "mysql" || m[48] != "apache" || m[500] != "admin" {
		t.Errorf("got %v", m)
	}
	if len(m) != 8 {
		t.Errorf("got %d uids, want 8 (toor shares root's uid, the NIS line names none)", len(m))
	}
}
