package survey

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/workers"
)

// withoutSecrets is the archive the surveyors read: each item's content and standard
// error scanned on this side (internal/secrets) for credentials the probe's filters
// did not know or an older probe let through, masked, and counted in one note per
// file. The archive given is not changed: a survey run twice on it (to plan the
// questions, then for the snapshot) says the same.
func withoutSecrets(a *evidence.Archive) (*evidence.Archive, []string) {
	var notes []string
	masked := map[*evidence.Item]*evidence.Item{}
	for i, m := range maskItems(a.Items) {
		if len(m.notes) > 0 {
			c := *a.Items[i]
			c.Data, c.Stderr = m.data, m.stderr
			masked[a.Items[i]] = &c
			// A file read twice (as itself and among the changed configs) is one note.
			notes = snapshot.AppendNew(notes, m.notes...)
		}
	}
	if len(masked) == 0 {
		return a, nil
	}
	b := &evidence.Archive{Version: a.Version, Boundary: a.Boundary, Header: a.Header, Complete: a.Complete, Problems: a.Problems}
	for _, it := range a.Items {
		if c, ok := masked[it]; ok {
			it = c
		}
		b.Add(it)
	}
	return b, notes
}

// maskedItem is one item's content and standard error masked, and the notes saying
// where.
type maskedItem struct {
	data, stderr []byte
	notes        []string
}

// maskItems masks every item, on every core: a survey's evidence is hundreds of
// items, and masking them is most of the time between the probe's end and the
// snapshot. The results come in the items' order.
func maskItems(items []*evidence.Item) []maskedItem {
	out := make([]maskedItem, len(items))
	workers.Each(len(items), func(i int) {
		it := items[i]
		data, inData := maskBody(it, it.Data)
		stderr, inStderr := maskBody(it, it.Stderr)
		out[i] = maskedItem{data, stderr, append(inData, inStderr...)}
	})
	return out
}

// Premask masks an item as the survey will, for the masking to be remembered
// (secrets.Mask keeps what it made of the texts it read last): given each item as it
// arrives, while the probe still runs, it leaves the survey at the probe's end little
// to mask.
func Premask(it *evidence.Item) {
	maskBody(it, it.Data)
	maskBody(it, it.Stderr)
}

// MaskEvidence is an evidence stream as --keep-evidence keeps it: every item's content
// masked as the survey masks it, the stream otherwise as it came, and what was
// masked, in notes. (An item whose content grows past its limit by the marker's
// length reads back as cut.)
func MaskEvidence(raw []byte) ([]byte, []string) {
	var notes []string
	out := evidence.RewriteBodies(raw, func(it *evidence.Item, _ bool, body []byte) []byte {
		masked, n := maskBody(it, body)
		notes = snapshot.AppendNew(notes, n...)
		return masked
	})
	return out, notes
}

// contentItems hold many files, each length-prefixed (the probe's _files_content).
var contentItems = map[string]bool{"files-dpkg-content": true, "files-rpm-content": true}

// maskBody masks one item's content, with a note per place something was masked: the
// file for a file item and for each file of a content item, else the command.
func maskBody(it *evidence.Item, body []byte) ([]byte, []string) {
	if it.Kind == evidence.KindCmd && contentItems[it.Name] {
		return maskContent(body, it.Source())
	}
	out, fs := secrets.Mask(body)
	if len(fs) == 0 {
		return body, nil
	}
	return out, []string{secrets.Note(len(fs), it.Source())}
}

// maskContent masks each file of a content item on its own and writes its length
// again, so the masked item still parses. What does not parse as a record (a stream
// cut short) is masked as it is.
func maskContent(body []byte, source string) ([]byte, []string) {
	var (
		out   bytes.Buffer
		notes []string
	)
	rest := body
	for len(rest) > 0 {
		head, after, ok := bytes.Cut(rest, []byte{'\n'})
		f := strings.SplitN(string(head), "\t", 3)
		n, err := strconv.Atoi(fieldOr(f, 1))
		if !ok || len(f) != 3 || f[0] != "F" || err != nil || n < 0 || n > len(after) {
			if !ok || f[0] == "F" {
				// not a line, or a record cut short: the rest as one text
				masked, fs := secrets.Mask(rest)
				if len(fs) > 0 {
					notes = append(notes, secrets.Note(len(fs), source))
				}
				out.Write(masked)
				break
			}
			masked, fs := secrets.Mask(head) // a note line: a path and why it was not read
			if len(fs) > 0 {
				notes = append(notes, secrets.Note(len(fs), source))
			}
			out.Write(masked)
			out.WriteByte('\n')
			rest = after
			continue
		}
		text, fs := secrets.Mask(after[:n])
		if len(fs) > 0 {
			notes = append(notes, secrets.Note(len(fs), f[2]))
		}
		out.WriteString("F\t" + strconv.Itoa(len(text)) + "\t" + f[2] + "\n")
		out.Write(text)
		rest = after[n:]
	}
	if len(notes) == 0 {
		return body, nil
	}
	return out.Bytes(), notes
}

func fieldOr(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}
