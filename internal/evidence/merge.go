package evidence

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Merge joins the two streams of a probe that ran its plan in two halves at once
// (probe.HalvesArg) into the one stream a probe that ran it whole writes: the first
// half's stream (the probe's standard output: the header, the first half's items)
// and then the second's (its standard error: a header line of the same boundary, the
// second half's items, and among them, anywhere, the probe's own error output as X
// records). In that order, a stream kept and read again decodes to the items of a
// whole run in the order of a whole run, whatever reads them in order. Each half ends
// with a Z record that says it is one of two: the merged stream gets its end record
// only once both have arrived, so a stream with one half cut short is incomplete, as
// a whole run cut short is. A stream whose Z says nothing of halves (the probe ran
// the plan whole) passes as it is.
//
// The live writer gets each item of either half as soon as the next record of its
// stream shows it has ended, so that a follower works on both halves while they run.
// Text on the second stream that is no record of it (sudo's prompt, a shell's message
// before the probe started, the X records' text) goes to the stray writer.
type Merge struct {
	mu   sync.Mutex
	out  io.Writer
	live io.Writer
	err  error

	first, second half
	// held is what of the second half has ended before the first did.
	held  []byte
	ended int // halves whose Z record has arrived
	endAt string
	stray io.Writer
}

// half is one stream's state.
type half struct {
	buf      []byte
	boundary string
	header   bool // the header line has arrived (the first stream: and gone out)
	lead     bool // the first stream: everything before its first item has gone out
	ended    bool
	// from and xfrom are where in buf the next search for a record and for an X
	// record begins: what was searched before holds none.
	from, xfrom int
}

// NewMerge writes the merged stream to out and, when live is not nil, each item to
// live as soon as it has ended.
func NewMerge(out, live io.Writer) *Merge { return &Merge{out: out, live: live} }

// First is the writer of the first half's stream.
func (m *Merge) First() io.Writer { return firstWriter{m} }

// Second is the writer of the second half's stream; what in it is no record of the
// evidence goes on to stray.
func (m *Merge) Second(stray io.Writer) io.Writer {
	m.mu.Lock()
	m.stray = stray
	m.mu.Unlock()
	return secondWriter{m}
}

type firstWriter struct{ m *Merge }

func (w firstWriter) Write(p []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.first.buf = append(w.m.first.buf, p...)
	w.m.pumpFirst()
	w.m.pumpSecond()
	return len(p), w.m.err
}

type secondWriter struct{ m *Merge }

func (w secondWriter) Write(p []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.second.buf = append(w.m.second.buf, p...)
	w.m.pumpSecond()
	return len(p), nil
}

// Close writes what is left of both streams: an item cut short in either is written
// as far as it arrived. It returns the first error writing the merged stream.
func (m *Merge) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pumpFirst()
	m.pumpSecond()
	if !m.first.ended {
		// Its lead, if it never reached an item, or its last item as far as it came.
		m.write(m.first.buf)
	}
	m.first.buf = nil
	m.write(m.held)
	m.held = nil
	if m.second.header && !m.second.ended && m.second.boundary == m.first.boundary {
		m.write(m.second.buf)
	} else {
		m.writeStray(m.second.buf)
	}
	m.second.buf = nil
	return m.err
}

func (m *Merge) write(b []byte) {
	if m.err == nil && len(b) > 0 {
		_, m.err = m.out.Write(b)
	}
}

// pass writes an ended item (or the first stream's lead) to the live writer, and
// to out in the order of a whole run: the second half's once the first has ended.
func (m *Merge) pass(b []byte, second bool) {
	if m.live != nil && len(b) > 0 {
		_, _ = m.live.Write(b)
	}
	if second && !m.first.ended {
		m.held = append(m.held, b...)
		return
	}
	m.write(b)
}

func (m *Merge) writeStray(b []byte) {
	if m.stray != nil && len(b) > 0 {
		_, _ = m.stray.Write(b)
	}
}

// pumpFirst writes the first stream's lead (header line, H record) and then each item
// that has ended, holding back the last, which may not have.
func (m *Merge) pumpFirst() {
	h := &m.first
	if h.ended {
		return
	}
	if !h.header {
		start := findMagic(h.buf)
		if start < 0 {
			return
		}
		nl := bytes.IndexByte(h.buf[start:], '\n')
		if nl < 0 {
			return
		}
		h.boundary = boundaryOf(h.buf[start : start+nl])
		h.header = true
	}
	m.items(h, func(b []byte) {
		m.pass(b, false)
		h.lead = true
	})
}

