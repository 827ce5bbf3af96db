package spec

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindSetting expects a non-default configuration setting.
const KindSetting Kind = "setting"

// Setting is a setting of a service's configuration that is not its default, key
// and value normalised (SettingKey, NormalizeValue).
type Setting struct {
	Service string `yaml:"service,omitempty"` // the service the setting belongs to
	Key     string `yaml:"key,omitempty"`
	Value   string `yaml:"value,omitempty"`
}

func (Setting) Kind() Kind { return KindSetting }

var settingKind = def[Setting]{
	moreSections: Setting.sections,
	derive:       (*deriver).settings,
	goss:         Setting.goss,
}

// sections are where the service's settings are surveyed.
func (s Setting) sections() []snapshot.Section {
	switch s.Service {
	case "postfix":
		return []snapshot.Section{snapshot.SectionPostfix}
	case "dovecot":
		return []snapshot.Section{snapshot.SectionDovecot}
	case "mysql", "mariadb":
		return []snapshot.Section{snapshot.SectionMySQL}
	case "postgresql":
		return []snapshot.Section{snapshot.SectionPostgreSQL}
	case "sshd":
		return []snapshot.Section{snapshot.SectionAccounts}
	}
	return nil
}

func (d *deriver) settings() {
	mw := d.s.Middleware
	add := func(sec string, ss []snapshot.Setting, ev []string) {
		for _, st := range ss {
			key := SettingKey(st.Key)
			if dflt, ok := compiledDefaults[sec][key]; ok && dflt == NormalizeValue(st.Value) {
				continue
			}
			if distro.PackagingSetting(sec, key) {
				continue // the target's package sets its own
			}
			d.add(Expectation{ID: "setting:" + sec + ":" + key, Body: Setting{Service: sec, Key: key, Value: NormalizeValue(st.Value)},
				From: From{Source: st.Source, Evidence: ev}})
		}
	}
	if d.usable("mysql settings", snapshot.SectionMySQL) && d.usable("postgresql settings", snapshot.SectionPostgreSQL) {
		for _, db := range mw.Databases {
			add(db.Kind, db.Settings, db.Evidence)
		}
	}
	if d.usable("mail settings", snapshot.SectionPostfix) {
		for _, m := range mw.Mail {
			add(m.Kind, m.Settings, m.Evidence)
		}
	}
	if d.usable("sshd settings", snapshot.SectionAccounts) {
		for _, st := range d.s.Accounts.SSHD {
			key := SettingKey(st.Key)
			d.add(Expectation{ID: "setting:sshd:" + key, Body: Setting{Service: "sshd", Key: key, Value: NormalizeValue(st.Value)},
				From: From{Source: st.Source, Evidence: ev(st.Evidence)}})
		}
	}
}

// compiledDefaults are settings a distribution's config file spells out although
// the server has the same value built in (MariaDB's server system variables, as
// Debian builds them): a newer file that leaves them out changes nothing, so they
// are not the "non-default lines" a spec expects.
var compiledDefaults = map[string]map[string]string{
	"mariadb": mysqlDefaults,
	"mysql":   mysqlDefaults,
}

var mysqlDefaults = map[string]string{
	"user": "mysql", "basedir": "/usr", "datadir": "/var/lib/mysql", "tmpdir": "/tmp",
	"lc_messages_dir": "/usr/share/mysql", "lc_messages": "en_US", "skip_external_locking": "",
	"pid_file": "/run/mysqld/mysqld.pid", "socket": "/run/mysqld/mysqld.sock", "port": "3306",
}

// settingAliases are keys renamed by newer releases, so the old name on one host and
// the new one on the other are the same setting.
var settingAliases = map[string]string{
	"challengeresponseauthentication": "kbdinteractiveauthentication",
	"pubkeyacceptedkeytypes":          "pubkeyacceptedalgorithms",
	"key_buffer":                      "key_buffer_size",
}

// SettingKey normalises a setting's name: case and the - / _ spelling MySQL accepts
// both of, and renamed keys.
func SettingKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	if a, ok := settingAliases[k]; ok {
		return a
	}
	if a, ok := settingAliases[strings.ReplaceAll(k, "-", "_")]; ok {
		return a
	}
	return strings.ReplaceAll(k, "-", "_")
}

// NormalizeValue collapses whitespace and drops quotes and a list's comma spacing.
func NormalizeValue(v string) string {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	v = strings.ReplaceAll(v, ",", ", ")
	return strings.Join(strings.Fields(v), " ")
}

// goss asks the service's own tool for the value, where there is one to ask.
func (s Setting) goss(g gossfile, _ Expectation) bool {
	var c string
	switch s.Service {
	case "postfix":
		c = "postconf -h " + s.Key
	case "sshd":
		c = "sshd -T | grep -i '^" + s.Key + " '"
	case "mysql", "mariadb":
		c = "my_print_defaults mysqld | grep -i -- '--" + strings.ReplaceAll(s.Key, "_", "[-_]") + "='"
	default:
		return false
	}
	g.command(c, s.Value)
	return true
}
