// Package caches surveys memcached and redis from their configuration files and
// version commands. memcached has no config file of its own: RHEL keeps its flags in
// /etc/sysconfig/memcached, Debian in /etc/memcached.conf. redis.conf's requirepass
// and masterauth never leave the host (the probe redacts them).
package caches

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor surveys one kind of cache.
type Surveyor struct{ kind string }

// NewMemcached returns the memcached surveyor.
func NewMemcached() Surveyor { return Surveyor{"memcached"} }

// NewRedis returns the redis surveyor.
func NewRedis() Surveyor { return Surveyor{"redis"} }

// Name is the surveyor's name.
func (s Surveyor) Name() string { return s.kind }

type spec struct {
	section  snapshot.Section
	version  string   // cmd item
	configs  []string // file items, in preference order
	services []string
	parse    func(file, text string) (Conf, error)
	ver      func(text string) string
}

func (s Surveyor) spec() spec {
	if s.kind == "redis" {
		return spec{snapshot.SectionRedis, "redis-version", []string{"/etc/redis/redis.conf", "/etc/redis.conf"},
			[]string{"redis-server", "redis"}, ParseRedis, ParseRedisVersion}
	}
	return spec{snapshot.SectionMemcached, "memcached-version", []string{"/etc/memcached.conf", "/etc/sysconfig/memcached"},
		[]string{"memcached"}, parseMemcached, parseMemcachedVersion}
}

func parseMemcached(file, text string) (Conf, error) {
	if strings.HasPrefix(file, "/etc/sysconfig/") {
		return ParseMemcachedSysconfig(file, text)
	}
	return ParseMemcachedDebian(file, text)
}

// parseMemcachedVersion reads the first line of memcached -h: "memcached 1.6.21".
func parseMemcachedVersion(text string) string {
	f := strings.Fields(text)
	if len(f) >= 2 && f[0] == "memcached" {
		return f[1]
	}
	return ""
}

// Survey fills the cache and its coverage.
func (s Surveyor) Survey(in *kit.Input) {
	sp := s.spec()
	ver := in.Cmd(sp.version)
	var cfgs []*evidence.Item
	for _, p := range sp.configs {
		cfgs = append(cfgs, in.File(p))
	}
	cfg := kit.FirstUsable(cfgs...)
	found := presence.Decide(in, presence.Spec{Role: s.kind, Name: s.kind, Programs: []*evidence.Item{ver}, Configs: cfgs})
	if found.Cover(in, sp.section) {
		return
	}
	c := snapshot.Cache{Kind: s.kind, Service: presence.Service(in.Snap, sp.services...), Presence: found.Presence()}
	var cite []*evidence.Item
	var problems []string
	if kit.Usable(ver) {
		c.Version, c.VersionSource = sp.ver(ver.Text()), ver.Source()
		cite = append(cite, ver)
	}
	if c.Version == "" {
		c.Version, c.VersionSource = found.Version(in)
	}
	if cfg != nil {
		conf, err := sp.parse(cfg.Name, cfg.Text())
		if err != nil {
			problems = append(problems, cfg.Name+": "+err.Error())
		}
		c.Bind, c.Port, c.Settings = conf.Bind, conf.Port, conf.Settings
		cite = append(cite, cfg)
		// A file the stream ended inside of holds only some of its settings.
		if st, why := kit.StatusOf(cfg); st != snapshot.Collected {
			problems = append(problems, why)
		}
	} else {
		st, why := kit.Worst(cfgs...)
		if st == snapshot.Collected {
			why = "no configuration file in the standard places: it runs with the flags its service gives, which are not known"
		}
		problems = append(problems, why)
	}
	if s.kind == "memcached" {
		if run, ok := RunningMemcached(in.Snap.Processes); ok {
			c.Bind, c.Port, c.Settings = overlay(c, run)
			problems = dropUnknownFlags(problems, cfg == nil)
		}
	}
	for _, it := range cite {
		c.Evidence = append(c.Evidence, in.Cite(it))
	}
	in.Snap.Middleware.Caches = append(in.Snap.Middleware.Caches, c)
	if len(problems) > 0 {
		in.Cover(sp.section, snapshot.Partial, strings.Join(problems, "; "), cite...)
		return
	}
	in.Cover(sp.section, snapshot.Collected, "", cite...)
}
