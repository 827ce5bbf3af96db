package packages

import (
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestParseExtendedStates(t *testing.T) {
	for _, c := range []struct {
		name, text string
		auto       map[string]bool
		bad        int
	}{
		{"empty", "", map[string]bool{}, 0},
		{"one auto", "Package: libc6\nArchitecture: amd64\nAuto-Installed: 1\n\n",
			map[string]bool{"libc6:amd64": true}, 0},
		{"explicit manual, fields in another order, CRLF",
			"Package: apache2\r\nAuto-Installed: 0\r\nArchitecture: amd64\r\n",
			map[string]bool{"apache2:amd64": false}, 0},
		{"before multi-arch: no Architecture", "Package: perl\nAuto-Installed: 1\n",
			map[string]bool{"perl": true}, 0},
		{"two architectures of one name",
			"Package: libc6\nArchitecture: amd64\nAuto-Installed: 1\n\nPackage: libc6\nArchitecture: i386\nAuto-Installed: 0\n",
			map[string]bool{"libc6:amd64": true, "libc6:i386": false}, 0},
		{"aptitude's extra field ignored", "Package: vim\nArchitecture: amd64\nAuto-Installed: 1\nX-Aptitude-Tag: x\n\n\n\n",
			map[string]bool{"vim:amd64": true}, 0},
		{"blank line lost between stanzas",
			"Package: a\nArchitecture: amd64\nAuto-Installed: 1\nPackage: b\nArchitecture: amd64\nAuto-Installed: 1\n",
			map[string]bool{"a:amd64": true, "b:amd64": true}, 0},
		{"no name, and a mark that is not 0 or 1",
			"Architecture: amd64\nAuto-Installed: 1\n\nPackage: odd\nAuto-Installed: yes\n\nPackage: ok\nArchitecture: arm64\nAuto-Installed: 1\n",
			map[string]bool{"ok:arm64": true}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, bad := parseExtendedStates(c.text)
			if bad != c.bad || len(m.auto) != len(c.auto) {
				t.Fatalf("marks %v, %d bad; want %v, %d", m.auto, bad, c.auto, c.bad)
			}
			for k, v := range c.auto {
				if got, ok := m.auto[k]; !ok || got != v {
					t.Errorf("%s: %v (listed %v), want %v", k, got, ok, v)
				}
			}
		})
	}
}

func TestApplyAptMarks(t *testing.T) {
	marks, _ := parseExtendedStates(strings.Join([]string{
		"Package: libc6\nArchitecture: amd64\nAuto-Installed: 1\n",
		"Package: adduser\nArchitecture: amd64\nAuto-Installed: 1\n", // arch: all, recorded under the native arch
		"Package: libpcre3\nArchitecture: amd64\nAuto-Installed: 1\n",
		"Package: nginx\nArchitecture: amd64\nAuto-Installed: 0\n",
		"Package: perl\nAuto-Installed: 1\n", // apt before multi-arch
	}, "\n"))
	base := func(name, arch, why string) snapshot.Package {
		return snapshot.Package{Name: name, Arch: arch, Intent: intentBase, IntentSource: why}
	}
	pkgs := func() []snapshot.Package {
		return []snapshot.Package{
			{Name: "libc6", Arch: "amd64"},
			{Name: "libc6", Arch: "i386"}, // a foreign architecture apt does not mark auto
			{Name: "adduser", Arch: "all"},
			base("libpcre3", "amd64", "Priority: important"), // auto wins over base
			base("bash", "amd64", "Priority: required"),
			{Name: "nginx", Arch: "amd64"},
			{Name: "perl", Arch: "amd64"},
			{Name: "vim", Arch: "amd64"}, // no stanza: asked for
		}
	}
	intents := func(ps []snapshot.Package) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name+":"+p.Arch+"="+p.Intent+"("+p.IntentSource+")")
		}
		return strings.Join(s, " ")
	}
	const mark = "(apt-mark (extended_states))"
	whole := pkgs()
	if n := applyAptMarks(whole, marks, true); n != 7 {
		t.Errorf("whole: %d told, want 7", n)
	}
	want := "libc6:amd64=dependency" + mark + " libc6:i386=manual" + mark + " adduser:all=dependency" + mark +
		" libpcre3:amd64=dependency" + mark + " bash:amd64=base(Priority: required) nginx:amd64=manual" + mark +
		" perl:amd64=dependency" + mark + " vim:amd64=manual" + mark
	if got := intents(whole); got != want {
		t.Errorf("whole:\n got %s\nwant %s", got, want)
	}

	// Cut short: a package the marks read do not name may be marked in the rest.
	part := pkgs()
	if n := applyAptMarks(part, marks, false); n != 5 {
		t.Errorf("part: %d told, want 5", n)
	}
	want = "libc6:amd64=dependency" + mark + " libc6:i386=() adduser:all=dependency" + mark +
		" libpcre3:amd64=dependency" + mark + " bash:amd64=base(Priority: required) nginx:amd64=manual" + mark +
		" perl:amd64=dependency" + mark + " vim:amd64=()"
	if got := intents(part); got != want {
		t.Errorf("part:\n got %s\nwant %s", got, want)
	}
}

