package apps

import (
	"encoding/json"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Detected is what a tree says it is.
type Detected struct {
	Kind, Framework, Version, VersionSource string
	// Libraries are its pinned dependencies (other than gems); Extensions the
	// PHP extensions it requires.
	Libraries, Extensions []string
	// Requires are the runtime versions it asks for: composer.json's "php".
	Requires map[string]string
}

// Name is how the app is called: the framework and its version, or the framework
// and the tree's name when the version is unknown.
func (d Detected) Name(root string) string {
	if d.Version != "" {
		return d.Framework + " " + d.Version
	}
	return d.Framework + " (" + path.Base(root) + ")"
}

var (
	wpVersion     = regexp.MustCompile(`^\$wp_version\s*=\s*'([^']+)'`)
	djangoVersion = regexp.MustCompile(`^VERSION\s*=\s*\((\d+),\s*(\d+),\s*(\d+)`)
	djangoPin     = regexp.MustCompile(`(?i)^django\s*==\s*([0-9][0-9A-Za-z.]*)`)
	pipPin        = regexp.MustCompile(`^([A-Za-z0-9_.-]+)\s*==\s*([0-9][0-9A-Za-z.+-]*)`)
	jsonString    = regexp.MustCompile(`^\s*"([^"]+)"\s*:\s*"([^"]*)"`)
	pythonDir     = regexp.MustCompile(`/lib/python(\d+\.\d+)/site-packages/`)
)

// Detect tells a tree's framework and version from the files it sent, the most
// specific first: a Redmine is also a Rails app, a Laravel a PHP one. ok is false
// when nothing in the tree says it is an application.
func Detect(t *Tree) (Detected, bool) {
	var d Detected
	src := func(f File, l Line) string { return t.Root + "/" + f.Rel + ":" + strconv.Itoa(l.Num) }
	switch {
	case t.Has["lib/redmine/version.rb"] != 0:
		d = Detected{Kind: "rails", Framework: "Redmine"}
		if f, ok := t.Files["lib/redmine/version.rb"]; ok {
			if v, l := redmineVersion(f); v != "" {
				d.Version, d.VersionSource = v, src(f, l)
			}
		}
	case t.Has["wp-includes/version.php"] != 0 || t.Has["wp-config.php"] != 0:
		d = Detected{Kind: "php", Framework: "WordPress"}
		if f, ok := t.Files["wp-includes/version.php"]; ok {
			for _, l := range f.Lines {
				if m := wpVersion.FindStringSubmatch(l.Text); m != nil {
					d.Version, d.VersionSource = m[1], src(f, l)
				}
			}
		}
	case t.Has["artisan"] != 0 || composerPackage(t, "laravel/framework") != "":
		d = Detected{Kind: "php", Framework: "Laravel"}
	case t.Has["manage.py"] != 0:
		d = Detected{Kind: "python", Framework: "Django"}
	case t.Has["Gemfile.lock"] != 0 && gemVersion(t, "rails") != "" || t.Has["config/environment.rb"] != 0:
		d = Detected{Kind: "rails", Framework: "Rails"}
	case t.Has["WEB-INF/web.xml"] != 0 || t.Has["META-INF/MANIFEST.MF"] != 0 || t.Counts.JSP > 0:
		d = Detected{Kind: "java", Framework: "Java webapp"}
	case t.Counts.Jar > 0:
		d = Detected{Kind: "java", Framework: "Java application"}
	case t.Has["config.ru"] != 0 || t.Has["Gemfile"] != 0:
		d = Detected{Kind: "rack", Framework: "Rack"}
	case t.Has["composer.json"] != 0 || t.Counts.PHP > 0 || t.Has["index.php"] != 0:
		d = Detected{Kind: "php", Framework: "PHP"}
	case t.Has["requirements.txt"] != 0 || t.Has["pyproject.toml"] != 0 || t.Has["setup.py"] != 0 || t.Counts.Py > 0:
		d = Detected{Kind: "python", Framework: "Python"}
	case t.Has["package.json"] != 0:
		d = Detected{Kind: "node", Framework: "Node.js"}
	case t.Counts.CGI > 0:
		d = Detected{Kind: "cgi", Framework: "CGI"}
	default:
		return d, false
	}
	switch d.Kind {
	case "php":
		if d.Framework == "Laravel" {
			d.Version, d.VersionSource = composerVersion(t, "laravel/framework")
		}
		d.Libraries = composerLibraries(t)
		d.Extensions, d.Requires = composerRequires(t)
	case "python":
		d.Libraries = pipLibraries(t)
		if d.Framework == "Django" {
			d.Version, d.VersionSource = djangoVersionOf(t)
		}
	case "rails":
		if d.Framework == "Rails" {
			if f, ok := t.Files["Gemfile.lock"]; ok {
				for _, l := range f.Lines {
					if strings.HasPrefix(l.Text, "    rails (") {
						d.Version, d.VersionSource = strings.TrimSuffix(strings.TrimPrefix(l.Text, "    rails ("), ")"), src(f, l)
					}
				}
			}
		}
	case "java":
		d.Version, d.VersionSource = manifestValue(t, "Implementation-Version") // a webapp's; a jar's is inside it
		d.Libraries = append(d.Libraries, t.Items["WEB-INF/lib"]...)
	case "node":
		d.Version, d.VersionSource = packageJSON(t, "version")
	}
	for _, dir := range []string{"plugins", "wp-content/plugins"} {
		for _, p := range t.Items[dir] {
			d.Libraries = append(d.Libraries, "plugin "+p)
		}
	}
	return d, true
}

// rels are the files the tree sent, in order.
func (t *Tree) rels() []string {
	out := make([]string, 0, len(t.Files))
	for rel := range t.Files {
		out = append(out, rel)
	}
	sort.Strings(out)
	return out
}

func redmineVersion(f File) (string, Line) {
	text := make([]string, 0, len(f.Lines))
	var at Line
	for _, l := range f.Lines {
		text = append(text, l.Text)
		if at.Num == 0 && versionConst.MatchString(l.Text) {
			at = l
		}
	}
	return ParseRedmineVersion(strings.Join(text, "\n")), at
}

func gemVersion(t *Tree, gem string) string {
	f, ok := t.Files["Gemfile.lock"]
	if !ok {
		return ""
	}
	lock, _ := ParseGemfileLock(fileText(f))
	return lock.Specs[gem]
}

func fileText(f File) string {
	var b strings.Builder
	for _, l := range f.Lines {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// composerPairs are composer.lock's packages: each "name" line followed at once by
// a "version" line (an author's name is followed by its email instead).
func composerPairs(t *Tree) (names, versions []string, lines []Line) {
	f, ok := t.Files["composer.lock"]
	if !ok {
		return nil, nil, nil
	}
	for i := 0; i+1 < len(f.Lines); i++ {
		n := jsonString.FindStringSubmatch(f.Lines[i].Text)
		v := jsonString.FindStringSubmatch(f.Lines[i+1].Text)
		if n != nil && v != nil && n[1] == "name" && v[1] == "version" && f.Lines[i+1].Num == f.Lines[i].Num+1 {
			names, versions, lines = append(names, n[2]), append(versions, v[2]), append(lines, f.Lines[i+1])
			i++
		}
	}
	return names, versions, lines
}

func composerPackage(t *Tree, name string) string {
	v, _ := composerVersion(t, name)
	return v
}

func composerVersion(t *Tree, name string) (string, string) {
	names, versions, lines := composerPairs(t)
	for i, n := range names {
		if n == name {
			return strings.TrimPrefix(versions[i], "v"), t.Root + "/composer.lock:" + strconv.Itoa(lines[i].Num)
		}
	}
	return "", ""
}

func composerLibraries(t *Tree) []string {
	names, versions, _ := composerPairs(t)
	out := make([]string, 0, len(names))
	for i, n := range names {
		out = append(out, n+" "+strings.TrimPrefix(versions[i], "v"))
	}
	return out
}

// composerRequires reads composer.json's "php" and "ext-..." requirements.
func composerRequires(t *Tree) (ext []string, req map[string]string) {
	f, ok := t.Files["composer.json"]
	if !ok {
		return nil, nil
	}
	for _, l := range f.Lines {
		m := jsonString.FindStringSubmatch(l.Text)
		switch {
		case m == nil:
		case m[1] == "php":
			req = map[string]string{"php": m[2], "php.source": t.Root + "/composer.json:" + strconv.Itoa(l.Num)}
		case strings.HasPrefix(m[1], "ext-"):
			ext = append(ext, strings.TrimPrefix(m[1], "ext-"))
		}
	}
	return ext, req
}

func pipLibraries(t *Tree) []string {
	f, ok := t.Files["requirements.txt"]
	if !ok {
		return nil
	}
	var out []string
	for _, l := range f.Lines {
		if m := pipPin.FindStringSubmatch(strings.TrimSpace(l.Text)); m != nil {
			out = append(out, m[1]+" "+m[2])
		}
	}
	return out
}

// djangoVersionOf is the pin of requirements.txt, else the version of the Django
// installed in the tree's virtualenv.
func djangoVersionOf(t *Tree) (string, string) {
	if f, ok := t.Files["requirements.txt"]; ok {
		for _, l := range f.Lines {
			if m := djangoPin.FindStringSubmatch(strings.TrimSpace(l.Text)); m != nil {
				return m[1], t.Root + "/requirements.txt:" + strconv.Itoa(l.Num)
			}
		}
	}
	for _, rel := range t.rels() {
		if !strings.HasSuffix(rel, "/site-packages/django/__init__.py") {
			continue
		}
		for _, l := range t.Files[rel].Lines {
			if m := djangoVersion.FindStringSubmatch(l.Text); m != nil {
				return m[1] + "." + m[2] + "." + m[3], t.Root + "/" + rel + ":" + strconv.Itoa(l.Num)
			}
		}
	}
	return "", ""
}

// venvPython is the Python a tree's virtualenv was made with, from the path of a
// package installed in it.
func venvPython(t *Tree) (string, string) {
	for _, rel := range t.rels() {
		if m := pythonDir.FindStringSubmatchIndex("/" + rel); m != nil {
			dir := rel[:m[1]-len("/site-packages/")-1]
			return "python " + ("/" + rel)[m[2]:m[3]], t.Root + "/" + dir
		}
	}
	return "", ""
}

func manifestValue(t *Tree, key string) (string, string) {
	f, ok := t.Files["META-INF/MANIFEST.MF"]
	if !ok {
		return "", ""
	}
	for _, l := range f.Lines {
		if v, ok := strings.CutPrefix(l.Text, key+":"); ok {
			return strings.TrimSpace(strings.TrimSuffix(v, "\r")), t.Root + "/META-INF/MANIFEST.MF:" + strconv.Itoa(l.Num)
		}
	}
	return "", ""
}

// packageJSON reads one top-level string of package.json.
func packageJSON(t *Tree, key string) (string, string) {
	f, ok := t.Files["package.json"]
	if !ok {
		return "", ""
	}
	var doc map[string]any
	if json.Unmarshal([]byte(fileText(f)), &doc) != nil {
		return "", ""
	}
	if v, ok := doc[key].(string); ok && v != "" {
		return v, t.Root + "/package.json"
	}
	return "", ""
}

// stockPages are the titles of the pages a distribution's web server package puts
// in its document root (Tomcat's in its ROOT webapp, beside a META-INF).
var stockPages = []string{
	"Apache2 Debian Default Page", "Apache2 Ubuntu Default Page", "Welcome to nginx!",
	"Test Page for the Apache HTTP Server", "Apache HTTP Server Test Page", "Test Page for the Nginx HTTP Server",
	"Apache Tomcat",
}

// Plain says what a tree that is no application is: stock (the page a package put
// there, and nothing else), empty, or static (files, no code).
func Plain(t *Tree) (found, what string) {
	if t.Counts.Entries == 0 {
		return "empty", ""
	}
	pages, title := 0, ""
	for _, page := range []string{"index.html", "index.nginx-debian.html"} {
		if t.Has[page] != 0 {
			pages++
		}
		if x := t.Titles[page]; x != "" && title == "" {
			title = x
		}
	}
	others := t.Counts.Entries - pages
	if path.Base(t.Root) == "ROOT" && t.Has["META-INF"] != 0 {
		others-- // Tomcat's own ROOT webapp keeps its context.xml there
	}
	for _, s := range stockPages {
		if title != "" && strings.HasPrefix(title, s) && others == 0 {
			return "stock", title
		}
	}
	what = strconv.Itoa(t.Counts.Entries) + " entries"
	if t.Counts.HTML > 0 {
		what += ", " + strconv.Itoa(t.Counts.HTML) + " HTML"
	}
	return "static", what
}
