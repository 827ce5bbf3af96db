package processes

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST test needs America/New_York on any machine

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

const psCmd = "ps -eo pid=,ppid=,uid=,lstart=,args="

func archive(header map[string]string, items ...*evidence.Item) *evidence.Archive {
	a := &evidence.Archive{Complete: true, Header: header}
	for _, it := range items {
		a.Add(it)
	}
	return a
}

func cmd(name, command, data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: command, Status: evidence.StatusOK, Data: []byte(data)}
}

func file(path, data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Status: evidence.StatusOK, Data: []byte(data)}
}

func run(a *evidence.Archive, snap *snapshot.Snapshot) *kit.Input {
	if snap == nil {
		snap = &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}}
	}
	in := &kit.Input{Archive: a, Snap: snap}
	New().Survey(in)
	return in
}

func proc(in *kit.Input, pid int) *snapshot.Process {
	for i := range in.Snap.Processes {
		if in.Snap.Processes[i].PID == pid {
			return &in.Snap.Processes[i]
		}
	}
	return nil
}

func TestSurveyPS(t *testing.T) {
	a := archive(map[string]string{"uid": "0", "pid": "2581"},
		cmd("ps", psCmd, fixture(t, "ps_eo_el6.txt")),
		cmd("date", "date +%s; date +%z; date +%Z", "1795683600\n+0900\nJST\n"),
		file("/etc/passwd", fixture(t, "passwd_el6.txt")),
	)
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionProcesses]
	if c.Status != snapshot.Collected {
		t.Fatalf("coverage %+v", c)
	}
	if c.Reason != "left out: 4 kernel threads and 3 processes of the survey itself (its login and the probe)" {
		t.Errorf("reason %q", c.Reason)
	}
	if strings.Join(c.Evidence, ",") != "cmd:ps,cmd:date,file:/etc/passwd" {
		t.Errorf("coverage evidence %v", c.Evidence)
	}
	if n := len(in.Snap.Processes); n != 23 {
		t.Fatalf("%d processes, want 30 - 4 kernel threads - 3 probe", n)
	}
	for _, pid := range []int{2, 3, 4, 21, 2581, 2590, 2591} {
		if proc(in, pid) != nil {
			t.Errorf("pid %d should be left out", pid)
		}
	}
	// The probe's parents are the host's: the SSH session and sudo stay.
	if proc(in, 2574) == nil || proc(in, 2573) == nil {
		t.Error("the session above the probe was dropped")
	}
	my := proc(in, 1604)
	if my == nil || my.User != "mysql" || my.UID == nil || *my.UID != 27 || my.Comm != "mysqld" || my.Evidence != "cmd:ps" || my.PPID != 1502 {
		t.Fatalf("mysqld %+v", my)
	}
	// 08:12:12 at +0900 is 23:12:12 UTC the day before.
	if want := time.Date(2026, 3, 8, 23, 12, 12, 0, time.UTC); my.Started == nil || !my.Started.Equal(want) || my.Started.Location() != time.UTC {
		t.Errorf("mysqld started %v, want %v", my.Started, want)
	}
	if p := proc(in, 1703); p == nil || p.User != "nginx" || p.Command != "nginx: worker process" {
		t.Errorf("nginx worker %+v", p)
	}
	for i := 1; i < len(in.Snap.Processes); i++ {
		if in.Snap.Processes[i-1].PID >= in.Snap.Processes[i].PID {
			t.Fatal("processes not sorted by PID")
		}
	}
	if ref, ok := in.Snap.Evidence["cmd:ps"]; !ok || ref.Source != psCmd {
		t.Errorf("evidence index %+v", in.Snap.Evidence)
	}
}

