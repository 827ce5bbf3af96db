// Package cli holds what trowel's commands share: the documented exit codes, the one
// path from an error to the exit code, the flags that say how to reach a target, and
// the loader that turns an argument into a snapshot.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/usererr"
)

// Exit codes, documented in README.md and every command's help.
const (
	ExitOK       = usererr.ExitOK
	ExitFindings = usererr.ExitFindings
	ExitError    = usererr.ExitError
)

// Error is an error meant for the user: what happened and what to do next. Packages
// below cli (the target parser, the snapshot reader) return the same type.
type Error = usererr.Error

// Errorf makes an Error with exit code 2.
func Errorf(hint, format string, args ...any) *Error { return usererr.Errorf(hint, format, args...) }

// Report prints err for the user and returns the exit code to end with: the code an
// Error or a remote.UserError carries, else 2.
func Report(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *Error
	var re *remote.UserError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(w, "trowel: %s\n", ue.Msg)
		if ue.Hint != "" {
			fmt.Fprintf(w, "  %s\n", ue.Hint)
		}
		return ue.ExitCode()
	case errors.As(err, &re):
		fmt.Fprintf(w, "trowel: %s\n", re.Msg)
		if re.Detail != "" {
			for _, l := range strings.Split(strings.TrimSpace(re.Detail), "\n") {
				fmt.Fprintf(w, "  | %s\n", l)
			}
		}
		if re.Hint != "" {
			fmt.Fprintf(w, "  %s\n", re.Hint)
		}
		return re.ExitCode()
	}
	fmt.Fprintf(w, "trowel: %v\n", err)
	return ExitError
}
