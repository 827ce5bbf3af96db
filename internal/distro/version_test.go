package distro

import (
	"strings"
	"testing"
)

// rpmvercmpVectors are rpm's own test cases, tests/rpmvercmp.at of
// rpm-software-management/rpm (the "Basic testcases" sections, caret included).
const rpmvercmpVectors = `
1.0 1.0 0
1.0 2.0 -1
2.0 1.0 1
2.0.1 2.0.1 0
2.0 2.0.1 -1
2.0.1 2.0 1
2.0.1a 2.0.1a 0
2.0.1a 2.0.1 1
2.0.1 2.0.1a -1
5.5p1 5.5p1 0
5.5p1 5.5p2 -1
5.5p2 5.5p1 1
5.5p10 5.5p10 0
5.5p1 5.5p10 -1
5.5p10 5.5p1 1
10xyz 10.1xyz -1
10.1xyz 10xyz 1
xyz10 xyz10 0
xyz10 xyz10.1 -1
xyz10.1 xyz10 1
xyz.4 xyz.4 0
xyz.4 8 -1
8 xyz.4 1
xyz.4 2 -1
2 xyz.4 1
5.5p2 5.6p1 -1
5.6p1 5.5p2 1
5.6p1 6.5p1 -1
6.5p1 5.6p1 1
6.0.rc1 6.0 1
6.0 6.0.rc1 -1
10b2 10a1 1
10a2 10b2 -1
1.0aa 1.0aa 0
1.0a 1.0aa -1
1.0aa 1.0a 1
10.0001 10.0001 0
10.0001 10.1 0
10.1 10.0001 0
10.0001 10.0039 -1
10.0039 10.0001 1
4.999.9 5.0 -1
5.0 4.999.9 1
20101121 20101121 0
20101121 20101122 -1
20101122 20101121 1
2_0 2_0 0
2.0 2_0 0
2_0 2.0 0
a a 0
a+ a+ 0
a+ a_ 0
a_ a+ 0
+a +a 0
+a _a 0
_a +a 0
+_ +_ 0
_+ +_ 0
_+ _+ 0
+ _ 0
_ + 0
1.0~rc1 1.0~rc1 0
1.0~rc1 1.0 -1
1.0 1.0~rc1 1
1.0~rc1 1.0~rc2 -1
1.0~rc2 1.0~rc1 1
1.0~rc1~git123 1.0~rc1~git123 0
1.0~rc1~git123 1.0~rc1 -1
1.0~rc1 1.0~rc1~git123 1
1.0^ 1.0^ 0
1.0^ 1.0 1
1.0 1.0^ -1
1.0^git1 1.0^git1 0
1.0^git1 1.0 1
1.0 1.0^git1 -1
1.0^git1 1.0^git2 -1
1.0^git2 1.0^git1 1
1.0^git1 1.01 -1
1.01 1.0^git1 1
1.0^20160101 1.0^20160101 0
1.0^20160101 1.0.1 -1
1.0.1 1.0^20160101 1
1.0^20160101^git1 1.0^20160101^git1 0
1.0^20160102 1.0^20160101^git1 1
1.0^20160101^git1 1.0^20160102 -1
1.0~rc1^git1 1.0~rc1^git1 0
1.0~rc1^git1 1.0~rc1 1
1.0~rc1 1.0~rc1^git1 -1
1.0^git1~pre 1.0^git1~pre 0
1.0^git1 1.0^git1~pre 1
1.0^git1~pre 1.0^git1 -1
`

