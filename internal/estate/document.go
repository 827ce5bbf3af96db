package estate

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/report"
)

// Document lays the map out as a report in lang ("en" or "ja"), in the handover
// document's form: a summary, the drawing (HTML only; Markdown says where to find
// it), the hosts, the connections with their evidence, the systems outside, the
// waves, the duplicated work and what the map could not see. generated is the
// time the document says it was made.
func Document(m *Map, lang string, generated time.Time) *report.Document {
	return document(m, lang, generated, true)
}

// document is Document; without drawn the drawing section holds only the words
// describing it (Markdown shows nothing more, and a thousand hosts take time to
// draw).
func document(m *Map, lang string, generated time.Time, drawn bool) *report.Document {
	if _, ok := catalogs[lang]; !ok {
		lang = "en"
	}
	b := docBuilder{m: m, lang: lang, names: map[string]string{}}
	for _, h := range m.Hosts {
		b.names[h.ID] = h.Name
	}
	for _, p := range m.Outside {
		b.names[p.ID] = p.Address
	}
	d := &report.Document{
		Lang:      lang,
		Title:     b.t("title"),
		Subtitle:  b.t("subtitle", len(m.Hosts), len(m.Edges), len(m.Outside), len(m.Waves)),
		Generated: generated,
	}
	if len(m.Groups) > 0 {
		d.Meta = append(d.Meta, report.Pair{Label: b.t("meta.groups"), Value: strings.Join(m.Groups, ", ")})
	}
	d.Sections = []*report.Section{b.summary(), b.drawing(drawn), b.hosts(), b.edges(), b.outside(), b.waves(), b.duplicates(), b.gaps()}
	return d
}

type docBuilder struct {
	m     *Map
	lang  string
	names map[string]string // host and peer IDs to what a reader calls them
}

func (b docBuilder) t(key string, args ...any) string {
	s := label(b.lang, key)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func (b docBuilder) name(e End) string { return cmp.Or(b.names[e.ID()], e.ID()) }

func (b docBuilder) hostNames(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = cmp.Or(b.names[id], id)
	}
	return strings.Join(out, ", ")
}

func (b docBuilder) section(id string, blocks ...report.Block) *report.Section {
	return &report.Section{ID: id, Title: b.t("sec." + id), Intro: b.t("intro." + id), Blocks: blocks}
}

func (b docBuilder) summary() *report.Section {
	m := b.m
	known, gaps := 0, 0
	for _, e := range m.Edges {
		if e.From.Known && e.To.Known {
			known++
		}
	}
	for _, h := range m.Hosts {
		if len(h.Gaps) > 0 {
			gaps++
		}
	}
	facts := &report.Facts{Pairs: []report.Pair{
		{Label: b.t("sum.hosts"), Value: strconv.Itoa(len(m.Hosts))},
		{Label: b.t("sum.edges"), Value: b.t("sum.edges.value", len(m.Edges), known)},
		{Label: b.t("sum.outside"), Value: strconv.Itoa(len(m.Outside))},
		{Label: b.t("sum.waves"), Value: strconv.Itoa(len(m.Waves))},
		{Label: b.t("sum.duplicates"), Value: strconv.Itoa(len(m.Duplicates))},
		{Label: b.t("sum.gaps"), Value: strconv.Itoa(gaps)},
	}}
	return b.section("summary", facts, &report.Paragraph{Text: b.t("sum.rule")})
}

func (b docBuilder) drawing(drawn bool) *report.Section {
	fig := &report.Figure{Alt: b.t("drawing.alt", len(b.m.Hosts), len(b.m.Edges), len(b.m.Outside), len(b.m.Waves))}
	if drawn {
		fig.SVG = svg(b.m, b.lang, "map")
	}
	return b.section("drawing", fig)
}

func (b docBuilder) hosts() *report.Section {
	t := &report.Table{
		Explain: b.t("hosts.explain"),
		Columns: []report.Column{{Title: b.t("col.host")}, {Title: b.t("col.group")}, {Title: b.t("col.addresses"), Code: true},
			{Title: b.t("col.os")}, {Title: b.t("col.for")}, {Title: b.t("col.wave"), Numeric: true},
			{Title: b.t("col.talks_to")}, {Title: b.t("col.talked_to_by")}},
		Empty: b.t("hosts.empty"),
	}
	out, in := map[string]*peersOf{}, map[string]*peersOf{}
	for _, e := range b.m.Edges {
		if e.From.Known {
			addPeer(out, e.From.Host, b.name(e.To), edgeLabel(e))
		}
		if e.To.Known {
			addPeer(in, e.To.Host, b.name(e.From), edgeLabel(e))
		}
	}
	for _, h := range b.m.Hosts {
		t.Rows = append(t.Rows, []report.Cell{
			{Text: h.Name}, {Text: h.Group}, {Text: strings.Join(h.Addresses, ", ")}, {Text: h.OS},
			{Text: cmp.Or(strings.Join(h.For, "; "), b.t("hosts.for_none"))},
			{Text: strconv.Itoa(h.Wave), Sort: fmt.Sprintf("%06d", h.Wave)},
			{Text: cmp.Or(out[h.ID].String(), b.t("none"))}, {Text: cmp.Or(in[h.ID].String(), b.t("none"))},
		})
	}
	return b.section("hosts", t)
}

