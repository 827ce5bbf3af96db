// Package survey turns evidence into a snapshot. Each domain has one surveyor, a pure
// function of the evidence; they are registered in one explicit list, in the order
// they run, because later ones (links between facts) read what earlier ones found.
package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/accounts"
	"github.com/trowel-dev/trowel/internal/survey/answers"
	"github.com/trowel-dev/trowel/internal/survey/apache"
	"github.com/trowel-dev/trowel/internal/survey/apps"
	"github.com/trowel-dev/trowel/internal/survey/backups"
	"github.com/trowel-dev/trowel/internal/survey/caches"
	"github.com/trowel-dev/trowel/internal/survey/certs"
	"github.com/trowel-dev/trowel/internal/survey/cron"
	"github.com/trowel-dev/trowel/internal/survey/docker"
	"github.com/trowel-dev/trowel/internal/survey/dovecot"
	"github.com/trowel-dev/trowel/internal/survey/eol"
	"github.com/trowel-dev/trowel/internal/survey/files"
	"github.com/trowel-dev/trowel/internal/survey/hostos"
	"github.com/trowel-dev/trowel/internal/survey/kernel"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/links"
	"github.com/trowel-dev/trowel/internal/survey/listeners"
	"github.com/trowel-dev/trowel/internal/survey/logs"
	"github.com/trowel-dev/trowel/internal/survey/mysql"
	"github.com/trowel-dev/trowel/internal/survey/network"
	"github.com/trowel-dev/trowel/internal/survey/nginx"
	"github.com/trowel-dev/trowel/internal/survey/packages"
	"github.com/trowel-dev/trowel/internal/survey/postfix"
	"github.com/trowel-dev/trowel/internal/survey/postgresql"
	"github.com/trowel-dev/trowel/internal/survey/processes"
	"github.com/trowel-dev/trowel/internal/survey/self"
	"github.com/trowel-dev/trowel/internal/survey/services"
	"github.com/trowel-dev/trowel/internal/survey/storage"
	"github.com/trowel-dev/trowel/internal/survey/timekeeping"
	"github.com/trowel-dev/trowel/internal/version"
)

// Surveyor reads evidence and fills in its part of the snapshot, including the
// coverage of the sections it owns. It must not fail: what it cannot parse becomes a
// coverage reason, and what it could parse is kept. Should one fail all the same
// (panic), Run keeps every other section and says that one's sections are unknown.
type Surveyor interface {
	Name() string
	Survey(in *kit.Input)
}

// entry is a registered surveyor and the sections it owns: the coverage it sets, and
// the sections marked unavailable when it fails. A test holds each surveyor to them.
type entry struct {
	Surveyor
	owns []snapshot.Section
	// ties are sections of others' whose items it links together (what a service
	// listens on, runs as, uses): when it fails they are known in part only.
	ties []snapshot.Section
}

func owns(sv Surveyor, sections ...snapshot.Section) entry {
	return entry{Surveyor: sv, owns: sections}
}

// Surveyors is the registry, in running order.
func Surveyors() []Surveyor {
	var out []Surveyor
	for _, e := range registry() {
		out = append(out, e.Surveyor)
	}
	return out
}

// registry lists the surveyors in running order, each with the sections it owns. links
// runs last: it ties listeners, processes, services and packages together, so it reads
// what the others found.
func registry() []entry {
	return []entry{
		// self first: the survey's own footprint, which the processes, listeners and
		// network surveyors leave out. It owns no section.
		{Surveyor: self.New()},
		// packages first: it names the package manager from the databases it read,
		// which beats hostos's guess from the OS family.
		owns(packages.New(), snapshot.SectionPackages),
		owns(hostos.New(), snapshot.SectionHost, snapshot.SectionOS),
		owns(services.New(), snapshot.SectionServices),
		owns(processes.New(), snapshot.SectionProcesses),
		owns(listeners.New(), snapshot.SectionListeners),
		// The order is a dependency order: backups read cron jobs and databases, eol
		// reads versions, links reads everything.
		owns(network.New(), snapshot.SectionNetwork, snapshot.SectionConns, snapshot.SectionFirewall),
		owns(storage.New(), snapshot.SectionStorage),
		owns(timekeeping.New(), snapshot.SectionTime),
		owns(cron.New(), snapshot.SectionCron),
		owns(accounts.New(), snapshot.SectionAccounts, snapshot.SectionSudo, snapshot.SectionKeys),
		// files before logs: a shipper installed outside the package manager (a
		// gem) is named by the software the files surveyor found.
		owns(files.New(), snapshot.SectionFiles, snapshot.SectionUnmanaged),
		owns(logs.New(), snapshot.SectionLogs, snapshot.SectionShippers),
		// web: apache and nginx first, since the app surveyors read their modules
		// and document roots.
		owns(apache.New(), snapshot.SectionApache),
		owns(nginx.New(), snapshot.SectionNginx),
		// apps follows what apache, nginx and the process managers serve to the
		// application trees; ruby, php and java then add what their runtimes say.
		owns(apps.New(), snapshot.SectionApps),
		owns(apps.NewRuby(), snapshot.SectionRuby),
		owns(apps.NewPHP(), snapshot.SectionPHP),
		owns(apps.NewJava(), snapshot.SectionJava),
		owns(certs.New(), snapshot.SectionCertificates),
		owns(mysql.New(), snapshot.SectionMySQL),
		owns(postgresql.New(), snapshot.SectionPostgreSQL),
		owns(postfix.New(), snapshot.SectionPostfix),
		owns(dovecot.New(), snapshot.SectionDovecot),
		owns(docker.New(), snapshot.SectionDocker),
		owns(caches.NewMemcached(), snapshot.SectionMemcached),
		owns(caches.NewRedis(), snapshot.SectionRedis),
		// kernel reads which sysctl files the files surveyor found edited: an
		// admin's decision, or the OS's default.
		owns(kernel.New(), snapshot.SectionSysctl),
		// answers reads what services said when asked (collected after the probe,
		// from the listeners and vhosts found above).
		owns(answers.New(), snapshot.SectionAnswers),
		owns(backups.New(), snapshot.SectionBackups),
		owns(eol.New(), snapshot.SectionEOL),
		{Surveyor: links.New(), ties: []snapshot.Section{snapshot.SectionServices, snapshot.SectionProcesses, snapshot.SectionListeners}},
	}
}

