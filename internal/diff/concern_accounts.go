package diff

import (
	"cmp"
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Users and groups are read from one section, and across platforms both leave
// out system accounts: each distribution makes its own (rpc, haldaemon; _apt,
// systemd-network), and the packages that need them make them.
const (
	ConcernUsers  Concern = "users"
	ConcernGroups Concern = "groups"
)

var (
	usersConcern  = concern{id: ConcernUsers, section: snapshot.SectionAccounts, read: userItems}
	groupsConcern = concern{id: ConcernGroups, section: snapshot.SectionAccounts, read: groupItems}
)

// ownAccounts are the accounts that are a human's or a service's on either host:
// they are compared on both, even where one host has them as bare system accounts
// (www-data runs the site on OLD and is a bare system account on a NEW that does
// not run it yet).
func ownAccounts(h *hosts) map[string]bool {
	ours := map[string]bool{}
	for _, s := range []*snapshot.Snapshot{h.old, h.new} {
		for _, u := range s.Accounts.Users {
			if u.Kind != "system" {
				ours[u.Name] = true
			}
		}
	}
	return ours
}

func userItems(h *hosts) (olds, news []item) {
	ours := ownAccounts(h)
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, u := range s.Accounts.Users {
			if h.cross && !ours[u.Name] {
				continue
			}
			out = append(out, item{
				key:   u.Name,
				label: u.Name,
				fields: []field{
					{"uid", strconv.Itoa(u.UID)},
					{"group", u.Group},
					{"groups", setValue(u.Groups)},
					{"shell", u.Shell},
					{"home", u.Home},
				},
				refs: refs(u.Evidence),
			})
		}
		return out
	}
	return read(h.old), read(h.new)
}

// groupItems are the groups. Across platforms a group is compared when it is in
// the user range or belongs to an account that is compared: deploy's group is the
// host's, wheel and adm are the distribution's.
func groupItems(h *hosts) (olds, news []item) {
	ours := ownAccounts(h)
	read := func(s *snapshot.Snapshot) []item {
		uidMin := cmp.Or(s.Accounts.UIDMin, 1000)
		ownGroup := map[string]bool{}
		for _, u := range s.Accounts.Users {
			if ours[u.Name] {
				ownGroup[u.Group] = true
			}
		}
		var out []item
		for _, g := range s.Accounts.Groups {
			if h.cross && g.GID < uidMin && !ownGroup[g.Name] && !ours[g.Name] {
				continue
			}
			out = append(out, item{
				key:    g.Name,
				label:  g.Name,
				fields: []field{{"gid", strconv.Itoa(g.GID)}, {"members", setValue(g.Members)}},
				refs:   []string{g.Evidence},
			})
		}
		return out
	}
	return read(h.old), read(h.new)
}
