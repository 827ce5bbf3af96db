// Package verify checks a host's snapshot against a spec: pure evaluation, one
// verdict per expectation with the evidence for it, and the output formats (human,
// json, junit, tap, and the one-screen view each round of cmd/trowel's --watch loop
// prints; the loop itself, which surveys again, is the command's).
package verify

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// Status is an expectation's verdict.
type Status string

const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Skipped Status = "skipped" // the target's section was not collected: unknown, not passed
)

// Check is one expectation's verdict.
type Check struct {
	ID     string    `json:"id"`
	Kind   spec.Kind `json:"kind"`
	Status Status    `json:"status"`
	// Message says what was expected and what was found; for a failure, also where
	// it was looked for, where the expectation came from, and what to do.
	Message string `json:"message"`
	// Found is the evidence on the target: the facts looked at.
	Found []string `json:"found,omitempty"`
	// Fix is what to do about a failure.
	Fix  string    `json:"fix,omitempty"`
	From spec.From `json:"from"`
}

// Result is a whole evaluation.
type Result struct {
	Target string  `json:"target"`
	Source string  `json:"source"`
	Checks []Check `json:"checks"`
	Pass   int     `json:"pass"`
	Fail   int     `json:"fail"`
	Skip   int     `json:"skipped"`
}

// OK reports whether every expectation passed (skipped ones are not failures, and
// are reported as what was not checked).
func (r Result) OK() bool { return r.Fail == 0 }

// Evaluate checks every expectation of sp against the target snapshot.
func Evaluate(sp *spec.Spec, t *snapshot.Snapshot) Result {
	target := t.Host.Hostname
	if target == "" {
		target = t.Source.Target
	}
	r := Result{Target: target, Source: sp.Source.Host}
	ev := evaluator{t: t, target: target, src: sp.Source}
	for _, e := range sp.Expectations {
		c := ev.check(e)
		c.ID, c.Kind, c.From = e.ID, e.Kind, e.From
		switch c.Status {
		case Pass:
			r.Pass++
		case Fail:
			r.Fail++
		default:
			r.Skip++
		}
		r.Checks = append(r.Checks, c)
	}
	return r
}

type evaluator struct {
	t      *snapshot.Snapshot
	target string
	src    spec.Source
}

// sections each kind needs collected on the target before its absence means anything.
var sections = map[spec.Kind][]snapshot.Section{
	spec.KindService:    {snapshot.SectionServices},
	spec.KindPort:       {snapshot.SectionListeners},
	spec.KindProcess:    {snapshot.SectionProcesses},
	spec.KindCron:       {snapshot.SectionCron},
	spec.KindCronZone:   {snapshot.SectionTime, snapshot.SectionCron},
	spec.KindTimezone:   {snapshot.SectionTime},
	spec.KindUser:       {snapshot.SectionAccounts},
	spec.KindGroup:      {snapshot.SectionAccounts},
	spec.KindSudo:       {snapshot.SectionSudo},
	spec.KindKey:        {snapshot.SectionKeys},
	spec.KindMount:      {snapshot.SectionStorage},
	spec.KindFirewall:   {snapshot.SectionFirewall},
	spec.KindLogShipper: {snapshot.SectionShippers},
	spec.KindSetting:    nil, // by service, see settingSection
	spec.KindCapability: {snapshot.SectionListeners},
	spec.KindSysctl:     {snapshot.SectionSysctl},
	spec.KindHTTP:       {snapshot.SectionAnswers},
	spec.KindSMTP:       {snapshot.SectionAnswers},
	spec.KindLogFollow:  {snapshot.SectionShippers},
}

// coverage returns the weakest coverage of the sections, and whether every one is
// fully collected.
func (v evaluator) coverage(secs []snapshot.Section) (snapshot.Section, snapshot.Coverage, bool) {
	for _, s := range secs {
		c, ok := v.t.Coverage[s]
		if !ok {
			return s, snapshot.Coverage{Status: snapshot.Unavailable, Reason: "not in the snapshot"}, false
		}
		if c.Status != snapshot.Collected && c.Status != snapshot.NotApplicable {
			return s, c, false
		}
	}
	return "", snapshot.Coverage{}, true
}

