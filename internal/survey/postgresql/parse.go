package postgresql

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// ParseConf reads postgresql.conf: "name = value" or "name value", # comments,
// single-quoted values with ” or \' inside. A name set twice keeps its last value
// and line, as the server does. include directives are kept as settings.
func ParseConf(file, text string) ([]snapshot.Setting, error) {
	var out []snapshot.Setting
	idx := map[string]int{}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		end := strings.IndexAny(line, " \t=")
		if end < 0 {
			perr.Add(i+1, "no value: %q", line)
			continue
		}
		name := strings.ToLower(line[:end])
		rest := strings.TrimLeft(line[end:], " \t")
		rest = strings.TrimLeft(strings.TrimPrefix(rest, "="), " \t")
		val, ok := value(rest)
		if !ok || name == "" {
			perr.Add(i+1, "unreadable setting: %q", line)
			continue
		}
		s := snapshot.Setting{Key: name, Value: val, Source: file + ":" + strconv.Itoa(i+1)}
		if j, ok := idx[name]; ok {
			out[j] = s
			continue
		}
		idx[name] = len(out)
		out = append(out, s)
	}
	return out, perr.Err()
}

func value(s string) (string, bool) {
	if strings.HasPrefix(s, "'") {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch {
			case s[i] == '\\' && i+1 < len(s):
				b.WriteByte(s[i+1])
				i++
			case s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
				b.WriteByte('\'')
				i++
			case s[i] == '\'':
				return b.String(), true
			default:
				b.WriteByte(s[i])
			}
		}
		return b.String(), false
	}
	if h := strings.IndexByte(s, '#'); h >= 0 {
		s = s[:h]
	}
	s = strings.TrimSpace(s)
	return s, s != ""
}

// Cluster is one data directory the probe found.
type Cluster struct {
	Datadir string
	// Real is where links lead Datadir, "" when none does (or an older probe).
	Real   string
	Denied bool
	KB     map[string]int64 // per database OID
	OIDs   []string         // in the probe's order
}

// ParseDatadirs reads the probe's _data_pg_datadirs output.
func ParseDatadirs(text string) ([]Cluster, error) {
	var out []Cluster
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		switch {
		case f[0] == "datadir" && len(f) >= 2:
			out = append(out, Cluster{Datadir: strings.Join(f[1:], "\t"), KB: map[string]int64{}})
		case f[0] == "real" && len(f) >= 2 && len(out) > 0:
			out[len(out)-1].Real = strings.Join(f[1:], "\t")
		case f[0] == "denied" && len(out) > 0:
			out[len(out)-1].Denied = true
		case f[0] == "size" && len(f) == 3 && len(out) > 0:
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil || kb < 0 {
				perr.Add(i+1, "size %q is not a number", f[1])
				continue
			}
			c := &out[len(out)-1]
			if _, dup := c.KB[f[2]]; !dup {
				c.OIDs = append(c.OIDs, f[2])
			}
			c.KB[f[2]] = kb
		default:
			perr.Add(i+1, "not a datadir line: %q", line)
		}
	}
	return out, perr.Err()
}

// ParseBinaries reads the probe's _data_pg_version: "path<TAB>postgres (PostgreSQL)
// 9.2.24" per server binary; it returns version by path.
func ParseBinaries(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		p, v, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok {
			continue
		}
		// "postgres (PostgreSQL) 8.1.23", or Debian's "... 15.18 (Debian
		// 15.18-0+deb12u1)": the version is the first field that starts with a
		// digit, not the last one.
		for _, f := range strings.Fields(v) {
			if f[0] >= '0' && f[0] <= '9' {
				out[p] = f
				break
			}
		}
	}
	return out
}

// firstNormalOID is where user databases start: template1 is 1, and template0 and
// postgres get OIDs below this at initdb.
const firstNormalOID = 16384

// systemOID reports whether a database OID is one initdb created.
func systemOID(oid string) bool {
	n, err := strconv.Atoi(oid)
	return err == nil && n < firstNormalOID
}
