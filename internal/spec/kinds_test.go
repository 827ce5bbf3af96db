package spec

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestEveryKindHasItsParts walks the table: every kind has the sections its check
// needs, a derive, a goss export or the reason it has none, a YAML name for each
// field of its body, and a sample of it (every field set) survives Marshal and
// Parse. verify's TestEveryKindIsChecked holds its table of checks to this one.
func TestEveryKindHasItsParts(t *testing.T) {
	names := map[Kind]bool{}
	for _, k := range kinds() {
		name := k.name()
		if name == "" || names[name] {
			t.Errorf("kind %q is empty or listed twice", name)
		}
		names[name] = true
		for _, m := range k.missing() {
			t.Errorf("kind %s lacks %s", name, m)
		}
		for _, f := range k.fields() {
			if slices.Contains(envelopeFields, f) {
				t.Errorf("kind %s: field %s is every kind's", name, f)
			}
		}

		e := Expectation{ID: string(name) + ":sample", Body: sample(t, k), Allow: []string{AllowUID}, Note: "n",
			From: From{Host: "legacy", Source: "src:1", Evidence: []string{"cmd:x"}}}
		if e.Kind() != name {
			t.Errorf("kind %s: its body says %s", name, e.Kind())
		}
		sp := &Spec{TrowelSpec: FormatVersion, Source: Source{Host: "legacy"}, Expectations: []Expectation{e}}
		doc, err := Marshal(sp)
		if err != nil {
			t.Errorf("kind %s: %v", name, err)
			continue
		}
		back, err := Parse(doc)
		if err != nil {
			t.Errorf("kind %s does not parse as written: %v\n%s", name, err, doc)
			continue
		}
		if !reflect.DeepEqual(back.Expectations, sp.Expectations) {
			t.Errorf("kind %s: read back as %+v, written %+v", name, back.Expectations[0], e)
		}
		if again, _ := Marshal(back); !bytes.Equal(again, doc) {
			t.Errorf("kind %s: written again differs:\n%s\n%s", name, doc, again)
		}
		// The body's fields sit between kind and allow, in the order of its type.
		want := append(append([]string{"id", "kind"}, k.fields()...), "allow", "note", "from")
		if got := writtenKeys(doc); !slices.Equal(got, want) {
			t.Errorf("kind %s: keys %q, want %q", name, got, want)
		}
		if _, err := Goss(sp); err != nil {
			t.Errorf("kind %s: goss: %v", name, err)
		}
	}
	var table []Kind
	for _, k := range kinds() {
		table = append(table, k.name())
	}
	if !slices.Equal(Kinds, table) {
		t.Errorf("Kinds %q is not the table's order %q", Kinds, table)
	}
}

// A field of another kind is no field of this one: Parse names the expectation and
// the fields it could have.
func TestParseRejectsAnotherKindsField(t *testing.T) {
	for _, k := range kinds() {
		own := k.fields()
		for _, other := range kinds() {
			for _, f := range other.fields() {
				if slices.Contains(own, f) {
					continue
				}
				doc := "trowel_spec: 1\nexpectations:\n- id: x:1\n  kind: " + string(k.name()) + "\n  " + f + ": 1\n  from: {host: a}\n"
				_, err := Parse([]byte(doc))
				if err == nil || !strings.Contains(err.Error(), "expectation x:1") || !strings.Contains(err.Error(), "unknown field "+f+":") {
					t.Errorf("%s with %s's field %s: %v", k.name(), other.name(), f, err)
				}
			}
		}
	}
}

// Derive runs the kinds in the table's order, each adding its own kind only.
func TestDeriveInTheTablesOrder(t *testing.T) {
	order := map[Kind]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	sp := Derive(legacy(t), "x")
	for i := 1; i < len(sp.Expectations); i++ {
		if a, b := sp.Expectations[i-1], sp.Expectations[i]; order[a.Kind()] > order[b.Kind()] {
			t.Errorf("%s after %s", b.ID, a.ID)
		}
	}
}

// sample is a body of the kind with every field set, each to its own value.
func sample(t *testing.T, k kind) Body {
	t.Helper()
	// An empty mapping decodes to the zero body of the kind's type.
	zero, err := k.decodeBody(&yaml.Node{Kind: yaml.MappingNode})
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.New(reflect.TypeOf(zero)).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			f.SetString("v-" + name)
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"a-" + name, "b"}))
		case reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			switch p.Elem().Kind() {
			case reflect.Bool:
				p.Elem().SetBool(true)
			case reflect.Int:
				p.Elem().SetInt(int64(i + 1))
			default:
				t.Fatalf("kind %s: field %s: no sample of a %s", k.name(), name, f.Type())
			}
			f.Set(p)
		default:
			t.Fatalf("kind %s: field %s: no sample of a %s", k.name(), name, f.Type())
		}
	}
	return v.Interface().(Body)
}

// writtenKeys are the keys of the first expectation in a spec document, in order.
func writtenKeys(doc []byte) []string {
	var root yaml.Node
	if yaml.Unmarshal(doc, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "expectations" || len(top.Content[i+1].Content) == 0 {
			continue
		}
		var keys []string
		e := top.Content[i+1].Content[0]
		for j := 0; j < len(e.Content); j += 2 {
			keys = append(keys, e.Content[j].Value)
		}
		return keys
	}
	return nil
}
