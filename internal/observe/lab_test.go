package observe

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/labtest/labsurvey"
	"github.com/trowel-dev/trowel/internal/survey"
)

// transient starts a harmless `sleep` on the host just before the first sample
// and waits for it to end before returning, so exactly one sample sees it.
type transient struct {
	Sampler
	lab  *labtest.Lab
	t    *testing.T
	once sync.Once
}

func (s *transient) Sample(ctx context.Context) ([]byte, error) {
	var raw []byte
	var err error
	ran := false
	s.once.Do(func() {
		ran = true
		cmd := s.lab.Command(ctx, "legacy", "root", "exec sleep 0.77")
		if e := cmd.Start(); e != nil {
			s.t.Fatalf("start sleep on legacy: %v", e)
		}
		time.Sleep(300 * time.Millisecond)
		raw, err = s.Sampler.Sample(ctx)
		_ = cmd.Wait()
	})
	if ran {
		return raw, err
	}
	return s.Sampler.Sample(ctx)
}

func TestObserveLegacy(t *testing.T) {
	lab := labtest.Require(t)
	o := labsurvey.RootOptions(lab, "legacy")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	res, err := labsurvey.Survey(ctx, lab, "legacy")
	if err == nil {
		err = res.Err
	}
	if err != nil {
		t.Fatalf("full survey: %v", err)
	}
	base := survey.Run(res.Archive, res.Source, res.Raw)
	ssh := &SSH{Options: o}
	defer ssh.Close()
	var progress strings.Builder
	Run(ctx, base, &transient{Sampler: ssh, lab: lab, t: t}, Config{
		Every: time.Second, For: 2500 * time.Millisecond, EveryArg: "1s", Progress: &progress, Source: res.Source,
	})
	t.Log(progress.String())
	w := base.Window
	if w == nil || w.Samples != 3 || w.Failed != 0 || w.Every != "1s" {
		t.Fatalf("window %+v", w)
	}
	var sleeper int
	for _, p := range base.Processes {
		if p.Command == "sleep 0.77" {
			sleeper++
			if p.Samples != 1 || !p.FirstSeen.Equal(*p.LastSeen) || p.FirstSeen.Equal(w.Start) {
				t.Errorf("the sleep was in the first sample only: %+v first %v last %v", p, p.FirstSeen, p.LastSeen)
			}
		}
	}
	if sleeper != 1 {
		t.Errorf("the transient sleep is not kept once (%d)", sleeper)
	}
	var logship bool
	for _, c := range base.Network.Connections {
		if c.RemoteAddress == "10.231.0.40" && c.RemotePort == 24224 {
			logship = true
			if c.Samples != 3 {
				t.Errorf("logship connection in %d of 3 samples", c.Samples)
			}
		}
	}
	if !logship {
		if _, ok := base.Coverage["connections"]; !ok || len(base.Network.Connections) == 0 {
			t.Skip("no connections surveyor registered yet: the logship check waits for it")
		}
		t.Errorf("no logship → 10.231.0.40:24224 connection in %+v", base.Network.Connections)
	}
}
