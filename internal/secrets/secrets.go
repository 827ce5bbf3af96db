// Package secrets is trowel's second line of defence: the probe removes credentials on
// the target before anything is sent, and this scan runs on the operator's side
// before anything is written (the snapshot, kept evidence, reports, specs, diffs,
// Ansible projects), so a credential the probe did not know, or that an older probe
// let through, is masked there. It uses a maintained rule set, gitleaks' (tuned: its
// defaults take SSH key fingerprints, file digests and trowel's own markers for API
// keys), and trowel's own rules for credentials on command lines, which gitleaks
// misses (--key V, mysqldump -pV, ?token=V).
//
// What it finds is replaced by the marker the probe uses and counted; the value is
// never kept, not even in a Finding. It imports no pipeline stage.
package secrets

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/trowel-dev/trowel/internal/workers"
)

// Marker replaces a masked value: the probe's own (internal/redact).
const Marker = "<redacted>"

// Finding is one value that looked like a secret: which rule saw it and on which line
// of the data (1-based). It never holds the value.
type Finding struct {
	Rule string
	Line int
}

// chunk is how much text gitleaks reads at once, cut at line ends.
const chunk = 2 << 10

// Mask returns data with every value that looks like a secret replaced by Marker, and
// what was found. Lines are never joined or split; data with nothing to mask comes back
// as it was (the same bytes).
func Mask(data []byte) ([]byte, []Finding) {
	if len(data) < memoMin {
		return mask(data)
	}
	key := sha256.Sum256(data)
	if out, findings, ok := recent.get(key); ok {
		if findings == nil {
			return data, nil
		}
		return out, findings
	}
	out, findings := mask(data)
	recent.put(key, out, findings)
	return out, findings
}

