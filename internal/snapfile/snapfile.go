// Package snapfile reads snapshot files under one set of rules, whichever command
// (or store) reads them: bounded in size, of this trowel's schema version, valid
// against its schema. What breaks a rule is said to the user with what to do.
package snapfile

import (
	"encoding/json"
	"io"
	"os"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/usererr"
)

// MaxSize bounds how much of a file is read: a real host's snapshot is a few
// megabytes, and anything near this (as much as an evidence stream may hold) is
// not one.
const MaxSize = 1 << 30

// hint is what to give in place of a file that is not a snapshot.
const hint = "Give a snapshot written by trowel survey -o FILE."

// Read reads the snapshot in the file name.
func Read(name string) (*snapshot.Snapshot, error) {
	doc, err := ReadBytes(name, hint)
	if err != nil {
		return nil, err
	}
	return Decode(name, doc)
}

// ReadBytes reads the file name within MaxSize, for a caller that decides from its
// content what it holds (verify takes a snapshot or a spec); want is the hint given
// when it cannot be opened.
func ReadBytes(name, want string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, usererr.CannotRead(name, err, want)
	}
	defer f.Close()
	return readBounded(f, name, MaxSize)
}

func readBounded(r io.Reader, name string, max int64) ([]byte, error) {
	doc, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, usererr.CannotRead(name, err, "")
	}
	if int64(len(doc)) > max {
		return nil, usererr.Errorf("A snapshot is far smaller: is this the right file?", "%s is larger than %d bytes", name, max)
	}
	return doc, nil
}

// Decode reads doc, the content of the file name, as a snapshot: it must be JSON,
// say its schema version, be of this trowel's version, and match its schema.
func Decode(name string, doc []byte) (*snapshot.Snapshot, error) {
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return nil, usererr.Errorf(hint, "%s is not a valid snapshot: %v", name, err)
	}
	switch v := head.SchemaVersion; {
	case v == nil:
		return nil, usererr.Errorf(hint, "%s is JSON but not a trowel snapshot (no schema_version)", name)
	case *v > snapshot.SchemaVersion:
		return nil, usererr.Errorf("Read it with the newer trowel that wrote it, or survey the host again with this one.",
			"%s is a snapshot of schema version %d, newer than this trowel's version %d", name, *v, snapshot.SchemaVersion)
	case *v != snapshot.SchemaVersion:
		return nil, usererr.Errorf("Survey the host again with this trowel, or read it with the trowel that wrote it.",
			"%s is a snapshot of schema version %d; this trowel reads version %d", name, *v, snapshot.SchemaVersion)
	}
	if err := snapshot.Validate(doc); err != nil {
		return nil, usererr.Errorf("The file was edited or cut short: survey the host again.", "%s does not match the snapshot schema: %v", name, err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		return nil, usererr.Errorf(hint, "%s: %v", name, err)
	}
	return &s, nil
}
