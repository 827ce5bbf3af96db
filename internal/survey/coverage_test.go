package survey

import (
	"context"
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
				if !slices.Contains(snapshot.SectionSources[sec], src.Name) {
					t.Errorf("%s: %s names a source %q that snapshot.SectionSources does not list", name, sec, src.Name)
				}
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

// unreadCitations are what a snapshot's coverage claims against what it cites: a
// section marked collected, or a source of one marked collected, that cites an
// item which was not read in full (refused, cut, stopped, cut short, needing a
// running host, not in the evidence), and a section of several sources, read in
// part, that cites such an item without listing it under a source with the
// status that says why. Each is a silence passed off as the whole truth.
func unreadCitations(s *snapshot.Snapshot) []string {
	read := func(id string) (bool, string) {
		ref, ok := s.Evidence[id]
		if !ok {
			return false, "not in the snapshot's evidence"
		}
		switch {
		case ref.Truncated:
			return false, ref.Status + ", cut short"
		case ref.Status == string(evidence.StatusOK), ref.Status == string(evidence.StatusAbsent):
			return true, ""
		}
		return false, ref.Status
	}
	var out []string
	for _, sec := range snapshot.Sections {
		c := s.Coverage[sec]
		listed := map[string]bool{}
		for _, src := range c.Sources {
			for _, id := range src.Evidence {
				ok, why := read(id)
				switch {
				case ok:
				case src.Status == snapshot.Collected:
					out = append(out, fmt.Sprintf("%s's %s is collected, but cites %s (%s)", sec, src.Name, id, why))
				default:
					// Listed with the status that says why (a source that does
					// not apply cites where it looked, with its reason).
					listed[id] = true
				}
			}
		}
		for _, id := range c.Evidence {
			ok, why := read(id)
			switch {
			case ok:
			case c.Status == snapshot.Collected:
				out = append(out, fmt.Sprintf("%s is collected, but cites %s (%s)", sec, id, why))
			case len(c.Sources) > 0 && c.Status == snapshot.Partial && !listed[id]:
				out = append(out, fmt.Sprintf("%s is partial and cites %s (%s), but no source not read lists it", sec, id, why))
			}
		}
	}
	return out
}

// Coverage never claims more than was read: every section marked collected read
// every item it cites, and a section read in part lists each item it could not
// read under the source it belongs to, with that source's status. Checked over
// every survey the tests hold (live, offline, from a bundle, and each cut short).
func TestCollectedMeansEveryCitedSourceWasRead(t *testing.T) {
	all := realEvidence(t)
	for name, res := range archives(t) {
		all["the CentOS 5 disk, "+name] = res
	}
	res, err := collect.Root(context.Background(), centosRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	all["the CentOS 5 Redmine disk"] = res
	for name, res := range all {
		s := Run(res.Archive, res.Source, nil)
		for _, lie := range unreadCitations(s) {
			t.Errorf("%s: %s", name, lie)
		}
	}
}

// The check above can fail: a section marked collected that cites a refused item,
// a source marked collected that cites an item the stream ended before, and a
// section read in part whose unread item no source lists, are each caught.
func TestUnreadCitationsCatchesEachClaim(t *testing.T) {
	base := func() *snapshot.Snapshot {
		return &snapshot.Snapshot{
			Evidence: map[string]snapshot.EvidenceRef{
				"file:/etc/passwd":        {Status: "ok"},
				"file:/etc/cron.d/x":      {Status: "absent"},
				"cmd:shadow-state":        {Status: "denied"},
				"cmd:atq":                 {Status: "cut"},
				"file:/var/spool/cron/me": {Status: "ok", Truncated: true},
			},
			Coverage: map[snapshot.Section]snapshot.Coverage{
				snapshot.SectionAccounts: {Status: snapshot.Partial, Evidence: []string{"file:/etc/passwd", "cmd:shadow-state"},
					Sources: []snapshot.SourceCoverage{
						{Name: snapshot.AccountsPasswd, Status: snapshot.Collected, Evidence: []string{"file:/etc/passwd"}},
						{Name: snapshot.AccountsShadow, Status: snapshot.Denied, Evidence: []string{"cmd:shadow-state"}},
					}},
				snapshot.SectionCron: {Status: snapshot.Collected, Evidence: []string{"file:/etc/cron.d/x"}},
			},
		}
	}
	if lies := unreadCitations(base()); len(lies) != 0 {
		t.Fatalf("a truthful snapshot is found lying: %v", lies)
	}
	for name, mutate := range map[string]func(s *snapshot.Snapshot){
		"collected citing a refusal": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionCron]
			c.Evidence = append(c.Evidence, "cmd:shadow-state")
			s.Coverage[snapshot.SectionCron] = c
		},
		"collected citing an item cut short": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionCron]
			c.Evidence = append(c.Evidence, "file:/var/spool/cron/me")
			s.Coverage[snapshot.SectionCron] = c
		},
		"collected citing what is not in the evidence": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionCron]
			c.Evidence = append(c.Evidence, "cmd:nowhere")
			s.Coverage[snapshot.SectionCron] = c
		},
		"a collected source citing a cut item": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionAccounts]
			c.Sources[0].Evidence = append(c.Sources[0].Evidence, "cmd:atq")
			c.Evidence = append(c.Evidence, "cmd:atq")
		},
		"a partial section whose unread item no source lists": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionAccounts]
			c.Evidence = append(c.Evidence, "cmd:atq")
			s.Coverage[snapshot.SectionAccounts] = c
		},
		"a section collected although a source was refused": func(s *snapshot.Snapshot) {
			c := s.Coverage[snapshot.SectionAccounts]
			c.Status = snapshot.Collected
			s.Coverage[snapshot.SectionAccounts] = c
		},
	} {
		s := base()
		mutate(s)
		if lies := unreadCitations(s); len(lies) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}
