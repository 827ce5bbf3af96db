package cron

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/timekeeping"
)

// Surveyor fills CronJobs and the cron coverage. It runs after the time surveyor,
// whose zone, crond TZ and stale daemons decide the zone each job fires in.
type Surveyor struct{}

// New returns the cron surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "cron" }

const nextRuns = 5

type survey struct {
	in      *kit.Input
	debian  bool
	zone    string // the zone cron fires in, "" when unknown (stale crond)
	calc    *time.Location
	note    string
	from    time.Time
	execs   map[string]bool // path -> executable (run-parts files)
	scripts map[string]bool
	jobs    []snapshot.CronJob
	cited   []*evidence.Item
	gaps    []string
	denied  bool
}

// Survey reads every source of scheduled work.
func (Surveyor) Survey(in *kit.Input) {
	s := &survey{in: in, from: in.Snap.CollectedAt, execs: map[string]bool{}, scripts: map[string]bool{}}
	s.debian = in.Snap.OS.Family == "debian" || in.Snap.OS.PackageManager == "dpkg"
	s.decideZone()
	s.readExec()

	sys := map[string][]Entry{}
	if it := in.File("/etc/crontab"); s.usable(it, false) {
		sys["/etc/crontab"] = s.crontab(it, "crontab", true, "")
	}
	if it := in.List("/etc/cron.d"); s.usable(it, false) {
		entries, _ := kit.ParseListing(it.Text())
		for _, e := range entries {
			// Hidden files are skipped by every cron (and by the probe's glob).
			if e.Type != 'f' && e.Type != 'l' || strings.HasPrefix(e.Name, ".") {
				continue
			}
			p := "/etc/cron.d/" + e.Name
			f := in.File(p)
			if !s.usable(f, true) {
				continue
			}
			runs, why := RunPartsRuns(e.Name, s.debian)
			start := len(s.jobs)
			sys[p] = s.crontab(f, "cron.d", true, "")
			if !runs {
				for i := start; i < len(s.jobs); i++ {
					s.jobs[i].Disabled = true
					s.jobs[i].Note = "cron never reads this file: " + why
				}
			}
		}
	}
	s.spools()
	anac := s.anacron()
	s.periodic(sys, anac)
	s.timers()
	s.atq()

	sort.SliceStable(s.jobs, func(i, j int) bool {
		a, b := s.jobs[i], s.jobs[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Line < b.Line
	})
	in.Snap.CronJobs = append(in.Snap.CronJobs, s.jobs...)
	switch {
	case len(s.gaps) > 0 && len(s.cited) == 0:
		st := snapshot.Unavailable
		if s.denied {
			st = snapshot.Denied
		}
		in.Cover(snapshot.SectionCron, st, strings.Join(s.gaps, "; "))
	case len(s.gaps) > 0:
		in.Cover(snapshot.SectionCron, snapshot.Partial, strings.Join(s.gaps, "; "), s.cited...)
	default:
		in.Cover(snapshot.SectionCron, snapshot.Collected, "", s.cited...)
	}
}

// usable cites a readable item; an item that exists but could not be read is a gap
// (a denied spool is never "no jobs"); an absent one is simply not there.
func (s *survey) usable(it *evidence.Item, mustExist bool) bool {
	if kit.Usable(it) {
		s.cited = append(s.cited, it)
		if st, why := kit.StatusOf(it); st != snapshot.Collected {
			s.gaps = append(s.gaps, why)
		}
		return true
	}
	switch it.Status {
	case evidence.StatusAbsent:
		if mustExist {
			s.gaps = append(s.gaps, it.Problem())
		}
		return false
	case evidence.StatusDenied:
		s.denied = true
	}
	if it.Status != evidence.StatusAbsent {
		s.gaps = append(s.gaps, it.Problem())
	}
	return false
}

// decideZone applies: crond's TZ over the configured zone, and no zone at all when
// crond started before the last zone change.
func (s *survey) decideZone() {
	t := s.in.Snap.Time
	s.zone = t.Zone
	if t.CronTZ != "" {
		if z := timekeeping.ZoneOfTZ(t.CronTZ); z != "" {
			s.zone = z
			s.note = fmt.Sprintf("TZ=%s in crond's environment overrides the configured zone %s", t.CronTZ, t.Zone)
		}
	}
	calc := s.zone
	for _, d := range t.StaleDaemons {
		if !distro.IsCronDaemon(d.Command) || d.Zone != "" {
			continue
		}
		changed := "?"
		if t.LocaltimeChanged != nil {
			changed = t.LocaltimeChanged.UTC().Format(time.RFC3339)
		}
		s.note = fmt.Sprintf("crond (pid %d) started at %s, before the zone changed to %s at %s; it still runs in the zone of its start, which the host does not record: restart crond. The next runs are given in %s, valid after the restart",
			d.PID, d.Started.UTC().Format(time.RFC3339), t.Zone, changed, t.Zone)
		s.zone = ""
		break
	}
	if calc != "" {
		if l, err := time.LoadLocation(calc); err == nil {
			s.calc = l
		}
	}
}

func (s *survey) readExec() {
	it := s.in.Cmd("cron-exec")
	if !kit.Usable(it) {
		return
	}
	for _, line := range strings.Split(it.Text(), "\n") {
		flag, p, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		switch flag {
		case "x":
			s.execs[p] = true
		case "-":
			s.execs[p] = false
		case "p":
			s.scripts[p] = true
		}
	}
	s.cited = append(s.cited, it)
}

// crontab turns one crontab's entries into jobs. user is the spool file's owner.
func (s *survey) crontab(it *evidence.Item, kind string, system bool, user string) []Entry {
	entries, err := ParseCrontab(it.Text(), system)
	if err != nil {
		s.gaps = append(s.gaps, it.Name+": "+err.Error())
	}
	id := s.in.Cite(it)
	for _, e := range entries {
		j := snapshot.CronJob{Kind: kind, Source: it.Name, Line: e.Line, User: e.User, Schedule: e.Schedule,
			Command: e.Command, Input: e.Input, Env: e.Env, Evidence: id}
		if !system {
			j.User = user
		}
		j.MailTo = j.User
		if m, ok := e.Env["MAILTO"]; ok {
			j.MailTo = m
		}
		j.Zone, j.ZoneNote = s.zone, s.note
		calc := s.calc
		if tz, ok := e.Env["CRON_TZ"]; ok {
			if s.debian {
				j.ZoneNote = join(j.ZoneNote, "CRON_TZ="+tz+" is set, but Debian's cron ignores it")
			} else if l, err := time.LoadLocation(tz); err == nil {
				j.Zone, j.ZoneNote, calc = tz, "CRON_TZ="+tz+" in the crontab", l
			} else {
				j.ZoneNote = join(j.ZoneNote, "CRON_TZ="+tz+" is not a known zone; cronie falls back to UTC")
				j.Zone, calc = "UTC", time.UTC
			}
		}
		if e.Spec != nil && calc != nil && !s.from.IsZero() {
			j.NextRuns = e.Spec.Next(s.from, calc, nextRuns)
		}
		j.Scripts = s.scriptsOf(e.Command)
		s.jobs = append(s.jobs, j)
	}
	return entries
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// scriptsOf lists the absolute paths in a command that exist on the host as
// executables (the probe's cron-exec), tokenised as the probe tokenises.
func (s *survey) scriptsOf(cmd string) []string {
	var out []string
	seen := map[string]bool{}
	for _, tok := range strings.FieldsFunc(cmd, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._+-", r))
	}) {
		if strings.HasPrefix(tok, "/") && (s.scripts[tok] || s.execs[tok]) && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}

// spools reads every user's crontab: RHEL's /var/spool/cron/USER and Debian's
// /var/spool/cron/crontabs/USER. Both directories are root-only.
func (s *survey) spools() {
	for _, dir := range []string{"/var/spool/cron", "/var/spool/cron/crontabs"} {
		l := s.in.List(dir)
		if !s.usable(l, false) {
			if l.Status == evidence.StatusDenied {
				s.gaps[len(s.gaps)-1] = "users' crontabs could not be read: " + l.Problem() + " (root only)"
			}
			continue
		}
		entries, _ := kit.ParseListing(l.Text())
		for _, e := range entries {
			if e.Type != 'f' || strings.HasPrefix(e.Name, ".") || strings.HasPrefix(e.Name, "tmp.") {
				continue
			}
			f := s.in.File(dir + "/" + e.Name)
			if s.usable(f, true) {
				s.crontab(f, "spool", false, e.Name)
			}
		}
	}
}

func (s *survey) anacron() []AnacronJob {
	it := s.in.File("/etc/anacrontab")
	if !s.usable(it, false) {
		return nil
	}
	jobs, err := ParseAnacrontab(it.Text())
	if err != nil {
		s.gaps = append(s.gaps, it.Name+": "+err.Error())
	}
	id := s.in.Cite(it)
	for _, a := range jobs {
		j := snapshot.CronJob{Kind: "anacron", Source: it.Name, Line: a.Line, User: "root",
			Schedule: fmt.Sprintf("period %s, delay %d min, job %s", a.Period, a.Delay, a.JobID),
			Command:  a.Command, Env: a.Env, Zone: s.zone, ZoneNote: s.note, Evidence: id}
		j.MailTo = "root"
		if m, ok := a.Env["MAILTO"]; ok {
			j.MailTo = m
		}
		if r, ok := a.Env["START_HOURS_RANGE"]; ok {
			j.Note = join(j.Note, "runs only between hours "+r)
		}
		if r, ok := a.Env["RANDOM_DELAY"]; ok {
			j.Note = join(j.Note, "plus a random delay of up to "+r+" minutes")
		}
		j.Scripts = s.scriptsOf(a.Command)
		s.jobs = append(s.jobs, j)
	}
	return jobs
}

// periodic lists the scripts of cron.hourly/daily/weekly/monthly, with what runs
// each directory: a crontab line or an anacron job naming it.
func (s *survey) periodic(sys map[string][]Entry, anac []AnacronJob) {
	for _, period := range []string{"hourly", "daily", "weekly", "monthly"} {
		dir := "/etc/cron." + period
		l := s.in.List(dir)
		if !s.usable(l, false) {
			continue
		}
		runner, spec, runnerSrc := s.runnerOf(dir, sys, anac)
		entries, _ := kit.ParseListing(l.Text())
		for _, e := range entries {
			// Hidden files (Debian's .placeholder) are never run by run-parts.
			if e.Type != 'f' && e.Type != 'l' || strings.HasPrefix(e.Name, ".") {
				continue
			}
			p := dir + "/" + e.Name
			j := snapshot.CronJob{Kind: "periodic", Source: p, User: "root", Schedule: period, Command: p,
				MailTo: "root", Zone: s.zone, ZoneNote: s.note, Evidence: s.in.Cite(l)}
			if runs, why := RunPartsRuns(e.Name, s.debian); !runs {
				j.Disabled, j.Note = true, "run-parts skips it: "+why
			} else if x, known := s.execs[p]; known && !x {
				j.Disabled, j.Note = true, "not executable, so run-parts skips it"
			} else if runner == "" {
				j.Note = "nothing found that runs " + dir
			} else {
				j.Note = "run by " + runner
				j.Schedule = period + " (" + runnerSrc + ")"
				if spec != nil && s.calc != nil && !s.from.IsZero() {
					j.NextRuns = spec.Next(s.from, s.calc, nextRuns)
				}
			}
			if x, known := s.execs[p]; known && x {
				j.Scripts = []string{p}
			}
			s.jobs = append(s.jobs, j)
		}
	}
}

// runnerOf finds the job that runs a periodic directory. Debian's /etc/crontab
// lines defer to anacron ("test -x /usr/sbin/anacron ||"): when an anacrontab is
// there, anacron is the runner.
func (s *survey) runnerOf(dir string, sys map[string][]Entry, anac []AnacronJob) (string, *Spec, string) {
	for _, a := range anac {
		if mentions(a.Command, dir) {
			return fmt.Sprintf("anacron job %s (/etc/anacrontab:%d)", a.JobID, a.Line), nil, "anacron period " + a.Period
		}
	}
	var srcs []string
	for src := range sys {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	for _, src := range srcs {
		for _, e := range sys[src] {
			if mentions(e.Command, dir) {
				return fmt.Sprintf("%s:%d", src, e.Line), e.Spec, e.Schedule
			}
		}
	}
	return "", nil, ""
}

func mentions(cmd, dir string) bool {
	i := strings.Index(cmd, dir)
	if i < 0 {
		return false
	}
	rest := cmd[i+len(dir):]
	return rest == "" || strings.IndexAny(rest[:1], " \t;)&|/") == 0
}

// timers reads systemd timers: list-timers for what systemd knows (next run,
// activated unit), the unit files for the schedule as written.
func (s *survey) timers() {
	lt := s.in.Cmd("systemctl-list-timers")
	if !kit.Usable(lt) {
		if !notThere(lt) {
			s.gaps = append(s.gaps, "systemd timers: "+lt.Problem())
		}
		return
	}
	timers, err := ParseListTimers(lt.Text())
	if err != nil {
		s.gaps = append(s.gaps, lt.Source()+": "+err.Error())
	}
	s.cited = append(s.cited, lt)
	id := s.in.Cite(lt)
	users := map[string]string{}
	if ts := s.in.Cmd("timer-services"); kit.Usable(ts) {
		users = ParseServiceUsers(kit.CompleteLines(ts))
		s.in.Cite(ts)
	}
	for _, t := range timers {
		j := snapshot.CronJob{Kind: "timer", Source: t.Unit, User: "root", Command: t.Activates, Evidence: id,
			Zone: s.in.Snap.Time.Zone}
		for _, dir := range []string{"/etc/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/"} {
			if f := s.in.File(dir + t.Unit); kit.Usable(f) {
				sched, _ := ParseTimerUnit(f.Text())
				j.Schedule, j.Source = strings.Join(sched, "; "), f.Name
				s.in.Cite(f)
				break
			}
		}
		if u, ok := users[t.Activates]; ok {
			j.User = cmp.Or(u, "root")
		} else {
			j.Note = "run as root unless its service sets User= (" + t.Activates + " was not read)"
		}
		if j.Schedule == "" {
			j.Schedule = "next: " + t.Next
		}
		if next, ok := parseSystemdTime(t.Next, s.calc); ok {
			j.NextRuns = []time.Time{next}
		}
		if t.Next == "n/a" || t.Next == "-" {
			j.Note = strings.TrimPrefix(j.Note+"; no next run scheduled", "; ")
		}
		s.jobs = append(s.jobs, j)
	}
}

// parseSystemdTime reads "Sat 2026-11-21 00:00:00 JST" in the host's zone.
func parseSystemdTime(s string, loc *time.Location) (time.Time, bool) {
	f := strings.Fields(s)
	if len(f) < 3 || loc == nil {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", f[1]+" "+f[2], loc)
	return t, err == nil
}

// atq reads the at queue. Job files are never read: they carry the submitter's
// environment.
func (s *survey) atq() {
	it := s.in.Cmd("atq")
	if !kit.Usable(it) {
		if !notThere(it) {
			s.gaps = append(s.gaps, "at jobs: "+it.Problem())
		}
		return
	}
	jobs, err := ParseAtq(it.Text())
	if err != nil {
		s.gaps = append(s.gaps, it.Source()+": "+err.Error())
	}
	s.cited = append(s.cited, it)
	id := s.in.Cite(it)
	for _, a := range jobs {
		j := snapshot.CronJob{Kind: "at", Source: "atq job " + a.ID, User: a.User, Schedule: a.When,
			Command: "(not read: at job files hold the submitter's environment)", MailTo: a.User,
			Zone: s.in.Snap.Time.Zone, Evidence: id}
		if s.calc != nil {
			if t, err := time.ParseInLocation("Mon Jan _2 15:04:05 2006", a.When, s.calc); err == nil {
				j.NextRuns = []time.Time{t}
			}
		}
		s.jobs = append(s.jobs, j)
	}
}

// notThere holds for a command that is not installed, or skipped because its
// condition (systemd as PID 1) does not hold: nothing of that kind to read.
func notThere(it *evidence.Item) bool {
	return it.Status == evidence.StatusAbsent || it.Status == evidence.StatusSkipped ||
		it.Status == evidence.StatusMissing && it.Kind == evidence.KindCmd
}
