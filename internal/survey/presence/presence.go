// Package presence decides whether a kind of server software is on the host, for the
// middleware surveyors of databases, mail, containers and caches. "Not applicable"
// must be proven: no package that installs it, no program, no configuration. Anything
// short of that proof leaves the section to its surveyor to call partial or
// unavailable.
package presence

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// NotInstalled reports whether a command item proves its program is not installed:
// the probe found no such program (status absent), or the probe's _data_run looked
// in PATH, sbin and libexec and exited 127 without output.
func NotInstalled(it *evidence.Item) bool {
	if it == nil {
		return false
	}
	if it.Status == evidence.StatusAbsent {
		return true
	}
	return it.Status == evidence.StatusOK && it.RC == 127 && len(strings.TrimSpace(string(it.Data))) == 0
}

// Installed reports whether a command item ran the program (it exists), whatever
// its exit status.
func Installed(it *evidence.Item) bool {
	return it != nil && it.Status == evidence.StatusOK && !NotInstalled(it)
}

// Packages returns the installed packages whose names match one of the shell
// patterns ("mariadb-server*" matches mariadb-server-10.5).
func Packages(s *snapshot.Snapshot, names ...string) []snapshot.Package {
	var out []snapshot.Package
	for _, p := range s.Packages {
		for _, n := range names {
			if ok, _ := path.Match(n, p.Name); ok {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// PackagesKnown reports whether the package list is complete enough for the absence
// of a package to mean something.
func PackagesKnown(s *snapshot.Snapshot) bool {
	return s.Coverage[snapshot.SectionPackages].Status == snapshot.Collected
}

// Service returns the name of the first service known under one of the names.
func Service(s *snapshot.Snapshot, names ...string) string {
	for _, n := range names {
		for _, sv := range s.Services {
			if sv.Name == n || sv.Name == n+".service" {
				return sv.Name
			}
		}
	}
	return ""
}

// Proof is what was looked at to tell whether the software is there.
type Proof struct {
	Packages []string         // names, as for Packages
	Programs []*evidence.Item // version commands
	Configs  []*evidence.Item // configuration files and directories
}

// Absent reports whether the evidence proves the software is not on the host, with
// the reason and the items behind it. Offline, programs cannot be run: the package
// database and the configuration files carry the proof alone, and the reason says so.
func Absent(in *kit.Input, p Proof) (bool, string, []*evidence.Item) {
	if !PackagesKnown(in.Snap) || len(Packages(in.Snap, p.Packages...)) > 0 {
		return false, "", nil
	}
	var cite []*evidence.Item
	offline := false
	for _, it := range p.Programs {
		switch {
		case NotInstalled(it):
			cite = append(cite, it)
		case it != nil && it.Status == evidence.StatusOffline && in.Offline():
			offline = true
		default:
			return false, "", nil
		}
	}
	for _, it := range p.Configs {
		if it == nil || it.Status != evidence.StatusAbsent {
			return false, "", nil
		}
		cite = append(cite, it)
	}
	reason := "not installed: no package (" + strings.Join(p.Packages, ", ") + "), no program"
	if offline {
		reason = "not installed: no package (" + strings.Join(p.Packages, ", ") + "); programs could not be run offline"
	}
	if len(p.Configs) > 0 {
		reason += ", no configuration file"
	}
	return true, reason, cite
}
