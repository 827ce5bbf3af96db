package files

import (
	"path"
	"strings"
)

// setting is one setting read from a config file's text.
type setting struct {
	section string // the enclosing blocks, "" at the top level
	key     string // the name as written; "" for a line of a file read line by line
	norm    string // the name as compared: lower case where the format ignores case
	value   string // blanks collapsed
	line    int
	// commented: read from a commented-out line ("#Port 22"), which a packaged file
	// uses to show the value in force when nothing sets it.
	commented bool
}

// The formats settings are read in (snapshot.ConfigBaseline.Format).
const (
	formatKeyValue = "keyvalue"
	formatINI      = "ini"
	formatApache   = "apache"
	formatNginx    = "nginx"
	formatBraces   = "braces"
	formatLines    = "lines"
)

// kv says how a key/value file writes its settings.
type kv struct {
	seps     string // characters between a name and its value besides blanks ("=", "=:")
	blank    bool   // a blank alone may separate them ("Port 22")
	fold     bool   // names ignore case
	cont     bool   // a line starting with a blank continues the previous value (Postfix)
	sections []string
	trim     string // trailing characters a value drops (PHP's ';')
	comment  string // characters starting a comment line
	brackets bool   // "[name]" opens a section (ini)
}

var (
	kvGeneric = kv{seps: "=:", blank: true, comment: "#;"}
	kvEquals  = kv{seps: "=", comment: "#"}
	kvSSH     = kv{seps: "=", blank: true, fold: true, sections: []string{"match", "host"}, comment: "#"}
	kvPostfix = kv{seps: "=", cont: true, comment: "#"}
	kvBlank   = kv{blank: true, comment: "#"}
	kvColon   = kv{seps: ":", comment: "#"}
	kvPHP     = kv{seps: "=", trim: ";", comment: "#/"}
)

// formatOf decides how a file's settings are read: by what its path says it is, then
// by whether its lines look like settings. Scripts, crontabs, rule files and
// anything else whose lines are not name/value pairs are compared line by line.
func formatOf(p, text string) (string, kv) {
	base := path.Base(p)
	ext := path.Ext(base)
	dir := path.Dir(p)
	switch {
	case strings.HasPrefix(text, "#!"), strings.HasPrefix(p, "/etc/init.d/"), strings.HasPrefix(p, "/etc/rc.d/"),
		strings.HasPrefix(p, "/etc/cron"), base == "crontab", strings.HasPrefix(p, "/etc/pam.d/"),
		strings.HasPrefix(p, "/etc/sudoers"), base == "fstab", base == "rsyslog.conf", strings.HasPrefix(p, "/etc/rsyslog.d/"),
		ext == ".sh", ext == ".rules", strings.HasPrefix(p, "/etc/update-motd.d/"), base == "motd", strings.HasPrefix(base, "issue"):
		return formatLines, kv{}
	case strings.Contains(p, "/apache2/") || strings.Contains(p, "/httpd/") || base == "httpd.conf" || base == "apache2.conf":
		return formatApache, kv{}
	case strings.Contains(p, "/nginx/"), strings.HasPrefix(base, "named.conf"):
		return formatNginx, kv{}
	case strings.Contains(p, "/dovecot/"), strings.HasPrefix(p, "/etc/logrotate"):
		return formatBraces, kvGeneric
	case base == "sshd_config" || base == "ssh_config" || strings.HasPrefix(dir, "/etc/ssh/ssh") && ext == ".conf":
		return formatKeyValue, kvSSH
	case strings.HasPrefix(p, "/etc/postfix/") && (base == "main.cf" || ext == ".cf" && base != "master.cf"):
		return formatKeyValue, kvPostfix
	case base == "hosts" || base == "exports" || base == "login.defs" || base == "chrony.conf" || base == "ntp.conf" ||
		base == "redis.conf" || base == "resolv.conf" || base == "host.conf" || base == "networks":
		return formatKeyValue, kvBlank
	case base == "aliases":
		return formatKeyValue, kvColon
	case ext == ".php":
		return formatKeyValue, kvPHP
	case strings.HasPrefix(p, "/etc/default/"), strings.HasPrefix(p, "/etc/sysconfig/"), base == "environment",
		base == "sysctl.conf", strings.HasPrefix(p, "/etc/sysctl.d/"):
		return formatKeyValue, kvEquals
	case ext == ".ini" || ext == ".cnf" || ext == ".repo" || base == "my.cnf" || base == "yum.conf" || base == "smb.conf" ||
		ext == ".service" || ext == ".socket" || ext == ".timer" || ext == ".mount" || ext == ".path" || ext == ".target" ||
		base == "krb5.conf" || base == "sssd.conf" || base == "supervisord.conf" || looksINI(text):
		return formatINI, kvGeneric
	case looksKeyValue(text):
		return formatKeyValue, kvGeneric
	}
	return formatLines, kv{}
}