func TestSurveyPSDaylightSaving(t *testing.T) {
	// Surveyed in November (EST, -0500); mysqld started on 9 March 2026, the day after
	// New York moved to EDT (-0400).
	items := func() *evidence.Archive {
		return archive(map[string]string{"uid": "0"},
			cmd("ps", psCmd, fixture(t, "ps_eo_el6.txt")),
			cmd("date", "date", "1795683600\n-0500\nEST\n"))
	}
	in := run(items(), nil)
	if got := proc(in, 1604).Started; got == nil || !got.Equal(time.Date(2026, 3, 9, 13, 12, 12, 0, time.UTC)) {
		t.Errorf("fixed offset: %v", got)
	}
	snap := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, OS: snapshot.OS{Timezone: "America/New_York"}}
	in = run(items(), snap)
	if got := proc(in, 1604).Started; got == nil || !got.Equal(time.Date(2026, 3, 9, 12, 12, 12, 0, time.UTC)) {
		t.Errorf("named zone: %v", got)
	}
	// A zone that disagrees with the target's own offset is not trusted.
	snap = &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, OS: snapshot.OS{Timezone: "Asia/Tokyo"}}
	in = run(items(), snap)
	if got := proc(in, 1604).Started; got == nil || !got.Equal(time.Date(2026, 3, 9, 13, 12, 12, 0, time.UTC)) {
		t.Errorf("contradicting zone: %v", got)
	}
}

func TestSurveyPSWithoutClock(t *testing.T) {
	a := archive(map[string]string{"uid": "0"},
		cmd("ps", psCmd, fixture(t, "ps_eo_el5.txt")),
		&evidence.Item{Kind: evidence.KindCmd, Name: "date", Command: "date", Status: evidence.StatusTimeout})
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionProcesses]
	if c.Status != snapshot.Collected || !strings.Contains(c.Reason, "start times unknown: the target's UTC offset is unknown") ||
		!strings.Contains(c.Reason, "9 kernel threads and 0 processes") {
		t.Errorf("coverage %+v", c)
	}
	for _, p := range in.Snap.Processes {
		if p.Started != nil {
			t.Fatalf("pid %d has a start time without an offset", p.PID)
		}
		if p.User != "" {
			t.Fatalf("pid %d has a user without /etc/passwd", p.PID)
		}
	}
	if len(in.Snap.Processes) != 11 {
		t.Errorf("%d processes, want 20 - 9 kernel threads", len(in.Snap.Processes))
	}
	if p := proc(in, 2458); p == nil || p.Comm != "sendmail" {
		t.Errorf("sendmail %+v", p)
	}
}

func TestSurveyProcPS(t *testing.T) {
	a := archive(map[string]string{"uid": "0", "pid": "9000"},
		&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusOK, RC: 1, Stderr: []byte("ps: bad -o argument 'lstart'")},
		cmd("proc-ps", "_procps", fixture(t, "proc_ps_busybox.txt")),
		file("/proc/stat", "cpu 1 2 3\nbtime 1795600000\n"),
		cmd("getconf-clk-tck", "getconf CLK_TCK", "250\n"),
	)
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionProcesses]
	if c.Status != snapshot.Collected || c.Reason != "user names unknown: the collection ended before /etc/passwd was reached; left out: 2 kernel threads and 2 processes of the survey itself (its login and the probe)" {
		t.Fatalf("coverage %+v", c)
	}
	if strings.Join(c.Evidence, ",") != "cmd:proc-ps,file:/proc/stat,cmd:getconf-clk-tck" {
		t.Errorf("evidence %v", c.Evidence)
	}
	if len(in.Snap.Processes) != 8 {
		t.Fatalf("%d processes, want 12 - 2 - 2", len(in.Snap.Processes))
	}
	vim := proc(in, 26231)
	// 82375 ticks at 250 Hz is 329.5 s after boot: whole seconds, as ps prints.
	if vim == nil || vim.Started == nil || !vim.Started.Equal(time.Unix(1795600000+329, 0)) || vim.Evidence != "cmd:proc-ps" {
		t.Errorf("vim %+v", vim)
	}
	if z := proc(in, 777); z == nil || z.Command != "[nginx]" {
		t.Errorf("zombie %+v", z)
	}
}

