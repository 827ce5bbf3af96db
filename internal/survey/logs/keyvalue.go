package logs

import (
	"strconv"
	"strings"
)

// ParseKeyValue reads a config of unknown make (an in-house shipper's, or one of the
// agents' simple formats: ini, "key = value", "key: value", TOML): a host-like key
// (host, server, target, address, endpoint, url, hosts) makes a destination, with the
// port key of the same section; path-like keys (path, file, files, paths, logfile to
// read) make inputs. Sections are [name] headers; a port before its host counts too.
func ParseKeyValue(text string) ShipConf {
	var c ShipConf
	type pending struct {
		host       string
		port, line int
		proto      string
		hostSet    bool
	}
	var cur pending
	flush := func() {
		if cur.hostSet && cur.host != "" {
			c.Dests = append(c.Dests, Dest{Host: cur.host, Port: cur.port, Proto: cur.proto, Line: cur.line})
		}
		cur = pending{}
	}
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			flush()
			continue
		}
		k, v, ok := cutKV(line)
		if !ok {
			continue
		}
		k = strings.ToLower(strings.Trim(k, `"' -`))
		v = strings.Trim(strings.TrimSpace(stripTrailingComment(v)), `"',[]`)
		switch k {
		case "host", "hostname", "server", "target", "address", "endpoint", "url", "hosts", "remote_host", "collector", "log_host", "loghost":
			if cur.hostSet {
				flush()
			}
			h, p, scheme := endpointFromValue(strings.Split(v, ",")[0])
			if h == "" {
				continue
			}
			cur.host, cur.line, cur.hostSet = h, i+1, true
			if p != 0 {
				cur.port = p
			}
			if scheme != "" {
				cur.proto = scheme
			}
		case "port", "remote_port", "server_port":
			if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65536 {
				cur.port = p
			}
		case "pos_file", "position_file", "pos_path", "positions_file":
			if strings.HasPrefix(v, "/") {
				c.PosFiles = append(c.PosFiles, v)
			}
		case "path", "paths", "file", "files", "input", "watch", "include_path":
			for _, p := range strings.Split(v, ",") {
				p = strings.Trim(strings.TrimSpace(p), `"'`)
				if strings.HasPrefix(p, "/") {
					c.Inputs = append(c.Inputs, p)
				}
			}
		}
	}
	flush()
	return c
}

func cutKV(line string) (string, string, bool) {
	i := strings.IndexAny(line, "=:")
	if i <= 0 {
		return "", "", false
	}
	return line[:i], line[i+1:], true
}

func stripTrailingComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 {
		return v[:i]
	}
	return v
}
