package evidence

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Magic starts every evidence stream; FormatVersion is the version this code writes.
const (
	Magic         = "TROWEL-EVIDENCE/"
	FormatVersion = 1
)

// MaxStream bounds how much of a stream is read into memory. A real host's evidence
// is a few megabytes; anything near this is hostile or broken.
const MaxStream = 1 << 30

// ErrNoEvidence is returned when the input holds no evidence stream at all.
var ErrNoEvidence = errors.New("no trowel evidence found (the TROWEL-EVIDENCE header line is missing)")

// ReadAll reads a whole stream into memory, gzip-compressed or not, up to MaxStream
// bytes. It returns what it read along with any error, so a stream cut off by a
// dropped connection is still decoded.
func ReadAll(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("evidence is gzip-compressed but unreadable: %w", err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	return io.ReadAll(io.LimitReader(r, MaxStream+1))
}

// Decode reads a whole stream with ReadAll. A read error after some data (a dropped
// SSH session) is not fatal: everything received is decoded, the archive is marked
// incomplete, and the error is recorded among its problems.
func Decode(r io.Reader) (*Archive, error) {
	a, _, err := DecodeReader(r)
	return a, err
}

// DecodeReader is Decode that also returns the bytes it decoded, for callers that keep
// the raw stream (to fingerprint it, or to write it out again).
func DecodeReader(r io.Reader) (*Archive, []byte, error) {
	data, readErr := ReadAll(r)
	a, err := DecodeBytes(data)
	if err != nil {
		if readErr != nil {
			return nil, nil, fmt.Errorf("%w (reading stopped: %v)", err, readErr)
		}
		return nil, nil, err
	}
	if len(data) > MaxStream {
		a.Complete = false
		a.Problems = append(a.Problems, fmt.Sprintf("stream larger than %d bytes; the rest was not read", MaxStream))
	}
	if readErr != nil {
		a.Complete = false
		a.Problems = append(a.Problems, "reading the stream failed: "+readErr.Error())
	}
	return a, data, nil
}

// DecodeBytes decodes a stream held in memory. Item data aliases b.
func DecodeBytes(b []byte) (*Archive, error) {
	start := findMagic(b)
	if start < 0 {
		return nil, ErrNoEvidence
	}
	b = b[start:]
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return nil, fmt.Errorf("evidence header line is cut short")
	}
	fields := strings.Fields(string(b[:nl]))
	if len(fields) != 2 || len(fields[1]) < 8 {
		return nil, fmt.Errorf("malformed evidence header line %q", truncate(string(b[:nl]), 80))
	}
	version, err := strconv.Atoi(strings.TrimPrefix(fields[0], Magic))
	if err != nil {
		return nil, fmt.Errorf("malformed evidence version in %q", truncate(fields[0], 40))
	}
	if version > FormatVersion {
		return nil, fmt.Errorf("evidence format version %d is newer than this trowel understands (%d); upgrade trowel", version, FormatVersion)
	}
	a := &Archive{Version: version, Boundary: fields[1], Header: map[string]string{}, byID: map[string]*Item{}}
	sep := []byte("\n" + a.Boundary + " ")
	rest := b[nl+1:]
	// Records are separated by sep; the text before the first one is empty by design.
	if i := bytes.Index(rest, sep); i >= 0 {
		rest = rest[i:]
	} else {
		rest = nil
	}
	var cur *Item
	finish := func(st Status) {
		if cur == nil {
			return
		}
		if st != "" {
			cur.Status = st
		}
		a.Add(cur)
		cur = nil
	}
	for len(rest) > 0 {
		rest = rest[len(sep):]
		end := bytes.Index(rest, sep)
		var rec []byte
		if end < 0 {
			rec, rest = rest, nil
		} else {
			rec, rest = rest[:end], rest[end:]
		}
		lineEnd := bytes.IndexByte(rec, '\n')
		var line string
		var body []byte
		if lineEnd < 0 {
			line = string(rec)
		} else {
			line, body = string(rec[:lineEnd]), rec[lineEnd+1:]
		}
		kind, args, _ := strings.Cut(line, " ")
		switch kind {
		case "H":
			for _, kv := range strings.Fields(args) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					a.Header[k] = v
				}
			}
		case "B":
			if cur != nil {
				a.Problems = append(a.Problems, fmt.Sprintf("item %s has no end record", cur.ID()))
				finish(StatusCut)
			}
			it, err := parseBegin(args)
			if err != nil {
				a.Problems = append(a.Problems, err.Error())
				continue
			}
			cur = it
			cur.Status = StatusCut // until its end record says otherwise
			cur.Data = body
			if lineEnd < 0 {
				cur.Data = nil
			}
			if cur.Limit >= 0 && int64(len(cur.Data)) > cur.Limit {
				cur.Data = cur.Data[:cur.Limit]
				cur.Truncated = true
			}
		case "S":
			if cur == nil {
				a.Problems = append(a.Problems, "standard error record outside an item")
				continue
			}
			cur.Stderr = body
		case "E":
			if cur == nil {
				a.Problems = append(a.Problems, "end record outside an item")
				continue
			}
			if err := parseEnd(cur, args); err != nil {
				a.Problems = append(a.Problems, fmt.Sprintf("item %s: %v", cur.ID(), err))
				finish(StatusCut)
				continue
			}
			finish("")
		case "Z":
			finish(StatusCut)
			a.Complete = true
		default:
			a.Problems = append(a.Problems, fmt.Sprintf("unknown record %q", truncate(line, 60)))
		}
	}
	if cur != nil {
		a.Problems = append(a.Problems, fmt.Sprintf("stream ended inside item %s", cur.ID()))
		finish(StatusCut)
	}
	return a, nil
}

