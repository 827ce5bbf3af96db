package files

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Conffile is one entry of a dpkg status stanza's Conffiles field.
type Conffile struct {
	Package string
	Path    string
	MD5     string
	// Obsolete marks a conffile the installed version no longer ships; dpkg leaves
	// it on disk. NewConffile is dpkg's mark for one not yet configured.
	Obsolete    bool
	NewConffile bool
}

// ParseConffiles reads the Conffiles fields of /var/lib/dpkg/status. A conffile path
// may hold blanks: the digest and the marks are taken from the end of the line.
func ParseConffiles(status string) ([]Conffile, error) {
	var out []Conffile
	var perr kit.ParseError
	pkg := ""
	in := false
	for i, line := range strings.Split(status, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case line == "":
			pkg, in = "", false
		case strings.HasPrefix(line, "Package:"):
			pkg, in = strings.TrimSpace(strings.TrimPrefix(line, "Package:")), false
		case strings.HasPrefix(line, "Conffiles:"):
			in = true
		case in && strings.HasPrefix(line, " "):
			c, ok := conffileLine(strings.TrimPrefix(line, " "))
			if !ok {
				perr.Add(i+1, "not a conffile line: %q", line)
				continue
			}
			c.Package = pkg
			out = append(out, c)
		default:
			in = false
		}
	}
	return out, perr.Err()
}

// ParseInstalled returns the packages of a dpkg status file that are installed
// (their Status ends "installed").
func ParseInstalled(status string) map[string]bool {
	out := map[string]bool{}
	pkg := ""
	for _, line := range strings.Split(status, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case line == "":
			pkg = ""
		case strings.HasPrefix(line, "Package:"):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "Package:"))
		case strings.HasPrefix(line, "Status:") && strings.HasSuffix(line, " installed") && pkg != "":
			out[pkg] = true
		}
	}
	return out
}

func conffileLine(s string) (Conffile, bool) {
	var c Conffile
	for {
		switch {
		case strings.HasSuffix(s, " obsolete"):
			c.Obsolete, s = true, strings.TrimSuffix(s, " obsolete")
			continue
		case strings.HasSuffix(s, " remove-on-upgrade"):
			s = strings.TrimSuffix(s, " remove-on-upgrade")
			continue
		}
		break
	}
	i := strings.LastIndexByte(s, ' ')
	if i <= 0 || !strings.HasPrefix(s, "/") {
		return c, false
	}
	c.Path, c.MD5 = s[:i], s[i+1:]
	if c.MD5 == "newconffile" { // dpkg's placeholder before the first configure
		c.NewConffile, c.MD5 = true, ""
		return c, true
	}
	return c, isHex(c.MD5)
}

// Expected is a digest a package database holds for a file.
type Expected struct {
	Package string
	Digest  string
}

// Sums is what a digest step printed: current digests of files, files that are
// missing or could not be read, expected digests (rpm's config files, dpkg's md5sums
// entries under /etc), and whether the step ran to its end.
type Sums struct {
	Current  map[string]string
	Expected map[string]Expected
	Missing  []string
	Denied   []string
	Odd      []string // names with blanks or quotes the probe did not pass to xargs
	Done     bool
}

