// Package self finds the survey's own footprint on a live host, so that nothing the
// survey did is reported as what the host does: the SSH session it came in by, sudo,
// the shells that started the probe, the probe and every command it ran, and the
// connection it came in by. It records them in Source.Session for the processes,
// listeners and network surveyors to leave out, and says in Source who logged in and
// how ("opsadmin", through sudo).
//
// The evidence is the probe's self item (its PID, its ancestors as /proc showed them,
// the sockets they held, SSH_CONNECTION and SUDO_USER), read before the process list;
// an archive of an older probe without it is traced through the process list from the
// header's PID.
package self

import (
	"sort"
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// Surveyor fills Source.Session, Source.Login and Source.Through. It owns no section:
// what it finds is how the others are read. It runs before the processes surveyor.
type Surveyor struct{}

// New returns the self surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "self" }

// Survey traces the footprint. On a disk read offline nothing of the survey ran.
func (Surveyor) Survey(in *kit.Input) {
	src := &in.Snap.Source
	if src.Sudo && src.Through == "" {
		src.Through = "sudo"
	}
	if in.Offline() {
		return
	}
	var it Item
	if item := in.Cmd("self"); kit.Usable(item) {
		// A line it could not read leaves the rest: the footprint is a best effort
		// over what /proc showed, and the processes surveyor still leaves out the
		// probe's own tree by the header's PID.
		it, _ = ParseItem(kit.CompleteLines(item))
	}
	if it.PID == 0 {
		it.PID, _ = strconv.Atoi(in.Archive.Header["pid"])
	}
	if it.PID <= 0 {
		return
	}
	procs, _ := processes.List(in)
	fp := Trace(it, procs)
	sess := &snapshot.Session{}
	for pid := range fp.Own {
		sess.PIDs = append(sess.PIDs, pid)
	}
	sort.Ints(sess.PIDs)
	sess.Sockets = fp.Sockets
	if it.Client.IsValid() {
		sess.Client, sess.Server = it.Client.String(), it.Server.String()
	}
	src.Session = sess

	users := map[int]string{}
	if pw := in.File("/etc/passwd"); kit.Usable(pw) {
		users = processes.ParsePasswd(pw.Text())
	}
	login, through := fp.Login(it, users)
	if login == "" && through == "" {
		login = src.User // nothing on the way in changed rights
	}
	if src.Login == "" {
		src.Login = login
	}
	if src.Through == "" {
		src.Through = through
	}
	if src.Through == "sudo" {
		src.Sudo = true
	}
}
