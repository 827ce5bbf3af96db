package files

import (
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// ucfRegistry and ucfHashfile are lines of the lab's webapp (Debian 11, ucf 3.0043),
// as ucfr and ucf write them: "PACKAGE <space><tab><space> PATH" and md5sum's
// "DIGEST  PATH".
const (
	ucfRegistry = "dovecot-core \t /etc/dovecot/dovecot.conf\n" +
		"dovecot-core \t /etc/dovecot/conf.d/10-auth.conf\n" +
		"dovecot-core \t /etc/dovecot/conf.d/10-mail.conf\n" +
		"dovecot-core \t /etc/dovecot/conf.d/90-quota.conf\n" +
		"dovecot-core \t /etc/dovecot/conf.d/auth-system.conf.ext\n" +
		"dovecot-imapd \t /etc/dovecot/conf.d/20-imap.conf\n" +
		"chrony \t /etc/chrony/chrony.keys\n"
	ucfHashfile = "cc048d6dcbaaebe9f5e3fe44277a7019  /etc/dovecot/dovecot.conf\n" +
		"0b916cdf61a1f0539149eda49b83fdb8  /etc/dovecot/conf.d/10-auth.conf\n" +
		"98ac201146d52acb2a61a1aa4514787e  /etc/dovecot/conf.d/10-mail.conf\n" +
		"638b37641dcc9187e01687edda17fa81  /etc/dovecot/conf.d/90-quota.conf\n" +
		"48cc83e19ef2b6b592c27eb10f10de33  /etc/dovecot/conf.d/20-imap.conf\n" +
		"f1b4d934b0b1264a9c65c03b83e5e665  /etc/chrony/chrony.keys\n"
	// ucfTemplates is _files_generated's output for those files: 10-mail.conf was
	// edited, 90-quota.conf removed, chrony.keys not readable by the survey's user;
	// auth-system.conf.ext has no line in the hashfile, so it was not digested.
	ucfTemplates = "cc048d6dcbaaebe9f5e3fe44277a7019  /etc/dovecot/dovecot.conf\n" +
		"0b916cdf61a1f0539149eda49b83fdb8  /etc/dovecot/conf.d/10-auth.conf\n" +
		"5f0e0c1a6b8a8f2f6c1d7a9e3b4c2d10  /etc/dovecot/conf.d/10-mail.conf\n" +
		"md5sum: /etc/dovecot/conf.d/90-quota.conf: No such file or directory\n" +
		"48cc83e19ef2b6b592c27eb10f10de33  /etc/dovecot/conf.d/20-imap.conf\n" +
		"md5sum: /etc/chrony/chrony.keys: Permission denied\n" +
		"# done\n"
	ucfStatus = "Package: dovecot-core\nStatus: install ok installed\nVersion: 1:2.3.13+dfsg1-2+deb11u1\n\n" +
		"Package: dovecot-imapd\nStatus: install ok installed\nVersion: 1:2.3.13+dfsg1-2+deb11u1\n\n" +
		"Package: chrony\nStatus: install ok installed\nVersion: 4.0-8+deb11u2\n"
	// ucfUnowned: the files under /etc dpkg lists for no package; local.conf is the
	// administrator's own.
	ucfUnowned = "/etc/chrony/chrony.keys\n/etc/dovecot/conf.d/10-auth.conf\n/etc/dovecot/conf.d/10-mail.conf\n" +
		"/etc/dovecot/conf.d/20-imap.conf\n/etc/dovecot/conf.d/auth-system.conf.ext\n/etc/dovecot/dovecot.conf\n" +
		"/etc/dovecot/local.conf\n# checked 412 files\n# done\n"
)

// ucfSurvey surveys a Debian host's files with ucf's state files; replace swaps
// items for others of the same name.
func ucfSurvey(t *testing.T, replace ...*evidence.Item) *snapshot.Snapshot {
	t.Helper()
	items := []*evidence.Item{
		kittest.File("/var/lib/dpkg/status", ucfStatus),
		kittest.File(probe.UCFRegistry, ucfRegistry),
		kittest.File(probe.UCFHashfile, ucfHashfile),
		kittest.Cmd("files-templates", "_files_generated", ucfTemplates),
		kittest.Cmd("files-dpkg-sums", "_files_dpkg_sums", "# done\n"),
		kittest.Cmd("files-dpkg-unowned", "_files_dpkg_unowned", ucfUnowned),
	}
	for _, r := range replace {
		for i, it := range items {
			if it.Name == r.Name {
				items[i] = r
			}
		}
	}
	in := kittest.Input(kittest.Archive(items...), nil)
	New().Survey(in)
	return in.Snap
}

func configsByPath(s *snapshot.Snapshot) map[string]snapshot.ConfigFile {
	by := map[string]snapshot.ConfigFile{}
	for _, c := range s.Files.Configs {
		by[c.Path] = c
	}
	return by
}

// A file ucf installed is its package's: left out when its digest is the one ucf's
// hashfile holds, modified when another, missing when gone, and unknown when no
// digest tells; never unowned. The administrator's own file stays unowned.
func TestUCFFilesAreTheirPackages(t *testing.T) {
	s := ucfSurvey(t)
	by := configsByPath(s)
	for _, p := range []string{"/etc/dovecot/dovecot.conf", "/etc/dovecot/conf.d/10-auth.conf", "/etc/dovecot/conf.d/20-imap.conf"} {
		if c, ok := by[p]; ok {
			t.Errorf("%s is as ucf installed it, yet reported: %+v", p, c)
		}
	}
	for _, tc := range []struct {
		path, state, pkg, generated string
		evidence                    []string
	}{
		{"/etc/dovecot/conf.d/10-mail.conf", "modified", "dovecot-core", "dovecot-core (ucf)",
			[]string{"file:" + probe.UCFRegistry, "file:" + probe.UCFHashfile, "cmd:files-templates"}},
		{"/etc/dovecot/conf.d/90-quota.conf", "missing", "dovecot-core", "dovecot-core (ucf)",
			[]string{"file:" + probe.UCFRegistry, "cmd:files-templates"}},
		{"/etc/chrony/chrony.keys", "unknown", "chrony", "chrony (ucf)",
			[]string{"file:" + probe.UCFRegistry, "file:" + probe.UCFHashfile}},
		{"/etc/dovecot/conf.d/auth-system.conf.ext", "unknown", "dovecot-core", "dovecot-core (ucf)",
			[]string{"file:" + probe.UCFRegistry, "file:" + probe.UCFHashfile}},
		{"/etc/dovecot/local.conf", "unowned", "", "", []string{"cmd:files-dpkg-unowned"}},
	} {
		c, ok := by[tc.path]
		if !ok {
			t.Errorf("%s not reported", tc.path)
			continue
		}
		if c.State != tc.state || c.Package != tc.pkg || c.Generated != tc.generated {
			t.Errorf("%s: state %q package %q generated %q, want %q %q %q", tc.path, c.State, c.Package, c.Generated, tc.state, tc.pkg, tc.generated)
		}
		if tc.pkg != "" && (c.Writer == nil || c.Writer.Script != "ucf" || c.Writer.Known != "ucf-registry" || c.Writer.Package != tc.pkg) {
			t.Errorf("%s: writer %+v", tc.path, c.Writer)
		}
		for _, id := range tc.evidence {
			if !slices.Contains(c.Evidence, id) {
				t.Errorf("%s: evidence %v lacks %s", tc.path, c.Evidence, id)
			}
		}
	}
	if c := by["/etc/chrony/chrony.keys"]; slices.Contains(c.Evidence, "cmd:files-templates") {
		t.Errorf("chrony.keys cites a digest it has none of: %v", c.Evidence)
	}
	cv := s.Coverage[snapshot.SectionFiles]
	if cv.Status != snapshot.Partial {
		t.Errorf("coverage %s: two files' change is unknown", cv.Status)
	}
	for _, want := range []string{
		"whether /etc/chrony/chrony.keys changed since ucf installed them is not known: they are not readable",
		"whether /etc/dovecot/conf.d/auth-system.conf.ext changed since ucf installed them is not known: ucf's hashfile holds no digest of them",
	} {
		if !strings.Contains(cv.Reason, want) {
			t.Errorf("coverage reason %q lacks %q", cv.Reason, want)
		}
	}
}

// Without ucf's hashfile the registry still says whose each file is; whether any
// changed is unknown, not "unchanged", and the coverage says why.
func TestUCFWithoutHashfile(t *testing.T) {
	// The probe digests ucf's files only when it reads the hashfile.
	templates := "# done\n"
	s := ucfSurvey(t,
		kittest.Failed(evidence.KindFile, probe.UCFHashfile, evidence.StatusDenied, "cat: /var/lib/ucf/hashfile: Permission denied"),
		kittest.Cmd("files-templates", "_files_generated", templates))
	by := configsByPath(s)
	for _, p := range []string{"/etc/dovecot/dovecot.conf", "/etc/dovecot/conf.d/10-auth.conf", "/etc/dovecot/conf.d/10-mail.conf", "/etc/dovecot/conf.d/20-imap.conf"} {
		c, ok := by[p]
		if !ok {
			t.Errorf("%s left out as unchanged without ucf's digest", p)
			continue
		}
		if c.State != "unknown" || c.Generated == "" || c.Package == "" || slices.Contains(c.Evidence, "file:"+probe.UCFHashfile) {
			t.Errorf("%s: %+v", p, c)
		}
	}
	if c := by["/etc/dovecot/local.conf"]; c.State != "unowned" || c.Writer != nil {
		t.Errorf("local.conf: %+v", c)
	}
	cv := s.Coverage[snapshot.SectionFiles]
	if cv.Status != snapshot.Partial || !strings.Contains(cv.Reason, "is not known: ucf's hashfile was not read (") {
		t.Errorf("coverage %+v", cv)
	}
}

// The digest step failing leaves ucf's files unknown, with its reason.
func TestUCFWithoutDigests(t *testing.T) {
	s := ucfSurvey(t, kittest.Failed(evidence.KindCmd, "files-templates", evidence.StatusTimeout, ""))
	c := configsByPath(s)["/etc/dovecot/conf.d/10-auth.conf"]
	if c.State != "unknown" || c.Package != "dovecot-core" {
		t.Errorf("10-auth.conf: %+v", c)
	}
	if cv := s.Coverage[snapshot.SectionFiles]; !strings.Contains(cv.Reason, "their digests were not taken (") {
		t.Errorf("coverage %+v", cv)
	}
}

// A host without ucf: nothing is said of ucf, and dpkg's unowned files stay so.
func TestNoUCF(t *testing.T) {
	s := ucfSurvey(t,
		kittest.Failed(evidence.KindFile, probe.UCFRegistry, evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, probe.UCFHashfile, evidence.StatusAbsent, ""))
	c := configsByPath(s)["/etc/dovecot/conf.d/10-auth.conf"]
	if c.State != "unowned" || c.Writer != nil {
		t.Errorf("10-auth.conf: %+v", c)
	}
	if cv := s.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.Collected || strings.Contains(cv.Reason, "ucf") {
		t.Errorf("coverage %+v", cv)
	}
}
