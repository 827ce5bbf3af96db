package cli

import (
	"context"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// StoredHost is a host of the store with the snapshot of its latest survey.
type StoredHost struct {
	Name  string
	Group string
	Snap  *snapshot.Snapshot
	Info  store.SurveyInfo
}

// Estate reads the latest survey of every host the store holds: the estate as
// the store knows it, by name. A host recorded without a survey is left out; a
// store with no survey at all is the user's error, as is no store.
func (s *Session) Estate(ctx context.Context) ([]StoredHost, error) {
	st, where, err := s.existing(ctx)
	if err != nil {
		return nil, err
	}
	const hint = "Survey the hosts first (trowel survey -i INVENTORY records each in the store), or name snapshot files."
	if st == nil {
		return nil, Errorf(hint, "there is no store at %s", where)
	}
	hosts, err := st.Hosts(ctx)
	if err != nil {
		return nil, StoreError(err)
	}
	var out []StoredHost
	for _, h := range hosts {
		if h.Latest == nil {
			continue
		}
		snap, err := st.Snapshot(ctx, *h.Latest)
		if err != nil {
			return nil, StoreError(err)
		}
		out = append(out, StoredHost{Name: h.Name, Group: h.Group, Snap: snap, Info: *h.Latest})
	}
	if len(out) == 0 {
		return nil, Errorf(hint, "the store at %s holds no survey", where)
	}
	return out, nil
}

// StoredGroup is the group the store knows a host by (its inventory group), ""
// when the host is not in the store or has none.
func (s *Session) StoredGroup(ctx context.Context, host string) string {
	st, _, err := s.existing(ctx)
	if err != nil || st == nil {
		return ""
	}
	h, err := st.FindHost(ctx, host)
	if err != nil {
		return ""
	}
	return h.Group
}