func mask(data []byte) ([]byte, []Finding) {
	lines := strings.SplitAfter(string(data), "\n")
	// A private key block goes whole, whatever a rule would make of its lines.
	lines, findings := maskKeyBlocks(lines, 1, nil)
	findings = append(findings, inParallel(lineSpans(lines), func(s span) []Finding {
		return maskRules(lines, s)
	})...)
	findings = maskArgvItems(lines, findings)
	// gitleaks reads bounded fragments of whole lines: its cost grows with the lines
	// of a fragment times the matches in it, so this keeps the whole scan linear.
	findings = append(findings, inParallel(fragments(lines), func(s span) []Finding {
		return maskFragment(lines, s)
	})...)
	if len(findings) == 0 {
		return data, nil
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
	return []byte(strings.Join(lines, "")), findings
}

// span is lines[from:to].
type span struct{ from, to int }

// maskRules applies trowel's rules to each line of s.
func maskRules(lines []string, s span) []Finding {
	var findings []Finding
	for i := s.from; i < s.to; i++ {
		l := lines[i]
		lower := strings.ToLower(l)
		for _, r := range rules {
			var n int
			l, n = r.mask(l, lower)
			for range n {
				findings = append(findings, Finding{Rule: r.name, Line: i + 1})
			}
		}
		lines[i] = l
	}
	return findings
}

// fragments cuts lines into the runs gitleaks reads at once: whole lines, at most
// chunk bytes unless one line alone is longer.
func fragments(lines []string) []span {
	var out []span
	for at := 0; at < len(lines); {
		end, size := at, 0
		for end < len(lines) && (end == at || size+len(lines[end]) <= chunk) {
			size += len(lines[end])
			end++
		}
		out = append(out, span{at, end})
		at = end
	}
	return out
}

// maskFragment masks what gitleaks finds in one fragment.
func maskFragment(lines []string, s span) []Finding {
	var findings []Finding
	for _, f := range gitleaks(strings.Join(lines[s.from:s.to], "")) {
		i := s.from + f.line
		if f.line < 0 || i >= s.to || !strings.Contains(lines[i], f.secret) {
			continue
		}
		lines[i] = strings.ReplaceAll(lines[i], f.secret, Marker)
		findings = append(findings, Finding{Rule: "gitleaks:" + f.rule, Line: i + 1})
	}
	return findings
}

// lineSpans cuts lines into runs of about parallelBytes each, for the line rules.
func lineSpans(lines []string) []span {
	var out []span
	for at := 0; at < len(lines); {
		end, size := at, 0
		for end < len(lines) && (end == at || size < parallelBytes) {
			size += len(lines[end])
			end++
		}
		out = append(out, span{at, end})
		at = end
	}
	return out
}

// parallelBytes is about how much text one goroutine masks at a time: a large
// evidence item or snapshot is masked on every core, since masking is most of what
// trowel itself spends on a survey, and on the path between the probe's end and the
// snapshot.
const parallelBytes = 32 << 10

// inParallel runs work on each span, on every core, and returns the findings in span
// order: the same as one goroutine going through the spans in turn, since each span
// touches only its own lines.
func inParallel(spans []span, work func(span) []Finding) []Finding {
	results := make([][]Finding, len(spans))
	workers.Each(len(spans), func(i int) { results[i] = work(spans[i]) })
	var all []Finding
	for _, r := range results {
		all = append(all, r...)
	}
	return all
}

// Clean is Mask for a writer that has nowhere to report what it found: the count
// only, for a line on standard error.
func Clean(data []byte) ([]byte, int) {
	out, fs := Mask(data)
	return out, len(fs)
}

// Note says in the snapshot's words what was masked in one place.
func Note(n int, where string) string {
	if n == 1 {
		return fmt.Sprintf("1 value that looked like a secret was masked in %s", where)
	}
	return fmt.Sprintf("%d values that looked like secrets were masked in %s", n, where)
}

// A survey has the same text masked several times over: each evidence item when
// the questions to ask are planned, again when the snapshot is made, and again when
// the evidence is stored; and hosts of one estate share many files. Masking is a
// pure function of the text and costs about 0.2 s of CPU per megabyte, most of a
// survey's CPU at a thousand hosts, so Mask remembers what it made of the texts it
// read last, by their SHA-256 (which costs a hundredth of a scan; of a short text's,
// which still sets up every rule and gitleaks' detector, a hundredth too: about 0.3
// against 28 microseconds for 80 bytes, and most of a survey's items are short).
const (
	memoMin   = 1        // the empty text is not worth remembering
	memoLimit = 32 << 20 // bytes of masked output (and bookkeeping) remembered
)

var recent = &memo{entries: map[[32]byte]*list.Element{}, order: list.New()}

// memo is a bounded set of recent Mask results, the least recently used dropped
// first. It is safe for concurrent use; a text two goroutines mask at once is
// masked by both.
type memo struct {
	mu      sync.Mutex
	entries map[[32]byte]*list.Element
	order   *list.List // of *memoEntry, the most recent first
	size    int
}

type memoEntry struct {
	key [32]byte
	// out is the masked text, nil when nothing was masked (the input is then
	// the output, and no copy is kept).
	out      []byte
	findings []Finding
}

func (e *memoEntry) size() int { return len(e.out) + 32*len(e.findings) + 128 }

// get gives a copy of what was remembered, so that no caller can change it for
// the next.
func (m *memo) get(key [32]byte) ([]byte, []Finding, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.entries[key]
	if !ok {
		return nil, nil, false
	}
	m.order.MoveToFront(el)
	e := el.Value.(*memoEntry)
	return bytes.Clone(e.out), slices.Clone(e.findings), true
}

func (m *memo) put(key [32]byte, out []byte, findings []Finding) {
	e := &memoEntry{key: key}
	if findings != nil {
		e.out, e.findings = bytes.Clone(out), slices.Clone(findings)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[key]; ok {
		return
	}
	m.entries[key] = m.order.PushFront(e)
	m.size += e.size()
	for m.size > memoLimit {
		oldest := m.order.Back()
		old := oldest.Value.(*memoEntry)
		m.order.Remove(oldest)
		delete(m.entries, old.key)
		m.size -= old.size()
	}
}
