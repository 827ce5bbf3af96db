package nginx

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Directive is one nginx directive; a block directive (server, location) has Block.
type Directive struct {
	Name  string
	Args  []string
	File  string
	Line  int
	Block []Directive
}

// Source is "file:line".
func (d Directive) Source() string { return d.File + ":" + strconv.Itoa(d.Line) }

type token struct {
	text   string
	line   int
	quoted bool
}

func tokenize(text string) ([]token, bool) {
	var out []token
	line := 1
	ok := true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '{' || c == '}' || c == ';':
			out = append(out, token{text: string(c), line: line})
			i++
		case c == '"' || c == '\'':
			start := line
			var b strings.Builder
			j := i + 1
			for ; j < len(text) && text[j] != c; j++ {
				if text[j] == '\\' && j+1 < len(text) {
					j++
				}
				if text[j] == '\n' {
					line++
				}
				b.WriteByte(text[j])
			}
			if j >= len(text) {
				ok = false
			}
			out = append(out, token{text: b.String(), line: start, quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(text) && !strings.ContainsRune(" \t\r\n;{}\"'", rune(text[j])) {
				j++
			}
			if j < len(text) && (text[j] == '"' || text[j] == '\'') && j > i {
				// a quote inside a word (foo"bar") belongs to the word
				j++
			}
			out = append(out, token{text: text[i:j], line: line})
			i = j
		}
	}
	return out, ok
}

// Parse reads an nginx configuration file into directives. Unbalanced braces and
// unterminated quotes are reported; what was read is kept.
func Parse(file, text string) ([]Directive, error) {
	toks, ok := tokenize(text)
	var perr kit.ParseError
	if !ok {
		perr.Add(0, "unterminated quote")
	}
	pos := 0
	var parse func(depth int) []Directive
	parse = func(depth int) []Directive {
		var out []Directive
		var cur *Directive
		for pos < len(toks) {
			t := toks[pos]
			pos++
			switch {
			case t.text == ";" && !t.quoted:
				if cur != nil {
					out = append(out, *cur)
					cur = nil
				}
			case t.text == "{" && !t.quoted:
				if cur == nil {
					cur = &Directive{File: file, Line: t.line}
				}
				if depth > 50 {
					perr.Add(t.line, "blocks nested too deeply")
					return out
				}
				cur.Block = parse(depth + 1)
				out = append(out, *cur)
				cur = nil
			case t.text == "}" && !t.quoted:
				if depth == 0 {
					perr.Add(t.line, "unexpected '}'")
					continue
				}
				return out
			default:
				if cur == nil {
					cur = &Directive{Name: t.text, File: file, Line: t.line}
				} else {
					cur.Args = append(cur.Args, t.text)
				}
			}
		}
		if cur != nil {
			perr.Add(cur.Line, "directive %q not ended by ';'", cur.Name)
			out = append(out, *cur)
		}
		if depth > 0 {
			perr.Add(0, "a block is not closed by '}'")
		}
		return out
	}
	ds := parse(0)
	return ds, perr.Err()
}

// Expand follows include directives through the files collected (path to text),
// relative paths against prefix (/etc/nginx), and returns the effective tree and the
// includes that matched nothing collected.
func Expand(ds []Directive, prefix string, files map[string]string, depth int) ([]Directive, []string, []string) {
	var out []Directive
	var missing, errs []string
	for _, d := range ds {
		if d.Name == "include" && len(d.Args) == 1 && depth < 8 {
			pat := d.Args[0]
			if !strings.HasPrefix(pat, "/") {
				pat = path.Join(prefix, pat)
			}
			var hits []string
			for f := range files {
				if ok, _ := path.Match(pat, f); ok {
					hits = append(hits, f)
				}
			}
			sort.Strings(hits)
			if len(hits) == 0 && !strings.ContainsAny(pat, "*?[") {
				missing = append(missing, pat+" (include at "+d.Source()+")")
			}
			for _, h := range hits {
				sub, err := Parse(h, files[h])
				if err != nil {
					errs = append(errs, h+": "+err.Error())
				}
				sub, m, e := Expand(sub, prefix, files, depth+1)
				out = append(out, sub...)
				missing = append(missing, m...)
				errs = append(errs, e...)
			}
			continue
		}
		if len(d.Block) > 0 {
			var m, e []string
			d.Block, m, e = Expand(d.Block, prefix, files, depth+1)
			missing = append(missing, m...)
			errs = append(errs, e...)
		}
		out = append(out, d)
	}
	return out, missing, errs
}

