package kit

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func item(kind evidence.Kind, name string, st evidence.Status, data string) *evidence.Item {
	return &evidence.Item{Kind: kind, Name: name, Status: st, Data: []byte(data)}
}

// A section of several sources is the sum of them: what each read stands, and
// its status says whether all, some or none were read, by the most telling
// failure among them.
func TestCoverSources(t *testing.T) {
	ok := item(evidence.KindFile, "/etc/crontab", evidence.StatusOK, "x\n")
	absent := item(evidence.KindList, "/etc/cron.d", evidence.StatusAbsent, "")
	offline := item(evidence.KindCmd, "atq", evidence.StatusOffline, "")
	denied := item(evidence.KindList, "/var/spool/cron", evidence.StatusDenied, "")
	cut := item(evidence.KindFile, "/etc/anacrontab", evidence.StatusCut, "")
	for _, c := range []struct {
		name    string
		sources map[string][]*evidence.Item
		want    snapshot.Status
		each    map[string]snapshot.Status
		reason  string
	}{
		{"every source read", map[string][]*evidence.Item{"a": {ok, absent}, "b": {absent}},
			snapshot.Collected, map[string]snapshot.Status{"a": snapshot.Collected, "b": snapshot.Collected}, ""},
		{"one offline", map[string][]*evidence.Item{"a": {ok}, "b": {offline}},
			snapshot.Partial, map[string]snapshot.Status{"a": snapshot.Collected, "b": snapshot.Unavailable}, "b: offline"},
		{"a source read in part", map[string][]*evidence.Item{"a": {ok, denied}, "b": {absent}},
			snapshot.Partial, map[string]snapshot.Status{"a": snapshot.Partial, "b": snapshot.Collected}, "a: permission denied"},
		{"none read, one cut", map[string][]*evidence.Item{"a": {cut}, "b": {offline}},
			snapshot.Cut, map[string]snapshot.Status{"a": snapshot.Cut, "b": snapshot.Unavailable}, "a: the collection was cut off"},
		{"none read, one denied", map[string][]*evidence.Item{"a": {cut}, "b": {denied}},
			snapshot.Denied, map[string]snapshot.Status{"a": snapshot.Cut, "b": snapshot.Denied}, "b: permission denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := &Input{Snap: &snapshot.Snapshot{}}
			var srcs []*Source
			for _, name := range []string{"a", "b"} {
				s := NewSource(name)
				for _, it := range c.sources[name] {
					s.Read(it, false)
				}
				srcs = append(srcs, s)
			}
			in.CoverSources(snapshot.SectionCron, srcs)
			got := in.Snap.Coverage[snapshot.SectionCron]
			if got.Status != c.want || !strings.Contains(got.Reason, c.reason) {
				t.Errorf("section %s %q, want %s with %q", got.Status, got.Reason, c.want, c.reason)
			}
			for _, s := range got.Sources {
				if s.Status != c.each[s.Name] {
					t.Errorf("source %s is %s, want %s", s.Name, s.Status, c.each[s.Name])
				}
			}
		})
	}
}

// A source that does not apply is no gap; one that was not read keeps the
// section's reason to itself.
func TestSourceNotApplicable(t *testing.T) {
	in := &Input{Snap: &snapshot.Snapshot{}}
	a, b := NewSource("crontabs"), NewSource("timers")
	a.Read(item(evidence.KindFile, "/etc/crontab", evidence.StatusOK, "x\n"), false)
	b.NotApplicable("systemd does not run this host")
	in.CoverSources(snapshot.SectionCron, []*Source{a, b})
	c := in.Snap.Coverage[snapshot.SectionCron]
	if c.Status != snapshot.Collected || c.Reason != "" {
		t.Errorf("%+v", c)
	}
	if read, _ := c.SourceRead("timers"); !read {
		t.Error("a source that does not apply is not read: its absence of jobs would be unknown")
	}
}

// What the stream ended inside of, or before, is cut, not refused nor timed out.
func TestFailureSaysCut(t *testing.T) {
	a := &evidence.Archive{Complete: false}
	unreached, _ := a.Get(evidence.ID(evidence.KindFile, "/root/.ssh/authorized_keys"))
	st, why := Failure(unreached, item(evidence.KindCmd, "atq", evidence.StatusOffline, ""))
	if st != snapshot.Cut || !strings.Contains(why, "ended before /root/.ssh/authorized_keys was reached") {
		t.Errorf("%s %q", st, why)
	}
	if st, _ := StatusOf(item(evidence.KindFile, "/etc/x", evidence.StatusCut, "")); st != snapshot.Cut {
		t.Errorf("an item the stream ended inside of is %s", st)
	}
}
