package apps

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The database an application uses, as its configuration says: adapter, host, port,
// database, socket and username, each a "database.*" setting with the file and line
// it is written on. A password is never read: the probe removed it, and no key here
// names one.

// dbKeys are the settings kept, in the order they are listed.
var dbKeys = []string{"adapter", "host", "port", "database", "socket", "username"}

// adapters are the names frameworks give database kinds, as Rails names them.
var adapters = map[string]string{
	"pgsql": "postgresql", "postgres": "postgresql", "postgresql_psycopg2": "postgresql", "psql": "postgresql",
	"sqlite3": "sqlite3", "sqlite": "sqlite3", "mariadb": "mysql",
}

func adapter(s string) string {
	s = strings.ToLower(s)
	if a, ok := adapters[s]; ok {
		return a
	}
	return s
}

type dbValue struct {
	value string
	line  int
}

// dbSettings turns what a file says into settings, in dbKeys' order.
func dbSettings(file string, vals map[string]dbValue) []snapshot.Setting {
	var out []snapshot.Setting
	for _, k := range dbKeys {
		if v, ok := vals[k]; ok && v.value != "" {
			src := file
			if v.line > 0 {
				src += ":" + strconv.Itoa(v.line)
			}
			out = append(out, snapshot.Setting{Key: "database." + k, Value: v.value, Source: src})
		}
	}
	return out
}

// fromURL reads a database URL (mysql2://user:<redacted>@host:3306/name).
func fromURL(raw string, line int, vals map[string]dbValue) {
	u, err := url.Parse(strings.Trim(raw, `"'`))
	if err != nil || u.Scheme == "" {
		return
	}
	set := func(k, v string) {
		if v != "" {
			vals[k] = dbValue{v, line}
		}
	}
	set("adapter", adapter(u.Scheme))
	set("host", u.Hostname())
	set("port", u.Port())
	set("database", strings.TrimPrefix(u.Path, "/"))
	if u.User != nil {
		set("username", u.User.Username())
	}
}

// DatabaseYML reads the production entry of a Rails database.yml: its own keys over
// those of the entries it merges (<<: *default), or its url.
func DatabaseYML(f File) map[string]dbValue {
	blocks := map[string]map[string]dbValue{}
	anchors := map[string]string{}
	merges := map[string][]string{}
	cur := ""
	for _, l := range f.Lines {
		line := strings.TrimRight(l.Text, "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			name, rest, _ := strings.Cut(t, ":")
			cur = name
			blocks[cur] = map[string]dbValue{}
			if a, ok := strings.CutPrefix(strings.TrimSpace(rest), "&"); ok {
				anchors[strings.TrimSpace(a)] = cur
			}
			continue
		}
		if cur == "" {
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "<<":
			merges[cur] = append(merges[cur], strings.TrimPrefix(v, "*"))
		case "url":
			fromURL(v, l.Num, blocks[cur])
		case "adapter", "host", "port", "database", "socket", "username":
			if k == "adapter" {
				v = adapter(v)
			}
			blocks[cur][k] = dbValue{v, l.Num}
		}
	}
	out := map[string]dbValue{}
	for _, a := range merges["production"] {
		for k, v := range blocks[anchors[a]] {
			out[k] = v
		}
	}
	for k, v := range blocks["production"] {
		out[k] = v
	}
	return out
}

// ParseDatabaseYML reads the production entry's adapter, database, host, port,
// socket and username from a redacted database.yml.
func ParseDatabaseYML(text string) map[string]string {
	out := map[string]string{}
	for k, v := range DatabaseYML(File{Lines: fileLines(text, false)}) {
		out[k] = v.value
	}
	return out
}

var wpDefine = regexp.MustCompile(`define\(\s*['"](DB_[A-Z_]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)`)

