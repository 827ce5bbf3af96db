package packages

import (
	"strconv"
	"strings"
	"testing"
)

// The benchmarks parse 2,000 packages, a big but real host, built from the real
// fixtures by repeating their entries under new names.

func manyDpkg(b *testing.B) string {
	stanzas := strings.Split(strings.TrimSpace(readFixture(b, "testdata/ubuntu-18.04/var/lib/dpkg/status")), "\n\n")
	var out strings.Builder
	for i := 0; i < 2000; i++ {
		s := stanzas[i%len(stanzas)]
		s = strings.Replace(s, "Package: ", "Package: p"+strconv.Itoa(i)+"-", 1)
		s = strings.Replace(s, "Status: deinstall ok config-files", "Status: install ok installed", 1)
		out.WriteString(s)
		out.WriteString("\n\n")
	}
	return out.String()
}

func manyRPM(b *testing.B) string {
	lines := strings.SplitAfter(strings.TrimSuffix(queryAll(b, "centos7-httpd24", "var/lib/rpm/Packages"), "\n"), "\n")
	var out strings.Builder
	for i := 0; i < 2000; i++ {
		out.WriteString("p" + strconv.Itoa(i) + "-" + strings.TrimSuffix(lines[i%len(lines)], "\n") + "\n")
	}
	return out.String()
}

func BenchmarkParseDpkgStatus(b *testing.B) {
	text := manyDpkg(b)
	if n := len(parseDpkgStatus(text).pkgs); n != 2000 {
		b.Fatalf("%d packages", n)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		parseDpkgStatus(text)
	}
}

func BenchmarkParseRPMQA(b *testing.B) {
	text := manyRPM(b)
	if r := parseRPMQA(text); len(r.pkgs) != 2000 || r.bad != 0 {
		b.Fatalf("%d packages, %d bad", len(r.pkgs), r.bad)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		parseRPMQA(text)
	}
}
