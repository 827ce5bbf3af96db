package snapshot

import "testing"

func TestStateOf(t *testing.T) {
	yes, no := Bool(true), Bool(false)
	for _, c := range []struct {
		name string
		kind string
		sv   Service
		run  RunState
		boot BootState
	}{
		{"running and enabled", "ssh", Service{Running: yes, State: "running", Enabled: yes, EnabledState: "enabled", MainPID: 12}, Running, Enabled},
		{"a oneshot that exited runs no process", "ssh", Service{Running: yes, State: "exited", Enabled: yes}, Exited, Enabled},
		{"stopped and disabled", "local", Service{Running: no, State: "dead", Enabled: no, EnabledState: "disabled"}, Stopped, Disabled},
		{"masked", "ssh", Service{Running: no, Enabled: no, EnabledState: "masked"}, Stopped, Masked},
		{"static", "ssh", Service{Running: no, Enabled: no, EnabledState: "static"}, Stopped, Static},
		{"nothing known", "ssh", Service{}, RunUnknown, BootUnknown},
		{"offline nothing runs, whatever a field says", "root", Service{Running: yes, Enabled: yes, EnabledState: "2345"}, RunUnknown, Enabled},
		{"a bundle saw processes", "bundle", Service{Running: no, Enabled: yes}, Stopped, Enabled},
	} {
		s := &Snapshot{Source: Source{Kind: c.kind}}
		st := s.StateOf(c.sv)
		if st.Run != c.run || st.Boot != c.boot {
			t.Errorf("%s: %s/%s, want %s/%s", c.name, st.Run, st.Boot, c.run, c.boot)
		}
		if st.Runs() != (c.run == Running) {
			t.Errorf("%s: Runs() = %v", c.name, st.Runs())
		}
	}
	s := &Snapshot{Source: Source{Kind: "ssh"}}
	if ev := s.StateOf(Service{Running: Bool(true), MainPID: 42, Evidence: []string{"cmd:systemctl"}}).Evidence; len(ev) != 2 || ev[1] != "processes[42]" {
		t.Errorf("a running service's evidence names its process: %v", ev)
	}
}

func TestServiceNamed(t *testing.T) {
	s := &Snapshot{Services: []Service{{Name: "dovecot.service"}, {Name: "httpd"}}}
	for name, want := range map[string]bool{"dovecot": true, "dovecot.service": true, "httpd.service": true, "nginx": false, "": false} {
		if _, ok := s.ServiceNamed(name); ok != want {
			t.Errorf("ServiceNamed(%q) = %v", name, ok)
		}
	}
}

func TestFirewallOpening(t *testing.T) {
	for rule, want := range map[string]int{
		"-A INPUT -p tcp -m tcp --dport 143 -j ACCEPT": 143,
		"tcp dport 993 accept":                         993,
		"-A INPUT -p tcp -m tcp --dport 23 -j DROP":    0,
		"-A INPUT -i lo -j ACCEPT":                     0,
	} {
		if got, _ := (FirewallRule{Rule: rule}).Opening(); got != want {
			t.Errorf("%q opens %d, want %d", rule, got, want)
		}
	}
}

func TestServersOf(t *testing.T) {
	m := Middleware{
		Mail:      []MailServer{{Kind: "postfix", Service: "postfix"}, {Kind: "dovecot", Service: "dovecot.service", Version: "2.3.13"}},
		Databases: []Database{{Kind: "mariadb", Service: "mariadb", Port: 3306}},
		Apps:      []App{{Kind: "rails", Path: "/var/www/redmine"}},
	}
	if got := m.ServersOf("dovecot"); len(got) != 1 || got[0].Path != "middleware.mail[dovecot]" || got[0].Version != "2.3.13" {
		t.Errorf("dovecot: %+v", got)
	}
	if got := m.ServersOf("mariadb.service"); len(got) != 1 || got[0].Port != 3306 {
		t.Errorf("mariadb: %+v", got)
	}
	if got := m.ServersOf(""); len(got) != 0 {
		t.Errorf("an application without a service belongs to no service: %+v", got)
	}
}
