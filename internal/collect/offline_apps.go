package collect

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
)

// The probe's _web_apps and _web_app_sizes read from a disk image: the same records
// from the same places, line for line, so one parser serves both. Links resolve inside
// the image; one that leads out of it is "outside", which the probe never says.

// appSizesBudget bounds the offline walk as the probe's watchdog bounds
// _web_app_sizes.
const appSizesBudget = 120 * time.Second

func (r *rootReader) webApps() ([]byte, error) { return r.appFacts(""), nil }

func (r *rootReader) webAppSizes() ([]byte, error) {
	return r.appSizes("", time.Now().Add(appSizesBudget)), nil
}

// tomcatContexts does what the probe's _web_xml does with the context files.
func (r *rootReader) tomcatContexts() ([]byte, error) {
	var b bytes.Buffer
	for _, f := range r.glob(probe.TomcatContexts) {
		if r.isRegular(f) {
			r.webShow(&b, f, true)
		}
	}
	return b.Bytes(), nil
}

// appFacts is _web_apps, its places under prefix (a test's copy of a disk).
func (r *rootReader) appFacts(prefix string) []byte {
	var b bytes.Buffer
	found := r.appFind(prefix)
	b.Write(found)
	for _, root := range appRoots(found) {
		r.appTree(&b, root)
	}
	b.WriteString("# done\n")
	return b.Bytes()
}

// appSizes is _web_app_sizes: every tree's data, then the trees.
func (r *rootReader) appSizes(prefix string, deadline time.Time) []byte {
	var b bytes.Buffer
	roots := appRoots(r.appFind(prefix))
	for _, root := range roots {
		for _, d := range probe.AppDataDirs {
			if r.isDirFollow(root + "/" + d) {
				r.appSize(&b, root, d, root+"/"+d, deadline)
			}
		}
		for _, f := range append([]string{root + "/config/configuration.yml"}, r.glob(root+"/*/settings.py")...) {
			if d := r.configuredDataDir(f); d != "" && r.isDirFollow(d) {
				r.appSize(&b, root, d, d, deadline)
			}
		}
	}
	for _, root := range roots {
		r.appSize(&b, root, ".", root, deadline)
	}
	b.WriteString("# done\n")
	return b.Bytes()
}

var (
	attachmentsPath = regexp.MustCompile(`^[ \t]*attachments_storage_path:[ \t]*["']?(/[^"' \t#]*)`)
	mediaRoot       = regexp.MustCompile(`^MEDIA_ROOT[ \t]*=[ \t]*["'](/[^"']*)["']`)
)

