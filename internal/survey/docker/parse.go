package docker

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Row is one container of docker ps.
type Row struct {
	ID, Name, Image, Status string
	Ports                   []string
}

// State is the container's state in one word, from docker's Status text.
func (r Row) State() string {
	s := strings.ToLower(r.Status)
	switch {
	case strings.HasPrefix(s, "up") && strings.Contains(s, "paused"):
		return "paused"
	case strings.HasPrefix(s, "up"):
		return "running"
	case strings.HasPrefix(s, "exited"):
		return "exited"
	case strings.HasPrefix(s, "created"):
		return "created"
	case strings.HasPrefix(s, "restarting"):
		return "restarting"
	case strings.HasPrefix(s, "dead"):
		return "dead"
	case strings.HasPrefix(s, "removal"):
		return "removing"
	}
	return s
}

func splitPorts(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParsePS reads `docker ps -a --no-trunc --format` with the probe's columns: ID,
// names, image, status, ports, tab-separated.
func ParsePS(text string) ([]Row, error) {
	var out []Row
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || f[0] == "" {
			perr.Add(i+1, "expected 5 tab-separated columns: %q", line)
			continue
		}
		r := Row{ID: f[0], Name: f[1], Image: f[2], Status: f[3]}
		if len(f) > 4 {
			r.Ports = splitPorts(strings.Join(f[4:], "\t"))
		}
		out = append(out, r)
	}
	return out, perr.Err()
}

// ParseTable reads the default table of `docker ps -a --no-trunc` (docker before
// 1.8 has no --format). Columns are placed under the header's words; PORTS is
// often empty, so the header's offsets, not whitespace, delimit the columns.
func ParseTable(text string) ([]Row, error) {
	var perr kit.ParseError
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "CONTAINER ID") {
		if strings.TrimSpace(text) == "" {
			return nil, nil
		}
		perr.Add(1, "no CONTAINER ID header")
		return nil, perr.Err()
	}
	head := lines[0]
	cols := []string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}
	off := make([]int, len(cols))
	for i, c := range cols {
		off[i] = strings.Index(head, c)
		if off[i] < 0 || i > 0 && off[i] < off[i-1] {
			perr.Add(1, "header lacks %s", c)
			return nil, perr.Err()
		}
	}
	cell := func(line string, i int) string {
		if off[i] >= len(line) {
			return ""
		}
		end := len(line)
		if i+1 < len(off) && off[i+1] < end {
			end = off[i+1]
		}
		return strings.TrimSpace(line[off[i]:end])
	}
	var out []Row
	for i, line := range lines[1:] {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		r := Row{ID: cell(line, 0), Image: cell(line, 1), Status: cell(line, 4), Ports: splitPorts(cell(line, 5)), Name: cell(line, 6)}
		if r.ID == "" || r.Name == "" {
			perr.Add(i+2, "row does not line up with the header: %q", line)
			continue
		}
		out = append(out, r)
	}
	return out, perr.Err()
}

// Inspect is what the probe asks docker inspect: restart policy and mounts, never
// the environment.
type Inspect struct {
	Restart string
	Mounts  []string // "source:destination"
}

// ParseInspect reads the probe's `docker inspect --format` lines: ID, restart
// policy, and space-separated source:destination mounts.
func ParseInspect(text string) (map[string]Inspect, error) {
	out := map[string]Inspect{}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 || f[0] == "" {
			perr.Add(i+1, "expected ID, restart policy and mounts: %q", line)
			continue
		}
		x := Inspect{Restart: f[1]}
		if len(f) == 3 {
			x.Mounts = strings.Fields(f[2])
		}
		out[strings.TrimPrefix(f[0], "sha256:")] = x
	}
	return out, perr.Err()
}
