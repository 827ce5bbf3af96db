package ledger

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// KindListener is a port the host listened on (tcp and tcp6 alike are one).
const KindListener Kind = "listener"

var listenerKind = kind{name: KindListener, read: (*reader).listeners,
	tests: []spec.Kind{spec.KindPort},
	claim: func(_ spec.Expectation, subject string) []string {
		// port:tcp/25@loopback expects it on the loopback only: the same port.
		port, _, _ := strings.Cut(subject, "@")
		return []string{ID(KindListener, port)}
	}}

func (r *reader) listeners() {
	type group struct {
		addrs, by []string
		ephemeral string
		evidence  []string
	}
	groups := map[string]*group{}
	var order []string
	for _, l := range r.s.Listeners {
		key := fmt.Sprintf("%s/%d", l.Family(), l.Port)
		g, ok := groups[key]
		if !ok {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		g.addrs = appendNew(g.addrs, l.Address)
		g.by = appendNew(g.by, firstOf(l.Service, l.Process))
		g.evidence = appendNew(g.evidence, l.Evidence)
		if l.Ephemeral != "" {
			g.ephemeral = l.Ephemeral
		}
	}
	for _, key := range order {
		g := groups[key]
		title := key + " on " + strings.Join(g.addrs, ", ")
		if by := strings.Join(slices.DeleteFunc(g.by, func(s string) bool { return s == "" }), ", "); by != "" {
			title += " (" + by + ")"
		}
		if g.ephemeral != "" {
			title += ": " + g.ephemeral
		}
		r.add(KindListener, key, title, "", g.evidence...)
	}
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
