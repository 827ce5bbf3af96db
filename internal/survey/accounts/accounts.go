// Package accounts surveys who may log in and what they may do: users and groups
// (/etc/passwd, /etc/group, the probe's password states from shadow, the uid ranges of
// /etc/login.defs), sudo rights (/etc/sudoers and every file it includes), the
// authorized_keys of every home and sshd's access settings, and last logins.
//
// Across OS versions: RHEL/CentOS 5-6 start human uids at 500, everything since at
// 1000; RHEL 5-7 ship "Defaults requiretty"; /etc/sudoers.d arrived with sudo 1.7.2
// (RHEL 6, Debian 6) and @include/@includedir with sudo 1.9.1; sshd_config is mode 600
// on RHEL (unreadable without root) and gained Include in OpenSSH 8.2;
// authorized_keys2 is read by default only before OpenSSH 7.0... and by Debian's
// default AuthorizedKeysFile until 12.
package accounts

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills Accounts and the accounts, sudo and authorized_keys coverage.
type Surveyor struct{}

// New returns the accounts surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "accounts" }

// Survey reads the account files, sudoers, authorized_keys, sshd_config and lastlog.
func (Surveyor) Survey(in *kit.Input) {
	acc := &in.Snap.Accounts
	acc.Users, acc.Groups = []snapshot.User{}, []snapshot.Group{}
	pw, gr := in.File("/etc/passwd"), in.File("/etc/group")
	if !kit.Usable(pw) {
		st, why := kit.StatusOf(pw)
		in.Cover(snapshot.SectionAccounts, st, why, pw)
		in.Cover(snapshot.SectionSudo, snapshot.Unavailable, "needs /etc/passwd to know whom the rules grant: "+why, pw)
		in.Cover(snapshot.SectionKeys, snapshot.Unavailable, "needs /etc/passwd to know the homes: "+why, pw)
		return
	}
	// Users come from passwd, groups from group, password states from shadow:
	// each source stands for what it holds when another could not be read.
	passwd, group, shadowSrc := kit.NewSource(snapshot.AccountsPasswd), kit.NewSource(snapshot.AccountsGroup), kit.NewSource(snapshot.AccountsShadow)
	var notes []string
	passwd.Read(pw, true)
	entries, err := ParsePasswd(pw.Text())
	if err != nil {
		passwd.Gap(snapshot.Partial, "/etc/passwd: "+err.Error())
	}
	var groups []GroupEntry
	if group.Read(gr, true) {
		groups, err = ParseGroup(gr.Text())
		if err != nil {
			group.Gap(snapshot.Partial, "/etc/group: "+err.Error())
		}
	}
	shadow := shadowStates(in, shadowSrc)
	defs := DefaultLoginDefs(in.Snap.OS.Family, in.Snap.OS.VersionID)
	if ld := in.File("/etc/login.defs"); kit.Usable(ld) {
		defs = ParseLoginDefs(ld.Text(), defs)
	}
	acc.UIDMin, acc.SysUIDMax = defs.UIDMin, defs.SysUIDMax

	pwID := in.Cite(pw)
	grID := ""
	if kit.Usable(gr) {
		grID = in.Cite(gr)
	}
	shID := ""
	if it := in.Cmd("shadow-state"); kit.Usable(it) {
		shID = in.Cite(it)
	}
	a := Accounts{Users: entries, Groups: groups}
	running := runningUsers(in.Snap)
	groupName := map[int]string{}
	for _, g := range groups {
		if _, ok := groupName[g.GID]; !ok {
			groupName[g.GID] = g.Name
		}
		acc.Groups = append(acc.Groups, snapshot.Group{Name: g.Name, GID: g.GID, Members: g.Members, Evidence: grID})
	}
	for _, e := range entries {
		u := snapshot.User{
			Name: e.Name, UID: e.UID, GID: e.GID, Group: groupName[e.GID], Comment: e.Comment,
			Home: e.Home, Shell: e.Shell, Password: shadow[e.Name], Evidence: []string{pwID},
		}
		for _, g := range groups {
			for _, m := range g.Members {
				if m == e.Name && g.GID != e.GID {
					u.Groups = append(u.Groups, g.Name)
					break
				}
			}
		}
		if grID != "" {
			u.Evidence = append(u.Evidence, grID)
		}
		if shID != "" {
			u.Evidence = append(u.Evidence, shID)
		}
		u.Kind = Kind(e, defs, running[e.UID])
		acc.Users = append(acc.Users, u)
	}

	surveyKeys(in, acc)
	surveySudo(in, a)
	if note := surveyLastlog(in, acc); note != "" {
		notes = append(notes, note)
	}
	for i := range acc.Users {
		u := &acc.Users[i]
		pwOK := u.Password == "usable" || u.Password == "empty" || u.Password == ""
		u.CanLogin = !NoLoginShell(u.Shell) && (pwOK || len(u.Keys) > 0)
	}
	if shadow == nil {
		notes = append(notes, "can_login assumes a usable password where the password state is unknown")
	}
	in.CoverSources(snapshot.SectionAccounts, []*kit.Source{passwd, group, shadowSrc}, notes...)
}

