package fleet

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Display shows the jobs in flight on a terminal: a line of counts (done, failed,
// in flight, waiting), then one line per host in flight with its phase and how
// long it has taken, redrawn in place; each host that fails is printed above it
// as it fails, so it stays on the screen. It writes nothing but escape sequences
// a terminal understands, and is meant for one only: on anything else, show no
// progress at all.
type Display struct {
	w     io.Writer
	total int
	width func() int
	now   func() time.Time

	mu       sync.Mutex
	inFlight map[string]*flight
	done     int
	failed   int
	drawn    int // lines of the live area on the screen
	paused   bool
	stop     chan struct{}
	stopped  chan struct{}
}

type flight struct {
	phase string
	since time.Time
}

// NewDisplay starts a display of total jobs on w, redrawn as jobs start, change
// phase and end, and every interval for the times; width gives the terminal's
// width (nil or 0: 80 columns).
func NewDisplay(w io.Writer, total int, interval time.Duration, width func() int) *Display {
	if width == nil {
		width = func() int { return 80 }
	}
	d := &Display{w: w, total: total, width: width, now: time.Now, inFlight: map[string]*flight{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	go d.loop(interval)
	return d
}

func (d *Display) loop(interval time.Duration) {
	defer close(d.stopped)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			d.mu.Lock()
			d.redraw()
			d.mu.Unlock()
		}
	}
}

func (d *Display) Start(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inFlight[name] = &flight{phase: "starting", since: d.now()}
	d.redraw()
}

func (d *Display) Phase(name, phase string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f, ok := d.inFlight[name]; ok {
		f.phase = phase
		d.redraw()
	}
}

func (d *Display) Done(r Result) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inFlight, r.Name)
	d.done++
	if r.Status != OK {
		d.failed++
		d.clear()
		fmt.Fprintln(d.w, d.fit(fmt.Sprintf("%s %s: %s", mark(r.Status), r.Name, r.Problem)))
	}
	d.redraw()
}

// Pause clears the live area and stops redrawing it, so that something else may
// use the terminal (a password prompt); Resume draws it again.
func (d *Display) Pause() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clear()
	d.paused = true
}

// Resume ends a Pause.
func (d *Display) Resume() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.paused = false
	d.redraw()
}

// Close stops redrawing and takes the live area off the screen: the summary
// follows in its place.
func (d *Display) Close() {
	close(d.stop)
	<-d.stopped
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clear()
	d.paused = true
}

func mark(s Status) string {
	if s == Partial {
		return "!"
	}
	return "✗"
}

// clear erases the live area: up to its first line, then each line.
func (d *Display) clear() {
	if d.drawn == 0 {
		return
	}
	fmt.Fprintf(d.w, "\r\x1b[%dA\x1b[J", d.drawn)
	d.drawn = 0
}

func (d *Display) redraw() {
	if d.paused {
		return
	}
	d.clear()
	names := make([]string, 0, len(d.inFlight))
	for n := range d.inFlight {
		names = append(names, n)
	}
	// The longest-running first: those are the ones to worry about.
	sort.Slice(names, func(i, j int) bool {
		a, b := d.inFlight[names[i]], d.inFlight[names[j]]
		if !a.since.Equal(b.since) {
			return a.since.Before(b.since)
		}
		return names[i] < names[j]
	})
	waiting := d.total - d.done - len(names)
	lines := []string{fmt.Sprintf("surveying %d hosts: %d done (%d failed), %d in flight, %d waiting", d.total, d.done, d.failed, len(names), waiting)}
	width := 0
	for _, n := range names {
		width = max(width, utf8.RuneCountInString(n))
	}
	for _, n := range names {
		f := d.inFlight[n]
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(n))
		lines = append(lines, fmt.Sprintf("  %s%s  %s %s", n, pad, f.phase, d.now().Sub(f.since).Truncate(time.Second)))
	}
	for _, l := range lines {
		fmt.Fprintln(d.w, d.fit(l))
	}
	d.drawn = len(lines)
}

// fit cuts a line to the terminal's width, so that no line wraps and the live
// area's height stays what was drawn.
func (d *Display) fit(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	w := d.width()
	if w <= 0 { // a terminal that does not say
		w = 80
	}
	w = max(w-1, 20) // the last column would wrap on some terminals
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	r := []rune(s)
	return string(r[:w-1]) + "…"
}
