package main

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/eol"
)

// The shipped file is in the generator's form, names its source commit, and has
// every product trowel matches: a hand edit or a product list that grew without a
// regeneration fails here.
func TestShippedDataIsGenerated(t *testing.T) {
	b, err := os.ReadFile("../data/eol.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := eol.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(d), b) {
		t.Error("internal/eol/data/eol.json is not the generator's output; regenerate it with make eol (see data/SOURCES.md)")
	}
	if len(d.Commit) != 40 || dateOnly(d.CommitDate) != d.CommitDate || d.CommitDate == "" {
		t.Errorf("source commit %q dated %q", d.Commit, d.CommitDate)
	}
	for _, name := range Products {
		p := d.Products[name]
		if p == nil || p.AsOf == "" || len(p.Releases) == 0 {
			t.Errorf("%s: missing or empty (%+v)", name, p)
		}
	}
	if len(d.Products) != len(Products) {
		t.Errorf("%d products shipped, the generator lists %d", len(d.Products), len(Products))
	}
}

// With TROWEL_EOL_SRC set to a checkout of endoflife.date at the shipped commit,
// the shipped file must be exactly what the generator makes of it.
func TestShippedDataIsReproducible(t *testing.T) {
	src := os.Getenv("TROWEL_EOL_SRC")
	if src == "" {
		t.Skip("TROWEL_EOL_SRC (a checkout of endoflife.date at the shipped commit) is not set")
	}
	want, err := os.ReadFile("../data/eol.json")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := eol.Parse(want)
	if err != nil {
		t.Fatal(err)
	}
	d, err := build(src, shipped.Commit, shipped.CommitDate, Products)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(d), want) {
		t.Fatalf("internal/eol/data/eol.json differs from what %s gives; regenerate it with make eol EOL_SRC=%s", src, src)
	}
}

// Real product files: cycles, dates, ends given as false or a date, extended
// support, and the data date from the newest release, latest releases included.
func TestBuildFromProductFiles(t *testing.T) {
	d, err := build("testdata/endoflife.date", "a70eca337600e7d721dc48112c271f98661d208b", "2026-08-22",
		[]string{"tomcat", "memcached", "sles"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Commit == "" || d.CommitDate != "2026-08-22" || d.Date != d.Products["tomcat"].AsOf {
		t.Errorf("header %q %q %q", d.Commit, d.CommitDate, d.Date)
	}
	tomcat := d.Products["tomcat"]
	if tomcat.AsOf != "2026-08-13" {
		t.Errorf("tomcat as of %s", tomcat.AsOf)
	}
	want := map[string]eol.Release{
		"11.0": {Cycle: "11.0", Released: "2024-10-03"},
		"9.0":  {Cycle: "9.0", Released: "2017-09-27", EOL: "2027-03-31"},
		"5":    {Cycle: "5", Released: "2003-09-06", EOL: "2012-09-30"},
	}
	for _, r := range tomcat.Releases {
		if w, ok := want[r.Cycle]; ok && r != w {
			t.Errorf("tomcat %s: %+v, want %+v", r.Cycle, r, w)
		}
		delete(want, r.Cycle)
	}
	if len(want) > 0 {
		t.Errorf("tomcat cycles missing: %v", want)
	}
	sles := d.Products["sles"]
	i := slices.IndexFunc(sles.Releases, func(r eol.Release) bool { return r.Cycle == "15.0" })
	if i < 0 || sles.Releases[i].EOL != "2019-12-31" || sles.Releases[i].Extended != "2022-12-31" {
		t.Errorf("sles 15.0: %+v", sles.Releases)
	}
	if _, err := build("testdata/endoflife.date", "x", "2026-08-22", []string{"no-such-product"}); err == nil {
		t.Error("a missing product file gave no error")
	}
}

func TestParseProductValueForms(t *testing.T) {
	p, err := parseProduct([]byte("---\ntitle: x\nreleases:\n-   releaseCycle: 2.10\n    eol: true\n    lts: 2023-07-18\n-   releaseCycle: \"3\"\n    releaseDate: 2020-01-02\n    eol: false\n    extendedSupport: 2030-01-01\n-   releaseCycle: \"4\"\n    eol: 2024-08-14\n    eoes: false\n---\nbody\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Releases
	if len(got) != 3 || got[0].Cycle != "2.10" || got[0].EOL != "ended" || !got[0].LTS ||
		got[1].EOL != "" || got[1].Extended != "2030-01-01" || got[1].Released != "2020-01-02" ||
		got[2].EOL != "2024-08-14" || got[2].Extended != "" || p.AsOf != "2020-01-02" {
		t.Fatalf("%+v as_of %s", got, p.AsOf)
	}
	for _, bad := range []string{"", "no front matter", "---\nreleases: 3\n---\n", "---\n: [\n---\n"} {
		if _, err := parseProduct([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
