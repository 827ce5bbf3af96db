package main

import (
	"bytes"
	"os"
	"testing"
)

// The shipped file must be exactly what the generator makes of the kept sources.
func TestShippedDataIsReproducible(t *testing.T) {
	d, err := build("testdata/endoflife.date", "", "testdata/endoflife.date/COMMITS", "")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../data/eol.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := encode(d); !bytes.Equal(got, want) {
		t.Fatal("internal/eol/data/eol.json differs from the generator's output; regenerate it (see data/SOURCES.md)")
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
