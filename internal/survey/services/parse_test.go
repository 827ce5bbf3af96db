package services

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func on(levels string) (r [7]bool) {
	for _, c := range levels {
		r[c-'0'] = true
	}
	return r
}

func TestParseChkconfigEL6(t *testing.T) {
	rows, xs, bad := ParseChkconfig(fixture(t, "chkconfig/SERVICES.txt"))
	wantRows := []ChkRow{
		{"auditd", on("2345")}, {"crond", on("2345")}, {"iptables", on("2345")},
		{"kdump", on("345")}, {"restorecond", on("")}, {"xinetd", on("2345")},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("rows:\n got %v\nwant %v", rows, wantRows)
	}
	// This real output has the xinetd lines without their section header.
	wantX := []Xinetd{{"rexec", false}, {"rlogin", false}, {"rsh", true}, {"tcpmux-server", false}, {"telnet", true}}
	if !reflect.DeepEqual(xs, wantX) {
		t.Errorf("xinetd:\n got %v\nwant %v", xs, wantX)
	}
	if len(bad) != 0 {
		t.Errorf("bad lines: %q", bad)
	}
}

func TestParseChkconfigEL7(t *testing.T) {
	rows, xs, bad := ParseChkconfig(fixture(t, "chkconfig/RHEL_73_SERVICES.txt"))
	wantRows := []ChkRow{{"netconsole", on("")}, {"network", on("2345")}, {"rhnsd", on("2345")}}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("rows:\n got %v\nwant %v", rows, wantRows)
	}
	if len(xs) != 12 || xs[8] != (Xinetd{"rsync", true}) || xs[0] != (Xinetd{"chargen-dgram", false}) {
		t.Errorf("xinetd: got %v", xs)
	}
	if len(bad) != 0 {
		t.Errorf("the EL7 note was not skipped: %q", bad)
	}
	// Only the note: no SysV service at all, and nothing misread.
	rows, xs, bad = ParseChkconfig(fixture(t, "chkconfig/SERVICES_NG.txt"))
	if len(rows)+len(xs)+len(bad) != 0 {
		t.Errorf("note only: rows %v xinetd %v bad %q", rows, xs, bad)
	}
	// Junk keeps what parsed before and after it.
	rows, _, bad = ParseChkconfig("sshd 0:off 1:off 2:on 3:on 4:on 5:on 6:off\nsshd 0:off 9:on\ngarbage here\ncrond 0:off 1:off 2:on 3:on 4:on 5:on 6:off\n")
	if len(rows) != 2 || len(bad) != 2 {
		t.Errorf("junk: rows %v bad %q", rows, bad)
	}
}

func TestParseListUnitFiles(t *testing.T) {
	rows, bad := ParseListUnitFiles(fixture(t, "unitfiles/KDUMP_BIG_TEST.txt"))
	want := []UnitFileRow{{"kdump.service", "enabled", ""}, {"other.service", "disabled", ""}, {"test.service", "static", ""}}
	if !reflect.DeepEqual(rows, want) || len(bad) != 0 {
		t.Errorf("big test: got %v bad %q", rows, bad)
	}
	rows, _ = ParseListUnitFiles(fixture(t, "unitfiles/KDUMP_ENABLED_RHEL9.txt"))
	if !reflect.DeepEqual(rows, []UnitFileRow{{"kdump.service", "enabled", "enabled"}}) {
		t.Errorf("RHEL 9 with preset column: got %v", rows)
	}
	rows, _ = ParseListUnitFiles(fixture(t, "unitfiles/UNITFILES_DOCTEST.txt"))
	if len(rows) != 4 || rows[3] != (UnitFileRow{"neutron-server.service", "enabled", ""}) {
		t.Errorf("targets must be skipped: got %v", rows)
	}
	rows, _ = ParseListUnitFiles(fixture(t, "unitfiles/UNIT_INVALID_VS_VALID.txt"))
	if len(rows) != 3 || rows[1].State != "masked" || rows[2].State != "somenonsense" {
		t.Errorf("invalid vs valid: got %v", rows)
	}
	rows, bad = ParseListUnitFiles(fixture(t, "unitfiles/UNITFILES_NG.txt"))
	if len(rows)+len(bad) != 0 {
		t.Errorf("error text: got %v bad %q", rows, bad)
	}
}

