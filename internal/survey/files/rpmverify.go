package files

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Verified is one line of `rpm -V`: a file that differs from its package.
type Verified struct {
	// Changes is the attribute column as printed: 8 characters on rpm 4.4 (CentOS
	// 5: S M 5 D L U G T), 9 from rpm 4.6 on (adds P, capabilities); "." passed,
	// "?" could not be checked. Empty for a missing file.
	Changes string
	Missing bool
	// Kind is the file's mark: 'c' config, 'd' doc, 'g' ghost, 'l' license, 'r'
	// readme, or 0.
	Kind byte
	Path string
	// Reason is what rpm added after a missing file, e.g. "Permission denied".
	Reason string
}

// Config reports whether the line is about a %config file.
func (v Verified) Config() bool { return v.Kind == 'c' }

// Differs reports whether attribute a (one of "SM5DLUGTP") differs.
func (v Verified) Differs(a byte) bool {
	i := strings.IndexByte("SM5DLUGTP", a)
	return i >= 0 && i < len(v.Changes) && v.Changes[i] == a
}

// ParseRPMVerify reads `rpm -V`/`rpm -Va` output of any rpm version. rpm's own
// complaints ("error: ...", "package X is not installed") are returned apart: they
// say the verification was incomplete.
func ParseRPMVerify(text string) ([]Verified, []string, error) {
	var out []Verified
	var complaints []string
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "error:") || strings.HasPrefix(line, "warning:") ||
			strings.HasPrefix(line, "package ") || strings.HasPrefix(line, "Unsatisfied dependencies") {
			complaints = append(complaints, line)
			continue
		}
		first, rest, ok := strings.Cut(line, " ")
		if !ok {
			perr.Add(i+1, "not an rpm -V line: %q", line)
			continue
		}
		var v Verified
		switch {
		case first == "missing":
			v.Missing = true
		case (len(first) == 8 || len(first) == 9) && strings.Trim(first, ".?SM5DLUGTP") == "":
			v.Changes = first
		default:
			perr.Add(i+1, "not an rpm -V line: %q", line)
			continue
		}
		rest = strings.TrimLeft(rest, " ")
		if len(rest) > 2 && rest[1] == ' ' && strings.IndexByte("cdglra", rest[0]) >= 0 {
			v.Kind, rest = rest[0], rest[2:]
		}
		if v.Missing {
			if j := strings.LastIndex(rest, " ("); j > 0 && strings.HasSuffix(rest, ")") {
				rest, v.Reason = rest[:j], rest[j+2:len(rest)-1]
			}
		}
		if !strings.HasPrefix(rest, "/") {
			perr.Add(i+1, "no file name: %q", line)
			continue
		}
		v.Path = rest
		out = append(out, v)
	}
	return out, complaints, perr.Err()
}
