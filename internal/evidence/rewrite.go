package evidence

import (
	"bytes"
	"strings"
)

// RewriteBodies returns the stream with the content of each item, and its standard
// error, replaced by what f returns for them; record lines, the order of records and
// whatever precedes the header stay as they are. f gets the item (its name, kind and
// command, not its content or status) and whether the body is standard error. A
// stream with no header comes back unchanged.
func RewriteBodies(raw []byte, f func(it *Item, stderr bool, body []byte) []byte) []byte {
	start := findMagic(raw)
	if start < 0 {
		return raw
	}
	nl := bytes.IndexByte(raw[start:], '\n')
	fields := strings.Fields(string(raw[start : start+max(nl, 0)]))
	if nl < 0 || len(fields) != 2 {
		return raw
	}
	sep := []byte("\n" + fields[1] + " ")
	var out bytes.Buffer
	out.Grow(len(raw))
	rest := raw[start+nl+1:]
	first := bytes.Index(rest, sep)
	if first < 0 {
		return raw
	}
	out.Write(raw[:start+nl+1+first])
	rest = rest[first:]
	var cur *Item
	for len(rest) > 0 {
		rest = rest[len(sep):]
		end := bytes.Index(rest, sep)
		rec := rest
		if end >= 0 {
			rec, rest = rest[:end], rest[end:]
		} else {
			rest = nil
		}
		out.Write(sep)
		line, body, hasBody := bytes.Cut(rec, []byte{'\n'})
		out.Write(line)
		if !hasBody {
			continue
		}
		out.WriteByte('\n')
		kind, args, _ := strings.Cut(string(line), " ")
		switch {
		case kind == "B":
			cur, _ = parseBegin(args)
			if cur != nil {
				body = f(cur, false, body)
			}
		case kind == "S" && cur != nil:
			body = f(cur, true, body)
		}
		out.Write(body)
	}
	return out.Bytes()
}
