// Package redacttest gives tests the credentials and look-alikes every secret filter
// is held to (internal/redact/testdata/shapes.tsv): the probe's sed filters, their Go
// twins and the scan on the operator's side read the same list.
package redacttest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Shape is one line of the list: which filters must remove Secret from Line ("cmd",
// "args", "text"), or that Line has no secret ("keep": no filter changes it;
// "keep-cmd": the command filter does not).
type Shape struct{ Kind, Secret, Line string }

// Shapes reads the list.
func Shapes(t testing.TB) []Shape {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "testdata", "shapes.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Shape
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.SplitN(l, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("shapes.tsv: bad line %q", l)
		}
		out = append(out, Shape{f[0], f[1], f[2]})
	}
	return out
}
