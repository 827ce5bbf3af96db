package spec

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Goss writes the spec as a goss gossfile (goss's docs/gossfile.md): one top-level
// key per resource type (port, service, user, group, process, mount, file,
// command), each a map from the resource's name to its attributes. What goss has no
// resource for (a cron job, a sudo right, an authorized key, a setting) becomes a
// command resource whose stdout must contain the expected text, the way goss's own
// documentation checks such things. Each kind writes its own resources (its goss in
// kind_*.go); expectations a gossfile cannot express (a cron daemon's zone, a
// service's function: a kind's noGoss says why) are listed in the header comment.
func Goss(s *Spec) ([]byte, error) {
	g := gossfile{}
	var left []string
	for _, e := range s.Expectations {
		if k, ok := kindOf(e.Kind()); !ok || !k.gossOf(g, e) {
			left = append(left, e.ID)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# goss gossfile derived by trowel from %s (%s)\n", s.Source.Host, s.Source.Snapshot)
	b.WriteString("# Run on the new host: goss -g THIS validate\n")
	if len(left) > 0 {
		b.WriteString("# Not expressible in goss, checked only by trowel verify:\n")
		for _, id := range left {
			fmt.Fprintf(&b, "#   %s\n", id)
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(g); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gossfile maps a resource type to its resources, each a map of attributes.
type gossfile map[string]map[string]map[string]any

func (g gossfile) put(typ, name string, attrs map[string]any) {
	if g[typ] == nil {
		g[typ] = map[string]map[string]any{}
	}
	if old, ok := g[typ][name]; ok {
		// Two expectations on one resource (a command's stdout): merge the patterns.
		if o, ok := old["stdout"].([]string); ok {
			if n, ok := attrs["stdout"].([]string); ok {
				attrs["stdout"] = append(o, n...)
			}
		}
	}
	g[typ][name] = attrs
}

func (g gossfile) command(name string, stdout ...string) {
	g.put("command", name, map[string]any{"exit-status": 0, "stdout": stdout, "timeout": 10000})
}

// GossKeys are the resource types and attributes goss's gossfile documentation
// defines for the resources this export writes; the structural check in the tests
// holds the export to them.
var GossKeys = map[string][]string{
	"service":      {"enabled", "running", "skip"},
	"port":         {"listening", "ip", "skip"},
	"user":         {"exists", "uid", "gid", "groups", "home", "shell", "skip"},
	"group":        {"exists", "gid", "skip"},
	"mount":        {"exists", "opts", "source", "filesystem", "usage", "skip"},
	"file":         {"exists", "mode", "size", "owner", "group", "filetype", "contains", "md5", "sha256", "linked-to", "skip"},
	"command":      {"exit-status", "stdout", "stderr", "timeout", "skip"},
	"process":      {"running", "skip"},
	"kernel-param": {"value", "skip"},
	"http":         {"status", "url", "allow-insecure", "no-follow-redirects", "timeout", "request-headers", "headers", "body", "skip"},
}
