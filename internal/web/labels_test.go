package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Both catalogs say the same things with the same arguments; English alone has
// the singular forms (key.one), which Japanese does not inflect.
func TestCatalogsMatch(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for k, en := range labelsEN {
		if strings.HasSuffix(k, ".one") {
			if _, ok := labelsEN[strings.TrimSuffix(k, ".one")+".other"]; !ok {
				t.Errorf("%s has no .other form", k)
			}
			continue
		}
		ja, ok := labelsJA[k]
		if !ok {
			t.Errorf("label %q has no Japanese", k)
			continue
		}
		if got, want := verbs.FindAllString(ja, -1), verbs.FindAllString(en, -1); strings.Join(got, "") != strings.Join(want, "") {
			t.Errorf("label %q: %q takes %v, %q takes %v", k, en, want, ja, got)
		}
	}
	for k := range labelsJA {
		if _, ok := labelsEN[k]; !ok {
			t.Errorf("Japanese label %q has no English", k)
		}
	}
}

// Every label the pages name is in the catalog: the literal ones in templates
// and code, and those made of a prefix and a value the code knows.
func TestEveryLabelIsThere(t *testing.T) {
	literal := regexp.MustCompile(`\.T "([a-z0-9_.]+)"|\.T\("([a-z0-9_.]+)"[,)]`)
	plural := regexp.MustCompile(`\.N [^"\n]*"([a-z0-9_.]+)"|\.N\([^"\n]*"([a-z0-9_.]+)"\)`)
	sources, _ := filepath.Glob("*.go")
	tmpls, _ := filepath.Glob("templates/*.html")
	used := map[string]bool{}
	for _, f := range append(sources, tmpls...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used[m[1]+m[2]] = true
		}
		for _, m := range plural.FindAllStringSubmatch(string(src), -1) {
			used[m[1]+m[2]+".other"] = true
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d labels in use: is the pattern right?", len(used))
	}
	for _, q := range questions {
		used["ask."+q.key+".title"], used["ask."+q.key+".text"], used["ask.col."+q.facet] = true, true, true
		for _, c := range q.columns {
			used["ask.col."+c] = true
		}
	}
	for _, k := range estateFilters {
		used["filter."+k] = true
	}
	for _, s := range []string{"high", "medium", "low", "info"} {
		used["severity."+s], used["badge."+s] = true, true
	}
	for _, s := range []string{"ended", "soon", "supported", "unknown"} {
		used["eol.class."+s] = true
	}
	for _, s := range []string{"config", "connection", "client"} {
		used["evidence."+s] = true
	}
	for _, s := range []string{"cycle", "shared_data", "application"} {
		used["reason."+s] = true
	}
	for _, s := range []string{"host", "csrf", "token"} {
		used["refused."+s] = true
	}
	for _, s := range []string{"missing", "changed", "new"} {
		used["diff."+s] = true
	}
	for name := range files {
		if !strings.HasPrefix(name, "ansible") {
			used["file."+name] = true
		}
	}
	for k := range used {
		if _, ok := labelsEN[k]; !ok {
			t.Errorf("label %q is used but not in the catalog", k)
		}
	}
	for k := range labelsEN {
		if !used[strings.TrimSuffix(k, ".one")] && !used[strings.TrimSuffix(k, ".one")+".other"] && !used[k] {
			t.Errorf("label %q is in the catalog but no page says it", k)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"":                                 "en",
		"ja":                               "ja",
		"ja-JP,ja;q=0.9,en-US;q=0.8":       "ja",
		"en-US,en;q=0.9,ja;q=0.8":          "en",
		"fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4": "ja",
		"de,ja;q=0":                        "en",
		"en;q=0.2, ja;q=0.9":               "ja",
		"ja;q=bad, en":                     "en",
	} {
		if got := fromAcceptLanguage(header); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", header, got, want)
		}
	}
}
