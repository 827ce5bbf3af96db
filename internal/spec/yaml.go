package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// An expectation is one YAML mapping: id and kind, then its body's fields, then
// allow, note and from. head and tail are the parts every kind has.
type head struct {
	ID   string `yaml:"id"`
	Kind Kind   `yaml:"kind"`
}

type tail struct {
	Allow []string `yaml:"allow,omitempty"`
	Note  string   `yaml:"note,omitempty"`
	From  From     `yaml:"from"`
}

var envelopeFields = []string{"id", "kind", "allow", "note", "from"}

// MarshalYAML writes the expectation as one mapping, its body's fields in place.
func (e Expectation) MarshalYAML() (any, error) {
	if e.Body == nil {
		return nil, fmt.Errorf("expectation %s has no kind", e.ID)
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, part := range []any{head{ID: e.ID, Kind: e.Kind()}, e.Body, tail{Allow: e.Allow, Note: e.Note, From: e.From}} {
		var n yaml.Node
		if err := n.Encode(part); err != nil {
			return nil, err
		}
		if n.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("expectation %s: its %s body is not a mapping", e.ID, e.Kind())
		}
		m.Content = append(m.Content, n.Content...)
	}
	return m, nil
}

// UnmarshalYAML reads an expectation as strictly as Parse does.
func (e *Expectation) UnmarshalYAML(n *yaml.Node) error {
	got, err := decodeExpectation(n, "at line "+strconv.Itoa(n.Line))
	if err != nil {
		return err
	}
	*e = got
	return nil
}

// decodeExpectation reads one expectation; an error names it by its id, or by pos
// when it has none. A field neither every kind nor its own kind has is an error: a
// typo, or a field of another kind, would otherwise check nothing.
func decodeExpectation(n *yaml.Node, pos string) (Expectation, error) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return Expectation{}, fmt.Errorf("expectation %s (line %d) is not a mapping", pos, n.Line)
	}
	var h struct {
		head `yaml:",inline"`
		tail `yaml:",inline"`
	}
	if err := n.Decode(&h); err != nil {
		return Expectation{}, fmt.Errorf("expectation %s: %w", pos, err)
	}
	if h.ID == "" {
		return Expectation{}, fmt.Errorf("expectation %s has no id", pos)
	}
	k, ok := kindOf(h.Kind)
	if !ok {
		return Expectation{}, fmt.Errorf("expectation %s: unknown kind %q", h.ID, h.Kind)
	}
	body, err := k.decodeBody(n)
	if err != nil {
		return Expectation{}, fmt.Errorf("expectation %s: %w", h.ID, err)
	}
	fields := k.fields()
	for _, key := range mappingKeys(n, 0) {
		if !slices.Contains(envelopeFields, key.Value) && !slices.Contains(fields, key.Value) {
			return Expectation{}, fmt.Errorf("expectation %s: line %d: unknown field %s: %s expectations have %s, and %s",
				h.ID, key.Line, key.Value, h.Kind, strings.Join(fields, ", "), strings.Join(envelopeFields, ", "))
		}
	}
	return Expectation{ID: h.ID, Body: body, Allow: h.Allow, Note: h.Note, From: h.From}, nil
}

// mappingKeys are a mapping's keys, with those of the mappings it merges (<<).
func mappingKeys(n *yaml.Node, depth int) []*yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if depth > 8 || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode || key.Value != "<<" || key.ShortTag() != "!!merge" {
			out = append(out, key)
			continue
		}
		merged := []*yaml.Node{value}
		if value.Kind == yaml.SequenceNode {
			merged = value.Content
		}
		for _, m := range merged {
			out = append(out, mappingKeys(m, depth+1)...)
		}
	}
	return out
}
