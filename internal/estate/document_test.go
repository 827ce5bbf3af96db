package estate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden holds the lab estate's map in every format to the files in
// testdata (refresh with go test ./internal/estate -update).
func TestGolden(t *testing.T) {
	m := Build(lab(t))
	for _, tc := range []struct{ file, format, lang string }{
		{"lab.en.md", "md", "en"},
		{"lab.ja.md", "md", "ja"},
		{"lab.svg", "svg", "en"},
		{"lab.json", "json", "en"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, m, tc.format, tc.lang, fixedTime); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from the golden file; run go test ./internal/estate -update and review the diff", tc.file)
			}
		})
	}
}

// TestHTML: the page is well-formed (report's pages are XML too), draws the map
// inline and lists the same edges in words.
func TestHTML(t *testing.T) {
	m := Build(lab(t))
	for _, lang := range []string{"en", "ja"} {
		var b bytes.Buffer
		if err := Write(&b, m, "html", lang, fixedTime); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if err := wellFormed(page); err != nil {
			t.Errorf("%s: %v", lang, err)
		}
		for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="estate-map"`, `id="map-h-legacy"`, `id="map-o-ntp-nict-jp"`, `data-edge="e-h-legacy-h-db-tcp-3306"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s", lang, want)
			}
		}
		if lang == "ja" && strings.Contains(page, "Migration waves") {
			t.Error("ja: a heading left in English")
		}
	}
}

func wellFormed(doc string) error {
	d := xml.NewDecoder(strings.NewReader(strings.Replace(doc, "<!DOCTYPE html>", "", 1)))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestSVGElements: the drawing is well-formed XML, its IDs are unique, and every
// host, peer, wave and edge of the map has its element with the data attributes
// a web page will use.
func TestSVGElements(t *testing.T) {
	m := Build(lab(t))
	var b bytes.Buffer
	if err := SVG(&b, m, "ja"); err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(b.String()); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	data := map[string][]string{}
	d := xml.NewDecoder(&b)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local == "id" {
				ids[a.Value]++
			}
			if k, ok := strings.CutPrefix(a.Name.Local, "data-"); ok && se.Name.Local == "g" {
				data[k] = append(data[k], a.Value)
			}
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %s used %d times", id, n)
		}
	}
	for _, h := range m.Hosts {
		if ids["map-"+h.ID] != 1 || !slices.Contains(data["host"], h.ID) {
			t.Errorf("no box for host %s", h.ID)
		}
	}
	for _, p := range m.Outside {
		if ids["map-"+p.ID] != 1 || !slices.Contains(data["peer"], p.ID) {
			t.Errorf("no box for outside peer %s", p.ID)
		}
	}
	for _, e := range m.Edges {
		if ids["map-"+e.ID] != 1 || !slices.Contains(data["edge"], e.ID) {
			t.Errorf("no arrow for edge %s", e.ID)
		}
	}
	if len(data["outside"]) != len(m.Outside) {
		t.Errorf("%d boxes marked outside, %d peers", len(data["outside"]), len(m.Outside))
	}
}

// TestJSONSchema: the map's JSON validates against its schema, and docs/map.md
// describes every field the schema has.
func TestJSONSchema(t *testing.T) {
	var schemaDoc any
	if err := json.Unmarshal(Schema(), &schemaDoc); err != nil {
		t.Fatal(err)
	}
	c := validator.NewCompiler()
	if err := c.AddResource(SchemaID, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*Map{"lab": Build(lab(t)), "no host": Build(nil), "one host": Build([]Named{{Snapshot: bare("a", "", "10.0.0.1")}})} {
		var b bytes.Buffer
		if err := Write(&b, m, "json", "en", fixedTime); err != nil {
			t.Fatal(err)
		}
		inst, err := validator.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	doc, err := os.ReadFile("../../docs/map.md")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	for def, d := range s.Defs {
		for field := range d.Properties {
			if !strings.Contains(string(doc), "`"+field+"`") {
				t.Errorf("docs/map.md does not describe %s.%s", def, field)
			}
		}
	}
}

// TestCatalogsMatch: both languages have the same labels, and every format verb
// of a label is in its translation.
func TestCatalogsMatch(t *testing.T) {
	verbs := regexp.MustCompile(`%(\[\d+\])?[dsv]`)
	for k, en := range labelsEN {
		ja, ok := labelsJA[k]
		if !ok {
			t.Errorf("ja lacks %q", k)
			continue
		}
		if len(verbs.FindAllString(en, -1)) != len(verbs.FindAllString(ja, -1)) {
			t.Errorf("%q: %q and %q take different arguments", k, en, ja)
		}
	}
	for k := range labelsJA {
		if _, ok := labelsEN[k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}
}

// TestLabelsExist: every label the code asks for is in the catalog, those named
// in the source and those made from a kind (via., note., reason., dup., status.,
// res.).
func TestLabelsExist(t *testing.T) {
	asked := map[string]bool{}
	literal := regexp.MustCompile(`(?:\.t|label)\((?:lang, )?"([a-z_.]*[a-z_])"[,)]`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			asked[m[1]] = true
		}
	}
	for _, k := range []string{viaLogShipper, viaRelayhost, viaDatabase, viaProxy, viaMount, viaTimeServer, viaNameServer, viaBackup} {
		asked["via."+k] = true
	}
	for _, k := range []string{noteNotMounted, noteUpstream} {
		asked["note."+k] = true
	}
	for _, k := range []string{reasonCycle, reasonSharedData, reasonApplication} {
		asked["reason."+k] = true
	}
	for _, k := range []string{duplicateCron, duplicateService} {
		asked["dup."+k] = true
	}
	for _, k := range []string{"collected", "partial", "unavailable", "denied", "timed_out", "not_applicable", "unknown"} {
		asked["status."+k] = true
	}
	for _, k := range []string{byHostname, byFQDN, byHostsFile} {
		asked["res."+k] = true
	}
	for _, id := range []string{"summary", "drawing", "hosts", "edges", "outside", "waves", "duplicates", "gaps"} {
		asked["sec."+id], asked["intro."+id] = true, true
	}
	for _, k := range slices.Sorted(maps.Keys(asked)) {
		if _, ok := labelsEN[k]; !ok {
			t.Errorf("label %q is asked for and missing", k)
		}
	}
}

// TestSmallEstates: no host, or one host alone, still makes a map in every format
// and language, saying so rather than failing.
func TestSmallEstates(t *testing.T) {
	for name, in := range map[string][]Named{
		"no host":     nil,
		"one host":    {{Snapshot: bare("a", "", "10.0.0.1")}},
		"no snapshot": {{Name: "x"}},
	} {
		m := Build(in)
		for _, f := range Formats {
			for _, lang := range []string{"en", "ja"} {
				var b bytes.Buffer
				if err := Write(&b, m, f, lang, fixedTime); err != nil {
					t.Errorf("%s, %s, %s: %v", name, f, lang, err)
				}
				if f == "svg" || f == "html" {
					if err := wellFormed(b.String()); err != nil {
						t.Errorf("%s, %s: %v", name, f, err)
					}
					if strings.Contains(b.String(), `width="-`) {
						t.Errorf("%s, %s: negative width", name, f)
					}
				}
			}
		}
	}
}
