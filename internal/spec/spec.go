// Package spec is trowel's executable definition of "everything the old server did":
// expectations derived from a snapshot, written as YAML a person can read and edit,
// and exported to goss's gossfile format. internal/verify evaluates a spec against
// another host's snapshot.
//
// Each kind of expectation (a service, a port, a cron job ...) is one file,
// kind_*.go, holding its typed body, how it is derived, the sections its check
// needs and its goss export, and one row of the table in kinds.go.
package spec

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// FormatVersion changes when a field changes meaning or is removed.
const FormatVersion = 1

// Kind is what an expectation is about: the name a spec writes. Each kind is
// declared in its own file (kind_*.go) and listed once in the table of kinds.go.
type Kind string

// Allow names a difference an expectation tolerates.
const (
	AllowVersion  = "version"  // a different (older) version
	AllowUID      = "uid"      // a different uid/gid number
	AllowAddress  = "address"  // a different listening address (kept to its kind)
	AllowHostname = "hostname" // a different host name in a value
	AllowDevice   = "device"   // a different block device for a mount
	AllowEnabled  = "enabled"  // a service need not start at boot
)

// Spec is a list of expectations and where they came from.
type Spec struct {
	TrowelSpec int    `yaml:"trowel_spec"`
	Source     Source `yaml:"source"`
	// Gaps say what could not be derived because the source section was not
	// collected: the spec is silent there, and says so.
	Gaps         []string      `yaml:"gaps,omitempty"`
	Expectations []Expectation `yaml:"expectations"`
}

// Source is the snapshot a spec was derived from.
type Source struct {
	Host        string    `yaml:"host"`
	OS          string    `yaml:"os,omitempty"`
	Platform    string    `yaml:"platform,omitempty"`
	Manager     string    `yaml:"package_manager,omitempty"`
	Init        string    `yaml:"init_system,omitempty"`
	CollectedAt time.Time `yaml:"collected_at"`
	Snapshot    string    `yaml:"snapshot,omitempty"`
}

// Expectation is one thing the new host must do as the old one did: what is
// expected is its Body, typed by its kind (Service, Port, ...); the rest is what
// every kind has. In YAML the body's fields sit between kind and allow, as one
// mapping (see yaml.go).
type Expectation struct {
	ID   string
	Body Body
	// Allow lists differences this expectation tolerates (see the Allow constants).
	Allow []string
	// Note says why the expectation is as it is (a tolerance spec chose, a caveat).
	Note string
	From From
}

// Kind is the kind of the expectation's body; "" when it has none.
func (e Expectation) Kind() Kind {
	if e.Body == nil {
		return ""
	}
	return e.Body.Kind()
}

// Sections are the snapshot sections a target's survey must have collected for a
// check of the expectation to mean anything: without them, absence is unknown.
func (e Expectation) Sections() []snapshot.Section {
	if k, ok := kindOf(e.Kind()); ok {
		return k.sectionsOf(e)
	}
	return nil
}

// From is an expectation's provenance on the source host.
type From struct {
	Host     string   `yaml:"host"`
	Source   string   `yaml:"source,omitempty"` // file:line or the command
	Evidence []string `yaml:"evidence,omitempty,flow"`
}

// Allows reports whether the expectation tolerates a difference.
func (e Expectation) Allows(what string) bool { return slices.Contains(e.Allow, what) }

// Where says where an expectation came from, for a message: "/etc/logship.conf:3 on legacy".
func (f From) Where() string {
	switch {
	case f.Source != "" && f.Host != "":
		return f.Source + " on " + f.Host
	case f.Source != "":
		return f.Source
	}
	return f.Host
}

const header = `# trowel spec: what the old host did, as expectations a replacement must meet.
# Made by "trowel spec SNAPSHOT"; check a host with "trowel verify HOST --against THIS".
#
# Edit freely. Remove an expectation that no longer applies; add "allow" to tolerate
# an expected difference: version (an older version), uid (other uid/gid numbers),
# address (another listening address of the same kind), hostname (another host name
# in a value), device (another block device), enabled (need not start at boot).
# "from" says where each expectation came from on the old host (file:line, evidence
# ID in the snapshot). "gaps" lists what could not be derived because the old host's
# survey could not look there: nothing is expected of those parts.
`

// Marshal writes the spec as commented YAML.
func Marshal(s *Spec) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Parse reads a spec, refusing unknown fields (and the fields of another kind) so a
// typo in an edit is not silently an expectation that checks nothing.
func Parse(doc []byte) (*Spec, error) {
	var raw struct {
		TrowelSpec   int         `yaml:"trowel_spec"`
		Source       Source      `yaml:"source"`
		Gaps         []string    `yaml:"gaps,omitempty"`
		Expectations []yaml.Node `yaml:"expectations"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a trowel spec: %w", err)
	}
	if raw.TrowelSpec == 0 {
		return nil, fmt.Errorf("not a trowel spec: no trowel_spec version field")
	}
	if raw.TrowelSpec > FormatVersion {
		return nil, fmt.Errorf("spec format %d is newer than this trowel understands (%d)", raw.TrowelSpec, FormatVersion)
	}
	s := &Spec{TrowelSpec: raw.TrowelSpec, Source: raw.Source, Gaps: raw.Gaps}
	seen := map[string]bool{}
	for i := range raw.Expectations {
		e, err := decodeExpectation(&raw.Expectations[i], strconv.Itoa(i+1))
		if err != nil {
			return nil, err
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("expectation %s appears twice", e.ID)
		}
		seen[e.ID] = true
		s.Expectations = append(s.Expectations, e)
	}
	return s, nil
}

// IsSpec tells a spec document from a snapshot (JSON) by its content.
func IsSpec(doc []byte) bool {
	t := bytes.TrimSpace(doc)
	if len(t) == 0 || t[0] == '{' {
		return false
	}
	for _, l := range strings.Split(string(t), "\n") {
		if strings.HasPrefix(l, "trowel_spec:") {
			return true
		}
	}
	return false
}
