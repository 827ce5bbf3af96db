package store

import (
	"cmp"
	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Summary is what a listing says of one survey, kept in the survey's own row
// when it is recorded, so that listing a thousand hosts decodes no snapshot.
type Summary struct {
	OS        string     `json:"os"`
	OSID      string     `json:"os_id,omitempty"`
	OSVersion string     `json:"os_version,omitempty"`
	EndOfLife EOLSummary `json:"end_of_life"`
	Coverage  Coverage   `json:"coverage"`
	Findings  Severities `json:"findings"`
}

// EOLSummary is the operating system's end of life as the survey judged it.
type EOLSummary struct {
	// Status is supported, eol, or unknown (no data matched the OS, or the OS
	// itself is not known): never a guess.
	Status string `json:"status"`
	// Date is the end of security support (YYYY-MM-DD), "" when none is known.
	Date string `json:"date,omitempty"`
}

// Coverage counts the snapshot's sections by how completely they were collected.
// NotSurveyed counts sections this trowel knows that the snapshot does not
// mention at all (an older trowel made it).
type Coverage struct {
	Collected     int `json:"collected"`
	Partial       int `json:"partial"`
	Unavailable   int `json:"unavailable"`
	Denied        int `json:"denied"`
	TimedOut      int `json:"timed_out"`
	NotApplicable int `json:"not_applicable"`
	NotSurveyed   int `json:"not_surveyed"`
}

// Sections is how many sections the counts cover.
func (c Coverage) Sections() int {
	return c.Collected + c.Partial + c.Unavailable + c.Denied + c.TimedOut + c.NotApplicable + c.NotSurveyed
}

// Missing is how many sections the survey asked for and could not collect, for
// whatever reason on the host. Sections the survey's trowel did not know yet are
// NotSurveyed, apart: another survey by this trowel collects them, where a gap on
// the host needs rights, tools or a running system.
func (c Coverage) Missing() int { return c.Unavailable + c.Denied + c.TimedOut }

// Severities counts findings by severity; Inhibitors counts those (of any
// severity) that block a safe migration.
type Severities struct {
	High       int `json:"high"`
	Medium     int `json:"medium"`
	Low        int `json:"low"`
	Info       int `json:"info"`
	Inhibitors int `json:"inhibitors"`
}

func summarize(s *snapshot.Snapshot, findings []analyze.Finding) Summary {
	sum := Summary{
		OS:        cmp.Or(s.OS.PrettyName, joinNonEmpty(s.OS.Name, s.OS.Version)),
		OSID:      s.OS.ID,
		OSVersion: cmp.Or(s.OS.VersionID, s.OS.Version),
		EndOfLife: EOLSummary{Status: "unknown"},
	}
	for _, e := range s.EndOfLife {
		if e.Of == "os" {
			sum.EndOfLife = EOLSummary{Status: cmp.Or(e.Status, "unknown"), Date: e.EOL}
			break
		}
	}
	for _, sec := range snapshot.Sections {
		c, ok := s.Coverage[sec]
		if !ok {
			sum.Coverage.NotSurveyed++
			continue
		}
		switch c.Status {
		case snapshot.Collected:
			sum.Coverage.Collected++
		case snapshot.Partial:
			sum.Coverage.Partial++
		case snapshot.Denied:
			sum.Coverage.Denied++
		case snapshot.TimedOut:
			sum.Coverage.TimedOut++
		case snapshot.NotApplicable:
			sum.Coverage.NotApplicable++
		default: // unavailable, or a word this trowel does not know: not collected
			sum.Coverage.Unavailable++
		}
	}
	for _, f := range findings {
		switch f.Severity {
		case analyze.High:
			sum.Findings.High++
		case analyze.Medium:
			sum.Findings.Medium++
		case analyze.Low:
			sum.Findings.Low++
		default:
			sum.Findings.Info++
		}
		if f.Inhibitor {
			sum.Findings.Inhibitors++
		}
	}
	return sum
}

func joinNonEmpty(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + " " + b
}
