package ledger

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindSetting is a setting of a server the host ran with: setting:mariadb:KEY,
// setting:postfix:KEY, setting:sshd:KEY, keyed as trowel spec keys them.
const KindSetting Kind = "setting"

var settingKind = kind{name: KindSetting, read: (*reader).settings,
	tests: []spec.Kind{spec.KindSetting},
	claim: func(e spec.Expectation, subject string) []string {
		server, _, _ := strings.Cut(subject, ":")
		return []string{ID(KindSetting, subject), ID(KindServer, server)}
	}}

// SettingKey is the key of a server's setting.
func SettingKey(server, key string) string {
	if server == "postfix" {
		return server + ":" + strings.TrimSpace(key)
	}
	return server + ":" + spec.SettingKey(key)
}

func (r *reader) settings() {
	mw := r.s.Middleware
	add := func(server string, ss []snapshot.Setting, ev []string) {
		for _, st := range ss {
			if distro.PackagingSetting(server, spec.SettingKey(st.Key)) {
				continue
			}
			r.add(KindSetting, SettingKey(server, st.Key), server+": "+st.Key+" = "+st.Value, st.Source, ev...)
		}
	}
	for _, d := range mw.Databases {
		add(d.Kind, d.Settings, d.Evidence)
	}
	for _, m := range mw.Mail {
		add(m.Kind, m.Settings, m.Evidence)
	}
	for _, c := range mw.Caches {
		add(c.Kind, c.Settings, c.Evidence)
	}
	for _, st := range r.s.Accounts.SSHD {
		r.add(KindSetting, "sshd:"+spec.SettingKey(st.Key), "sshd: "+st.Key+" "+st.Value, st.Source, st.Evidence)
	}
}