// dpkgVectors are dpkg's comparison cases: the __DATA__ of scripts/t/Dpkg_Version.t
// of dpkg (guillemj/dpkg), which dpkg --compare-versions must agree with.
const dpkgVectors = `
1.0-1 2.0-2 -1
2.2~rc-4 2.2-1 -1
2.2-1 2.2~rc-4 1
1.0000-1 1.0-1 0
1 0:1 0
0 0:0-0 0
2:2.5 1:7.5 1
1:0foo 0foo 1
0:0foo 0foo 0
0foo 0foo 0
0foo- 0foo 0
0foo- 0foo-0 0
0foo 0fo 1
0foo- 0foo+ -1
0foo~1 0foo -1
0foo~foo+Bar 0foo~foo+bar -1
0foo~~ 0foo~ -1
1~ 1 -1
12345+that-really-is-some-ver-0 12345+that-really-is-some-ver-10 -1
0foo-0 0foo-01 -1
0foo.bar 0foobar 1
0foo.bar 0foo1bar 1
0foo.bar 0foo0bar 1
0foo1bar-1 0foobar-1 -1
0foo2.0 0foo2 1
0foo2.0.0 0foo2.10.0 -1
0foo2.0 0foo2.0.0 -1
0foo2.0 0foo2.10 -1
0foo2.1 0foo2.10 -1
1.09 1.9 0
1.0.8+nmu1 1.0.8 1
3.11 3.10+nmu1 1
0.9j-20080306-4 0.9i-20070324-2 1
1.2.0~b7-1 1.2.0~b6-1 1
1.011-1 1.06-2 1
0.0.9+dfsg1-1 0.0.8+dfsg1-3 1
4.6.99+svn6582-1 4.6.99+svn6496-1 1
53 52 1
0.9.9~pre122-1 0.9.9~pre111-1 1
2:2.3.2-2+lenny2 2:2.3.2-2 1
1:3.8.1-1 3.8.GA-1 1
1.0.1+gpl-1 1.0.1-2 1
1a 1000a -1
-0.6.5 0.9.1 -1
`

type vector struct {
	a, b string
	want int
}

func parseVectors(t *testing.T, text string) []vector {
	t.Helper()
	var vs []vector
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("bad vector line %q", line)
		}
		want := map[string]int{"-1": -1, "0": 0, "1": 1}[f[2]]
		vs = append(vs, vector{f[0], f[1], want})
	}
	return vs
}

func TestRpmvercmpVectors(t *testing.T) {
	vs := parseVectors(t, rpmvercmpVectors)
	if len(vs) < 90 {
		t.Fatalf("only %d vectors parsed", len(vs))
	}
	for _, v := range vs {
		if got := rpmvercmp(v.a, v.b); got != v.want {
			t.Errorf("rpmvercmp(%q, %q) = %d, want %d", v.a, v.b, got, v.want)
		}
		// The segments contain no hyphen or colon, so the whole EVR compares the same.
		if got := CompareVersions("rpm", v.a, v.b); got != v.want {
			t.Errorf("CompareVersions(rpm, %q, %q) = %d, want %d", v.a, v.b, got, v.want)
		}
	}
}

func TestCompareVersionsRPMEpochRelease(t *testing.T) {
	tests := []vector{
		{"1:1.0-1", "2.0-1", 1}, // an epoch beats any version
		{"0:2.0-1", "2.0-1", 0}, // a missing epoch is 0
		{"2.2.3-72.el6", "2.2.3-91.el6", -1},
		{"2.2.15-69.el6.centos", "2.2.15-60.el6.centos.6", 1},
		{"2.4.6-99.el7.centos.1", "2.4.6-97.el7.centos.5", 1},
		{"5.0.95-5.el5_9", "5.1.73-8.el6_8", -1},
		{"1.0.2k-19.el7", "1.0.2k-26.el7_9", -1},
		{"3.0.7-27.el9", "3.0.7-27.el9_4", -1}, // an update release is newer
		{"1.0-1", "1.0", 0},                    // a missing release matches any
		{"7.4.0-1.el7", "7.4.0-1.el7~", 1},     // tilde in the release
		{"1:2.02-0.87.el7.centos", "1:2.02-0.86.el7", 1},
		{"10:1.0-1", "9:9.9-9", 1}, // epochs compare as numbers
		{"99999999999999999999:1", "99999999999999999998:9", 1},
	}
	for _, v := range tests {
		if got := CompareVersions("rpm", v.a, v.b); got != v.want {
			t.Errorf("CompareVersions(rpm, %q, %q) = %d, want %d", v.a, v.b, got, v.want)
		}
		if got := CompareVersions("rpm", v.b, v.a); got != -v.want {
			t.Errorf("CompareVersions(rpm, %q, %q) = %d, want %d", v.b, v.a, got, -v.want)
		}
	}
}

