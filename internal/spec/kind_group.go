package spec

import "github.com/trowel-dev/trowel/internal/snapshot"

// KindGroup expects a group to exist, with its members.
const KindGroup Kind = "group"

// Group is a group somebody made: a human one, or one with members.
type Group struct {
	Name    string   `yaml:"name,omitempty"`
	GID     *int     `yaml:"uid,omitempty"` // written "uid", as the spec format has always had it
	Members []string `yaml:"members,omitempty"`
}

func (Group) Kind() Kind { return KindGroup }

var groupKind = def[Group]{
	sections: []snapshot.Section{snapshot.SectionAccounts},
	derive:   (*deriver).groups,
	goss:     Group.goss,
}

func (d *deriver) groups() {
	if !d.usable("users and groups", snapshot.SectionAccounts) {
		return
	}
	min := d.s.Accounts.UIDMin
	if min == 0 {
		min = 1000
	}
	for _, g := range d.s.Accounts.Groups {
		// System groups are the packages'; a group with members, or a human
		// one, is somebody's decision.
		if g.GID == 65534 || (g.GID < min && len(g.Members) == 0) {
			continue
		}
		d.add(Expectation{ID: "group:" + g.Name, Body: Group{Name: g.Name, GID: snapshot.Int(g.GID), Members: g.Members},
			Allow: []string{AllowUID}, From: From{Source: "/etc/group", Evidence: ev(g.Evidence)}})
	}
}

func (gr Group) goss(g *gossfile, e Expectation) string {
	a := map[string]any{"exists": true}
	if gr.GID != nil && !e.Allows(AllowUID) {
		a["gid"] = *gr.GID
	}
	g.put("group", gr.Name, e, a)
	return ""
}
