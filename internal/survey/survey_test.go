package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// The tests survey the CentOS 5 disk the report's golden files are made from: every
// surveyor has something to read there.
var (
	fixtureOnce sync.Once
	fixture     *collect.Result
	fixtureErr  error
)

func centos5(t testing.TB) *collect.Result {
	t.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = collect.Root(context.Background(), "../report/testdata/centos5") })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

// archives are evidence a surveyor must cope with: a whole disk, the same cut off
// half-way, and nothing at all.
func archives(t *testing.T) map[string]*collect.Result {
	res := centos5(t)
	cut, err := evidence.DecodeBytes(res.Raw[:len(res.Raw)/2])
	if err != nil {
		t.Fatal(err)
	}
	var empty strings.Builder
	w := evidence.NewWriter(&empty)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	none, err := evidence.DecodeBytes([]byte(empty.String()))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*collect.Result{
		"whole": res,
		"cut":   {Archive: cut, Source: res.Source},
		"empty": {Archive: none, Source: snapshot.Source{Kind: "ssh", Target: "empty"}},
	}
}

// Each surveyor sets the coverage of the sections it owns and of no other, so that
// when it fails, marking its own sections unavailable is the whole truth. Every
// section has exactly one owner.
func TestEachSurveyorCoversWhatItOwns(t *testing.T) {
	owner := map[snapshot.Section]string{}
	for _, e := range registry() {
		for _, sec := range e.owns {
			if o, ok := owner[sec]; ok {
				t.Errorf("section %s is owned by %s and %s", sec, o, e.Name())
			}
			owner[sec] = e.Name()
		}
	}
	for _, sec := range snapshot.Sections {
		if owner[sec] == "" {
			t.Errorf("section %s has no owner in registry(): add it to the surveyor that covers it", sec)
		}
	}
	for name, res := range archives(t) {
		in := &kit.Input{Archive: res.Archive, Snap: &snapshot.Snapshot{Source: res.Source, Coverage: map[snapshot.Section]snapshot.Coverage{}}}
		for _, e := range registry() {
			before := maps(in.Snap.Coverage)
			e.Survey(in)
			for sec, c := range in.Snap.Coverage {
				if b, ok := before[sec]; (!ok || !reflect.DeepEqual(b, c)) && !slices.Contains(e.owns, sec) {
					t.Errorf("%s evidence: the %s surveyor set the coverage of %s, which it does not own (it owns %v)", name, e.Name(), sec, e.owns)
				}
			}
			for _, sec := range e.owns {
				if b, ok := before[sec]; ok && reflect.DeepEqual(b, in.Snap.Coverage[sec]) || !ok && in.Snap.Coverage[sec].Status == "" {
					t.Errorf("%s evidence: the %s surveyor owns %s but did not say how it was covered", name, e.Name(), sec)
				}
			}
		}
	}
}

