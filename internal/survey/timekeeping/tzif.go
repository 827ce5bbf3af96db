package timekeeping

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // zones resolve on any operator machine, whatever it has installed
)

// TZif is what the content of a zone file tells.
type TZif struct {
	// Footer is the POSIX TZ string of a version 2+ file ("JST-9",
	// "EST5EDT,M3.2.0,M11.1.0"); "" in a version 1 file (old CentOS 5 builds).
	Footer string
	// Candidates are the tz database zones that give the same UTC offsets at every
	// sampled instant from 1970 to the survey: the zone the copy was made from, and
	// its aliases.
	Candidates []string
	// SameNames are the candidates that also use the same abbreviations ("JST"),
	// which tells Asia/Tokyo from Pacific/Palau when the copy's tzdata and ours agree
	// on them.
	SameNames []string
}

// IdentifyTZif names the zone a copied /etc/localtime was made from, by comparing
// its offsets with every zone of Go's embedded tzdata. Abbreviations are not
// compared (tzdata renamed many since CentOS 5), nor instants after the survey
// (an old copy's guess about the future may since have been overruled).
func IdentifyTZif(data []byte, at time.Time) (TZif, error) {
	var out TZif
	if !bytes.HasPrefix(data, []byte("TZif")) || len(data) < 44 {
		return out, errors.New("not a TZif zone file")
	}
	if data[4] >= '2' && bytes.HasSuffix(data, []byte("\n")) {
		body := data[:len(data)-1]
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 && printable(body[i+1:]) {
			out.Footer = string(body[i+1:])
		}
	}
	loc, err := time.LoadLocationFromTZData("localtime", data)
	if err != nil {
		return out, err
	}
	coarse, fine := samples(at)
	for _, name := range zoneNames {
		z, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		if sameOffsets(loc, z, coarse) && sameOffsets(loc, z, fine) {
			out.Candidates = append(out.Candidates, name)
			if sameNames(loc, z, fine) {
				out.SameNames = append(out.SameNames, name)
			}
		}
	}
	return out, nil
}

func printable(b []byte) bool {
	if len(b) == 0 || len(b) > 128 {
		return false
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// samples returns a quick first sieve and the full weekly grid from 1970 to at.
func samples(at time.Time) (coarse, fine []time.Time) {
	start := time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC)
	if at.Before(start) {
		at = time.Now()
	}
	for t := start; !t.After(at); t = t.Add(7 * 24 * time.Hour) {
		fine = append(fine, t)
	}
	for i := 0; i < len(fine); i += len(fine)/24 + 1 {
		coarse = append(coarse, fine[i])
	}
	return coarse, fine
}

func sameOffsets(a, b *time.Location, ts []time.Time) bool {
	for _, t := range ts {
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

func sameNames(a, b *time.Location, ts []time.Time) bool {
	for _, t := range ts {
		na, _ := t.In(a).Zone()
		nb, _ := t.In(b).Zone()
		if na != nb {
			return false
		}
	}
	return true
}

// backwardDirs hold the tz database's old names kept as links (the "backward"
// file): never the canonical name of a zone.
var backwardDirs = []string{"Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/"}

// Canonical narrows candidates to the names that are not old aliases: "Asia/Tokyo"
// from {"Asia/Tokyo", "Japan"}.
func Canonical(candidates []string) []string {
	var out []string
	for _, c := range candidates {
		if !strings.Contains(c, "/") {
			continue
		}
		old := false
		for _, d := range backwardDirs {
			if strings.HasPrefix(c, d) {
				old = true
			}
		}
		if !old {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
