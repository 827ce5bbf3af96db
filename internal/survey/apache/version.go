package apache

import (
	"strings"
)

// Info is what `httpd -V` says.
type Info struct {
	Version    string // "2.4.62"
	MPM        string // "event", "prefork", "worker"
	HTTPDRoot  string // -D HTTPD_ROOT
	MainConfig string // -D SERVER_CONFIG_FILE, relative to HTTPDRoot when not absolute
}

// ParseV reads `httpd -V` / `apache2ctl -V`. Warnings httpd prints before its report
// (an unresolvable ServerName) are skipped.
func ParseV(text string) (Info, bool) {
	var in Info
	found := false
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "Server version:"):
			v := strings.TrimSpace(strings.TrimPrefix(t, "Server version:"))
			if _, after, ok := strings.Cut(v, "/"); ok {
				v = after
			}
			if i := strings.IndexAny(v, " ("); i >= 0 {
				v = v[:i]
			}
			in.Version, found = v, true
		case strings.HasPrefix(t, "Server MPM:"):
			in.MPM = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(t, "Server MPM:")))
		case strings.HasPrefix(t, "-D HTTPD_ROOT="):
			in.HTTPDRoot = strings.Trim(strings.TrimPrefix(t, "-D HTTPD_ROOT="), `"`)
		case strings.HasPrefix(t, "-D SERVER_CONFIG_FILE="):
			in.MainConfig = strings.Trim(strings.TrimPrefix(t, "-D SERVER_CONFIG_FILE="), `"`)
		}
	}
	return in, found
}

// ParseM reads `httpd -M`: the loaded modules, static and shared, in its order.
func ParseM(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.HasSuffix(f[0], "_module") && (f[1] == "(static)" || f[1] == "(shared)") {
			out = append(out, f[0])
		}
	}
	return out
}
