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
		Subtitle:  cmp.Or(s.OS.PrettyName, strings.TrimSpace(s.OS.Name+" "+s.OS.Version)),
		Meta:      b.meta(),
		Generated: time.Now().UTC(),
	}
	d.Sections = []*Section{
		b.summary(),
		b.system(),
		b.endOfLife(),
		b.services(),
		b.hostMap(),
		b.listeners(),
		b.dependencies(),
		b.network(),
		b.cron(),
		b.timekeeping(),
		b.accounts(),
		b.files(),
		b.kernelParams(),
		b.middleware(),
		b.storage(),
		b.logs(),
		b.backups(),
		b.packages(),
		b.processes(),
		b.findingsSection(),
		b.coverage(),
		b.sources(),
	}
	uniqueIDs(d)
	return d
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

func (b *builder) hostName() string {
	s := b.s
	return cmp.Or(s.Host.FQDN, s.Host.Hostname, s.Source.Target, "?")
}

func (b *builder) meta() []Pair {
	s := b.s
	who := cmp.Or(s.Source.User, "?")
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

func col(title string) Column     { return Column{Title: title} }
func codeCol(title string) Column { return Column{Title: title, Code: true} }
func numCol(title string) Column  { return Column{Title: title, Numeric: true} }

func row(cells ...Cell) []Cell { return cells }
func c(text string) Cell       { return Cell{Text: text} }
func cn(n int) Cell            { return Cell{Text: strconv.Itoa(n), Sort: strconv.Itoa(n)} }

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
	u := t.UTC().Format("2006-01-02 15:04 UTC")
	if z := b.s.Time.Zone; z != "" && z != "UTC" && z != "Etc/UTC" {
		if loc, err := time.LoadLocation(z); err == nil {
			return t.In(loc).Format("2006-01-02 15:04 MST") + " (" + u + ")"
		}
	}
	return u
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
