package accounts

import (
	"os"
	"reflect"
	"strconv"
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

const legacyShadow = "root:usable:19000:0:99999:7:::\ndaemon:nologin:19000:0:99999:7:::\ndeploy:locked:19000:0:99999:7:::\nops:usable:19000:0:99999:7:::\nalice:usable:19000:0:99999:7:::\n"

func legacyItems(t *testing.T) []*evidence.Item {
	return []*evidence.Item{
		kittest.File("/etc/passwd", fixture(t, "legacy_passwd")),
		kittest.File("/etc/group", fixture(t, "legacy_group")),
		kittest.Cmd("shadow-state", "_shadow /etc/shadow", legacyShadow),
		kittest.File("/etc/login.defs", fixture(t, "legacy_login.defs")),
		kittest.File("/etc/sudoers", fixture(t, "legacy_sudoers")),
		kittest.List("/etc/sudoers.d", "f\tREADME\nf\tdeploy\nf\tops\n"),
		kittest.File("/etc/sudoers.d/deploy", fixture(t, "legacy_sudoers.d_deploy")),
		kittest.File("/etc/sudoers.d/ops", fixture(t, "legacy_sudoers.d_ops")),
		kittest.File("/etc/sudoers.d/README", fixture(t, "legacy_sudoers.d_README")),
		kittest.File("/root/.ssh/authorized_keys", fixture(t, "legacy_root_authorized_keys")),
		kittest.Failed(evidence.KindFile, "/root/.ssh/authorized_keys2", evidence.StatusAbsent, ""),
		kittest.File("/etc/ssh/sshd_config", fixture(t, "legacy_sshd_config")),
		kittest.Cmd("lastlog", "lastlog", fixture(t, "legacy_lastlog.txt")),
	}
}

func survey(a *evidence.Archive) *kit.Input {
	in := kittest.Input(a, nil)
	New().Survey(in)
	return in
}

func user(t *testing.T, acc snapshot.Accounts, name string) snapshot.User {
	t.Helper()
	for _, u := range acc.Users {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no user %s", name)
	return snapshot.User{}
}

// The lab's legacy host: deploy NOPASSWD ALL, ops ALL with a password and requiretty,
// alice nothing; root's orphan key.
func TestSurveyLegacy(t *testing.T) {
	in := survey(kittest.Archive(legacyItems(t)...))
	acc := in.Snap.Accounts
	for _, sec := range []snapshot.Section{snapshot.SectionAccounts, snapshot.SectionSudo, snapshot.SectionKeys} {
		if c := in.Snap.Coverage[sec]; c.Status != snapshot.Collected {
			t.Errorf("%s coverage = %+v", sec, c)
		}
	}
	deploy := user(t, acc, "deploy")
	if deploy.UID != 1001 || deploy.Kind != "human" || deploy.Group != "deploy" || deploy.Shell != "/bin/bash" || deploy.Password != "locked" {
		t.Errorf("deploy = %+v", deploy)
	}
	if len(deploy.Sudo) != 1 || !deploy.Sudo[0].NoPasswd || deploy.Sudo[0].RunAs != "ALL" || !reflect.DeepEqual(deploy.Sudo[0].Commands, []string{"ALL"}) ||
		deploy.Sudo[0].Source != "/etc/sudoers.d/deploy:2" || deploy.Sudo[0].Evidence != "file:/etc/sudoers.d/deploy" {
		t.Errorf("deploy sudo = %+v", deploy.Sudo)
	}
	ops := user(t, acc, "ops")
	if len(ops.Sudo) != 1 || ops.Sudo[0].NoPasswd || ops.Sudo[0].RunAs != "ALL:ALL" || ops.Sudo[0].Source != "/etc/sudoers.d/ops:4" {
		t.Fatalf("ops sudo = %+v", ops.Sudo)
	}
	want := []string{"Defaults env_reset", "Defaults mail_badpass", `Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"`, "Defaults:ops requiretty"}
	if !reflect.DeepEqual(ops.Sudo[0].Defaults, want) {
		t.Errorf("ops defaults = %q", ops.Sudo[0].Defaults)
	}
	if len(deploy.Sudo[0].Defaults) != 3 {
		t.Errorf("deploy has ops's requiretty: %q", deploy.Sudo[0].Defaults)
	}
	if a := user(t, acc, "alice"); len(a.Sudo) != 0 || a.Kind != "human" || !a.CanLogin {
		t.Errorf("alice = %+v", a)
	}
	root := user(t, acc, "root")
	if len(root.Sudo) != 1 || root.Kind != "system" || !root.CanLogin {
		t.Errorf("root = %+v", root)
	}
	if len(root.Keys) != 2 {
		t.Fatalf("root keys = %+v", root.Keys)
	}
	k := root.Keys[0]
	if k.Type != "ssh-rsa" || k.Bits != 3072 || k.Comment != "contractor@old-jenkins" ||
		k.Fingerprint != "SHA256:7BiySfhP67Z+qzTNmAMonCodndxEO7Z5ej0mB/dHrQo" || k.Source != "/root/.ssh/authorized_keys:1" {
		t.Errorf("orphan key = %+v", k)
	}
	if root.Keys[1].Fingerprint != "SHA256:dG13lbtE9BxvoyXvdqIZ6xeTvP//QZ/hqWwTJbjvEKs" || root.Keys[1].Bits != 256 {
		t.Errorf("lab key = %+v", root.Keys[1])
	}
	if d := user(t, acc, "daemon"); d.Kind != "system" || d.CanLogin || d.Password != "none" {
		t.Errorf("daemon = %+v", d)
	}
	// Four rules in all: root, %sudo (nobody in it), deploy, ops.
	if len(acc.Sudo) != 4 || acc.Sudo[1].Who != "%sudo" || len(acc.Sudo[1].Users) != 0 {
		t.Errorf("rules = %+v", acc.Sudo)
	}
	var sshd []string
	for _, s := range acc.SSHD {
		sshd = append(sshd, s.Key+"="+s.Value+"@"+s.Source)
	}
	if !reflect.DeepEqual(sshd, []string{"PermitRootLogin=yes@/etc/ssh/sshd_config:34", "ChallengeResponseAuthentication=no@/etc/ssh/sshd_config:63", "UsePAM=yes@/etc/ssh/sshd_config:86"}) {
		t.Errorf("sshd = %q", sshd)
	}
	if acc.UIDMin != 1000 || acc.SysUIDMax != 999 {
		t.Errorf("ranges %d %d", acc.UIDMin, acc.SysUIDMax)
	}
}

func TestSudoDeniedIsNotNone(t *testing.T) {
	items := legacyItems(t)
	items[4] = kittest.Failed(evidence.KindFile, "/etc/sudoers", evidence.StatusDenied, "")
	items[9] = kittest.Failed(evidence.KindFile, "/root/.ssh/authorized_keys", evidence.StatusDenied, "")
	items[2] = kittest.Failed(evidence.KindCmd, "shadow-state", evidence.StatusOK, "awk: cannot open /etc/shadow (Permission denied)")
	items[2].RC = 2
	in := survey(kittest.Archive(items...))
	if c := in.Snap.Coverage[snapshot.SectionSudo]; c.Status != snapshot.Denied || !strings.Contains(c.Reason, "not none") {
		t.Errorf("sudo coverage = %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionKeys]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "/root/.ssh/authorized_keys (denied)") {
		t.Errorf("keys coverage = %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionAccounts]; c.Status != snapshot.Partial {
		t.Errorf("accounts coverage = %+v", c)
	}
	if len(in.Snap.Accounts.Sudo) != 0 {
		t.Error("rules from a file that was not read")
	}
}

func TestSudoAbsentIsNotApplicable(t *testing.T) {
	items := legacyItems(t)
	items[4] = kittest.Failed(evidence.KindFile, "/etc/sudoers", evidence.StatusAbsent, "")
	in := survey(kittest.Archive(items...))
	if c := in.Snap.Coverage[snapshot.SectionSudo]; c.Status != snapshot.NotApplicable {
		t.Errorf("sudo coverage = %+v", c)
	}
}

func TestSudoersDirectoryNamingRules(t *testing.T) {
	items := append(legacyItems(t), kittest.File("/etc/sudoers.d/old.bak", "alice ALL=(ALL) ALL\n"), kittest.File("/etc/sudoers.d/ops~", "alice ALL=(ALL) ALL\n"))
	in := survey(kittest.Archive(items...))
	if a := user(t, in.Snap.Accounts, "alice"); len(a.Sudo) != 0 {
		t.Errorf("sudo reads no file with a dot or a tilde: %+v", a.Sudo)
	}
}

func TestResolveEL5(t *testing.T) {
	f, err := ParseSudoers("/etc/sudoers", fixture(t, "el5_sudoers"))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := ParsePasswd(fixture(t, "el5_passwd"))
	gr, _ := ParseGroup(fixture(t, "el5_group"))
	rules := Resolve([]*Sudoers{f}, Accounts{Users: pw, Groups: gr})
	var got []string
	for _, r := range rules {
		got = append(got, strings.Join([]string{r.Who, strings.Join(r.Users, ","), r.Hosts, r.RunAs, strings.Join(r.Tags, "+"), strings.Join(r.Commands, " | "), sourceOf(r.Path, r.Line)}, " ; "))
	}
	want := []string{
		"root ; root ; ALL ; ALL ;  ; ALL ; /etc/sudoers:28",
		"%sys ; root,bin ; ALL ; root ;  ; /sbin/route | /sbin/ifconfig | /bin/ping | /sbin/dhclient | /usr/bin/net | /sbin/iptables | /sbin/service | /sbin/chkconfig ; /etc/sudoers:31",
		"%wheel ; root,jsmith ; ALL ; ALL ;  ; ALL ; /etc/sudoers:34",
		"ADMINS ; oracle,jsmith,mikem,dbadmin ; ALL ; oracle,mysql ; NOPASSWD ; /usr/local/bin/dbctl ; /etc/sudoers:38",
		"ADMINS ; oracle,jsmith,mikem,dbadmin ; ALL ; oracle,mysql ; PASSWD ; /bin/su - oracle ; /etc/sudoers:38",
		"ADMINS ; oracle,jsmith,mikem,dbadmin ; www1,www2 ; root ; NOEXEC+SETENV ; /usr/sbin/apachectl ; /etc/sudoers:38",
		"BACKUPERS ; backup,bkp2 ; ALL ; root ; NOPASSWD ; /usr/bin/rsync --server -logDtpre.iLsf . /srv | /bin/tar ; /etc/sudoers:39",
		"%#1010 ; mikem,helpdesk ; ALL ; root ;  ; /usr/bin/passwd [A-Za-z]* | !/usr/bin/passwd root ; /etc/sudoers:41",
		"jsmith, mikem ; jsmith,mikem ; ALL ; ALL:ALL ;  ; /usr/bin/less /var/log/messages:1 ; /etc/sudoers:42",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	// requiretty for everyone, lifted for the backup users.
	if d := rules[6].Defaults; !reflect.DeepEqual(d[len(d)-2:], []string{"Defaults:BACKUPERS !requiretty", "Defaults>root !set_logname"}) {
		t.Errorf("backup defaults = %q", d)
	}
	if d := rules[0].Defaults; d[0] != "Defaults requiretty" || strings.Contains(strings.Join(d, "|"), "BACKUPERS") {
		t.Errorf("root defaults = %q", d)
	}
	if len(f.Includes) != 1 || f.Includes[0] != (Include{Path: "/etc/sudoers.d", Dir: true, Line: 43}) {
		t.Errorf("includes = %+v", f.Includes)
	}
}

func TestAuthorizedKeysOptions(t *testing.T) {
	keys, err := ParseAuthorizedKeys(fixture(t, "keys_options"))
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("err = %v", err)
	}
	if len(keys) != 2 {
		t.Fatalf("keys = %+v", keys)
	}
	if !reflect.DeepEqual(keys[0].Options, []string{`from="10.0.0.0/8,!10.0.0.5"`, "no-pty", `command="<redacted>"`, "no-port-forwarding"}) || keys[0].Comment != "backup@nas" {
		t.Errorf("options = %q", keys[0].Options)
	}
	if !reflect.DeepEqual(keys[1].Options, []string{`command="rsync --server --sender -vlogDtpr . /data"`, "no-agent-forwarding"}) || keys[1].Comment != "rsync key" || keys[1].Type != "ssh-ed25519" {
		t.Errorf("key 2 = %+v", keys[1])
	}
}

// As ssh-keygen -lf testdata/keys_types prints them.
func TestKeyBitsAndFingerprints(t *testing.T) {
	keys, err := ParseAuthorizedKeys(fixture(t, "keys_types"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, strings.Join([]string{strconv.Itoa(k.Bits), k.Fingerprint, k.Comment}, " "))
	}
	want := []string{
		"384 SHA256:vclfVzErCDQC4s2LVZUigxFZ2uIwyuSwBmuQg9a+Pak gen-ecdsab384",
		"521 SHA256:diOHeU7ok+fZlrm8bV1dE4F84CVPHWVaNMp6L77NCFk gen-ecdsab521",
		"1024 SHA256:fvUxWzBXdCSyFywZjV8fKx05lQQJ4KePJhc2OIZm0gc gen-rsab1024",
		"1024 SHA256:3TPniyFSOzxT/25jkw/Su0g8Bpa6PZScfAFZA/CGgCs gen-dsa",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
}

func TestLastlog(t *testing.T) {
	lls, err := ParseLastlog(fixture(t, "el5_lastlog.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lls {
		s := l.User + "|" + l.Port + "|" + l.From + "|"
		if l.Time != nil {
			s += l.Time.Format("2006-01-02T15:04:05Z07:00")
		}
		got = append(got, s)
	}
	want := []string{
		"root|pts/1|10.1.2.3|2012-03-06T00:12:44Z", "bin|||", "daemon|||", "apache|||",
		"deploy|pts/0|jenkins.example.local|2012-02-27T08:01:02Z", "ops|tty1||2012-01-12T23:00:00Z",
		"oracle||10.9.9.9|2011-12-28T14:59:59Z", "legacyuser|pts/3|10.0.0.7|2005-09-01T10:00:00Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	if lls[7].Zoned || !lls[0].Zoned {
		t.Error("zone flags")
	}
	lls, err = ParseLastlog(fixture(t, "legacy_lastlog.txt"))
	if err != nil || len(lls) != 25 || lls[0].User != "root" || lls[0].Time != nil {
		t.Errorf("legacy lastlog: %v %+v", err, lls)
	}
}

func TestKinds(t *testing.T) {
	pw, _ := ParsePasswd(fixture(t, "el5_passwd"))
	defs := DefaultLoginDefs("rhel", "5.11")
	var got []string
	for _, e := range pw {
		got = append(got, e.Name+"="+Kind(e, defs, e.Name == "apache"))
	}
	want := []string{"root=system", "bin=system", "apache=service", "oracle=human", "mysql=system", "jsmith=human", "mikem=human", "backup=service", "bkp2=human", "dbadmin=human", "helpdesk=human"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	if d := ParseLoginDefs("UID_MIN 500\nSYS_UID_MAX 400\n", DefaultLoginDefs("debian", "12")); d.UIDMin != 500 || d.SysUIDMax != 400 {
		t.Errorf("defs %+v", d)
	}
}
