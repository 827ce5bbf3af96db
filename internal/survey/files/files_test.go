package files

import (
	"os"
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

func legacyInput(t *testing.T, skip ...string) *kit.Input {
	items := []*evidence.Item{
		kittest.File("/var/lib/dpkg/status", fixture(t, "legacy-dpkg-status.txt")),
		kittest.Cmd("files-dpkg-sums", "_files_dpkg_sums", fixture(t, "legacy-dpkg-sums.txt")),
		kittest.Cmd("files-dpkg-unowned", "_files_dpkg_unowned", fixture(t, "legacy-dpkg-unowned.txt")),
		kittest.Cmd("files-dpkg-content", "_files_dpkg_content 65536 300", fixture(t, "legacy-dpkg-content.txt")),
		kittest.Cmd("files-templates", "md5sum ...", fixture(t, "legacy-templates.txt")),
		kittest.Cmd("files-trees", "_files_trees", fixture(t, "legacy-trees.txt")),
	}
	var keep []*evidence.Item
	for _, it := range items {
		drop := false
		for _, s := range skip {
			drop = drop || it.Name == s
		}
		if !drop {
			keep = append(keep, it)
		}
	}
	return kittest.Input(kittest.Archive(keep...), nil)
}

// The lab's legacy host: every config the lab's scripts edited, and nothing else.
func TestLegacyReportsWhatTheLabEdited(t *testing.T) {
	in := legacyInput(t)
	New().Survey(in)
	var got []string
	for _, c := range in.Snap.Files.Configs {
		got = append(got, c.State+" "+c.Path+" "+c.Package)
	}
	want := []string{
		"unowned /etc/aliases ",
		"modified /etc/apache2/conf-available/security.conf apache2",
		"unowned /etc/apache2/sites-available/redmine.conf ",
		"unowned /etc/apt/sources.list ",
		"unowned /etc/cron.d/redmine ",
		"unowned /etc/hostname ",
		"unowned /etc/hosts ",
		"unowned /etc/init.d/logship ",
		"unowned /etc/init.d/ssh-legacy ",
		"unowned /etc/logship.conf ",
		"unowned /etc/mailname ",
		"unowned /etc/motd ",
		"modified /etc/mysql/mariadb.conf.d/50-server.cnf mariadb-server-10.5",
		"unowned /etc/postfix/main.cf ",
		"unowned /etc/resolv.conf ",
		"modified /etc/rsyslog.conf rsyslog",
		"unowned /etc/rsyslog.d/60-forward.conf ",
		"unowned /etc/ssh/sshd_config ",
		"unowned /etc/ssh/sshd_config_legacy ",
		"unowned /etc/ssl/certs/redmine.example.co.jp.crt ",
		"unowned /etc/ssl/private/redmine.example.co.jp.key ",
		"unowned /etc/sudoers.d/deploy ",
		"unowned /etc/sudoers.d/ops ",
		"unowned /etc/timezone ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("configs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	by := map[string]snapshot.ConfigFile{}
	for _, c := range in.Snap.Files.Configs {
		by[c.Path] = c
	}
	if c := by["/etc/postfix/main.cf"]; !strings.HasPrefix(c.Generated, "postfix postinst") || !strings.Contains(c.Content, "myhostname = legacy.trowel.test\n") {
		t.Errorf("main.cf: generated %q, content %q", c.Generated, c.Content)
	}
	if c := by["/etc/ssl/private/redmine.example.co.jp.key"]; c.Content != "" || c.ContentNote != "secret" {
		t.Errorf("key: content %q note %q", c.Content, c.ContentNote)
	}
	if c := by["/etc/sudoers.d/deploy"]; c.Content != "# deploy runs the release scripts unattended\ndeploy ALL=(ALL) NOPASSWD: ALL\n" {
		t.Errorf("sudoers.d/deploy content %q", c.Content)
	}
	if c := by["/etc/rsyslog.conf"]; strings.Join(c.Evidence, ",") != "cmd:files-dpkg-sums,file:/var/lib/dpkg/status,cmd:files-dpkg-content" {
		t.Errorf("rsyslog.conf evidence %v", c.Evidence)
	}
	if cv := in.Snap.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.Collected {
		t.Errorf("coverage %+v", cv)
	}
	// This evidence comes from a probe that did not look for copies of packaged
	// versions: nothing is said to be absent from the host.
	for _, c := range in.Snap.Files.Configs {
		if b := c.Baseline; c.Content != "" && (b == nil || b.Kind != "unknown" || !strings.Contains(b.Why, "did not look for copies")) {
			t.Errorf("%s: baseline %+v", c.Path, b)
		}
	}
	var trees []string
	for _, u := range in.Snap.Files.Unmanaged {
		trees = append(trees, u.Path+" "+u.What)
	}
	if strings.Join(trees, "|") != "/usr/local/bin scripts|/usr/local/sbin scripts|/var/www/html web content|/var/www/redmine scripts" {
		t.Errorf("trees %q", trees)
	}
	if u := in.Snap.Files.Unmanaged[1]; u.Files != 2 || u.Bytes != 1774 || u.Modified == nil || u.Modified.Unix() != 1795225059 {
		t.Errorf("/usr/local/sbin %+v", u)
	}
}

// Without the templates' digests a generated file cannot be judged pristine, so it is
// reported, named as generated: never silently dropped.
func TestGeneratedWithoutTemplatesIsReported(t *testing.T) {
	in := legacyInput(t, "files-templates")
	New().Survey(in)
	found := false
	for _, c := range in.Snap.Files.Configs {
		if c.Path == "/etc/pam.d/common-auth" {
			found = c.Writer != nil && c.Writer.Script == "pam-auth-update" && c.Writer.Package == "libpam-runtime" && c.Writer.Known == "table" &&
				c.Generated == "pam-auth-update (libpam-runtime)"
		}
	}
	if !found {
		t.Error("pam common-auth not reported as generated")
	}
}

// When the install scripts could not be read, no writer is named, and coverage says
// why: an unlabelled file is then not known to be hand-made.
func TestScriptsUnreadable(t *testing.T) {
	in := legacyInput(t)
	in.Archive.Add(kittest.Failed(evidence.KindCmd, "files-dpkg-scripts", evidence.StatusTimeout, ""))
	New().Survey(in)
	if cv := in.Snap.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.TimedOut || !strings.Contains(cv.Reason, "which install script wrote a file no package lists is unknown") {
		t.Errorf("coverage %+v", cv)
	}
}

func TestMissingAndDeniedConffiles(t *testing.T) {
	status := "Package: foo\nStatus: install ok installed\nConffiles:\n /etc/foo.conf 0123456789abcdef0123456789abcdef\n /etc/old.conf 0123456789abcdef0123456789abcdef obsolete\n /etc/secret.conf 0123456789abcdef0123456789abcdef\nDescription: x\n"
	sums := "md5sum: /etc/foo.conf: No such file or directory\nmd5sum: /etc/old.conf: No such file or directory\nmd5sum: /etc/secret.conf: Permission denied\n# done\n"
	in := kittest.Input(kittest.Archive(
		kittest.File("/var/lib/dpkg/status", status),
		kittest.Cmd("files-dpkg-sums", "_files_dpkg_sums", sums),
		kittest.Cmd("files-dpkg-unowned", "_files_dpkg_unowned", "# checked 3 files\n# done\n"),
		kittest.Failed(evidence.KindCmd, "files-trees", evidence.StatusTimeout, ""),
	), nil)
	New().Survey(in)
	if len(in.Snap.Files.Configs) != 1 || in.Snap.Files.Configs[0].State != "missing" || in.Snap.Files.Configs[0].Path != "/etc/foo.conf" || in.Snap.Files.Configs[0].Package != "foo" {
		t.Errorf("configs %+v", in.Snap.Files.Configs)
	}
	if cv := in.Snap.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.Partial || !strings.Contains(cv.Reason, "/etc/secret.conf: not readable") {
		t.Errorf("files coverage %+v", cv)
	}
	if cv := in.Snap.Coverage[snapshot.SectionUnmanaged]; cv.Status != snapshot.TimedOut {
		t.Errorf("unmanaged coverage %+v", cv)
	}
}

func TestNoPackageDatabase(t *testing.T) {
	in := kittest.Input(kittest.Archive(
		kittest.Failed(evidence.KindFile, "/var/lib/dpkg/status", evidence.StatusDenied, "Permission denied"),
	), nil)
	New().Survey(in)
	if cv := in.Snap.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.Denied {
		t.Errorf("coverage %+v", cv)
	}
}

// rpm: the %config digests, MD5 (EL5/6) and SHA-256 (EL7+) alike.
func TestRPMSums(t *testing.T) {
	sums := "conf\thttpd\t27dd5b01ef2f4d0d1f0e2d4a0ae0d2a1\t/etc/httpd/conf/httpd.conf\n" +
		"conf\tsudo\tb3f9d6e1c3e6f5d7c1a6c0c3f1a1e6f3a8a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5\t/etc/sudoers\n" +
		"conf\tsetup\t11111111111111111111111111111111\t/etc/motd\n" +
		"conf\tfoo\t22222222222222222222222222222222\t/etc/has space.conf\n" +
		"odd\t/etc/has space.conf\n" +
		"27dd5b01ef2f4d0d1f0e2d4a0ae0d2a1  /etc/httpd/conf/httpd.conf\n" +
		"0000000000000000000000000000000000000000000000000000000000000000  /etc/sudoers\n" +
		"md5sum: can't open '/etc/motd': No such file or directory\n# done\n"
	in := kittest.Input(kittest.Archive(
		kittest.Cmd("files-rpm-sums", "_files_rpm_sums", sums),
		kittest.Cmd("files-rpm-unowned", "_files_rpm_unowned", "file /etc/yum.repos.d/local.repo is not owned by any package\n# checked 812 files\n# done\n"),
	), nil)
	New().Survey(in)
	var got []string
	for _, c := range in.Snap.Files.Configs {
		got = append(got, c.State+" "+c.Path+" "+c.Package)
	}
	if strings.Join(got, "|") != "missing /etc/motd setup|modified /etc/sudoers sudo|unowned /etc/yum.repos.d/local.repo " {
		t.Errorf("configs %q", got)
	}
}

func TestParseConffiles(t *testing.T) {
	cfs, err := ParseConffiles("Package: a\nConffiles:\n /etc/a b.conf 0123456789abcdef0123456789abcdef obsolete\n /etc/n newconffile\n /etc/x 0123456789abcdef0123456789abcdef remove-on-upgrade\nPackage: b\n")
	if err != nil || len(cfs) != 3 {
		t.Fatalf("%+v %v", cfs, err)
	}
	if c := cfs[0]; c.Path != "/etc/a b.conf" || !c.Obsolete || c.Package != "a" {
		t.Errorf("%+v", c)
	}
	if c := cfs[1]; c.Path != "/etc/n" || !c.NewConffile || c.MD5 != "" {
		t.Errorf("%+v", c)
	}
	if c := cfs[2]; c.Path != "/etc/x" || c.MD5 != "0123456789abcdef0123456789abcdef" {
		t.Errorf("%+v", c)
	}
}

// Real outputs of rpm -V (insights-core), and rpm 4.4's 8-column form.
func TestParseRPMVerify(t *testing.T) {
	v, complaints, err := ParseRPMVerify(fixture(t, "insights-rpm-v-1.txt"))
	if err != nil || len(v) != 4 || len(complaints) != 1 {
		t.Fatalf("%+v %q %v", v, complaints, err)
	}
	if v[0].Changes != "..?......" || !v[0].Config() || v[0].Path != "/etc/sudoers" {
		t.Errorf("%+v", v[0])
	}
	if v[1].Kind != 0 || v[1].Path != "/usr/bin/sudo" {
		t.Errorf("%+v", v[1])
	}
	if !v[3].Missing || v[3].Path != "/var/db/sudo/lectured" || v[3].Reason != "Permission denied" {
		t.Errorf("%+v", v[3])
	}
	v, complaints, err = ParseRPMVerify(fixture(t, "insights-rpm-v-4.txt"))
	if err != nil || len(v) != 0 || len(complaints) != 4 {
		t.Errorf("%+v %q %v", v, complaints, err)
	}
	// rpm 4.4 (CentOS 5): 8 columns, one space before the mark.
	v, _, err = ParseRPMVerify("S.5....T c /etc/httpd/conf/httpd.conf\nmissing   c /etc/my.cnf\n.M......   /usr/sbin/httpd\n")
	if err != nil || len(v) != 3 {
		t.Fatalf("%+v %v", v, err)
	}
	if !v[0].Differs('S') || !v[0].Differs('5') || !v[0].Differs('T') || v[0].Differs('M') || v[0].Differs('P') || !v[0].Config() {
		t.Errorf("%+v", v[0])
	}
	if !v[1].Missing || !v[1].Config() || v[1].Path != "/etc/my.cnf" {
		t.Errorf("%+v", v[1])
	}
	if !v[2].Differs('M') || v[2].Path != "/usr/sbin/httpd" {
		t.Errorf("%+v", v[2])
	}
}

func TestParseContent(t *testing.T) {
	cs, err := ParseContent("F\t6\t/etc/a\nx\ny\nz\n\nN\t/etc/b\ttoo large (99999 bytes)\nF\t0\t/etc/empty\n\n" +
		"C\t/etc/a\tdpkg-dist\t/etc/a.dpkg-dist\t0123456789abcdef0123456789abcdef\t-\nF\t2\t/etc/a.dpkg-dist\nx\n\nD\t/etc/a\t/etc/a.dpkg-dist\t 2 3\n# done\n")
	if err != nil || !cs.Done {
		t.Fatal(err, cs.Done)
	}
	if f := cs.Files; f["/etc/a"].Text != "x\ny\nz\n" || !f["/etc/a"].Have || f["/etc/b"].Note != "too large (99999 bytes)" || !f["/etc/empty"].Have || f["/etc/a.dpkg-dist"].Text != "x\n" {
		t.Errorf("%+v", f)
	}
	if c := cs.Copies["/etc/a"]; len(c) != 1 || c[0].Kind != "dpkg-dist" || c[0].MD5 != "0123456789abcdef0123456789abcdef" || c[0].SHA256 != "" ||
		!c[0].Absent[2] || !c[0].Absent[3] || c[0].Absent[1] || c[0].Cut {
		t.Errorf("copies %+v", c)
	}
	cs, err = ParseContent("F\t100\t/etc/cut\nshort")
	if err == nil || cs.Files["/etc/cut"].Have {
		t.Errorf("a cut record must not pass: %+v %v", cs, err)
	}
	if _, err := ParseContent("D\t/etc/a\t/etc/nowhere\t 1\n"); err == nil {
		t.Error("a line list of no copy must not pass")
	}
}

func TestWhat(t *testing.T) {
	tr := Tree{Path: "/opt/app", Markers: []string{"/opt/app/.git", "/opt/app/Gemfile", "/opt/app/config.ru"}, Execs: map[string]int{"elf": 1}}
	if w := What(tr); w != "git checkout, Rails/Rack app, ELF binaries" {
		t.Error(w)
	}
}
