package target

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trowel-dev/trowel/internal/usererr"
)

const evidenceHead = "TROWEL-EVIDENCE/1 boundary=x\n"

func TestParse(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name string, data []byte) string {
		t.Helper()
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(evidenceHead))
	zw.Close()
	disk := filepath.Join(dir, "mnt", "disk")
	if err := os.MkdirAll(disk, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		arg  string
		kind Kind
		err  string // a user error saying this, instead of a kind
	}{
		{arg: "local", kind: Local},
		{arg: "ssh://x", kind: SSH},
		{arg: "SSH://admin@legacy:2222/", kind: SSH},
		{arg: "user@host:2222", kind: SSH},
		{arg: "legacy", kind: SSH}, // a Host alias of ~/.ssh/config: not a file here
		{arg: "legacy.example.com", kind: SSH},
		{arg: "[2001:db8::1]:2222", kind: SSH},
		{arg: ".", kind: Root},
		{arg: disk, kind: Root},
		{arg: write("host.evidence", []byte(evidenceHead)), kind: Evidence},
		{arg: write("host.evidence.gz", gz.Bytes()), kind: Evidence},
		{arg: write("kept", []byte("some text the probe did not write\n")), kind: Evidence},
		{arg: write("empty", nil), kind: Evidence},
		// What a file holds decides, never its name.
		{arg: write("evidence.json", []byte(evidenceHead)), kind: Evidence},
		{arg: write("legacy.snapshot", []byte(`{"schema_version": 1}`)), kind: Snapshot},
		{arg: write("bom.json", []byte("\ufeff\n  {\"schema_version\": 1}")), kind: Snapshot},
		{arg: write("garbage.json", []byte(`{"hello": `)), kind: Snapshot},
		{arg: fifo, kind: Evidence}, // read once, by the collector; peeking would block or eat it
		// What is not there but looks like a file is a mistyped file, not a host.
		{arg: "new.json", err: "new.json: no such file or directory"},
		{arg: "host.evidence.old.gz", err: "no such file or directory"},
		{arg: "legacy.spec.yaml", err: "no such file or directory"},
		{arg: "./snap", err: "no such file or directory"},
		{arg: "~/legacy", err: "no such file or directory"},
		{arg: "/mnt/disk-that-is-not-mounted", err: "no such file or directory"},
		{arg: filepath.Join(dir, "mnt", "nothing"), err: "no such file or directory"},
		{arg: "", err: "no target given"},
		{arg: "http://legacy/", err: "only ssh:// addresses"},
	} {
		got, err := Parse(tc.arg)
		if tc.err != "" {
			var ue *usererr.Error
			if !errors.As(err, &ue) || ue.ExitCode() != usererr.ExitError || !strings.Contains(ue.Msg, tc.err) || ue.Hint == "" {
				t.Errorf("Parse(%q) = %+v, %v; want a user error saying %q, with a hint", tc.arg, got, err, tc.err)
			}
			continue
		}
		if err != nil || got.Kind != tc.kind || got.Arg != tc.arg {
			t.Errorf("Parse(%q) = %+v (%v), %v; want %v", tc.arg, got, got.Kind, err, tc.kind)
		}
	}
}

// A host whose name looks like a file is still reachable, written as a URL.
func TestParseMistypedFileNamesTheWayOut(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Parse("new.json")
	var ue *usererr.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Hint, "ssh://new.json") {
		t.Errorf("%v: the hint must say how to name such a host", err)
	}
	if tg, err := Parse("ssh://new.json"); err != nil || tg.Kind != SSH {
		t.Errorf("ssh://new.json: %+v, %v", tg, err)
	}
}

func TestParseUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	p := filepath.Join(t.TempDir(), "locked")
	if err := os.WriteFile(p, []byte("{}"), 0); err != nil {
		t.Fatal(err)
	}
	_, err := Parse(p)
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.Msg != "cannot read "+p+": permission denied" {
		t.Errorf("%v", err)
	}
}
