package mysql

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

var (
	serverVer = regexp.MustCompile(`\bVer\s+(\d+\.\d+\.\d+\S*)`)
	clientVer = regexp.MustCompile(`\bDistrib\s+(\d+\.\d+\.\d+[^,\s]*)`)
	majorMin  = regexp.MustCompile(`^(\d+)\.(\d+)`)
)

// ParseVersion reads `mysqld --version` ("mysqld  Ver 5.0.95 for redhat-linux-gnu on
// x86_64") or `mysql --version` ("mysql  Ver 14.12 Distrib 5.0.95, for ..."), where
// the client's own Ver is not the server's. It returns the version and the kind,
// mariadb when the text says MariaDB.
func ParseVersion(text string) (version, kind string) {
	line := strings.TrimSpace(strings.SplitN(strings.TrimSpace(text), "\n", 2)[0])
	if m := clientVer.FindStringSubmatch(line); m != nil {
		version = m[1]
	} else if m := serverVer.FindStringSubmatch(line); m != nil {
		version = m[1]
	}
	if version == "" {
		return "", ""
	}
	kind = "mysql"
	if strings.Contains(strings.ToLower(line), "mariadb") {
		kind = "mariadb"
	}
	return version, kind
}

// MajorMinor is "5.0" of "5.0.95-log".
func MajorMinor(v string) string {
	if m := majorMin.FindStringSubmatch(v); m != nil {
		return m[1] + "." + m[2]
	}
	return ""
}

// Datadir is the output of the probe's _data_mysql_datadir.
type Datadir struct {
	Path string
	// Real is where links lead Path, "" when none does (or an older probe).
	Real    string
	Entries []kit.Entry
	Sizes   map[string]int64 // KB per directory name, allocated on disk
	// Apparent is the sum of the lengths of each directory's files, in bytes: far
	// more than its blocks where a file is sparse.
	Apparent map[string]int64
	// TotalKB and TotalApparent are the whole datadir's, shared tablespaces and
	// logs included; nil when not measured (an older probe).
	TotalKB, TotalApparent *int64
}

// ParseDatadir reads "datadir\tPATH", "real\tPATH" (where links lead it), listing lines ("d\tname"),
// "total\tKB\tBYTES", "size\tKB\tname" and "apparent\tBYTES\tname" lines.
func ParseDatadir(text string) (Datadir, error) {
	d := Datadir{Sizes: map[string]int64{}, Apparent: map[string]int64{}}
	var perr kit.ParseError
	number := func(line int, s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			perr.Add(line, "size %q is not a number", s)
			return 0, false
		}
		return n, true
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		switch {
		case f[0] == "datadir" && len(f) >= 2:
			d.Path = strings.Join(f[1:], "\t")
		case f[0] == "real" && len(f) >= 2:
			d.Real = strings.Join(f[1:], "\t")
		case f[0] == "size" && len(f) == 3:
			if kb, ok := number(i+1, f[1]); ok {
				d.Sizes[f[2]] = kb
			}
		case f[0] == "apparent" && len(f) == 3:
			// Empty when the walk printed nothing: not measured, not zero.
			if f[1] != "" {
				if b, ok := number(i+1, f[1]); ok {
					d.Apparent[f[2]] = b
				}
			}
		case f[0] == "total" && len(f) == 3:
			if f[1] != "" {
				if kb, ok := number(i+1, f[1]); ok {
					d.TotalKB = &kb
				}
			}
			if f[2] != "" {
				if b, ok := number(i+1, f[2]); ok {
					d.TotalApparent = &b
				}
			}
		default:
			e, bad := kit.ParseListing(line)
			if len(bad) > 0 || len(e) != 1 {
				perr.Add(i+1, "not a datadir line: %q", line)
				continue
			}
			d.Entries = append(d.Entries, e[0])
		}
	}
	return d, perr.Err()
}

// systemSchemas are the server's own databases.
var systemSchemas = map[string]bool{"mysql": true, "performance_schema": true, "sys": true, "information_schema": true}

