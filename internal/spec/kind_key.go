package spec

import (
	"strings"

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

// goss lists the fingerprints of the file the key was found in (its source, which
// AuthorizedKeysFile may have put outside the home).
func (k Key) goss(g *gossfile, e Expectation) string {
	file := "~" + k.User + "/.ssh/authorized_keys"
	if src := e.From.Source; strings.HasPrefix(src, "/") {
		file, _, _ = strings.Cut(src, ":")
		file = shellWord(file)
	}
	g.command(e, "", "ssh-keygen -lf "+file, gossLine(gossWord(k.Fingerprint)))
	return ""
}
