package diff

import (
	"net"
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernShippers are the log shippers: whether each runs and where it sends.
const ConcernShippers Concern = "log_shippers"

var shippersConcern = concern{id: ConcernShippers, section: snapshot.SectionShippers, read: eachSide(shipperItems)}

func shipperItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, sh := range s.Logs.Shippers {
		var dest []string
		for _, d := range sh.Destinations {
			dest = append(dest, endpoint(d))
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

func endpoint(e snapshot.Endpoint) string {
	s := e.Host
	if e.Port != 0 {
		s = net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
	}
	if e.Proto != "" {
		s += "/" + e.Proto
	}
	return s
}

func shipperRefs(sh snapshot.LogShipper) []string {
	var out []string
	for _, d := range sh.Destinations {
		out = appendUnique(out, d.Source)
	}
	return appendUnique(out, sh.Evidence...)
}
