package processes

import (
	"os"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func seed(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

func checkProcs(t *testing.T, in string, ps []Proc, err error) {
	for _, p := range ps {
		if p.PID <= 0 || p.PPID < 0 || p.UID < 0 || p.Command == "" {
			t.Fatalf("invalid process %+v from %q", p, in)
		}
		if strings.ContainsAny(p.Command, "\n") {
			t.Fatalf("command spans lines: %q", p.Command)
		}
	}
	if pe, ok := err.(*kit.ParseError); ok && len(pe.Lines) == 0 {
		t.Fatal("a kit.ParseError without lines")
	}
	_ = KernelThreads(ps)
	if len(ps) > 0 {
		_ = Descendants(ps, ps[0].PID)
	}
}

func FuzzParsePS(f *testing.F) {
	seed(f, "ps_eo_el6.txt", "ps_eo_el5.txt", "Ps_BAD.txt", "PsAuxcww_BAD.txt")
	f.Add("    1     0     0 金  11月 20 10:00:00 2026 /sbin/init\n")
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ParsePS(in)
		checkProcs(t, in, ps, err)
	})
}

func FuzzParseProcPS(f *testing.F) {
	seed(f, "proc_ps_busybox.txt", "Ps_BAD.txt")
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ParseProcPS(in)
		checkProcs(t, in, ps, err)
	})
}

func FuzzParseDate(f *testing.F) {
	f.Add("1795683600\n+0900\nJST\n")
	f.Add("%s\n%z\n%Z\n")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDate(in)
		if err == nil && (d.Offset > 14*3600+59*60 || d.Offset < -(14*3600+59*60)) {
			t.Fatalf("offset %d accepted", d.Offset)
		}
		_, _ = ParseBtime(in)
		_, _ = ParseClkTck(in)
		_ = ParsePasswd(in)
	})
}
