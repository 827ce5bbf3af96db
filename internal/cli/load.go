package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// Load gives the snapshot a command compares or checks: arg is a snapshot file
// written by trowel survey (read as is), or any target trowel survey takes (an
// evidence file, a directory, "local", an SSH destination), surveyed now. A
// collection cut short still gives a snapshot: its coverage says which sections
// did not arrive, and a note in Source says why.
func (t *TargetFlags) Load(ctx context.Context, arg string) (*snapshot.Snapshot, error) {
	if collect.Kind(arg) == "bundle" {
		doc, isSnapshot, err := readIfSnapshot(arg)
		if err != nil {
			return nil, err
		}
		if isSnapshot {
			return readSnapshot(arg, doc)
		}
	}
	// A path that is not there is a mistyped file, not a host: host names have no
	// slash, and snapshot and evidence files are named *.json, *.evidence.
	if collect.Kind(arg) == "ssh" && !strings.HasPrefix(arg, "ssh://") &&
		(strings.ContainsRune(arg, '/') || strings.HasSuffix(arg, ".json") || strings.HasSuffix(arg, ".evidence")) {
		return nil, Errorf("Give a snapshot written by trowel survey -o FILE, an evidence file, a directory, local, or an SSH destination.", "%s: no such file or directory", arg)
	}
	res, err := t.Collect(ctx, arg)
	if err != nil {
		return nil, err
	}
	s := survey.Run(res.Archive, res.Source, res.Raw)
	if res.Err != nil {
		s.Source.Notes = append(s.Source.Notes, fmt.Sprintf("collection stopped early: %v", res.Err))
	}
	return s, nil
}

// readIfSnapshot reads the file only when its first bytes say it is a snapshot,
// so an evidence file (which the collector reads itself, bounded) is not read
// twice, and no file is read past the size limit.
func readIfSnapshot(name string) ([]byte, bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, Errorf("", "cannot read %s: %v", name, err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(512)
	if !looksLikeJSON(head) {
		return nil, false, nil
	}
	doc, err := io.ReadAll(io.LimitReader(br, evidence.MaxStream+1))
	if err != nil {
		return nil, false, Errorf("", "cannot read %s: %v", name, err)
	}
	if len(doc) > evidence.MaxStream {
		return nil, false, Errorf("A snapshot is far smaller: is this the right file?", "%s is larger than %d bytes", name, evidence.MaxStream)
	}
	return doc, true, nil
}

// looksLikeJSON tells a snapshot from probe output, which starts with the
// probe's own header line, never with "{".
func looksLikeJSON(doc []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(doc, " \t\r\n\ufeff"), []byte("{"))
}

func readSnapshot(name string, doc []byte) (*snapshot.Snapshot, error) {
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return nil, Errorf("Give a snapshot written by trowel survey -o FILE, an evidence file, or a target.", "%s is not a valid snapshot: %v", name, err)
	}
	if head.SchemaVersion == nil {
		return nil, Errorf("Give a snapshot written by trowel survey -o FILE, an evidence file, or a target.", "%s is JSON but not a trowel snapshot (no schema_version)", name)
	}
	if *head.SchemaVersion != snapshot.SchemaVersion {
		return nil, Errorf("Survey the host again with this trowel, or use the trowel that wrote it.", "%s is a snapshot of schema version %d; this trowel reads version %d", name, *head.SchemaVersion, snapshot.SchemaVersion)
	}
	if err := snapshot.Validate(doc); err != nil {
		return nil, Errorf("The file was edited or truncated: survey the host again.", "%s does not match the snapshot schema: %v", name, err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		return nil, Errorf("", "%s: %v", name, err)
	}
	return &s, nil
}
