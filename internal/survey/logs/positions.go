package logs

import (
	"encoding/json"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// PosFile is one position file as the probe's log-positions step printed it.
type PosFile struct {
	Path     string
	Modified time.Time
	Entries  []PosEntry
	// Problem says why the content could not be read as positions.
	Problem string
}

// PosEntry is one log's position in a position file.
type PosEntry struct {
	Log    string
	Offset int64
	Inode  uint64
}

// LogStat is a log named by a position file, as it was when the probe looked.
type LogStat struct {
	Bytes    int64
	Modified time.Time
	Inode    uint64
}

// ParsePositions reads the log-positions step: "==> pos MTIME SIZE PATH <==" headers
// each followed by the file's content, and "==> log SIZE MTIME INODE PATH <==" lines
// for the logs those files name.
func ParsePositions(text string) ([]PosFile, map[string]LogStat) {
	var files []PosFile
	logs := map[string]LogStat{}
	var cur *PosFile
	var body strings.Builder
	flush := func() {
		if cur != nil {
			cur.Entries, cur.Problem = parsePosContent(cur.Path, body.String())
			files = append(files, *cur)
		}
		cur = nil
		body.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		if h, ok := strings.CutPrefix(line, "==> "); ok && strings.HasSuffix(h, " <==") {
			f := strings.SplitN(strings.TrimSuffix(h, " <=="), " ", 6)
			switch {
			case len(f) >= 4 && f[0] == "pos":
				flush()
				mt, err1 := strconv.ParseInt(f[1], 10, 64)
				if err1 != nil {
					continue
				}
				cur = &PosFile{Path: strings.Join(f[3:], " "), Modified: time.Unix(mt, 0).UTC()}
				continue
			case len(f) >= 5 && f[0] == "log":
				flush()
				size, err1 := strconv.ParseInt(f[1], 10, 64)
				mt, err2 := strconv.ParseInt(f[2], 10, 64)
				ino, err3 := strconv.ParseUint(f[3], 10, 64)
				if err1 == nil && err2 == nil && err3 == nil && size >= 0 {
					logs[strings.Join(f[4:], " ")] = LogStat{Bytes: size, Modified: time.Unix(mt, 0).UTC(), Inode: ino}
				}
				continue
			}
		}
		if cur != nil {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	flush()
	return files, logs
}

// parsePosContent reads the formats shippers keep positions in: fluentd's in_tail
// pos_file (path, hex offset, hex inode per line), rsyslog imfile's state file (one
// JSON object; the inode is in the file's name), and filebeat's registry (JSON
// lines with "source" and "offset", or one JSON array in older versions).
func parsePosContent(file, text string) ([]PosEntry, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, ""
	}
	switch {
	case strings.HasPrefix(text, "/"):
		return parseFluentPos(text), ""
	case strings.HasPrefix(text, "{") && strings.Contains(path.Base(file), "imfile-state"):
		var st struct {
			Filename string `json:"filename"`
			Offset   *int64 `json:"curr_offs"`
		}
		if err := json.Unmarshal([]byte(text), &st); err != nil || st.Filename == "" || st.Offset == nil {
			return nil, "not an imfile state file"
		}
		e := PosEntry{Log: st.Filename, Offset: *st.Offset}
		// imfile-state:INODE, or imfile-state:INODE:HASH since rsyslog 8.1905.
		if f := strings.Split(path.Base(file), ":"); len(f) >= 2 {
			e.Inode, _ = strconv.ParseUint(f[1], 10, 64)
		}
		return []PosEntry{e}, ""
	case strings.HasPrefix(text, "{") || strings.HasPrefix(text, "["):
		return parseFilebeatRegistry(text)
	}
	return nil, "not a position file trowel knows"
}

// parseFluentPos reads in_tail's pos_file. An offset of all f's marks a file
// fluentd stopped watching.
func parseFluentPos(text string) []PosEntry {
	var out []PosEntry
	for _, line := range strings.Split(text, "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != 3 || !strings.HasPrefix(f[0], "/") {
			continue
		}
		off, err1 := strconv.ParseUint(f[1], 16, 64)
		ino, err2 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || off == 1<<64-1 || off > 1<<62 {
			continue
		}
		out = append(out, PosEntry{Log: f[0], Offset: int64(off), Inode: ino})
	}
	return out
}

type beatState struct {
	Source string `json:"source"`
	Offset *int64 `json:"offset"`
	OS     struct {
		Inode uint64 `json:"inode"`
	} `json:"FileStateOS"`
}

func parseFilebeatRegistry(text string) ([]PosEntry, string) {
	var states []beatState
	if strings.HasPrefix(text, "[") {
		if err := json.Unmarshal([]byte(text), &states); err != nil {
			return nil, "not a filebeat registry (" + err.Error() + ")"
		}
	} else {
		// log.json: an {"op":...} line before each {"k":...,"v":{...}} line; the
		// last state of a source wins.
		for _, line := range strings.Split(text, "\n") {
			var rec struct {
				V *beatState `json:"v"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.V != nil {
				states = append(states, *rec.V)
			}
		}
	}
	last := map[PosEntry]int{} // by log and inode: a rotated log has two
	var out []PosEntry
	for _, s := range states {
		if s.Source == "" || s.Offset == nil {
			continue
		}
		e := PosEntry{Log: s.Source, Offset: *s.Offset, Inode: s.OS.Inode}
		k := PosEntry{Log: e.Log, Inode: e.Inode}
		if i, ok := last[k]; ok {
			out[i] = e
			continue
		}
		last[k] = len(out)
		out = append(out, e)
	}
	if len(out) == 0 && len(states) == 0 {
		return nil, "no states in the filebeat registry"
	}
	return out, ""
}

// positions gives each shipper the read positions its position files record, and
// returns why they could not be read when some shipper keeps them.
func positions(in *kit.Input, found []*shipperState, src *kit.Source) {
	var wanted bool
	for _, sh := range found {
		for _, p := range sh.posFiles {
			wanted = wanted || !strings.Contains(p, "*")
		}
	}
	it := in.Cmd("log-positions")
	if !kit.Usable(it) {
		if wanted {
			src.Read(it, true)
		} else {
			src.NotApplicable("no shipper found keeps a position file trowel knows", it)
		}
		return
	}
	src.Read(it, true)
	files, stats := ParsePositions(it.Text())
	id := in.Cite(it)
	var problems []string
	for _, sh := range found {
		for _, f := range files {
			if !sh.keeps(f.Path) {
				continue
			}
			if f.Problem != "" {
				problems = append(problems, f.Path+": "+f.Problem)
			}
			for _, e := range current(f.Entries, stats) {
				rec := f.Modified
				p := snapshot.LogPosition{Log: e.Log, Offset: e.Offset, Inode: e.Inode, File: f.Path, Recorded: &rec, Evidence: id}
				if st, ok := stats[e.Log]; ok {
					size, mod := st.Bytes, st.Modified
					p.LogBytes, p.LogInode, p.LogModified = &size, st.Inode, &mod
				}
				sh.s.Positions = append(sh.s.Positions, p)
				sh.addInput(e.Log)
			}
			sh.addEvidence(id)
		}
	}
	if len(problems) > 0 {
		src.Gap(snapshot.Partial, strings.Join(problems, "; "))
	}
}

func (sh *shipperState) keeps(file string) bool {
	for _, p := range sh.posFiles {
		if p == file {
			return true
		}
		if ok, _ := path.Match(p, file); ok {
			return true
		}
	}
	return false
}

// current keeps one entry per log: the one for the file now at that path when the
// position file also remembers rotated ones, else the last.
func current(entries []PosEntry, stats map[string]LogStat) []PosEntry {
	idx := map[string]int{}
	var out []PosEntry
	for _, e := range entries {
		i, seen := idx[e.Log]
		if !seen {
			idx[e.Log] = len(out)
			out = append(out, e)
			continue
		}
		if st, ok := stats[e.Log]; ok && out[i].Inode == st.Inode && e.Inode != st.Inode {
			continue
		}
		out[i] = e
	}
	return out
}
