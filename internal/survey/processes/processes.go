// Package processes surveys what runs on the host: `ps`, or the probe's /proc walk
// where ps cannot print what trowel asks for (busybox).
//
// Two kinds of process are left out on purpose. Kernel threads belong to the kernel:
// nothing about them migrates, and a list of a hundred "[kworker/3:1]" hides the
// dozen daemons that matter. The survey's own processes (the footprint the self
// surveyor traced: the SSH session it came in by, sudo, the shells, the probe and
// everything it ran, ps included) are an artefact of looking, not part of the host.
// Both are counted in the coverage reason, so a reader knows the list is of
// user-space processes and that nothing was lost silently.
package processes

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// defaultClkTck is USER_HZ, the unit of /proc/PID/stat's starttime, when getconf is
// missing (busybox systems often lack it). It is 100 on every architecture Linux
// still ships for servers (x86, ARM, POWER, s390); only Alpha and IA-64 used 1024.
const defaultClkTck = 100

// Surveyor fills Processes and the processes coverage.
type Surveyor struct{}

// New returns the processes surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "processes" }

// Survey reads ps (or proc-ps), the clock and /etc/passwd.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionProcesses
	in.Snap.Processes = []snapshot.Process{}
	ps, pp := in.Cmd("ps"), in.Cmd("proc-ps")
	if in.Offline() || (ps.Status == evidence.StatusOffline && !kit.Usable(pp)) {
		in.Cover(sec, snapshot.Unavailable, "offline: nothing runs on a disk image", ps, pp)
		return
	}
	src := kit.FirstUsable(ps, pp)
	if src == nil {
		// Blame the fallback when it was tried: it is the last word on the matter.
		pick := pp
		switch pp.Status {
		case evidence.StatusMissing, evidence.StatusAbsent, evidence.StatusSkipped:
			pick = ps
		}
		st, _ := kit.StatusOf(pick)
		in.Cover(sec, st, kit.Explain(ps, pp), ps, pp)
		return
	}
	st, reason := kit.StatusOf(src)
	var notes []string
	if reason != "" {
		notes = append(notes, reason)
	}
	cited := []*evidence.Item{src}

	procs, perr := parse(src, ps)
	var started func(Proc) *time.Time
	if src == ps {
		var why string
		var used []*evidence.Item
		started, used, why = psClock(in)
		cited = append(cited, used...)
		if why != "" {
			notes = append(notes, "start times unknown: "+why)
		}
	} else {
		var used []*evidence.Item
		var why string
		started, used, why = procClock(in)
		cited = append(cited, used...)
		if why != "" {
			notes = append(notes, "start times unknown: "+why)
		}
	}
	if len(procs) == 0 {
		why := src.Source() + " printed no process"
		if perr != nil {
			why = src.Source() + " printed nothing this trowel can read: " + perr.Error()
		}
		in.Cover(sec, snapshot.Unavailable, why, src)
		return
	}
	if perr != nil {
		st = kit.WorseOf(st, snapshot.Partial)
		notes = append(notes, src.Source()+": "+perr.Error())
	}

	users := map[int]string{}
	if pw := in.File("/etc/passwd"); kit.Usable(pw) {
		users = ParsePasswd(pw.Text())
		cited = append(cited, pw)
	} else {
		notes = append(notes, "user names unknown: "+pw.Problem())
	}

	seen := map[int]bool{}
	for _, p := range procs {
		seen[p.PID] = true
	}
	if in.Archive.Header["uid"] != "0" && !seen[1] {
		st = kit.WorseOf(st, snapshot.Partial)
		notes = append(notes, "not root and process 1 is not visible: /proc is mounted with hidepid, so only the surveying user's processes are listed")
	}

	kernel := KernelThreads(procs)
	own := ownPIDs(in, procs, seen)
	id := in.Cite(src)
	nOwn := 0
	for _, p := range procs {
		if kernel[p.PID] {
			continue
		}
		if own[p.PID] {
			nOwn++
			continue
		}
		sp := snapshot.Process{
			PID:      p.PID,
			PPID:     p.PPID,
			UID:      snapshot.Int(p.UID),
			User:     users[p.UID],
			Started:  started(p),
			Command:  p.Command,
			Comm:     p.Comm,
			Evidence: id,
		}
		in.Snap.Processes = append(in.Snap.Processes, sp)
	}
	sort.Slice(in.Snap.Processes, func(i, j int) bool { return in.Snap.Processes[i].PID < in.Snap.Processes[j].PID })
	notes = append(notes, fmt.Sprintf("left out: %d kernel threads and %d processes of the survey itself (its login and the probe)", len(kernel), nOwn))
	in.Cover(sec, st, strings.Join(notes, "; "), cited...)
}

