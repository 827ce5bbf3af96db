package profile

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// local-debian12.evidence is a survey of a Debian 12 machine by probe 2 under a
// heavy load, its bodies removed: the records and their times as the probe wrote them.
func load(t *testing.T, name string) *evidence.Archive {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := evidence.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

func TestProfileOfARecordedSurvey(t *testing.T) {
	p := Of(load(t, "local-debian12.evidence"))
	if p.Timed != 285 || !near(p.Total, 13.35) || !near(p.Span, 13.38) {
		t.Errorf("timed %d, total %.2f, span %.2f; want 285, 13.35, 13.38", p.Timed, p.Total, p.Span)
	}
	if top := p.Items[0]; top.ID != "cmd:files-dpkg-content" || top.Domain != "files" || !near(top.Seconds, 5.30) {
		t.Errorf("costliest item = %+v", top)
	}
	for i := 1; i < len(p.Items); i++ {
		if p.Items[i].Seconds > p.Items[i-1].Seconds {
			t.Fatalf("items out of order at %d: %+v after %+v", i, p.Items[i], p.Items[i-1])
		}
	}
	want := map[string]Domain{
		"files":      {Name: "files", Items: 12, Seconds: 7.24},
		"data":       {Name: "data", Items: 43, Seconds: 2.11},
		"foundation": {Name: "foundation", Items: 73, Seconds: 1.11},
		"accounts":   {Name: "accounts", Items: 30, Seconds: 0.17},
	}
	var sum float64
	n := 0
	for _, d := range p.Domains {
		sum += d.Seconds
		n += d.Items
		if w, ok := want[d.Name]; ok && (d.Items != w.Items || !near(d.Seconds, w.Seconds)) {
			t.Errorf("domain %s = %d items %.2f s, want %d items %.2f s", d.Name, d.Items, d.Seconds, w.Items, w.Seconds)
		}
		if d.Name == Unplanned {
			t.Errorf("%d items of the plan were not given a domain", d.Items)
		}
	}
	if p.Domains[0].Name != "files" || n != p.Timed || !near(sum, p.Total) {
		t.Errorf("domains %+v do not add up to the items (%d, %.2f s)", p.Domains, p.Timed, p.Total)
	}
	byID := map[string]string{}
	for _, it := range p.Items {
		byID[it.ID] = it.Domain
	}
	for id, d := range map[string]string{
		"file:/etc/cron.d/e2scrub_all":              "cron",     // a glob
		"file:/etc/sudoers.d/README":                "accounts", // sudoers' includes
		"file:/home/cloudsdk/.ssh/authorized_keys2": "accounts", // a home file
		"list:/etc/rc0.d":                           "foundation",
		"cmd:sysctl-live":                           "kernel",
	} {
		if byID[id] != d {
			t.Errorf("%s is in domain %q, want %q", id, byID[id], d)
		}
	}
}

func TestProfileTables(t *testing.T) {
	var b bytes.Buffer
	if err := Of(load(t, "local-debian12.evidence")).Write(&b, 3); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"probe profile: 285 items took 13.35 s on the target (the probe ran 13.38 s)",
		"    5.30    40%  files       cmd:files-dpkg-content\n",
		"    1.45    11%  data        cmd:software-traces\n",
		"    7.24    54%  files       12\n",
		"    0.01     0%  hints       2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("profile lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "files-trees") {
		t.Errorf("the fourth costliest item is shown though three were asked for:\n%s", out)
	}
}

// A disk read offline has no times: the profile says so rather than print zeros.
func TestProfileWithoutTimes(t *testing.T) {
	var raw bytes.Buffer
	w := evidence.NewWriter(&raw)
	w.Item(&evidence.Item{Kind: evidence.KindFile, Name: "/etc/passwd", Limit: 10, Status: evidence.StatusOK, Data: []byte("root:x:0:0")})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(raw.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Of(a).Write(&b, 10); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "records no item times") {
		t.Errorf("profile of untimed evidence = %q", b.String())
	}
}