// DecodeName turns a database directory name back into the database name: MySQL 5.1+
// writes characters outside [A-Za-z0-9_] as @XXXX (hex code point), and a directory
// from before 5.1 that was never upgraded shows as #mysql50#name.
func DecodeName(dir string) string {
	dir = strings.TrimPrefix(dir, "#mysql50#")
	if !strings.Contains(dir, "@") {
		return dir
	}
	var b strings.Builder
	for i := 0; i < len(dir); i++ {
		if dir[i] == '@' && i+5 <= len(dir) {
			if r, err := strconv.ParseUint(dir[i+1:i+5], 16, 32); err == nil {
				b.WriteRune(rune(r))
				i += 4
				continue
			}
		}
		b.WriteByte(dir[i])
	}
	return b.String()
}

// Schema is one database found in the datadir.
type Schema struct {
	Name string
	KB   *int64
	// Apparent is the length of its files in bytes, nil when not measured.
	Apparent *int64
	System   bool
}

// Schemas are the datadir's database directories: every directory but the
// server's internal ones (#innodb_temp, #innodb_redo) and lost+found.
func (d Datadir) Schemas() []Schema {
	var out []Schema
	for _, e := range d.Entries {
		if e.Type != 'd' || e.Name == "lost+found" || strings.HasPrefix(e.Name, "#innodb") || strings.HasPrefix(e.Name, ".") {
			continue
		}
		s := Schema{Name: DecodeName(e.Name), System: systemSchemas[e.Name]}
		if kb, ok := d.Sizes[e.Name]; ok {
			s.KB = &kb
		}
		if b, ok := d.Apparent[e.Name]; ok {
			s.Apparent = &b
		}
		out = append(out, s)
	}
	return out
}

// replicaFile reports whether a datadir file shows the server was made a replica:
// master.info and relay-log.info are written by CHANGE MASTER TO (MariaDB names a
// connection's as master-NAME.info; its multi-master.info exists on every server and
// proves nothing), and relay logs exist only on a replica.
func replicaFile(name string) bool {
	switch {
	case name == "master.info", name == "relay-log.info":
		return true
	case strings.HasPrefix(name, "master-") && strings.HasSuffix(name, ".info"):
		return true
	case strings.HasSuffix(name, "-relay-bin.index"), strings.HasPrefix(name, "relay-log-") && strings.HasSuffix(name, ".info"):
		return true
	}
	return false
}

// Role tells primary, replica or standalone from the settings and, when it could be
// listed, the datadir, and says what the answer rests on. A primary is a server that
// writes a binary log with a server id: replicas can follow it, though files cannot
// show whether any does. Without the datadir, "standalone" cannot be told from a
// replica set up by CHANGE MASTER TO, so the role stays "".
func Role(e Effective, d *Datadir) (role, basis string) {
	if o, ok := e.Get("master-host", "master_host"); ok {
		return "replica", "master-host = " + o.Value + " at " + o.Source()
	}
	if d != nil {
		for _, en := range d.Entries {
			if en.Type == 'f' && replicaFile(en.Name) {
				return "replica", en.Name + " in the datadir " + d.Path
			}
		}
	}
	binlog, hasBinlog := e.Get("log-bin", "log_bin")
	if hasBinlog && strings.EqualFold(binlog.Value, "off") || hasBinlog && binlog.Value == "0" {
		hasBinlog = false
	}
	if id, ok := e.Get("server-id", "server_id"); ok && hasBinlog && id.Value != "0" && id.Value != "" {
		basis := "binary log on (log-bin at " + binlog.Source() + ") with server-id " + id.Value + " at " + id.Source() + "; whether replicas connect is not known from files"
		if ro, ok := e.Get("read_only"); ok && ro.Value != "0" && !strings.EqualFold(ro.Value, "off") {
			return "", basis + "; but read_only at " + ro.Source() + " suggests a replica whose source is set in the server"
		}
		return "primary", basis
	}
	if d == nil {
		return "", ""
	}
	if hasBinlog {
		return "standalone", "binary log on (log-bin at " + binlog.Source() + ") without server-id, which no replica can follow; no replica files in " + d.Path
	}
	return "standalone", "no binary log and no replica files in the datadir " + d.Path
}
