package ansible

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The lab's webapp: fluentd by gem install ships logs, Lua built from source runs a
// cron job. The gem home is carried by the fluentd role (the target's package); the
// source tree is a todo that names Lua and says to rebuild it; the job's program is
// a todo naming the build, not a script to copy.
func TestSoftwareOutsidePackagesInTheLedger(t *testing.T) {
	s := legacyLab(t)
	fluentd := snapshot.Software{Name: "fluentd", Version: "1.16.5", Installer: "gem", Path: "/var/lib/gems/2.7.0/gems/fluentd-1.16.5",
		VersionFrom: "/var/lib/gems/2.7.0/specifications/fluentd-1.16.5.gemspec", Programs: []string{"/usr/local/bin/fluentd"}, Evidence: []string{"cmd:files-software"}}
	lua := snapshot.Software{Name: "lua", Version: "5.4.2", Installer: "source", Path: "/usr/local/src/lua-5.4.2",
		VersionFrom: "/usr/local/src/lua-5.4.2", Programs: []string{"/usr/local/bin/lua"}, Evidence: []string{"cmd:files-software"}}
	s.Files.Unmanaged = append(s.Files.Unmanaged,
		snapshot.UnmanagedTree{Path: "/var/lib/gems/2.7.0", Files: 10, Bytes: 24002, What: "gem install: fluentd 1.16.5",
			Software: []snapshot.Software{fluentd}, Evidence: []string{"cmd:files-trees", "cmd:files-software"}},
		snapshot.UnmanagedTree{Path: "/usr/local/src", Files: 112, Bytes: 2853354, What: "source tree (Makefile); built from source: lua 5.4.2",
			Software: []snapshot.Software{lua}, Evidence: []string{"cmd:files-trees", "cmd:files-software"}})
	s.Logs.Shippers = append(s.Logs.Shippers, snapshot.LogShipper{Name: "fluentd", From: snapshot.ShippersConfigs, Service: "fluentd", Software: &fluentd,
		Configs: []string{"/etc/fluent/fluent.conf"}, Destinations: []snapshot.Endpoint{{Host: "10.231.0.40", Port: 24224, Proto: "forward", Source: "/etc/fluent/fluent.conf:17"}},
		Evidence: []string{"file:/etc/fluent/fluent.conf", "cmd:files-software"}})
	p := build(t, s, "debian-12")
	entry := func(id string) ledger.Entry {
		for _, e := range p.Ledger.Entries {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("no ledger entry %s", id)
		return ledger.Entry{}
	}
	if e := entry(ledger.ID(ledger.KindSoftware, "/var/lib/gems/2.7.0")); e.Disposition != ledger.Carried || e.Role != "fluentd" || !strings.Contains(e.Task, "fluentd 1.16.5 by gem install") {
		t.Errorf("the gem home: %+v", e)
	}
	if e := entry(ledger.ID(ledger.KindSoftware, "/usr/local/src")); e.Disposition != ledger.Todo || !strings.Contains(e.Title, "lua 5.4.2") ||
		!strings.Contains(e.Decide, "lua 5.4.2 built from source (/usr/local/src/lua-5.4.2), its commands /usr/local/bin/lua") {
		t.Errorf("the source tree: %+v", e)
	}
	desc := ""
	for _, r := range p.Roles {
		if r.Name == "fluentd" {
			desc = r.Description
		}
	}
	if !strings.Contains(desc, "fluentd 1.16.5 by gem install") {
		t.Errorf("the fluentd role: %q", desc)
	}
}
