package cli

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"

	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/survey"
)

// WriteOutput runs write on the file at path, or on stdout when path is "", and
// reports a failure to create, write or close the file as the user's error: a report
// that did not reach the disk must not exit 0. What write produced is scanned for
// secrets first (see Masked); nothing reaches the file before the scan.
func WriteOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	doc := Masked(buf.Bytes(), cmp.Or(path, "the output"))
	if path == "" {
		if _, err := stdout.Write(doc); err != nil {
			return Errorf("", "cannot write the output: %v", err)
		}
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return Errorf("", "cannot write %s: %v", path, err)
	}
	if _, err := f.Write(doc); err != nil {
		f.Close()
		return Errorf("", "cannot write %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return Errorf("", "cannot write %s: %v", path, err)
	}
	return nil
}

// Masked is doc with every value that looks like a secret masked (internal/secrets),
// the operator's side of the defence: the probe removes what it knows on the target,
// and this catches what it did not know before anything is written. What was masked
// is said on standard error, never shown.
func Masked(doc []byte, what string) []byte {
	out, n := secrets.Clean(doc)
	if n > 0 {
		fmt.Fprintf(os.Stderr, "trowel: %s\n", secrets.Note(n, what))
	}
	return out
}

// MaskedEvidence is an evidence stream as --keep-evidence writes it: each item masked
// as the survey masks it (survey.MaskEvidence), what was masked said on standard
// error.
func MaskedEvidence(raw []byte) []byte {
	out, notes := survey.MaskEvidence(raw)
	for _, n := range notes {
		fmt.Fprintf(os.Stderr, "trowel: kept evidence: %s\n", n)
	}
	return out
}