func TestBaseIntent(t *testing.T) {
	r := parseDpkgStatus(strings.Join([]string{
		"Package: bash\nEssential: yes\nPriority: required\nStatus: install ok installed\nVersion: 5.2\n",
		"Package: apt\nPriority: important\nStatus: install ok installed\nVersion: 2.6\n",
		"Package: oddessential\nEssential: yes\nPriority: optional\nStatus: install ok installed\nVersion: 1\n",
		"Package: less\nPriority: standard\nStatus: install ok installed\nVersion: 590\n",
		"Package: nginx\nPriority: optional\nStatus: install ok installed\nVersion: 1.22\n",
		"Package: local\nStatus: install ok installed\nVersion: 1\n",
	}, "\n"))
	for name, want := range map[string]string{
		"bash": "base/Priority: required", "apt": "base/Priority: important", "oddessential": "base/Essential: yes",
		"less": "/", "nginx": "/", "local": "/",
	} {
		if p := find(t, r.pkgs, name); p.Intent+"/"+p.IntentSource != want {
			t.Errorf("%s: %s/%s, want %s", name, p.Intent, p.IntentSource, want)
		}
	}
}

func TestBaseClosure(t *testing.T) {
	r := parseDpkgStatus(strings.Join([]string{
		"Package: login\nPriority: required\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nPre-Depends: libpam-modules:any (>= 1.1.8-1), libc6 (>= 2.34)\nDepends: debconf (>= 0.5) | debconf-2.0\n",
		"Package: libpam-modules\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nDepends: libdb5.3, mail-transport-agent | exim4\n",
		"Package: libdb5.3\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n",
		"Package: libc6\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n",
		"Package: libc6\nStatus: install ok installed\nVersion: 1\nArchitecture: i386\n",
		// debconf-2.0 is virtual; two installed packages satisfy it: neither is followed.
		"Package: debconf\nStatus: install ok installed\nVersion: 1\nArchitecture: all\nProvides: debconf-2.0\n",
		"Package: cdebconf\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nProvides: debconf-2.0\n",
		// The one installed mail-transport-agent (virtual) is followed.
		"Package: postfix\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nProvides: mail-transport-agent\nDepends: libsasl2\n",
		"Package: libsasl2\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n",
		"Package: nginx\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nDepends: libc6\n",
	}, "\n"))
	var got []string
	for _, p := range r.pkgs {
		got = append(got, p.Name+":"+p.Arch+"="+p.Intent+"("+p.IntentSource+")")
	}
	want := "login:amd64=base(Priority: required) libpam-modules:amd64=base(depended on by login, of the base system) " +
		"libdb5.3:amd64=base(depended on by libpam-modules, of the base system) libc6:amd64=base(depended on by login, of the base system) " +
		"libc6:i386=() debconf:all=() cdebconf:amd64=() postfix:amd64=base(depended on by libpam-modules, of the base system) " +
		"libsasl2:amd64=base(depended on by postfix, of the base system) nginx:amd64=()"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("\n got %s\nwant %s", g, want)
	}
}

