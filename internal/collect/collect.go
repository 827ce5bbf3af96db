// Package collect brings evidence back from a host: over SSH, from this machine, from a
// mounted disk, or from a bundle a customer made by running the probe by hand. Every
// source yields the same evidence format, so everything after this package is the same
// whichever way the evidence came.
package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"

	"github.com/trowel-dev/trowel/internal/collect/ask"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Result is collected evidence and a description of where it came from.
type Result struct {
	// Raw is the evidence stream as received, with trowel's own source record
	// appended; it is what --keep-evidence writes and what a later survey re-reads.
	Raw     []byte
	Archive *evidence.Archive
	Source  snapshot.Source
	// Err is set when collection stopped early but some evidence arrived: the caller
	// keeps what arrived and reports the rest as not collected.
	Err error
}

// AskFunc asks the target's services once the probe is done. It gets what the probe
// found (to decide what to ask) and dial, which opens TCP connections from the
// target's side; it returns the evidence items to append to the archive (see
// internal/collect/ask).
type AskFunc func(ctx context.Context, a *evidence.Archive, src snapshot.Source, dial ask.Dialer) []*evidence.Item

// Local runs the probe on this machine with /bin/sh, exactly as it runs on a target.
func Local(ctx context.Context) (*Result, error) { return LocalAndAsk(ctx, nil, nil) }

// LocalAndAsk is Local followed by asking this machine's services, when then is set;
// early, when set, gets each item as soon as it has arrived, while the probe still runs.
func LocalAndAsk(ctx context.Context, then AskFunc, early func(*evidence.Item)) (*Result, error) {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-s", probe.HalvesArg)
	cmd.Stdin = bytes.NewReader(probe.Script())
	var out, stderr bytes.Buffer
	f := follower(early)
	// The probe runs in two halves at once, the second's records coming on its
	// standard error among whatever else is written there.
	m := merge(&out, f)
	cmd.Stdout = m.First()
	cmd.Stderr = m.Second(&limitedBuffer{max: 8 << 10, buf: &stderr})
	runErr := cmd.Run()
	m.Close() // into memory: no error to write
	if f != nil {
		// What it has not reached is left to the final decoding.
		f.Close()
	}
	src := snapshot.Source{Kind: "local", Target: "local"}
	if runErr != nil {
		runErr = fmt.Errorf("the probe failed on this machine: %v %s", runErr, strings.TrimSpace(stderr.String()))
	}
	res, err := finish(out.Bytes(), src, runErr)
	if err == nil && then != nil {
		var d net.Dialer
		res.append(then(ctx, res.Archive, res.Source, d.DialContext))
	}
	return res, err
}

// follower hands each item to early as soon as it has arrived (see
// evidence.Follower); nil when early is.
func follower(early func(*evidence.Item)) *evidence.Follower {
	if early == nil {
		return nil
	}
	return evidence.Follow(early)
}

// merge joins the two halves of the probe's evidence into out, in the order of a
// whole run, and hands f each item of either half as it arrives (see evidence.Merge).
func merge(out io.Writer, f *evidence.Follower) *evidence.Merge {
	if f == nil {
		return evidence.NewMerge(out, nil)
	}
	return evidence.NewMerge(out, f)
}

// Root reads the root filesystem of a mounted disk offline.
func Root(ctx context.Context, dir string) (*Result, error) {
	var out bytes.Buffer
	err := ReadRoot(ctx, dir, &out)
	if err != nil && out.Len() == 0 {
		return nil, fmt.Errorf("cannot read %s as a root filesystem: %w", dir, err)
	}
	return finish(out.Bytes(), snapshot.Source{Kind: "root", Target: dir}, err)
}

// Bundle reads evidence made earlier: a probe's output brought back by hand, or an
// archive kept with --keep-evidence, which remembers where it first came from.
func Bundle(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One read: the bytes decoded are the bytes kept, already uncompressed.
	a, raw, err := evidence.DecodeReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	src := snapshot.Source{Kind: "bundle", Target: path}
	if it, ok := a.Get(evidence.ID(evidence.KindMeta, "source")); ok {
		var kept snapshot.Source
		if json.Unmarshal(it.Data, &kept) == nil && kept.Kind != "" {
			src = kept
			src.Notes = append(src.Notes, "re-read from the evidence archive "+path)
		}
	}
	return &Result{Raw: raw, Archive: a, Source: src}, nil
}

// finish decodes a fresh stream and appends the source record to it. A collection
// error with evidence in hand is kept on the result, not returned: what arrived is
// worth more than the error.
func finish(raw []byte, src snapshot.Source, collectErr error) (*Result, error) {
	a, err := evidence.DecodeBytes(raw)
	if err != nil {
		if collectErr != nil {
			return nil, collectErr
		}
		return nil, err
	}
	if collectErr != nil {
		a.Complete = false
		src.Notes = append(src.Notes, "collection stopped early: "+collectErr.Error())
	}
	meta, _ := json.Marshal(src)
	var buf bytes.Buffer
	buf.Write(raw)
	evidence.ContinueWriter(&buf, a.Boundary).Item(&evidence.Item{
		Kind: evidence.KindMeta, Name: "source", Command: "trowel", Limit: -1, Status: evidence.StatusOK, Data: meta,
	})
	return &Result{Raw: buf.Bytes(), Archive: a, Source: src, Err: collectErr}, nil
}

// Stopped says why the evidence is incomplete, or nil when all of it arrived: the
// collection's error, or a stream that ends before its end marker (a probe stopped on
// the host, an evidence file cut short).
func (r *Result) Stopped() error {
	switch {
	case r.Err != nil:
		return r.Err
	case !r.Archive.Complete:
		return errors.New("the evidence stream ends before its end marker")
	}
	return nil
}

// append adds items after the stream's end, to the raw bytes kept and to the archive,
// so that a re-read of the kept archive finds them as this survey does.
func (r *Result) append(items []*evidence.Item) {
	if len(items) == 0 {
		return
	}
	var buf bytes.Buffer
	buf.Write(r.Raw)
	w := evidence.ContinueWriter(&buf, r.Archive.Boundary)
	for _, it := range items {
		w.Item(it)
		r.Archive.Add(it)
	}
	r.Raw = buf.Bytes()
}

// limitedBuffer keeps the first max bytes written and discards the rest, so a chatty
// failing command cannot fill memory.
type limitedBuffer struct {
	max int
	buf *bytes.Buffer
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		if len(p) > room {
			l.buf.Write(p[:room])
		} else {
			l.buf.Write(p)
		}
	}
	return len(p), nil
}

var _ io.Writer = (*limitedBuffer)(nil)
