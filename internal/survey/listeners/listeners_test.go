package listeners

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func archive(header map[string]string, items ...*evidence.Item) *evidence.Archive {
	a := &evidence.Archive{Complete: true, Header: header}
	for _, it := range items {
		a.Add(it)
	}
	return a
}

func ssItem(data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: "ss", Command: "ss -tuanp", Status: evidence.StatusOK, Data: []byte(data)}
}

func item(kind evidence.Kind, name string, st evidence.Status, data string) *evidence.Item {
	it := &evidence.Item{Kind: kind, Name: name, Status: st, Data: []byte(data)}
	if kind == evidence.KindCmd {
		it.Command = name + " -tuanp"
	}
	return it
}

func run(a *evidence.Archive, snap *snapshot.Snapshot) *kit.Input {
	if snap == nil {
		snap = &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}}
	}
	in := &kit.Input{Archive: a, Snap: snap}
	New().Survey(in)
	return in
}

func rows(ls []snapshot.Listener) []string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s %s:%d %d/%s %s", l.Proto, l.Address, l.Port, l.PID, l.Process, l.Evidence))
	}
	return out
}

func same(t *testing.T, got []snapshot.Listener, want ...string) {
	t.Helper()
	if g := rows(got); !reflect.DeepEqual(g, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(g, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestSurveySS(t *testing.T) {
	a := archive(map[string]string{"uid": "0"}, ssItem(fixture(t, "ss_tuanp_new.txt")))
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Collected || c.Reason != "" || !reflect.DeepEqual(c.Evidence, []string{"cmd:ss"}) {
		t.Errorf("coverage %+v", c)
	}
	same(t, in.Snap.Listeners,
		"tcp 0.0.0.0:22 801/sshd cmd:ss",
		"tcp 127.0.0.53%lo:53 612/systemd-resolve cmd:ss",
		"tcp 0.0.0.0:80 1702/nginx cmd:ss",
		"tcp6 :::22 801/sshd cmd:ss",
		"tcp6 :::3306 950/mariadbd cmd:ss",
		"tcp6 ::ffff:10.0.0.1:8080 1200/java cmd:ss",
		"udp 127.0.0.53%lo:53 612/systemd-resolve cmd:ss",
		"udp6 fe80::5054:ff:fe12:3456%eth0:546 590/systemd-network cmd:ss",
	)
	if ref := in.Snap.Evidence["cmd:ss"]; ref.Source != "ss -tuanp" {
		t.Errorf("evidence index %+v", in.Snap.Evidence)
	}
}

func TestSurveyPicksOwnerByProcessTree(t *testing.T) {
	a := archive(map[string]string{"uid": "0"}, ssItem(fixture(t, "ss_tuanp_new.txt")))
	snap := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, Processes: []snapshot.Process{
		{PID: 1704, PPID: 1}, {PID: 1702, PPID: 1704}, {PID: 1703, PPID: 1704},
	}}
	in := run(a, snap)
	for _, l := range in.Snap.Listeners {
		if l.Port == 80 && l.PID != 1704 {
			t.Errorf("port 80 owned by %d, want the master 1704", l.PID)
		}
	}
}

func TestSurveyOldSSAsRoot(t *testing.T) {
	// Sockets without users as root are the kernel's (NFS): nothing is hidden.
	in := run(archive(map[string]string{"uid": "0"}, ssItem(fixture(t, "Ss_TULPN.txt"))), nil)
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
	if len(in.Snap.Listeners) != 13 {
		t.Errorf("%d listeners", len(in.Snap.Listeners))
	}
}

func TestSurveyUnprivileged(t *testing.T) {
	in := run(archive(map[string]string{"uid": "500"}, ssItem(fixture(t, "ss_tuanp_el6_unprivileged.txt"))), nil)
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Partial || c.Reason != "not root: the owning processes of other users' sockets are hidden" {
		t.Errorf("coverage %+v", c)
	}
	same(t, in.Snap.Listeners,
		"tcp 0.0.0.0:22 0/ cmd:ss",
		"tcp 127.0.0.1:25 0/ cmd:ss",
		"tcp 0.0.0.0:3306 0/ cmd:ss",
		"tcp6 :::22 0/ cmd:ss",
		"udp 0.0.0.0:111 0/ cmd:ss",
		"udp 0.0.0.0:631 0/ cmd:ss",
	)
	// Every listener owned: not root, but nothing was hidden.
	in = run(archive(map[string]string{"uid": "500"}, ssItem("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\ntcp LISTEN 0 128 127.0.0.1:8080 *:* users:((\"java\",900,4))\n")), nil)
	if c := in.Snap.Coverage[snapshot.SectionListeners]; c.Status != snapshot.Collected {
		t.Errorf("all owned: %+v", c)
	}
}

func TestSurveyNetstat(t *testing.T) {
	a := archive(map[string]string{"uid": "0"},
		item(evidence.KindCmd, "ss", evidence.StatusAbsent, ""),
		item(evidence.KindCmd, "netstat", evidence.StatusOK, fixture(t, "netstat_tuanp_el5.txt")))
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Collected || !reflect.DeepEqual(c.Evidence, []string{"cmd:netstat"}) {
		t.Errorf("coverage %+v", c)
	}
	same(t, in.Snap.Listeners,
		"tcp 127.0.0.1:25 2458/sendmail cmd:netstat",
		"tcp 0.0.0.0:111 2002/portmap cmd:netstat",
		"tcp 127.0.0.1:2208 2301/hpiod cmd:netstat",
		"tcp 0.0.0.0:3306 2532/mysqld cmd:netstat",
		"tcp6 :::22 2411/sshd cmd:netstat",
		"tcp6 :::80 2502/httpd cmd:netstat",
		"tcp6 ::ffff:192.168.1.10:443 2502/httpd cmd:netstat",
		"udp 0.0.0.0:111 2002/portmap cmd:netstat",
		"udp 0.0.0.0:631 2350/cupsd cmd:netstat",
		"udp6 :::5353 0/ cmd:netstat",
	)
}

func TestSurveyProcNet(t *testing.T) {
	procNet := func() []*evidence.Item {
		return []*evidence.Item{
			item(evidence.KindFile, "/proc/net/tcp", evidence.StatusOK, fixture(t, "net_tcp")),
			item(evidence.KindFile, "/proc/net/tcp6", evidence.StatusAbsent, ""),
			item(evidence.KindFile, "/proc/net/udp", evidence.StatusOK, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n  99: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 ffff88003d3af3c0 0\n"),
			item(evidence.KindFile, "/proc/net/udp6", evidence.StatusOK, fixture(t, "net_tcp6")),
		}
	}
	a := archive(map[string]string{"uid": "0"}, append(procNet(),
		item(evidence.KindCmd, "ss", evidence.StatusAbsent, ""),
		item(evidence.KindCmd, "netstat", evidence.StatusAbsent, ""))...)
	in := run(a, nil)
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Partial || c.Reason != `only /proc/net was read, and it names no owning process (command "ss" is not installed; command "netstat" is not installed)` {
		t.Errorf("coverage %+v", c)
	}
	if want := []string{"cmd:ss", "cmd:netstat", "file:/proc/net/tcp", "file:/proc/net/udp", "file:/proc/net/udp6"}; !reflect.DeepEqual(c.Evidence, want) {
		t.Errorf("evidence %v", c.Evidence)
	}
	same(t, in.Snap.Listeners,
		"tcp 0.0.0.0:22 0/ file:/proc/net/tcp",
		"tcp 10.0.0.5:22 0/ file:/proc/net/tcp",
		"udp 0.0.0.0:68 0/ file:/proc/net/udp",
		"udp6 :::5355 0/ file:/proc/net/udp6",
		"udp6 fe80::56e1:adff:fe7c:6609:51073 0/ file:/proc/net/udp6",
	)

	// ss ran but printed something else: /proc/net stands in, and the reason says why.
	a = archive(map[string]string{"uid": "0"}, append(procNet(), ssItem(fixture(t, "NETSTAT_TRUNCATED.txt")))...)
	in = run(a, nil)
	c = in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "only /proc/net was read") ||
		!strings.Contains(c.Reason, "ss -tuanp printed nothing this trowel can read: line 1 could not be read") || len(in.Snap.Listeners) != 5 {
		t.Errorf("unreadable ss: %+v, %d listeners", c, len(in.Snap.Listeners))
	}

	// A big-endian kernel prints the words the other way round.
	a = archive(map[string]string{"uid": "0"}, append(procNet(),
		item(evidence.KindCmd, "uname", evidence.StatusOK, "Linux\nmainframe\n2.6.18-398.el5\ns390x\n#1 SMP\n"),
		item(evidence.KindCmd, "ss", evidence.StatusAbsent, ""),
		item(evidence.KindCmd, "netstat", evidence.StatusAbsent, ""))...)
	in = run(a, nil)
	if got := in.Snap.Listeners[1].Address; got != "5.0.0.10" {
		t.Errorf("s390x address %s", got)
	}
}

func TestSurveyCoverage(t *testing.T) {
	cases := []struct {
		name   string
		a      *evidence.Archive
		kind   string
		status snapshot.Status
		reason string
		n      int
	}{
		{"offline", archive(map[string]string{"uid": "0"},
			item(evidence.KindCmd, "ss", evidence.StatusOffline, ""),
			item(evidence.KindCmd, "netstat", evidence.StatusOffline, "")),
			"root", snapshot.Unavailable, "offline: nothing listens on a disk image", 0},
		{"offline items in a bundle", archive(map[string]string{"uid": "0"},
			item(evidence.KindCmd, "ss", evidence.StatusOffline, "")),
			"bundle", snapshot.Unavailable, "offline: nothing listens on a disk image", 0},
		{"nothing readable", archive(map[string]string{"uid": "0"},
			item(evidence.KindCmd, "ss", evidence.StatusTimeout, ""),
			item(evidence.KindCmd, "netstat", evidence.StatusAbsent, ""),
			item(evidence.KindFile, "/proc/net/tcp", evidence.StatusDenied, "")),
			"ssh", snapshot.Denied, "did not finish in time", 0},
		{"session cut before", &evidence.Archive{Complete: false, Header: map[string]string{"uid": "0"}},
			"ssh", snapshot.Cut, "ended before", 0},
		{"truncated ss", archive(map[string]string{"uid": "0"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ss", Command: "ss -tuanp", Status: evidence.StatusOK, Truncated: true,
				Data: []byte(fixture(t, "ss_tuanp_new.txt") + "tcp   LISTEN 0      128       0.0.0.0:44")}),
			"ssh", snapshot.Partial, "was cut short", 8},
		{"bad lines", archive(map[string]string{"uid": "0"}, ssItem(fixture(t, "ss_tuanp_new.txt")+"tcp LISTEN x y z\n")),
			"ssh", snapshot.Partial, "line 12 could not be read", 8},
		{"ss failed, netstat unprivileged", archive(map[string]string{"uid": "1000"},
			&evidence.Item{Kind: evidence.KindCmd, Name: "ss", Command: "ss -tuanp", Status: evidence.StatusOK, RC: 255, Stderr: []byte("Cannot open netlink socket: Protocol not supported")},
			item(evidence.KindCmd, "netstat", evidence.StatusOK, "tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN -\n")),
			"ssh", snapshot.Partial, "not root", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := run(c.a, &snapshot.Snapshot{Source: snapshot.Source{Kind: c.kind}})
			cov := in.Snap.Coverage[snapshot.SectionListeners]
			if cov.Status != c.status || !strings.Contains(cov.Reason, c.reason) {
				t.Errorf("coverage %+v, want %s with %q", cov, c.status, c.reason)
			}
			if len(in.Snap.Listeners) != c.n {
				t.Errorf("%d listeners, want %d: %v", len(in.Snap.Listeners), c.n, rows(in.Snap.Listeners))
			}
			if in.Snap.Listeners == nil {
				t.Error("Listeners is nil, want an empty list")
			}
			if len(cov.Evidence) == 0 {
				t.Error("coverage cites no evidence")
			}
		})
	}
}