// absent turns "not found" into a failure only when the sections were collected
// in full; a partial or missing section makes it unknown.
func (v evaluator) absent(secs []snapshot.Section, c Check) Check {
	if sec, cov, ok := v.coverage(secs); !ok {
		reason := string(cov.Status)
		if cov.Reason != "" {
			reason += ": " + cov.Reason
		}
		return Check{Status: Skipped, Message: fmt.Sprintf("not found, but the %s section of %s was %s, so this is unknown rather than missing (%s)", sec, v.target, reason, c.Message)}
	}
	c.Status = Fail
	return c
}

func (v evaluator) check(e spec.Expectation) Check {
	secs := sections[e.Kind]
	if e.Kind == spec.KindSetting {
		secs = settingSection(e.Service)
	}
	if e.Kind == spec.KindCapability {
		secs = append(secs, capabilitySection(e))
	}
	// A section that was not looked at at all skips every expectation on it.
	if sec, cov, _ := v.coverage(secs); sec != "" && cov.Status != snapshot.Partial {
		reason := string(cov.Status)
		if cov.Reason != "" {
			reason += ": " + cov.Reason
		}
		return Check{Status: Skipped, Message: fmt.Sprintf("the %s section of %s was not collected (%s): cannot tell", sec, v.target, reason)}
	}
	switch e.Kind {
	case spec.KindService:
		return v.service(e, secs)
	case spec.KindPort:
		return v.port(e, secs)
	case spec.KindProcess:
		return v.process(e, secs)
	case spec.KindCron:
		return v.cron(e, secs)
	case spec.KindCronZone:
		return v.cronZone(e)
	case spec.KindTimezone:
		return v.timezone(e)
	case spec.KindUser:
		return v.user(e, secs)
	case spec.KindGroup:
		return v.group(e, secs)
	case spec.KindSudo:
		return v.sudo(e, secs)
	case spec.KindKey:
		return v.key(e, secs)
	case spec.KindMount:
		return v.mount(e, secs)
	case spec.KindFirewall:
		return v.firewall(e, secs)
	case spec.KindLogShipper:
		return v.shipper(e, secs)
	case spec.KindSetting:
		return v.setting(e, secs)
	case spec.KindCapability:
		return v.capability(e, secs)
	case spec.KindSysctl:
		return v.sysctl(e, secs)
	case spec.KindHTTP:
		return v.http(e, secs)
	case spec.KindSMTP:
		return v.smtp(e, secs)
	case spec.KindLogFollow:
		return v.logFollow(e, secs)
	}
	return Check{Status: Skipped, Message: fmt.Sprintf("this trowel does not know how to check %q", e.Kind)}
}

func on(e spec.Expectation) string { return "(from " + e.From.Where() + ")" }

func pass(format string, args ...any) Check {
	return Check{Status: Pass, Message: fmt.Sprintf(format, args...)}
}

func fail(found []string, fix, format string, args ...any) Check {
	return Check{Status: Fail, Message: fmt.Sprintf(format, args...), Found: found, Fix: fix}
}

func (v evaluator) service(e spec.Expectation, secs []snapshot.Section) Check {
	var cands []snapshot.Service
	for _, s := range v.t.Services {
		if s.Name == e.Name || distro.SameService(e.Name, s.Name) {
			cands = append(cands, s)
		}
	}
	want := e.Name
	if e.Role != "" {
		want = fmt.Sprintf("%s (%s)", e.Name, e.Role)
	}
	if len(cands) == 0 {
		return v.absent(secs, fail(nil, fmt.Sprintf("install and start it (on %s: %s)", v.platform(), distro.ServiceOn(e.Name, v.platformOf())),
			"service %s is not on %s: expected it running%s %s", want, v.target, bootWord(e), on(e)))
	}
	var found []string
	for _, s := range cands {
		found = append(found, describeService(s))
		if e.Running != nil && *e.Running && (s.Running == nil || !*s.Running) {
			continue
		}
		if e.Enabled != nil && *e.Enabled && !e.Allows(spec.AllowEnabled) && (s.Enabled == nil || !*s.Enabled) {
			continue
		}
		return pass("service %s runs on %s as %s%s", want, v.target, s.Name, bootWord(e))
	}
	for _, s := range cands {
		if e.Running != nil && *e.Running && s.Running == nil {
			return Check{Status: Skipped, Message: fmt.Sprintf("service %s is on %s as %s, but whether it runs could not be told", want, v.target, s.Name), Found: found}
		}
	}
	return fail(found, fmt.Sprintf("start %s and enable it at boot", cands[0].Name),
		"service %s is not running%s on %s: expected it running%s %s", want, bootWordNot(e), v.target, bootWord(e), on(e))
}

