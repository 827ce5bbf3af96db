package evidence

import (
	"bytes"
	"sync"
)

// Follower is a writer that decodes a stream while it is still being written and
// hands each item, once its end record has arrived, to a function of the caller's on
// a goroutine of its own: work on the first items (masking secrets, the costliest
// part of a survey on this side) then overlaps the probe still running on the host,
// instead of waiting for its end. Write never waits for that work, so the stream is
// read as fast as it comes. What is handed over is for early work only: the stream
// as a whole is still decoded at the end, as before.
type Follower struct {
	each func(*Item)
	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	mu  sync.Mutex
	buf []byte
}

// Follow starts a Follower that calls each for every complete item written to it,
// in stream order, until Close.
func Follow(each func(*Item)) *Follower {
	f := &Follower{each: each, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

// Write keeps p and wakes the follower.
func (f *Follower) Write(p []byte) (int, error) {
	f.mu.Lock()
	f.buf = append(f.buf, p...)
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
	return len(p), nil
}

// Close stops the follower once the item it is working on, if any, is done, and
// returns at once: items not handed over yet are left to the caller's decoding.
func (f *Follower) Close() { close(f.quit) }

// Wait waits until the follower has stopped (for tests).
func (f *Follower) Wait() { <-f.done }

func (f *Follower) run() {
	defer close(f.done)
	// Work that fails here is only early: the follower stops, and the caller's own
	// pass over the whole stream meets the failure where it can recover from it (a
	// fleet fails the one host). A panic on this goroutine would end the process.
	defer func() { _ = recover() }()
	var header, begin []byte
	next := 0 // offset in buf of the first item not handed over
	for {
		select {
		case <-f.quit:
			return
		case <-f.wake:
		}
		f.mu.Lock()
		// The bytes written so far never change: appends go past them or to a copy,
		// and only this goroutine cuts the front off.
		buf := f.buf
		f.mu.Unlock()
		if header == nil {
			start := findMagic(buf)
			if start < 0 {
				continue
			}
			nl := bytes.IndexByte(buf[start:], '\n')
			if nl < 0 {
				continue
			}
			header = bytes.Clone(buf[start : start+nl+1])
			fields := bytes.Fields(header)
			if len(fields) != 2 {
				return // DecodeBytes will say what is wrong with it
			}
			begin = []byte("\n" + string(fields[1]) + " B ")
			next = start + nl
		}
		// Every item before the last begin record has ended (or never will).
		last := bytes.LastIndex(buf[next:], begin)
		if last <= 0 {
			continue
		}
		chunk := make([]byte, 0, len(header)+last)
		chunk = append(append(chunk, header...), buf[next:next+last]...)
		// What is handed over is let go: the follower keeps only the stream's tail,
		// not a second copy of all of it beside the caller's.
		f.mu.Lock()
		f.buf = f.buf[next+last:]
		f.mu.Unlock()
		next = 0
		a, err := DecodeBytes(chunk)
		if err != nil {
			continue
		}
		for _, it := range a.Items {
			select {
			case <-f.quit:
				return
			default:
			}
			f.each(it)
		}
	}
}