// ownPIDs are the survey's own processes: the footprint the self surveyor traced, or,
// where it could not (it failed), at least the probe's shell and what it ran.
func ownPIDs(in *kit.Input, procs []Proc, seen map[int]bool) map[int]bool {
	if ss := in.Snap.Source.Session; ss != nil && len(ss.PIDs) > 0 {
		own := map[int]bool{}
		for _, pid := range ss.PIDs {
			own[pid] = true
		}
		return own
	}
	if pid, err := strconv.Atoi(in.Archive.Header["pid"]); err == nil && pid > 0 && seen[pid] {
		return Descendants(procs, pid)
	}
	return nil
}

// List reads the process list the probe took: ps, else its /proc walk. It returns
// nil when neither can be read.
func List(in *kit.Input) ([]Proc, error) {
	ps, pp := in.Cmd("ps"), in.Cmd("proc-ps")
	src := kit.FirstUsable(ps, pp)
	if src == nil {
		return nil, nil
	}
	return parse(src, ps)
}

// parse reads src, which is ps or proc-ps, leaving out a last line the item's limit cut
// in the middle: its command line would be wrong.
func parse(src, ps *evidence.Item) ([]Proc, error) {
	text := src.Text()
	if src.Truncated || src.Status == evidence.StatusCut {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		} else {
			text = ""
		}
	}
	if src == ps {
		return ParsePS(text)
	}
	return ParseProcPS(text)
}

// psClock turns ps's lstart, a wall-clock reading in the target's local time, into
// UTC. The offset comes from the target's own `date +%z`. When the OS surveyor has named
// the zone (Asia/Tokyo) and this machine knows it with the same offset now, the zone is
// used instead, so a process started before a daylight-saving change is placed right;
// otherwise the fixed offset of survey time is used and such a process is off by the
// DST difference. Without any offset, start times stay unknown rather than guessed.
func psClock(in *kit.Input) (func(Proc) *time.Time, []*evidence.Item, string) {
	none := func(Proc) *time.Time { return nil }
	it := in.Cmd("date")
	if !kit.Usable(it) {
		return none, nil, "the target's UTC offset is unknown (" + it.Problem() + ")"
	}
	d, err := ParseDate(it.Text())
	if err != nil {
		return none, []*evidence.Item{it}, "the target's UTC offset is unknown (" + err.Error() + ")"
	}
	loc := time.FixedZone(d.Zone, d.Offset)
	if tz := in.Snap.OS.Timezone; tz != "" && d.Epoch > 0 {
		if l, err := time.LoadLocation(tz); err == nil {
			if _, off := time.Unix(d.Epoch, 0).In(l).Zone(); off == d.Offset {
				loc = l
			}
		}
	}
	return func(p Proc) *time.Time {
		if p.Wall.IsZero() {
			return nil
		}
		w := p.Wall
		t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc).UTC()
		return &t
	}, []*evidence.Item{it}, ""
}

// procClock places /proc starttimes: boot time plus ticks over CLK_TCK.
func procClock(in *kit.Input) (func(Proc) *time.Time, []*evidence.Item, string) {
	none := func(Proc) *time.Time { return nil }
	st := in.File("/proc/stat")
	if !kit.Usable(st) {
		return none, nil, "the boot time is unknown (" + st.Problem() + ")"
	}
	btime, err := ParseBtime(st.Text())
	if err != nil {
		return none, []*evidence.Item{st}, "the boot time is unknown (" + err.Error() + ")"
	}
	used := []*evidence.Item{st}
	hz := int64(defaultClkTck)
	if ck := in.Cmd("getconf-clk-tck"); kit.Usable(ck) {
		if v, err := ParseClkTck(ck.Text()); err == nil {
			hz = v
			used = append(used, ck)
		}
	}
	return func(p Proc) *time.Time {
		if p.Ticks < 0 {
			return nil
		}
		// Whole seconds, as ps prints them: sub-second precision here would only
		// make the two sources disagree.
		t := time.Unix(btime+p.Ticks/hz, 0).UTC()
		return &t
	}, used, ""
}
