package snapshot

import "slices"

// Status is how completely a section, or one source of it, was collected.
type Status string

const (
	Collected   Status = "collected"
	Partial     Status = "partial"
	Unavailable Status = "unavailable"
	Denied      Status = "denied"
	TimedOut    Status = "timed_out"
	// Cut is evidence the stream ended inside of, or before: the session dropped,
	// the probe was stopped, a kept evidence file ends early. Neither a refusal nor
	// a command the watchdog stopped; surveying again may well read it.
	Cut           Status = "cut"
	NotApplicable Status = "not_applicable"
)

// Coverage is how completely a section was collected, and why.
type Coverage struct {
	Status   Status   `json:"status" jsonschema:"enum=collected,enum=partial,enum=unavailable,enum=denied,enum=timed_out,enum=cut,enum=not_applicable"`
	Reason   string   `json:"reason,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
	// Sources say how completely each source of a section built from several was
	// read (cron: crontabs, periodic scripts, anacrontab, systemd timers, atq), so
	// that what a source that was read holds is the whole truth of that source even
	// when another of the section's sources was not read. Status is then their sum:
	// partial when some were read and some were not. Empty for a section read from
	// one source, and in snapshots of a trowel older than the split.
	Sources []SourceCoverage `json:"sources,omitempty"`
}

// SourceCoverage is how completely one source of a section was read.
type SourceCoverage struct {
	// Name is the source as the section's items name it (CronJob.From,
	// LogShipper.From ...): "crontabs", "timers", "configs".
	Name     string   `json:"name"`
	Status   Status   `json:"status" jsonschema:"enum=collected,enum=partial,enum=unavailable,enum=denied,enum=timed_out,enum=cut,enum=not_applicable"`
	Reason   string   `json:"reason,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// Known reports whether the section's facts can be relied on as the whole truth.
func (c Coverage) Known() bool { return c.Status == Collected }

// Decided reports whether a status makes what was found the whole truth, so that a
// fact absent from it is absent: collected, or not applicable (looked at, and the
// host has none of the kind).
func (s Status) Decided() bool { return s == Collected || s == NotApplicable }

// Read reports whether the section was read, in full or in part: what it holds is
// true and may be shown or used, though only Decided makes it all there is.
func (s Status) Read() bool { return s == Collected || s == Partial }

// SourceRead is the one decision every consumer makes before it calls a fact
// absent: whether the source the fact would come from was read in full. It holds
// for any source of a section that was read in full; for a section read in part,
// only for the sources it lists as read. An item of no named source ("") needs the
// whole section. why says what was not read, for a reader: "offline: atq needs a
// running system".
func (c Coverage) SourceRead(name string) (read bool, why string) {
	if c.Status.Decided() {
		return true, ""
	}
	if i := slices.IndexFunc(c.Sources, func(s SourceCoverage) bool { return s.Name == name }); name != "" && i >= 0 {
		s := c.Sources[i]
		if s.Status.Decided() {
			return true, ""
		}
		return false, said(s.Status, s.Reason)
	}
	return false, said(c.Status, c.Reason)
}

// Unread are the sources of the section that were not read in full; for a section
// of no listed sources that was not read in full, the section itself, unnamed.
func (c Coverage) Unread() []SourceCoverage {
	if c.Status.Decided() {
		return nil
	}
	var out []SourceCoverage
	for _, s := range c.Sources {
		if !s.Status.Decided() {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []SourceCoverage{{Status: c.Status, Reason: c.Reason, Evidence: c.Evidence}}
	}
	return out
}

// said is a status with its reason: "unavailable: offline".
func said(st Status, reason string) string {
	if reason == "" {
		return string(st)
	}
	return string(st) + ": " + reason
}

// SectionSources are the sources of each section read from several, by the names
// its Coverage.Sources give them: the one list a surveyor's sources and a
// reader's words for them are checked against.
var SectionSources = map[Section][]string{
	SectionCron:     CronSources,
	SectionAccounts: {AccountsPasswd, AccountsGroup, AccountsShadow},
	SectionShippers: {ShippersConfigs, ShippersRunning, ShippersConnections, ShippersPositions},
	SectionServices: {ServicesDefinitions, ServicesRunning},
}
