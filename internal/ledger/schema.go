package ledger

import (
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"

	"github.com/trowel-dev/trowel/internal/schemacheck"
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

var validate = schemacheck.New("ledger", SchemaID, Schema)

// Validate checks a serialised ledger against the schema.
func Validate(doc []byte) error { return validate.Validate(doc) }

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
