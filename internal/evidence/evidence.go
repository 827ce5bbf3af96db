// Package evidence holds what trowel brought back from a host before any of it is
// interpreted: raw file contents and command outputs, each with its provenance and how
// it ended. The wire and archive format is described in docs/evidence-format.md.
package evidence

import (
	"fmt"
	"strings"
)

// Kind says how an item was obtained.
type Kind string

const (
	KindFile Kind = "file" // the content of a file
	KindCmd  Kind = "cmd"  // the standard output of a command
	KindList Kind = "list" // the entries of a directory
	KindMeta Kind = "meta" // written by trowel itself, not by the probe
)

// Status says how an item ended. Readers must treat every status other than StatusOK
// as "we do not know", never as "there is nothing".
type Status string

const (
	StatusOK      Status = "ok"
	StatusAbsent  Status = "absent"  // no such file, or command not installed
	StatusDenied  Status = "denied"  // exists, not readable by the surveying user
	StatusNotFile Status = "notfile" // not a regular file: never read, it could block
	StatusTimeout Status = "timeout" // killed by the probe's watchdog
	StatusSkipped Status = "skipped" // deliberately not read; Stderr says why
	StatusOffline Status = "offline" // a live command that cannot run on a mounted disk
	// StatusMissing is never written by a probe: a reader returns it for an item the
	// stream did not contain, and StatusCut for one the stream ended inside of.
	StatusMissing Status = "missing"
	StatusCut     Status = "cut"
)

// Item is one file, command output or directory listing.
type Item struct {
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`              // path for file and list items, a short name for cmd and meta
	Command string `json:"command,omitempty"` // the shell command text of a cmd item
	Limit   int64  `json:"limit"`
	Status  Status `json:"status"`
	RC      int    `json:"rc"`
	// Start and End are the target's uptime in seconds; zero when unknown.
	Start float64 `json:"start,omitempty"`
	End   float64 `json:"end,omitempty"`
	// Truncated: the item had more than Limit bytes and Data holds the first Limit.
	Truncated bool   `json:"truncated,omitempty"`
	Data      []byte `json:"-"`
	Stderr    []byte `json:"-"`
	// unreached marks an archive's placeholder for an item the stream ended before:
	// cut, though nothing of it was begun.
	unreached bool
}

// ID names an item uniquely within an archive: "file:/etc/passwd", "cmd:ps".
func (it *Item) ID() string { return ID(it.Kind, it.Name) }

// ID builds an item identifier from its kind and name.
func ID(k Kind, name string) string { return string(k) + ":" + name }

// Source is what a user can run or open to check a fact: the command, or the path.
func (it *Item) Source() string {
	if it.Kind == KindCmd && it.Command != "" {
		return it.Command
	}
	return it.Name
}

// Duration is how long the item took on the target, in seconds, or 0 when unknown.
func (it *Item) Duration() float64 {
	if it.Start == 0 || it.End < it.Start {
		return 0
	}
	return it.End - it.Start
}

// OK reports whether the item was read or ran, whatever the command's exit status.
func (it *Item) OK() bool { return it != nil && it.Status == StatusOK }

// Text is the item's content as a string, for parsers.
func (it *Item) Text() string {
	if it == nil {
		return ""
	}
	return string(it.Data)
}

// Problem describes in words why an item holds no usable content, or "" when it does.
func (it *Item) Problem() string {
	if it == nil {
		return "not collected"
	}
	why := strings.TrimSpace(string(it.Stderr))
	if len(why) > 200 {
		why = why[:200] + "…"
	}
	var s string
	switch it.Status {
	case StatusOK:
		if it.Kind == KindCmd && it.RC != 0 {
			s = fmt.Sprintf("%s exited with status %d", it.Source(), it.RC)
		} else {
			return ""
		}
	case StatusAbsent:
		if it.Kind == KindCmd {
			s = fmt.Sprintf("command %q is not installed", firstWord(it.Command))
		} else {
			s = it.Name + " does not exist"
		}
	case StatusDenied:
		s = "permission denied reading " + it.Name
	case StatusNotFile:
		s = it.Name + " is not a regular file, so it was not read"
	case StatusTimeout:
		s = fmt.Sprintf("%s did not finish in time and was stopped", it.Source())
	case StatusSkipped:
		s = "skipped " + it.Name
	case StatusOffline:
		s = fmt.Sprintf("%s needs a running system; the survey read a disk offline", it.Source())
	case StatusMissing:
		// A complete stream without it: the probe that wrote it did not collect it
		// (an older probe, or evidence trimmed by hand).
		s = it.Source() + " is not in the evidence: the probe that made it did not collect it"
	case StatusCut:
		s = "the collection was cut off while reading " + it.Source()
		if it.unreached {
			s = "the collection ended before " + it.Source() + " was reached"
		}
	default:
		s = fmt.Sprintf("%s ended with status %q", it.Source(), it.Status)
	}
	if why != "" && it.Status != StatusAbsent {
		s += ": " + why
	}
	return s
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t;|&"); i > 0 {
		return s[:i]
	}
	return s
}
