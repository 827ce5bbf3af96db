// Package kittest builds evidence archives and surveyor inputs for tests, so every
// surveyor's tests describe the evidence they feed in, not how to assemble it.
package kittest

import (
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Archive is a complete archive of the given items, collected as root unless the
// items say otherwise through Header.
func Archive(items ...*evidence.Item) *evidence.Archive {
	a := &evidence.Archive{Complete: true, Header: map[string]string{"uid": "0", "user": "root"}}
	for _, it := range items {
		a.Add(it)
	}
	return a
}

// File is a file item read successfully.
func File(path, data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Status: evidence.StatusOK, Data: []byte(data)}
}

// Cmd is a command item that exited 0.
func Cmd(name, command, data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: command, Status: evidence.StatusOK, Data: []byte(data)}
}

// List is a directory listing item in the probe's format ("f\tname", "l\tname\ttarget").
func List(path, data string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindList, Name: path, Status: evidence.StatusOK, Data: []byte(data)}
}

// Failed is an item of any kind that ended with the given status (denied, absent,
// timeout ...), with an optional error text.
func Failed(kind evidence.Kind, name string, st evidence.Status, stderr string) *evidence.Item {
	return &evidence.Item{Kind: kind, Name: name, Status: st, Stderr: []byte(stderr)}
}

// Input is a surveyor input over the archive, for a host surveyed over SSH; pass a
// snapshot to give the surveyor facts earlier surveyors found.
func Input(a *evidence.Archive, s *snapshot.Snapshot) *kit.Input {
	if s == nil {
		s = &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}}
	}
	if s.Coverage == nil {
		s.Coverage = map[snapshot.Section]snapshot.Coverage{}
	}
	if s.Evidence == nil {
		s.Evidence = map[string]snapshot.EvidenceRef{}
	}
	return &kit.Input{Archive: a, Snap: s}
}