func TestParseListUnits(t *testing.T) {
	rows, bad := ParseListUnits(fixture(t, "listunits/LISTUNITS_CONTENT.txt"))
	if len(rows) != 103 || len(bad) != 0 {
		t.Fatalf("got %d rows (want 103), bad %q", len(rows), bad)
	}
	exited, failed := 0, 0
	for _, r := range rows {
		switch r.Sub {
		case "exited":
			exited++
		case "failed":
			failed++
		}
	}
	if exited != 24 || failed != 4 {
		t.Errorf("exited %d (want 24), failed %d (want 4)", exited, failed)
	}
	// The "●" mark of a failed unit is not part of its name.
	want := UnitRow{"docker-storage-setup.service", "loaded", "failed", "failed", "Docker Storage Setup"}
	found := false
	for _, r := range rows {
		if r.Unit == want.Unit {
			found = r == want
		}
	}
	if !found {
		t.Errorf("marked failed unit not read as %+v", want)
	}
	rows, _ = ParseListUnits(fixture(t, "listunits/LISTUNITS_CONTENT_2.txt"))
	wantRows := []UnitRow{
		{"neutron-dhcp-agent.service", "loaded", "active", "running", "OpenStack Neutron DHCP Agent"},
		{"neutron-openvswitch-agent.service", "loaded", "active", "running", "OpenStack Neutron Open vSwitch Agent"},
		{"chronyd.service", "loaded", "failed", "failed", "NTP client/server"},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("content 2:\n got %v\nwant %v", rows, wantRows)
	}
	// Header, legend and footer of a listing with --legend are not errors.
	if rows, bad := ParseListUnits(fixture(t, "listunits/LISTUNITS_CONTENT_3.txt")); len(rows) != 0 || len(bad) != 0 {
		t.Errorf("content 3 (no services): rows %v bad %q", rows, bad)
	}
	if rows, bad := ParseListUnits(fixture(t, "listunits/LISTUNITS_NG.txt")); len(rows)+len(bad) != 0 {
		t.Errorf("error text: rows %v bad %q", rows, bad)
	}
	if _, bad := ParseListUnits("cut.service loaded\n"); len(bad) != 1 {
		t.Errorf("a short line was not reported: %q", bad)
	}
}

func TestParseShow(t *testing.T) {
	blocks, bad := ParseShow(fixture(t, "show/SYSTEMCTL_SHOW_ALL_EXAMPLES.txt"))
	if len(blocks) != 3 {
		t.Fatalf("got %d blocks, want 3: %v", len(blocks), blocks)
	}
	tuned := blocks["tuned.service"]
	if tuned["ActiveState"] != "active" || tuned["SubState"] != "running" || tuned["UnitFileState"] != "enabled" ||
		tuned["FragmentPath"] != "/usr/lib/systemd/system/tuned.service" || tuned["Description"] != "Dynamic System Tuning Daemon" {
		t.Errorf("tuned: %v", tuned)
	}
	pg := blocks["postgresql.service"]
	if pg["User"] != "postgres" || pg["ExecStop"] != "{ path=/usr/bin/pg_ctl ; argv[]=/usr/bin/pg_ctl stop -D ${PGDATA} -s -m fast ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; s" {
		t.Errorf("postgresql: %v", pg)
	}
	// The real output has a wrapped line with no "=": reported, the rest kept.
	if !reflect.DeepEqual(bad, []string{"basic.target dbus.service"}) {
		t.Errorf("bad: %q", bad)
	}
	blocks, _ = ParseShow(fixture(t, "show/SYSTEM_SHOW_ALL_SERVICES_WITH_CPUACCOUTING_INFO3.txt"))
	if len(blocks) != 3 || blocks["test3.service"]["SubState"] != "exited" || blocks["test1.service"]["UnitFileState"] != "static" {
		t.Errorf("keyed by Names: %v", blocks)
	}
}

func TestParseInitctl(t *testing.T) {
	// Format as Ubuntu 12.04 and CentOS 6 print it.
	jobs, bad := ParseInitctl("rc stop/waiting\n" +
		"tty (/dev/tty3) start/running, process 1740\n" +
		"network-interface-security (networking) start/running\n" +
		"ssh start/running, process 30215\n" +
		"\tpre-start process 30210\n" +
		"plymouth-shutdown stop/waiting\n" +
		"mountall-net stop/killed, process 412\n" +
		"this is not a job line\n")
	want := []Job{
		{"rc", "", "stop", "waiting", 0},
		{"tty", "/dev/tty3", "start", "running", 1740},
		{"network-interface-security", "networking", "start", "running", 0},
		{"ssh", "", "start", "running", 30215},
		{"plymouth-shutdown", "", "stop", "waiting", 0},
		{"mountall-net", "", "stop", "killed", 412},
	}
	if !reflect.DeepEqual(jobs, want) {
		t.Errorf("jobs:\n got %v\nwant %v", jobs, want)
	}
	if !reflect.DeepEqual(bad, []string{"this is not a job line"}) {
		t.Errorf("bad: %q", bad)
	}
}

func TestParseRunlevelAndLinks(t *testing.T) {
	for in, want := range map[string]byte{"N 3\n": '3', "3 5": '5', "unknown\n": 0, "N S": 'S', "": 0, "N 9": 0} {
		got, ok := ParseRunlevel(in)
		if got != want || ok != (want != 0) {
			t.Errorf("ParseRunlevel(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	links := []struct {
		name, target string
		want         RCLink
		ok           bool
	}{
		{"S20postfix", "../init.d/postfix", RCLink{true, 20, "postfix"}, true},
		{"K01smartd", "../init.d/smartd", RCLink{false, 1, "smartd"}, true},
		{"S99local", "../rc.local", RCLink{true, 99, "rc.local"}, true},
		{"S02apache2", "", RCLink{true, 2, "apache2"}, true},
		{"README", "", RCLink{}, false},
		{"Sxxfoo", "../init.d/foo", RCLink{}, false},
		{"S20", "", RCLink{}, false},
		{"S20.hidden", "", RCLink{}, false},
	}
	for _, tt := range links {
		got, ok := ParseRCLink(tt.name, tt.target)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRCLink(%q, %q) = %+v, %v; want %+v, %v", tt.name, tt.target, got, ok, tt.want, tt.ok)
		}
	}
}