func bootWord(e spec.Expectation) string {
	if e.Enabled != nil && *e.Enabled && !e.Allows(spec.AllowEnabled) {
		return " and started at boot"
	}
	return ""
}

func bootWordNot(e spec.Expectation) string {
	if bootWord(e) != "" {
		return " or not started at boot"
	}
	return ""
}

func describeService(s snapshot.Service) string {
	st := func(b *bool, yes, no string) string {
		if b == nil {
			return "unknown"
		}
		if *b {
			return yes
		}
		return no
	}
	return fmt.Sprintf("%s service %s: %s, %s (%s)", s.Init, s.Name, st(s.Running, "running", "not running"), st(s.Enabled, "enabled", "disabled"), s.Path)
}

func (v evaluator) platformOf() distro.Platform { return distro.PlatformOf(v.t.OS) }
func (v evaluator) platform() string            { return v.platformOf().String() }

func (v evaluator) port(e spec.Expectation, secs []snapshot.Section) Check {
	wantClass := spec.AddressClass(e.Address)
	var found []string
	for _, l := range v.t.Listeners {
		if strings.TrimSuffix(l.Proto, "6") != e.Proto || l.Port != e.Port {
			continue
		}
		found = append(found, fmt.Sprintf("%s %s:%d (%s)", l.Proto, l.Address, l.Port, l.Process))
		class := spec.AddressClass(l.Address)
		switch {
		case wantClass == "any" && class == "any",
			wantClass == "loopback" && (class == "loopback" || class == "any"),
			wantClass == "host" && e.Allows(spec.AllowAddress) && class != "loopback",
			wantClass == "host" && l.Address == e.Address:
			return pass("%s/%d listens on %s:%d (%s)", e.Proto, e.Port, l.Address, l.Port, l.Process)
		}
	}
	where := map[string]string{"any": "all addresses", "loopback": "loopback", "host": e.Address}[wantClass]
	if wantClass == "host" && e.Allows(spec.AllowAddress) {
		where = "a non-loopback address"
	}
	who := e.Name
	if e.Service != "" {
		who = e.Service
	}
	msg := fmt.Sprintf("nothing listens on %s/%d on %s %s: expected %s listening on %s %s", e.Proto, e.Port, where, v.target, who, where, on(e))
	if len(found) > 0 {
		msg = fmt.Sprintf("%s/%d listens on %s only on another address: expected %s listening on %s %s", e.Proto, e.Port, v.target, who, where, on(e))
		return fail(found, "change the listen address in "+who+"'s configuration", "%s", msg)
	}
	return v.absent(secs, fail(nil, "install/start "+who+" or open its listener", "%s", msg))
}

func (v evaluator) process(e spec.Expectation, secs []snapshot.Section) Check {
	var found []string
	for _, p := range v.t.Processes {
		match := false
		if e.Service != "" {
			match = p.Service == e.Service || (p.Service != "" && distro.SameService(e.Service, p.Service))
		} else {
			match = spec.Program(p.Command) == e.Command
		}
		if !match {
			continue
		}
		if p.User == e.User {
			return pass("%s runs as %s (pid %d)", what(e), p.User, p.PID)
		}
		found = append(found, fmt.Sprintf("pid %d as %s: %s", p.PID, p.User, p.Command))
	}
	if len(found) > 0 {
		return fail(found, "run it as "+e.User+" (check the service's User/--user setting)",
			"%s runs on %s, but not as %s %s", what(e), v.target, e.User, on(e))
	}
	fix := "find what started it on the old host (a service, an @reboot job) and set that up"
	if e.Note != "" {
		fix = "it was " + e.Note + ": carry that job over"
	}
	return v.absent(secs, fail(nil, fix,
		"%s is not running on %s: expected it running as %s %s", what(e), v.target, e.User, on(e)))
}

