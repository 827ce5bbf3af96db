package snapshot

import (
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"

	"github.com/trowel-dev/trowel/internal/schemacheck"
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

var validate = schemacheck.New("snapshot", SchemaID, Schema)

// Validate checks a serialised snapshot against the schema.
func Validate(doc []byte) error { return validate.Validate(doc) }