func maps(m map[snapshot.Section]snapshot.Coverage) map[snapshot.Section]snapshot.Coverage {
	out := map[snapshot.Section]snapshot.Coverage{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// panicking stands in for a registered surveyor and panics with value: at once, or
// after the real one has filled in its part (which must then be taken back).
type panicking struct {
	Surveyor
	after bool
	value func()
}

func (p panicking) Survey(in *kit.Input) {
	if p.after {
		p.Surveyor.Survey(in)
	}
	p.value()
}

// panicValues are the kinds of value a panic carries: a string, an error, a runtime
// error, and panic(nil).
func panicValues(msg string) []func() {
	return []func(){
		func() { panic(msg) },
		func() { panic(errors.New(msg)) },
		func() { _ = []string{msg}[len(msg)+1] }, // index out of range, as a parser's slip would be
		func() { panic(nil) },
	}
}

// A surveyor that panics loses its own sections, which say why, and no other: the
// snapshot still validates, every section surveyed before it is as it would have
// been, and the snapshot says where the failure was.
func FuzzASurveyorsPanicStaysInItsSections(f *testing.F) {
	res := centos5(f)
	whole := run(res.Archive, res.Source, res.Raw, registry())
	n := len(registry())
	for i := 0; i < n; i++ {
		f.Add(uint8(i), i%2 == 0, uint8(i), "boom "+strconv.Itoa(i))
	}
	f.Add(uint8(0), true, uint8(0), "two\nlines")
	f.Add(uint8(3), false, uint8(0), strings.Repeat("long ", 100))
	f.Fuzz(func(t *testing.T, at uint8, after bool, kind uint8, msg string) {
		reg := registry()
		i := int(at) % len(reg)
		values := panicValues(msg)
		failing := reg[i]
		reg[i] = entry{Surveyor: panicking{failing.Surveyor, after, values[int(kind)%len(values)]}, owns: failing.owns, ties: failing.ties}
		s := run(res.Archive, res.Source, res.Raw, reg)

		doc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := snapshot.Validate(doc); err != nil {
			t.Fatalf("the %s surveyor failed and the snapshot no longer validates: %v", failing.Name(), err)
		}
		prefix := "the " + failing.Name() + " surveyor failed: "
		for _, sec := range failing.owns {
			c := s.Coverage[sec]
			if c.Status != snapshot.Unavailable || !strings.HasPrefix(c.Reason, prefix) || strings.Contains(c.Reason, "\n") {
				t.Errorf("%s: %+v, want unavailable saying %q", sec, c, prefix+"…")
			}
		}
		for _, sec := range failing.ties {
			if c := s.Coverage[sec]; whole.Coverage[sec].Status == snapshot.Collected && (c.Status != snapshot.Partial || !strings.HasPrefix(c.Reason, prefix)) {
				t.Errorf("%s, tied by the failed %s: %+v, want partial", sec, failing.Name(), c)
			}
		}
		if !slices.ContainsFunc(s.Source.Notes, func(n string) bool { return strings.HasPrefix(n, prefix) && strings.Contains(n, "(in ") }) {
			t.Errorf("no note names the failure and where it was: %q", s.Source.Notes)
		}
		for _, e := range reg[:i] {
			for _, sec := range e.owns {
				if !reflect.DeepEqual(s.Coverage[sec], whole.Coverage[sec]) {
					t.Errorf("%s, surveyed before the failure: %+v, was %+v", sec, s.Coverage[sec], whole.Coverage[sec])
				}
			}
		}
		for _, e := range reg[i+1:] {
			for _, sec := range e.owns {
				// Its reason may cite the failure (backups reads cron's coverage), but
				// the section is its own surveyor's.
				if c, ok := s.Coverage[sec]; !ok || strings.HasPrefix(c.Reason, prefix) {
					t.Errorf("%s, surveyed after the failure: %+v", sec, c)
				}
			}
		}
		// What the failed surveyor had filled in before it panicked is taken back:
		// the same as if it had panicked at once (links changes others' items in
		// place, which is why the sections it ties are only partial).
		if after && failing.ties == nil {
			reg[i] = entry{Surveyor: panicking{failing.Surveyor, false, values[int(kind)%len(values)]}, owns: failing.owns}
			early := run(res.Archive, res.Source, res.Raw, reg)
			s.Evidence, early.Evidence = nil, nil
			if a, b := mustJSON(t, s), mustJSON(t, early); a != b {
				t.Errorf("the %s surveyor's half-made facts were kept:\n%s", failing.Name(), firstDifference(a, b))
			}
		}
	})
}

func mustJSON(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: %q vs %q", i+1, al[i], bl[i])
		}
	}
	return "one is longer"
}

// The reason a coverage gives for a failure is one line of bounded length.
func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"index out of range [3] with length 3": "index out of range [3] with length 3",
		"two\nlines":                           "two",
		strings.Repeat("é", 250):               strings.Repeat("é", 200) + "…",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%.20q) = %.20q", in, got)
		}
	}
}

// When the surveyor that ties items together fails, the sections it ties were
// collected but are known in part only; one not collected stays as it was.
func TestATiedSectionIsPartialWhenItsLinkerFails(t *testing.T) {
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionServices:  {Status: snapshot.Collected},
		snapshot.SectionListeners: {Status: snapshot.Unavailable, Reason: "offline"},
	}}
	in := &kit.Input{Snap: s}
	linker := entry{Surveyor: panicking{Surveyor: named("links"), value: func() { panic("x") }},
		ties: []snapshot.Section{snapshot.SectionServices, snapshot.SectionListeners}}
	surveyOrMark(in, linker)
	if c := s.Coverage[snapshot.SectionServices]; c.Status != snapshot.Partial || !strings.HasPrefix(c.Reason, "the links surveyor failed: x;") {
		t.Errorf("services: %+v", c)
	}
	if c := s.Coverage[snapshot.SectionListeners]; c.Status != snapshot.Unavailable || c.Reason != "offline" {
		t.Errorf("listeners: %+v", c)
	}
	if len(s.Source.Notes) != 1 || !strings.HasPrefix(s.Source.Notes[0], "the links surveyor failed: x (in survey.") {
		t.Errorf("notes %q", s.Source.Notes)
	}
}

type named string

func (n named) Name() string       { return string(n) }
func (named) Survey(in *kit.Input) {}
