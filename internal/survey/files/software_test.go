package files

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// softwarePlan is the probe's step that names the software.
func softwarePlan(t *testing.T) []probe.Step {
	t.Helper()
	for _, st := range probe.Plan {
		if st.Name == "files-software" {
			return []probe.Step{st}
		}
	}
	t.Fatal("the plan has no files-software step")
	return nil
}

// unmanagedOf runs the files surveyor over the trees and the software of an archive.
func unmanagedOf(a *evidence.Archive) *snapshot.Snapshot {
	keep := &evidence.Archive{Complete: true, Header: a.Header}
	for _, name := range []string{"files-trees", "files-software"} {
		if it, ok := a.Get(evidence.ID(evidence.KindCmd, name)); ok {
			keep.Add(it)
		}
	}
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{}, Evidence: map[string]snapshot.EvidenceRef{}}
	New().Survey(&kit.Input{Archive: keep, Snap: s})
	return s
}

func softwareByName(s *snapshot.Snapshot) map[string]snapshot.Software {
	out := map[string]snapshot.Software{}
	for _, u := range s.Files.Unmanaged {
		for _, sw := range u.Software {
			out[sw.Name] = sw
		}
	}
	return out
}

func treeAt(s *snapshot.Snapshot, p string) *snapshot.UnmanagedTree {
	for i := range s.Files.Unmanaged {
		if s.Files.Unmanaged[i].Path == p {
			return &s.Files.Unmanaged[i]
		}
	}
	return nil
}

// The lab's webapp: fluentd by gem install, Lua built in /usr/local/src, MariaDB's
// tarball under /opt; and a pip and an npm install. Each is named with its version,
// where that was read and the commands it put on PATH, on the tree that holds it,
// by the offline reader and by the probe under every shell alike; the gem home's
// credentials are never read.
func TestSoftwareOutsidePackagesIsNamed(t *testing.T) {
	dir := root(t, "webapp", false)
	off := offline(t, dir)
	s := unmanagedOf(off)
	got := softwareByName(s)
	want := map[string]snapshot.Software{
		"fluentd": {Name: "fluentd", Version: "1.16.5", Installer: "gem", Path: "/var/lib/gems/2.7.0/gems/fluentd-1.16.5",
			VersionFrom: "/var/lib/gems/2.7.0/specifications/fluentd-1.16.5.gemspec",
			Programs:    []string{"/usr/local/bin/fluentd"}},
		"lua": {Name: "lua", Version: "5.4.2", Installer: "source", Path: "/usr/local/src/lua-5.4.2", VersionFrom: "/usr/local/src/lua-5.4.2",
			Programs: []string{"/usr/local/bin/lua"}},
		"httpie": {Name: "httpie", Version: "2.4.0", Installer: "pip", Path: "/usr/local/lib/python3.9/dist-packages/httpie-2.4.0.dist-info",
			VersionFrom: "/usr/local/lib/python3.9/dist-packages/httpie-2.4.0.dist-info", Programs: []string{"/usr/local/bin/http", "/usr/local/bin/https"}},
		"requests": {Name: "requests", Version: "2.25.1", Installer: "pip", Path: "/usr/local/lib/python3.9/dist-packages/requests-2.25.1.dist-info",
			VersionFrom: "/usr/local/lib/python3.9/dist-packages/requests-2.25.1.dist-info"},
		"pm2": {Name: "pm2", Version: "5.3.0", Installer: "npm", Path: "/usr/local/lib/node_modules/pm2",
			VersionFrom: "/usr/local/lib/node_modules/pm2/package.json", Programs: []string{"/usr/local/bin/pm2"}},
	}
	for name, w := range want {
		g, ok := got[name]
		g.Evidence = nil
		if !ok || jsonOf(t, g) != jsonOf(t, w) {
			t.Errorf("%s:\n got %s\nwant %s", name, jsonOf(t, g), jsonOf(t, w))
		}
	}
	if _, ok := got["mariadb"]; ok || len(got) != len(want) {
		t.Errorf("named more than was installed (the MariaDB tree has no program on PATH): %s", jsonOf(t, got))
	}
	for p, what := range map[string]string{
		"/var/lib/gems/2.7.0": "gem install: fluentd 1.16.5",
		"/usr/local/src":      "source tree (Makefile); built from source: lua 5.4.2",
		"/usr/local/bin":      "programs of fluentd 1.16.5 (gem install), httpie 2.4.0 (pip install), lua 5.4.2 (built from source), pm2 5.3.0 (npm install -g)",
		"/usr/local/lib":      "pip install: httpie 2.4.0, requests 2.25.1; npm install -g: pm2 5.3.0",
	} {
		if tr := treeAt(s, p); tr == nil || !strings.Contains(tr.What, what) {
			t.Errorf("%s: want %q in what, got %s", p, what, jsonOf(t, tr))
		}
	}
	if c := s.Coverage[snapshot.SectionUnmanaged]; c.Status != snapshot.Collected {
		t.Errorf("coverage: %+v", c)
	}
	offItem, _ := off.Cmd("files-software")
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := liveSteps(t, dir, softwarePlan(t), sh)
			li, _ := a.Cmd("files-software")
			if !li.OK() || !bytes.Equal(li.Data, offItem.Data) {
				t.Errorf("live (%s, stderr %q) and offline differ:\n%s", li.Status, li.Stderr, firstDiff(string(li.Data), string(offItem.Data)))
			}
			for _, arch := range []*evidence.Archive{a, off} {
				for _, it := range arch.Items {
					if bytes.Contains(it.Data, []byte("GemKeyNeverRead")) {
						t.Errorf("%s: the gem home's credentials were read", it.Name)
					}
				}
			}
		})
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNameVersion(t *testing.T) {
	for in, want := range map[string][2]string{
		"fluentd-1.16.5":                  {"fluentd", "1.16.5"},
		"net-http-0.1.1":                  {"net-http", "0.1.1"},
		"nokogiri-1.13.10-x86_64-linux":   {"nokogiri", "1.13.10"},
		"PyYAML-5.3.1-py3.9":              {"PyYAML", "5.3.1"},
		"mariadb-10.5.23-linux-x86_64":    {"mariadb", "10.5.23"},
		"ruby2_keywords-0.0.5":            {"ruby2_keywords", "0.0.5"},
		"node-v16.20.2-linux-x64":         {"node-v16.20.2-linux-x64", ""},
		"-1.0":                            {"-1.0", ""},
		"google-cloud-storage-2.7.0.dist": {"google-cloud-storage", "2.7.0.dist"},
	} {
		n, v, ok := nameVersion(in)
		if n != want[0] || v != want[1] || ok != (want[1] != "") {
			t.Errorf("%s: %q %q %v, want %q", in, n, v, ok, want)
		}
	}
}

