package distro

import "testing"

func TestStockAlias(t *testing.T) {
	for _, c := range []struct {
		family, name string
		targets      []string
		want         bool
	}{
		{"rhel", "bin", []string{"root"}, true},
		{"rhel", "www", []string{"webmaster"}, true},
		{"debian", "www", []string{"root"}, true},
		{"debian", "www", []string{"webmaster"}, false}, // EL's, not Debian's
		{"", "www", []string{"webmaster"}, true},        // family unknown: any family's
		{"rhel", "root", []string{"ops@example.co.jp"}, false},
		{"rhel", "postmaster", []string{"ops@example.co.jp"}, false}, // changed target
		{"rhel", "support", []string{"postmaster", "ops"}, false},    // a second target added
		{"debian", "Postmaster", []string{"root"}, true},
		{"rhel", "redmine", []string{"|/usr/bin/rdm-mailhandler"}, false},
	} {
		if got := StockAlias(c.family, c.name, c.targets); got != c.want {
			t.Errorf("StockAlias(%q, %q, %q) = %v, want %v", c.family, c.name, c.targets, got, c.want)
		}
	}
}

func TestServicePorts(t *testing.T) {
	if got := ServicePorts("dovecot"); len(got) != 5 || got[0] != 110 {
		t.Errorf("dovecot: %v", got)
	}
	if got := ServicePorts("httpd"); len(got) != 2 || got[1] != 443 {
		t.Errorf("httpd (EL's name for the apache role): %v", got)
	}
	if got := ServicePorts("e2scrub_all"); got != nil {
		t.Errorf("a unit the table does not know: %v", got)
	}
}
