package self

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// ways are the real surveys in testdata (see SOURCES.md): every way in, with who
// logged in, through what, and the way in the footprint must end with (the
// outermost process of the survey's own; the next one up is the host's).
var ways = []struct {
	file, login, through string
	top                  string
	ssh                  bool
}{
	{"ssh-root.evidence", "root", "", "sshd: root@notty", true},
	{"ssh-user.evidence", "opsadmin", "", "sshd: opsadmin [priv]", true},
	{"ssh-sudo-nopasswd.evidence", "opsadmin", "sudo", "sshd: opsadmin [priv]", true},
	{"ssh-sudo-password-pty.evidence", "opspw", "sudo", "sshd: opspw [priv]", true},
	{"local.evidence", "root", "", "bash /dev/fd/3", false},
	{"local-sudo.evidence", "opsadmin", "sudo", "bash /dev/fd/3", false},
	{"bundle-by-hand-sudo.evidence", "opsadmin", "sudo", "sshd: opsadmin [priv]", false},
}

func load(t *testing.T, name string) (*evidence.Archive, snapshot.Source) {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	src := snapshot.Source{Kind: "bundle", Target: name, User: a.Header["user"]}
	if strings.HasPrefix(name, "ssh-") {
		src.Kind = "ssh"
	}
	return a, src
}

func TestTheSurveyFindsItselfOnEveryWayIn(t *testing.T) {
	for _, w := range ways {
		t.Run(w.file, func(t *testing.T) {
			a, src := load(t, w.file)
			in := kittest.Input(a, &snapshot.Snapshot{Source: src})
			New().Survey(in)
			s := in.Snap.Source
			if s.Login != w.login || s.Through != w.through {
				t.Errorf("login %q through %q, want %q through %q", s.Login, s.Through, w.login, w.through)
			}
			if s.Session == nil {
				t.Fatal("no session")
			}
			procs, err := processes.List(in)
			if err != nil {
				t.Fatal(err)
			}
			own := map[int]bool{}
			for _, p := range s.Session.PIDs {
				own[p] = true
			}
			probe := 0
			if it, ok := a.Cmd("self"); ok {
				item, err := ParseItem(it.Text())
				if err != nil {
					t.Fatal(err)
				}
				probe = item.PID
			}
			byPID := map[int]processes.Proc{}
			for _, p := range procs {
				byPID[p.PID] = p
			}
			top := byPID[probe]
			for own[top.PPID] {
				top = byPID[top.PPID]
			}
			for _, p := range procs {
				switch {
				case own[p.PID]:
				case strings.Contains(p.Command, "/bin/sh -s"), strings.Contains(p.Command, "probe.sh"),
					strings.Contains(p.Command, "TROWEL-SUDO-PROMPT"), strings.Contains(p.Command, "ps -eo"),
					strings.HasPrefix(p.Command, "sshd: ") && !strings.Contains(p.Command, "[listener]"),
					strings.Contains(p.Command, "trowel survey"):
					t.Errorf("pid %d %q is the survey's, but not in its footprint", p.PID, p.Command)
				}
			}
			if top.Command != w.top {
				t.Errorf("the way in ends at %q, want %q", top.Command, w.top)
			}
			for _, p := range procs {
				if own[p.PID] && (p.PID == 1 || strings.Contains(p.Command, "[listener]") || strings.Contains(p.Command, "job-runner")) {
					t.Errorf("pid %d %q is the host's, not the survey's", p.PID, p.Command)
				}
			}
			if got := s.Session.Client != ""; got != w.ssh {
				t.Errorf("client %q: the SSH connection known = %v, want %v", s.Session.Client, got, w.ssh)
			}
			if w.ssh && s.Session.Server != "192.0.2.2:2299" {
				t.Errorf("server = %q", s.Session.Server)
			}
			if !slices.IsSorted(s.Session.PIDs) || len(slices.Compact(slices.Clone(s.Session.Sockets))) != len(s.Session.Sockets) {
				t.Errorf("pids %v or sockets %v not sorted and unique", s.Session.PIDs, s.Session.Sockets)
			}
		})
	}
}

