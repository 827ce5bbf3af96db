package report

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The files table says what changed in each file: its settings against the copy of
// the packaged version it was compared with, or why none was; writers only with
// their evidence, in the words of their own family.
func TestFilesSaysWhatChanged(t *testing.T) {
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionFiles: {Status: snapshot.Collected}, snapshot.SectionUnmanaged: {Status: snapshot.Collected}}}
	s.Files.Configs = []snapshot.ConfigFile{
		{Path: "/etc/ssh/sshd_config", State: "modified", Package: "openssh-server",
			Writer:   &snapshot.FileWriter{Package: "openssh-server", Script: "ucf", Known: "ucf-registry"},
			Baseline: &snapshot.ConfigBaseline{Kind: "ucf-cache", Path: "/var/lib/ucf/cache/:etc:ssh:sshd_config", Exact: true, Compared: true, Format: "keyvalue"},
			Settings: []snapshot.SettingChange{
				{Key: "PermitRootLogin", Change: "changed", Was: "prohibit-password", Now: "yes", WasCommented: true},
				{Key: "X11Forwarding", Change: "changed", Was: "yes", Now: "no"},
				{Section: "Match User deploy", Key: "PasswordAuthentication", Change: "added", Now: "yes"},
			}},
		{Path: "/etc/phpmyadmin/config-db.php", State: "modified", Package: "phpmyadmin",
			Baseline: &snapshot.ConfigBaseline{Kind: "ucf-cache", Path: "/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php", Exact: true, Compared: true},
			Settings: []snapshot.SettingChange{{Key: "$dbpass", Change: "changed", Hidden: true}}},
		{Path: "/etc/default/ssh", State: "modified", Package: "openssh-server", Baseline: &snapshot.ConfigBaseline{Kind: "none", Why: "not on the host"}},
		{Path: "/etc/aliases", State: "unowned", Writer: &snapshot.FileWriter{Package: "postfix", Script: "postinst", Known: "script", Debconf: true},
			Baseline: &snapshot.ConfigBaseline{Kind: "none", Why: "writer's output not on the host"}},
		{Path: "/etc/cron.d/backup", State: "unowned", Baseline: &snapshot.ConfigBaseline{Kind: "none", Why: "no package"}},
		{Path: "/etc/hosts.rpmnew", State: "unowned", Baseline: &snapshot.ConfigBaseline{Kind: "none", Why: "a packaged version itself: the one of /etc/hosts an upgrade left beside it"}},
		{Path: "/etc/iscsi/initiatorname.iscsi", State: "unowned", Writer: &snapshot.FileWriter{Package: "iscsi-initiator-utils", Script: "%post", Known: "script"},
			Baseline: &snapshot.ConfigBaseline{Kind: "none"}},
		{Path: "/etc/motd", State: "unowned", Baseline: &snapshot.ConfigBaseline{Kind: "template", Path: "/usr/share/base-files/motd", Exact: true, Compared: true}},
		{Path: "/etc/postfix/main.cf", State: "unowned", Baseline: &snapshot.ConfigBaseline{Kind: "template", Path: "/usr/share/postfix/main.cf.debian", Compared: true},
			Settings: []snapshot.SettingChange{{Key: "relayhost", Change: "added", Now: "[smtp.example.net]:587"}}},
		{Path: "/etc/ssl/private/x.key", State: "unowned", ContentNote: "secret", Baseline: &snapshot.ConfigBaseline{Kind: "unknown", Why: "the file's text was not collected: secret"}},
		{Path: "/etc/old.conf", State: "modified", Package: "x"}, // a snapshot of an older trowel
		{Path: "/etc/gone.conf", State: "missing", Package: "x"},
	}
	sec := &Section{}
	(&builder{s: s, lang: "en"}).files(sec)
	rows := map[string][]Cell{}
	for _, r := range sec.Blocks[0].(*Table).Rows {
		rows[r[0].Text] = r
	}
	for p, want := range map[string][2]string{
		"/etc/ssh/sshd_config": {"PermitRootLogin: prohibit-password (commented-out default) → yes; X11Forwarding: yes → no; Match User deploy PasswordAuthentication: yes (added)",
			"Managed by ucf for openssh-server: the package's install script writes it. Compared with ucf's copy of what the install script installed (/var/lib/ucf/cache/:etc:ssh:sshd_config)."},
		"/etc/phpmyadmin/config-db.php":  {"$dbpass: changed (value not shown)", "Compared with ucf's copy of what the install script installed (/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php)."},
		"/etc/default/ssh":               {"the packaged version is not on the host: only its digest is, so the settings cannot be compared", ""},
		"/etc/aliases":                   {"what was first written there is not on the host, so the edits since cannot be told apart", "First written by the install script (postinst) of postfix, from debconf's answers."},
		"/etc/cron.d/backup":             {"no packaged version: no package owns it", ""},
		"/etc/hosts.rpmnew":              {"a packaged version of /etc/hosts itself, left beside it by an upgrade and not in force", ""},
		"/etc/iscsi/initiatorname.iscsi": {"what was first written there is not on the host, so the edits since cannot be told apart", "First written by the install script (%post) of iscsi-initiator-utils."},
		"/etc/motd":                      {"no setting differs: only comments, blank lines or spacing", "Compared with /usr/share/base-files/motd, which the install script copies as it is."},
		"/etc/postfix/main.cf":           {"relayhost: [smtp.example.net]:587 (added)", "Compared with /usr/share/postfix/main.cf.debian, the template the install script starts from: the settings the script adds itself show as changes too."},
		"/etc/ssl/private/x.key":         {"not compared: the file's text was not collected: secret", "secret"},
		"/etc/old.conf":                  {"not compared", ""},
		"/etc/gone.conf":                 {"removed: the package's file is gone", ""},
	} {
		r := rows[p]
		if r == nil {
			t.Errorf("%s: no row", p)
			continue
		}
		if r[3].Text != want[0] || r[5].Text != want[1] {
			t.Errorf("%s:\n changes %q\n    want %q\n    note %q\n    want %q", p, r[3].Text, want[0], r[5].Text, want[1])
		}
	}
	// An RPM host's rows say nothing of postinst, debconf or ucf.
	for _, r := range [][]Cell{rows["/etc/iscsi/initiatorname.iscsi"], rows["/etc/hosts.rpmnew"]} {
		for _, c := range r {
			for _, w := range []string{"postinst", "debconf", "ucf", "dpkg"} {
				if strings.Contains(c.Text, w) {
					t.Errorf("%s: %q says %s", r[0].Text, c.Text, w)
				}
			}
		}
	}
	// Every listed file says something in Changes, in Japanese too.
	ja := &Section{}
	(&builder{s: s, lang: "ja"}).files(ja)
	for _, r := range ja.Blocks[0].(*Table).Rows {
		if r[3].Text == "" {
			t.Errorf("ja: %s has empty changes", r[0].Text)
		}
	}
}

