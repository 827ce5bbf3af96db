package web

import (
	"github.com/trowel-dev/trowel/internal/verify"
)

// verifyPanel is what the host page says of the verify runs against the host:
// the last one with what failed (and why, and what to do), and the runs before.
type verifyPanel struct {
	Recorded bool   // this trowel reads verify runs from the store
	Problem  string // the runs could not be read
	Last     *VerifyRun
	Failed   []verify.Check
	Earlier  []VerifyRun
}

// verifyRuns is how many runs the host page lists.
const verifyRuns = 10

func (s *Server) verifyPanel(rq *request, host string) verifyPanel {
	v := s.cfg.Verifications
	if v == nil {
		return verifyPanel{}
	}
	p := verifyPanel{Recorded: true}
	runs, err := v.Runs(rq.r.Context(), host, verifyRuns)
	if err != nil {
		s.log.Printf("verify runs of %s: %v", host, err)
		p.Problem = rq.L.T("verify.unreadable")
		return p
	}
	if len(runs) == 0 {
		return p
	}
	p.Last, p.Earlier = &runs[0], runs[1:]
	res, err := v.Checks(rq.r.Context(), runs[0])
	if err != nil {
		s.log.Printf("verify run %d of %s: %v", runs[0].ID, host, err)
		p.Problem = rq.L.T("verify.unreadable")
		return p
	}
	for _, c := range res.Checks {
		if c.Status == verify.Fail {
			p.Failed = append(p.Failed, c)
		}
	}
	return p
}
