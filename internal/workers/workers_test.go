package workers

import (
	"runtime"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 3, 1000} {
			seen := make([]int, n)
			Each(n, func(i int) { seen[i]++ })
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("GOMAXPROCS %d, n %d: index %d called %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// A panic in one piece reaches the caller, whose recover sees it, on one core or
// many.
func TestEachRaisesAPanicInTheCaller(t *testing.T) {
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		got := func() (v any) {
			defer func() { v = recover() }()
			Each(100, func(i int) {
				if i == 37 {
					panic("piece 37")
				}
			})
			return nil
		}()
		runtime.GOMAXPROCS(old)
		if got != "piece 37" {
			t.Errorf("GOMAXPROCS %d: the caller recovered %v", procs, got)
		}
	}
}