// Kind tells human, service and system accounts apart: a human has a login shell and
// a uid in the user range; a service account owns a running process or has no login
// shell but a uid in the user range (an application's account made by hand); the rest
// are the distribution's system accounts.
func Kind(e PasswdEntry, defs LoginDefs, runsProcesses bool) string {
	inUserRange := e.UID >= defs.UIDMin && e.UID != 65534 && e.UID != 4294967294
	switch {
	case inUserRange && !NoLoginShell(e.Shell):
		return "human"
	case e.UID != 0 && runsProcesses, inUserRange:
		return "service"
	}
	return "system"
}

func runningUsers(s *snapshot.Snapshot) map[int]bool {
	out := map[int]bool{}
	for _, p := range s.Processes {
		if p.UID != nil {
			out[*p.UID] = true
		}
	}
	return out
}

// shadowStates reads the probe's password states into their source, which says
// why they are unknown.
func shadowStates(in *kit.Input, src *kit.Source) map[string]string {
	it := in.Cmd("shadow-state")
	if !kit.Usable(it) {
		st, why := kit.StatusOf(it)
		src.Gap(st, "password states unknown: "+why, it)
		return nil
	}
	src.Read(it, true)
	m, err := ParseShadowState(it.Text())
	if err != nil {
		src.Gap(snapshot.Partial, "shadow-state: "+err.Error())
	}
	return m
}

// surveyLastlog fills the last logins; the note says why they are unknown.
func surveyLastlog(in *kit.Input, acc *snapshot.Accounts) string {
	it := in.Cmd("lastlog")
	if !kit.Usable(it) {
		return "last logins unknown: " + kit.Explain(it)
	}
	lls, err := ParseLastlog(it.Text())
	id := in.Cite(it)
	byName := map[string]LastLogin{}
	for _, l := range lls {
		byName[l.User] = l
	}
	for i := range acc.Users {
		u := &acc.Users[i]
		l, ok := byName[u.Name]
		if !ok || l.Time == nil {
			continue
		}
		t := *l.Time
		u.LastLogin = &t
		u.LastFrom = l.From
		if u.LastFrom == "" {
			u.LastFrom = l.Port
		}
		u.Evidence = append(u.Evidence, id)
	}
	var notes []string
	if err != nil {
		notes = append(notes, "lastlog: "+err.Error())
	}
	for _, l := range lls {
		if l.Time != nil && !l.Zoned {
			notes = append(notes, "lastlog printed times without their UTC offset: they are the host's local time, recorded as UTC")
			break
		}
	}
	return strings.Join(notes, "; ")
}

func sourceOf(path string, line int) string { return fmt.Sprintf("%s:%d", path, line) }
