//go:build unix

package labtest

import (
	"os"
	"syscall"
	"time"
)

// whileNoLabOperation runs fn holding lab/lib.sh's lab lock shared: it waits
// while lab/up.sh holds it to rebuild a host (a test resetting `new`), and keeps
// such a rebuild from starting under fn. Tests of several packages run at once,
// and a host being rebuilt refuses connections.
func whileNoLabOperation(fn func() error) error {
	path := "/run/lock/trowel-lab.lock"
	if _, err := os.Stat("/run/lock"); err != nil {
		path = "/tmp/trowel-lab.lock"
	}
	f, err := os.Open(path)
	if err != nil {
		return fn() // no lab operation ever ran here
	}
	defer f.Close()
	// Bounded: a lock left held by a stuck script must not hang the tests; after
	// the wait fn runs anyway and fails or passes on its own.
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if err == nil {
			defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			break
		}
		if err != syscall.EWOULDBLOCK || time.Now().After(deadline) {
			break
		}
	}
	return fn()
}
