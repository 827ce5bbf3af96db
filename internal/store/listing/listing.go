// Package listing writes what the store holds — its hosts, one host's history,
// the audit trail — as a table for people or as JSON for tools. Every listing
// says what is not known as "not known", never as nothing.
package listing

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/trowel-dev/trowel/internal/store"
)

// Formats are the formats every listing is written in.
var Formats = []string{"table", "json"}

// CheckFormat says whether format is one of Formats.
func CheckFormat(format string) error {
	for _, f := range Formats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q: use --format %s", format, strings.Join(Formats, " or "))
}

// HostRow is a host as `trowel hosts --format json` writes it: the host, and its
// latest survey's summary at the top level.
type HostRow struct {
	store.Host
	// The rest is the latest survey's; absent while the host has none.
	// LastSurvey, the shallower field, takes "last_survey" from Host.Latest.
	OS         string            `json:"os,omitempty"`
	EndOfLife  *store.EOLSummary `json:"end_of_life,omitempty"`
	LastSurvey *SurveyRef        `json:"last_survey,omitempty"`
	Coverage   *store.Coverage   `json:"coverage,omitempty"`
	Findings   *store.Severities `json:"findings,omitempty"`
}

// SurveyRef names a survey and says when it was made.
type SurveyRef struct {
	Ref         string    `json:"ref"`
	Seq         int       `json:"seq"`
	CollectedAt time.Time `json:"collected_at"`
}

// Hosts writes every host with its latest survey's summary.
func Hosts(w io.Writer, format string, hosts []store.Host) error {
	if format == "json" {
		rows := make([]HostRow, 0, len(hosts))
		for _, h := range hosts {
			r := HostRow{Host: h}
			if l := h.Latest; l != nil {
				r.OS, r.EndOfLife, r.Coverage, r.Findings = l.OS, &l.EndOfLife, &l.Coverage, &l.Findings
				r.LastSurvey = &SurveyRef{Ref: l.Ref(), Seq: l.Seq, CollectedAt: l.CollectedAt}
			}
			rows = append(rows, r)
		}
		return writeJSON(w, rows)
	}
	if len(hosts) == 0 {
		_, err := fmt.Fprintln(w, "No host in the store yet: every survey is recorded in it.")
		return err
	}
	t := newTable(w, "NAME", "OS", "END OF LIFE", "LAST SURVEY", "COVERAGE", "FINDINGS", "GROUP")
	for _, h := range hosts {
		l := h.Latest
		if l == nil {
			t.row(h.Name, "not known", "not known", "none", "-", "-", h.Group)
			continue
		}
		t.row(h.Name, notKnown(l.OS), eol(l.EndOfLife), fmt.Sprintf("@%d %s", l.Seq, when(l.CollectedAt)),
			coverage(l.Coverage), findings(l.Findings), h.Group)
	}
	return t.flush()
}

// SurveyRow is a survey as history --format json writes it.
type SurveyRow struct {
	Ref string `json:"ref"`
	store.SurveyInfo
}

// History writes a host's surveys, the first recorded first.
func History(w io.Writer, format string, h store.Host, surveys []store.SurveyInfo) error {
	if format == "json" {
		rows := make([]SurveyRow, 0, len(surveys))
		for _, s := range surveys {
			rows = append(rows, SurveyRow{Ref: s.Ref(), SurveyInfo: s})
		}
		return writeJSON(w, struct {
			Host    store.Host  `json:"host"`
			Surveys []SurveyRow `json:"surveys"`
		}{h, rows})
	}
	head := h.Name
	if h.Group != "" {
		head += " (group " + h.Group + ")"
	}
	if _, err := fmt.Fprintf(w, "%s: %s\n\n", head, count(len(surveys), "survey")); err != nil {
		return err
	}
	t := newTable(w, "REF", "SURVEYED (UTC)", "SOURCE", "OS", "END OF LIFE", "COVERAGE", "FINDINGS", "RECORDED BY")
	for _, s := range surveys {
		by := "not known"
		if s.Operator != nil {
			by = s.Operator.User + "@" + s.Operator.Host + " (trowel " + s.Operator.TrowelVersion + ")"
		}
		t.row(s.Ref(), when(s.CollectedAt), s.SourceKind+" "+s.SourceTarget, notKnown(s.OS), eol(s.EndOfLife),
			coverage(s.Coverage), findings(s.Findings), by)
	}
	return t.flush()
}

