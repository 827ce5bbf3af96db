package verify

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// http wants the vhost to answer GET as it did: the same status, the same redirect
// target (its host name may differ when allowed), the same title.
func (v evaluator) http(e spec.Expectation, want spec.HTTP) Check {
	endpoint := fmt.Sprintf("%s://%s%s on :%d", want.Proto, want.VHost, pathOf(want), want.Port)
	answer := fmt.Sprintf("%d", want.Status)
	if want.Title != "" {
		answer += fmt.Sprintf(" %q", want.Title)
	}
	if want.Location != "" {
		answer += " to " + want.Location
	}
	var a *snapshot.Answer
	for i, x := range v.t.Answers {
		if x.Proto == want.Proto && x.Port == want.Port && strings.EqualFold(x.Host, want.VHost) && x.Path == pathOf(want) {
			a = &v.t.Answers[i]
			break
		}
	}
	if a == nil {
		return v.notAsked(endpoint)
	}
	found := []string{answerLine(*a)}
	fix := fmt.Sprintf("serve %s on :%d as the old host did (a web server with that virtual host)", want.VHost, want.Port)
	if a.Error != "" || a.HTTP == nil {
		return fail(found, fix, "%s did not answer on %s (%s): expected %s %s", endpoint, v.target, cmp.Or(a.Error, "no HTTP response"), answer, on(e))
	}
	h := a.HTTP
	if h.Status != want.Status {
		return fail(found, fix, "%s answered %s on %s: expected %s %s", endpoint, h.StatusLine, v.target, answer, on(e))
	}
	if want.Location != "" && !sameLocation(h.Location, want.Location, e.Allows(spec.AllowHostname)) {
		return fail(found, "make the redirect go where it went (or allow: hostname when only the host name differs)",
			"%s redirects to %q on %s: expected %s %s", endpoint, h.Location, v.target, want.Location, on(e))
	}
	if want.Title != "" && h.Title != want.Title {
		return fail(found, "check that the same application answers behind the vhost (if the new title is right, edit the spec's title)",
			"%s answered %d with the title %q on %s: expected %q %s", endpoint, h.Status, h.Title, v.target, want.Title, on(e))
	}
	return pass("%s answered %s on %s (%s)", endpoint, answer, v.target, a.Asked)
}

// sameLocation compares redirect targets; with the host name allowed to differ, only
// the path and query must match.
func sameLocation(got, want string, anyHost bool) bool {
	if got == want {
		return true
	}
	if !anyHost {
		return false
	}
	g, err1 := url.Parse(got)
	w, err2 := url.Parse(want)
	return err1 == nil && err2 == nil && g.Path == w.Path && g.RawQuery == w.RawQuery
}
