package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// ConcernShippers are the log shippers: whether each runs and where it sends.
const ConcernShippers Concern = "log_shippers"

var shippersConcern = concern{id: ConcernShippers, section: snapshot.SectionShippers, read: eachSide(shipperItems)}

func shipperItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, sh := range s.Logs.Shippers {
		var dest []string
		for _, d := range sh.Destinations {
			dest = append(dest, destination(d))
		}
		out = append(out, item{
			key:    "shipper " + sh.Name,
			label:  sh.Name,
			fields: []field{{"running", boolValue(sh.Running)}, {"destinations", setValue(dest)}},
			refs:   shipperRefs(sh),
		})
	}
	return out
}

// destination is where a shipper sends, with the protocol it speaks:
// "10.0.0.40:24224/forward".
func destination(e snapshot.Endpoint) string {
	if e.Proto == "" {
		return e.HostPort()
	}
	return e.HostPort() + "/" + e.Proto
}

func shipperRefs(sh snapshot.LogShipper) []string {
	var out []string
	for _, d := range sh.Destinations {
		out = snapshot.AppendNew(out, d.Source)
	}
	return snapshot.AppendNew(out, sh.Evidence...)
}
