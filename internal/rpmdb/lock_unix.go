//go:build unix

package rpmdb

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockShared takes a shared lock on an NDB database without waiting: rpm holds an
// exclusive one while it writes, and a disk being surveyed should have no rpm running.
func lockShared(f *os.File) (func(), error) {
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("the database is locked by a running rpm")
		}
		return nil, fmt.Errorf("locking the database: %w", err)
	}
	return func() { _ = syscall.Flock(fd, syscall.LOCK_UN) }, nil
}