// peersOf are the systems one host talks to (or that talk to it), each with the
// services, in the order first met: "db (mysql:3306); collector (syslog:514,
// smtp:25)".
type peersOf struct {
	names    []string
	services map[string][]string
}

// addPeer notes that host talks to (or is talked to by) name's service.
func addPeer(of map[string]*peersOf, host, name, service string) {
	p := of[host]
	if p == nil {
		p = &peersOf{services: map[string][]string{}}
		of[host] = p
	}
	if _, ok := p.services[name]; !ok {
		p.names = append(p.names, name)
	}
	p.services[name] = appendNew(p.services[name], service)
}

func (p *peersOf) String() string {
	if p == nil {
		return ""
	}
	parts := make([]string, len(p.names))
	for i, n := range p.names {
		parts[i] = n + " (" + strings.Join(p.services[n], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

func (b docBuilder) edges() *report.Section {
	t := &report.Table{
		Explain: b.t("edges.explain"),
		Columns: []report.Column{{Title: b.t("col.from")}, {Title: b.t("col.to")}, {Title: b.t("col.service")},
			{Title: b.t("col.port"), Numeric: true}, {Title: b.t("col.ends")}, {Title: b.t("col.listening")}, {Title: b.t("col.evidence")}},
		Empty: b.t("edges.empty"),
	}
	for _, e := range b.m.Edges {
		port := ""
		if e.Port != 0 {
			port = e.Proto + "/" + strconv.Itoa(e.Port)
			if e.PortAssumed {
				port += " " + b.t("port.assumed")
			}
		}
		var evs []string
		for _, ev := range e.Evidence {
			evs = append(evs, b.evidence(ev))
		}
		t.Rows = append(t.Rows, []report.Cell{
			{Text: b.name(e.From)}, {Text: b.name(e.To)}, {Text: e.Service}, {Text: port, Sort: fmt.Sprintf("%06d", e.Port)},
			{Text: b.ends(e)}, {Text: b.listening(e.Listening)}, {Text: strings.Join(evs, "; ")},
		})
	}
	return b.section("edges", t)
}

func (b docBuilder) ends(e Edge) string {
	switch {
	case e.From.Known && e.To.Known:
		return b.t("ends.both")
	case e.From.Known:
		return b.t("ends.to_outside")
	}
	return b.t("ends.from_outside")
}

func (b docBuilder) listening(l *bool) string {
	switch {
	case l == nil:
		return b.t("listening.unknown")
	case *l:
		return b.t("listening.yes")
	}
	return b.t("listening.no")
}

// evidence tells one piece of evidence in a sentence: who says it, where, and
// how the name it gives was matched.
func (b docBuilder) evidence(ev Evidence) string {
	host := cmp.Or(b.names[ev.Host], ev.Host)
	var s string
	switch ev.Kind {
	case kindConfig:
		via := b.t("via." + ev.Via)
		if ev.What != "" {
			via += " " + ev.What
		}
		s = b.t("ev.config", host, ev.Source, via, ev.Named)
	case kindConnection:
		s = b.t("ev.connection", host, cmp.Or(ev.What, b.t("ev.a_process")), ev.Named, b.when(ev), ev.Source)
	default:
		s = b.t("ev.client", host, ev.Named, cmp.Or(ev.What, b.t("ev.a_service")), b.when(ev), ev.Source)
	}
	if r := ev.Resolved; r != nil && r.By != byAddress {
		if r.By == byHostsFile {
			s += " " + b.t("res.hosts_file", r.Source, r.Address)
		} else {
			s += " " + b.t("res."+r.By)
		}
	}
	if ev.Note != "" {
		s += " (" + b.t("note."+ev.Note) + ")"
	}
	return s
}

// when says when an observation was made: over a window, or at the survey.
func (b docBuilder) when(ev Evidence) string {
	stamp := func(t *time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	switch {
	case ev.FirstSeen != nil && ev.LastSeen != nil:
		return b.t("when.window", stamp(ev.FirstSeen), stamp(ev.LastSeen), ev.Samples)
	case ev.Observed != nil:
		return b.t("when.at", stamp(ev.Observed))
	}
	return b.t("when.unknown")
}

func (b docBuilder) outside() *report.Section {
	t := &report.Table{
		Explain: b.t("outside.explain"),
		Columns: []report.Column{{Title: b.t("col.peer"), Code: true}, {Title: b.t("col.names"), Code: true}, {Title: b.t("col.service")},
			{Title: b.t("col.used_by")}, {Title: b.t("col.connects_to")}, {Title: b.t("col.note")}},
		Empty: b.t("outside.empty"),
	}
	for _, p := range b.m.Outside {
		var notes []string
		if p.Unresolved {
			notes = append(notes, b.t("outside.unresolved"))
		}
		if len(p.Ambiguous) > 0 {
			notes = append(notes, b.t("outside.ambiguous", b.hostNames(p.Ambiguous)))
		}
		t.Rows = append(t.Rows, []report.Cell{
			{Text: p.Address}, {Text: strings.Join(p.Names, ", ")}, {Text: strings.Join(p.Services, ", ")},
			{Text: b.hostNames(p.Users)}, {Text: b.hostNames(p.Clients)}, {Text: strings.Join(notes, " ")},
		})
	}
	return b.section("outside", t)
}

func (b docBuilder) waves() *report.Section {
	t := &report.Table{
		Explain: b.t("waves.explain"),
		Columns: []report.Column{{Title: b.t("col.wave"), Numeric: true}, {Title: b.t("col.hosts")}, {Title: b.t("col.why")},
			{Title: b.t("col.after")}, {Title: b.t("col.rollback")}},
		Empty: b.t("waves.empty"),
	}
	for _, w := range b.m.Waves {
		var why []string
		for _, r := range w.Reasons {
			why = append(why, b.t("reason."+r.Kind, b.hostNames(r.Hosts), strings.Join(r.What, ", ")))
		}
		after := b.t("waves.first")
		if len(w.After) > 0 {
			nums := make([]string, len(w.After))
			for i, n := range w.After {
				nums[i] = strconv.Itoa(n)
			}
			after = strings.Join(nums, ", ")
		}
		t.Rows = append(t.Rows, []report.Cell{
			{Text: strconv.Itoa(w.Number), Sort: fmt.Sprintf("%06d", w.Number)}, {Text: b.hostNames(w.Hosts)},
			{Text: cmp.Or(strings.Join(why, " "), b.t("reason.alone"))}, {Text: after}, {Text: b.rollback(w)},
		})
	}
	return b.section("waves", &report.Paragraph{Text: b.t("waves.rule")}, t)
}

// rollback tells a wave's way back in one cell.
func (b docBuilder) rollback(w Wave) string {
	parts := []string{b.t("rollback.keep", b.hostNames(w.Hosts))}
	var outside []string
	for _, r := range w.Rollback.Repoint {
		switch {
		case !r.End.Known:
			outside = append(outside, b.name(r.End))
		case len(r.Sources) > 0:
			parts = append(parts, b.t("rollback.repoint_at", b.name(r.End), strings.Join(r.Sources, ", ")))
		default:
			parts = append(parts, b.t("rollback.repoint", b.name(r.End)))
		}
	}
	if len(parts) == 1 {
		parts = append(parts, b.t("rollback.no_clients"))
	}
	if len(outside) > 0 {
		parts = append(parts, b.t("rollback.outside", strings.Join(outside, ", ")))
	}
	if len(w.Rollback.Data) > 0 {
		parts = append(parts, b.t("rollback.data", strings.Join(w.Rollback.Data, ", ")))
	}
	return strings.Join(parts, " ")
}

func (b docBuilder) duplicates() *report.Section {
	t := &report.Table{
		Explain: b.t("dup.explain"),
		Columns: []report.Column{{Title: b.t("col.kind")}, {Title: b.t("col.group")}, {Title: b.t("col.what"), Code: true}, {Title: b.t("col.where")}},
		Empty:   b.t("dup.empty"),
	}
	for _, d := range b.m.Duplicates {
		var where []string
		for _, p := range d.Where {
			s := cmp.Or(b.names[p.Host], p.Host) + ": " + p.Source
			var detail []string
			if p.User != "" {
				detail = append(detail, p.User)
			}
			if p.Schedule != "" {
				detail = append(detail, p.Schedule)
			}
			if len(detail) > 0 {
				s += " (" + strings.Join(detail, ", ") + ")"
			}
			where = append(where, s)
		}
		t.Rows = append(t.Rows, []report.Cell{{Text: b.t("dup." + d.Kind)}, {Text: d.Group}, {Text: d.What}, {Text: strings.Join(where, "; ")}})
	}
	return b.section("duplicates", t)
}

func (b docBuilder) gaps() *report.Section {
	t := &report.Table{
		Explain: b.t("gaps.explain"),
		Columns: []report.Column{{Title: b.t("col.host")}, {Title: b.t("col.section"), Code: true}, {Title: b.t("col.status")}, {Title: b.t("col.reason")}},
		Empty:   b.t("gaps.empty"),
	}
	for _, h := range b.m.Hosts {
		for _, g := range h.Gaps {
			t.Rows = append(t.Rows, []report.Cell{{Text: h.Name}, {Text: g.Section}, {Text: b.t("status." + g.Status)}, {Text: cmp.Or(g.Reason, b.t("gaps.no_reason"))}})
		}
	}
	limits := &report.List{Items: []string{b.t("limit.dns"), b.t("limit.ldap"), b.t("limit.cloud"), b.t("limit.moment")}}
	return b.section("gaps", t, &report.Paragraph{Text: b.t("limit.intro")}, limits)
}
