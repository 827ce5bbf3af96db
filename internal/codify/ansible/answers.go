package ansible

import (
	"fmt"
	"strconv"
	"strings"
)

// answerChecks lists what the source's services answered when asked, as the checks
// to make once the data and the applications are in place: the project builds the
// web server and the MTA, but a vhost answers as before only when its content is
// there too, which Ansible does not move.
func (b *builder) answerChecks() {
	for _, a := range b.s.Answers {
		if a.Error != "" {
			continue // it did not answer on the source either: nothing to keep
		}
		switch {
		case a.HTTP != nil:
			said := strconv.Itoa(a.HTTP.Status)
			if a.HTTP.Title != "" {
				said += " " + strconv.Quote(a.HTTP.Title)
			}
			if a.HTTP.Location != "" {
				said += " to " + a.HTTP.Location
			}
			b.p.todo(TodoItem{Section: "Check", Title: fmt.Sprintf("%s:%d%s answers %s", a.Host, a.Port, orSlash(a.Path), said),
				Detail: fmt.Sprintf("On the source, %s answered %s. Once the content and the applications of this vhost are deployed (see Data and Software), check the new server answers the same: `trowel verify NEW --against SPEC` asks it.", a.Asked, said),
				Facts:  []string{a.Evidence}})
		case a.SMTP != nil:
			b.p.todo(TodoItem{Section: "Check", Title: fmt.Sprintf("The MTA on :%d accepts mail for postmaster@%s (%d)", a.Port, a.Domain, a.SMTP.Rcpt),
				Detail: fmt.Sprintf("On the source, %s: greeting %d, RCPT %d %s. Check the new server's MTA does the same before mail is pointed at it: `trowel verify NEW --against SPEC` asks it (and never sends DATA).", a.Asked, a.SMTP.Greeting, a.SMTP.Rcpt, strings.TrimSpace(a.SMTP.RcptText)),
				Facts:  []string{a.Evidence}})
		}
	}
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
