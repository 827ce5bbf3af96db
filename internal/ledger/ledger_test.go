package ledger_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/ledger/ledgertest"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// Every expectation trowel spec derives from a snapshot the repository keeps is
// claimed by a fact of a kind of its own: nothing verify checks on a new host is
// outside the ledger, and none falls back to a bare "check" fact.
func TestFactsClaimEveryExpectation(t *testing.T) {
	for name, s := range ledgertest.Snapshots(t) {
		facts := ledger.Facts(s)
		claimed := map[string]bool{}
		ids := map[string]bool{}
		for _, f := range facts {
			if ids[f.ID] {
				t.Errorf("%s: two facts %s", name, f.ID)
			}
			ids[f.ID] = true
			if f.Kind == ledger.KindCheck {
				t.Errorf("%s: no kind of fact claims the expectation %s", name, f.Key)
			}
			if f.Title == "" || !strings.HasPrefix(f.ID, string(f.Kind)+":") {
				t.Errorf("%s: fact %+v", name, f)
			}
			for _, c := range f.Checks {
				claimed[c] = true
			}
		}
		for _, e := range spec.Derive(s, "").Expectations {
			if !claimed[e.ID] {
				t.Errorf("%s: expectation %s is no fact's", name, e.ID)
			}
		}
	}
}

// What runs or starts at boot is a fact; what neither runs nor starts is none.
func TestServicesThatRunOrStart(t *testing.T) {
	on, off := true, false
	s := &snapshot.Snapshot{Services: []snapshot.Service{
		{Name: "apache2", Running: &on, Enabled: &on},
		{Name: "dovecot", Running: &off, Enabled: &off},
		{Name: "sudo", Enabled: &on, EnabledState: "masked"},
		{Name: "td-agent", Enabled: &on, EnabledState: "3"},
		{Name: "hand-started", Running: &on, Enabled: &off},
	}}
	var got []string
	for _, f := range ledger.Facts(s) {
		if f.Kind == ledger.KindService {
			got = append(got, f.Key)
		}
	}
	if want := []string{"apache2", "td-agent", "hand-started"}; !slices.Equal(got, want) {
		t.Errorf("services = %v, want %v", got, want)
	}
}

// A firewall's openings keep whom they were open to.
func TestOpenings(t *testing.T) {
	fw := snapshot.Firewall{Tool: "iptables", Rules: []snapshot.FirewallRule{
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -i lo -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p icmp --icmp-type any -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -s 10.0.0.0/8 -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -s 192.0.2.25/32 -p tcp -m tcp --dport 25 -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p tcp --dport 8000:8100 -j ACCEPT"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -j REJECT --reject-with icmp-host-prohibited"},
		{Table: "filter", Chain: "OUTPUT", Rule: "-A OUTPUT -p tcp --dport 25 -j ACCEPT"},
		{Table: "inet filter", Chain: "input", Rule: "tcp dport { 3306, 5432 } ip saddr 10.20.0.0/16 accept"},
	}}
	open, unread := ledger.Openings(fw)
	var got []string
	for _, o := range open {
		got = append(got, o.Key()+" from "+o.From())
	}
	want := []string{"tcp/22 from 10.0.0.0/8", "tcp/25 from 192.0.2.25/32", "tcp/80 from anywhere", "tcp/443 from anywhere",
		"tcp/3306 from 10.20.0.0/16", "tcp/5432 from 10.20.0.0/16"}
	if !slices.Equal(got, want) {
		t.Errorf("openings:\n got %q\nwant %q", got, want)
	}
	if len(unread) != 1 || !strings.Contains(unread[0].Rule, "8000:8100") {
		t.Errorf("unread = %+v, want the port range", unread)
	}
}

// A book gives each fact one disposition, the one needing the most attention;
// a fact without one is a todo marked unaccounted, and a disposition for what the
// host never did is a stray.
func TestBook(t *testing.T) {
	facts := []ledger.Fact{
		{ID: "service:a", Kind: ledger.KindService, Key: "a", Title: "a runs", Checks: []string{"service:a"}},
		{ID: "service:b", Kind: ledger.KindService, Key: "b", Title: "b runs"},
		{ID: "service:c", Kind: ledger.KindService, Key: "c", Title: "c runs"},
	}
	b := ledger.NewBook(facts)
	b.Carry("service:a", "web", "Keep a running")
	b.Decide("service:a", "decide a")
	b.Carry("service:a", "web", "again")
	b.Leave("service:b", ledger.TargetOS, "the target's own")
	b.Carry("service:z", "web", "no such")
	l := b.Build(ledger.Ledger{Host: "h", Target: "debian-12"})
	if e, _ := l.Entry("service:a"); e.Disposition != ledger.Todo || e.Decide != "decide a" {
		t.Errorf("a = %+v, want the todo", e)
	}
	if e, _ := l.Entry("service:c"); !e.Unaccounted || e.Disposition != ledger.Todo {
		t.Errorf("c = %+v, want an unaccounted todo", e)
	}
	if got := b.Strays(); !slices.Equal(got, []string{"service:z"}) {
		t.Errorf("strays = %v", got)
	}
	if p := l.Problems(); len(p) != 1 || !strings.HasPrefix(p[0], "service:c") {
		t.Errorf("problems = %v", p)
	}
	if e, ok := l.Expected("service:a"); !ok || e.ID != "service:a" {
		t.Errorf("a failure of service:a is service:a's todo: %+v %v", e, ok)
	}
	if _, ok := l.Expected("service:b"); ok {
		t.Error("a failure of what is left or carried is never expected")
	}
	doc, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.Validate(doc); err != nil {
		t.Errorf("the ledger does not validate: %v", err)
	}
	if back, err := ledger.Parse(doc); err != nil || len(back.Entries) != 3 {
		t.Errorf("parse: %v %+v", err, back)
	}
	bad := strings.Replace(string(doc), `"disposition":"left"`, `"disposition":"forgotten"`, 1)
	if ledger.Validate([]byte(bad)) == nil {
		t.Error("the schema accepts a disposition trowel never writes")
	}
}
