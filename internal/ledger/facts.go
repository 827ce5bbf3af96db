package ledger

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// kind is a row of the table: one kind of fact, declared in a file of its own
// (fact_*.go) with how its facts are read from a snapshot and which kinds of
// spec expectation test them. Adding a kind is that file and one row here;
// TestEveryKindHasItsParts fails until it has both.
type kind struct {
	name Kind
	// read adds the kind's facts of a snapshot.
	read func(r *reader)
	// tests are the spec kinds whose expectations test facts of this kind; claim
	// names, for one such expectation, the fact it tests (candidates in order of
	// preference: the first the host has wins).
	tests []spec.Kind
	claim func(e spec.Expectation, subject string) []string
}

func kinds() []kind {
	return []kind{
		serviceKind,
		processKind,
		listenerKind,
		cronKind,
		timerKind,
		clockKind,
		shipperKind,
		destinationKind,
		applicationKind,
		dataKind,
		softwareKind,
		packageKind,
		serverKind,
		webModuleKind,
		vhostKind,
		settingKind,
		certificateKind,
		aliasKind,
		relayKind,
		containerKind,
		userKind,
		groupKind,
		sudoKind,
		keyKind,
		sysctlKind,
		firewallKind,
		mountKind,
		hostsKind,
		configKind,
		checkKind,
	}
}

// Kinds lists every kind of fact, in the order a ledger lists them.
var Kinds = func() []Kind {
	var out []Kind
	for _, k := range kinds() {
		out = append(out, k.name)
	}
	return out
}()

// reader reads the facts of one snapshot.
type reader struct {
	s     *snapshot.Snapshot
	facts []Fact
	seen  map[string]int
}

// add records a fact; a second fact with the key of one already read is told
// apart by #2, #3, as spec tells two expectations of one subject apart.
func (r *reader) add(k Kind, key, title, source string, evidence ...string) *Fact {
	id := ID(k, key)
	if n := r.seen[id]; n > 0 {
		r.seen[id] = n + 1
		key = fmt.Sprintf("%s#%d", key, n+1)
		id = ID(k, key)
	} else {
		r.seen[id] = 1
	}
	var ev []string
	for _, e := range evidence {
		if e != "" {
			ev = append(ev, e)
		}
	}
	r.facts = append(r.facts, Fact{ID: id, Kind: k, Key: key, Title: title, Source: source, Evidence: ev})
	return &r.facts[len(r.facts)-1]
}

// Facts are everything s says its host did that a migration must keep, in the
// table's order, each with the expectations of trowel spec that test it.
func Facts(s *snapshot.Snapshot) []Fact {
	r := &reader{s: s, seen: map[string]int{}}
	for _, k := range kinds() {
		if k.read != nil {
			k.read(r)
		}
	}
	attach(r, spec.Derive(s, ""))
	return r.facts
}

// attach gives each fact the expectations that test it. An expectation that no
// fact claims becomes a fact of its own (kind check): whatever trowel verify
// would check of the new host is in the ledger.
func attach(r *reader, sp *spec.Spec) {
	index := map[string]int{}
	for i, f := range r.facts {
		index[f.ID] = i
	}
	claimers := map[spec.Kind]kind{}
	for _, k := range kinds() {
		for _, t := range k.tests {
			claimers[t] = k
		}
	}
	for _, e := range sp.Expectations {
		subject := e.ID
		if _, rest, ok := strings.Cut(e.ID, ":"); ok {
			subject = rest
		}
		i, ok := -1, false
		if app := servedApp(r.s, e, subject); app != "" {
			i, ok = index[ID(KindApplication, app)]
		}
		if k, known := claimers[e.Kind()]; known && !ok {
			for _, id := range k.claim(e, subject) {
				if i, ok = index[id]; ok {
					break
				}
				// A second expectation of one subject (#2) is the same fact's when
				// the host has only one.
				if base, _, cut := strings.Cut(id, "#"); cut {
					if i, ok = index[base]; ok {
						break
					}
				}
			}
		}
		if !ok {
			f := r.add(KindCheck, e.ID, "trowel verify expects "+e.ID, e.From.Source, e.From.Evidence...)
			i = len(r.facts) - 1
			index[f.ID] = i
		}
		r.facts[i].Checks = append(r.facts[i].Checks, e.ID)
	}
}

// servedApp is the application tree a check tests through what serves it: a
// process running in the tree (its cwd), or the site whose vhost serves it. Such a
// check passes on the new host only once the tree has moved, so it is the
// application's, not the web server's.
func servedApp(s *snapshot.Snapshot, e spec.Expectation, subject string) string {
	var pid, site, port string
	switch e.Kind() {
	case spec.KindProcess:
		rest, ok := strings.CutPrefix(e.From.Source, "pid ")
		if !ok {
			return ""
		}
		pid, _, _ = strings.Cut(rest, ":")
	case spec.KindHTTP:
		name, rest, _ := strings.Cut(subject, ":") // NAME:PORT/PATH
		site, port = name, strings.SplitN(rest, "/", 2)[0]
	default:
		return ""
	}
	for _, a := range s.Middleware.Apps {
		for _, sp := range a.ServedBy {
			if pid != "" && sp.Directive == "cwd" && sp.Source == "/proc/"+pid {
				return a.Path
			}
			// "apache redmine.example.co.jp *:80"
			if f := strings.Fields(sp.By); site != "" && len(f) >= 2 && f[1] == site &&
				(len(f) == 2 || strings.HasSuffix(f[2], ":"+port) || f[2] == port) {
				return a.Path
			}
		}
	}
	return ""
}

// one claims the fact of kind k whose key is the expectation's subject.
func one(k Kind) func(spec.Expectation, string) []string {
	return func(_ spec.Expectation, subject string) []string { return []string{ID(k, subject)} }
}

// KindCheck is an expectation of trowel spec that no other fact accounts for.
const KindCheck Kind = "check"

var checkKind = kind{name: KindCheck}
