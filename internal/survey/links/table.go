package links

import (
	"path"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
)

// versionSuffix is the "-9.6" of "postgresql-9.6" or "mysql-5.5".
var versionSuffix = regexp.MustCompile(`-[0-9][0-9.]*$`)

// baseName reduces a service name to the key of the tables: "sshd.service" and
// "postgresql-9.6.service" to "sshd" and "postgresql", "getty@tty1" to "getty".
func baseName(service string) string {
	s := strings.TrimSuffix(service, ".service")
	if i := strings.IndexByte(s, '@'); i > 0 {
		s = s[:i]
	}
	return s
}

// tableKey is the name distro's daemon tables know a service by: its base name
// when they list it, else that without a version suffix (postgresql-9.6 is
// postgresql).
func tableKey(service string) string {
	s := baseName(service)
	if _, ok := distro.ServiceDaemons(s); ok {
		return s
	}
	if _, ok := distro.UnitPackages(s); ok {
		return s
	}
	if t := versionSuffix.ReplaceAllString(s, ""); t != s {
		return t
	}
	return s
}

// interpreter matches programs whose process is named after the interpreter, not
// the script: "/bin/sh /usr/bin/mysqld_safe", "/usr/bin/python /usr/bin/supervisord".
var interpreter = regexp.MustCompile(`^(sh|bash|dash|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*)$`)

// processNames are the names a process answers to: its comm, its argv[0]'s base name
// without a retitling colon or a login dash, and an interpreted script's base name.
func processNames(comm, command string) []string {
	var out []string
	if comm != "" {
		out = append(out, comm)
	}
	args := strings.Fields(command)
	if len(args) == 0 {
		return out
	}
	argv0 := strings.TrimPrefix(strings.TrimSuffix(path.Base(args[0]), ":"), "-")
	if argv0 != "" && argv0 != comm {
		out = append(out, argv0)
	}
	if interpreter.MatchString(argv0) {
		for _, a := range args[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			out = append(out, path.Base(a))
			break
		}
	}
	return out
}

// matches reports whether a process answers to one of ds, or, for a service not in
// the table, to the service's own name.
func matches(ds []distro.Daemon, service, comm, command string) bool {
	names := processNames(comm, command)
	if len(ds) == 0 {
		ds = []distro.Daemon{{Name: service}}
	}
	for _, dm := range ds {
		for _, n := range names {
			// The kernel keeps 15 characters of comm: "systemd-resolved" is
			// "systemd-resolve" there.
			if n == dm.Name || (n == comm && len(comm) == 15 && strings.HasPrefix(dm.Name, comm)) {
				if dm.Args == "" || strings.Contains(command, dm.Args) {
					return true
				}
			}
		}
	}
	return false
}

// PackageFor names the package that ships a service, when that is certain: the first
// installed package among the service's known packages (distro.UnitPackages), or
// the package of the service's own name, or systemd for a systemd-* unit. It
// returns "" otherwise.
func PackageFor(service string, installed map[string]bool) string {
	key := tableKey(service)
	cands, ok := distro.UnitPackages(key)
	if !ok {
		if installed[key] {
			return key
		}
		// systemd's own units ship in systemd, or (Debian 12) in a split package
		// of the unit's name, tried above.
		if strings.HasPrefix(key, "systemd-") && installed["systemd"] {
			return "systemd"
		}
		return ""
	}
	for _, c := range cands {
		if !strings.ContainsAny(c, "*?[") {
			if installed[c] {
				return c
			}
			continue
		}
		var found []string
		for name := range installed {
			if ok, _ := path.Match(c, name); ok {
				found = append(found, name)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0]
		}
		return ""
	}
	return ""
}