// Run parses an archive into a snapshot. raw, when given, is the archive's bytes, to
// fingerprint it.
func Run(a *evidence.Archive, src snapshot.Source, raw []byte) *snapshot.Snapshot {
	return run(a, src, raw, registry())
}

func run(a *evidence.Archive, src snapshot.Source, raw []byte, reg []entry) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		TrowelVersion: version.Version,
		CollectedAt:   collectedAt(a),
		Source:        src,
		Packages:      []snapshot.Package{},
		Services:      []snapshot.Service{},
		Processes:     []snapshot.Process{},
		Listeners:     []snapshot.Listener{},
		Coverage:      map[snapshot.Section]snapshot.Coverage{},
		Evidence:      map[string]snapshot.EvidenceRef{},
	}
	if v := a.Header["probe"]; v != "" {
		s.Source.ProbeVersion = v
	}
	if u := a.Header["user"]; u != "" && s.Source.User == "" {
		s.Source.User = u
	}
	if uid, err := strconv.Atoi(a.Header["uid"]); err == nil {
		s.Source.UID = snapshot.Int(uid)
		s.Source.Privileged = uid == 0
	}
	if len(raw) > 0 {
		sum := sha256.Sum256(raw)
		s.Source.EvidenceSHA256 = hex.EncodeToString(sum[:])
	}
	if !a.Complete {
		s.Source.Notes = append(s.Source.Notes, "the evidence stream ended early: sections whose evidence did not arrive are marked as not collected")
	}
	s.Source.Notes = append(s.Source.Notes, a.Problems...)
	a, masked := withoutSecrets(a)
	s.Source.Notes = append(s.Source.Notes, masked...)
	in := &kit.Input{Archive: a, Snap: s}
	for _, e := range reg {
		surveyOrMark(in, e)
	}
	// A section no surveyor spoke for is unknown, never empty.
	for _, sec := range snapshot.Sections {
		if _, ok := s.Coverage[sec]; !ok {
			s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "this trowel has no surveyor for it"}
		}
	}
	s.Normalize()
	return s
}

// surveyOrMark runs one surveyor. When it panics, what it had set in the snapshot's
// fields is put back as it was before it ran (a half-filled list would read as the
// whole one), its sections are unavailable with the failure as their reason, the
// sections it ties are partial, and a note says where it failed.
func surveyOrMark(in *kit.Input, e entry) {
	before := *in.Snap
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		where := panicSite()
		coverage, cited := in.Snap.Coverage, in.Snap.Evidence
		*in.Snap = before
		in.Snap.Coverage, in.Snap.Evidence = coverage, cited
		why := fmt.Sprintf("the %s surveyor failed: %s", e.Name(), oneLine(fmt.Sprint(v)))
		for _, sec := range e.owns {
			in.Cover(sec, snapshot.Unavailable, why)
		}
		for _, sec := range e.ties {
			if c := in.Snap.Coverage[sec]; c.Status == snapshot.Collected {
				in.Cover(sec, snapshot.Partial, why+"; what ties each item to the others may be missing")
			}
		}
		note := why
		if where != "" {
			note += " (in " + where + ")"
		}
		if len(e.owns) > 0 {
			note += "; its sections are marked unavailable: " + joinSections(e.owns)
		}
		in.Snap.Source.Notes = append(in.Snap.Source.Notes, note)
	}()
	e.Survey(in)
}

// panicSite names the function and line that panicked, for a bug report: the first
// frame below the runtime's own once the panic began.
func panicSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && !strings.HasPrefix(f.Function, "runtime."):
			fn := f.Function
			if i := strings.LastIndexByte(fn, '/'); i >= 0 {
				fn = fn[i+1:]
			}
			return fn + " line " + strconv.Itoa(f.Line)
		}
		if !more {
			return ""
		}
	}
}

// oneLine keeps a panic's message to a coverage reason: its first line, bounded.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return strings.TrimSpace(s)
}

func joinSections(secs []snapshot.Section) string {
	var b strings.Builder
	for i, s := range secs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

func collectedAt(a *evidence.Archive) time.Time {
	if sec, err := strconv.ParseInt(a.Header["epoch"], 10, 64); err == nil && sec > 0 {
		return time.Unix(sec, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}
