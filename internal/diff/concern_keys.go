package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// ConcernKeys are the authorized SSH keys, by account and fingerprint.
const ConcernKeys Concern = "authorized_keys"

var keysConcern = concern{id: ConcernKeys, section: snapshot.SectionKeys, read: eachSide(keyItems)}

func keyItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, u := range s.Accounts.Users {
		for _, k := range u.Keys {
			label := u.Name + ": " + k.Type + " " + k.Fingerprint
			if k.Comment != "" {
				label += " " + k.Comment
			}
			out = append(out, item{
				key:    u.Name + "\x00" + k.Fingerprint,
				label:  label,
				fields: []field{{"options", setValue(k.Options)}},
				refs:   []string{ref(k.Source, 0, "")},
			})
		}
	}
	return merge(out)
}
