package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Counts are the results counted by status.
type Counts struct {
	OK, Partial, Failed int
}

// Count counts results by status.
func Count(rs []Result) Counts {
	var c Counts
	for _, r := range rs {
		switch r.Status {
		case OK:
			c.OK++
		case Partial:
			c.Partial++
		default:
			c.Failed++
		}
	}
	return c
}

// Summary writes what became of every host: a line of counts, then each host
// that failed or stopped early with what happened and what to do, then the
// notes. where says where what was surveyed went ("recorded in STORE").
func Summary(w io.Writer, rs []Result, took time.Duration, where string) error {
	c := Count(rs)
	fmt.Fprintf(w, "%s in %s: %d surveyed", plural(len(rs), "host"), took.Round(time.Second), c.OK)
	if c.Partial > 0 {
		fmt.Fprintf(w, ", %d stopped early (what arrived is kept)", c.Partial)
	}
	if c.Failed > 0 {
		fmt.Fprintf(w, ", %d failed", c.Failed)
	}
	if where != "" {
		fmt.Fprintf(w, "; %s", where)
	}
	fmt.Fprintln(w)
	if c.Partial+c.Failed > 0 {
		width := 4
		for _, r := range rs {
			if r.Status != OK {
				width = max(width, len(r.Name))
			}
		}
		fmt.Fprintf(w, "\n%-*s  %s\n", width, "HOST", "WHAT HAPPENED / WHAT TO DO")
		for _, r := range rs {
			if r.Status == OK {
				continue
			}
			problem := r.Problem
			if r.Ref != "" {
				problem += " [kept as " + r.Ref + "]"
			}
			fmt.Fprintf(w, "%-*s  %s: %s\n", width, r.Name, r.Status, oneLine(problem))
			if r.Advice != "" {
				fmt.Fprintf(w, "%-*s  → %s\n", width, "", oneLine(r.Advice))
			}
		}
	}
	var notes []string
	for _, r := range rs {
		for _, n := range r.Notes {
			notes = append(notes, r.Name+": "+n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range notes {
			fmt.Fprintln(w, "  "+strings.ReplaceAll(strings.TrimSpace(n), "\n", "\n    "))
		}
	}
	return nil
}

// JSON writes the results for tools: every host with its status, what was
// recorded or written, and for a failure what happened and what to do.
func JSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rs)
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
