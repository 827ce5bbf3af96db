package eol

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Status words, as the snapshot writes them.
const (
	Supported = "supported"
	EOL       = "eol"
	Unknown   = "unknown"
)

// staleAfter is how long after a product's data date "no end announced" is still
// believed: past it, a cycle may have ended without the shipped data knowing.
const staleAfter = 365 * 24 * time.Hour

// Verdict is a version matched against a product's cycles.
type Verdict struct {
	Product  string
	Cycle    string // "" when no cycle matched
	EOL      string // a date, or "" when none is known
	Extended string
	LTS      bool
	Status   string
	Note     string
	AsOf     string
}

// Match finds the release cycle of version in product and says whether it had
// reached its end of life at the time at. It never answers supported without a
// cycle whose end is announced in the future, or unannounced in data fresh enough.
func (d *Data) Match(product, version string, at time.Time) Verdict {
	v := Verdict{Product: product, Status: Unknown}
	p := d.Products[product]
	if p == nil {
		v.Note = "trowel ships no end-of-life data for " + product
		return v
	}
	v.AsOf = p.AsOf
	parts := Components(version)
	if len(parts) == 0 {
		v.Note = fmt.Sprintf("version %q has no number to match", version)
		return v
	}
	rel := p.find(parts)
	if rel == nil {
		return p.older(v, parts, at)
	}
	v.Cycle, v.EOL, v.Extended, v.LTS = rel.Cycle, rel.EOL, rel.Extended, rel.LTS
	switch {
	case rel.EOL == Ended:
		v.Status, v.EOL = EOL, ""
		v.Note = "the data says this cycle has ended but gives no date"
	case rel.EOL != "":
		end, err := time.Parse(time.DateOnly, rel.EOL)
		if err != nil {
			v.Note = "unreadable end-of-life date " + rel.EOL
			return v
		}
		if !end.After(at) {
			v.Status = EOL
		} else {
			v.Status = Supported
		}
	default:
		asOf, err := time.Parse(time.DateOnly, p.AsOf)
		if err != nil || at.Sub(asOf) > staleAfter {
			v.Note = "no end announced as of " + p.AsOf + ", which is too long before the survey to rely on"
			return v
		}
		v.Status = Supported
		v.Note = "no end announced as of " + p.AsOf
	}
	return v
}

// find picks the cycle with the longest run of leading version components:
// 8.5.83 is Tomcat "8.5", 9.6.24 is PostgreSQL "9.6", 2.0.0 is Ruby "2.0.0". A bare
// major version is its ".0" cycle when no cycle is the major alone: SLES 15
// (os-release VERSION_ID "15") is cycle "15.0", Tomcat 9 is "9.0".
func (p *Product) find(parts []string) *Release {
	for n := len(parts); n > 0; n-- {
		if r := p.cycle(strings.Join(parts[:n], ".")); r != nil {
			return r
		}
	}
	if len(parts) == 1 {
		return p.cycle(parts[0] + ".0")
	}
	return nil
}

func (p *Product) cycle(name string) *Release {
	for i := range p.Releases {
		if p.Releases[i].Cycle == name {
			return &p.Releases[i]
		}
	}
	return nil
}

// older handles a version no cycle names: one older than every cycle the data
// lists, when the oldest has ended, has ended too (MySQL 5.0 where the data starts
// at 5.5). Anything else stays unknown.
func (p *Product) older(v Verdict, parts []string, at time.Time) Verdict {
	var oldest *Release
	for i := range p.Releases {
		r := &p.Releases[i]
		if oldest == nil || compare(Components(r.Cycle), Components(oldest.Cycle)) < 0 {
			oldest = r
		}
	}
	if oldest == nil {
		v.Note = "no release cycle in the data"
		return v
	}
	oc := Components(oldest.Cycle)
	if compare(parts[:min(len(parts), len(oc))], oc) >= 0 {
		v.Note = "no release cycle in the data matches this version"
		return v
	}
	ended := oldest.EOL == Ended
	if end, err := time.Parse(time.DateOnly, oldest.EOL); err == nil && !end.After(at) {
		ended = true
	}
	if !ended {
		v.Note = "older than every cycle in the data, whose oldest (" + oldest.Cycle + ") has not ended"
		return v
	}
	v.Status = EOL
	v.Note = fmt.Sprintf("older than the oldest cycle in the data (%s, end of life %s); its own date is not in the data", oldest.Cycle, orEnded(oldest.EOL))
	return v
}

func orEnded(s string) string {
	if s == Ended {
		return "date unknown"
	}
	return s
}

// Components are the leading numeric components of a version: "5.11" → [5 11],
// "10.5.21-MariaDB-0+deb11u1" → [10 5 21], "2.0.0p648" → [2 0 0], "7 (2009)" → [7].
func Components(version string) []string {
	var out []string
	for _, f := range strings.Split(strings.TrimSpace(version), ".") {
		n := 0
		for n < len(f) && f[n] >= '0' && f[n] <= '9' {
			n++
		}
		if n == 0 {
			break
		}
		// Leading zeros are kept only in month-style cycles (Ubuntu 20.04,
		// Amazon Linux 2018.03), which the data writes the same way.
		out = append(out, f[:n])
		if n < len(f) {
			break
		}
	}
	return out
}

func compare(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// Upstream strips a package version to the upstream part: the Debian epoch
// ("1:") and revision ("-0+deb11u1"), and "+"/"~" suffixes, so
// "1:10.5.21-0+deb11u1" is "10.5.21" and "1:2.7+2" is "2.7".
func Upstream(version string) string {
	if i := strings.IndexByte(version, ':'); i >= 0 && isDigits(version[:i]) {
		version = version[i+1:]
	}
	if i := strings.IndexAny(version, "-+~"); i >= 0 {
		version = version[:i]
	}
	return version
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
