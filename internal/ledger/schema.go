package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaID names the ledger's schema of this version.
const SchemaID = "https://trowel.dev/schema/ledger/v1.json"

// Schema returns the JSON Schema of ledger.json, generated from the Go types as
// the snapshot's is, so it cannot drift from what trowel writes.
func Schema() []byte {
	r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: false}
	s := r.Reflect(&Ledger{})
	s.ID = SchemaID
	s.Title = "trowel migration ledger"
	s.Description = fmt.Sprintf("Every fact of one surveyed host a migration must keep, with its disposition on the new host; schema version %d.", SchemaVersion)
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // the types are fixed at build time
	}
	return b
}

var (
	compileOnce sync.Once
	compiled    *validator.Schema
	compileErr  error
)

// Validate checks a serialised ledger against the schema.
func Validate(doc []byte) error {
	compileOnce.Do(func() {
		var schemaDoc any
		if schemaDoc, compileErr = validator.UnmarshalJSON(bytes.NewReader(Schema())); compileErr != nil {
			return
		}
		c := validator.NewCompiler()
		if compileErr = c.AddResource(SchemaID, schemaDoc); compileErr != nil {
			return
		}
		compiled, compileErr = c.Compile(SchemaID)
	})
	if compileErr != nil {
		return fmt.Errorf("ledger schema does not compile: %w", compileErr)
	}
	inst, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return compiled.Validate(inst)
}

// Parse reads a ledger.json, refusing one of another schema version.
func Parse(doc []byte) (*Ledger, error) {
	var l Ledger
	if err := json.Unmarshal(doc, &l); err != nil {
		return nil, fmt.Errorf("not a ledger: %w", err)
	}
	if l.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("a ledger of schema version %d; this trowel reads version %d", l.SchemaVersion, SchemaVersion)
	}
	return &l, nil
}