// pumpSecond writes the second stream's items once the first's lead has gone out
// (the merged stream starts with the first's header).
func (m *Merge) pumpSecond() {
	h := &m.second
	if h.ended {
		m.writeStray(h.buf)
		h.buf = h.buf[:0]
		return
	}
	if !h.header {
		start := findMagic(h.buf)
		if start < 0 {
			// Hold back only what may be the start of the header line: the rest
			// (sudo's messages) may be needed to explain a failure before Close.
			keep := bytes.LastIndexByte(h.buf, '\n') + 1
			if !strings.HasPrefix(Magic, string(h.buf[keep:])) {
				keep = len(h.buf)
			}
			m.writeStray(h.buf[:keep])
			h.buf = h.buf[keep:]
			return
		}
		nl := bytes.IndexByte(h.buf[start:], '\n')
		if nl < 0 {
			m.writeStray(h.buf[:start])
			h.buf = h.buf[start:]
			return
		}
		m.writeStray(h.buf[:start])
		h.boundary = boundaryOf(h.buf[start : start+nl])
		h.buf = h.buf[start+nl+1:] // from the newline that starts its first record
		h.header = true
	}
	m.takeStray(h)
	if !m.first.lead || h.boundary != m.first.boundary {
		return
	}
	m.items(h, func(b []byte) {
		if !bytes.HasPrefix(b, []byte("\n"+h.boundary+" B ")) {
			// Before its first item: no record of the evidence.
			m.writeStray(b)
			return
		}
		m.pass(b, true)
	})
}

// takeStray takes the X records ("BOUNDARY X text" and its newline) out of h's buffer,
// wherever they are, even inside a line of the half's, and gives their text to the
// stray writer; it leaves an X record not yet ended, which a later write ends (one
// write of one line, so nothing of the half comes inside it).
func (m *Merge) takeStray(h *half) {
	sep := []byte(h.boundary + " X ")
	for {
		i := bytes.Index(h.buf[h.xfrom:], sep)
		if i < 0 {
			h.xfrom = max(h.xfrom, len(h.buf)-len(sep)+1)
			return
		}
		i += h.xfrom
		nl := bytes.IndexByte(h.buf[i+len(sep):], '\n')
		if nl < 0 {
			h.xfrom = i
			return
		}
		end := i + len(sep) + nl + 1
		m.writeStray(h.buf[i+len(sep) : end])
		h.buf = append(h.buf[:i], h.buf[end:]...)
		h.xfrom = i
	}
}

// items hands each ended item of h (from its begin record to the next begin or end
// record) to put, and at h's Z record ends h. What comes before the first begin
// record (the first stream's header) goes to put as one piece.
func (m *Merge) items(h *half, put func([]byte)) {
	begin := []byte("\n" + h.boundary + " B ")
	end := []byte("\n" + h.boundary + " Z ")
	for len(h.buf) > 0 {
		if bytes.HasPrefix(h.buf, end) {
			nl := bytes.IndexByte(h.buf[1:], '\n')
			if nl < 0 {
				return
			}
			m.end(h, h.buf[:nl+2])
			m.writeStray(h.buf[nl+2:])
			h.buf, h.xfrom = nil, 0
			return
		}
		from := max(1, h.from)
		next := -1
		if i := bytes.Index(h.buf[from:], begin); i >= 0 {
			next = from + i
		}
		if i := bytes.Index(h.buf[from:], end); i >= 0 && (next < 0 || from+i < next) {
			next = from + i
		}
		if next < 0 {
			// Both markers are as long: one that begins here is not cut yet.
			h.from = max(from, len(h.buf)-len(begin)+1)
			return
		}
		put(h.buf[:next])
		h.buf = h.buf[next:]
		h.from, h.xfrom = 0, max(0, h.xfrom-next)
	}
}

// end takes a half's Z record.
func (m *Merge) end(h *half, z []byte) {
	h.ended = true
	f := strings.Fields(string(z))
	if len(f) < 4 || f[3] != "1/2" && f[3] != "2/2" {
		m.pass(z, h == &m.second)
		return
	}
	m.ended++
	if m.endAt == "" || later(f[2], m.endAt) {
		m.endAt = f[2]
	}
	if h == &m.first {
		m.write(m.held)
		m.held = nil
	}
	if m.ended == 2 {
		z := []byte("\n" + m.first.boundary + " Z " + m.endAt + "\n")
		m.write(z)
		if m.live != nil {
			_, _ = m.live.Write(z)
		}
	}
}

// later reports whether uptime a is after b ("-": unknown).
func later(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && (err2 != nil || x > y)
}

// boundaryOf is the boundary a header line names, "" when it is malformed.
func boundaryOf(line []byte) string {
	f := strings.Fields(string(line))
	if len(f) != 2 {
		return ""
	}
	return f[1]
}