// configuredDataDir is the first data directory a Redmine configuration.yml or a
// Django settings.py writes out as an absolute path, as _wa_data's sed finds it.
func (r *rootReader) configuredDataDir(f string) string {
	data, err := r.readHead(f, 64<<20)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		for _, re := range []*regexp.Regexp{attachmentsPath, mediaRoot} {
			if m := re.FindStringSubmatch(line); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// appSize is _wa_size.
func (r *rootReader) appSize(b *bytes.Buffer, root, name, dir string, deadline time.Time) {
	hp, err := r.inside(dir)
	if err != nil {
		return
	}
	kib, complete := diskUsage(hp, deadline)
	size, _ := apparentSize(hp, deadline)
	note := ""
	if !complete {
		note = "partial"
	}
	uid, gid := ownerOf(hp)
	fmt.Fprintf(b, "S\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", root, name, kib, size, uid, gid, note)
}

// ownerOf is the uid and gid ls -ldn prints for a path, links followed.
func ownerOf(hostPath string) (string, string) {
	st, ok := statT(hostPath)
	if !ok {
		return "-", "-"
	}
	return strconv.FormatUint(uint64(st.Uid), 10), strconv.FormatUint(uint64(st.Gid), 10)
}

// appRoots are the trees the E records lead to, each once, in order.
func appRoots(found []byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(string(found), "\n") {
		f := strings.Split(line, "\t")
		if len(f) >= 7 && f[0] == "E" && f[4] == "ok" && !seen[f[6]] {
			seen[f[6]] = true
			out = append(out, f[6])
		}
	}
	return out
}

// appFind is _wa_find without -p: nothing runs on a disk image.
func (r *rootReader) appFind(prefix string) []byte {
	var b bytes.Buffer
	for _, g := range probe.AppPlaces {
		for _, pattern := range g.Places {
			for _, p := range r.glob(prefix + pattern) {
				switch g.Flag {
				case "-w", "-x", "-c":
					if !r.isRegularFollow(p) {
						continue
					}
					data, err := r.readHead(p, 64<<20)
					if err != nil {
						continue
					}
					var lines [][3]string
					switch g.Flag {
					case "-w":
						lines = webServedPaths(p, data)
					case "-x":
						lines = docBases(p, data)
					case "-c":
						lines = runPaths(p, data)
					}
					for _, l := range lines {
						// a program a unit runs stands for its directory
						dir := l[2]
						if r.isRegularFollow(dir) {
							dir = dir[:strings.LastIndexByte(dir, '/')]
						}
						r.appEntry(&b, l[0], l[1], dir)
					}
				case "-t":
					if !r.isDirFollow(p) {
						continue
					}
					for _, e := range r.names(p) {
						sub := p + "/" + e
						if strings.HasSuffix(e, ".war") {
							if r.isRegularFollow(sub) && !r.isDirFollow(strings.TrimSuffix(sub, ".war")) {
								r.appEntry(&b, "webapp", p, sub)
							}
						} else if r.isDirFollow(sub) {
							r.appEntry(&b, "webapp", p, sub)
						}
					}
				case "-d":
					if r.isDirFollow(p) && r.appMarked(p) {
						r.appEntry(&b, "place", p[:strings.LastIndexByte(p, '/')], p)
					}
				}
			}
		}
	}
	return b.Bytes()
}

// names are a directory's entries as the shell's * sees them: sorted, no dot files.
func (r *rootReader) names(dir string) []string {
	hp, err := r.inside(dir)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(hp)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// statFollow is stat(2) of a path of the surveyed host, links followed inside the
// root, as the shell's [ -e ], [ -f ] and [ -d ] see it.
func (r *rootReader) statFollow(p string) (fs.FileInfo, error) {
	hp, err := r.inside(p)
	if err != nil {
		return nil, err
	}
	return os.Stat(hp)
}

func (r *rootReader) existsFollow(p string) bool {
	_, err := r.statFollow(p)
	return err == nil
}

func (r *rootReader) isDirFollow(p string) bool {
	_, ok := r.dir(p)
	return ok
}

func (r *rootReader) isRegularFollow(p string) bool {
	fi, err := r.statFollow(p)
	return err == nil && fi.Mode().IsRegular()
}

func (r *rootReader) appMarked(dir string) bool {
	for _, m := range probe.AppMarkers {
		if r.existsFollow(dir + "/" + m) {
			return true
		}
	}
	return false
}

// appStop is _wa_stop.
func appStop(dir string) bool {
	return slices.Contains(probe.AppStops, dir) || strings.HasSuffix(dir, "/webapps")
}

// appRoot is _wa_root: marked is false when no directory on the way up is an
// application's.
func (r *rootReader) appRoot(real string) (root string, marked bool) {
	dir := real
	for n := 0; ; {
		if r.appMarked(dir) {
			return dir, true
		}
		if n++; n >= 3 || appStop(dir) {
			break
		}
		dir = dir[:strings.LastIndexByte(dir, '/')]
		if appStop(cmpOr(dir, "/")) {
			break
		}
	}
	return real, false
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// appEntry is _wa_entry.
func (r *rootReader) appEntry(b *bytes.Buffer, via, where, p string) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "$\t\n") {
		return
	}
	status, real, root := "ok", "", ""
	hp, err := r.inside(p)
	var fi fs.FileInfo
	if err == nil {
		fi, err = os.Stat(hp)
	}
	var outside *outsideError
	switch {
	case errors.As(err, &outside):
		status = "outside"
	case errors.Is(err, fs.ErrPermission):
		status = "denied"
	case err != nil:
		status = "absent"
	case fi.Mode().IsRegular():
		status = "file"
	case !fi.IsDir():
		status = "notdir"
	default:
		real = "/" + strings.TrimPrefix(strings.TrimPrefix(hp, r.root), "/")
		if f, err := os.Open(hp); err != nil {
			status, real = "denied", ""
		} else {
			f.Close()
			var marked bool
			if root, marked = r.appRoot(real); !marked && via == "cwd" {
				status, root = "plain", ""
			}
		}
	}
	fmt.Fprintf(b, "E\t%s\t%s\t%s\t%s\t%s\t%s\n", via, where, p, status, real, root)
	r.appLinks(b, p)
}

// appLinks is _wa_links: the first link of the path is replaced by its target and
// the walk starts again, at most 16 times.
func (r *rootReader) appLinks(b *bytes.Buffer, p string) {
	todo := p
	for n := 0; n < 16; n++ {
		pre, rest, hit := "", "", false
		for _, c := range strings.Split(todo, "/") {
			if c == "" {
				continue
			}
			if hit {
				rest += "/" + c
				continue
			}
			pre += "/" + c
			hit = r.isLink(pre)
		}
		if !hit {
			return
		}
		target := r.readlink(pre)
		fmt.Fprintf(b, "L\t%s\t%s\n", pre, target)
		if strings.HasPrefix(target, "/") {
			todo = target + rest
		} else {
			todo = pre[:strings.LastIndexByte(pre, '/')] + "/" + target + rest
		}
	}
}

// isLink is [ -L ]: the last component is a link, its parents resolved in the root.
func (r *rootReader) isLink(p string) bool {
	dir, err := r.inside(path.Dir(p))
	if err != nil {
		return false
	}
	fi, err := os.Lstat(filepath.Join(dir, path.Base(p)))
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// fieldsBlank splits as awk's default field splitting does: runs of blanks.
func fieldsBlank(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '\t' })
}

// webServedPaths is _wa_web.
func webServedPaths(file string, data []byte) [][3]string {
	var out [][3]string
	for i, line := range awkLines(data) {
		f := fieldsBlank(strings.TrimSuffix(line, "\r"))
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		p := ""
		switch f[0] {
		case "DocumentRoot", "PassengerAppRoot", "root", "passenger_app_root", "alias":
			if len(f) > 1 {
				p = f[1]
			}
		case "Alias":
			if len(f) > 2 {
				p = f[2]
			}
		default:
			continue
		}
		p = strings.TrimSuffix(strings.ReplaceAll(p, `"`, ""), ";")
		if strings.HasPrefix(p, "/") {
			out = append(out, [3]string{f[0], file + ":" + strconv.Itoa(i+1), p})
		}
	}
	return out
}

var (
	interpreter = regexp.MustCompile(probe.AppInterpreters)
	systemPath  = regexp.MustCompile(probe.SystemDirs)
	optionValue = regexp.MustCompile(`^-[-A-Za-z]*=`)
	execPrefix  = regexp.MustCompile(`^[-@+!:]+`)
)

// runPaths is _wa_run.
func runPaths(file string, data []byte) [][3]string {
	var out [][3]string
	for i, line := range awkLines(data) {
		line = strings.TrimSuffix(line, "\r")
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.NewReplacer(" ", "", "\t", "").Replace(k)
		v = strings.Trim(v, " \t")
		where := file + ":" + strconv.Itoa(i+1)
		switch k {
		case "WorkingDirectory", "chdir", "directory":
			v = strings.TrimPrefix(v, "-")
			if strings.HasPrefix(v, "/") {
				out = append(out, [3]string{k, where, v})
			}
		case "ExecStart", "command":
			w := fieldsBlank(v)
			if len(w) == 0 {
				continue
			}
			w[0] = execPrefix.ReplaceAllString(w[0], "")
			if !interpreter.MatchString(w[0][strings.LastIndexByte(w[0], '/')+1:]) {
				continue
			}
			for _, a := range w {
				a = optionValue.ReplaceAllString(a, "")
				if strings.HasPrefix(a, "/") && !systemPath.MatchString(a) {
					out = append(out, [3]string{k, where, a})
					break
				}
			}
		}
	}
	return out
}

var docBase = regexp.MustCompile(`docBase="[^"]*"`)

// docBases is _wa_docbase.
func docBases(file string, data []byte) [][3]string {
	var out [][3]string
	for i, line := range awkLines(data) {
		for _, m := range docBase.FindAllString(line, -1) {
			if p := m[len(`docBase="`) : len(m)-1]; strings.HasPrefix(p, "/") {
				out = append(out, [3]string{"docBase", file + ":" + strconv.Itoa(i+1), p})
			}
		}
	}
	return out
}

// appTree is _wa_tree.
func (r *rootReader) appTree(b *bytes.Buffer, root string) {
	hp, _ := r.inside(root)
	uid, gid := ownerOf(hp)
	fmt.Fprintf(b, "A\t%s\t%s\t%s\n", root, uid, gid)
	for _, m := range probe.AppFacts {
		fi, err := r.statFollow(root + "/" + m)
		switch {
		case err != nil:
		case fi.IsDir():
			fmt.Fprintf(b, "M\td\t%s\n", m)
		default:
			fmt.Fprintf(b, "M\tf\t%s\n", m)
		}
	}
	var n, php, py, rb, js, jsp, cgi, html, jar int
	for _, e := range r.names(root) {
		if !r.existsFollow(root+"/"+e) && !r.isLink(root+"/"+e) {
			continue
		}
		if n++; n > 5000 {
			break
		}
		switch {
		case strings.HasSuffix(e, ".php"):
			php++
		case strings.HasSuffix(e, ".py"):
			py++
		case strings.HasSuffix(e, ".rb"):
			rb++
		case strings.HasSuffix(e, ".js"):
			js++
		case strings.HasSuffix(e, ".jsp"):
			jsp++
		case strings.HasSuffix(e, ".cgi"), strings.HasSuffix(e, ".pl"):
			cgi++
		case strings.HasSuffix(e, ".html"), strings.HasSuffix(e, ".htm"):
			html++
		case strings.HasSuffix(e, ".jar"):
			jar++
		}
	}
	fmt.Fprintf(b, "C\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", n, php, py, rb, js, jsp, cgi, html, jar)
	for _, rel := range probe.AppFiles {
		r.appShow(b, root, rel, nil)
	}
	for _, g := range probe.AppGreps {
		r.appShow(b, root, g.File, g.Patterns)
	}
	settings := append(r.glob(root+"/*/settings.py"), r.glob(root+"/*/settings/*.py")...)
	n = 0
	for _, f := range settings {
		if !r.isRegularFollow(f) {
			continue
		}
		if n++; n > 5 {
			break
		}
		r.appShow(b, root, strings.TrimPrefix(f, root+"/"), nil)
	}
	for _, f := range r.glob(root + "/*/lib/python*/site-packages/django/__init__.py") {
		if r.isRegularFollow(f) {
			r.appShow(b, root, strings.TrimPrefix(f, root+"/"), []string{"^VERSION"})
		}
	}
	for _, d := range probe.AppLists {
		if !r.isDirFollow(root + "/" + d) {
			continue
		}
		n = 0
		for _, e := range r.names(root + "/" + d) {
			if !r.existsFollow(root + "/" + d + "/" + e) {
				continue
			}
			if n++; n > 300 {
				break
			}
			if !strings.ContainsAny(e, "\t\n") {
				fmt.Fprintf(b, "I\t%s\t%s\n", d, e)
			}
		}
	}
	for _, page := range []string{"index.html", "index.nginx-debian.html"} {
		if data, err := r.readHead(root+"/"+page, 65536); err == nil {
			fmt.Fprintf(b, "T\t%s\t%s\n", page, htmlTitle(data))
		}
	}
}

// appShow is _wa_show: a file's first 64 KiB through the secret filter, or with
// patterns (grep's -e, ^ the only special character) the first MiB filtered and then
// the lines they pick, each with its number.
func (r *rootReader) appShow(b *bytes.Buffer, root, rel string, patterns []string) {
	p := root + "/" + rel
	if !r.isRegularFollow(p) {
		return
	}
	tag, limit := "F", int64(65536)
	if patterns != nil {
		tag, limit = "G", 1<<20
	}
	data, err := r.readHead(p, limit)
	if err != nil {
		fmt.Fprintf(b, "N\t%s\tdenied\n", rel)
		return
	}
	text := redact.Dict(redact.Text(data))
	if patterns != nil {
		text = grepN(text, patterns)
		if len(text) > 65536 {
			text = text[:65536]
		}
	}
	fmt.Fprintf(b, "%s\t%d\t%s\n%s\n", tag, len(text), rel, text)
	if fi, err := r.statFollow(p); err == nil && fi.Size() > limit {
		fmt.Fprintf(b, "N\t%s\tcut at %d of %d bytes\n", rel, limit, fi.Size())
	}
}

// grepN is grep -n -e P...: the lines holding any pattern, numbered.
func grepN(text []byte, patterns []string) []byte {
	var b bytes.Buffer
	for i, line := range awkLines(text) {
		for _, pat := range patterns {
			if anchored := strings.TrimPrefix(pat, "^"); anchored != pat && strings.HasPrefix(line, anchored) ||
				anchored == pat && strings.Contains(line, pat) {
				fmt.Fprintf(&b, "%d:%s\n", i+1, line)
				break
			}
		}
	}
	return b.Bytes()
}

// htmlTitle is _wa_tree's sed: on the first line with a <title>, what follows the
// last one up to the first </title>; NULs and tabs dropped.
func htmlTitle(data []byte) string {
	data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte{0}, nil), []byte{'\t'}, nil)
	for _, line := range strings.Split(string(data), "\n") {
		low := asciiLower(line)
		i := strings.LastIndex(low, "<title>")
		if i < 0 {
			continue
		}
		line, low = line[i+len("<title>"):], low[i+len("<title>"):]
		if j := strings.Index(low, "</title>"); j >= 0 {
			line = line[:j]
		}
		return line
	}
	return ""
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