// An archive of a probe without the self item is traced through ps from the header's
// PID; a disk read offline has no footprint at all.
func TestWithoutTheSelfItem(t *testing.T) {
	ps := strings.Join([]string{
		"    1     0     0 Mon Dec  7 02:29:33 2026 /sbin/init",
		"  500     1     0 Mon Dec  7 02:29:40 2026 /usr/sbin/sshd -D",
		"  700   500     0 Mon Dec  7 03:23:37 2026 sshd: admin [priv]",
		"  701   700  1000 Mon Dec  7 03:23:37 2026 sshd: admin@notty",
		"  702   701     0 Mon Dec  7 03:23:37 2026 sudo -S -p TROWEL-SUDO-PROMPT: /bin/sh -c echo ready; exec /bin/sh -s",
		"  703   702     0 Mon Dec  7 03:23:37 2026 /bin/sh -s",
		"  704   703     0 Mon Dec  7 03:23:37 2026 ps -eo pid=,ppid=,uid=,lstart=,args=",
		"  800     1     0 Mon Dec  7 02:29:40 2026 /usr/sbin/cron -f",
	}, "\n") + "\n"
	a := kittest.Archive(kittest.Cmd("ps", "ps -eo pid=,ppid=,uid=,lstart=,args=", ps),
		kittest.File("/etc/passwd", "root:x:0:0::/root:/bin/sh\nadmin:x:1000:1000::/home/admin:/bin/sh\n"))
	a.Header["pid"] = "703"
	in := kittest.Input(a, nil)
	New().Survey(in)
	s := in.Snap.Source
	if s.Session == nil || !slices.Equal(s.Session.PIDs, []int{700, 701, 702, 703, 704}) {
		t.Errorf("session %+v", s.Session)
	}
	if s.Login != "admin" || s.Through != "sudo" {
		t.Errorf("login %q through %q", s.Login, s.Through)
	}

	in = kittest.Input(a, &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"}})
	New().Survey(in)
	if in.Snap.Source.Session != nil {
		t.Errorf("a disk read offline has a session: %+v", in.Snap.Source.Session)
	}
}

// The way in stops at the first process that is the host's: a daemon that runs the
// probe's launcher (a CI agent), Dropbear's listener, sshd's listener; and a script
// that started trowel keeps its other children (a job it started earlier), while the
// command line that piped the probe loses its pipeline partner.
func TestWhereTheWayInEnds(t *testing.T) {
	p := func(pid, ppid, uid int, comm, cmd string) processes.Proc {
		return processes.Proc{PID: pid, PPID: ppid, UID: uid, Comm: comm, Command: cmd, Ticks: -1}
	}
	procs := []processes.Proc{
		p(1, 0, 0, "init", "/sbin/init"),
		p(10, 1, 0, "dropbear", "/usr/sbin/dropbear -F -R"),
		p(11, 10, 0, "dropbear", "/usr/sbin/dropbear -F -R"),
		p(12, 11, 0, "ash", "-ash"),
		p(13, 12, 0, "sh", "sh -c sh probe.sh | gzip > out.gz"),
		p(14, 13, 0, "sh", "sh probe.sh"),
		p(15, 13, 0, "gzip", "gzip"),
		p(16, 14, 0, "ps", "ps -eo pid=,ppid=,uid=,lstart=,args="),
		p(17, 12, 0, "rsync", "rsync -a /srv/ backup:/srv/"),
		p(20, 1, 0, "gitlab-runner", "gitlab-runner run"),
		p(21, 20, 0, "bash", "bash /builds/survey.sh"),
		p(22, 21, 0, "trowel", "trowel survey local"),
		p(23, 22, 0, "sh", "/bin/sh -s"),
		p(24, 21, 0, "sleep", "sleep 600"),
	}
	tests := []struct {
		probe int
		want  []int
	}{
		{14, []int{11, 12, 13, 14, 15, 16}},
		{23, []int{21, 22, 23}},
	}
	for _, tc := range tests {
		fp := Trace(Item{PID: tc.probe}, procs)
		var got []int
		for pid := range fp.Own {
			got = append(got, pid)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("probe %d: own %v, want %v", tc.probe, got, tc.want)
		}
	}
}

func TestParseItem(t *testing.T) {
	it, err := ParseItem("pid\t42\nssh\t::ffff:10.0.0.5 51000 10.0.0.10 22\nsudo_user\tops\nproc\t42\t41\t0\tsh\t/bin/sh -s \nsock\t41\t1234\nproc\tx\nfuture\tline\n")
	if it.PID != 42 || it.SudoUser != "ops" || it.Client.String() != "10.0.0.5:51000" || it.Server.String() != "10.0.0.10:22" {
		t.Errorf("item %+v", it)
	}
	if len(it.Chain) != 1 || it.Chain[0].Command != "/bin/sh -s" || !slices.Equal(it.Sockets[41], []uint64{1234}) {
		t.Errorf("chain %+v sockets %v", it.Chain, it.Sockets)
	}
	if pe, ok := err.(*kit.ParseError); !ok || len(pe.Lines) != 1 || pe.Lines[0].Line != 6 {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseItem(f *testing.F) {
	for _, w := range ways {
		raw, err := os.ReadFile("testdata/" + w.file)
		if err != nil {
			f.Fatal(err)
		}
		a, err := evidence.DecodeBytes(raw)
		if err != nil {
			f.Fatal(err)
		}
		if it, ok := a.Cmd("self"); ok {
			f.Add(it.Text())
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		it, _ := ParseItem(text)
		fp := Trace(it, it.Chain)
		_, _ = fp.Login(it, nil)
		for _, p := range it.Chain {
			if p.PID <= 0 || p.PPID < 0 || p.Command == "" {
				t.Fatalf("bad process %+v", p)
			}
		}
	})
}

// Who logged in is the account that ran the nearest sudo, su or runuser (the one
// above sudo's two processes when it keeps a terminal), whatever uid ps shows the
// changer under; SUDO_USER says it outright.
func TestLogin(t *testing.T) {
	p := func(pid, ppid, uid int, comm, cmd string) processes.Proc {
		return processes.Proc{PID: pid, PPID: ppid, UID: uid, Comm: comm, Command: cmd, Ticks: -1}
	}
	users := map[int]string{0: "root", 1000: "admin", 1001: "ops"}
	procs := []processes.Proc{
		p(1, 0, 0, "init", "/sbin/init"),
		p(700, 1, 0, "sshd", "sshd: ops [priv]"),
		p(701, 700, 1001, "sshd", "sshd: ops@pts/0"),
		p(702, 701, 1001, "bash", "-bash"),
		p(703, 702, 0, "su", "su - admin -c sudo sh probe.sh"),
		p(704, 703, 1000, "bash", "-bash -c sudo sh probe.sh"),
		p(705, 704, 0, "sudo", "sudo sh probe.sh"),
		p(706, 705, 0, "sudo", "sudo sh probe.sh"),
		p(707, 706, 0, "sh", "sh probe.sh"),
		p(800, 702, 0, "su", "su -c sh probe.sh"),
		p(801, 800, 0, "sh", "sh probe.sh"),
	}
	for _, tc := range []struct {
		it             Item
		login, through string
	}{
		{Item{PID: 707}, "admin", "sudo"},
		{Item{PID: 801}, "ops", "su"},
		{Item{PID: 707, SudoUser: "someone"}, "someone", "sudo"},
		{Item{PID: 702}, "", ""},
	} {
		login, through := Trace(tc.it, procs).Login(tc.it, users)
		if login != tc.login || through != tc.through {
			t.Errorf("probe %d: %q through %q, want %q through %q", tc.it.PID, login, through, tc.login, tc.through)
		}
	}
}
