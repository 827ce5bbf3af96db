package ledger

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindShipper is a program that sends the host's logs elsewhere.
const KindShipper Kind = "log_shipper"

// KindDestination is where a shipper sends them: shipper>host:port.
const KindDestination Kind = "log_destination"

var (
	shipperKind = kind{name: KindShipper, read: (*reader).shippers,
		tests: []spec.Kind{spec.KindLogShipper, spec.KindLogFollow},
		claim: func(_ spec.Expectation, subject string) []string {
			name, _, _ := strings.Cut(subject, ":") // log_follow:NAME:/var/log/...
			return []string{ID(KindShipper, name)}
		}}
	destinationKind = kind{name: KindDestination}
)

// DestinationKey is the key of a shipper's destination.
func DestinationKey(shipper string, d snapshot.Endpoint) string {
	return shipper + ">" + d.HostPort()
}

func (r *reader) shippers() {
	for _, sh := range r.s.Logs.Shippers {
		how := "a program of its own"
		if sh.Package != "" {
			how = "package " + sh.Package
		}
		r.add(KindShipper, sh.Name, sh.Name+" ships logs ("+how+")", strings.Join(sh.Configs, ", "), sh.Evidence...)
		for _, d := range sh.Destinations {
			r.add(KindDestination, DestinationKey(sh.Name, d), sh.Name+" sends to "+d.HostPort()+" ("+d.Proto+")", d.Source, sh.Evidence...)
		}
	}
}
