package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// ConcernConnections are the outbound dependencies: the remote endpoints the host
// connects to.
const ConcernConnections Concern = "connections"

var connectionsConcern = concern{id: ConcernConnections, section: snapshot.SectionConns, read: eachSide(connectionItems)}

func connectionItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, cn := range s.Network.Connections {
		// Connections to the host itself move with it; a remote port in the
		// ephemeral range is the far end of something this host serves.
		if cn.Local || cn.RemotePort >= snapshot.EphemeralFrom {
			continue
		}
		ep := cn.Family() + " " + cn.HostPort()
		label := ep
		if cn.Purpose != "" {
			label += " (" + cn.Purpose + ")"
		}
		refs := append([]string{}, cn.ConfigRefs...)
		out = append(out, item{key: ep, label: label, refs: snapshot.AppendNew(refs, cn.Evidence)})
	}
	return merge(out)
}
