package timekeeping

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// zonenames.go is what its generator makes from the Go that builds trowel: a Go
// update that adds or removes a zone shows here, not as a copied /etc/localtime
// that can no longer be named.
func TestZoneNamesAreGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run")
	}
	out := filepath.Join(t.TempDir(), "zonenames.go")
	if b, err := exec.Command("go", "run", "zonenames_gen.go", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("go run zonenames_gen.go: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zonenames.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("zonenames.go differs from what zonenames_gen.go makes from this Go's tzdata: run go generate ./internal/survey/timekeeping")
	}
}

// Every name resolves in the tzdata trowel embeds, whatever the machine has installed.
func TestZoneNamesResolve(t *testing.T) {
	if len(zoneNames) < 400 {
		t.Fatalf("only %d zones", len(zoneNames))
	}
	for _, name := range zoneNames {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
