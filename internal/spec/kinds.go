package spec

import (
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Body is what an expectation of one kind expects, with that kind's fields alone:
// Service, Port, ... each declared in its kind's file.
type Body interface {
	// Kind is the name a spec writes for the body's kind.
	Kind() Kind
}

// kinds is the table: every kind of expectation, in the order a spec lists them
// and Derive derives them. Each row is one value declared in a file of its own
// (kind_*.go) with all that spec knows of the kind; verify's table holds the checks.
// Adding a kind is that file and one row here (and a check in verify);
// TestEveryKindHasItsParts fails until it has every part.
func kinds() []kind {
	return []kind{
		timezoneKind,
		serviceKind,
		portKind,
		processKind,
		cronKind,
		cronZoneKind, // after cron: it is expected only when a cron job is
		userKind,
		groupKind,
		sudoKind,
		keyKind,
		mountKind,
		sysctlKind,
		firewallKind,
		logShipperKind,
		logFollowKind,
		settingKind,
		capabilityKind,
		httpKind,
		smtpKind,
	}
}

// Kinds lists every kind in the order a spec is written.
var Kinds = func() []Kind {
	var out []Kind
	for _, k := range kinds() {
		out = append(out, k.name())
	}
	return out
}()

var byName = func() map[Kind]kind {
	m := map[Kind]kind{}
	for _, k := range kinds() {
		m[k.name()] = k
	}
	return m
}()

func kindOf(name Kind) (kind, bool) {
	k, ok := byName[name]
	return k, ok
}

// kind is a row of the table, whatever the type of its body.
type kind interface {
	name() Kind
	// fields are the YAML keys of the body, in the order they are written.
	fields() []string
	sectionsOf(e Expectation) []snapshot.Section
	deriveFrom(d *deriver)
	// gossOf writes e's goss resources, or says why goss cannot express it.
	gossOf(g *gossfile, e Expectation) (whyNot string)
	decodeBody(n *yaml.Node) (Body, error)
	// missing names the parts the kind lacks; the table's test wants none.
	missing() []string
}

// def is everything spec knows of one kind whose body is a B.
type def[B Body] struct {
	// sections a check of every expectation of the kind needs collected on the target.
	sections []snapshot.Section
	// moreSections are those that depend on the expectation (a setting's service).
	moreSections func(B) []snapshot.Section
	// derive adds the kind's expectations from the old host's snapshot, and a gap
	// for each section it could not derive from.
	derive func(*deriver)
	// goss writes the expectation into a gossfile, or says why goss cannot express
	// this one (it is then listed as checked by trowel verify alone).
	goss func(B, *gossfile, Expectation) (whyNot string)
	// noGoss says why goss cannot express the kind at all, when goss is nil.
	noGoss string
}

func (def[B]) name() Kind {
	var b B
	return b.Kind()
}

func (def[B]) fields() []string {
	t := reflect.TypeFor[B]()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		out = append(out, name)
	}
	return out
}

func (k def[B]) sectionsOf(e Expectation) []snapshot.Section {
	secs := slices.Clone(k.sections)
	if b, ok := e.Body.(B); ok && k.moreSections != nil {
		secs = append(secs, k.moreSections(b)...)
	}
	return secs
}

func (k def[B]) deriveFrom(d *deriver) {
	if k.derive != nil {
		k.derive(d)
	}
}

func (k def[B]) gossOf(g *gossfile, e Expectation) string {
	b, ok := e.Body.(B)
	switch {
	case !ok:
		return "trowel cannot read its body"
	case k.goss == nil:
		return k.noGoss
	}
	return k.goss(b, g, e)
}

func (def[B]) decodeBody(n *yaml.Node) (Body, error) {
	var b B
	err := n.Decode(&b)
	return b, err
}

func (k def[B]) missing() []string {
	var out []string
	if len(k.sections) == 0 && k.moreSections == nil {
		out = append(out, "the sections its check needs")
	}
	if k.derive == nil {
		out = append(out, "a derive")
	}
	if (k.goss == nil) == (k.noGoss == "") {
		out = append(out, "either a goss export or the reason it has none")
	}
	for i, f := range k.fields() {
		if f == "" {
			out = append(out, "a yaml tag on field "+reflect.TypeFor[B]().Field(i).Name)
		}
	}
	return out
}

// SectionsOf are the snapshot sections the expectations of a kind are derived from
// and checked against: the kind's own, and those of each of its expectations derived
// from s (a setting's depend on its service). The other consumers' tables (diff's
// comparisons, the report's sections) are held to every kind by it.
func SectionsOf(name Kind, s *snapshot.Snapshot) []snapshot.Section {
	k, ok := kindOf(name)
	if !ok {
		return nil
	}
	out := k.sectionsOf(Expectation{})
	for _, e := range Derive(s, "source").Expectations {
		if e.Kind() == name {
			out = append(out, e.Sections()...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
