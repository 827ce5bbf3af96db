package processes

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Proc is one line of process evidence, before it is placed in time or tied to a user.
type Proc struct {
	PID, PPID int
	UID       int
	// Command is the full command line; "[comm]" for a process without one (kernel
	// threads, zombies), as ps shows it.
	Command string
	// Comm is the short process name.
	Comm string
	// Wall is ps's lstart: a wall-clock reading in the target's local time, so its
	// zone is meaningless until the caller applies the target's offset. Zero when ps
	// printed no start time this parser understands.
	Wall time.Time
	// Ticks is /proc/PID/stat's starttime (clock ticks after boot), from proc-ps;
	// -1 when unknown.
	Ticks int64
}

// lstartLayout is procps's lstart: ctime(3) cut to 24 characters, "Mon Nov 20 10:00:00
// 2026", always in English because ctime ignores the locale. The parser joins tokens
// with single spaces, so a space-padded day ("Jun  5") reads with the unpadded "2".
const lstartLayout = "Mon Jan 2 15:04:05 2006"

var (
	clockRe = regexp.MustCompile(`^\d{1,2}:\d\d:\d\d$`)
	yearRe  = regexp.MustCompile(`^\d{4}$`)
)

// ParsePS reads `ps -eo pid=,ppid=,uid=,lstart=,args=`: no header, three numbers, the
// 24-character start time and the command line. procps-ng 4 formats lstart with
// strftime, so under a non-C locale the day and month names are not English: such a
// line is still read (the command starts after the "HH:MM:SS YYYY" pair) with Wall left
// zero, because a start time read wrongly is worse than none.
func ParsePS(text string) ([]Proc, error) {
	var out []Proc
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := kit.FieldsN(line, 14)
		if len(f) < 3 {
			pe.Add(n+1, "too few columns")
			continue
		}
		pid, err1 := strconv.Atoi(f[0].Text)
		ppid, err2 := strconv.Atoi(f[1].Text)
		uid, err3 := strconv.Atoi(f[2].Text)
		if err1 != nil || err2 != nil || err3 != nil || pid <= 0 || ppid < 0 || uid < 0 {
			if n == 0 && strings.Contains(strings.ToUpper(line), "PID") {
				continue // a header from a ps that ignored "=": not data, not damage
			}
			pe.Add(n+1, "pid, ppid and uid are not numbers")
			continue
		}
		p := Proc{PID: pid, PPID: ppid, UID: uid, Ticks: -1}
		// Find the end of lstart: the clock and the year, normally fields 6 and 7.
		end := -1
		for i := 3; i+1 < len(f); i++ {
			if clockRe.MatchString(f[i].Text) && yearRe.MatchString(f[i+1].Text) {
				end = i + 1
				break
			}
		}
		if end < 0 {
			pe.Add(n+1, "no start time (HH:MM:SS YYYY) after the uid")
			continue
		}
		if end == 7 {
			stamp := f[3].Text + " " + f[4].Text + " " + f[5].Text + " " + f[6].Text + " " + f[7].Text
			if t, err := time.Parse(lstartLayout, stamp); err == nil {
				p.Wall = t
			}
		}
		if end+1 >= len(f) {
			pe.Add(n+1, "no command")
			continue
		}
		args := strings.TrimRight(line[f[end+1].Off:], " \t")
		p.Command = args
		p.Comm = commOf(args)
		out = append(out, p)
	}
	return out, pe.Err()
}

// commOf is the short name ps's args column implies: the base name of argv[0]. Daemons
// that rewrite their title ("sshd: root@pts/0", "nginx: master process ...",
// "postgres: writer") leave a trailing colon, and login shells a leading dash; both are
// dropped because no real program is named that way. A bracketed name ("[kthreadd]",
// "[sh] <defunct>") is a process without a command line: its name is inside.
func commOf(args string) string {
	if strings.HasPrefix(args, "[") {
		if i := strings.IndexByte(args, ']'); i > 1 {
			return args[1:i]
		}
	}
	argv0 := args
	if i := strings.IndexAny(argv0, " \t"); i >= 0 {
		argv0 = argv0[:i]
	}
	base := path.Base(argv0)
	if base == "/" || base == "." {
		base = argv0
	}
	base = strings.TrimSuffix(base, ":")
	if len(base) > 1 {
		base = strings.TrimPrefix(base, "-")
	}
	return base
}

// ParseProcPS reads what the probe's _procps prints when ps is unusable (busybox): per
// process "pid\tppid\tuid\tstarttime\tcomm\targs", starttime being field 22 of
// /proc/PID/stat and args /proc/PID/cmdline with NULs made spaces (empty for kernel
// threads and zombies, shown then as "[comm]" as ps does).
func ParseProcPS(text string) ([]Proc, error) {
	var out []Proc
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		c := strings.SplitN(line, "\t", 6)
		if len(c) < 5 {
			pe.Add(n+1, "fewer than 5 tab-separated columns")
			continue
		}
		pid, err1 := strconv.Atoi(strings.TrimSpace(c[0]))
		ppid, err2 := strconv.Atoi(strings.TrimSpace(c[1]))
		uid, err3 := strconv.Atoi(strings.TrimSpace(c[2]))
		if err1 != nil || err2 != nil || err3 != nil || pid <= 0 || ppid < 0 || uid < 0 {
			pe.Add(n+1, "pid, ppid and uid are not numbers")
			continue
		}
		p := Proc{PID: pid, PPID: ppid, UID: uid, Ticks: -1, Comm: c[4]}
		if t, err := strconv.ParseInt(strings.TrimSpace(c[3]), 10, 64); err == nil && t >= 0 {
			p.Ticks = t
		}
		args := ""
		if len(c) == 6 {
			args = strings.TrimSpace(c[5])
		}
		if args == "" {
			if p.Comm == "" {
				pe.Add(n+1, "neither a name nor a command")
				continue
			}
			args = "[" + p.Comm + "]"
		}
		if p.Comm == "" {
			p.Comm = commOf(args)
		}
		p.Command = args
		out = append(out, p)
	}
	return out, pe.Err()
}

