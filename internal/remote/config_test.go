package remote

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func testConfig(t *testing.T) (*sshConfig, string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/ssh_config")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(home, "ssh_config")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "@TESTDATA@", abs)), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadSSHConfig(p, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	return c, home
}

func TestParseEndpoint(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want endpoint
	}{
		{"host", endpoint{host: "host"}},
		{"root@host", endpoint{user: "root", host: "host"}},
		{"root@host:2222", endpoint{user: "root", host: "host", port: 2222}},
		{"ssh://root@host:2222/", endpoint{user: "root", host: "host", port: 2222}},
		{"SSH://host", endpoint{host: "host"}},
		{"first.last@corp@host", endpoint{user: "first.last@corp", host: "host"}},
		{"[::1]:22", endpoint{host: "::1", port: 22}},
		{"ops@[fe80::1%eth0]", endpoint{user: "ops", host: "fe80::1%eth0"}},
		{"::1", endpoint{host: "::1"}},
		{" 10.0.0.5 ", endpoint{host: "10.0.0.5"}},
	} {
		got, err := parseEndpoint(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseEndpoint(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "@host", "host:", "host:abc", "host:0", "host:65536", "ftp://host", "[::1", "[::1]x",
		"a b", "-oProxyCommand=x", "user@", "ho/st", "us:er@host", "ho\nst"} {
		if _, err := parseEndpoint(in); err == nil {
			t.Errorf("parseEndpoint(%q) accepted", in)
		} else if _, ok := err.(*UserError); !ok {
			t.Errorf("parseEndpoint(%q): %T is not a *UserError", in, err)
		}
	}
}

func TestConfigChain(t *testing.T) {
	c, home := testConfig(t)
	hops, err := c.chain(endpoint{host: "web1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, h := range hops {
		names = append(names, h.user+"@"+h.addr())
	}
	want := []string{"fallback@192.0.2.1:22022", "jump@192.0.2.10:22", "deploy@web1.internal.example:2201"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("chain %v, want %v", names, want)
	}
	web := hops[2]
	u, _ := localUser()
	wantIDs := []string{
		filepath.Join(home, ".ssh", "id_deploy@web1.internal.example"),
		filepath.Join(home, "keys", u+"-2201"),
		filepath.Join(home, ".ssh", "id_everywhere"),
	}
	if !reflect.DeepEqual(web.identityFiles, wantIDs) {
		t.Errorf("identity files %q, want %q", web.identityFiles, wantIDs)
	}
	if !web.aliveSet || web.aliveInterval != 0 {
		t.Errorf("ServerAliveInterval 0 not kept: %v %v", web.aliveSet, web.aliveInterval)
	}
	if web.label() != "deploy@web1.internal.example:2201 (web1)" {
		t.Errorf("label %q", web.label())
	}

	// The command line wins over the file; a second Host pattern matches too.
	hops, err = c.chain(endpoint{user: "root", host: "web1.example.com", port: 22}, "")
	if err != nil {
		t.Fatal(err)
	}
	if h := hops[len(hops)-1]; h.user != "root" || h.port != 22 || h.host != "web1.example.com.internal.example" {
		t.Errorf("override: %+v", h)
	}

	// --jump replaces the target's ProxyJump but the first jump's own still applies.
	hops, err = c.chain(endpoint{host: "web1"}, "bastion,ops@other:2222")
	if err != nil {
		t.Fatal(err)
	}
	names = nil
	for _, h := range hops {
		names = append(names, h.user+"@"+h.addr())
	}
	want = []string{"fallback@192.0.2.1:22022", "jump@192.0.2.10:22", "ops@other:2222", "deploy@web1.internal.example:2201"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("chain with --jump %v, want %v", names, want)
	}
	if hops, _ := c.chain(endpoint{host: "web1"}, "none"); len(hops) != 1 {
		t.Errorf("--jump none left %d hops", len(hops))
	}
	if hops, _ := c.chain(endpoint{host: "direct"}, ""); len(hops) != 1 || hops[0].host != "203.0.113.5" {
		t.Errorf("ProxyJump none: %+v", hops)
	}
}

func TestConfigKnownHostsAndMisc(t *testing.T) {
	c, home := testConfig(t)
	h, err := c.resolve(endpoint{host: "legacy7"})
	if err != nil {
		t.Fatal(err)
	}
	wantKH := []string{filepath.Join(home, ".ssh", "known_hosts_legacy7"), filepath.Join(home, "other_known_hosts")}
	if !reflect.DeepEqual(h.knownHosts, wantKH) {
		t.Errorf("known hosts %q, want %q", h.knownHosts, wantKH)
	}
	if h.strict != "accept-new" || h.connectTimeout != 7*time.Second || h.hostKeyAlias != "oldbox" ||
		!h.identitiesOnly || h.identityAgent != "none" {
		t.Errorf("legacy7: %+v", h)
	}
	hk, err := newHostKeys(h, &Options{}, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	if !hk.accept || hk.lookup != "oldbox:22" || hk.write != wantKH[0] {
		t.Errorf("host keys: accept %v lookup %q write %q", hk.accept, hk.lookup, hk.write)
	}

	inc, err := c.resolve(endpoint{host: "inc"})
	if err != nil {
		t.Fatal(err)
	}
	if inc.host != "198.51.100.7" || inc.user != "incuser" {
		t.Errorf("Include: %+v", inc)
	}
	m, err := c.resolve(endpoint{host: "matched"})
	if err != nil {
		t.Fatal(err)
	}
	if m.user != "matchuser" {
		t.Errorf("Match host: user %q", m.user)
	}
	def, err := c.resolve(endpoint{host: "plain"})
	if err != nil {
		t.Fatal(err)
	}
	if def.port != 22 || def.host != "plain" || len(def.knownHosts) != 2 || def.knownHosts[0] != filepath.Join(home, ".ssh", "known_hosts") {
		t.Errorf("defaults: %+v", def)
	}
}

func TestConfigErrors(t *testing.T) {
	c, _ := testConfig(t)
	for host, want := range map[string]string{
		"proxied":  "ProxyCommand",
		"badtoken": "%Z",
		"badport":  "Port",
	} {
		_, err := c.resolve(endpoint{host: host})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want one mentioning %q", host, err, want)
		}
	}
	if _, err := c.chain(endpoint{host: "loopa"}, ""); err == nil || !strings.Contains(err.Error(), "circular") {
		t.Errorf("circular ProxyJump: %v", err)
	}

	_, err := loadSSHConfig("testdata/match_exec.conf", func(string, ...any) {})
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "match_exec.conf", "Match exec")

	_, err = loadSSHConfig(filepath.Join(t.TempDir(), "missing"), func(string, ...any) {})
	asUserError(t, err)

	none, err := loadSSHConfig("none", func(string, ...any) {})
	if err != nil || len(none.cfgs) != 0 {
		t.Errorf("none: %v %v", none, err)
	}
}

func TestExpandTokens(t *testing.T) {
	vals := map[byte]string{'h': "host", 'r': "root"}
	for in, want := range map[string]string{
		"plain":      "plain",
		"%h-%r":      "host-root",
		"100%%":      "100%",
		"%%h":        "%h",
		"~/x/%h.key": "~/x/host.key",
	} {
		got, err := expandTokens(in, vals, "IdentityFile")
		if err != nil || got != want {
			t.Errorf("expandTokens(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"%", "a%", "%x"} {
		if _, err := expandTokens(in, vals, "IdentityFile"); err == nil {
			t.Errorf("expandTokens(%q) accepted", in)
		}
	}
}
