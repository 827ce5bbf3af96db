package kernel

import "testing"

// Whatever a config file or /proc/sys holds, the parsers return, and every key
// they make matches itself.
func FuzzParsers(f *testing.F) {
	f.Add("net.core.somaxconn = 1024\n-net.ipv4.conf.*.rp_filter = 1\nkernel/shmmax=4294967296\n")
	f.Add("/proc/sys/net/core/somaxconn:4096\n/proc/sys/kernel/sem:250\t32000\t32\t128\n# done\n")
	f.Add("[broken\n=\n-\n*\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, a := range ParseConf(in) {
			if a.Key != "" && !a.Glob && !containsGlob(a.Key) && !Matches(a.Key, a.Key) {
				t.Fatalf("key %q does not match itself", a.Key)
			}
		}
		lv := ParseLive(in)
		for k := range lv.Values {
			_ = Matches(k, k)
		}
		_ = Resolve([]ConfFile{{Path: "/etc/sysctl.conf", Text: in}})
	})
}

func containsGlob(s string) bool {
	for _, r := range s {
		switch r {
		case '*', '?', '[', '\\':
			return true
		}
	}
	return false
}
