package services

import (
	"bytes"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/hostos"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// TestThroughTheStream writes a CentOS 6 host's evidence with the real writer, under
// the names and commands of the probe's plan, decodes it and surveys it: the item
// names this package reads must be the ones the plan produces.
func TestThroughTheStream(t *testing.T) {
	data := map[string]string{
		"/etc/redhat-release": "CentOS release 6.10 (Final)\n",
		"/etc/hostname":       "",
		"/etc/inittab":        "id:3:initdefault:\n",
		"/proc/1/comm":        "init\n",
		"/etc/init.d":         "f\tcrond\nf\tfunctions\nf\tpostfix\n",
		"/etc/rc.d/rc3.d":     "l\tK30postfix\t../init.d/postfix\nl\tS90crond\t../init.d/crond\n",
		"uname":               "Linux\nold6\n2.6.32-754.el6.x86_64\nx86_64\n#1 SMP Tue Jun 19 21:26:04 UTC 2018\n",
		"initctl-list":        fixture(t, "initctl/el6.txt"),
		"runlevel":            "N 3\n",
	}
	var buf bytes.Buffer
	w := evidence.NewWriter(&buf)
	w.Header(map[string]string{"probe": "test", "uid": "0"}, "probe", "uid")
	for _, st := range probe.Plan {
		it := &evidence.Item{Limit: st.Limit, Status: evidence.StatusAbsent}
		switch st.Kind {
		case probe.File:
			it.Kind, it.Name = evidence.KindFile, st.Path
		case probe.List:
			it.Kind, it.Name = evidence.KindList, st.Path
		case probe.ListGlob:
			if st.Path != "/etc/rc.d/rc[0-6].d" {
				continue // no other directory matches on this host
			}
			it.Kind, it.Name = evidence.KindList, "/etc/rc.d/rc3.d"
		case probe.Cmd:
			it.Kind, it.Name, it.Command = evidence.KindCmd, st.Name, st.Shell
			if st.When != "" {
				it.Status, it.Stderr = evidence.StatusSkipped, []byte("not run: the condition "+st.When+" does not hold")
			}
		default:
			continue
		}
		if it.Limit == 0 {
			it.Limit = 4 << 20
		}
		if d, ok := data[it.Name]; ok {
			it.Status, it.Data, it.Stderr = evidence.StatusOK, []byte(d), nil
		}
		w.Item(it)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(buf.Bytes())
	if err != nil || !a.Complete || len(a.Problems) != 0 {
		t.Fatalf("decode: %v, complete %v, problems %v", err, a != nil && a.Complete, a.Problems)
	}
	in := &kit.Input{Archive: a, Snap: &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh"}, Coverage: map[snapshot.Section]snapshot.Coverage{}, Evidence: map[string]snapshot.EvidenceRef{},
	}}
	hostos.New().Survey(in)
	New().Survey(in)

	if o := in.Snap.OS; o.ID != "centos" || o.Version != "6.10" || o.InitSystem != "upstart" || o.Kernel != "2.6.32-754.el6.x86_64" {
		t.Errorf("os = %+v", o)
	}
	if h := in.Snap.Host; h.Hostname != "old6" {
		t.Errorf("host = %+v", h)
	}
	svcs := map[string]snapshot.Service{}
	for _, s := range in.Snap.Services {
		svcs[s.Name] = s
	}
	check(t, svcs, map[string]expect{
		"crond":           {"sysv", "true", "3", "nil", ""},
		"postfix":         {"sysv", "false", "", "nil", ""},
		"tty (/dev/tty2)": {"upstart", "nil", "", "true", "start/running"},
	})
	if c := in.Snap.Coverage[snapshot.SectionServices]; c.Status != snapshot.Collected {
		t.Errorf("services coverage = %+v", c)
	}
	checkCited(t, in)
}
