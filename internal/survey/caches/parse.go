package caches

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Conf is a cache server's settings, with the address it listens on.
type Conf struct {
	Bind     string
	Port     int
	Settings []snapshot.Setting
}

// memcachedFlags name memcached's options in the snapshot.
var memcachedFlags = map[string]string{"-p": "port", "-l": "listen", "-m": "memory_mb", "-c": "max_connections", "-U": "udp_port", "-u": "user", "-t": "threads"}

// ParseMemcachedDebian reads Debian's /etc/memcached.conf: one command-line option
// per line ("-m 64"), comments with #.
func ParseMemcachedDebian(file, text string) (Conf, error) {
	c := Conf{Port: 11211}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if f[0] == "logfile" {
			// read by Debian's start-memcached, not by memcached
			c.Settings = append(c.Settings, snapshot.Setting{Key: "logfile", Value: strings.Join(f[1:], " "), Source: file + ":" + strconv.Itoa(i+1)})
			continue
		}
		if !strings.HasPrefix(f[0], "-") {
			perr.Add(i+1, "not an option: %q", line)
			continue
		}
		c.flag(f[0], strings.Join(f[1:], " "), file+":"+strconv.Itoa(i+1))
	}
	return c, perr.Err()
}

func (c *Conf) flag(opt, val, src string) {
	key := opt
	if k, ok := memcachedFlags[opt]; ok {
		key = k
	}
	switch opt {
	case "-p":
		if p, err := strconv.Atoi(val); err == nil {
			c.Port = p
		}
	case "-l":
		c.Bind = val
	}
	c.Settings = append(c.Settings, snapshot.Setting{Key: key, Value: val, Source: src})
}

var shellVar = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

// ParseMemcachedSysconfig reads RHEL's /etc/sysconfig/memcached: PORT, USER,
// MAXCONN, CACHESIZE and OPTIONS (more flags, "-l 127.0.0.1").
func ParseMemcachedSysconfig(file, text string) (Conf, error) {
	c := Conf{Port: 11211}
	var perr kit.ParseError
	names := map[string]string{"PORT": "-p", "USER": "-u", "MAXCONN": "-c", "CACHESIZE": "-m"}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		m := shellVar.FindStringSubmatch(line)
		if m == nil {
			perr.Add(i+1, "not a variable: %q", line)
			continue
		}
		src := file + ":" + strconv.Itoa(i+1)
		v := strings.Trim(m[2], `"'`)
		if opt, ok := names[m[1]]; ok {
			c.flag(opt, v, src)
			continue
		}
		if m[1] == "OPTIONS" {
			f := strings.Fields(v)
			for j := 0; j < len(f); j++ {
				if strings.HasPrefix(f[j], "-") && j+1 < len(f) && !strings.HasPrefix(f[j+1], "-") {
					c.flag(f[j], f[j+1], src)
					j++
				} else {
					c.flag(f[j], "", src)
				}
			}
			continue
		}
		c.Settings = append(c.Settings, snapshot.Setting{Key: m[1], Value: v, Source: src})
	}
	return c, perr.Err()
}

var redisDirective = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

var redisVersion = regexp.MustCompile(`v=(\d+\.\d+\.\d+)|version (\d+\.\d+\.\d+)`)

// ParseRedisVersion reads `redis-server --version` ("Redis server v=6.0.16 sha=...";
// 2.x printed "Redis server version 2.4.10 (00000000:0)").
func ParseRedisVersion(text string) string {
	m := redisVersion.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}

// ParseRedis reads redis.conf: "directive args...", comments with #. Directives that
// repeat (save, rename-command) are all kept; the probe has already redacted
// requirepass and masterauth.
func ParseRedis(file, text string) (Conf, error) {
	c := Conf{Port: 6379}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		key := strings.ToLower(f[0])
		val := strings.TrimSpace(line[len(f[0]):])
		if !redisDirective.MatchString(key) {
			perr.Add(i+1, "not a directive: %q", line)
			continue
		}
		switch key {
		case "port":
			if p, err := strconv.Atoi(val); err == nil {
				c.Port = p
			}
		case "bind":
			c.Bind = val
		}
		c.Settings = append(c.Settings, snapshot.Setting{Key: key, Value: val, Source: file + ":" + strconv.Itoa(i+1)})
	}
	return c, perr.Err()
}

// RunningMemcached reads the options of the running memcached with the lowest
// PID: the flags it really runs with, whatever file its service took them from.
func RunningMemcached(procs []snapshot.Process) (Conf, bool) {
	var best *snapshot.Process
	for i, p := range procs {
		words := strings.Fields(p.Command)
		if p.Defunct() || len(words) == 0 || p.Comm != "memcached" && path.Base(words[0]) != "memcached" {
			continue
		}
		if best == nil || p.PID < best.PID {
			best = &procs[i]
		}
	}
	if best == nil {
		return Conf{}, false
	}
	c := Conf{Port: 11211}
	src := "/proc/" + strconv.Itoa(best.PID) + "/cmdline"
	words := strings.Fields(best.Command)
	for i := 1; i < len(words); i++ {
		w := words[i]
		if len(w) < 2 || w[0] != '-' || w[1] == '-' {
			continue
		}
		opt, val := w[:2], w[2:]
		// A flag's value is the next word unless that is another flag (-v, -M take none).
		if val == "" && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			i++
			val = words[i]
		}
		c.flag(opt, val, src)
	}
	return c, true
}

// overlay is the configuration file's settings with the command line's in place
// of the same flags: the file's others (Debian's logfile) stay.
func overlay(c snapshot.Cache, run Conf) (bind string, port int, settings []snapshot.Setting) {
	onCmdline := map[string]bool{}
	for _, st := range run.Settings {
		onCmdline[st.Key] = true
	}
	for _, st := range c.Settings {
		if !onCmdline[st.Key] {
			settings = append(settings, st)
		}
	}
	return run.Bind, run.Port, append(settings, run.Settings...)
}

// dropUnknownFlags removes the "flags are not known" problem once the running
// process has told them.
func dropUnknownFlags(problems []string, noFile bool) []string {
	if !noFile {
		return problems
	}
	var out []string
	for _, p := range problems {
		if !strings.HasPrefix(p, "no configuration file in the standard places") {
			out = append(out, p)
		}
	}
	return out
}
