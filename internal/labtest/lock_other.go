//go:build !unix

package labtest

// whileNoLabOperation: the lab runs on Linux only; elsewhere there is nothing to wait for.
func whileNoLabOperation(fn func() error) error { return fn() }