// ParseSums reads the output of the probe's _files_dpkg_sums or _files_rpm_sums:
// md5sum/sha256sum lines, their error lines (GNU and busybox wording), "conf\tPKG\t
// DIGEST\tPATH" lines, dpkg md5sums lines "INFO/PKG.md5sums:DIGEST  etc/PATH", "odd\t
// PATH", and "# done".
func ParseSums(text string) (Sums, error) {
	s := Sums{Current: map[string]string{}, Expected: map[string]Expected{}}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case line == "":
		case line == "# done":
			s.Done = true
		case strings.HasPrefix(line, "conf\t"):
			f := strings.SplitN(line, "\t", 4)
			if len(f) != 4 || !strings.HasPrefix(f[3], "/") {
				perr.Add(i+1, "not a config file line: %q", line)
				continue
			}
			s.Expected[f[3]] = Expected{Package: f[1], Digest: f[2]}
		case strings.HasPrefix(line, "odd\t"):
			s.Odd = append(s.Odd, strings.TrimPrefix(line, "odd\t"))
		case strings.HasPrefix(line, "/var/lib/dpkg/info/"):
			name, rest, ok := strings.Cut(strings.TrimPrefix(line, "/var/lib/dpkg/info/"), ".md5sums:")
			digest, p, ok2 := strings.Cut(rest, "  ")
			if !ok || !ok2 || !isHex(digest) {
				perr.Add(i+1, "not an md5sums line: %q", line)
				continue
			}
			pkg, _, _ := strings.Cut(name, ":") // multiarch: libc6:amd64
			s.Expected["/"+strings.TrimPrefix(p, "/")] = Expected{Package: pkg, Digest: digest}
		case strings.HasPrefix(line, "md5sum:") || strings.HasPrefix(line, "sha256sum:"):
			p, why, ok := sumError(line)
			switch {
			case !ok:
				perr.Add(i+1, "an error this trowel cannot read: %q", line)
			case strings.Contains(why, "No such file"), strings.Contains(why, "Not a directory"):
				s.Missing = append(s.Missing, p)
			default:
				s.Denied = append(s.Denied, p)
			}
		default:
			digest, p, ok := strings.Cut(line, "  ")
			// md5sum escapes a name holding a backslash or newline and marks the line
			// with a leading backslash; the probe passes no such name.
			digest = strings.TrimPrefix(digest, `\`)
			if !ok || !isHex(digest) || (len(digest) != 32 && len(digest) != 64) {
				perr.Add(i+1, "not a digest line: %q", line)
				continue
			}
			if p != "-" { // xargs given no names at all ran the program on stdin
				s.Current[p] = digest
			}
		}
	}
	return s, perr.Err()
}

// sumError reads "md5sum: PATH: REASON" (coreutils) or "md5sum: can't open 'PATH':
// REASON" (busybox).
func sumError(line string) (path, why string, ok bool) {
	_, rest, _ := strings.Cut(line, ": ")
	if strings.HasPrefix(rest, "can't open '") {
		rest = strings.TrimPrefix(rest, "can't open '")
		i := strings.LastIndex(rest, "': ")
		if i < 0 {
			return "", "", false
		}
		return rest[:i], rest[i+3:], true
	}
	i := strings.LastIndex(rest, ": ")
	if i <= 0 || !strings.HasPrefix(rest, "/") {
		return "", "", false
	}
	return rest[:i], rest[i+2:], true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Unowned is what an unowned-files step printed.
type Unowned struct {
	Paths   []string
	Odd     []string
	Checked int // files looked at; -1 when the step did not say
	Done    bool
}

// ParseUnowned reads _files_dpkg_unowned (bare paths) or _files_rpm_unowned (rpm's
// "file PATH is not owned by any package"), with "# checked N files" and "# done".
func ParseUnowned(text string) (Unowned, error) {
	u := Unowned{Checked: -1}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case line == "":
		case line == "# done":
			u.Done = true
		case strings.HasPrefix(line, "# checked "):
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(line, "# checked "), " files"))
			if err != nil {
				perr.Add(i+1, "not a count: %q", line)
				continue
			}
			u.Checked = n
		case strings.HasPrefix(line, "odd\t"):
			u.Odd = append(u.Odd, strings.TrimPrefix(line, "odd\t"))
		case strings.HasPrefix(line, "file ") && strings.HasSuffix(line, " is not owned by any package"):
			u.Paths = append(u.Paths, strings.TrimSuffix(strings.TrimPrefix(line, "file "), " is not owned by any package"))
		case strings.HasPrefix(line, "/"):
			u.Paths = append(u.Paths, line)
		default:
			perr.Add(i+1, "not a path: %q", line)
		}
	}
	return u, perr.Err()
}

func safeIndex(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

// Tree is one directory of software outside the package manager, from _files_trees.
type Tree struct {
	Path    string
	Files   int
	Bytes   int64
	Newest  int64 // Unix seconds
	Markers []string
	Execs   map[string]int // elf, script, other: among the first few executables
}

// ParseTrees reads _files_trees: "T\tPATH", then "S\tFILES\tBYTES\tNEWEST", "M\tPATH"
// and "X\tKIND\tPATH" lines for it, and "# done".
func ParseTrees(text string) ([]Tree, bool, error) {
	var out []Tree
	var perr kit.ParseError
	done := false
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		f := strings.Split(line, "\t")
		switch {
		case line == "":
		case line == "# done":
			done = true
		case f[0] == "T" && len(f) >= 2:
			out = append(out, Tree{Path: strings.Join(f[1:], "\t"), Execs: map[string]int{}})
		case len(out) == 0:
			perr.Add(i+1, "a line before any tree: %q", line)
		case f[0] == "S" && len(f) == 4:
			t := &out[len(out)-1]
			n, e1 := strconv.Atoi(f[1])
			b, e2 := strconv.ParseInt(f[2], 10, 64)
			m, e3 := strconv.ParseInt(f[3], 10, 64)
			if e1 != nil || e2 != nil || e3 != nil {
				perr.Add(i+1, "not a size line: %q", line)
				continue
			}
			t.Files, t.Bytes, t.Newest = n, b, m
		case f[0] == "M" && len(f) >= 2:
			t := &out[len(out)-1]
			t.Markers = append(t.Markers, strings.Join(f[1:], "\t"))
		case f[0] == "X" && len(f) >= 3:
			out[len(out)-1].Execs[f[1]]++
		default:
			perr.Add(i+1, "not a tree line: %q", line)
		}
	}
	return out, done, perr.Err()
}