// A file its package installed through ucf is that package's, in both languages:
// its state says whether it changed since, or that this is not known, and the
// table's caption then names that state; never "unowned".
func TestFilesUCFFileIsItsPackages(t *testing.T) {
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionFiles: {Status: snapshot.Partial}, snapshot.SectionUnmanaged: {Status: snapshot.Collected}}}
	ucf := &snapshot.FileWriter{Package: "dovecot-core", Script: "ucf", Known: "ucf-registry"}
	s.Files.Configs = []snapshot.ConfigFile{
		{Path: "/etc/dovecot/conf.d/10-auth.conf", State: "unknown", Package: "dovecot-core", Generated: "dovecot-core (ucf)", Writer: ucf,
			Baseline: &snapshot.ConfigBaseline{Kind: "ucf-cache", Path: "/var/lib/ucf/cache/:etc:dovecot:conf.d:10-auth.conf", Compared: true}},
		{Path: "/etc/dovecot/conf.d/10-mail.conf", State: "modified", Package: "dovecot-core", Generated: "dovecot-core (ucf)", Writer: ucf,
			Baseline: &snapshot.ConfigBaseline{Kind: "none", Why: "not on the host: ucf keeps no copy of what it installed for this file"}},
	}
	for lang, want := range map[string][]string{
		"en": {"not known whether changed", "dovecot-core", "Managed by ucf for dovecot-core: the package's install script writes it. " +
			"Compared with ucf's copy /var/lib/ucf/cache/:etc:dovecot:conf.d:10-auth.conf; whether it is what ucf installed is not known.",
			"modified", "or of which it is not known whether they differ from what their package installed"},
		"ja": {"変更の有無は不明", "dovecot-core", "ucf が dovecot-core のために管理: パッケージのインストールスクリプトが書き込みます。 " +
			"ucf の写し /var/lib/ucf/cache/:etc:dovecot:conf.d:10-auth.conf と比較 (ucf が導入した内容と同じかは不明)。",
			"変更あり", "変更されたかが不明な設定ファイル"},
	} {
		sec := &Section{}
		(&builder{s: s, lang: lang}).files(sec)
		tbl := sec.Blocks[0].(*Table)
		unknown, changed := tbl.Rows[0], tbl.Rows[1]
		if unknown[1].Text != want[0] || unknown[2].Text != want[1] || unknown[5].Text != want[2] || changed[1].Text != want[3] {
			t.Errorf("%s: %q %q %q; %q", lang, unknown[1].Text, unknown[2].Text, unknown[5].Text, changed[1].Text)
		}
		if !strings.Contains(tbl.Explain, want[4]) {
			t.Errorf("%s: caption %q", lang, tbl.Explain)
		}
	}
}
