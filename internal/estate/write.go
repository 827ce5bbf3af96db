package estate

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/trowel-dev/trowel/internal/report"
)

// Formats are the forms Write writes a map in.
var Formats = []string{"md", "html", "svg", "json"}

// Write writes m in format (md, html, svg or json) and lang (en or ja; json has
// no language). generated is the time the md and html documents say they were
// made.
func Write(w io.Writer, m *Map, format, lang string, generated time.Time) error {
	switch format {
	case "md":
		return report.Markdown(w, document(m, lang, generated, false))
	case "html":
		return report.HTML(w, Document(m, lang, generated))
	case "svg":
		return SVG(w, m, lang)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	return fmt.Errorf("estate: unknown format %q", format)
}

// SchemaID names the JSON Schema of this version of the map.
const SchemaID = "https://trowel.dev/schema/map/v1.json"

// Schema is the JSON Schema of the map's JSON form, generated from the Go types
// so it cannot drift from what Write writes.
func Schema() []byte {
	r := &jsonschema.Reflector{}
	s := r.Reflect(&Map{})
	s.ID = SchemaID
	s.Title = "trowel estate map"
	s.Description = fmt.Sprintf("The map between the hosts of an estate, map_version %d.", Version)
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // the types are fixed at build time; a failure here is a bug
	}
	return b
}
