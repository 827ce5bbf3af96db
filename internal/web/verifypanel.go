package web

import (
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/verify"
)

// verifyPanel is what the host page says of the runs of trowel verify that
// checked the host (the store ties a run to the host it checked): the last one
// with what failed, why and what to do, and the runs before it.
type verifyPanel struct {
	Problem string // the runs could not be read
	Last    *store.VerificationInfo
	Failed  []verify.Check
	Earlier []store.VerificationInfo
}

// verifyRuns is how many runs the host page lists.
const verifyRuns = 10

func (s *Server) verifyPanel(rq *request, host string) verifyPanel {
	var p verifyPanel
	runs, err := s.cfg.Store.Verifications(rq.r.Context(), host, verifyRuns)
	if err != nil {
		s.log.Printf("verify runs of %s: %v", host, err)
		p.Problem = rq.L.T("verify.unreadable")
		return p
	}
	if len(runs) == 0 {
		return p
	}
	p.Last, p.Earlier = &runs[0], runs[1:]
	res, err := s.cfg.Store.VerificationResult(rq.r.Context(), runs[0])
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