// findMagic locates the header line, which must start a line: junk before it (a banner,
// a sudo prompt echoed on a terminal) is skipped.
func findMagic(b []byte) int {
	off := 0
	for {
		i := bytes.Index(b[off:], []byte(Magic))
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || b[i-1] == '\n' || b[i-1] == '\r' {
			return i
		}
		off = i + 1
	}
}

func parseBegin(args string) (*Item, error) {
	kind, rest, _ := strings.Cut(args, " ")
	limStr, rest, ok := strings.Cut(rest, " ")
	if !ok {
		return nil, fmt.Errorf("malformed item record %q", truncate(args, 80))
	}
	limit, err := strconv.ParseInt(limStr, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("malformed item limit in %q", truncate(args, 80))
	}
	it := &Item{Kind: Kind(kind), Limit: limit}
	switch it.Kind {
	case KindFile, KindList:
		it.Name = rest
	case KindCmd, KindMeta:
		it.Name, it.Command, _ = strings.Cut(rest, " ")
	default:
		return nil, fmt.Errorf("unknown item kind %q", truncate(kind, 20))
	}
	if it.Name == "" {
		return nil, fmt.Errorf("item record without a name: %q", truncate(args, 80))
	}
	return it, nil
}

func parseEnd(it *Item, args string) error {
	f := strings.Fields(args)
	if len(f) < 4 {
		return fmt.Errorf("malformed end record %q", truncate(args, 80))
	}
	it.Status = Status(f[0])
	rc, err := strconv.Atoi(f[1])
	if err != nil {
		return fmt.Errorf("malformed exit status %q", truncate(f[1], 20))
	}
	it.RC = rc
	it.Start, _ = strconv.ParseFloat(f[2], 64) // "-" means unknown and parses as 0
	it.End, _ = strconv.ParseFloat(f[3], 64)
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Writer produces an evidence stream. trowel writes one when it reads a mounted disk,
// and appends its own meta items to streams received from a probe.
type Writer struct {
	w        io.Writer
	boundary string
	err      error
}

// NewWriter starts a stream with a fresh random boundary and writes the header line.
func NewWriter(w io.Writer) *Writer {
	var b [16]byte
	_, _ = rand.Read(b[:])
	wr := &Writer{w: w, boundary: "tw" + hex.EncodeToString(b[:])}
	wr.printf("%s%d %s\n", Magic, FormatVersion, wr.boundary)
	return wr
}

// ContinueWriter appends records to an existing stream with its boundary.
func ContinueWriter(w io.Writer, boundary string) *Writer {
	return &Writer{w: w, boundary: boundary}
}

// Boundary is the stream's record separator.
func (w *Writer) Boundary() string { return w.boundary }

// Header writes a header record. Keys and values must not contain spaces or newlines.
func (w *Writer) Header(kv map[string]string, order ...string) {
	var sb strings.Builder
	for _, k := range order {
		if v, ok := kv[k]; ok {
			fmt.Fprintf(&sb, " %s=%s", k, sanitizeToken(v))
		}
	}
	w.printf("\n%s H%s\n", w.boundary, sb.String())
}

// Item writes a whole item. Data longer than the item's limit is cut to limit+1 bytes,
// exactly as the probe does, so the reader sees the same truncation either way.
func (w *Writer) Item(it *Item) {
	name := strings.ReplaceAll(it.Name, "\n", "?")
	switch it.Kind {
	case KindCmd, KindMeta:
		w.printf("\n%s B %s %d %s %s\n", w.boundary, it.Kind, it.Limit, strings.ReplaceAll(name, " ", "_"), strings.ReplaceAll(it.Command, "\n", " "))
	default:
		w.printf("\n%s B %s %d %s\n", w.boundary, it.Kind, it.Limit, name)
	}
	data := it.Data
	if it.Limit >= 0 && int64(len(data)) > it.Limit+1 {
		data = data[:it.Limit+1]
	}
	w.write(data)
	if len(it.Stderr) > 0 {
		w.printf("\n%s S\n", w.boundary)
		w.write(it.Stderr)
	}
	w.printf("\n%s E %s %d %s %s\n", w.boundary, it.Status, it.RC, fmtTime(it.Start), fmtTime(it.End))
}

// Close writes the end marker. It does not close the underlying writer.
func (w *Writer) Close() error {
	w.printf("\n%s Z -\n", w.boundary)
	return w.err
}

// Err reports the first write error.
func (w *Writer) Err() error { return w.err }

func (w *Writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

func (w *Writer) write(b []byte) {
	if w.err == nil && len(b) > 0 {
		_, w.err = w.w.Write(b)
	}
}

func fmtTime(t float64) string {
	if t == 0 {
		return "-"
	}
	return strconv.FormatFloat(t, 'f', 2, 64)
}

func sanitizeToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			return '_'
		}
		return r
	}, s)
}
