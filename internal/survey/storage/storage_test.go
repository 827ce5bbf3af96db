package storage

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func survey(a *evidence.Archive, s *snapshot.Snapshot) *kit.Input {
	in := kittest.Input(a, s)
	New().Survey(in)
	return in
}

func TestParseFstabLegacy(t *testing.T) {
	got, err := ParseFstab(fixture(t, "fstab_legacy"))
	if err != nil {
		t.Fatal(err)
	}
	want := []MountLine{
		{Device: "UUID=3f6c1c2e-5b1a-4f43-9d7e-2b8f3f0c9a11", MountPoint: "/", FSType: "ext4", Options: "errors=remount-ro", Line: 3},
		{Device: "10.231.0.40:/export/redmine-archive", MountPoint: "/var/www/redmine/files/archive", FSType: "nfs", Options: "defaults,_netdev", Commented: true, Line: 5},
		{Device: "10.231.0.40:/export/backup", MountPoint: "/mnt/backup", FSType: "nfs", Options: "noauto,_netdev,ro", Line: 6},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseMountsEscapes(t *testing.T) {
	got, err := ParseMounts("/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\nbad\n")
	if err == nil || len(got) != 1 || got[0].MountPoint != "/mnt/my disk" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestParseMountsInsights(t *testing.T) {
	got, err := ParseMounts(fixture(t, "proc_mounts_insights.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var nfs []string
	for _, m := range got {
		if IsNetwork(m.FSType) {
			nfs = append(nfs, m.MountPoint)
		}
	}
	if !reflect.DeepEqual(nfs, []string{"/sa/net", "/users"}) {
		t.Fatalf("network mounts %q", nfs)
	}
}

func TestParseLvsAndMdstat(t *testing.T) {
	lvs, err := ParseLvs(fixture(t, "lvs_doc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lvs) != 4 || !reflect.DeepEqual(lvs[2], LV{Name: "data", VG: "vg_data", Attr: "-wi-a-----", SizeBytes: 214748364800, Devices: []string{"/dev/sdb", "/dev/sdc"}}) {
		t.Fatalf("lvs %+v", lvs)
	}
	md, err := ParseMdstat(fixture(t, "mdstat_doc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []MD{
		{Name: "md1", Level: "raid1", State: "active", Devices: []string{"sdb2", "sda2"}, SizeBytes: 1047552 * 1024},
		{Name: "md0", Level: "raid5", State: "active degraded", Devices: []string{"sdc1 (failed)", "sdd1", "sde1"}, SizeBytes: 2095104 * 1024},
	}
	if !reflect.DeepEqual(md, want) {
		t.Fatalf("md %+v", md)
	}
}

func legacy(t *testing.T) *evidence.Archive {
	return kittest.Archive(
		kittest.File("/proc/mounts", fixture(t, "proc_mounts_legacy")),
		kittest.File("/etc/fstab", fixture(t, "fstab_legacy")),
		kittest.Cmd("df", "_net_df", fixture(t, "df_legacy.txt")),
		kittest.Failed(evidence.KindCmd, "lvs", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/proc/mdstat", evidence.StatusAbsent, ""),
		kittest.Cmd("du-data", "_net_du ...", fixture(t, "du_data_legacy.txt")),
	)
}

func TestLegacy(t *testing.T) {
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, Services: []snapshot.Service{{Name: "mariadb"}, {Name: "postfix"}, {Name: "apache2"}}}
	in := survey(legacy(t), s)
	st := in.Snap.Storage
	size, used := int64(264212084*1024), int64(15928168*1024)
	wantMounts := []snapshot.Mount{{Device: "trowel-legacy", MountPoint: "/", FSType: "overlay", Options: st.Mounts[0].Options,
		SizeBytes: &size, UsedBytes: &used, UsedPct: snapshot.Int(17), Evidence: []string{"file:/proc/mounts", "cmd:df"}}}
	if !reflect.DeepEqual(st.Mounts, wantMounts) {
		t.Fatalf("mounts %+v", st.Mounts)
	}
	if len(st.Fstab) != 3 || !st.Fstab[1].Commented || !st.Fstab[1].Network || *st.Fstab[1].Mounted || !*st.Fstab[0].Mounted || st.Fstab[2].Line != 6 {
		t.Fatalf("fstab %+v", st.Fstab)
	}
	// /var/spool/mail -> ../mail is measured once, as /var/mail.
	var paths []string
	for _, d := range st.DataDirs {
		paths = append(paths, d.Path)
	}
	if !reflect.DeepEqual(paths, []string{"/var/lib/mysql", "/var/mail", "/var/spool/postfix", "/var/www", "/srv", "/var/backups", "/opt", "/home"}) {
		t.Fatalf("data dirs %q", paths)
	}
	if d := st.DataDirs[0]; *d.Bytes != 44496*1024 || d.Owner != "mariadb" || d.Purpose != "MySQL/MariaDB data" {
		t.Fatalf("mysql %+v", d)
	}
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status != snapshot.Collected {
		t.Fatalf("coverage %+v", c)
	}
}

func TestDuTimeoutAndLvsSkipped(t *testing.T) {
	du := &evidence.Item{Kind: evidence.KindCmd, Name: "du-data", Status: evidence.StatusTimeout, Data: []byte("/var/lib/mysql\t10\t\t\n/home\t12")}
	lvs := kittest.Failed(evidence.KindCmd, "lvs", evidence.StatusSkipped, "not run")
	a := kittest.Archive(kittest.File("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n"), du, lvs)
	in := survey(a, nil)
	st := in.Snap.Storage
	if len(st.DataDirs) != 1 || *st.DataDirs[0].Bytes != 10240 {
		t.Fatalf("data dirs %+v", st.DataDirs)
	}
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status != snapshot.Partial {
		t.Fatalf("coverage %+v", c)
	}
}

func TestOfflineFstabOnly(t *testing.T) {
	a := kittest.Archive(kittest.File("/etc/fstab", fixture(t, "fstab_legacy")),
		kittest.Failed(evidence.KindCmd, "df", evidence.StatusOffline, ""), kittest.Failed(evidence.KindCmd, "lvs", evidence.StatusOffline, ""))
	in := survey(a, &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"}})
	st := in.Snap.Storage
	if len(st.Mounts) != 0 || len(st.Fstab) != 3 || st.Fstab[0].Mounted != nil {
		t.Fatalf("storage %+v", st)
	}
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status != snapshot.Partial {
		t.Fatalf("coverage %+v", c)
	}
}

func TestNothingReadable(t *testing.T) {
	a := kittest.Archive(kittest.Failed(evidence.KindFile, "/proc/mounts", evidence.StatusDenied, ""))
	in := survey(a, nil)
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status == snapshot.Collected || c.Status == snapshot.NotApplicable {
		t.Fatalf("coverage %+v", c)
	}
}

// A data directory has its allocated and its apparent size: a sparse ibdata1 of
// 2 GiB occupies 244 KiB. The apparent sizes that ran out of time leave the rest
// with their allocated size only, and say so.
func TestApparentSizes(t *testing.T) {
	du := kittest.Cmd("du-data", "_net_du ...", "/var/lib/mysql\t244\t\t\n/home\t12\t\t\n")
	app := &evidence.Item{Kind: evidence.KindCmd, Name: "du-apparent", Status: evidence.StatusTimeout, Data: []byte("/var/lib/mysql\t2147483661\t\t\n/home\t99")}
	in := survey(kittest.Archive(du, app), nil)
	st := in.Snap.Storage
	if len(st.DataDirs) != 2 || *st.DataDirs[0].Bytes != 244*1024 || st.DataDirs[0].ApparentBytes == nil || *st.DataDirs[0].ApparentBytes != 2147483661 ||
		st.DataDirs[0].ApparentEvidence != "cmd:du-apparent" || st.DataDirs[1].ApparentBytes != nil {
		t.Fatalf("data dirs %+v", st.DataDirs)
	}
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "apparent sizes ran out of time") {
		t.Fatalf("coverage %+v", c)
	}
}

func TestMailboxes(t *testing.T) {
	it := kittest.Cmd("mail-spools", "_mail_spools /var/spool/mail /var/mail", "/var/spool/mail/root\t2048\t1425211200\t12\t11\tcron@www01  Sun Mar  1 03:00:00 2015\n/var/spool/mail/big\t70000000\t1425211200\t900\t0\t\n")
	it.Stderr = []byte("trowel: permission denied: /var/spool/mail/secret\n")
	in := survey(kittest.Archive(it), nil)
	ms := in.Snap.Storage.Mailboxes
	if len(ms) != 2 || ms[0].User != "root" || ms[0].Messages != 12 || ms[0].Unread != 11 || ms[0].Last != "cron@www01  Sun Mar  1 03:00:00 2015" || ms[0].Partial || !ms[1].Partial {
		t.Fatalf("%+v", ms)
	}
	if c := in.Snap.Coverage[snapshot.SectionStorage]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "/var/spool/mail/big is over 64 MiB") || !strings.Contains(c.Reason, "/var/spool/mail/secret") {
		t.Fatalf("%+v", c)
	}
}
