// Package workers runs independent pieces of work on every core. It imports no
// pipeline stage.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls do(i) for every i in [0, n), on up to GOMAXPROCS goroutines, and returns
// when all have returned. do must touch only what belongs to its i: callers keep
// results in a slice indexed by i, so the outcome is the same as a loop's.
//
// A panic in do is raised again in the caller's goroutine once the others are done,
// as a loop would raise it: a caller that recovers from a failure (a fleet failing
// one host, not the run) still can. Elsewhere it would end the whole process.
func Each(n int, do func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			do(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed sync.Once
	var failure any
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					failed.Do(func() { failure = v })
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
}
