package ledger

import "strings"

// Expected finds the entry that explains a failure of the verify check id on the
// new host: a todo or data entry whose fact the check tests. Only those explain a
// failure: what is carried, translated or left must pass.
func (l *Ledger) Expected(check string) (Entry, bool) {
	base, _, _ := strings.Cut(check, "#")
	for _, e := range l.Entries {
		if e.Disposition != Todo && e.Disposition != Data {
			continue
		}
		for _, c := range e.Checks {
			if c == check || c == base {
				return e, true
			}
		}
	}
	return Entry{}, false
}
