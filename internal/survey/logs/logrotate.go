package logs

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Rotate is one logrotate stanza, or the global defaults (Paths empty).
type Rotate struct {
	Paths     []string
	Frequency string
	Rotate    int
	Compress  bool
	Line      int
}

// Logrotate is what a logrotate config says: its stanzas, and the files and
// directories it includes.
type Logrotate struct {
	Global   Rotate
	Stanzas  []Rotate
	Includes []string
}

// ParseLogrotate reads a logrotate(8) config. Stanzas inherit the global settings
// written before them, as logrotate applies them; a stanza's own settings win.
func ParseLogrotate(text string, inherit Rotate) (Logrotate, error) {
	var out Logrotate
	out.Global = inherit
	var perr kit.ParseError
	var cur *Rotate
	var pending []string
	pendingLine := 0
	inScript := false
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if inScript {
			if line == "endscript" {
				inScript = false
			}
			continue
		}
		if cur == nil {
			// Paths, possibly several lines of them, then "{".
			if strings.HasPrefix(line, "/") || strings.HasPrefix(line, "\"") || (len(pending) > 0 && line == "{") {
				head, open := strings.CutSuffix(line, "{")
				if pendingLine == 0 {
					pendingLine = n
				}
				pending = append(pending, splitPaths(head)...)
				if open {
					r := out.Global
					r.Paths, r.Line = pending, pendingLine
					cur = &r
					pending, pendingLine = nil, 0
				}
				continue
			}
			if line == "}" {
				perr.Add(n, "a closing brace without a stanza")
				continue
			}
			if len(pending) > 0 {
				perr.Add(n, "paths without a stanza")
				pending, pendingLine = nil, 0
			}
			if k, v := directive(line); k == "include" {
				if v != "" {
					out.Includes = append(out.Includes, v)
				}
			} else if !apply(&out.Global, k, v) {
				perr.Add(n, "unknown setting %q", truncate(k))
			}
			continue
		}
		if line == "}" {
			out.Stanzas = append(out.Stanzas, *cur)
			cur = nil
			continue
		}
		k, v := directive(line)
		switch k {
		case "postrotate", "prerotate", "firstaction", "lastaction", "preremove":
			inScript = true
			continue
		}
		apply(cur, k, v)
	}
	if cur != nil {
		perr.Add(strings.Count(text, "\n")+1, "stanza not closed")
		out.Stanzas = append(out.Stanzas, *cur)
	}
	return out, perr.Err()
}

func directive(line string) (string, string) {
	k, v, _ := strings.Cut(line, " ")
	if i := strings.IndexByte(k, '\t'); i >= 0 {
		k, v = k[:i], k[i+1:]+" "+v
	}
	return strings.ToLower(k), strings.TrimSpace(v)
}

// apply sets a setting; it reports whether the setting is one logrotate knows.
func apply(r *Rotate, k, v string) bool {
	switch k {
	case "daily", "weekly", "monthly", "yearly", "hourly":
		r.Frequency = k
	case "size":
		r.Frequency = "size " + v
	case "rotate":
		if n, err := strconv.Atoi(v); err == nil {
			r.Rotate = n
		}
	case "compress":
		r.Compress = true
	case "nocompress":
		r.Compress = false
	case "missingok", "nomissingok", "notifempty", "ifempty", "delaycompress", "nodelaycompress",
		"create", "nocreate", "dateext", "nodateext", "copytruncate", "nocopytruncate", "sharedscripts",
		"nosharedscripts", "su", "maxage", "minsize", "maxsize", "olddir", "noolddir", "compresscmd",
		"uncompresscmd", "compressext", "compressoptions", "tabooext", "mail", "nomail", "mailfirst",
		"maillast", "dateformat", "dateyesterday", "extension", "start", "shred", "noshred", "copy",
		"nocopy", "createolddir", "nocreateolddir", "renamecopy", "norenamecopy", "allowhardlink",
		"noallowhardlink", "taboopat", "ignoreduplicates", "minage", "shredcycles", "addextension", "include":
	default:
		return false
	}
	return true
}

// splitPaths splits a stanza head into its paths; a path in double quotes may hold
// spaces.
func splitPaths(s string) []string {
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				out = append(out, s[1:])
				break
			}
			out = append(out, s[1:end+1])
			s = strings.TrimSpace(s[end+2:])
			continue
		}
		f := strings.Fields(s)
		out = append(out, f[0])
		s = strings.TrimSpace(s[len(f[0]):])
	}
	return out
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