func what(e spec.Expectation) string {
	if e.Service != "" {
		return "a process of service " + e.Service
	}
	return e.Command
}

func (v evaluator) cron(e spec.Expectation, secs []snapshot.Section) Check {
	want := spec.NormalizeCommand(e.Command)
	var near []string
	for _, j := range v.t.CronJobs {
		if j.Disabled || spec.NormalizeCommand(j.Command) != want {
			continue
		}
		src := j.Source
		if j.Line > 0 {
			src = fmt.Sprintf("%s:%d", j.Source, j.Line)
		}
		if j.User != e.User || j.Schedule != e.Schedule {
			near = append(near, fmt.Sprintf("%s: %s as %s at %q", src, j.Command, j.User, j.Schedule))
			continue
		}
		if e.Zone != "" && j.Zone != e.Zone {
			return fail([]string{src + " zone " + orUnknown(j.Zone) + " " + j.ZoneNote}, "set CRON_TZ="+e.Zone+" for this job",
				"cron job of %s at %q fires in %s on %s, expected %s %s", e.User, e.Schedule, orUnknown(j.Zone), v.target, e.Zone, on(e))
		}
		return pass("cron job of %s at %q is in %s", e.User, e.Schedule, src)
	}
	msg := fmt.Sprintf("cron job of %s is missing on %s: expected %q %s %s", e.User, v.target, e.Schedule, short(want), on(e))
	if len(near) > 0 {
		return fail(near, "fix its user and schedule", "cron job %s on %s has another user or schedule: expected %s at %q %s", short(want), v.target, e.User, e.Schedule, on(e))
	}
	fix := "add it to " + e.User + "'s crontab (crontab -u " + e.User + " -e)"
	if !v.hasUser(e.User) {
		fix = "create the user " + e.User + " and add the job to its crontab"
	}
	return v.absent(secs, fail(nil, fix, "%s", msg))
}

func (v evaluator) hasUser(name string) bool {
	for _, u := range v.t.Accounts.Users {
		if u.Name == name {
			return true
		}
	}
	return false
}

func short(s string) string {
	if len(s) > 70 {
		return s[:67] + "..."
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown zone"
	}
	return s
}

