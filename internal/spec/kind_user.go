package spec

import "github.com/trowel-dev/trowel/internal/snapshot"

// KindUser expects an account to exist, with its groups and shell.
const KindUser Kind = "user"

// User is an account that is not the system's own.
type User struct {
	Name   string   `yaml:"name,omitempty"`
	UID    *int     `yaml:"uid,omitempty"`
	Groups []string `yaml:"groups,omitempty"`
	Shell  string   `yaml:"shell,omitempty"`
	Home   string   `yaml:"home,omitempty"`
}

func (User) Kind() Kind { return KindUser }

var userKind = def[User]{
	sections: []snapshot.Section{snapshot.SectionAccounts},
	derive:   (*deriver).users,
	goss:     User.goss,
}

func (d *deriver) users() {
	if !d.usable("users and groups", snapshot.SectionAccounts) {
		return
	}
	for _, u := range d.s.Accounts.Users {
		if u.Kind == "system" {
			continue
		}
		b := User{Name: u.Name, UID: snapshot.Int(u.UID), Groups: u.Groups, Home: u.Home, Shell: u.Shell}
		if u.Kind == "service" {
			// A package creates its service account; its home and shell are the
			// package's choice on each release.
			b.Home, b.Shell = "", ""
		}
		d.add(Expectation{ID: "user:" + u.Name, Body: b, Allow: []string{AllowUID},
			From: From{Source: "/etc/passwd", Evidence: u.Evidence}})
	}
}

// goss's user resource reads /etc/passwd and /etc/group; its groups are the
// user's primary and supplementary groups, of which the expected ones must be some.
func (u User) goss(g *gossfile, e Expectation) string {
	a := map[string]any{"exists": true}
	if u.UID != nil && !e.Allows(AllowUID) {
		a["uid"] = *u.UID
	}
	if u.Home != "" {
		a["home"] = u.Home
	}
	if u.Shell != "" {
		a["shell"] = u.Shell
	}
	if len(u.Groups) > 0 {
		a["groups"] = u.Groups
	}
	g.put("user", u.Name, e, a)
	return ""
}
