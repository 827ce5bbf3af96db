// Package cli holds what trowel's commands share: the documented exit codes, errors
// meant for the user, and the flags that say how to reach a target.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/trowel-dev/trowel/internal/remote"
)

// Exit codes, documented in README.md and every command's help.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the command ran and found failures or findings (where a command has them)
	ExitError    = 2 // usage error, or the evidence could not be collected or read
)

// Error is an error meant for the user: what happened and what to do next. It is
// printed as is, without the chain of wrapping that only helps a developer.
type Error struct {
	Msg  string
	Hint string
	Code int
}

func (e *Error) Error() string { return e.Msg }

// Errorf makes an Error with exit code 2.
func Errorf(hint, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Hint: hint, Code: ExitError}
}

// Report prints err for the user and returns the exit code to end with.
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
		if ue.Code != 0 {
			return ue.Code
		}
		return ExitError
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
		return ExitError
	}
	fmt.Fprintf(w, "trowel: %v\n", err)
	return ExitError
}
