package ledger

import "github.com/trowel-dev/trowel/internal/snapshot"

// KindPackage is a package the administrator installed on purpose, or one of
// which nobody can tell (a survey that did not record why a package is there).
// The base system and what came in as a dependency are nobody's decision.
const KindPackage Kind = "package"

var packageKind = kind{name: KindPackage, read: (*reader).packages}

// Intents of a package, as snapshot.Package.Intent records them.
const (
	IntentManual     = "manual"
	IntentDependency = "dependency"
	IntentBase       = "base"
)

func (r *reader) packages() {
	for _, p := range r.s.Packages {
		title := p.Name + " " + p.FullVersion()
		switch p.Intent {
		case IntentDependency, IntentBase:
			continue
		case IntentManual:
			title += " was installed on purpose"
			if p.IntentSource != "" {
				title += " (" + p.IntentSource + ")"
			}
		default:
			title += " is installed; whether on purpose is not recorded"
		}
		r.add(KindPackage, p.Name, title, firstOf(p.IntentSource, p.Evidence), p.Evidence)
	}
}

// Unknown says whether nobody can tell why a package is installed.
func Unknown(p snapshot.Package) bool {
	return p.Intent != IntentManual && p.Intent != IntentDependency && p.Intent != IntentBase
}
