package logs

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Dest is a remote endpoint a shipper config names, with its line.
type Dest struct {
	Host  string
	Port  int
	Proto string
	Line  int
}

// ShipConf is what a shipper's config says: where it sends, what it reads, and
// which other files it pulls in.
type ShipConf struct {
	Dests    []Dest
	Inputs   []string
	Includes []string
	// PosFiles are the files the shipper records its read positions in.
	PosFiles []string
}

// ParseRsyslog reads rsyslog.conf (legacy selector lines, $-directives and
// RainerScript action()/include()) and sysklogd's syslog.conf, which is rsyslog's
// legacy format: "*.* @host" forwards over UDP, "@@host:port" over TCP, ":omrelp:"
// over RELP.
func ParseRsyslog(text string) ShipConf {
	var c ShipConf
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(lines[i], "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		low := strings.ToLower(line)
		switch {
		case strings.HasPrefix(low, "$includeconfig"):
			if f := strings.Fields(line); len(f) > 1 {
				c.Includes = append(c.Includes, f[1])
			}
			continue
		case strings.HasPrefix(low, "$inputfilename"):
			if f := strings.Fields(line); len(f) > 1 {
				c.Inputs = append(c.Inputs, f[1])
			}
			continue
		case strings.HasPrefix(low, "action(") || strings.HasPrefix(low, "include(") || strings.HasPrefix(low, "input(") ||
			strings.Contains(low, " action(") || strings.Contains(low, "\taction("):
			// RainerScript: the statement may run over several lines, to its ")".
			stmt := line
			for !balanced(stmt) && i+1 < len(lines) && i-n < 50 {
				i++
				stmt += " " + strings.TrimSpace(lines[i])
			}
			c.rainer(stmt, n)
			continue
		case strings.HasPrefix(line, "$"):
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if d, ok := legacyAction(strings.Join(f[1:], " "), n); ok {
			c.Dests = append(c.Dests, d)
		}
	}
	return c
}

func balanced(s string) bool {
	return strings.Count(s, "(") <= strings.Count(s, ")")
}

var rainerParam = regexp.MustCompile(`(?i)([a-z0-9_.]+)\s*=\s*"([^"]*)"`)

func (c *ShipConf) rainer(stmt string, n int) {
	params := map[string]string{}
	for _, m := range rainerParam.FindAllStringSubmatch(stmt, -1) {
		params[strings.ToLower(m[1])] = m[2]
	}
	low := strings.ToLower(stmt)
	switch {
	case strings.Contains(low, "include("):
		if f := params["file"]; f != "" {
			c.Includes = append(c.Includes, f)
		}
	case strings.Contains(low, "input("):
		if f := params["file"]; f != "" {
			c.Inputs = append(c.Inputs, f)
		}
	default:
		typ := strings.ToLower(params["type"])
		if typ != "omfwd" && typ != "omrelp" && typ != "omelasticsearch" && typ != "omhttp" {
			return
		}
		host := params["target"]
		if host == "" {
			host = params["server"]
		}
		if host == "" {
			return
		}
		port, _ := strconv.Atoi(params["port"])
		if port == 0 {
			port, _ = strconv.Atoi(params["serverport"])
		}
		proto := strings.ToLower(params["protocol"])
		switch typ {
		case "omfwd":
			if proto == "" {
				proto = "udp"
			}
			if port == 0 {
				port = 514
			}
		case "omrelp":
			proto = "relp"
		case "omelasticsearch":
			proto = "elasticsearch"
			if port == 0 {
				port = 9200
			}
		case "omhttp":
			proto = "http"
		}
		c.Dests = append(c.Dests, Dest{Host: host, Port: port, Proto: proto, Line: n})
	}
}

// legacyAction reads a selector line's action: "@host", "@@host:port;Template",
// "@@(o,z9)[::1]:514", ":omrelp:host:port".
func legacyAction(act string, n int) (Dest, bool) {
	proto := "udp"
	switch {
	case strings.HasPrefix(act, "@@"):
		proto, act = "tcp", act[2:]
	case strings.HasPrefix(act, "@"):
		act = act[1:]
	case strings.HasPrefix(act, ":omrelp:"):
		proto, act = "relp", act[len(":omrelp:"):]
	default:
		return Dest{}, false
	}
	if strings.HasPrefix(act, "(") {
		if i := strings.IndexByte(act, ')'); i >= 0 {
			act = act[i+1:]
		}
	}
	if i := strings.IndexAny(act, "; \t"); i >= 0 {
		act = act[:i]
	}
	host, port := splitHostPort(act)
	if host == "" {
		return Dest{}, false
	}
	if port == 0 && proto != "relp" {
		port = 514
	}
	return Dest{Host: host, Port: port, Proto: proto, Line: n}, true
}

// splitHostPort reads "host", "host:port", "[v6]:port" and "v6" (bare, no port).
func splitHostPort(s string) (string, int) {
	if s == "" {
		return "", 0
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		port, _ := strconv.Atoi(p)
		if port < 0 || port > 65535 {
			port = 0
		}
		return h, port
	}
	if strings.Count(s, ":") == 1 {
		h, _, _ := strings.Cut(s, ":")
		return h, 0
	}
	return strings.Trim(s, "[]"), 0
}

// ParseSyslogNG reads syslog-ng.conf: destinations tcp("host" port(514)), udp(...),
// network("host" transport("tcp") port(601)), syslog("host" ...), and the files
// file("/path") sources read.
func ParseSyslogNG(text string) ShipConf {
	var c ShipConf
	clean := stripHashComments(text)
	for _, blk := range ngBlock.FindAllStringSubmatchIndex(clean, -1) {
		kind := clean[blk[2]:blk[3]]
		body := clean[blk[4]:blk[5]]
		base := blk[4]
		switch kind {
		case "destination":
			for _, m := range ngDriver.FindAllStringSubmatchIndex(body, -1) {
				drv := body[m[2]:m[3]]
				host := body[m[4]:m[5]]
				args := ngArgsAfter(body, m[1])
				proto := drv
				switch drv {
				case "network", "syslog":
					proto = "tcp" // the default transport of both
					if t := ngOpt.FindStringSubmatch(args); t != nil && strings.HasPrefix(t[0], "transport") {
						proto = strings.Trim(t[1], `"' `)
					}
				}
				port := 0
				if p := ngPort.FindStringSubmatch(args); p != nil {
					port, _ = strconv.Atoi(p[1])
				}
				if port == 0 {
					port = 514
					if drv == "syslog" {
						port = 601
					}
				}
				c.Dests = append(c.Dests, Dest{Host: host, Port: port, Proto: proto, Line: lineAt(clean, base+m[0])})
			}
		case "source":
			for _, m := range ngFile.FindAllStringSubmatch(body, -1) {
				c.Inputs = append(c.Inputs, m[1])
			}
		}
	}
	for _, m := range ngInclude.FindAllStringSubmatch(clean, -1) {
		c.Includes = append(c.Includes, m[1])
	}
	return c
}

var (
	ngBlock   = regexp.MustCompile(`(?s)\b(destination|source)\s+[A-Za-z0-9_.-]+\s*\{(.*?)\}\s*;`)
	ngDriver  = regexp.MustCompile(`\b(tcp6?|udp6?|network|syslog)\s*\(\s*["']?([A-Za-z0-9_.:\[\]-]+)["']?`)
	ngPort    = regexp.MustCompile(`\bport\s*\(\s*(\d+)\s*\)`)
	ngOpt     = regexp.MustCompile(`transport\s*\(\s*([^)]*)\)`)
	ngFile    = regexp.MustCompile(`\b(?:file|wildcard_file)\s*\(\s*["']([^"']+)["']`)
	ngInclude = regexp.MustCompile(`(?m)^\s*@include\s+["']([^"']+)["']`)
)

// ngArgsAfter is the rest of the driver call that starts before off: up to the
// parenthesis that closes it.
func ngArgsAfter(body string, off int) string {
	depth := 1
	for i := off; i < len(body); i++ {
		switch body[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return body[off:i]
			}
		}
	}
	return body[off:]
}

