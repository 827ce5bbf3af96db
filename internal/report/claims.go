package report

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Claim is one thing the document says of the host, recorded as the words that
// say it are written: what it is about, what it asserts, and the words. The
// property test in truth_test.go holds every claim to the snapshot, and every
// state word of the rendered document to a claim, so a sentence cannot say
// "runs" or "none" unless the builder asked the facts first.
type Claim struct {
	// Subject is the fact, as a snapshot path: services[dovecot],
	// middleware.databases[mariadb], logs.shippers[logship], coverage[cron].
	Subject string `json:"subject"`
	// Says is what is asserted of the subject: one of the Says* constants.
	Says string `json:"says"`
	// Value is what the words print of it: the run or boot state, a version, an
	// address, a coverage status.
	Value string `json:"value,omitempty"`
	// Text is the words as the document writes them.
	Text     string   `json:"text"`
	Evidence []string `json:"evidence,omitempty"`
}

// What a claim asserts.
const (
	// SaysRun: the subject's run state is Value (a snapshot.RunState).
	SaysRun = "run"
	// SaysBoot: the subject's boot state is Value (a snapshot.BootState).
	SaysBoot = "boot"
	// SaysVersion: the subject's version is Value.
	SaysVersion = "version"
	// SaysListens: something listens on Value (host:port); SaysConfiguredFor: the
	// subject's configuration names Value, whether anything listens or not.
	SaysListens       = "listens"
	SaysConfiguredFor = "configured_for"
	// SaysNone: the sections of the subject (coverage[a,b]), read completely,
	// hold nothing of a kind. SaysNoneSeen: nothing of it was found in what
	// could be read of them, one read only in part. SaysUnknown: whether there
	// is any is not known, a section not read. Value is the coverage status the
	// words rest on.
	SaysNone     = "none"
	SaysNoneSeen = "none_seen"
	SaysUnknown  = "unknown"
	// SaysMode: the facts were gathered as Value says (snapshot.Mode).
	SaysMode = "mode"
	// SaysAbsent: the subject's kind of software is proven not on the host.
	SaysAbsent = "absent"
	// SaysFolded: Value rows of the subject's table are the distribution's own
	// and are folded into one line.
	SaysFolded = "folded"
)

// claim records c and returns its words, so a sentence is written and claimed
// in one step.
func (b *builder) claim(c Claim) string {
	b.claims = append(b.claims, c)
	return c.Text
}

// coverageSubject names sections as the subject of an emptiness claim.
func coverageSubject(secs ...snapshot.Section) string {
	names := make([]string, len(secs))
	for i, s := range secs {
		names[i] = string(s)
	}
	return "coverage[" + strings.Join(names, ",") + "]"
}