func (v evaluator) cronZone(e spec.Expectation) Check {
	t := v.t.Time
	var crond *snapshot.StaleDaemon
	for i, d := range t.StaleDaemons {
		if path.Base(strings.Fields(d.Command + " x")[0]) == "cron" || path.Base(strings.Fields(d.Command + " x")[0]) == "crond" {
			crond = &t.StaleDaemons[i]
		}
	}
	effective := t.Zone
	if t.CronTZ != "" {
		effective = t.CronTZ
	}
	if crond != nil {
		changed := "?"
		if t.LocaltimeChanged != nil {
			changed = t.LocaltimeChanged.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		was := "the zone in force when it started (not " + e.Zone + ")"
		if crond.Zone != "" {
			was = crond.Zone
		}
		return fail([]string{fmt.Sprintf("pid %d %s started %s", crond.PID, crond.Command, crond.Started.UTC().Format("2006-01-02 15:04:05 UTC")),
			fmt.Sprintf("/etc/localtime changed %s to %s", changed, t.Zone)},
			"restart cron (service cron restart) so it reads the zone",
			"crond on %s runs in %s while /etc/localtime says %s: it started before the zone changed, so every job fires at the wrong hour; expected jobs to fire in %s %s",
			v.target, was, t.Zone, e.Zone, on(e))
	}
	if effective != e.Zone {
		return fail([]string{"zone " + orUnknown(t.Zone), "crond TZ " + orUnknown(t.CronTZ)}, "set the zone to "+e.Zone+" (timedatectl set-timezone "+e.Zone+") and restart cron",
			"cron on %s fires jobs in %s, expected %s %s", v.target, orUnknown(effective), e.Zone, on(e))
	}
	return pass("cron fires jobs in %s", effective)
}

func (v evaluator) timezone(e spec.Expectation) Check {
	if v.t.Time.Zone == "" {
		return Check{Status: Skipped, Message: "the zone of " + v.target + " could not be told"}
	}
	if v.t.Time.Zone != e.Zone {
		return fail([]string{v.t.Time.Zone + " (" + v.t.Time.ZoneSource + ")"}, "timedatectl set-timezone "+e.Zone+" (or link /etc/localtime), then restart cron and the other daemons",
			"the zone of %s is %s, expected %s %s", v.target, v.t.Time.Zone, e.Zone, on(e))
	}
	return pass("zone %s", e.Zone)
}

func (v evaluator) user(e spec.Expectation, secs []snapshot.Section) Check {
	for _, u := range v.t.Accounts.Users {
		if u.Name != e.Name {
			continue
		}
		var probs []string
		if e.UID != nil && u.UID != *e.UID && !e.Allows(spec.AllowUID) {
			probs = append(probs, fmt.Sprintf("uid %d, expected %d", u.UID, *e.UID))
		}
		if e.Shell != "" && path.Base(u.Shell) != path.Base(e.Shell) {
			probs = append(probs, fmt.Sprintf("shell %s, expected %s", u.Shell, e.Shell))
		}
		if e.Home != "" && u.Home != e.Home {
			probs = append(probs, fmt.Sprintf("home %s, expected %s", u.Home, e.Home))
		}
		for _, g := range e.Groups {
			if !slices.Contains(u.Groups, g) && u.Group != g {
				probs = append(probs, "not in group "+g)
			}
		}
		if len(probs) > 0 {
			return fail(probs, "usermod "+e.Name, "user %s on %s differs: %s %s", e.Name, v.target, strings.Join(probs, "; "), on(e))
		}
		return pass("user %s exists (uid %d)", u.Name, u.UID)
	}
	return v.absent(secs, fail(nil, "create it (useradd) with its groups, home and keys", "user %s does not exist on %s %s", e.Name, v.target, on(e)))
}

func (v evaluator) group(e spec.Expectation, secs []snapshot.Section) Check {
	for _, g := range v.t.Accounts.Groups {
		if g.Name != e.Name {
			continue
		}
		var missing []string
		for _, m := range e.Members {
			if !slices.Contains(g.Members, m) {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			return fail(g.Members, "gpasswd -a USER "+e.Name, "group %s on %s lacks members %s %s", e.Name, v.target, strings.Join(missing, ", "), on(e))
		}
		if e.UID != nil && g.GID != *e.UID && !e.Allows(spec.AllowUID) {
			return fail([]string{fmt.Sprintf("gid %d", g.GID)}, "groupmod -g", "group %s has gid %d on %s, expected %d %s", e.Name, g.GID, v.target, *e.UID, on(e))
		}
		return pass("group %s exists", e.Name)
	}
	return v.absent(secs, fail(nil, "groupadd "+e.Name, "group %s does not exist on %s %s", e.Name, v.target, on(e)))
}

func (v evaluator) sudo(e spec.Expectation, secs []snapshot.Section) Check {
	var near []string
	for _, r := range v.t.Accounts.Sudo {
		if r.Who != e.Name {
			continue
		}
		near = append(near, r.Source)
		if !sameRunAs(r.RunAs, e.RunAs) || !slices.Equal(r.Commands, e.Commands) {
			continue
		}
		if (e.NoPasswd != nil && *e.NoPasswd) != r.NoPasswd {
			continue
		}
		ok := true
		for _, d := range e.Defaults {
			if !slices.Contains(r.Defaults, d) {
				ok = false
			}
		}
		if ok {
			return pass("sudo rule for %s at %s", e.Name, r.Source)
		}
	}
	desc := fmt.Sprintf("%s ALL=(%s) %s%s", e.Name, e.RunAs, nopasswd(e), strings.Join(e.Commands, ", "))
	if len(e.Defaults) > 0 {
		desc += " with " + strings.Join(e.Defaults, ", ")
	}
	if len(near) > 0 {
		return fail(near, "edit the rule with visudo", "sudo rights of %s differ on %s: expected %s %s", e.Name, v.target, desc, on(e))
	}
	return v.absent(secs, fail(nil, "add it with visudo -f /etc/sudoers.d/...", "no sudo rule for %s on %s: expected %s %s", e.Name, v.target, desc, on(e)))
}

// sameRunAs treats "ALL" and "ALL:ALL" alike only when they are the same; sudo reads
// a missing group part as "the user's own group", which ALL:ALL widens.
func sameRunAs(a, b string) bool { return a == b }

func nopasswd(e spec.Expectation) string {
	if e.NoPasswd != nil && *e.NoPasswd {
		return "NOPASSWD: "
	}
	return ""
}

func (v evaluator) key(e spec.Expectation, secs []snapshot.Section) Check {
	for _, u := range v.t.Accounts.Users {
		if u.Name != e.User {
			continue
		}
		for _, k := range u.Keys {
			if k.Fingerprint == e.Fingerprint {
				return pass("key %s (%s) lets in %s (%s)", e.Fingerprint, k.Comment, e.User, k.Source)
			}
		}
	}
	return v.absent(secs, fail(nil, "append the public key to "+e.User+"'s authorized_keys (or decide it should go, and remove this expectation)",
		"authorized key %s (%s) of %s is missing on %s %s", e.Fingerprint, e.Comment, e.User, v.target, on(e)))
}

func (v evaluator) mount(e spec.Expectation, secs []snapshot.Section) Check {
	ok := func(dev, fstype string) bool {
		if e.FSType != "" && fstype != e.FSType {
			return false
		}
		return e.Allows(spec.AllowDevice) || dev == e.Device
	}
	for _, m := range v.t.Storage.Mounts {
		if m.MountPoint == e.MountPoint && ok(m.Device, m.FSType) {
			return pass("%s mounted from %s (%s)", m.MountPoint, m.Device, m.FSType)
		}
	}
	for _, f := range v.t.Storage.Fstab {
		if !f.Commented && f.MountPoint == e.MountPoint && ok(f.Device, f.FSType) {
			if e.Declared || e.MountPoint == "/" {
				return pass("%s declared in /etc/fstab:%d", f.MountPoint, f.Line)
			}
			return fail([]string{fmt.Sprintf("/etc/fstab:%d %s %s", f.Line, f.Device, f.FSType)}, "mount "+e.MountPoint,
				"%s is in /etc/fstab on %s but not mounted %s", e.MountPoint, v.target, on(e))
		}
	}
	if e.MountPoint == "/" {
		return pass("the root filesystem is the new host's own")
	}
	dev := e.Device
	if e.Allows(spec.AllowDevice) {
		dev = "a " + e.FSType + " filesystem"
	}
	return v.absent(secs, fail(nil, "add it to /etc/fstab and mount it", "%s is not mounted or declared on %s: expected %s %s", e.MountPoint, v.target, dev, on(e)))
}

func (v evaluator) firewall(e spec.Expectation, secs []snapshot.Section) Check {
	for _, r := range v.t.Network.Firewall.Rules {
		if p, proto := spec.FirewallOpening(r.Rule); p == e.Port && proto == e.Proto {
			return pass("%s/%d opened by %s", e.Proto, e.Port, r.Rule)
		}
	}
	tool := v.t.Network.Firewall.Tool
	if tool == "none" {
		return pass("%s/%d: %s filters no packets (no firewall)", e.Proto, e.Port, v.target)
	}
	return v.absent(secs, fail([]string{"firewall " + orUnknown(tool)}, fmt.Sprintf("open %s/%d in the firewall", e.Proto, e.Port),
		"the firewall of %s does not open %s/%d %s", v.target, e.Proto, e.Port, on(e)))
}

func (v evaluator) shipper(e spec.Expectation, secs []snapshot.Section) Check {
	desc := e.Name
	if e.Command != "" {
		desc = fmt.Sprintf("a process running %s", e.Command)
		if e.User != "" {
			desc += " as " + e.User
		}
	}
	if len(e.Destinations) > 0 {
		desc += ", sending to " + strings.Join(e.Destinations, ", ")
	}
	var found []string
	for _, sh := range v.t.Logs.Shippers {
		dst := map[string]bool{}
		for _, d := range sh.Destinations {
			dst[endpointOf(d)] = true
		}
		sends := len(e.Destinations) > 0
		for _, d := range e.Destinations {
			sends = sends && dst[d]
		}
		if sh.Name != e.Name && !sends {
			continue
		}
		found = append(found, fmt.Sprintf("%s running=%s destinations=%v", sh.Name, tri(sh.Running), keys(dst)))
		if sh.Running == nil || !*sh.Running {
			continue
		}
		var missing []string
		for _, d := range e.Destinations {
			if !dst[d] {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 {
			return fail(found, "point its configuration at "+strings.Join(missing, ", "),
				"%s runs on %s but does not send to %s %s", sh.Name, v.target, strings.Join(missing, ", "), on(e))
		}
		return pass("%s runs and sends to %s", sh.Name, strings.Join(e.Destinations, ", "))
	}
	if len(found) > 0 {
		return fail(found, "start it and enable it at boot", "%s is installed but not running on %s: expected %s %s", e.Name, v.target, desc, on(e))
	}
	return v.absent(secs, fail(nil, "install "+e.Name+" with its configuration and init script, then start it",
		"%s is not running on %s: expected %s %s", e.Name, v.target, desc, on(e)))
}

func endpointOf(d snapshot.Endpoint) string {
	if d.Port == 0 {
		return d.Host
	}
	return fmt.Sprintf("%s:%d", d.Host, d.Port)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func tri(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}

func settingSection(service string) []snapshot.Section {
	switch service {
	case "postfix":
		return []snapshot.Section{snapshot.SectionPostfix}
	case "dovecot":
		return []snapshot.Section{snapshot.SectionDovecot}
	case "mysql", "mariadb":
		return []snapshot.Section{snapshot.SectionMySQL}
	case "postgresql":
		return []snapshot.Section{snapshot.SectionPostgreSQL}
	case "sshd":
		return []snapshot.Section{snapshot.SectionAccounts}
	}
	return nil
}

func (v evaluator) settings(service string) ([]snapshot.Setting, bool) {
	mw := v.t.Middleware
	var out []snapshot.Setting
	found := false
	switch service {
	case "sshd":
		for _, s := range v.t.Accounts.SSHD {
			out = append(out, snapshot.Setting{Key: s.Key, Value: s.Value, Source: s.Source})
		}
		return out, true
	case "postfix", "dovecot":
		for _, m := range mw.Mail {
			if m.Kind == service {
				out, found = append(out, m.Settings...), true
			}
		}
	default:
		for _, d := range mw.Databases {
			if d.Kind == service || (service == "mysql" || service == "mariadb") && (d.Kind == "mysql" || d.Kind == "mariadb") {
				out, found = append(out, d.Settings...), true
			}
		}
	}
	return out, found
}

func (v evaluator) setting(e spec.Expectation, secs []snapshot.Section) Check {
	ss, present := v.settings(e.Service)
	if !present {
		return v.absent(secs, fail(nil, "install and configure "+e.Service, "%s is not on %s, so %s = %s is not set %s", e.Service, v.target, e.Key, e.Value, on(e)))
	}
	var found []string
	for _, s := range ss {
		if spec.SettingKey(s.Key) != e.Key {
			continue
		}
		val := spec.NormalizeValue(s.Value)
		if val == e.Value || (e.Allows(spec.AllowHostname) && v.sameButHost(val, e.Value)) {
			return pass("%s %s = %s (%s)", e.Service, s.Key, s.Value, s.Source)
		}
		found = append(found, fmt.Sprintf("%s = %s (%s)", s.Key, s.Value, s.Source))
	}
	if len(found) > 0 {
		return fail(found, "set "+e.Key+" = "+e.Value, "%s on %s has %s, expected %s = %s %s", e.Service, v.target, strings.Join(found, "; "), e.Key, e.Value, on(e))
	}
	return fail(nil, "set "+e.Key+" = "+e.Value+" in "+e.Service+"'s configuration",
		"%s on %s does not set %s: expected %s = %s %s", e.Service, v.target, e.Key, e.Key, e.Value, on(e))
}

func (v evaluator) sameButHost(a, b string) bool {
	h := v.t.Host.Hostname
	return h != "" && strings.ReplaceAll(a, h, "") == strings.ReplaceAll(b, v.src.Host, "")
}

func capabilitySection(e spec.Expectation) snapshot.Section {
	switch e.Role {
	case "web server":
		return snapshot.SectionApache
	case "MTA":
		return snapshot.SectionPostfix
	}
	if e.Name == "postgresql" {
		return snapshot.SectionPostgreSQL
	}
	return snapshot.SectionMySQL
}

func (v evaluator) listening(port int) (snapshot.Listener, bool) {
	for _, l := range v.t.Listeners {
		if l.Port == port && strings.HasPrefix(l.Proto, "tcp") {
			return l, true
		}
	}
	return snapshot.Listener{}, false
}

func (v evaluator) capability(e spec.Expectation, secs []snapshot.Section) Check {
	mw := v.t.Middleware
	var found []string
	var version string
	okServes := false
	switch e.Role {
	case "web server":
		for _, w := range mw.WebServers {
			for _, vh := range w.VHosts {
				_, port := splitPort(vh.Listen)
				if (vh.ServerName == e.Name || slices.Contains(vh.Aliases, e.Name)) && port == e.Port {
					okServes, version = true, w.Version
				}
				found = append(found, fmt.Sprintf("%s %s %s", w.Kind, vh.ServerName, vh.Listen))
			}
		}
	case "MTA":
		for _, m := range mw.Mail {
			if m.Kind != "postfix" && m.Kind != "exim" && m.Kind != "sendmail" {
				continue
			}
			found = append(found, fmt.Sprintf("%s relayhost %q", m.Kind, m.Relayhost))
			okServes, version = len(e.Serves) == 0 || "relay "+m.Relayhost == e.Serves[0], m.Version
		}
	case "database":
		for _, d := range mw.Databases {
			if !sameDatabase(d.Kind, e.Name) {
				continue
			}
			have := map[string]bool{}
			for _, s := range d.Databases {
				have["database "+s.Name] = true
			}
			found = append(found, fmt.Sprintf("%s %s with %v", d.Kind, d.Version, keys(have)))
			okServes, version = true, d.Version
			for _, s := range e.Serves {
				okServes = okServes && have[s]
			}
		}
	}
	desc := fmt.Sprintf("%s %s", e.Role, e.Name)
	if len(e.Serves) > 0 {
		desc = fmt.Sprintf("%s (%s) serving %s", e.Role, e.Name, strings.Join(e.Serves, ", "))
	}
	if e.Port > 0 {
		desc += fmt.Sprintf(" on :%d", e.Port)
	}
	if !okServes {
		if len(found) > 0 {
			return fail(found, "configure it as on the old host", "%s on %s does not do what it did: expected %s %s", e.Role, v.target, desc, on(e))
		}
		return v.absent(secs, fail(nil, "install and configure a "+e.Role, "no %s on %s: expected %s %s", e.Role, v.target, desc, on(e)))
	}
	if e.Port > 0 {
		if _, ok := v.listening(e.Port); !ok {
			return fail(found, "start it and check its Listen/port setting", "%s is configured on %s but nothing listens on :%d: expected %s %s", e.Role, v.target, e.Port, desc, on(e))
		}
	}
	if e.Version != "" && version != "" && !e.Allows(spec.AllowVersion) && e.Manager != "" {
		if distro.CompareVersions(e.Manager, version, e.Version) < 0 {
			return fail([]string{version}, "upgrade it, or add allow: [version] if the older version is intended",
				"%s on %s is %s, older than %s on %s %s", e.Name, v.target, version, e.Version, e.From.Host, on(e))
		}
	}
	return pass("%s", desc)
}

func sameDatabase(a, b string) bool {
	my := func(s string) bool { return s == "mysql" || s == "mariadb" }
	return a == b || my(a) && my(b)
}

func splitPort(l string) (string, int) {
	i := strings.LastIndex(l, ":")
	n := 0
	fmt.Sscanf(l[i+1:], "%d", &n)
	if i < 0 {
		return "", n
	}
	return l[:i], n
}
