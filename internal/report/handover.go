package report

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Handover builds the handover document of one host: what it is for, what runs on
// it and how, what it depends on, what is dangerous, and what could not be looked
// at. Everything it says comes from the snapshot and the findings; every word of
// its own comes from the label catalog of lang.
func Handover(s *snapshot.Snapshot, findings []analyze.Finding, lang string) *Document {
	if lang != "ja" {
		lang = "en"
	}
	b := &builder{s: s, lang: lang, findings: findings}
	name := b.hostName()
	d := &Document{
		Lang:      lang,
		Title:     b.t("doc.title", name),
		Subtitle:  osName(s.OS),
		Meta:      b.meta(),
		Generated: time.Now().UTC(),
	}
	built := map[string]*Section{}
	for _, hs := range handoverSections() {
		sec := &Section{ID: hs.id, Title: b.t(hs.title), Intro: b.t(hs.intro)}
		hs.build(b, sec)
		built[hs.id] = sec
		if parent, ok := built[hs.under]; ok {
			parent.Sub = append(parent.Sub, sec)
		} else {
			d.Sections = append(d.Sections, sec)
		}
	}
	uniqueIDs(d)
	return d
}

// handoverSection is one section of the handover document, with everything the
// document needs to know of it. Each is one value in its own section_*.go file,
// named once in handoverSections.
type handoverSection struct {
	id    string // the anchor: the same in every language, so links keep working
	title string // label key of the heading
	intro string // label key of the one-line introduction
	// under is the id of the section this one is part of; "" puts it at the top.
	under string
	// reads are the snapshot sections the section shows facts of: when one of them
	// was not collected, an empty table of the section must say "not known", never
	// "none". A section that shows no surveyed facts of its own (the findings, the
	// list of sources) says so with an empty list; nil is a section not yet thought
	// through, and TestHandoverSectionsComplete fails on it.
	reads []snapshot.Section
	// build fills in the blocks and subsections under the heading.
	build func(b *builder, sec *Section)
}

// handoverSections lists the document's sections in reading order: first what the
// host is for and what it runs, then how it is wired, configured and stored, then
// what must be acted on and what could not be seen. Adding a section is one new
// file defining its value and one row here.
func handoverSections() []handoverSection {
	return []handoverSection{
		summarySection,
		systemSection,
		endOfLifeSection,
		servicesSection,
		hostMapSection,
		listenersSection,
		dependenciesSection,
		networkSection,
		cronSection,
		timeSection,
		accountsSection,
		filesSection,
		kernelSection,
		middlewareSection,
		answersSection, // under middleware, after its own parts
		storageSection,
		logsSection,
		backupsSection,
		packagesSection,
		processesSection,
		findingsSection,
		coverageSection,
		sourcesSection,
	}
}

// uniqueIDs suffixes repeated anchors: service names that differ only in
// characters an anchor drops ("a_b" and "a.b") must still get their own links.
func uniqueIDs(d *Document) {
	seen := map[string]int{}
	for _, s := range d.All() {
		seen[s.ID]++
		if n := seen[s.ID]; n > 1 {
			s.ID += "-" + strconv.Itoa(n)
		}
	}
}

type builder struct {
	s        *snapshot.Snapshot
	lang     string
	findings []analyze.Finding
}

// t is a catalog text with fmt verbs filled from args.
func (b *builder) t(key string, args ...any) string {
	if len(args) == 0 {
		return L(b.lang, key)
	}
	return fmt.Sprintf(L(b.lang, key), args...)
}

// osName is the OS as its release file names it, else its name and version.
func osName(os snapshot.OS) string {
	return cmp.Or(os.PrettyName, strings.TrimSpace(os.Name+" "+os.Version))
}

func (b *builder) hostName() string {
	s := b.s
	return cmp.Or(s.Host.FQDN, s.Host.Hostname, s.Source.Target, "?")
}

func (b *builder) meta() []Pair {
	s := b.s
	who := cmp.Or(s.Source.Login, s.Source.User, "?")
	if s.Source.Through != "" {
		who = b.t("meta.through", who, s.Source.Through)
	}
	rights := b.t("meta.unprivileged")
	if s.Source.Privileged {
		rights = b.t("meta.privileged")
	}
	via := s.Source.Kind
	if s.Source.Target != "" && s.Source.Target != s.Source.Kind {
		via += " " + s.Source.Target
	}
	out := []Pair{
		{b.t("meta.source"), fmt.Sprintf("%s (%s, %s)", via, who, rights)},
		{b.t("meta.collected"), b.when(s.CollectedAt)},
	}
	if s.Window != nil {
		out = append(out, Pair{b.t("meta.window"), b.t("meta.window.value", b.when(s.Window.Start), b.when(s.Window.End), s.Window.Samples, s.Window.Every)})
	}
	if s.TrowelVersion != "" {
		out = append(out, Pair{b.t("meta.trowel"), s.TrowelVersion})
	}
	return out
}

