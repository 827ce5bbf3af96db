package observe

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// Sampler runs the sample probe once on the target and returns its raw evidence.
type Sampler interface {
	Sample(ctx context.Context) ([]byte, error)
	Close() error
}

// Config is one observation.
type Config struct {
	Every    time.Duration
	For      time.Duration
	EveryArg string // the interval as the user wrote it, for Window.Every
	// SampleTimeout bounds one sample; 0 means the smaller of Every and two minutes.
	SampleTimeout time.Duration
	Progress      io.Writer
	Source        snapshot.Source
}

// Run samples until cfg.For has passed since the start or ctx ends (an interrupt),
// then merges every sample into base. What was taken is never lost: an interrupt
// only ends the sampling.
func Run(ctx context.Context, base *snapshot.Snapshot, s Sampler, cfg Config) {
	var samples []Sample
	timeout := cfg.SampleTimeout
	if timeout <= 0 {
		timeout = min(cfg.Every, 2*time.Minute)
	}
	deadline := time.Now().Add(cfg.For)
	t := time.NewTicker(cfg.Every)
	defer t.Stop()
	for n := 2; ; n++ {
		select {
		case <-ctx.Done():
			progress(cfg.Progress, "observation interrupted after %d samples; merging what was taken", n-1)
			Merge(base, samples, cfg.EveryArg)
			return
		case <-t.C:
		}
		if time.Now().After(deadline) {
			break
		}
		sctx, cancel := context.WithTimeout(ctx, timeout)
		smp := take(sctx, s, cfg.Source)
		cancel()
		if ctx.Err() != nil && smp.Err != nil {
			// The interrupt cut this sample short: it is not a failure of the host.
			continue
		}
		samples = append(samples, smp)
		if smp.Err != nil {
			progress(cfg.Progress, "sample %d failed: %v", n, smp.Err)
		} else {
			progress(cfg.Progress, "sample %d at %s: %d processes, %d listeners, %d connections",
				n, smp.At.Format(time.TimeOnly), len(smp.Snap.Processes), len(smp.Snap.Listeners), len(smp.Snap.Network.Connections))
		}
		if time.Now().Add(cfg.Every).After(deadline.Add(time.Second)) {
			break
		}
	}
	Merge(base, samples, cfg.EveryArg)
}

func take(ctx context.Context, s Sampler, src snapshot.Source) Sample {
	raw, err := s.Sample(ctx)
	if err != nil {
		return Sample{At: time.Now().UTC(), Err: err}
	}
	a, err := evidence.DecodeBytes(raw)
	if err != nil {
		return Sample{At: time.Now().UTC(), Err: err}
	}
	if !a.Complete {
		return Sample{At: time.Now().UTC(), Err: fmt.Errorf("the sample's evidence ended early")}
	}
	snap := survey.Run(a, src, nil)
	return Sample{At: snap.CollectedAt, Snap: snap}
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "trowel: "+format+"\n", args...)
	}
}

// Short writes a duration as people do: 5m, 1h30m, 2s.
func Short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
