// Package verify checks a host's snapshot against a spec: pure evaluation, one
// verdict per expectation with the evidence for it, and the output formats (human,
// json, junit, tap, and the one-screen view each round of cmd/trowel's --watch loop
// prints; the loop itself, which surveys again, is the command's).
package verify

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// Status is an expectation's verdict.
type Status string

const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Skipped Status = "skipped" // the target's section was not collected: unknown, not passed
)

// Check is one expectation's verdict.
type Check struct {
	ID     string    `json:"id"`
	Kind   spec.Kind `json:"kind"`
	Status Status    `json:"status"`
	// Message says what was expected and what was found; for a failure, also where
	// it was looked for, where the expectation came from, and what to do.
	Message string `json:"message"`
	// Found is the evidence on the target: the facts looked at.
	Found []string `json:"found,omitempty"`
	// Fix is what to do about a failure.
	Fix  string    `json:"fix,omitempty"`
	From spec.From `json:"from"`
	// Expected is set, with a migration ledger, on a failure the ledger says is
	// still to do: the cutover checklist's, not a defect of the new host.
	Expected *Expected `json:"expected,omitempty"`
}

// Result is a whole evaluation.
type Result struct {
	Target string  `json:"target"`
	Source string  `json:"source"`
	Checks []Check `json:"checks"`
	Pass   int     `json:"pass"`
	Fail   int     `json:"fail"`
	Skip   int     `json:"skipped"`
	// Ledger is true when the failures were matched against a migration ledger
	// (Explain); Unexpected counts the failures it does not account for.
	Ledger     bool `json:"ledger,omitempty"`
	Unexpected int  `json:"unexpected,omitempty"`
}

// OK reports whether every expectation passed (skipped ones are not failures, and
// are reported as what was not checked); with a ledger, whether every failure is
// one the ledger says is still to do.
func (r Result) OK() bool {
	if r.Ledger {
		return r.Unexpected == 0
	}
	return r.Fail == 0
}

// Evaluate checks every expectation of sp against the target snapshot.
func Evaluate(sp *spec.Spec, t *snapshot.Snapshot) Result {
	target := cmp.Or(t.Host.Hostname, t.Source.Target)
	r := Result{Target: target, Source: sp.Source.Host}
	ev := evaluator{t: t, target: target, src: sp.Source}
	for _, e := range sp.Expectations {
		c := ev.check(e)
		c.ID, c.Kind, c.From = e.ID, e.Kind(), e.From
		switch c.Status {
		case Pass:
			r.Pass++
		case Fail:
			r.Fail++
		default:
			r.Skip++
		}
		r.Checks = append(r.Checks, c)
	}
	return r
}

type evaluator struct {
	t      *snapshot.Snapshot
	target string
	src    spec.Source
	// secs are the sections the expectation being checked needs (Expectation.Sections).
	secs []snapshot.Section
}

// coverage returns the weakest coverage of the sections, and whether every one is
// fully collected.
func (v evaluator) coverage(secs []snapshot.Section) (snapshot.Section, snapshot.Coverage, bool) {
	for _, s := range secs {
		c, ok := v.t.Coverage[s]
		if !ok {
			return s, snapshot.Coverage{Status: snapshot.Unavailable, Reason: "not in the snapshot"}, false
		}
		if c.Status != snapshot.Collected && c.Status != snapshot.NotApplicable {
			return s, c, false
		}
	}
	return "", snapshot.Coverage{}, true
}

// absent turns "not found" into a failure only when the sections the expectation
// needs were collected in full; a partial or missing section makes it unknown.
func (v evaluator) absent(c Check) Check {
	if sec, cov, ok := v.coverage(v.secs); !ok {
		return Check{Status: Skipped, Message: fmt.Sprintf("not found, but the %s section of %s was %s, so this is unknown rather than missing (%s)", sec, v.target, said(cov), c.Message)}
	}
	c.Status = Fail
	return c
}

func (v evaluator) check(e spec.Expectation) Check {
	c, ok := checkOf(e.Kind())
	if !ok {
		return Check{Status: Skipped, Message: fmt.Sprintf("this trowel does not know how to check %q", e.Kind())}
	}
	v.secs = e.Sections()
	// A section that was not looked at at all skips every expectation on it.
	if sec, cov, _ := v.coverage(v.secs); sec != "" && cov.Status != snapshot.Partial {
		return Check{Status: Skipped, Message: fmt.Sprintf("the %s section of %s was not collected (%s): cannot tell", sec, v.target, said(cov))}
	}
	return c.check(v, e)
}

func on(e spec.Expectation) string { return "(from " + e.From.Where() + ")" }

func pass(format string, args ...any) Check {
	return Check{Status: Pass, Message: fmt.Sprintf(format, args...)}
}

func fail(found []string, fix, format string, args ...any) Check {
	return Check{Status: Fail, Message: fmt.Sprintf(format, args...), Found: found, Fix: fix}
}

// orUnknown names a zone, or says it is not known.
func orUnknown(zone string) string { return cmp.Or(zone, "an unknown zone") }

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// said is a coverage's status with its reason: "denied: not root".
func said(c snapshot.Coverage) string {
	if c.Reason == "" {
		return string(c.Status)
	}
	return string(c.Status) + ": " + c.Reason
}