// table starts a table whose rows are added by the caller; when it stays empty
// the reader is told what that means, which depends on whether the section was
// collected.
func (b *builder) table(explain string, cols ...Column) *Table {
	return &Table{Explain: explain, Columns: cols}
}

func col(title string) Column { return Column{Title: title} }

func codeCol(title string) Column { return Column{Title: title, Code: true} }

func numCol(title string) Column { return Column{Title: title, Numeric: true} }

func row(cells ...Cell) []Cell { return cells }

func c(text string) Cell { return Cell{Text: text} }

func cn(n int) Cell { return Cell{Text: strconv.Itoa(n), Sort: strconv.Itoa(n)} }

func cnCount(n int) Cell {
	if n == 0 {
		return c("")
	}
	return cn(n)
}

func (b *builder) cbytes(n int64) Cell {
	return Cell{Text: humanBytes(n), Sort: strconv.FormatInt(n, 10)}
}

func (b *builder) cbytesp(n *int64) Cell {
	if n == nil {
		return Cell{Text: b.t("val.unknown"), Sort: "-1"}
	}
	return b.cbytes(*n)
}

func (b *builder) ctime(t *time.Time) Cell {
	if t == nil || t.IsZero() {
		return c("")
	}
	return Cell{Text: b.when(*t), Sort: t.UTC().Format(time.RFC3339)}
}

// empty says what a table without rows means: "none found" only when the section
// was read completely, else why it could not be.
func (b *builder) empty(none string, secs ...snapshot.Section) string {
	for _, sec := range secs {
		cov, ok := b.s.Coverage[sec]
		if !ok {
			// A snapshot from a trowel older than this section's survey.
			return b.t("empty.not_surveyed")
		}
		switch cov.Status {
		case snapshot.Collected, snapshot.NotApplicable:
			continue
		case snapshot.Partial:
			return none + " " + b.t("empty.partial", b.status(cov.Status), cov.Reason)
		}
		return b.t("empty.unknown", b.status(cov.Status), cmp.Or(cov.Reason, "-"))
	}
	return none
}

// when prints an instant in UTC and, where the host has a zone, in that zone:
// a handover read in Tokyo about a host in UTC must not leave the reader guessing.
func (b *builder) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return inZone(t, b.s.Time.Zone)
}

// inZone prints an instant in a zone (the host's, or the one a job fires in), with
// UTC beside it; in UTC alone when the zone is UTC or unknown.
func inZone(t time.Time, zone string) string {
	u := t.UTC().Format("2006-01-02 15:04 UTC")
	if zone == "" || zone == "UTC" || zone == "Etc/UTC" {
		return u
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return u
	}
	return t.In(loc).Format("2006-01-02 15:04 MST") + " (" + u + ")"
}

func (b *builder) seen(s snapshot.Seen) string {
	if s.FirstSeen == nil {
		return ""
	}
	return b.t("val.seen", b.when(*s.FirstSeen), b.when(*s.LastSeen), s.Samples)
}

func (b *builder) yesNo(v *bool) string {
	switch {
	case v == nil:
		return b.t("val.unknown")
	case *v:
		return b.t("val.yes")
	}
	return b.t("val.no")
}

func (b *builder) status(st snapshot.Status) string { return b.t("status." + string(st)) }

func (b *builder) kind(k string) string {
	if _, ok := labelsEN["kind."+k]; ok {
		return b.t("kind." + k)
	}
	return k
}

func nonEmpty(pairs []Pair) []Pair {
	var out []Pair
	for _, p := range pairs {
		if strings.TrimSpace(p.Value) != "" {
			out = append(out, p)
		}
	}
	return out
}

// destination is where a shipper sends, as a client dials it, with the protocol
// beside it: "10.231.0.40:24224 (forward)".
func destination(e snapshot.Endpoint) string {
	out := e.HostPort()
	if e.Proto != "" {
		out += " (" + e.Proto + ")"
	}
	return out
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func join(xs []string) string { return strings.Join(xs, ", ") }

// anchor makes a section ID from a name: lower-case [a-z0-9-], never empty.
func anchor(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('-')
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
