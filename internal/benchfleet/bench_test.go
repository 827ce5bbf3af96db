package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/store"
)

// BenchmarkSurveyFleet surveys 50 fake hosts (no probe delay) into a new SQLite
// store, in this process, through the path trowel survey -i takes: a CI-sized
// make bench-fleet. The fake hosts' own CPU counts here too; host/s and ns/host
// are per surveyed host. go test -bench SurveyFleet -cpuprofile cpu.out shows
// where an operator's CPU goes.
func BenchmarkSurveyFleet(b *testing.B) {
	const n = 50
	b.Setenv("SSH_AUTH_SOCK", "")
	root, err := moduleRoot()
	if err != nil {
		b.Fatal(err)
	}
	e, err := startFakeEstate(root, b.TempDir(), n, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	hosts := make([]cli.EstateHost, n)
	for i, s := range e.Hosts {
		hosts[i] = cli.EstateHost{Name: e.names[i], Target: "ssh://ops@" + s.Addr, Inventory: store.Inventory{Name: e.names[i], Group: "bench"}}
	}
	flags := cli.TargetFlags{Identity: []string{e.KeyFile}, KnownHosts: e.KnownHosts, SSHConfig: "none",
		ConnectTimeout: time.Minute, Timeout: 5 * time.Minute}
	ctx := context.Background()
	surveyed := 0
	for b.Loop() {
		sf := cli.StoreFlags{DSN: filepath.Join(b.TempDir(), "trowel.db")}
		sess := sf.Begin(io.Discard)
		rs := flags.SurveyEstate(ctx, sess, hosts, cli.EstateOptions{Parallel: fleet.DefaultParallel()})
		var err error
		sess.End(&err)
		if c := fleet.Count(rs); c.OK != n || err != nil {
			b.Fatalf("%+v, %v: %+v", c, err, rs)
		}
		surveyed += n
	}
	b.ReportMetric(float64(surveyed)/b.Elapsed().Seconds(), "hosts/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(surveyed), "ns/host")
}
