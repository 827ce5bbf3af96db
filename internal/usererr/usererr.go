// Package usererr is the error meant for the person running trowel: what happened,
// what to do next, and the exit code to end with. Any package may return one; the
// CLI prints it as it is, without the chain of wrapping that only helps a developer.
package usererr

import (
	"errors"
	"fmt"
	"io/fs"
)

// Exit codes, documented in README.md and every command's help.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the command ran and found failures or findings (where a command has them)
	ExitError    = 2 // usage error, or the evidence could not be collected or read
)

// Error is an error meant for the user.
type Error struct {
	Msg  string
	Hint string // what to do next; may be empty
	Code int    // the exit code; 0 means ExitError
}

func (e *Error) Error() string { return e.Msg }

// ExitCode is the code trowel ends with when this error ends it.
func (e *Error) ExitCode() int {
	if e.Code == 0 {
		return ExitError
	}
	return e.Code
}

// Errorf makes an Error with exit code 2.
func Errorf(hint, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Hint: hint, Code: ExitError}
}

// CannotRead is the error for a file that could not be opened or read. The path an
// *fs.PathError repeats is left out: the message names the file already.
func CannotRead(name string, err error, hint string) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return Errorf(hint, "cannot read %s: %v", name, err)
}
