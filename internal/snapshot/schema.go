package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaID names the schema of this version.
const SchemaID = "https://trowel.dev/schema/snapshot/v1.json"

// Schema returns the JSON Schema of a snapshot, generated from the Go types, so it
// cannot drift from what trowel writes.
func Schema() []byte {
	r := &jsonschema.Reflector{
		// Fields without omitempty are always written, so they are required.
		RequiredFromJSONSchemaTags: false,
		DoNotReference:             false,
	}
	s := r.Reflect(&Snapshot{})
	s.ID = SchemaID
	s.Title = "trowel snapshot"
	s.Description = fmt.Sprintf("A survey of one host by trowel, schema version %d.", SchemaVersion)
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // the types are fixed at build time; a failure here is a bug
	}
	return b
}

var (
	compileOnce sync.Once
	compiled    *validator.Schema
	compileErr  error
)

// Validate checks a serialised snapshot against the schema.
func Validate(doc []byte) error {
	compileOnce.Do(func() {
		var schemaDoc any
		schemaDoc, compileErr = validator.UnmarshalJSON(bytes.NewReader(Schema()))
		if compileErr != nil {
			return
		}
		c := validator.NewCompiler()
		if compileErr = c.AddResource(SchemaID, schemaDoc); compileErr != nil {
			return
		}
		compiled, compileErr = c.Compile(SchemaID)
	})
	if compileErr != nil {
		return fmt.Errorf("snapshot schema does not compile: %w", compileErr)
	}
	inst, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return compiled.Validate(inst)
}