// looksINI: the first line that is not blank or a comment opens a [section].
func looksINI(text string) bool {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			continue
		}
		return strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]")
	}
	return false
}

// looksKeyValue: most lines that are not blank or comments are "name = value" or
// "name: value".
func looksKeyValue(text string) bool {
	n, kvs := 0, 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			continue
		}
		n++
		if i := strings.IndexAny(l, "=:"); i > 0 && isName(strings.TrimSpace(l[:i])) {
			kvs++
		}
	}
	return n > 0 && kvs*5 >= n*4
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_.-$[]/", r)) {
			return false
		}
	}
	return true
}

// readSettings reads a text's settings in a format; commented-out settings come
// too, marked, for the values a packaged file documents.
func readSettings(format string, opts kv, text string) []setting {
	if opts.comment == "" {
		opts = kvGeneric
	}
	switch format {
	case formatApache:
		return readApache(text)
	case formatNginx:
		return readNginx(text)
	case formatBraces:
		return readBraces(text, opts)
	case formatINI:
		opts.brackets = true
		return readKeyValue(text, opts)
	case formatKeyValue:
		return readKeyValue(text, opts)
	}
	return readLines(text)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitKV reads "name<sep>value" or "name value" as opts allow.
func splitKV(l string, opts kv) (key, value string, ok bool) {
	i := strings.IndexFunc(l, func(r rune) bool {
		return r == ' ' || r == '\t' || strings.ContainsRune(opts.seps, r)
	})
	if i <= 0 {
		if opts.blank && l != "" && !strings.ContainsAny(l[:1], opts.seps) {
			return l, "", true // a bare name: my.cnf's skip-networking
		}
		return "", "", false
	}
	key, rest := l[:i], strings.TrimLeft(l[i:], " \t")
	switch {
	case rest != "" && strings.ContainsRune(opts.seps, rune(rest[0])):
		rest = rest[1:]
	case !opts.blank:
		return "", "", false
	}
	value = collapse(rest)
	for opts.trim != "" && strings.HasSuffix(value, opts.trim) {
		value = strings.TrimSpace(strings.TrimSuffix(value, opts.trim))
	}
	return key, value, true
}

func (o kv) norm(key string) string {
	if o.fold {
		return strings.ToLower(key)
	}
	return key
}

// commentedSetting reads a commented-out setting: the comment character directly
// followed by a name ("#Port 22", ";extension=gd"), not prose after "# ".
func commentedSetting(l string, opts kv) (string, string, bool) {
	if l == "" || !strings.ContainsRune(opts.comment, rune(l[0])) {
		return "", "", false
	}
	l = strings.TrimLeft(l, opts.comment)
	if l == "" || l[0] == ' ' || l[0] == '\t' {
		return "", "", false
	}
	k, v, ok := splitKV(l, opts)
	return k, v, ok && isName(k)
}

// readKeyValue reads "name value" settings line by line, in sshd's Match sections
// or (brackets) ini's [sections].
func readKeyValue(text string, opts kv) []setting {
	var out []setting
	section := ""
	for i, raw := range strings.Split(text, "\n") {
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
			continue
		case strings.ContainsRune(opts.comment, rune(l[0])) || strings.HasPrefix(l, "//"):
			if k, v, ok := commentedSetting(l, opts); ok {
				out = append(out, setting{section: section, key: k, norm: opts.norm(k), value: v, line: i + 1, commented: true})
			}
			continue
		case opts.cont && (raw[0] == ' ' || raw[0] == '\t') && len(out) > 0 && !out[len(out)-1].commented:
			out[len(out)-1].value = collapse(out[len(out)-1].value + " " + l)
			continue
		case opts.brackets && strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l
			continue
		}
		l = strings.TrimPrefix(l, "export ")
		k, v, ok := splitKV(l, opts)
		if !ok {
			k, v = l, ""
		}
		if len(opts.sections) > 0 {
			if lk := strings.ToLower(k); lk == opts.sections[0] || len(opts.sections) > 1 && lk == opts.sections[1] {
				section = collapse(l)
				continue
			}
		}
		out = append(out, setting{section: section, key: k, norm: opts.norm(k), value: v, line: i + 1})
	}
	return out
}

