package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/fleet/sshfake"
)

// recording is the evidence every fake host replays, each under its own name:
// a CentOS 5 host recorded by the probe (internal/store/testdata/SOURCES.md).
const recording = "internal/store/testdata/centos5.evidence.gz"

// fakeEstate is many fake SSH hosts on loopback addresses of their own, each
// answering the probe with the recording under its own host name after a delay of
// its own, as a real host's probe takes its time.
type fakeEstate struct {
	*sshfake.Estate
	names []string // bench-0001 ..., in the order of Hosts
}

// startFakeEstate starts n hosts in dir, bench-0001 on 127.1.0.1 and so on, with
// delays drawn evenly from [minDelay, maxDelay] (the same for every run: the
// draw is seeded).
func startFakeEstate(root, dir string, n int, minDelay, maxDelay time.Duration) (*fakeEstate, error) {
	if err := checkLoopback(); err != nil {
		return nil, err
	}
	recorded, err := os.ReadFile(filepath.Join(root, recording))
	if err != nil {
		return nil, err
	}
	probeOutput, err := sshfake.ProbeOutput(recorded)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	e, err := sshfake.NewEstate(dir)
	if err != nil {
		return nil, err
	}
	f := &fakeEstate{Estate: e}
	rng := rand.New(rand.NewPCG(16, uint64(n)))
	type host struct {
		name  string
		delay time.Duration
		ip    string
	}
	hosts := make([]host, n)
	for i := range hosts {
		delay := minDelay
		if maxDelay > minDelay {
			delay += time.Duration(rng.Int64N(int64(maxDelay - minDelay)))
		}
		hosts[i] = host{name: fmt.Sprintf("bench-%04d", i+1), delay: delay, ip: loopbackAddr(i)}
	}
	// Renaming decodes and rewrites the recording: spread over the CPUs.
	evidences := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, h := range hosts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			evidences[i], errs[i] = distinct(probeOutput, h.name, i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		e.Close()
		return nil, err
	}
	for i, h := range hosts {
		if _, err := e.Add(sshfake.Config{Evidence: evidences[i], Delay: h.delay, IP: h.ip}, false); err != nil {
			e.Close()
			return nil, fmt.Errorf("starting %s on %s: %w", h.name, h.ip, err)
		}
		f.names = append(f.names, h.name)
	}
	return f, nil
}

// distinct is the recording as host name's own: its host name, and a crontab
// line of its own, so that no two snapshots are alike.
func distinct(probeOutput []byte, name string, i int) ([]byte, error) {
	return sshfake.Edit(probeOutput, func(a *evidence.Archive) {
		sshfake.SetFile(a, "/etc/hostname", name+"\n")
		crontab := ""
		if it, ok := a.File("/etc/crontab"); ok {
			crontab = string(it.Data)
		}
		sshfake.SetFile(a, "/etc/crontab", crontab+fmt.Sprintf("%d %d * * * root /usr/local/bin/report-%s\n", i%60, i%24, name))
	})
}

// loopbackAddr is the ith host's address: 127.1.0.1, 127.1.0.2 ... 127.1.0.250,
// 127.1.1.1 ...
func loopbackAddr(i int) string { return fmt.Sprintf("127.1.%d.%d", i/250, i%250+1) }

// checkLoopback makes sure this kernel lets a process listen on any address of
// 127.0.0.0/8, as Linux does (its loopback route covers the whole block).
func checkLoopback() error {
	ln, err := net.Listen("tcp", net.JoinHostPort(loopbackAddr(999), "0"))
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%v): the fake hosts need the whole of 127.0.0.0/8 on the loopback interface, as Linux routes it", loopbackAddr(999), err)
	}
	return ln.Close()
}

// inventoryLines are the fake hosts as lines of an INI inventory's group.
func (f *fakeEstate) inventoryLines() string {
	var b strings.Builder
	for i, s := range f.Hosts {
		fmt.Fprintf(&b, "%s ansible_host=%s ansible_port=%d\n", f.names[i], s.Host(), s.Port())
	}
	return b.String()
}
