package apps

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// phpKeys are the php.ini settings a move most often trips on.
var phpKeys = map[string]bool{
	"memory_limit": true, "upload_max_filesize": true, "post_max_size": true, "date.timezone": true,
	"short_open_tag": true, "display_errors": true, "max_execution_time": true, "register_globals": true,
	"magic_quotes_gpc": true, "safe_mode": true, "session.save_path": true, "error_log": true,
}

// ParseINI reads the settings of an ini file (php.ini, php-fpm pools): "key = value"
// lines, ";" comments, "[section]" headers. Only keys for which keep returns true are
// returned, each with its file:line; a pool's section is prefixed ("www/listen").
func ParseINI(file, text string, keep func(key string) bool) []snapshot.Setting {
	var out []snapshot.Setting
	section := ""
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(strings.TrimRight(line, "\r"))
		if t == "" || t[0] == ';' || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = t[1 : len(t)-1]
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if !keep(k) {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if section != "" && section != "PHP" && !strings.Contains(section, " ") {
			k = section + "/" + k
		}
		out = append(out, snapshot.Setting{Key: k, Value: v, Source: file + ":" + strconv.Itoa(i+1)})
	}
	return out
}

var phpVersionDir = regexp.MustCompile(`^/etc/php/(\d+\.\d+)/`)

// ParsePHPV reads `php -v`: "PHP 5.1.6 (cli) (built: ...)" gives "5.1.6".
func ParsePHPV(text string) string {
	f := strings.Fields(text)
	if len(f) < 2 || f[0] != "PHP" {
		return ""
	}
	return f[1]
}

// PHPSurveyor fills PHP's own configuration (php.ini of every SAPI, php-fpm pools) as
// runtimes, the PHP applications' interpreter where nothing better said it, and the
// php coverage.
type PHPSurveyor struct{}

// NewPHP returns the PHP surveyor.
func NewPHP() PHPSurveyor { return PHPSurveyor{} }

// Name is the surveyor's name.
func (PHPSurveyor) Name() string { return "php" }

// Survey reads php -v, every php.ini, and the php-fpm pools.
func (PHPSurveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionPHP
	pv := in.Cmd("php-v")
	version := ""
	if kit.Usable(pv) {
		version = ParsePHPV(pv.Text())
	}
	modPHP := false
	for _, ws := range in.Snap.Middleware.WebServers {
		for _, m := range ws.Modules {
			if strings.HasPrefix(m, "php") && strings.HasSuffix(m, "_module") {
				modPHP = true
			}
		}
	}
	var notes []string
	found := 0
	for _, it := range in.Archive.Items {
		if it.Kind != evidence.KindFile {
			continue
		}
		n := it.Name
		isINI := n == "/etc/php.ini" || strings.HasPrefix(n, "/etc/php") && strings.HasSuffix(n, "/php.ini")
		isPool := isPoolFile(n)
		if !isINI && !isPool {
			continue
		}
		if !kit.Usable(it) {
			if it.Status != evidence.StatusAbsent {
				notes = append(notes, it.Problem())
			}
			continue
		}
		found++
		rt := snapshot.Runtime{Kind: "php", Version: version, Path: n, Evidence: []string{in.Cite(it)}}
		if version != "" {
			rt.Evidence = append(rt.Evidence, in.Cite(pv))
		} else if m := phpVersionDir.FindStringSubmatch(n); m != nil {
			rt.Version = m[1] // Debian's /etc/php/8.2 belongs to the packages of PHP 8.2
		}
		if isPool {
			rt.Server = "php-fpm"
			rt.Settings = ParseINI(n, it.Text(), func(k string) bool {
				return k == "listen" || k == "user" || k == "group" || k == "pm" || k == "pm.max_children" || k == "chdir" || strings.HasPrefix(k, "php_admin_value") || strings.HasPrefix(k, "php_value")
			})
		} else {
			rt.Settings = ParseINI(n, it.Text(), func(k string) bool { return phpKeys[k] })
			switch {
			case strings.Contains(n, "/apache2/"):
				rt.Server = "mod_php"
			case strings.Contains(n, "/fpm/"):
				rt.Server = "php-fpm"
			case strings.Contains(n, "/cli/"):
				rt.Server = "cli"
			case modPHP:
				rt.Server = "mod_php"
			}
		}
		in.Snap.Middleware.Runtimes = append(in.Snap.Middleware.Runtimes, rt)
	}
	apps := 0
	for i := range in.Snap.Middleware.Apps {
		a := &in.Snap.Middleware.Apps[i]
		if a.Kind != "php" {
			continue
		}
		apps++
		if a.Runtime == "" && version != "" {
			a.Runtime, a.RuntimeSource = "php "+version, "php -v: the PHP on PATH"
			a.Evidence = append(a.Evidence, in.Cite(pv))
		}
	}
	switch {
	case found == 0 && apps == 0 && pv.Status == evidence.StatusAbsent && !hasPackage(in.Snap, "php", "php5", "php-common", "php7.4", "php8.2") && packagesKnown(in) && len(notes) == 0:
		in.Cover(sec, snapshot.NotApplicable, "no php program or package, no php.ini or php-fpm pool, and no PHP application", pv)
	case found == 0 && apps == 0 && !kit.Usable(pv):
		st, why := kit.StatusOf(pv)
		if len(notes) > 0 {
			why = strings.Join(notes, "; ")
			st = snapshot.Denied
		}
		in.Cover(sec, st, why, pv)
	default:
		st := snapshot.Collected
		if len(notes) > 0 {
			st = snapshot.Partial
		}
		if version == "" {
			notes = append(notes, "PHP version unknown: "+kit.Explain(pv))
			st = snapshot.Partial
		}
		in.Cover(sec, st, strings.Join(notes, "; "), pv)
	}
}