// Audit writes audit entries in the order given (the store gives the newest first).
func Audit(w io.Writer, format string, entries []store.AuditEntry) error {
	if format == "json" {
		if entries == nil {
			entries = []store.AuditEntry{}
		}
		return writeJSON(w, entries)
	}
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "The audit trail is empty.")
		return err
	}
	t := newTable(w, "WHEN (UTC)", "OPERATOR", "TROWEL", "ACTION", "SURVEY", "TARGET", "OUTCOME", "COMMAND")
	for _, e := range entries {
		survey := "-"
		switch {
		case e.Survey > 0:
			survey = fmt.Sprintf("%s@%d", e.Host, e.Survey)
		case e.Host != "":
			survey = e.Host
		}
		t.row(when(e.At), e.Operator.User+"@"+e.Operator.Host, e.Operator.TrowelVersion, e.Action, survey, e.Target, e.Outcome, e.Operator.Command)
	}
	return t.flush()
}

func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func notKnown(s string) string {
	if s == "" {
		return "not known"
	}
	return s
}

func eol(e store.EOLSummary) string {
	switch {
	case e.Status == "eol" && e.Date != "":
		return "ended " + e.Date
	case e.Status == "supported" && e.Date != "":
		return "supported to " + e.Date
	case e.Status == "supported":
		return "supported, no end announced"
	case e.Status == "eol":
		return "ended"
	}
	return "not known"
}

func coverage(c store.Coverage) string {
	parts := []string{fmt.Sprintf("%d/%d collected", c.Collected, c.Sections()-c.NotApplicable)}
	if c.Partial > 0 {
		parts = append(parts, fmt.Sprintf("%d partial", c.Partial))
	}
	if m := c.Missing(); m > 0 {
		parts = append(parts, fmt.Sprintf("%d not collected", m))
	}
	if c.NotSurveyed > 0 {
		parts = append(parts, fmt.Sprintf("%d not surveyed by its trowel", c.NotSurveyed))
	}
	return strings.Join(parts, ", ")
}

func findings(f store.Severities) string {
	s := fmt.Sprintf("%d high, %d medium, %d low, %d info", f.High, f.Medium, f.Low, f.Info)
	if f.Inhibitors > 0 {
		s += " (" + count(f.Inhibitors, "inhibitor") + ")"
	}
	return s
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

// row writes one line; a cell's tabs and newlines (a command line may hold them)
// would break the columns, so they become spaces.
func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = strings.Join(strings.Fields(c), " ")
		if cells[i] == "" {
			cells[i] = "-"
		}
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// Requests writes the queued requests, the oldest first, with their jobs counted
// by state.
func Requests(w io.Writer, format string, reqs []store.RequestInfo) error {
	if format == "json" {
		if reqs == nil {
			reqs = []store.RequestInfo{}
		}
		return writeJSON(w, reqs)
	}
	if len(reqs) == 0 {
		_, err := fmt.Fprintln(w, "No request in the queue: trowel survey --enqueue queues hosts for trowel worker.")
		return err
	}
	t := newTable(w, "REQUEST", "QUEUED (UTC)", "BY", "HOSTS", "DONE", "FAILED", "IN FLIGHT", "WAITING")
	for _, r := range reqs {
		t.row(fmt.Sprint(r.ID), when(r.At), r.Operator.User+"@"+r.Operator.Host, fmt.Sprint(r.Jobs), fmt.Sprint(r.Done),
			fmt.Sprint(r.Failed), fmt.Sprint(r.Leased), fmt.Sprint(r.Queued))
	}
	return t.flush()
}

// Jobs writes a request's jobs in the order they were queued: where each stands,
// its attempts, the worker of the latest, and the survey recorded.
func Jobs(w io.Writer, format string, r store.RequestInfo, jobs []store.Job) error {
	if format == "json" {
		if jobs == nil {
			jobs = []store.Job{}
		}
		return writeJSON(w, struct {
			Request store.RequestInfo `json:"request"`
			Jobs    []store.Job       `json:"jobs"`
		}{r, jobs})
	}
	if _, err := fmt.Fprintf(w, "request %d, queued %s by %s: %s, %d done, %d failed, %d in flight, %d waiting\n\n",
		r.ID, when(r.At), r.Operator.User+"@"+r.Operator.Host, count(r.Jobs, "host"), r.Done, r.Failed, r.Leased, r.Queued); err != nil {
		return err
	}
	t := newTable(w, "HOST", "STATE", "ATTEMPTS", "WORKER", "SURVEY", "OUTCOME")
	for _, j := range jobs {
		state := string(j.State)
		switch {
		case j.State == store.JobLeased && j.LeaseUntil != nil:
			state += " until " + j.LeaseUntil.UTC().Format("15:04:05")
		case j.State == store.JobQueued && j.NotBefore != nil:
			state += " from " + j.NotBefore.UTC().Format("15:04:05")
		}
		t.row(j.Name, state, fmt.Sprintf("%d of %d", j.Attempts, j.MaxAttempts), j.Worker, j.Survey, j.Outcome)
	}
	return t.flush()
}
