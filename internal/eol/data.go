// Package eol holds the end-of-life dates trowel ships (from endoflife.date, MIT
// licence, see data/SOURCES.md) and matches versions found on a host against them.
// The data is embedded, dated, and regenerated with `make eol` (internal/eol/gen).
package eol

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// Data is the embedded file: where it came from and, per product, its release cycles.
type Data struct {
	Source  string `json:"source"`
	License string `json:"license"`
	// Commit and CommitDate name the endoflife.date commit the data was read at.
	Commit     string `json:"commit"`
	CommitDate string `json:"commit_date"`
	// Date is the newest date any product's data knows of; see Product.AsOf.
	Date     string              `json:"date"`
	Products map[string]*Product `json:"products"`
}

// Product is one endoflife.date product.
type Product struct {
	// AsOf is the newest release date in the product's file: the data cannot know of
	// anything announced later, so "no end announced" is only as good as this date.
	AsOf     string    `json:"as_of"`
	Releases []Release `json:"releases"`
}

// Release is one release cycle.
type Release struct {
	Cycle    string `json:"cycle"`
	Released string `json:"released,omitempty"`
	// EOL is the end of security support: a date, Ended ("true" in the source: over,
	// date not given), or "" when none is announced.
	EOL string `json:"eol,omitempty"`
	// Extended is the end of paid or extended support (eoes, extendedSupport), a date
	// or "".
	Extended string `json:"extended,omitempty"`
	LTS      bool   `json:"lts,omitempty"`
}

// Ended marks an EOL the source gives as true without a date.
const Ended = "ended"

//go:embed data/eol.json
var embedded []byte

var (
	loadOnce sync.Once
	loaded   *Data
	loadErr  error
)

// Load parses the embedded data once.
func Load() (*Data, error) {
	loadOnce.Do(func() { loaded, loadErr = Parse(embedded) })
	return loaded, loadErr
}

// Parse reads a data file.
func Parse(b []byte) (*Data, error) {
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("end-of-life data: %w", err)
	}
	if d.Products == nil {
		d.Products = map[string]*Product{}
	}
	return &d, nil
}
