package files

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// maxSettings bounds the changes kept for one file: a file rewritten from scratch
// differs everywhere, and its content is kept whole anyway.
const maxSettings = 300

// lineFacts are what the host said about the file's lines against one copy: the
// numbers of the lines the copy lacks as they are. They decide, for a setting whose
// value the secret filter hid, whether it was changed.
type lineFacts struct {
	absent map[int]bool // nil: the host did not say
	cut    bool         // the list stops early
	last   int          // the highest number listed
}

func factsOf(c *Copy) lineFacts {
	f := lineFacts{absent: c.Absent, cut: c.Cut}
	for n := range c.Absent {
		f.last = max(f.last, n)
	}
	return f
}

// changed says whether line n of the file is missing from the copy, and whether
// that is known.
func (f lineFacts) changed(n int) (changed, known bool) {
	switch {
	case f.absent == nil:
		return false, false
	case f.absent[n]:
		return true, true
	case f.cut && n > f.last:
		return false, false
	}
	return false, true
}

type group struct {
	section, norm, key string
	base, cur          []setting
}

// compareSettings lists the settings of cur that differ from base, setting by
// setting: by name within its section, a name given several times compared as a
// set of values, a file read line by line as a set of lines. A value the secret
// filter hid on either side is never compared as text: the host's word on its line
// decides, and the change says only that it happened.
func compareSettings(base, cur []setting, facts lineFacts) (out []snapshot.SettingChange, omitted int) {
	var order []*group
	groups := map[string]*group{}
	commented := map[string]setting{}
	at := func(s setting) *group {
		id := s.section + "\x00" + s.norm
		g := groups[id]
		if g == nil {
			g = &group{section: s.section, norm: s.norm, key: s.key}
			groups[id] = g
			order = append(order, g)
		}
		return g
	}
	for _, s := range cur {
		if !s.commented {
			at(s).cur = append(at(s).cur, s)
		}
	}
	for _, s := range base {
		id := s.section + "\x00" + s.norm
		if s.commented {
			if _, ok := commented[id]; !ok {
				commented[id] = s
			}
			continue
		}
		at(s).base = append(at(s).base, s)
	}
	emit := func(c snapshot.SettingChange) {
		if len(out) >= maxSettings {
			omitted++
			return
		}
		out = append(out, c)
	}
	for _, g := range order {
		change := func(kind string, was, now setting) snapshot.SettingChange {
			c := snapshot.SettingChange{Section: g.section, Key: g.key, Change: kind, Was: was.value, Now: now.value, Line: now.line}
			if kind == "removed" {
				c.Line = was.line
			}
			return c
		}
		bp, bh := splitHidden(g.base)
		cp, ch := splitHidden(g.cur)
		removed, added := minus(bp, cp), minus(cp, bp)
		switch {
		case len(removed) == 1 && len(added) == 1 && g.norm != "":
			emit(change("changed", removed[0], added[0]))
		case len(g.base) == 0 && len(added) == 1 && g.norm != "":
			if d, ok := commented[g.section+"\x00"+g.norm]; ok && d.value != added[0].value {
				c := change("changed", d, added[0])
				c.WasCommented = true
				emit(c)
			} else {
				emit(change("added", setting{}, added[0]))
			}
		default:
			for _, s := range removed {
				emit(change("removed", s, setting{}))
			}
			for _, s := range added {
				emit(change("added", setting{}, s))
			}
		}
		// Hidden values: each of the file's is matched with one of the baseline's
		// when its line is there as it was (unchanged), or said changed when it is
		// not; the baseline's left over were removed.
		spare := len(bh)
		for _, s := range ch {
			c := snapshot.SettingChange{Section: g.section, Key: g.key, Hidden: true, Line: s.line}
			switch differs, known := facts.changed(s.line); {
			case !known:
				spare--
				c.Change = "unknown"
			case !differs:
				spare--
				continue
			case spare > 0:
				spare--
				c.Change = "changed"
			default:
				c.Change = "added"
			}
			emit(c)
		}
		for i := 0; i < spare && i < len(bh); i++ {
			emit(snapshot.SettingChange{Section: g.section, Key: g.key, Change: "removed", Hidden: true, Line: bh[i].line})
		}
	}
	return out, omitted
}

// splitHidden parts settings whose value the secret filter hid from the others.
func splitHidden(ss []setting) (plain, hidden []setting) {
	for _, s := range ss {
		if strings.Contains(s.value, redact.Marker) || strings.Contains(s.key, redact.Marker) || strings.Contains(s.value, redact.KeyMarker) {
			hidden = append(hidden, s)
		} else {
			plain = append(plain, s)
		}
	}
	return plain, hidden
}

// minus is a less b as multisets of values, in a's order.
func minus(a, b []setting) []setting {
	left := map[string]int{}
	for _, s := range b {
		left[s.value]++
	}
	var out []setting
	for _, s := range a {
		if left[s.value] > 0 {
			left[s.value]--
			continue
		}
		out = append(out, s)
	}
	return out
}