// stripHashComments blanks "#" comments but keeps every byte offset and newline,
// so line numbers still hold.
func stripHashComments(text string) string {
	b := []byte(text)
	in := false
	quote := byte(0)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\n':
			in, quote = false, 0
		case in:
			b[i] = ' '
		case quote != 0:
			if b[i] == quote {
				quote = 0
			}
		case b[i] == '"' || b[i] == '\'':
			quote = b[i]
		case b[i] == '#':
			in = true
			b[i] = ' '
		}
	}
	return string(b)
}

func lineAt(text string, off int) int {
	if off > len(text) {
		off = len(text)
	}
	return strings.Count(text[:off], "\n") + 1
}

// endpointFromValue reads a value naming an endpoint: a URL ("https://h:9200"),
// "host:port", or a bare host.
func endpointFromValue(v string) (string, int, string) {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if strings.Contains(v, "://") {
		u, err := url.Parse(v)
		if err != nil || u.Hostname() == "" {
			return "", 0, ""
		}
		port, _ := strconv.Atoi(u.Port())
		if port == 0 {
			switch u.Scheme {
			case "https":
				port = 443
			case "http":
				port = 80
			}
		}
		return u.Hostname(), port, u.Scheme
	}
	h, p := splitHostPort(v)
	return h, p, ""
}
