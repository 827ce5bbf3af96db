package apache

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Server is what an effective configuration says about the sites it serves.
type Server struct {
	Listen []string
	VHosts []snapshot.VHost
	// LoadModules are the modules LoadModule lines load, for when -M could not run.
	LoadModules []string
}

// Analyze reads listeners, virtual hosts and loaded modules from an effective
// configuration. root resolves relative log paths, as httpd does against ServerRoot.
// The main server becomes a virtual host of its own only when there are no
// <VirtualHost> sections, since it then serves every request.
func Analyze(lines []Line, root string) Server {
	var s Server
	var cur *snapshot.VHost
	depth := 0 // sections open inside the current <VirtualHost>
	var main snapshot.VHost
	for _, l := range lines {
		if strings.EqualFold(l.Name, "ServerRoot") && len(l.Args) > 0 {
			root = l.Args[0]
		}
		if l.Open && strings.EqualFold(l.Name, "VirtualHost") && cur == nil {
			cur = &snapshot.VHost{Listen: strings.Join(l.Args, " "), Source: l.Source()}
			depth = 0
			continue
		}
		if cur != nil {
			switch {
			case l.Open:
				depth++
				continue
			case l.Close && depth > 0:
				depth--
				continue
			case l.Close:
				s.VHosts = append(s.VHosts, *cur)
				cur = nil
				continue
			}
			site(cur, l, root)
			continue
		}
		if l.Open || l.Close {
			continue
		}
		switch strings.ToLower(l.Name) {
		case "listen":
			if len(l.Args) > 0 && !has(s.Listen, l.Args[0]) {
				s.Listen = append(s.Listen, l.Args[0])
			}
		case "loadmodule":
			if len(l.Args) > 0 && !has(s.LoadModules, l.Args[0]) {
				s.LoadModules = append(s.LoadModules, l.Args[0])
			}
		case "documentroot":
			if main.Source == "" {
				main.Source = l.Source()
			}
		}
		site(&main, l, root)
	}
	if cur != nil { // an unclosed section at the end of the configuration
		s.VHosts = append(s.VHosts, *cur)
	}
	if len(s.VHosts) == 0 && main.DocumentRoot != "" {
		main.Listen = strings.Join(s.Listen, " ")
		s.VHosts = append(s.VHosts, main)
	}
	return s
}

// site applies one directive to a virtual host.
func site(v *snapshot.VHost, l Line, root string) {
	if len(l.Args) == 0 {
		return
	}
	a := l.Args
	switch strings.ToLower(l.Name) {
	case "servername":
		v.ServerName = a[0]
	case "serveralias":
		for _, x := range a {
			if !has(v.Aliases, x) {
				v.Aliases = append(v.Aliases, x)
			}
		}
	case "documentroot":
		v.DocumentRoot = a[0]
		v.Paths = append(v.Paths, snapshot.VHostPath{Directive: "DocumentRoot", Path: a[0], Source: l.Source()})
	case "alias":
		if len(a) > 1 {
			v.Paths = append(v.Paths, snapshot.VHostPath{Directive: "Alias", URL: a[0], Path: a[1], Source: l.Source()})
		}
	case "passengerruby":
		v.Paths = append(v.Paths, snapshot.VHostPath{Directive: "PassengerRuby", Path: a[0], Source: l.Source()})
	case "sslengine":
		v.TLS = strings.EqualFold(a[0], "on")
	case "proxypass", "proxypassmatch":
		if len(a) > 1 && a[1] != "!" {
			v.Proxies = appendNew(v.Proxies, a[1])
		}
	case "passengerapproot":
		v.Proxies = appendNew(v.Proxies, "passenger:"+a[0])
		v.Paths = append(v.Paths, snapshot.VHostPath{Directive: "PassengerAppRoot", Path: a[0], Source: l.Source()})
	case "rackbaseuri", "railsbaseuri":
		v.Proxies = appendNew(v.Proxies, "passenger:"+a[0])
	case "errorlog", "customlog", "transferlog":
		v.Logs = appendNew(v.Logs, logPath(a[0], root))
	}
}

func logPath(p, root string) string {
	if strings.HasPrefix(p, "|") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "syslog") || root == "" {
		return p
	}
	return path.Join(root, p)
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	if has(list, s) {
		return list
	}
	return append(list, s)
}
