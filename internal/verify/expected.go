package verify

import "fmt"

// Expected says why a failure on the new host is expected: the migration
// ledger's item that is still to do (or data still to move) for what the check
// tests.
type Expected struct {
	// Item is the ledger entry's ID ("service:td-agent").
	Item string `json:"item"`
	// Disposition is todo or data; Why what the item says is left to do.
	Disposition string `json:"disposition"`
	Why         string `json:"why,omitempty"`
}

// String reads as the checklist says it.
func (e Expected) String() string {
	if e.Disposition == "data" {
		return fmt.Sprintf("expected: data still to move (ledger item %s)", e.Item)
	}
	return fmt.Sprintf("expected: still to do (ledger item %s)", e.Item)
}

// Explain marks each failure that explain accounts for as expected, and counts
// the others as unexpected: with a ledger, only those make the result fail.
func (r *Result) Explain(explain func(checkID string) (Expected, bool)) {
	r.Ledger = true
	r.Unexpected = 0
	for i := range r.Checks {
		c := &r.Checks[i]
		c.Expected = nil
		if c.Status != Fail {
			continue
		}
		if e, ok := explain(c.ID); ok {
			c.Expected = &e
			continue
		}
		r.Unexpected++
	}
}
