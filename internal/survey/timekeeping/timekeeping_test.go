package timekeeping

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

var at = time.Date(2026, 11, 21, 1, 36, 0, 0, time.UTC)

func TestIdentifyCopiedLocaltime(t *testing.T) {
	b, err := os.ReadFile("testdata/localtime-Asia-Tokyo.tzif")
	if err != nil {
		t.Fatal(err)
	}
	z, err := IdentifyTZif(b, at)
	if err != nil {
		t.Fatal(err)
	}
	if z.Footer != "JST-9" {
		t.Errorf("footer %q", z.Footer)
	}
	if got := Canonical(z.SameNames); !reflect.DeepEqual(got, []string{"Asia/Tokyo"}) {
		t.Errorf("canonical %v of %v", got, z.Candidates)
	}
	b, _ = os.ReadFile("testdata/localtime-America-New_York.tzif")
	z, _ = IdentifyTZif(b, at)
	if z.Footer != "EST5EDT,M3.2.0,M11.1.0" || !contains(z.Candidates, "America/New_York") || contains(z.Candidates, "America/Toronto") {
		t.Errorf("%+v", z)
	}
	if _, err := IdentifyTZif([]byte("not a zone"), at); err == nil {
		t.Error("text accepted as TZif")
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestParsers(t *testing.T) {
	if got := ParseNTPServers("# c\nserver 0.rhel.pool.ntp.org iburst\npool 2.debian.pool.ntp.org iburst\nrestrict default\n[Time]\nNTP=a.example b.example\n"); !reflect.DeepEqual(got, []string{"0.rhel.pool.ntp.org", "2.debian.pool.ntp.org", "a.example", "b.example"}) {
		t.Errorf("%v", got)
	}
	b, _ := os.ReadFile("testdata/TIMEDATECTL_CONTENT1.txt")
	td, err := ParseTimedatectl(string(b))
	if err != nil || td.Zone != "America/New_York" || td.Synced == nil || !*td.Synced || td.NTPService != "active" {
		t.Errorf("%v %+v", err, td)
	}
	b, _ = os.ReadFile("testdata/TIMEDATECTL_CONTENT3.txt")
	td, err = ParseTimedatectl(string(b))
	if err != nil || td.Zone != "America/New_York" || td.Synced == nil || !*td.Synced || td.NTPService != "yes" {
		t.Errorf("%v %+v", err, td)
	}
	if s, ok := ParseChronyTracking("Reference ID    : 00000000 ()\nLeap status     : Not synchronised\n"); !ok || s {
		t.Error("chrony not synchronised read as synced")
	}
	if s, ok := ParseNtpq("     remote           refid      st t when poll reach   delay   offset  jitter\n==============================================================================\n*10.0.0.1        .GPS.            1 u   33   64  377    0.512    0.021   0.013\n"); !ok || !s {
		t.Error("ntpq peer not read")
	}
	if ts, ok := ParseMtime("1795224199.7338754580\n"); !ok || ts.Unix() != 1795224199 {
		t.Error("find's mtime")
	}
	if _, ok := ParseMtime("0\n"); ok {
		t.Error("0 accepted")
	}
	ds, err := ParseCrondTZ("508\tcron\t-\n600\tcrond\tTZ=:Asia/Tokyo\n700\tcrond\t?\n")
	if err != nil || len(ds) != 3 || ds[0].TZ != "" || !ds[0].Readable || ds[1].TZ != ":Asia/Tokyo" || ds[2].Readable {
		t.Errorf("%v %+v", err, ds)
	}
	if ZoneOfTZ(":Asia/Tokyo") != "Asia/Tokyo" || ZoneOfTZ("/usr/share/zoneinfo/UTC") != "UTC" || ZoneOfTZ(":/etc/localtime") != "" {
		t.Error("ZoneOfTZ")
	}
}

// The lab's planted failure: daemons started while /etc/localtime was UTC, then it was
// re-linked to Asia/Tokyo without a restart. crond must come first among the stale.
func TestStaleCrond(t *testing.T) {
	changed := time.Date(2026, 11, 21, 1, 30, 0, 0, time.UTC)
	before := changed.Add(-10 * time.Minute)
	after := changed.Add(5 * time.Minute)
	a := kittest.Archive(
		kittest.List("/etc", "l\tlocaltime\t/usr/share/zoneinfo/Asia/Tokyo\nf\ttimezone\n"),
		kittest.File("/etc/timezone", "Etc/UTC\n"),
		kittest.Cmd("localtime-mtime", "_lmtime /etc/localtime", "1795224600\n"),
		kittest.Cmd("crond-tz", "_crondtz", "508\tcron\t-\n"),
		kittest.Cmd("date", "date", "1795224960\n+0900\nJST\n"),
	)
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, CollectedAt: at,
		Processes: []snapshot.Process{
			{PID: 1, PPID: 0, Command: "/sbin/init", Started: &before},
			{PID: 42, PPID: 1, Command: "/usr/sbin/rsyslogd", Started: &before, Evidence: "cmd:ps"},
			{PID: 508, PPID: 1, Command: "/usr/sbin/cron", Started: &before, Evidence: "cmd:ps"},
			{PID: 510, PPID: 1, Command: "sleep 3600", Comm: "sleep", Started: &before},
			{PID: 600, PPID: 1, Command: "/usr/sbin/sshd", Started: &after},
			{PID: 700, PPID: 42, Command: "/bin/child", Started: &before},
		}}
	in := kittest.Input(a, s)
	New().Survey(in)
	tm := in.Snap.Time
	if tm.Zone != "Asia/Tokyo" || !strings.Contains(tm.ZoneSource, "link") || tm.UTCOffset != "+0900" {
		t.Errorf("zone %q from %q offset %q", tm.Zone, tm.ZoneSource, tm.UTCOffset)
	}
	if tm.LocaltimeChanged == nil || !tm.LocaltimeChanged.Equal(changed) {
		t.Errorf("changed %v", tm.LocaltimeChanged)
	}
	if len(tm.StaleDaemons) != 2 || tm.StaleDaemons[0].PID != 508 || tm.StaleDaemons[1].PID != 42 {
		t.Fatalf("stale %+v", tm.StaleDaemons)
	}
	tr := snapshot.Clock{}
	pickFromContent(&tr, z0(t), nil, false)
	if tr.Zone != "Asia/Tokyo" || !strings.Contains(tr.ZoneSource, "a copy") {
		t.Errorf("copy: %+v", tr)
	}
	if len(tm.Notes) != 1 || !strings.Contains(tm.Notes[0], "/etc/timezone says Etc/UTC") {
		t.Errorf("notes %v", tm.Notes)
	}
	if c := in.Snap.Coverage[snapshot.SectionTime]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

func z0(t *testing.T) TZif {
	b, _ := os.ReadFile("testdata/localtime-Asia-Tokyo.tzif")
	z, err := IdentifyTZif(b, at)
	if err != nil {
		t.Fatal(err)
	}
	return z
}
