package logs

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseFluentd reads a fluentd / td-agent config: <match> sections with @type forward
// (each <server> host/port), elasticsearch, s3, and the like; <source> @type tail
// paths; @include lines. td-agent 2 (CentOS 5–6 era) writes "type" without "@".
func ParseFluentd(text string) ShipConf {
	var c ShipConf
	type section struct {
		name, typ string
		host      string
		hostLine  int
		port      int
		extra     string // s3_bucket, and such: where a non-host output goes
	}
	var stack []*section
	top := func() *section {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	outer := func(name string) *section {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].name == name {
				return stack[i]
			}
		}
		return nil
	}
	emit := func(s *section, proto string) {
		if s.host == "" {
			return
		}
		port := s.port
		if port == 0 && proto == "forward" {
			port = 24224
		}
		c.Dests = append(c.Dests, Dest{Host: s.host, Port: port, Proto: proto, Line: s.hostLine})
	}
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "</") {
			s := top()
			if s == nil {
				continue
			}
			stack = stack[:len(stack)-1]
			switch {
			case s.name == "server":
				if m := outer("match"); m != nil {
					emit(s, orDefault(m.typ, "forward"))
				}
			case s.name == "match" || s.name == "store":
				switch s.typ {
				case "forward", "secure_forward":
				case "s3":
					if s.extra != "" {
						c.Dests = append(c.Dests, Dest{Host: "s3://" + s.extra, Proto: "s3", Line: s.hostLine})
					}
				default:
					emit(s, s.typ)
				}
			}
			continue
		}
		if strings.HasPrefix(line, "<") {
			name, _, _ := strings.Cut(strings.Trim(line, "<>"), " ")
			stack = append(stack, &section{name: name})
			continue
		}
		if strings.HasPrefix(line, "@include") || strings.HasPrefix(line, "include ") {
			if f := strings.Fields(line); len(f) > 1 {
				c.Includes = append(c.Includes, f[1])
			}
			continue
		}
		s := top()
		if s == nil {
			continue
		}
		k, v, _ := strings.Cut(line, " ")
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "@type", "type":
			s.typ = v
		case "host":
			s.host, s.hostLine = v, n
		case "hosts", "url", "endpoint":
			h, p, _ := endpointFromValue(strings.Split(v, ",")[0])
			s.host, s.hostLine = h, n
			if p != 0 {
				s.port = p
			}
		case "port":
			s.port, _ = strconv.Atoi(v)
		case "s3_bucket":
			s.extra, s.hostLine = v, n
		case "pos_file":
			if s.name == "source" && strings.HasPrefix(v, "/") {
				c.PosFiles = append(c.PosFiles, v)
			}
		case "path":
			if s.name == "source" && (s.typ == "tail" || s.typ == "") {
				for _, p := range strings.Split(v, ",") {
					c.Inputs = append(c.Inputs, strings.TrimSpace(p))
				}
			}
		}
	}
	return c
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ParseFluentBit reads fluent-bit's classic format: [OUTPUT] sections with Host and
// Port, [INPUT] tail Path, @INCLUDE.
func ParseFluentBit(text string) ShipConf {
	var c ShipConf
	var sect, name, host string
	port, hostLine := 0, 0
	flush := func() {
		if sect == "OUTPUT" && host != "" {
			c.Dests = append(c.Dests, Dest{Host: host, Port: port, Proto: name, Line: hostLine})
		}
		name, host, port, hostLine = "", "", 0, 0
	}
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			flush()
			sect = strings.ToUpper(strings.Trim(line, "[] "))
			continue
		}
		if f := strings.Fields(line); len(f) > 1 && strings.EqualFold(f[0], "@INCLUDE") {
			c.Includes = append(c.Includes, f[1])
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v := strings.Join(f[1:], " ")
		switch strings.ToLower(f[0]) {
		case "name":
			name = v
		case "host":
			host, hostLine = v, i+1
		case "port":
			port, _ = strconv.Atoi(v)
		case "path":
			if sect == "INPUT" {
				c.Inputs = append(c.Inputs, v)
			}
		}
	}
	flush()
	return c
}

// ParseFilebeat reads filebeat.yml: output.logstash / output.elasticsearch hosts (as
// nested maps or dotted keys), and the paths of its inputs (filebeat.inputs, or
// filebeat.prospectors in filebeat 5).
func ParseFilebeat(text string) (ShipConf, error) {
	var c ShipConf
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		return c, err
	}
	walkYAML(&root, "", func(key string, n *yaml.Node) {
		switch {
		case strings.HasPrefix(key, "output.") && strings.HasSuffix(key, ".hosts"):
			proto := strings.TrimSuffix(strings.TrimPrefix(key, "output."), ".hosts")
			for _, h := range scalars(n) {
				host, port, _ := endpointFromValue(h.Value)
				if port == 0 && proto == "logstash" {
					port = 5044
				}
				if port == 0 && proto == "elasticsearch" {
					port = 9200
				}
				if host != "" {
					c.Dests = append(c.Dests, Dest{Host: host, Port: port, Proto: proto, Line: h.Line})
				}
			}
		case strings.HasSuffix(key, ".paths") && (strings.Contains(key, "inputs") || strings.Contains(key, "prospectors")):
			for _, p := range scalars(n) {
				c.Inputs = append(c.Inputs, p.Value)
			}
		}
	})
	return c, nil
}

// walkYAML calls fn with every mapping value's dotted key ("output.logstash.hosts");
// sequence items keep their parent's key.
func walkYAML(n *yaml.Node, prefix string, fn func(string, *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walkYAML(c, prefix, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if prefix != "" {
				k = prefix + "." + k
			}
			fn(k, n.Content[i+1])
			walkYAML(n.Content[i+1], k, fn)
		}
	}
}

func scalars(n *yaml.Node) []*yaml.Node {
	switch n.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}
