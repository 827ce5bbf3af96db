package spec

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Goss writes the spec as a goss gossfile (goss's docs/gossfile.md): one top-level
// key per resource type, each a map from the resource's name to its attributes.
// What goss has no resource for (a cron job, a sudo right, a setting) becomes a
// command whose output must hold lines matching patterns, the way goss's own
// documentation checks such things. Each kind writes its own resources (its goss in
// kind_*.go); expectations a gossfile cannot express are listed in the header with
// the reason. Every resource carries the expectations it checks and where they
// came from (title and meta), so a failure in goss's report leads back to the old
// host.
//
// The export of a host's own snapshot passes on that host: TestGossOnThisHost and
// the lab's TestGossOnTheLab hold it to that under the real goss.
func Goss(s *Spec) ([]byte, error) {
	g := &gossfile{init: s.Source.Init}
	var reasons []string
	left := map[string][]string{}
	for _, e := range s.Expectations {
		why := "trowel does not know its kind"
		if k, ok := kindOf(e.Kind()); ok {
			why = k.gossOf(g, e)
		}
		if why == "" {
			continue
		}
		if left[why] == nil {
			reasons = append(reasons, why)
		}
		left[why] = append(left[why], e.ID)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# goss gossfile derived by trowel from %s (%s)\n", s.Source.Host, s.Source.Snapshot)
	b.WriteString("# Run on the new host as root: goss -g THIS validate\n")
	b.WriteString("# Each resource's title names the expectations it checks; meta.from says where they came from.\n")
	if g.servicesByCommand {
		b.WriteString("# No systemd ran the old host's services, and goss's service resource asks systemctl wherever\n")
		b.WriteString("# it is installed: each service is checked by commands instead, its program running (or systemd\n")
		b.WriteString("# or its init script saying so) and its start at boot (systemctl is-enabled, else an S link).\n")
	}
	if len(reasons) > 0 {
		b.WriteString("# Not expressible in goss, checked only by trowel verify:\n")
		for _, why := range reasons {
			fmt.Fprintf(&b, "#   %s:\n", why)
			for _, id := range left[why] {
				fmt.Fprintf(&b, "#     %s\n", id)
			}
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(g.document()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return literalForTemplate(b.Bytes()), nil
}

// literalForTemplate keeps a gossfile's text as it is through goss, which runs every
// gossfile as a Go template before it reads the YAML: "{{" (a command line with a
// Go template, a docker --format) would begin an action there, and the whole file
// would fail to load. Each is written as an action that prints it.
func literalForTemplate(doc []byte) []byte {
	return bytes.ReplaceAll(doc, []byte("{{"), []byte(`{{"{{"}}`))
}

// gossfile collects resources by type and name, each with the expectations it
// checks.
type gossfile struct {
	// init is the old host's init system, which decides how services are asked;
	// servicesByCommand says they were asked by commands, not goss's resource.
	init              string
	servicesByCommand bool
	resources         map[string]map[string]*gossResource
}

type gossResource struct {
	attrs map[string]any
	ids   []string
	from  []string
}

// servicesByGoss reports whether goss's service resource asks the init system that
// ran the old host's services: it asks systemctl whenever systemctl is installed,
// so only where systemd (or upstart, or OpenRC, which goss knows) was PID 1.
func (g *gossfile) servicesByGoss() bool {
	switch g.init {
	case "systemd", "upstart", "openrc":
		return true
	}
	return false
}

// put adds a resource checking e. A resource two expectations check is written
// once: the patterns and addresses each wants are all kept.
func (g *gossfile) put(typ, name string, e Expectation, attrs map[string]any) {
	if g.resources == nil {
		g.resources = map[string]map[string]*gossResource{}
	}
	if g.resources[typ] == nil {
		g.resources[typ] = map[string]*gossResource{}
	}
	r := g.resources[typ][name]
	if r == nil {
		r = &gossResource{attrs: map[string]any{}}
		g.resources[typ][name] = r
	}
	for k, v := range attrs {
		old, had := r.attrs[k].([]string)
		if add, ok := v.([]string); ok && had {
			for _, a := range add {
				if !slices.Contains(old, a) {
					old = append(old, a)
				}
			}
			v = old
		}
		r.attrs[k] = v
	}
	if !slices.Contains(r.ids, e.ID) {
		r.ids = append(r.ids, e.ID)
	}
	if where := e.From.Where(); where != "" && !slices.Contains(r.from, where) {
		r.from = append(r.from, where)
	}
}

// command checks e by a command run by sh: it must exit 0 and print a line matching
// each pattern. The resource is named by the expectation (and what of it is
// checked, when it takes more than one command), so goss's report names it.
func (g *gossfile) command(e Expectation, aspect, exec string, patterns ...string) {
	name := e.ID
	if aspect != "" {
		name += " (" + aspect + ")"
	}
	a := map[string]any{"exec": exec, "exit-status": 0, "timeout": 10000}
	if len(patterns) > 0 {
		a["stdout"] = patterns
	}
	g.put("command", name, e, a)
}

// document is the gossfile as goss reads it.
func (g *gossfile) document() map[string]map[string]map[string]any {
	out := map[string]map[string]map[string]any{}
	for typ, rs := range g.resources {
		out[typ] = map[string]map[string]any{}
		for name, r := range rs {
			meta := map[string]any{"expectations": r.ids}
			if len(r.from) > 0 {
				meta["from"] = r.from
			}
			a := map[string]any{"title": strings.Join(r.ids, ", "), "meta": meta}
			for k, v := range r.attrs {
				a[k] = v
			}
			out[typ][name] = a
		}
	}
	return out
}

// GossKeys are the resource types and attributes goss's gossfile documentation
// defines for the resources this export writes; the structural check in the tests
// holds the export to them.
var GossKeys = map[string][]string{
	"service":      {"enabled", "running", "skip", "title", "meta"},
	"port":         {"listening", "ip", "skip", "title", "meta"},
	"user":         {"exists", "uid", "gid", "groups", "home", "shell", "skip", "title", "meta"},
	"group":        {"exists", "gid", "skip", "title", "meta"},
	"mount":        {"exists", "opts", "source", "filesystem", "usage", "skip", "title", "meta"},
	"file":         {"exists", "mode", "size", "owner", "group", "filetype", "contents", "md5", "sha256", "linked-to", "skip", "title", "meta"},
	"command":      {"exec", "exit-status", "stdout", "stderr", "timeout", "skip", "title", "meta"},
	"kernel-param": {"value", "skip", "title", "meta"},
	"http":         {"status", "url", "allow-insecure", "no-follow-redirects", "timeout", "request-headers", "headers", "body", "skip", "title", "meta"},
}

// A goss pattern in a list (a command's stdout, a file's contents, an HTTP body) is
// a regular expression when written /like this/, and is matched against each line.
// A plain string is a substring test whose leading "/", "\" and "!" goss strips or
// reads as negation, so every pattern here is a regular expression. Case is ignored
// with an inline (?i), which every goss release reads (the /re/i form is newer).
func gossLine(re string) string { return "/" + re + "/" }

// gossWords is a regular expression for text whose blanks may be any run of blanks:
// what configs and command lines do with whitespace.
func gossWords(s string) string {
	f := strings.Fields(s)
	for i := range f {
		f[i] = regexp.QuoteMeta(f[i])
	}
	return strings.Join(f, `\s+`)
}

// gossWord matches s as a whole word of a line: between blanks or the line's ends.
func gossWord(s string) string { return `(^|\s)` + gossWords(s) + `(\s|$)` }

// gossValue is a regular expression for the values a setting of value v (as
// NormalizeValue leaves it) may be written as: quoted or not, any blanks between
// words, none needed after a comma.
func gossValue(v string) string {
	f := strings.Fields(v)
	var b strings.Builder
	b.WriteString(`["']?`)
	for i, w := range f {
		if i > 0 {
			if strings.HasSuffix(f[i-1], ",") {
				b.WriteString(`\s*`)
			} else {
				b.WriteString(`\s+`)
			}
		}
		b.WriteString(regexp.QuoteMeta(w))
	}
	b.WriteString(`["']?`)
	return b.String()
}

// gossIP is an address as goss reports a port's ip: Go's form of it, in capitals
// (an IPv4-mapped IPv6 address is its IPv4 address).
func gossIP(addr string) string {
	if ip := net.ParseIP(strings.Trim(addr, "[]")); ip != nil {
		return strings.ToUpper(ip.String())
	}
	return strings.ToUpper(addr)
}

// shellWord quotes s for sh when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
