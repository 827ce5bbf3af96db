package logs

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// fluentd from `gem install` (the lab's webapp): no package has it, so the shipper
// carries the gem the files surveyor named, found by the wrapper it put on PATH; a
// library of a shipper's name with no program is not taken for the shipper.
func TestShipperOutsidePackagesCarriesItsSoftware(t *testing.T) {
	conf := "<source>\n  @type tail\n  path /var/log/apache2/redmine_access.log\n  pos_file /var/lib/fluent/redmine_access.log.pos\n</source>\n" +
		"<match apache.**>\n  @type forward\n  <server>\n    host 10.231.0.40\n    port 24224\n  </server>\n</match>\n"
	gem := snapshot.Software{Name: "fluentd", Version: "1.16.5", Installer: "gem", Path: "/var/lib/gems/2.7.0/gems/fluentd-1.16.5",
		Programs: []string{"/usr/local/bin/fluentd"}, Evidence: []string{"cmd:files-software"}}
	for _, tc := range []struct {
		name string
		sw   snapshot.Software
		want bool
	}{{"gem with its wrapper", gem, true}, {"a library", snapshot.Software{Name: "fluentd", Version: "0.1", Installer: "pip", Path: "/usr/local/lib/python3.9/dist-packages/fluentd-0.1.dist-info"}, false}} {
		s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"},
			Files:    snapshot.Files{Unmanaged: []snapshot.UnmanagedTree{{Path: "/var/lib/gems/2.7.0", Software: []snapshot.Software{tc.sw}}}},
			Coverage: map[snapshot.Section]snapshot.Coverage{}}
		in := kittest.Input(kittest.Archive(kittest.File("/etc/fluent/fluent.conf", conf)), s)
		New().Survey(in)
		if len(in.Snap.Logs.Shippers) != 1 {
			t.Fatalf("%s: shippers %+v", tc.name, in.Snap.Logs.Shippers)
		}
		sh := in.Snap.Logs.Shippers[0]
		if got := sh.Software != nil; got != tc.want || sh.Package != "" {
			t.Errorf("%s: software %+v, package %q", tc.name, sh.Software, sh.Package)
		}
		if tc.want && (sh.Software.Path != gem.Path || !contains(sh.Evidence, "cmd:files-software")) {
			t.Errorf("%s: %+v", tc.name, sh)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
