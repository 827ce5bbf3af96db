package packages

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// parseAPKInstalled reads Alpine's /lib/apk/db/installed: one stanza per package,
// separated by blank lines, of "X:value" lines keyed by one letter (P name, V
// version, A arch, o origin, the source package, m maintainer). The t: line is when
// the package was built, not installed, so it is not an install time.
func parseAPKInstalled(text string) parsed {
	r := parsed{unit: "stanza", pkgs: make([]snapshot.Package, 0, strings.Count(text, "\nP:")+1)}
	var p snapshot.Package
	lines, junk := 0, 0
	flush := func() {
		switch {
		case lines == 0:
		case p.Name == "" || p.Version == "":
			r.bad++
		default:
			if p.Source == "" {
				p.Source = p.Name
			}
			r.pkgs = append(r.pkgs, p)
			r.badLines += junk
		}
		p, lines, junk = snapshot.Package{}, 0, 0
	}
	stanzaLines(text, func(line string) {
		if len(line) < 2 || line[1] != ':' {
			lines++
			junk++
			return
		}
		v := line[2:]
		if line[0] == 'P' && p.Name != "" {
			// Two stanzas run together (their blank line lost): keep both.
			r.badLines++
			flush()
		}
		lines++
		switch line[0] {
		case 'P':
			p.Name = v
		case 'V':
			p.Version, p.Release = splitAPKVersion(v)
		case 'A':
			p.Arch = v
		case 'o':
			p.Source = v
		case 'm':
			p.Origin = v
		}
	}, flush)
	return r
}

// splitAPKVersion splits the package release "-rN" off an apk version, so
// version-release reads back as apk prints it: "1.1.14-r10" is 1.1.14 and r10.
func splitAPKVersion(v string) (version, release string) {
	i := strings.LastIndex(v, "-r")
	if i <= 0 || i+2 == len(v) {
		return v, ""
	}
	for _, c := range v[i+2:] {
		if c < '0' || c > '9' {
			return v, ""
		}
	}
	return v[:i], v[i+1:]
}
