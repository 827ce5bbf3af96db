package spec

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindKey expects an authorized key to let the same person in.
const KindKey Kind = "key"

// Key is an authorized key of a user, by fingerprint.
type Key struct {
	User        string `yaml:"user,omitempty"`
	Fingerprint string `yaml:"fingerprint,omitempty"`
	Comment     string `yaml:"comment,omitempty"`
}

func (Key) Kind() Kind { return KindKey }

var keyKind = def[Key]{
	sections: []snapshot.Section{snapshot.SectionKeys},
	derive:   (*deriver).keys,
	goss:     Key.goss,
}

func (d *deriver) keys() {
	if !d.usable("authorized keys", snapshot.SectionKeys) {
		return
	}
	for _, u := range d.s.Accounts.Users {
		for _, k := range u.Keys {
			d.add(Expectation{ID: "key:" + u.Name + ":" + k.Fingerprint, Body: Key{User: u.Name, Fingerprint: k.Fingerprint, Comment: k.Comment},
				From: From{Source: k.Source, Evidence: ev(k.Evidence)}})
		}
	}
}

func (k Key) goss(g gossfile, _ Expectation) bool {
	g.command(fmt.Sprintf("ssh-keygen -lf ~%s/.ssh/authorized_keys", k.User), k.Fingerprint)
	return true
}
