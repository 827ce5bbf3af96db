package storage

import (
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// mailReadLimit is how much of a mailbox the probe counts in.
const mailReadLimit = 64 << 20

// ParseMailSpools reads the probe's _mail_spools: "PATH\tBYTES\tMTIME\tMESSAGES\t
// UNREAD\tLAST" per mailbox.
func ParseMailSpools(text string) ([]snapshot.Mailbox, error) {
	var out []snapshot.Mailbox
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 6)
		if len(f) < 5 || !strings.HasPrefix(f[0], "/") {
			pe.Add(n+1, "not a mailbox line")
			continue
		}
		m := snapshot.Mailbox{Path: f[0], User: path.Base(f[0])}
		var err error
		if m.Bytes, err = strconv.ParseInt(f[1], 10, 64); err != nil {
			pe.Add(n+1, "size %q is not a number", short(f[1]))
			continue
		}
		if s, err := strconv.ParseInt(f[2], 10, 64); err == nil {
			t := time.Unix(s, 0).UTC()
			m.Modified = &t
		}
		m.Messages, _ = strconv.Atoi(f[3])
		m.Unread, _ = strconv.Atoi(f[4])
		if len(f) == 6 {
			m.Last = f[5]
		}
		m.Partial = m.Bytes > mailReadLimit
		out = append(out, m)
	}
	return out, pe.Err()
}

func surveyMailboxes(in *kit.Input, c *cover) {
	it := in.Cmd("mail-spools")
	if it.Status == evidence.StatusMissing {
		return // an older probe did not count them
	}
	c.used = append(c.used, it)
	if !kit.Usable(it) && len(it.Data) == 0 {
		s, _ := kit.StatusOf(it)
		c.add(partialUnless(s), "mailboxes: "+kit.Explain(it))
		return
	}
	boxes, err := ParseMailSpools(kit.CompleteLines(it))
	if err != nil {
		c.add(snapshot.Partial, it.Source()+": "+err.Error())
	}
	if strings.Contains(string(it.Stderr), "permission denied") {
		c.add(snapshot.Partial, "some mailboxes could not be read: "+strings.TrimSpace(strings.SplitN(string(it.Stderr), "\n", 2)[0]))
	}
	id := in.Cite(it)
	for _, m := range boxes {
		m.Evidence = id
		if m.Partial {
			c.add(snapshot.Partial, m.Path+" is over 64 MiB: its messages were counted in the first 64 MiB only")
		}
		in.Snap.Storage.Mailboxes = append(in.Snap.Storage.Mailboxes, m)
	}
}
