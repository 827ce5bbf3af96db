// Package profile says where a survey's time went on the target, from the timings
// the evidence itself records: the costliest items, and the cost of each domain of
// the probe's plan. It reads what the probe measured (the target's uptime before and
// after each item), so it needs nothing from the target beyond the evidence, and a
// kept archive can be profiled again at any time.
package profile

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
)

// Unplanned is the domain of items no step of the probe's plan writes: trowel's own
// records (the answers it asked the services for) or a newer probe's items.
const Unplanned = "other"

// Item is the cost of one evidence item.
type Item struct {
	ID      string
	Domain  string
	Seconds float64
	Status  evidence.Status
}

// Domain is the cost of a domain's items together.
type Domain struct {
	Name    string
	Items   int
	Seconds float64
}

// Profile is the cost of a survey's items, costliest first.
type Profile struct {
	Items   []Item
	Domains []Domain
	// Total is the sum of the items' times; Span the time from the probe's start to
	// the end of its last item, which includes what it did between items.
	Total, Span float64
	// Timed counts the items with a time. Evidence read offline, or written by a
	// probe on a host without /proc/uptime, has none.
	Timed int
}

// Of profiles an archive.
func Of(a *evidence.Archive) Profile {
	var p Profile
	byDomain := map[string]*Domain{}
	last := 0.0
	for _, it := range a.Items {
		if it.Start == 0 {
			continue
		}
		s := it.Duration()
		d := probe.DomainOf(string(it.Kind), it.Name)
		if d == "" {
			d = Unplanned
		}
		p.Items = append(p.Items, Item{ID: it.ID(), Domain: d, Seconds: s, Status: it.Status})
		if byDomain[d] == nil {
			byDomain[d] = &Domain{Name: d}
		}
		byDomain[d].Items++
		byDomain[d].Seconds += s
		p.Total += s
		p.Timed++
		if it.Kind != evidence.KindMeta && it.End > last {
			last = it.End
		}
	}
	if start, err := strconv.ParseFloat(a.Header["uptime"], 64); err == nil && start > 0 && last >= start {
		p.Span = last - start
	}
	for _, d := range byDomain {
		p.Domains = append(p.Domains, *d)
	}
	sort.SliceStable(p.Items, func(i, j int) bool { return p.Items[i].Seconds > p.Items[j].Seconds })
	sort.Slice(p.Domains, func(i, j int) bool {
		if p.Domains[i].Seconds != p.Domains[j].Seconds {
			return p.Domains[i].Seconds > p.Domains[j].Seconds
		}
		return p.Domains[i].Name < p.Domains[j].Name
	})
	return p
}

// Write prints the top costliest items and every domain's cost as two tables.
func (p Profile) Write(w io.Writer, top int) error {
	var b strings.Builder
	if p.Timed == 0 {
		b.WriteString("probe profile: the evidence records no item times (read offline, or no /proc/uptime on the target)\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "probe profile: %d items took %.2f s on the target", p.Timed, p.Total)
	if p.Span > 0 {
		fmt.Fprintf(&b, " (the probe ran %.2f s)", p.Span)
	}
	b.WriteString("; times are the target's uptime, in steps of 10 ms\n")
	fmt.Fprintf(&b, "\n%-8s %-6s  %-10s  %s\n", "seconds", "share", "domain", "costliest items")
	for _, it := range p.Items[:min(top, len(p.Items))] {
		fmt.Fprintf(&b, "%8.2f %6s  %-10s  %s", it.Seconds, share(it.Seconds, p.Total), it.Domain, it.ID)
		if it.Status != evidence.StatusOK {
			fmt.Fprintf(&b, " (%s)", it.Status)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n%-8s %-6s  %-10s  %s\n", "seconds", "share", "domain", "items")
	for _, d := range p.Domains {
		fmt.Fprintf(&b, "%8.2f %6s  %-10s  %d\n", d.Seconds, share(d.Seconds, p.Total), d.Name, d.Items)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func share(s, total float64) string {
	if total <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*s/total)
}