func TestDpkgVectors(t *testing.T) {
	vs := parseVectors(t, dpkgVectors)
	// From lib/dpkg/t/t-version.c: versions that parse to the same thing.
	vs = append(vs,
		vector{"0:0-0-0", "0-0-0", 0},
		vector{"0:0:0-0", "0:0:0-0", 0},
		vector{"  \t0:0-1", "0:0-1", 0},
		vector{"0:0.0-0.0", "0.0-0.0", 0},
		vector{"0:0-00", "0:00-0", 0},
		// Real Debian/Ubuntu package versions.
		vector{"2.4.62-1~deb12u2", "2.4.62-1~deb12u1", 1},
		vector{"2.4.62-1~deb12u1", "2.4.62-1", -1},
		vector{"1:10.11.6-0+deb12u1", "1:10.5.23-0+deb11u1", 1},
		vector{"1:9.2p1-2+deb12u3", "1:8.4p1-5+deb11u3", 1},
		vector{"3.0.15-1~deb12u1", "3.0.11-1~deb12u2", 1},
		vector{"2.36-9+deb12u7", "2.36-9+deb12u10", -1},
		vector{"1.2.3ubuntu1", "1.2.3", 1},
		vector{"8.2.0-1ubuntu2~18.04", "8.2.0-1ubuntu2", -1},
	)
	for _, v := range vs {
		if got := CompareVersions("dpkg", v.a, v.b); got != v.want {
			t.Errorf("CompareVersions(dpkg, %q, %q) = %d, want %d", v.a, v.b, got, v.want)
		}
		if got := CompareVersions("dpkg", v.b, v.a); got != -v.want {
			t.Errorf("CompareVersions(dpkg, %q, %q) = %d, want %d", v.b, v.a, got, -v.want)
		}
	}
}

func TestCompareVersionsOtherManagersUseDpkgRules(t *testing.T) {
	// "1.0~rc1" sorts before "1.0" under both, but "1.0a" and "1.0+" differ: dpkg puts
	// letters before other characters, rpm treats "+" as a mere separator.
	if got := CompareVersions("apk", "1.0a", "1.0+"); got != -1 {
		t.Errorf("apk: 1.0a vs 1.0+ = %d, want -1 (dpkg rules)", got)
	}
	if got := CompareVersions("rpm", "1.0a", "1.0+"); got != 1 {
		t.Errorf("rpm: 1.0a vs 1.0+ = %d, want 1", got)
	}
	if got := CompareVersions("", "1:0", "2"); got != 1 {
		t.Errorf("empty manager: 1:0 vs 2 = %d, want 1 (dpkg epoch)", got)
	}
}

func TestCompareVersionsGarbage(t *testing.T) {
	garbage := []string{"", ":", "-", "::", "--", "a:", ":-", "~", "^", "~~^^", "\x00\xff",
		"é.1", "1:", "-1:0-1", "999999999999999999999999:0-1", "a:0-0", "0:0 0-1", "1.0-"}
	for _, m := range []string{"rpm", "dpkg"} {
		for _, a := range garbage {
			for _, b := range garbage {
				ab, ba := CompareVersions(m, a, b), CompareVersions(m, b, a)
				if ab != -ba || ab < -1 || ab > 1 {
					t.Errorf("%s: compare(%q, %q) = %d but compare(%q, %q) = %d", m, a, b, ab, b, a, ba)
				}
			}
			if c := CompareVersions(m, a, a); c != 0 {
				t.Errorf("%s: compare(%q, itself) = %d", m, a, c)
			}
		}
	}
}

func FuzzCompareVersions(f *testing.F) {
	for _, text := range []string{rpmvercmpVectors, dpkgVectors} {
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			fs := strings.Fields(line)
			f.Add("rpm", fs[0], fs[1])
			f.Add("dpkg", fs[0], fs[1])
		}
	}
	f.Fuzz(func(t *testing.T, manager, a, b string) {
		ab, ba := CompareVersions(manager, a, b), CompareVersions(manager, b, a)
		if ab < -1 || ab > 1 {
			t.Fatalf("compare(%q, %q) = %d, not -1/0/1", a, b, ab)
		}
		if ab != -ba {
			t.Fatalf("%s: compare(%q, %q) = %d but compare(%q, %q) = %d", manager, a, b, ab, b, a, ba)
		}
		if c := CompareVersions(manager, a, a); c != 0 {
			t.Fatalf("%s: compare(%q, itself) = %d", manager, a, c)
		}
	})
}
