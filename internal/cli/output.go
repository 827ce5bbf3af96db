package cli

import (
	"bufio"
	"io"
	"os"
)

// WriteOutput runs write on the file at path, or on stdout when path is "", through
// one buffer, and reports a failure to create, write or close the file as the
// user's error: a report that did not reach the disk must not exit 0.
func WriteOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	w := stdout
	var f *os.File
	if path != "" {
		var err error
		if f, err = os.Create(path); err != nil {
			return Errorf("", "cannot write %s: %v", path, err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return Errorf("", "cannot write %s: %v", firstNonEmpty(path, "the output"), err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return Errorf("", "cannot write %s: %v", path, err)
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