// KernelThreads returns the PIDs of kernel threads. A kernel thread has no command
// line, so ps shows its name in brackets; a zombie has none either, but ps marks it
// "<defunct>". Since Linux 2.6.22 every kernel thread is kthreadd (PID 2) or its child;
// on older kernels (CentOS 5) they hang off init or off the "kthread" thread. So: a
// bracketed process whose parent is the kernel (0), init, or another kernel thread.
// PID 2 alone proves nothing, because inside a container PID 2 is an ordinary process.
// Where kthreadd exists, a bracketed process that is not its child is not a kernel
// thread: it is a program that renamed itself to look like one, which a migration must
// see.
func KernelThreads(procs []Proc) map[int]bool {
	byPID := make(map[int]*Proc, len(procs))
	for i := range procs {
		byPID[procs[i].PID] = &procs[i]
	}
	out := map[int]bool{}
	if k := byPID[2]; k != nil && k.PPID == 0 && k.Command == "[kthreadd]" {
		for _, p := range procs {
			if p.PID == 2 || (p.PPID == 2 && bracketed(p.Command)) {
				out[p.PID] = true
			}
		}
		return out
	}
	state := map[int]int8{} // 0 unknown, 1 in progress, 2 done
	var visit func(pid int) bool
	visit = func(pid int) bool {
		p := byPID[pid]
		if p == nil {
			return false
		}
		switch state[pid] {
		case 1:
			return false // a parent cycle in damaged input
		case 2:
			return out[pid]
		}
		state[pid] = 1
		k := bracketed(p.Command) && (p.PPID == 0 || p.PPID == 1 || visit(p.PPID))
		state[pid] = 2
		if k {
			out[pid] = true
		}
		return k
	}
	for _, p := range procs {
		visit(p.PID)
	}
	return out
}

func bracketed(c string) bool {
	return len(c) > 2 && c[0] == '[' && c[len(c)-1] == ']' && !strings.ContainsAny(c[1:len(c)-1], "[]")
}

// Descendants returns pid and every process below it.
func Descendants(procs []Proc, pid int) map[int]bool {
	children := map[int][]int{}
	for _, p := range procs {
		if p.PID != p.PPID {
			children[p.PPID] = append(children[p.PPID], p.PID)
		}
	}
	out := map[int]bool{pid: true}
	queue := []int{pid}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, c := range children[cur] {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out
}

// DateInfo is the probe's `date +%s; date +%z; date +%Z`.
type DateInfo struct {
	Epoch  int64
	Offset int // seconds east of UTC
	Zone   string
}

var offsetRe = regexp.MustCompile(`^([+-])(\d\d):?(\d\d)$`)

// ParseDate reads the date item. The offset is what matters; an item without a valid
// one is an error, so the caller keeps start times unknown instead of guessing UTC.
func ParseDate(text string) (DateInfo, error) {
	var d DateInfo
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(text, "\r", "")), "\n")
	if len(lines) < 2 {
		return d, errors.New("date printed fewer than 2 lines")
	}
	if e, err := strconv.ParseInt(strings.TrimSpace(lines[0]), 10, 64); err == nil {
		d.Epoch = e
	}
	m := offsetRe.FindStringSubmatch(strings.TrimSpace(lines[1]))
	if m == nil {
		return d, fmt.Errorf("date +%%z printed %q, not a UTC offset", truncate(strings.TrimSpace(lines[1]), 40))
	}
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	if h > 14 || mi > 59 {
		return d, fmt.Errorf("UTC offset %q is out of range", m[0])
	}
	d.Offset = h*3600 + mi*60
	if m[1] == "-" {
		d.Offset = -d.Offset
	}
	if len(lines) > 2 {
		d.Zone = strings.TrimSpace(lines[2])
	}
	return d, nil
}

// ParseBtime returns the boot time (seconds since the epoch) from /proc/stat.
func ParseBtime(text string) (int64, error) {
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "btime" {
			v, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("btime %q is not a time", truncate(f[1], 40))
			}
			return v, nil
		}
	}
	return 0, errors.New("/proc/stat has no btime line")
}

// ParseClkTck reads `getconf CLK_TCK`.
func ParseClkTck(text string) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("getconf CLK_TCK printed %q", truncate(strings.TrimSpace(text), 40))
	}
	return v, nil
}

// ParsePasswd maps uid to account name. The first entry of a uid wins, as getpwuid(3)
// answers from the first matching line.
func ParsePasswd(text string) map[int]string {
	out := map[int]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "+") || strings.HasPrefix(line, "-") {
			continue // NIS compat lines name no local account
		}
		f := strings.Split(line, ":")
		if len(f) < 3 || f[0] == "" {
			continue
		}
		uid, err := strconv.Atoi(f[2])
		if err != nil || uid < 0 {
			continue
		}
		if _, ok := out[uid]; !ok {
			out[uid] = f[0]
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