// A step that could not run leaves the trees as walked and says the software is
// not named; evidence from a probe without the step leaves the section as it was.
func TestSoftwareUnnamedSaysWhy(t *testing.T) {
	trees := `T	/usr/local/bin
S	1	10	1600000000
# done
`
	base := func() *evidence.Archive {
		a := &evidence.Archive{Complete: true, Header: map[string]string{}}
		a.Add(&evidence.Item{Kind: evidence.KindCmd, Name: "files-trees", Status: evidence.StatusOK, Data: []byte(trees)})
		return a
	}
	a := base()
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{}, Evidence: map[string]snapshot.EvidenceRef{}}
	New().Survey(&kit.Input{Archive: a, Snap: s})
	if c := s.Coverage[snapshot.SectionUnmanaged]; c.Status != snapshot.Collected || c.Reason != "" {
		t.Errorf("older evidence: %+v", c)
	}
	a = base()
	a.Add(&evidence.Item{Kind: evidence.KindCmd, Name: "files-software", Status: evidence.StatusTimeout})
	s = &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{}, Evidence: map[string]snapshot.EvidenceRef{}}
	New().Survey(&kit.Input{Archive: a, Snap: s})
	if c := s.Coverage[snapshot.SectionUnmanaged]; c.Status != snapshot.TimedOut || !strings.Contains(c.Reason, "not named") {
		t.Errorf("timed out: %+v", c)
	}
	if len(s.Files.Unmanaged) != 1 {
		t.Errorf("the trees: %+v", s.Files.Unmanaged)
	}
}