// Servers returns the server blocks of the http block as virtual hosts, and every
// listen address.
func Servers(ds []Directive) ([]snapshot.VHost, []string) {
	var vhosts []snapshot.VHost
	var listen []string
	var walk func([]Directive)
	walk = func(ds []Directive) {
		for _, d := range ds {
			switch d.Name {
			case "http":
				walk(d.Block)
			case "server":
				v := snapshot.VHost{Source: d.Source()}
				var lst []string
				var visit func(ds []Directive, url string)
				visit = func(ds []Directive, url string) {
					for _, x := range ds {
						switch x.Name {
						case "listen":
							if len(x.Args) > 0 {
								lst = append(lst, x.Args[0])
								for _, a := range x.Args[1:] {
									if a == "ssl" {
										v.TLS = true
									}
								}
							}
						case "server_name":
							for _, n := range x.Args {
								if v.ServerName == "" {
									v.ServerName = n
								} else {
									v.Aliases = append(v.Aliases, n)
								}
							}
						case "root":
							if len(x.Args) > 0 && v.DocumentRoot == "" {
								v.DocumentRoot = x.Args[0]
							}
						case "proxy_pass", "fastcgi_pass", "uwsgi_pass", "passenger_app_root":
							if len(x.Args) > 0 {
								v.Proxies = append(v.Proxies, x.Args[0])
							}
						}
						switch x.Name {
						case "root", "alias", "passenger_app_root", "passenger_ruby":
							if len(x.Args) > 0 {
								v.Paths = append(v.Paths, snapshot.VHostPath{Directive: x.Name, URL: url, Path: x.Args[0], Source: x.Source()})
							}
						case "ssl_certificate":
							v.TLS = true
						case "ssl":
							v.TLS = v.TLS || len(x.Args) > 0 && x.Args[0] == "on"
						case "access_log", "error_log":
							if len(x.Args) > 0 && x.Args[0] != "off" {
								v.Logs = append(v.Logs, x.Args[0])
							}
						case "location":
							visit(x.Block, strings.Join(x.Args, " "))
						case "if":
							visit(x.Block, url)
						}
					}
				}
				visit(d.Block, "")
				if len(lst) == 0 {
					lst = []string{"80"} // nginx's default listen
				}
				v.Listen = strings.Join(lst, " ")
				for _, l := range lst {
					if !contains(listen, l) {
						listen = append(listen, l)
					}
				}
				vhosts = append(vhosts, v)
			}
		}
	}
	walk(ds)
	return vhosts, listen
}

// ParseV reads `nginx -V 2>&1`: the version and the --with-*_module flags.
func ParseV(text string) (version string, modules []string) {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, "nginx version: nginx/"); ok {
			version = strings.Fields(v + " ")[0]
		}
		if strings.HasPrefix(line, "configure arguments:") {
			for _, f := range strings.Fields(line) {
				if m, ok := strings.CutPrefix(f, "--with-"); ok && strings.HasSuffix(m, "_module") {
					modules = append(modules, m)
				}
				if m, ok := strings.CutPrefix(f, "--add-module="); ok {
					modules = append(modules, path.Base(m))
				}
				if m, ok := strings.CutPrefix(f, "--add-dynamic-module="); ok {
					modules = append(modules, path.Base(m))
				}
			}
		}
	}
	return version, modules
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
