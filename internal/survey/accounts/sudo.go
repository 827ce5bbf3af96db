package accounts

import (
	"path"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

const sudoersPath = "/etc/sudoers"

// surveySudo reads /etc/sudoers and what it includes, as the probe collected it,
// and fills Accounts.Sudo and each user's rules.
func surveySudo(in *kit.Input, a Accounts) {
	const sec = snapshot.SectionSudo
	main := in.File(sudoersPath)
	switch {
	case main.Status == evidence.StatusAbsent:
		in.Cover(sec, snapshot.NotApplicable, "/etc/sudoers does not exist: no sudo rules are there (whether sudo is installed is the package list's to say)", main)
		return
	case !kit.Usable(main):
		st, why := kit.StatusOf(main)
		if st == snapshot.Denied {
			why = "sudoers is readable by root only; who may use sudo is unknown, not none (" + why + ")"
		}
		in.Cover(sec, st, why, main)
		return
	}
	status, notes := kit.StatusOf(main)
	var reasons []string
	if notes != "" {
		reasons = append(reasons, notes)
	}
	used := []*evidence.Item{main}
	var files []*Sudoers
	ids := map[string]string{}
	var read func(it *evidence.Item, depth int)
	read = func(it *evidence.Item, depth int) {
		f, err := ParseSudoers(it.Name, it.Text())
		if err != nil {
			status = worse(status, snapshot.Partial)
			reasons = append(reasons, it.Name+": "+err.Error())
		}
		ids[it.Name] = in.Cite(it)
		files = append(files, f)
		for _, inc := range f.Includes {
			p := inc.Path
			if !strings.HasPrefix(p, "/") {
				p = path.Join(path.Dir(it.Name), p) // sudo 1.9: relative to the including file
			}
			if strings.Contains(p, "%h") {
				status = worse(status, snapshot.Partial)
				reasons = append(reasons, sourceOf(it.Name, inc.Line)+": an include naming the host (%h) was not followed")
				continue
			}
			var incs []*evidence.Item
			if inc.Dir {
				for _, x := range in.Archive.FilesUnder(p) {
					if !probe.SudoIncludeDirSkips(path.Base(x.Name)) {
						incs = append(incs, x)
					}
				}
				if l := in.List(p); kit.Usable(l) {
					if missing := unread(l, incs); len(missing) > 0 {
						status = worse(status, snapshot.Partial)
						reasons = append(reasons, p+": not read: "+strings.Join(missing, ", "))
					}
				}
			} else {
				incs = append(incs, in.File(p))
			}
			for _, x := range incs {
				used = append(used, x)
				if _, done := ids[x.Name]; done || depth >= 4 {
					continue
				}
				if !kit.Usable(x) {
					if x.Status == evidence.StatusAbsent && !inc.Dir {
						continue // sudo itself skips a missing include
					}
					_, why := kit.StatusOf(x)
					status = worse(status, snapshot.Partial)
					reasons = append(reasons, x.Name+" not read: "+why)
					continue
				}
				if st, why := kit.StatusOf(x); st != snapshot.Collected {
					status = worse(status, st)
					reasons = append(reasons, why)
				}
				read(x, depth+1)
			}
		}
	}
	read(main, 0)

	rules := Resolve(files, a)
	acc := &in.Snap.Accounts
	byName := map[string]int{}
	for i, u := range acc.Users {
		byName[u.Name] = i
	}
	for _, r := range rules {
		sr := snapshot.SudoRule{
			Who: r.Who, Users: r.Users, Hosts: r.Hosts, RunAs: r.RunAs, Commands: r.Commands,
			NoPasswd: r.NoPasswd, Tags: TagsWithout(r.Tags), Defaults: r.Defaults,
			Source: sourceOf(r.Path, r.Line), Evidence: ids[r.Path],
		}
		acc.Sudo = append(acc.Sudo, sr)
		for _, u := range r.Users {
			if i, ok := byName[u]; ok {
				acc.Users[i].Sudo = append(acc.Users[i].Sudo, sr)
			}
		}
	}
	in.Cover(sec, status, strings.Join(reasons, "; "), used...)
}

// unread lists the files of an included directory that sudo reads but the evidence
// lacks (a name with a blank, or a file past the probe's bound).
func unread(l *evidence.Item, got []*evidence.Item) []string {
	have := map[string]bool{}
	for _, g := range got {
		have[path.Base(g.Name)] = true
	}
	entries, _ := kit.ParseListing(l.Text())
	var out []string
	for _, e := range entries {
		if (e.Type == 'f' || e.Type == 'l') && !probe.SudoIncludeDirSkips(e.Name) && !have[e.Name] {
			out = append(out, e.Name)
		}
	}
	sort.Strings(out)
	return out
}

func worse(a, b snapshot.Status) snapshot.Status {
	rank := map[snapshot.Status]int{snapshot.Collected: 0, snapshot.NotApplicable: 0, snapshot.Partial: 1, snapshot.TimedOut: 2, snapshot.Denied: 3, snapshot.Unavailable: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
