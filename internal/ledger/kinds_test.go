package ledger

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/spec"
)

// Every row of the table has its parts: a reader (but the check kind, made of
// what no reader claims), and a claim for the spec kinds it says it tests; and no
// spec kind is claimed by two rows.
func TestEveryKindHasItsParts(t *testing.T) {
	seen := map[Kind]bool{}
	tested := map[string]Kind{}
	for _, k := range kinds() {
		if seen[k.name] {
			t.Errorf("%s: two rows", k.name)
		}
		seen[k.name] = true
		if k.read == nil && k.name != KindCheck && k.name != KindTimer && k.name != KindDestination {
			t.Errorf("%s: no reader", k.name)
		}
		if len(k.tests) > 0 && k.claim == nil {
			t.Errorf("%s: tests %v but claims nothing", k.name, k.tests)
		}
		for _, sk := range k.tests {
			if other, dup := tested[string(sk)]; dup {
				t.Errorf("spec kind %s claimed by %s and %s", sk, other, k.name)
			}
			tested[string(sk)] = k.name
		}
	}
	for _, sk := range spec.Kinds {
		if _, ok := tested[string(sk)]; !ok {
			t.Errorf("no kind of fact claims spec's %s expectations", sk)
		}
	}
}
