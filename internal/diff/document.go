package diff

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Document lays the result out as a report in lang ("en" or "ja"): a summary,
// then what NEW lacks, what changed, what NEW adds, the packages in numbers, and
// what could not be compared. generated is the time the report says it was made.
func Document(r Result, lang string, generated time.Time) *report.Document {
	if _, ok := labels[lang]; !ok {
		lang = "en"
	}
	L := func(key string) string { return label(lang, key) }
	oldName, newName := hostName(r.Old), hostName(r.New)
	doc := &report.Document{
		Lang:      lang,
		Title:     L("title") + ": " + oldName + " → " + newName,
		Subtitle:  fmt.Sprintf(L("subtitle"), oldName, newName),
		Generated: generated,
		Meta: []report.Pair{
			{Label: L("old"), Value: sideLine(r.Old, L)},
			{Label: L("new"), Value: sideLine(r.New, L)},
		},
	}
	b := builder{r: r, lang: lang, L: L}
	doc.Sections = []*report.Section{b.summary(), b.missing(), b.changed(), b.added(), b.packages(), b.notCompared()}
	return doc
}

func hostName(s Side) string { return cmp.Or(s.Hostname, s.Target, "?") }

func sideLine(s Side, L func(string) string) string {
	parts := []string{}
	if s.Target != "" && s.Target != s.Hostname {
		parts = append(parts, s.Target)
	}
	if s.OS != "" {
		parts = append(parts, s.OS)
	} else if s.Platform != "" {
		parts = append(parts, s.Platform)
	}
	if !s.CollectedAt.IsZero() {
		parts = append(parts, L("collected")+" "+s.CollectedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return hostName(s) + " (" + strings.Join(parts, ", ") + ")"
}

type builder struct {
	r    Result
	lang string
	L    func(string) string
}

func (b builder) summary() *report.Section {
	s := &report.Section{ID: "summary", Title: b.L("summary"), Intro: b.L("summary_intro")}
	c := b.r.Counts
	s.Blocks = append(s.Blocks, &report.Facts{Pairs: []report.Pair{
		{Label: b.L("n_missing"), Value: strconv.Itoa(c.Missing)},
		{Label: b.L("n_changed"), Value: strconv.Itoa(c.Changed)},
		{Label: b.L("n_new"), Value: strconv.Itoa(c.New)},
		{Label: b.L("n_not_compared"), Value: strconv.Itoa(c.NotCompared)},
	}})
	if !b.r.HasDifferences() {
		s.Blocks = append(s.Blocks, &report.Paragraph{Text: b.L("no_differences")})
	}
	if b.r.CrossPlatform {
		s.Blocks = append(s.Blocks, &report.Paragraph{Text: fmt.Sprintf(b.L("cross_platform"), b.r.Old.Platform, b.r.New.Platform)})
	}
	// A gap on NEW hides missing items: said here too, not only at the end.
	var gaps []string
	for _, g := range b.r.NotCompared {
		if g.Side == "new" {
			gaps = append(gaps, b.gapSentence(g))
		}
	}
	if len(gaps) > 0 {
		s.Blocks = append(s.Blocks, &report.List{Items: gaps})
	}
	return s
}

func (b builder) gapSentence(g Gap) string {
	return fmt.Sprintf(b.L("nc_sentence"), b.L(g.Side), g.Section, b.status(g.Status), b.reason(g))
}

func (b builder) reason(g Gap) string { return cmp.Or(g.Reason, b.L("no_reason")) }

func (b builder) status(s snapshot.Status) string {
	switch s {
	case snapshot.Partial:
		return b.L("status_partial")
	case snapshot.Denied:
		return b.L("status_denied")
	case snapshot.TimedOut:
		return b.L("status_timed_out")
	case snapshot.Unavailable:
		return b.L("status_unavail")
	case "":
		return b.L("status_none")
	}
	return string(s)
}

func (b builder) of(k Kind) []Difference {
	var out []Difference
	for _, d := range b.r.Differences {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

func (b builder) missing() *report.Section {
	t := &report.Table{
		Explain: b.L("missing_explain"),
		Columns: []report.Column{{Title: b.L("col_concern")}, {Title: b.L("col_item"), Code: true}, {Title: b.L("col_old_source"), Code: true}},
		Empty:   b.L("missing_empty"),
	}
	for _, d := range b.of(Missing) {
		t.Rows = append(t.Rows, []report.Cell{{Text: b.L(string(d.Concern))}, {Text: b.item(d)}, {Text: sources(d.OldSource)}})
	}
	return &report.Section{ID: "missing", Title: b.L("missing"), Intro: b.L("missing_intro"), Blocks: []report.Block{t}}
}

func (b builder) changed() *report.Section {
	t := &report.Table{
		Explain: b.L("changed_explain"),
		Columns: []report.Column{
			{Title: b.L("col_concern")}, {Title: b.L("col_item"), Code: true}, {Title: b.L("col_field")},
			{Title: b.L("col_old"), Code: true}, {Title: b.L("col_new"), Code: true}, {Title: b.L("col_change")},
			{Title: b.L("col_sources"), Code: true},
		},
		Empty: b.L("changed_empty"),
	}
	for _, d := range b.of(Changed) {
		change := ""
		if d.Change != "" {
			change = b.L(d.Change)
		}
		where := b.L("old") + ": " + sources(d.OldSource) + "; " + b.L("new") + ": " + sources(d.NewSource)
		t.Rows = append(t.Rows, []report.Cell{
			{Text: b.L(string(d.Concern))}, {Text: b.item(d)}, {Text: b.L("f_" + d.Field)},
			{Text: b.value(d.Field, d.Old)}, {Text: b.value(d.Field, d.New)}, {Text: change}, {Text: where},
		})
	}
	return &report.Section{ID: "changed", Title: b.L("changed"), Intro: b.L("changed_intro"), Blocks: []report.Block{t}}
}

// maxSources is how many sources a table cell names: the first (a file:line, when
// there is one) says where to look; the JSON output keeps them all.
const maxSources = 3

func sources(list []string) string {
	if len(list) <= maxSources {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:maxSources], ", ") + " (+" + strconv.Itoa(len(list)-maxSources) + ")"
}

func (b builder) added() *report.Section {
	t := &report.Table{
		Explain: b.L("added_explain"),
		Columns: []report.Column{{Title: b.L("col_concern")}, {Title: b.L("col_item"), Code: true}, {Title: b.L("col_note")}, {Title: b.L("col_new_source"), Code: true}},
		Empty:   b.L("added_empty"),
	}
	for _, d := range b.of(Added) {
		note := ""
		if d.Notable != "" {
			note = b.L(d.Notable)
		}
		t.Rows = append(t.Rows, []report.Cell{{Text: b.L(string(d.Concern))}, {Text: b.item(d)}, {Text: note}, {Text: sources(d.NewSource)}})
	}
	return &report.Section{ID: "new", Title: b.L("added"), Intro: b.L("added_intro"), Blocks: []report.Block{t}}
}

func (b builder) packages() *report.Section {
	p := b.r.Packages
	s := &report.Section{ID: "packages", Title: b.L("packages"), Intro: b.L("packages_intro")}
	s.Blocks = append(s.Blocks, &report.Facts{Pairs: []report.Pair{
		{Label: b.L("pkg_old"), Value: strconv.Itoa(p.Old)},
		{Label: b.L("pkg_new"), Value: strconv.Itoa(p.New)},
		{Label: b.L("pkg_matched"), Value: strconv.Itoa(p.Matched)},
		{Label: b.L("pkg_added"), Value: strconv.Itoa(p.Added)},
	}})
	if len(p.Dropped) > 0 {
		s.Blocks = append(s.Blocks, &report.Paragraph{Text: b.L("pkg_dropped") + " (" + strconv.Itoa(len(p.Dropped)) + "):"},
			&report.Code{Text: strings.Join(p.Dropped, " ")})
	}
	if len(p.Unmapped) > 0 {
		s.Blocks = append(s.Blocks, &report.Paragraph{Text: b.L("pkg_unmapped") + " (" + strconv.Itoa(len(p.Unmapped)) + "):"},
			&report.Code{Text: strings.Join(p.Unmapped, " ")})
	}
	return s
}

func (b builder) notCompared() *report.Section {
	t := &report.Table{
		Explain: b.L("nc_explain"),
		Columns: []report.Column{
			{Title: b.L("col_concern")}, {Title: b.L("col_side")}, {Title: b.L("col_section"), Code: true},
			{Title: b.L("col_status")}, {Title: b.L("col_reason")}, {Title: b.L("col_undecided"), Code: true},
		},
		Empty: b.L("nc_empty"),
	}
	for _, g := range b.r.NotCompared {
		t.Rows = append(t.Rows, []report.Cell{
			{Text: b.L(string(g.Concern))}, {Text: b.L(g.Side)}, {Text: string(g.Section)},
			{Text: b.status(g.Status)}, {Text: b.reason(g)}, {Text: strings.Join(g.Undecided, "; ")},
		})
	}
	return &report.Section{ID: "not-compared", Title: b.L("not_compared"), Intro: b.L("nc_intro"), Blocks: []report.Block{t}}
}

// item is a difference's item as the reader sees it: the clock is named in the
// report's language; every other item is named as the hosts name it.
func (b builder) item(d Difference) string {
	if d.Concern == ConcernTime && d.Item == clockItem {
		return b.L("item_clock")
	}
	return d.Item
}

// value says a compared value in the report's language where it is one of the
// comparison's own words (yes, no, none, all interfaces).
func (b builder) value(field, v string) string {
	switch {
	case v == None:
		return b.L("none")
	case v == "":
		return b.L("unknown")
	case v == "true" || v == "false":
		return b.L(v)
	case field == "bind" && (isReachWord(v) || strings.Contains(v, ", ")):
		parts := strings.Split(v, ", ")
		for i, p := range parts {
			if s, ok := labels[b.lang]["v_"+p]; ok {
				parts[i] = s
			}
		}
		return strings.Join(parts, ", ")
	}
	return v
}
