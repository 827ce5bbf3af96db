package caches

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func get(c Conf, k string) snapshot.Setting {
	for _, s := range c.Settings {
		if s.Key == k {
			return s
		}
	}
	return snapshot.Setting{}
}

func TestMemcached(t *testing.T) {
	c, err := ParseMemcachedDebian("/etc/memcached.conf", fixture(t, "memcached_conf_debian.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bind != "127.0.0.1" || c.Port != 11211 || get(c, "memory_mb") != (snapshot.Setting{Key: "memory_mb", Value: "64", Source: "/etc/memcached.conf:14"}) {
		t.Errorf("%+v", c)
	}
	c, err = ParseMemcachedSysconfig("/etc/sysconfig/memcached", fixture(t, "memcached_sysconfig_el5.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bind != "10.0.0.12" || c.Port != 11211 || get(c, "memory_mb").Value != "256" || get(c, "max_connections").Value != "1024" {
		t.Errorf("%+v", c)
	}
	if parseMemcachedVersion("memcached 1.6.21\n") != "1.6.21" {
		t.Error("version")
	}
}

func TestRedis(t *testing.T) {
	c, err := ParseRedis("/etc/redis/redis.conf", fixture(t, "redis_conf.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bind != "127.0.0.1 ::1" || c.Port != 6380 || get(c, "requirepass").Value != "<redacted>" || get(c, "maxmemory").Source != "/etc/redis/redis.conf:9" {
		t.Errorf("%+v", c)
	}
	if ParseRedisVersion(fixture(t, "redis_version_6.txt")) != "6.0.16" || ParseRedisVersion(fixture(t, "redis_version_24.txt")) != "2.4.10" {
		t.Error("version")
	}
}

func TestSurvey(t *testing.T) {
	in := kittest.Input(kittest.Archive(kittest.Cmd("redis-version", "_data_run redis-server --version", fixture(t, "redis_version_6.txt")),
		kittest.File("/etc/redis/redis.conf", fixture(t, "redis_conf.txt"))), nil)
	NewRedis().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionRedis]; c.Status != snapshot.Collected {
		t.Fatalf("%+v", c)
	}
	if c := in.Snap.Middleware.Caches[0]; c.Version != "6.0.16" || c.Port != 6380 || len(c.Evidence) != 2 {
		t.Errorf("%+v", c)
	}
	v := kittest.Cmd("memcached-version", "_data_memcached_version", "")
	v.RC = 127
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	absent := kittest.Archive(v, kittest.Failed(evidence.KindFile, "/etc/memcached.conf", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/sysconfig/memcached", evidence.StatusAbsent, ""))
	in = kittest.Input(absent, s)
	NewMemcached().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionMemcached]; c.Status != snapshot.NotApplicable || len(c.Evidence) != 3 {
		t.Fatalf("%+v", c)
	}
	// Its init script alone, with no package, program or configuration: it is there.
	s.Services = []snapshot.Service{{Name: "memcached", Init: "sysv", Path: "/etc/init.d/memcached", Enabled: snapshot.Bool(false)}}
	in = kittest.Input(absent, s)
	NewMemcached().Survey(in)
	if cs := in.Snap.Middleware.Caches; len(cs) != 1 || cs[0].Presence[0] != "init script /etc/init.d/memcached, does not start at boot" || cs[0].Version != "" {
		t.Fatalf("%+v %+v", in.Snap.Coverage[snapshot.SectionMemcached], cs)
	}
}

func FuzzParsers(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.txt")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = ParseMemcachedDebian("f", in)
		_, _ = ParseMemcachedSysconfig("f", in)
		_, _ = ParseRedis("f", in)
		_ = ParseRedisVersion(in)
		_ = parseMemcachedVersion(in)
	})
}

// The running memcached's flags are the ones it uses: Debian's start-memcached
// turned the file into them, and a hand-started one may differ from the file.
func TestRunningMemcachedOverridesItsFile(t *testing.T) {
	a := kittest.Archive(kittest.Cmd("memcached-version", "_data_memcached_version", "memcached 1.6.9\n"),
		kittest.File("/etc/memcached.conf", fixture(t, "memcached_conf_debian.txt")))
	in := kittest.Input(a, nil)
	in.Snap.Processes = []snapshot.Process{{PID: 705, Comm: "memcached", Command: "/usr/bin/memcached -m 256 -p 11212 -u memcache -l 10.0.0.5 -P /var/run/memcached/memcached.pid"}}
	NewMemcached().Survey(in)
	c := in.Snap.Middleware.Caches[0]
	if c.Port != 11212 || c.Bind != "10.0.0.5" || get(Conf{Settings: c.Settings}, "memory_mb") != (snapshot.Setting{Key: "memory_mb", Value: "256", Source: "/proc/705/cmdline"}) {
		t.Errorf("%+v", c)
	}
	if get(Conf{Settings: c.Settings}, "logfile").Source != "/etc/memcached.conf:9" {
		t.Errorf("the file's logfile lost: %+v", c.Settings)
	}
	if get(Conf{Settings: c.Settings}, "-P").Value != "/var/run/memcached/memcached.pid" {
		t.Errorf("-P: %+v", c.Settings)
	}
}
