package ansible

import (
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/ledger/ledgertest"
)

// The ledger's invariant: for every snapshot the repository keeps (the testdata
// snapshots of this schema version and the CentOS root surveyed offline) and
// every target, every fact of the source has a disposition a row of the project
// gave it, nothing is left behind without an allowed reason, no row speaks of a
// fact the source does not have, and ledger.json validates against its schema.
func TestLedgerAccountsForEverything(t *testing.T) {
	snaps := ledgertest.Snapshots(t)
	for _, name := range ledgertest.Names(snaps) {
		s := snaps[name]
		for _, target := range distro.Targets() {
			p := build(t, s, target.String())
			if len(p.Ledger.Entries) == 0 {
				t.Errorf("%s → %s: an empty ledger", name, target)
			}
			for _, pr := range p.Ledger.Problems() {
				t.Errorf("%s → %s: %s", name, target, pr)
			}
			for _, st := range p.Strays {
				t.Errorf("%s → %s: a disposition for %s, which the source did not do", name, target, st)
			}
			doc := Render(p)["ledger.json"]
			if err := ledger.Validate([]byte(doc)); err != nil {
				t.Errorf("%s → %s: ledger.json does not validate: %v", name, target, err)
			}
		}
	}
}

// Every kind of fact has a row that owns it, and only one.
func TestEveryKindHasARow(t *testing.T) {
	owner := map[ledger.Kind]string{}
	for _, r := range rows() {
		if r.build == nil {
			t.Errorf("row %s builds nothing", r.name)
		}
		for _, k := range r.owns {
			if o, dup := owner[k]; dup {
				t.Errorf("%s is owned by %s and %s", k, o, r.name)
			}
			owner[k] = r.name
		}
	}
	for _, k := range ledger.Kinds {
		if owner[k] == "" {
			t.Errorf("no row owns the facts of kind %s", k)
		}
	}
}

// Nothing the source ran or started at boot is left behind but for a reason a
// reviewer accepts: the target's own OS runs one, or it is a passing thing.
func TestNothingThatRanIsLeftWithoutReason(t *testing.T) {
	snaps := ledgertest.Snapshots(t)
	for _, name := range ledgertest.Names(snaps) {
		for _, target := range []string{"debian-12", "almalinux-9"} {
			p := build(t, snaps[name], target)
			for _, e := range p.Ledger.Entries {
				if e.Kind != ledger.KindService && e.Kind != ledger.KindProcess && e.Kind != ledger.KindShipper {
					continue
				}
				if e.Disposition == ledger.Left && !slices.Contains([]ledger.Reason{ledger.TargetOS, ledger.Ephemeral, ledger.Footprint}, e.Reason) {
					t.Errorf("%s → %s: %s ran and is left behind because %s (%s)", name, target, e.ID, e.Reason, e.Why)
				}
			}
		}
	}
}
