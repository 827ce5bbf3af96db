// Package survey turns evidence into a snapshot. Each domain has one surveyor, a pure
// function of the evidence; they are registered in one explicit list, in the order
// they run, because later ones (links between facts) read what earlier ones found.
package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
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
	"github.com/trowel-dev/trowel/internal/survey/services"
	"github.com/trowel-dev/trowel/internal/survey/storage"
	"github.com/trowel-dev/trowel/internal/survey/timekeeping"
	"github.com/trowel-dev/trowel/internal/version"
)

// Surveyor reads evidence and fills in its part of the snapshot, including the
// coverage of the sections it owns. It must not fail: what it cannot parse becomes a
// coverage reason, and what it could parse is kept.
type Surveyor interface {
	Name() string
	Survey(in *kit.Input)
}

// Surveyors is the registry, in running order. links runs last: it ties listeners,
// processes, services and packages together, so it reads what the others found.
func Surveyors() []Surveyor {
	return []Surveyor{
		// packages first: it names the package manager from the databases it read,
		// which beats hostos's guess from the OS family.
		packages.New(),
		hostos.New(),
		services.New(),
		processes.New(),
		listeners.New(),
		// The domains of issue 3. Each line is owned by one surveyor package; the
		// order is a dependency order (backups read cron jobs and databases, eol
		// reads versions, links reads everything).
		network.New(),
		storage.New(),
		timekeeping.New(),
		cron.New(),
		accounts.New(),
		logs.New(),
		// web: apache and nginx first, since the app surveyors read their modules
		// and document roots.
		apache.New(),
		nginx.New(),
		apps.NewRuby(),
		apps.NewPHP(),
		apps.NewJava(),
		certs.New(),
		mysql.New(),
		postgresql.New(),
		postfix.New(),
		dovecot.New(),
		docker.New(),
		caches.NewMemcached(),
		caches.NewRedis(),
		files.New(),
		// kernel reads which sysctl files the files surveyor found edited: an
		// admin's decision, or the OS's default.
		kernel.New(),
		// answers reads what services said when asked (collected after the probe,
		// from the listeners and vhosts found above).
		answers.New(),
		backups.New(),
		eol.New(),
		links.New(),
	}
}

// Run parses an archive into a snapshot. raw, when given, is the archive's bytes, to
// fingerprint it.
func Run(a *evidence.Archive, src snapshot.Source, raw []byte) *snapshot.Snapshot {
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
	for _, sv := range Surveyors() {
		sv.Survey(in)
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

func collectedAt(a *evidence.Archive) time.Time {
	if sec, err := strconv.ParseInt(a.Header["epoch"], 10, 64); err == nil && sec > 0 {
		return time.Unix(sec, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}
