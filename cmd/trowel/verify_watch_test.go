package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/verify"
)

// A round whose survey stopped early (the deadline fell inside it) reads what it
// missed as skipped; it must not replace the complete round before it, whose
// failure still stands.
func TestWatchKeepsTheLastCompleteRound(t *testing.T) {
	complete := verify.Result{Target: "new", Fail: 1, Pass: 3}
	cut := verify.Result{Target: "new", Pass: 1, Skip: 3}
	rounds := 0
	check := func(ctx context.Context) (verify.Result, error) {
		rounds++
		if rounds == 1 {
			return complete, nil
		}
		<-ctx.Done()
		return cut, errors.New("collection stopped: context deadline exceeded")
	}
	var out bytes.Buffer
	res, err := watchLoop(context.Background(), check, time.Millisecond, 200*time.Millisecond, &out)
	if err != nil || res.Fail != 1 || res.Skip != 0 {
		t.Errorf("the cut round replaced the complete one: %+v, %v\n%s", res, err, out.String())
	}
	if !strings.Contains(out.String(), "round 1's result stands") || !strings.Contains(out.String(), "deadline reached") {
		t.Errorf("output:\n%s", out.String())
	}
}
