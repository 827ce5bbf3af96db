package logs

import (
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// FileStat is one line of the probe's _fstat: a regular file's size, mtime and path.
type FileStat struct {
	Path     string
	Bytes    int64
	Modified time.Time
}

// ParseFileStats reads `stat -c '%s %Y %n'` lines ("bytes epoch path"). A path may
// hold spaces; it runs to the end of the line.
func ParseFileStats(text string) ([]FileStat, error) {
	var out []FileStat
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := kit.FieldsN(line, 2)
		if len(f) < 2 {
			perr.Add(i+1, "expected size, mtime and path")
			continue
		}
		size, err1 := strconv.ParseInt(f[0].Text, 10, 64)
		mt, err2 := strconv.ParseInt(f[1].Text, 10, 64)
		rest := strings.TrimLeft(line[f[1].Off+len(f[1].Text):], " \t")
		if err1 != nil || err2 != nil || size < 0 || !strings.HasPrefix(rest, "/") {
			perr.Add(i+1, "expected size, mtime and path")
			continue
		}
		out = append(out, FileStat{Path: rest, Bytes: size, Modified: time.Unix(mt, 0).UTC()})
	}
	return out, perr.Err()
}

// Chunk is one file of a multi-file item: the probe prints each under a
// "==> HEAD <==" line, HEAD being "PATH" or "PID PATH".
type Chunk struct {
	PID  int
	Path string
	// Text is the file's content; FirstLine the item line its first line is on, so
	// a fact can cite "path:line" as the file itself numbers it (line n of the file
	// is item line FirstLine+n-1).
	Text      string
	FirstLine int
}

// SplitChunks cuts a multi-file item into its files. withPID says whether heads carry
// a PID before the path.
func SplitChunks(text string, withPID bool) []Chunk {
	var out []Chunk
	var cur *Chunk
	var body []string
	flush := func() {
		if cur != nil {
			cur.Text = strings.Join(body, "\n")
			out = append(out, *cur)
		}
		cur, body = nil, nil
	}
	for i, line := range strings.Split(text, "\n") {
		if h, ok := chunkHead(line, withPID); ok {
			flush()
			h.FirstLine = i + 2
			cur = &h
			continue
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	flush()
	return out
}

func chunkHead(line string, withPID bool) (Chunk, bool) {
	if !strings.HasPrefix(line, "==> ") || !strings.HasSuffix(line, " <==") || len(line) < 9 {
		return Chunk{}, false
	}
	h := line[4 : len(line)-4]
	var c Chunk
	if withPID {
		pid, p, ok := strings.Cut(h, " ")
		n, err := strconv.Atoi(pid)
		if !ok || err != nil || n <= 0 {
			return Chunk{}, false
		}
		c.PID, h = n, p
	}
	if !strings.HasPrefix(h, "/") {
		return Chunk{}, false
	}
	c.Path = h
	return c, true
}