// readApache reads directives by name inside their enclosing sections; names ignore
// case, as Apache's do, and a line ending in a backslash goes on on the next.
func readApache(text string) []setting {
	var out []setting
	var stack []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		l := strings.TrimSpace(lines[i])
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSpace(strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i]))
		}
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			if k, v, ok := commentedSetting(l, kvBlank); ok && !strings.HasPrefix(k, "<") {
				out = append(out, setting{section: strings.Join(stack, " "), key: k, norm: strings.ToLower(k), value: v, line: start + 1, commented: true})
			}
		case strings.HasPrefix(l, "</"):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case strings.HasPrefix(l, "<") && strings.HasSuffix(l, ">"):
			stack = append(stack, collapse(l))
		default:
			k, v, _ := splitKV(l, kvBlank)
			out = append(out, setting{section: strings.Join(stack, " "), key: k, norm: strings.ToLower(k), value: v, line: start + 1})
		}
	}
	return out
}

// readNginx reads statements ("name args;") inside their blocks ("name args {"),
// comments to the end of a line, quotes kept whole.
func readNginx(text string) []setting {
	var out []setting
	var stack []string
	var cur strings.Builder
	line, start := 1, 0
	var quote rune
	comment := false
	flush := func(open bool) {
		s := collapse(cur.String())
		cur.Reset()
		if s == "" {
			return
		}
		if open {
			stack = append(stack, s)
			return
		}
		k, v, _ := splitKV(s, kvBlank)
		out = append(out, setting{section: strings.Join(stack, " > "), key: k, norm: k, value: v, line: start})
	}
	for _, r := range text {
		switch {
		case r == '\n':
			line++
			comment = false
			if quote == 0 {
				cur.WriteRune(' ')
				continue
			}
		case comment:
			continue
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#':
			comment = true
			continue
		case r == ';':
			flush(false)
			continue
		case r == '{':
			flush(true)
			continue
		case r == '}':
			flush(false)
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if strings.TrimSpace(cur.String()) == "" && r != ' ' && r != '\t' {
			start = line
		}
		cur.WriteRune(r)
	}
	flush(false)
	return out
}

// readBraces reads "name value" or "name = value" lines inside "name {" blocks
// (Dovecot, logrotate).
func readBraces(text string, opts kv) []setting {
	var out []setting
	var stack []string
	for i, raw := range strings.Split(text, "\n") {
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			if k, v, ok := commentedSetting(l, opts); ok {
				out = append(out, setting{section: strings.Join(stack, " > "), key: k, norm: k, value: v, line: i + 1, commented: true})
			}
		case l == "}":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case strings.HasSuffix(l, "{"):
			stack = append(stack, collapse(strings.TrimSuffix(l, "{")))
		default:
			k, v, ok := splitKV(l, opts)
			if !ok {
				k, v = l, ""
			}
			out = append(out, setting{section: strings.Join(stack, " > "), key: k, norm: k, value: v, line: i + 1})
		}
	}
	return out
}

// readLines reads every line that is not blank or a comment as one setting.
func readLines(text string) []setting {
	var out []setting
	for i, raw := range strings.Split(text, "\n") {
		l := collapse(raw)
		if l == "" || strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "#!") {
			continue
		}
		out = append(out, setting{value: l, line: i + 1})
	}
	return out
}
