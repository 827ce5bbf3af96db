package accounts

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// keyFiles are the HomeFile steps' paths below each home.
var keyFiles = []string{".ssh/authorized_keys", ".ssh/authorized_keys2"}

const sshdConfig = "/etc/ssh/sshd_config"

// surveyKeys reads sshd's access settings and every home's authorized_keys.
func surveyKeys(in *kit.Input, acc *snapshot.Accounts) {
	const sec = snapshot.SectionKeys
	var reasons []string
	status := snapshot.Collected
	used := []*evidence.Item{}

	settings, sshdItems, sshdNote := surveySSHD(in)
	acc.SSHD = settings
	used = append(used, sshdItems...)
	if sshdNote != "" {
		reasons = append(reasons, sshdNote)
	}
	central := centralKeyFiles(settings)

	type fileKeys struct {
		it   *evidence.Item
		keys []snapshot.AuthorizedKey
	}
	cache := map[string]*fileKeys{}
	load := func(p string) *fileKeys {
		if fk, ok := cache[p]; ok {
			return fk
		}
		fk := &fileKeys{it: in.File(p)}
		cache[p] = fk
		if !kit.Usable(fk.it) {
			return fk
		}
		keys, err := ParseAuthorizedKeys(fk.it.Text())
		if err != nil {
			status = kit.WorseOf(status, snapshot.Partial)
			reasons = append(reasons, p+": "+err.Error())
		}
		if st, why := kit.StatusOf(fk.it); st != snapshot.Collected {
			status = kit.WorseOf(status, st)
			reasons = append(reasons, why)
		}
		id := in.Cite(fk.it)
		for _, k := range keys {
			fk.keys = append(fk.keys, snapshot.AuthorizedKey{
				Type: k.Type, Fingerprint: k.Fingerprint, Bits: k.Bits, Comment: k.Comment,
				Options: k.Options, File: p, Source: sourceOf(p, k.Line), Evidence: id,
			})
		}
		return fk
	}

	collected, missingCentral := 0, map[string]bool{}
	var unread []*evidence.Item
	var unreadNames []string
	for i := range acc.Users {
		u := &acc.Users[i]
		var paths []string
		if strings.HasPrefix(u.Home, "/") {
			for _, kf := range keyFiles {
				paths = append(paths, path.Join(u.Home, kf))
			}
		}
		for _, c := range central {
			paths = append(paths, expandKeyPath(c, u.Name, u.Home))
		}
		for _, p := range paths {
			fk := load(p)
			it := fk.it
			switch {
			case kit.Usable(it):
				collected++
				used = append(used, it)
				u.Keys = append(u.Keys, fk.keys...)
				if len(fk.keys) > 0 {
					u.Evidence = appendOnce(u.Evidence, in.Cite(it))
				}
			case it.Status == evidence.StatusAbsent || it.Status == evidence.StatusNotFile:
				collected++
			case it.Status == evidence.StatusMissing && !strings.HasPrefix(p, u.Home+"/"):
				missingCentral[p] = true
			case it.Status == evidence.StatusMissing:
				// The probe reads a home only when it is a directory: a missing item
				// under a home that is not there is no gap.
			default:
				used = append(used, it)
				unread = append(unread, it)
				unreadNames = snapshot.AppendNew(unreadNames, it.Name+" ("+string(it.Status)+")")
			}
		}
	}
	if len(missingCentral) > 0 {
		status = kit.WorseOf(status, snapshot.Partial)
		reasons = append(reasons, "sshd's AuthorizedKeysFile "+strings.Join(central, " ")+" is outside the homes and was not collected")
	}
	switch {
	case collected == 0 && len(unread) == 0:
		in.Cover(sec, snapshot.Unavailable, "no authorized_keys file of any home was looked at (an older probe, or the session ended early)", used...)
		return
	case collected == 0:
		// Refused, cut off or stopped, as the files themselves say.
		status, _ = kit.Failure(unread...)
		reasons = append(reasons, "not read: "+strings.Join(unreadNames, ", "))
	case len(unread) > 0:
		status = kit.WorseOf(status, snapshot.Partial)
		reasons = append(reasons, "not read: "+strings.Join(unreadNames, ", "))
	}
	in.Cover(sec, status, strings.Join(reasons, "; "), used...)
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// surveySSHD reads sshd_config and the files its Include lines name.
func surveySSHD(in *kit.Input) ([]snapshot.SSHDSetting, []*evidence.Item, string) {
	main := in.File(sshdConfig)
	if !kit.Usable(main) {
		if main.Status == evidence.StatusAbsent {
			return nil, []*evidence.Item{main}, ""
		}
		return nil, []*evidence.Item{main}, "sshd's settings unknown: " + main.Problem()
	}
	var all []SSHDDirective
	var paths []string
	var notes []string
	items := []*evidence.Item{main}
	ids := map[int]string{}
	var read func(it *evidence.Item, depth int)
	read = func(it *evidence.Item, depth int) {
		ds, err := ParseSSHDConfig(it.Text())
		if err != nil {
			notes = append(notes, it.Name+": "+err.Error())
		}
		id := in.Cite(it)
		for _, d := range ds {
			if d.Key != "Include" {
				ids[len(all)] = id
				all = append(all, d)
				paths = append(paths, it.Name)
				continue
			}
			for _, pat := range strings.Fields(d.Value) {
				if !strings.HasPrefix(pat, "/") {
					pat = "/etc/ssh/" + pat // sshd: relative to /etc/ssh
				}
				for _, x := range in.Archive.Matching(evidence.KindFile, pat) {
					items = append(items, x)
					if kit.Usable(x) && depth < 4 {
						read(x, depth+1)
					}
				}
			}
		}
	}
	read(main, 0)
	// sshd keeps the first value of a keyword (per Match block), every value of
	// the list keywords.
	var out []snapshot.SSHDSetting
	seen := map[string]bool{}
	for i, d := range all {
		k := d.Match + "\x00" + d.Key
		if seen[k] && !listKeys[d.Key] {
			continue
		}
		seen[k] = true
		key := d.Key
		if d.Match != "" {
			key = "Match " + d.Match + ": " + d.Key
		}
		out = append(out, snapshot.SSHDSetting{Key: key, Value: d.Value, Source: sourceOf(paths[i], d.Line), Evidence: ids[i]})
	}
	return out, items, strings.Join(notes, "; ")
}

// centralKeyFiles are the AuthorizedKeysFile entries outside the home (absolute and
// not under %h), e.g. /etc/ssh/authorized_keys/%u.
func centralKeyFiles(settings []snapshot.SSHDSetting) []string {
	var out []string
	for _, s := range settings {
		if s.Key != "AuthorizedKeysFile" {
			continue
		}
		for _, p := range strings.Fields(s.Value) {
			if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "%h") && p != "/dev/null" {
				out = append(out, p)
			}
		}
	}
	return out
}

// expandKeyPath expands sshd's %u, %h and %% in an AuthorizedKeysFile path.
func expandKeyPath(p, user, home string) string {
	r := strings.NewReplacer("%%", "%", "%u", user, "%h", home, "%U", "")
	return r.Replace(p)
}
