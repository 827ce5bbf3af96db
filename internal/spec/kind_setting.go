package spec

import (
	"regexp"
	"slices"
	"strconv"
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
	add := func(sec, service string, ss []snapshot.Setting, ev []string) {
		if d.s.ServiceIdle(service) {
			return // a server that neither ran nor started at boot: not what the host did
		}
		for _, st := range ss {
			if st.CommandLine {
				continue // how this host starts the server, not its configuration
			}
			key := SettingKey(st.Key)
			if dflt, ok := compiledDefaults[sec][key]; ok && dflt == NormalizeValue(st.Value) {
				continue
			}
			if distro.PackagingSetting(sec, key) {
				continue // the target's package sets its own
			}
			if sec == "postfix" {
				// Postfix's names are case-sensitive (smtp_tls_CApath): kept as
				// postconf prints them, so postconf can be asked for them.
				key = strings.TrimSpace(st.Key)
			}
			d.add(Expectation{ID: "setting:" + sec + ":" + key, Body: Setting{Service: sec, Key: key, Value: NormalizeValue(st.Value)},
				From: From{Source: st.Source, Evidence: ev}})
		}
	}
	if d.usable("mysql settings", snapshot.SectionMySQL) && d.usable("postgresql settings", snapshot.SectionPostgreSQL) {
		for _, db := range mw.Databases {
			add(db.Kind, db.Service, db.Settings, db.Evidence)
		}
	}
	if d.usable("mail settings", snapshot.SectionPostfix) {
		for _, m := range mw.Mail {
			add(m.Kind, m.Service, m.Settings, m.Evidence)
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
// both of, and renamed keys. Two names are the same setting when their SettingKeys
// are equal (a spec keeps a Postfix name in its own case).
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

// goss asks the service's own tool for the value in force, where there is one to
// ask without credentials: postconf, sshd -T, my_print_defaults.
func (s Setting) goss(g *gossfile, e Expectation) string {
	switch s.Service {
	case "postfix":
		g.command(e, "", "postconf -h "+shellWord(s.Key), gossLine(`^`+gossValue(s.Value)+`\s*$`))
	case "sshd":
		return sshdSetting(g, e, s)
	case "mysql", "mariadb":
		key := strings.ReplaceAll(regexp.QuoteMeta(s.Key), "_", "[-_]")
		value := `(=` + gossValue(s.Value) + `)?`
		if s.Value != "" {
			value = `=` + gossValue(s.Value)
		}
		g.command(e, "", "my_print_defaults mysqld server mariadb mariadbd", gossLine(`^--(?i:`+key+`)`+value+`\s*$`))
	default:
		return "no tool of " + s.Service + " prints its settings without its credentials"
	}
	return ""
}

// sshdSetting finds a setting among what sshd -T prints: the configuration in force,
// every keyword in lower case, yes and no as words, one line per user, group and
// port of a list ("AllowUsers alice bob" is two lines), an address with its port.
// A setting renamed since (ChallengeResponseAuthentication) may be printed under
// either name, depending on the release. Where sshd cannot run (never started since
// boot, so /run/sshd is missing; no host keys yet) the configuration files are read
// as written instead, so each pattern also takes the line as sshd_config has it.
func sshdSetting(g *gossfile, e Expectation, s Setting) string {
	switch {
	case strings.HasPrefix(s.Key, "match "):
		return "sshd -T prints the settings outside Match blocks, and no connection to match is known"
	case s.Key == "include":
		return "sshd -T prints what an Include brings in, not the Include"
	case s.Key == "protocol" || s.Key == "rsaauthentication":
		return "OpenSSH 7.4 dropped SSH protocol 1 and the settings of it, which sshd -T no longer prints"
	}
	names := []string{regexp.QuoteMeta(s.Key)}
	for old, now := range settingAliases {
		if now == s.Key {
			names = append(names, regexp.QuoteMeta(old))
		}
	}
	slices.Sort(names[1:])
	key := `(?i)^\s*(` + strings.Join(names, "|") + `)(\s+|\s*=\s*)`
	var patterns []string
	switch s.Key {
	case "allowusers", "denyusers", "allowgroups", "denygroups", "port":
		for _, w := range strings.Fields(s.Value) {
			patterns = append(patterns, gossLine(key+`(\S+\s+)*`+regexp.QuoteMeta(w)+`(\s|$)`))
		}
	case "listenaddress":
		addr, _, _ := strings.Cut(strings.TrimSpace(s.Value), " ") // an rdomain may follow
		host, port := snapshot.SplitListen(addr)
		p := `(:\d+)?`
		if port != 0 {
			p = ":" + strconv.Itoa(port)
		}
		patterns = append(patterns, gossLine(key+`\[?`+regexp.QuoteMeta(host)+`\]?`+p+`(\s|$)`))
	case "permitrootlogin":
		v := gossValue(s.Value)
		if s.Value == "without-password" || s.Value == "prohibit-password" {
			v = "(without-password|prohibit-password)" // one setting, printed by either name
		}
		patterns = append(patterns, gossLine(key+v+`\s*$`))
	default:
		patterns = append(patterns, gossLine(key+gossValue(s.Value)+`\s*$`))
	}
	g.command(e, "", sshdConfig, patterns...)
	return ""
}

// sshdConfig prints the configuration sshd would run with, else as it is written.
const sshdConfig = "sshd -T 2>/dev/null || cat /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf 2>/dev/null; true"
