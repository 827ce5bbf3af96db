package ledger

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/spec"
)

// KindUser is an account a person or a service logs in or runs as (the
// distribution's own system accounts are no one's decision).
const KindUser Kind = "user"

// KindGroup is a group with members, or a person's.
const KindGroup Kind = "group"

// KindSudo is a rule of sudoers: sudo:WHO.
const KindSudo Kind = "sudo"

// KindKey is a key that may log in: authorized_key:USER:FINGERPRINT.
const KindKey Kind = "authorized_key"

var (
	userKind  = kind{name: KindUser, read: (*reader).users, tests: []spec.Kind{spec.KindUser}, claim: one(KindUser)}
	groupKind = kind{name: KindGroup, read: (*reader).groups, tests: []spec.Kind{spec.KindGroup}, claim: one(KindGroup)}
	sudoKind  = kind{name: KindSudo, read: (*reader).sudo, tests: []spec.Kind{spec.KindSudo}, claim: one(KindSudo)}
	keyKind   = kind{name: KindKey, read: (*reader).keys, tests: []spec.Kind{spec.KindKey}, claim: one(KindKey)}
)

func (r *reader) users() {
	for _, u := range r.s.Accounts.Users {
		if u.Kind == "system" {
			continue
		}
		r.add(KindUser, u.Name, u.Kind+" account "+u.Name+" (uid "+strconv.Itoa(u.UID)+")", "/etc/passwd", u.Evidence...)
	}
}

func (r *reader) groups() {
	min := r.s.Accounts.UIDMin
	if min == 0 {
		min = 1000
	}
	for _, g := range r.s.Accounts.Groups {
		if g.GID == 65534 || (g.GID < min && len(g.Members) == 0) {
			continue
		}
		title := "group " + g.Name + " (gid " + strconv.Itoa(g.GID) + ")"
		if len(g.Members) > 0 {
			title += " of " + joinComma(g.Members)
		}
		r.add(KindGroup, g.Name, title, "/etc/group", g.Evidence)
	}
}

func (r *reader) sudo() {
	for _, s := range r.s.Accounts.Sudo {
		title := s.Who + " may run " + joinComma(s.Commands)
		if s.RunAs != "" {
			title += " as " + s.RunAs
		}
		if s.NoPasswd {
			title += " without a password"
		}
		r.add(KindSudo, s.Who, title, s.Source, s.Evidence)
	}
}

func (r *reader) keys() {
	for _, u := range r.s.Accounts.Users {
		for _, k := range u.Keys {
			r.add(KindKey, u.Name+":"+k.Fingerprint, k.Type+" key "+k.Comment+" may log in as "+u.Name, k.Source, k.Evidence)
		}
	}
}
