package collect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The offline twin of the probe's _traces skips /sbin linked into /usr as the probe
// does: apache2 is found once, under /usr/sbin.
func TestOfflineTracesSkipMergedUsrLinks(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "usr/sbin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "usr/sbin/apache2"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("usr/sbin", filepath.Join(root, "sbin")); err != nil {
		t.Fatal(err)
	}
	out, err := (&rootReader{root: root}).softwareTraces()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); !strings.HasPrefix(got, "program\t/usr/sbin/apache2\t") || strings.Count(got, "program\t") != 1 {
		t.Errorf("want /usr/sbin/apache2 alone:\n%s", got)
	}
}