func TestSurveyProcPSDefaultClkTck(t *testing.T) {
	a := archive(map[string]string{"uid": "0"},
		&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusAbsent},
		cmd("proc-ps", "_procps", fixture(t, "proc_ps_busybox.txt")),
		file("/proc/stat", "btime 1795600000\n"),
		&evidence.Item{Kind: evidence.KindCmd, Name: "getconf-clk-tck", Command: "getconf CLK_TCK", Status: evidence.StatusAbsent},
	)
	in := run(a, nil)
	if vim := proc(in, 26231); vim == nil || vim.Started == nil || !vim.Started.Equal(time.Unix(1795600000+823, 0)) {
		t.Errorf("vim %+v", vim)
	}
	// Without a probe pid in the header nothing is dropped as the probe's own.
	if proc(in, 9001) == nil {
		t.Error("9001 dropped without a probe pid")
	}
}

func TestSurveyCoverage(t *testing.T) {
	psOK := func() *evidence.Item { return cmd("ps", psCmd, fixture(t, "ps_eo_el6.txt")) }
	cases := []struct {
		name   string
		a      *evidence.Archive
		kind   string
		status snapshot.Status
		reason string // a substring
		n      int
	}{
		{"offline", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusOffline}),
			"root", snapshot.Unavailable, "offline: nothing runs on a disk image", 0},
		{"offline status in a bundle", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusOffline}),
			"bundle", snapshot.Unavailable, "offline: nothing runs on a disk image", 0},
		{"unprivileged", archive(map[string]string{"uid": "500"}, psOK()),
			"ssh", snapshot.Collected, "left out", 26},
		{"hidepid", archive(map[string]string{"uid": "500"},
			cmd("ps", psCmd, "2573  2571   500 Fri Nov 20 10:00:01 2026 sshd: admin@notty\n")),
			"ssh", snapshot.Partial, "hidepid", 1},
		{"truncated", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusOK, Truncated: true,
				Data: []byte(fixture(t, "ps_eo_el6.txt") + " 3000     1     0 Fri Nov 20 10:00:02 2026 /usr/bin/half-a-comm")}),
			"ssh", snapshot.Partial, "was cut short", 26},
		{"ps timed out, no fallback", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusTimeout},
			&evidence.Item{Kind: evidence.KindCmd, Name: "proc-ps", Command: "_procps", Status: evidence.StatusTimeout}),
			"ssh", snapshot.TimedOut, "did not finish in time", 0},
		{"ps absent, fallback denied", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: psCmd, Status: evidence.StatusAbsent},
			&evidence.Item{Kind: evidence.KindCmd, Name: "proc-ps", Command: "_procps", Status: evidence.StatusDenied}),
			"ssh", snapshot.Denied, "permission denied", 0},
		{"session cut before ps", &evidence.Archive{Complete: false, Header: map[string]string{"uid": "0"}},
			"ssh", snapshot.TimedOut, "cut off", 0},
		{"not ps output", archive(map[string]string{"uid": "0"}, cmd("ps", psCmd, fixture(t, "Ps_BAD.txt"))),
			"ssh", snapshot.Unavailable, "printed nothing this trowel can read", 0},
		{"empty", archive(map[string]string{"uid": "0"}, cmd("ps", psCmd, "")),
			"ssh", snapshot.Unavailable, "printed no process", 0},
		{"one bad line", archive(map[string]string{"uid": "0"}, cmd("ps", psCmd, fixture(t, "ps_eo_el6.txt")+"oops\n")),
			"ssh", snapshot.Partial, "line 31 could not be read", 26},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := run(c.a, &snapshot.Snapshot{Source: snapshot.Source{Kind: c.kind}})
			cov := in.Snap.Coverage[snapshot.SectionProcesses]
			if cov.Status != c.status || !strings.Contains(cov.Reason, c.reason) {
				t.Errorf("coverage %+v, want %s with %q", cov, c.status, c.reason)
			}
			if len(in.Snap.Processes) != c.n {
				t.Errorf("%d processes, want %d", len(in.Snap.Processes), c.n)
			}
			if in.Snap.Processes == nil {
				t.Error("Processes is nil, want an empty list")
			}
			if len(cov.Evidence) == 0 {
				t.Error("coverage cites no evidence")
			}
		})
	}
}
