package verify

import (
	"strings"
	"testing"
)

// With a ledger, a failure the ledger says is still to do is expected, and only
// the others make the result fail; every format says which is which.
func TestExplain(t *testing.T) {
	r := Result{Target: "new", Source: "legacy", Pass: 1, Fail: 2, Checks: []Check{
		{ID: "service:apache2", Kind: "service", Status: Pass, Message: "apache2 runs"},
		{ID: "service:ssh-legacy", Kind: "service", Status: Fail, Message: "ssh-legacy: expected to run, found nothing"},
		{ID: "service:postfix", Kind: "service", Status: Fail, Message: "postfix: expected to run, found nothing"},
	}}
	if r.OK() {
		t.Fatal("failures without a ledger are failures")
	}
	r.Explain(func(id string) (Expected, bool) {
		if id == "service:ssh-legacy" {
			return Expected{Item: "service:ssh-legacy", Disposition: "todo"}, true
		}
		return Expected{}, false
	})
	if r.OK() || r.Unexpected != 1 {
		t.Errorf("unexpected = %d, ok = %v: postfix was carried and fails", r.Unexpected, r.OK())
	}
	var b strings.Builder
	if err := Human(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"1 unexpected, 1 expected", "UNEXPECTED\n  ✗ service:postfix", "expected: still to do (ledger item service:ssh-legacy)"} {
		if !strings.Contains(out, want) {
			t.Errorf("human output lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	TAP(&b, r)
	if !strings.Contains(b.String(), "not ok 2 - service:ssh-legacy # TODO expected: still to do") {
		t.Errorf("TAP does not mark the expected failure TODO:\n%s", b.String())
	}
	r.Checks[2].Status = Pass
	r.Explain(func(string) (Expected, bool) { return Expected{Item: "x", Disposition: "data"}, true })
	if !r.OK() {
		t.Error("every failure expected: the result passes")
	}
}