func TestRelationNames(t *testing.T) {
	got := relationNames(" libc6:any (>= 2.34) , perl:native,  python3(>=3.9),,awk ")
	if want := []string{"libc6", "perl", "python3", "awk"}; !slices.Equal(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

// The surveyor with apt's marks in each fate: read, absent, denied, cut short,
// damaged, or left out by an older probe.
func TestSurveyIntents(t *testing.T) {
	status := readFixture(t, "testdata/ubuntu-18.04/var/lib/dpkg/status")
	states := readFixture(t, "testdata/ubuntu-18.04/var/lib/apt/extended_states")
	cut := func(st evidence.Status, trunc bool) *evidence.Item {
		it := fileItem(itemAptStates, states[:strings.Index(states, "Package: libudev1")+12], st)
		it.Truncated = trunc
		return it
	}
	for _, c := range []struct {
		name   string
		states *evidence.Item // nil: not in the archive
		// counts of manual, dependency, base and untold packages
		manual, dep, base, none int
		reason                  string // a part of the coverage reason, "" for none
		cited                   bool
	}{
		{"read", fileItem(itemAptStates, states, evidence.StatusOK), 2, 8, 80, 0, "", true},
		{"empty: apt marks nothing auto", fileItem(itemAptStates, "", evidence.StatusOK), 2, 0, 88, 0, "", true},
		{"absent", fileItem(itemAptStates, "", evidence.StatusAbsent), 0, 0, 88, 2,
			"whether each package outside the base system was installed on purpose or as a dependency is not told (/var/lib/apt/extended_states does not exist)", false},
		{"denied", fileItem(itemAptStates, "", evidence.StatusDenied), 0, 0, 88, 2,
			"is not told (permission denied reading /var/lib/apt/extended_states)", false},
		{"older probe", nil, 0, 0, 88, 2, "is not told (/var/lib/apt/extended_states is not in the evidence", false},
		{"truncated", cut(evidence.StatusOK, true), 0, 4, 84, 2,
			"for packages outside the base system that /var/lib/apt/extended_states does not name, whether they were installed on purpose or as dependencies is not told (/var/lib/apt/extended_states was cut short", true},
		{"stream cut inside", cut(evidence.StatusCut, false), 0, 4, 84, 2, "was cut short", true},
		{"damaged", fileItem(itemAptStates, states+"\nAuto-Installed: 1\n", evidence.StatusOK), 0, 8, 80, 2,
			"(1 stanza could not be read)", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			items := []*evidence.Item{rpmItem("", evidence.StatusAbsent, 127), fileItem(itemDpkgStatus, status, evidence.StatusOK), fileItem(itemAPK, "", evidence.StatusAbsent)}
			if c.states != nil {
				items = append(items, c.states)
			}
			in := survey(true, items...)
			count := map[string]int{}
			for _, p := range in.Snap.Packages {
				count[p.Intent]++
				if (p.Intent == "") != (p.IntentSource == "") {
					t.Errorf("%s: intent %q from %q", p.Name, p.Intent, p.IntentSource)
				}
			}
			if count[intentManual] != c.manual || count[intentDependency] != c.dep || count[intentBase] != c.base || count[""] != c.none {
				t.Errorf("manual %d, dependency %d, base %d, untold %d; want %d %d %d %d",
					count[intentManual], count[intentDependency], count[intentBase], count[""], c.manual, c.dep, c.base, c.none)
			}
			cov := coverage(in)
			if cov.Status != snapshot.Collected {
				t.Errorf("apt's marks changed the package list's coverage: %+v", cov)
			}
			if (c.reason == "") != !strings.Contains(cov.Reason, "is not told") || !strings.Contains(cov.Reason, c.reason) {
				t.Errorf("reason %q; want it to say %q", cov.Reason, c.reason)
			}
			if got := slices.Contains(cov.Evidence, "file:"+itemAptStates); got != c.cited {
				t.Errorf("extended_states cited: %v, want %v (%q)", got, c.cited, cov.Evidence)
			}
		})
	}
}

// An rpm host has no apt marks: its packages' intent is untold, and nothing is said
// of extended_states.
func TestRPMHostIntentUntold(t *testing.T) {
	in := survey(true, rpmItem(queryAll(t, "centos7-httpd24", "var/lib/rpm/Packages"), evidence.StatusOK, 0), fileItem(itemDpkgStatus, "", evidence.StatusAbsent))
	for _, p := range in.Snap.Packages {
		if p.Intent != "" {
			t.Fatalf("%s: intent %q", p.Name, p.Intent)
		}
	}
	if r := coverage(in).Reason; strings.Contains(r, "extended_states") {
		t.Errorf("reason %q", r)
	}
}

func FuzzParseExtendedStates(f *testing.F) {
	f.Add(readFixture(f, "testdata/ubuntu-18.04/var/lib/apt/extended_states"))
	f.Add("Package: a\nAuto-Installed: 1\nPackage: b\nArchitecture: x\n\nAuto-Installed: 2\n")
	f.Fuzz(func(t *testing.T, text string) {
		m, bad := parseExtendedStates(text)
		if stanzas := strings.Count(text, "\n") + 1; len(m.auto)+bad > stanzas {
			t.Fatalf("%d marks and %d bad from %d lines", len(m.auto), bad, stanzas)
		}
		for key := range m.auto {
			if key == "" || key[0] == ':' {
				t.Fatalf("mark without a name: %q", key)
			}
		}
	})
}
