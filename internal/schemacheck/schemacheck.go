// Package schemacheck validates a document against a JSON Schema that trowel
// generates from its own Go types (the snapshot's, the ledger's), compiling the
// schema once, on first use.
package schemacheck

import (
	"bytes"
	"fmt"
	"sync"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// Validator checks documents against one schema.
type Validator struct {
	what   string        // the document's kind, for the error of a schema that does not compile
	id     string        // the schema's $id
	schema func() []byte // the schema, generated

	once     sync.Once
	compiled *validator.Schema
	err      error
}

// New is a validator of the documents of kind what against schema, named id.
func New(what, id string, schema func() []byte) *Validator {
	return &Validator{what: what, id: id, schema: schema}
}

// Validate checks doc, a serialised document, against the schema.
func (v *Validator) Validate(doc []byte) error {
	v.once.Do(func() {
		var s any
		if s, v.err = validator.UnmarshalJSON(bytes.NewReader(v.schema())); v.err != nil {
			return
		}
		c := validator.NewCompiler()
		if v.err = c.AddResource(v.id, s); v.err != nil {
			return
		}
		v.compiled, v.err = c.Compile(v.id)
	})
	if v.err != nil {
		return fmt.Errorf("%s schema does not compile: %w", v.what, v.err)
	}
	inst, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return v.compiled.Validate(inst)
}