// WordPressDB reads wp-config.php's DB_ constants.
func WordPressDB(f File) map[string]dbValue {
	out := map[string]dbValue{}
	for _, l := range f.Lines {
		m := wpDefine.FindStringSubmatch(l.Text)
		if m == nil {
			continue
		}
		switch m[1] {
		case "DB_NAME":
			out["database"] = dbValue{m[2], l.Num}
		case "DB_USER":
			out["username"] = dbValue{m[2], l.Num}
		case "DB_HOST":
			// host, host:port or host:/path/to/socket
			h, p, _ := strings.Cut(m[2], ":")
			out["host"] = dbValue{h, l.Num}
			switch {
			case strings.HasPrefix(p, "/"):
				out["socket"] = dbValue{p, l.Num}
			case p != "":
				out["port"] = dbValue{p, l.Num}
			}
		}
	}
	if len(out) > 0 {
		out["adapter"] = dbValue{"mysql", 0}
	}
	return out
}

// EnvDB reads a Laravel .env's DB_ settings, or its DATABASE_URL.
func EnvDB(f File) map[string]dbValue {
	out := map[string]dbValue{}
	for _, l := range f.Lines {
		t := strings.TrimPrefix(strings.TrimSpace(l.Text), "export ")
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch strings.TrimSpace(k) {
		case "DB_CONNECTION":
			out["adapter"] = dbValue{adapter(v), l.Num}
		case "DB_HOST":
			out["host"] = dbValue{v, l.Num}
		case "DB_PORT":
			out["port"] = dbValue{v, l.Num}
		case "DB_DATABASE":
			out["database"] = dbValue{v, l.Num}
		case "DB_USERNAME":
			out["username"] = dbValue{v, l.Num}
		case "DB_SOCKET":
			out["socket"] = dbValue{v, l.Num}
		case "DATABASE_URL":
			fromURL(v, l.Num, out)
		}
	}
	return out
}

var pyItem = regexp.MustCompile(`['"](ENGINE|NAME|HOST|PORT|USER)['"]\s*:\s*['"]([^'"]*)['"]`)

// DjangoDB reads the first database of settings.py's DATABASES, as long as its
// values are written out (not read from the environment).
func DjangoDB(f File) map[string]dbValue {
	out := map[string]dbValue{}
	in := false
	for _, l := range f.Lines {
		if strings.HasPrefix(l.Text, "DATABASES") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if l.Text != "" && l.Text[0] != ' ' && l.Text[0] != '\t' && l.Text[0] != '}' {
			break
		}
		for _, m := range pyItem.FindAllStringSubmatch(l.Text, -1) {
			k := map[string]string{"ENGINE": "adapter", "NAME": "database", "HOST": "host", "PORT": "port", "USER": "username"}[m[1]]
			if _, seen := out[k]; seen {
				continue
			}
			v := m[2]
			if k == "adapter" {
				v = adapter(v[strings.LastIndexByte(v, '.')+1:])
			}
			out[k] = dbValue{v, l.Num}
		}
	}
	return out
}

var (
	jdbcResource = regexp.MustCompile(`(?s)<Resource\b[^>]*>`)
	xmlAttr      = regexp.MustCompile(`([A-Za-z]+)\s*=\s*"([^"]*)"`)
	jdbcURL      = regexp.MustCompile(`^jdbc:([a-z]+):(?:thin:@)?//([^:/?;]+)(?::(\d+))?/([^?;]*)`)
)

// ContextDB reads the first JDBC resource of a Tomcat context file.
func ContextDB(text string) map[string]dbValue {
	out := map[string]dbValue{}
	for _, loc := range jdbcResource.FindAllStringIndex(text, -1) {
		line := strings.Count(text[:loc[0]], "\n") + 1
		attrs := map[string]string{}
		for _, a := range xmlAttr.FindAllStringSubmatch(text[loc[0]:loc[1]], -1) {
			attrs[strings.ToLower(a[1])] = a[2]
		}
		m := jdbcURL.FindStringSubmatch(attrs["url"])
		if m == nil {
			continue
		}
		out["adapter"] = dbValue{adapter(m[1]), line}
		out["host"] = dbValue{m[2], line}
		if m[3] != "" {
			out["port"] = dbValue{m[3], line}
		}
		out["database"] = dbValue{m[4], line}
		if u := attrs["username"]; u != "" && !strings.HasPrefix(u, "<") {
			out["username"] = dbValue{u, line}
		}
		return out
	}
	return out
}
