package survey

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// realEvidence is every evidence stream in the tests' data, as collected: real
// surveys over SSH and locally (internal/survey/self) and the CentOS 5 disk read
// offline (internal/store), each also cut off at a third, a half and two thirds of
// its bytes, as a dropped session leaves it.
func realEvidence(t *testing.T) map[string]*collect.Result {
	t.Helper()
	files, err := filepath.Glob("self/testdata/*.evidence")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../store/testdata/centos5.evidence.gz")
	out := map[string]*collect.Result{}
	for _, f := range files {
		res, err := collect.Bundle(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		out[name] = res
		for _, part := range []int{3, 2} {
			for _, n := range []int{1, part - 1} {
				cutAt := len(res.Raw) * n / part
				a, err := evidence.DecodeBytes(res.Raw[:cutAt])
				if err != nil {
					t.Fatal(err)
				}
				if a.Complete {
					t.Fatalf("%s cut at byte %d reads as complete", name, cutAt)
				}
				out[fmt.Sprintf("%s cut at %d/%d", name, n, part)] = &collect.Result{Archive: a, Source: res.Source}
			}
		}
	}
	return out
}

// A survey whose stream was cut says so: what the stream ended inside of, or
// before, is "cut", never "denied", in every section and every source, and the
// reasons never say an item was cut off while being read when the stream ended
// before it began.
func TestCutEvidenceReadsCutNeverDenied(t *testing.T) {
	for name, res := range realEvidence(t) {
		if res.Archive.Complete || res.Archive.Header["uid"] != "0" {
			continue // an unprivileged survey is refused some files, rightly
		}
		s := Run(res.Archive, res.Source, nil)
		cut := 0
		for _, sec := range snapshot.Sections {
			c := s.Coverage[sec]
			if c.Status == snapshot.Denied {
				t.Errorf("%s: %s is denied on a survey as root whose stream was cut: %s", name, sec, c.Reason)
			}
			for _, src := range c.Sources {
				if src.Status == snapshot.Denied {
					t.Errorf("%s: %s's %s is denied on a survey as root whose stream was cut: %s", name, sec, src.Name, src.Reason)
				}
			}
			if c.Status == snapshot.Cut {
				cut++
			}
		}
		if cut == 0 {
			t.Errorf("%s: no section says the stream was cut", name)
		}
		// The keys' files of every home are read late: cut, with every file named.
		if c := s.Coverage[snapshot.SectionKeys]; c.Status != snapshot.Cut && c.Status != snapshot.Collected && c.Status != snapshot.Partial {
			t.Errorf("%s: authorized_keys is %s (%s), want cut", name, c.Status, c.Reason)
		}
		for id, ref := range s.Evidence {
			if ref.Status == string(evidence.StatusMissing) {
				t.Errorf("%s: %s is cited as missing from a stream that was cut: cut, not missing", name, id)
			}
		}
	}
}

// Every section read from several sources says which it read and which it did
// not: a partial one has a source read and a source not read in full, a collected
// one read every source, and one that failed read none. Its evidence holds every
// source's. The sections split by source (cron, accounts, log shippers,
// services) always list them when partial.
func TestPartialSectionsSaySourceBySource(t *testing.T) {
	all := realEvidence(t)
	all["the CentOS 5 disk"] = centos5(t)
	for name, res := range archives(t) {
		all["the CentOS 5 disk, "+name] = res
	}
	split := []snapshot.Section{snapshot.SectionCron, snapshot.SectionAccounts, snapshot.SectionShippers, snapshot.SectionServices}
	for name, res := range all {
		s := Run(res.Archive, res.Source, nil)
		for _, sec := range snapshot.Sections {
			c := s.Coverage[sec]
			if len(c.Sources) == 0 {
				if c.Status == snapshot.Partial && slices.Contains(split, sec) {
					t.Errorf("%s: %s is partial and does not say which of its sources were read: %s", name, sec, c.Reason)
				}
				continue
			}
			var read, unread []string
			for _, src := range c.Sources {
				if src.Status == snapshot.Partial || src.Status.Decided() {
					read = append(read, src.Name)
				}
				if !src.Status.Decided() {
					unread = append(unread, src.Name)
				}
				for _, id := range src.Evidence {
					if !slices.Contains(c.Evidence, id) {
						t.Errorf("%s: %s's %s cites %s, which the section does not", name, sec, src.Name, id)
					}
				}
			}
			switch {
			case c.Status == snapshot.Partial && (len(read) == 0 || len(unread) == 0):
				t.Errorf("%s: %s is partial, but read %v and did not read %v", name, sec, read, unread)
			case c.Status == snapshot.Collected && len(unread) > 0:
				t.Errorf("%s: %s is collected, but did not read %v", name, sec, unread)
			case !c.Status.Decided() && c.Status != snapshot.Partial && len(read) > 0:
				t.Errorf("%s: %s is %s, but read %v", name, sec, c.Status, read)
			}
			for _, src := range unread {
				if read, why := c.SourceRead(src); read || why == "" {
					t.Errorf("%s: %s's %s was not read, and SourceRead says %v %q", name, sec, src, read, why)
				}
				if !strings.Contains(c.Reason, src) {
					t.Errorf("%s: %s's reason does not name %s, which was not read: %s", name, sec, src, c.Reason)
				}
			}
		}
	}
}
