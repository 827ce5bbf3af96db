package apps

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Entry is one place that serves a directory (an E record) and the links met on the
// way to it (its L records).
type Entry struct {
	Via, Where, Path string
	// Status is ok, absent, denied, notdir, network, file, plain or outside.
	Status, Real, Root string
	Links              []string // "link -> target"
}

// Proc is a running interpreter (a P record).
type Proc struct {
	PID            int
	Comm, Exe, Cwd string
}

// Counts are the entries at a tree's top, by kind (a C record).
type Counts struct {
	Entries, PHP, Py, Rb, JS, JSP, CGI, HTML, Jar int
}

// Line is one line of a file as it was sent, with its number in the file.
type Line struct {
	Num  int
	Text string
}

// File is what was sent of one file of a tree: all of it (F), or the lines grep
// picked (G).
type File struct {
	Rel   string
	Lines []Line
}

// Tree is what a tree says about itself (an A record and what follows it).
type Tree struct {
	Root, UID, GID string
	// Has are the paths below the root that are there: 'd' for a directory, 'f'
	// for anything else.
	Has    map[string]byte
	Counts Counts
	Files  map[string]File
	// Notes say why a file that is there was not read, or that it was cut.
	Notes  map[string]string
	Items  map[string][]string
	Titles map[string]string
}

// Report is the web-apps item read.
type Report struct {
	Entries []Entry
	Procs   map[int]Proc
	Trees   map[string]*Tree
	// Done is the end marker: everything was printed.
	Done bool
}

// ParseWebApps reads _web_apps' records (docs/evidence-format.md). A record it
// cannot read is named in the error, and what came before it is kept; a content
// block cut short ends the reading.
func ParseWebApps(text string) (Report, error) {
	rep := Report{Procs: map[int]Proc{}, Trees: map[string]*Tree{}}
	var perr kit.ParseError
	var tree *Tree
	n := 0
	for len(text) > 0 {
		n++
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		f := strings.Split(line, "\t")
		switch f[0] {
		case "E":
			if len(f) != 7 {
				perr.Add(n, "not an entry: %q", line)
				continue
			}
			rep.Entries = append(rep.Entries, Entry{Via: f[1], Where: f[2], Path: f[3], Status: f[4], Real: f[5], Root: f[6]})
		case "L":
			if len(f) != 3 || len(rep.Entries) == 0 {
				perr.Add(n, "not a link of an entry: %q", line)
				continue
			}
			e := &rep.Entries[len(rep.Entries)-1]
			e.Links = append(e.Links, f[1]+" -> "+f[2])
		case "P":
			pid, err := strconv.Atoi(f[min(1, len(f)-1)])
			if len(f) != 5 || err != nil {
				perr.Add(n, "not a process: %q", line)
				continue
			}
			rep.Procs[pid] = Proc{PID: pid, Comm: f[2], Exe: f[3], Cwd: f[4]}
		case "A":
			if len(f) != 4 {
				perr.Add(n, "not a tree: %q", line)
				tree = nil
				continue
			}
			tree = &Tree{Root: f[1], UID: f[2], GID: f[3], Has: map[string]byte{}, Files: map[string]File{},
				Notes: map[string]string{}, Items: map[string][]string{}, Titles: map[string]string{}}
			rep.Trees[tree.Root] = tree
		case "F", "G":
			size, err := strconv.Atoi(f[min(1, len(f)-1)])
			if len(f) != 3 || err != nil || size < 0 {
				perr.Add(n, "not a file header: %q", line)
				continue
			}
			if len(text) < size+1 {
				perr.Add(n, "%s was cut short", f[2])
				return rep, perr.Err()
			}
			body := text[:size]
			text = text[size+1:]
			n += strings.Count(body, "\n") + 1
			if tree != nil {
				tree.Files[f[2]] = File{Rel: f[2], Lines: fileLines(body, f[0] == "G")}
			}
		case "M", "N", "I", "T", "C":
			if tree == nil {
				perr.Add(n, "a record outside any tree: %q", line)
				continue
			}
			treeRecord(tree, f, n, &perr)
		case "# done":
			rep.Done = true
		case "":
		default:
			perr.Add(n, "unknown record: %q", line)
		}
	}
	return rep, perr.Err()
}

func treeRecord(t *Tree, f []string, n int, perr *kit.ParseError) {
	switch {
	case f[0] == "M" && len(f) == 3 && len(f[1]) == 1:
		t.Has[f[2]] = f[1][0]
	case f[0] == "N" && len(f) == 3:
		t.Notes[f[1]] = f[2]
	case f[0] == "I" && len(f) == 3:
		t.Items[f[1]] = append(t.Items[f[1]], f[2])
	case f[0] == "T" && len(f) == 3:
		t.Titles[f[1]] = strings.TrimSpace(f[2])
	case f[0] == "C" && len(f) == 10:
		var v [9]int
		for i := range v {
			x, err := strconv.Atoi(f[i+1])
			if err != nil {
				perr.Add(n, "not a count: %q", f[i+1])
				return
			}
			v[i] = x
		}
		t.Counts = Counts{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]}
	default:
		perr.Add(n, "not a %s record: %q", f[0], strings.Join(f, "\t"))
	}
}

// fileLines numbers a file's lines; grep's lines carry their own numbers ("13:...").
func fileLines(body string, numbered bool) []Line {
	var out []Line
	for i, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if !numbered {
			out = append(out, Line{i + 1, l})
			continue
		}
		num, text, ok := strings.Cut(l, ":")
		if v, err := strconv.Atoi(num); ok && err == nil {
			out = append(out, Line{v, text})
		}
	}
	return out
}

// Size is one S record: a tree's (Name ".") or a data directory's size and owner.
type Size struct {
	Root, Name string
	// KiB is du's; Bytes the files' length; nil when not measured.
	KiB, Bytes *int64
	UID, GID   string
	Note       string
}

// ParseAppSizes reads _web_app_sizes' S records.
func ParseAppSizes(text string) ([]Size, bool, error) {
	var out []Size
	var perr kit.ParseError
	done := false
	for n, line := range strings.Split(text, "\n") {
		f := strings.Split(line, "\t")
		switch {
		case line == "":
		case line == "# done":
			done = true
		case f[0] == "S" && len(f) == 8:
			out = append(out, Size{Root: f[1], Name: f[2], KiB: number(f[3]), Bytes: number(f[4]), UID: f[5], GID: f[6], Note: f[7]})
		default:
			perr.Add(n+1, "not a size: %q", line)
		}
	}
	return out, done, perr.Err()
}

func number(s string) *int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return nil
	}
	return &v
}
