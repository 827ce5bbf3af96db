// Package analyze turns a snapshot into findings: what is dangerous before or during
// a migration, each with why it matters and what to do. One schema serves the
// report, verify and codify, modelled on Leapp's report entries (a stable key, a
// severity, an inhibitor flag, the facts concerned, a remediation).
//
// Rules are pure functions of the snapshot. A rule never concludes from a section
// that was not collected: "no backup found" needs the places backups hide to have
// been read; when they were not, the coverage-gap rule speaks instead.
package analyze

import (
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Severity orders findings; the words are Leapp's.
type Severity string

const (
	Info   Severity = "info"
	Low    Severity = "low"
	Medium Severity = "medium"
	High   Severity = "high"
)

func (s Severity) rank() int {
	switch s {
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// Finding is one thing a migration must deal with.
type Finding struct {
	// Key is stable across versions: "eol.os", "backup.none". Tools and people
	// filter and suppress findings by it.
	Key      string   `json:"key"`
	Severity Severity `json:"severity" jsonschema:"enum=info,enum=low,enum=medium,enum=high"`
	// Inhibitor marks what blocks a safe migration until it is dealt with.
	Inhibitor bool `json:"inhibitor,omitempty"`
	// Subject says which instance of the rule this is ("crond", "/etc/fstab"), so
	// one rule can raise several findings with distinct identities.
	Subject string `json:"subject,omitempty"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Facts reference what the finding is about: snapshot paths such as
	// "services[apache2]" or "cron_jobs[/etc/cron.d/redmine:5]", and evidence IDs.
	Facts       []string    `json:"facts,omitempty"`
	Remediation Remediation `json:"remediation"`
	// Args are the values the texts are made from, so the same finding can be told
	// in another language (see Localize).
	Args map[string]string `json:"args,omitempty"`
}

// Remediation says what to do: in words, as a command, or as Ansible.
type Remediation struct {
	Hint    string `json:"hint"`
	Command string `json:"command,omitempty"`
	Ansible string `json:"ansible,omitempty"`
}

// ID is the finding's identity: its key and subject.
func (f Finding) ID() string {
	if f.Subject == "" {
		return f.Key
	}
	return f.Key + ":" + f.Subject
}

// Analyze runs every rule and returns the findings, the most severe first, told
// in lang ("en" or "ja"; anything else is English).
func Analyze(s *snapshot.Snapshot, lang string) []Finding {
	var out []Finding
	for _, r := range Rules() {
		for _, f := range r.Check(s) {
			f.Key = r.Key
			f.Severity = firstSeverity(f.Severity, r.Severity)
			out = append(out, Localize(f, lang))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Inhibitor != b.Inhibitor {
			return a.Inhibitor
		}
		if a.Severity.rank() != b.Severity.rank() {
			return a.Severity.rank() > b.Severity.rank()
		}
		return a.ID() < b.ID()
	})
	return out
}

func firstSeverity(s ...Severity) Severity {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return Info
}

// Localize fills a finding's texts from the catalog of lang, with its Args. A
// finding whose Args name a variant is told with its key's message of that name,
// "key/variant", when some of its facts cannot be said the usual way.
func Localize(f Finding, lang string) Finding {
	name := f.Key
	if v := f.Args["variant"]; v != "" {
		name += "/" + v
	}
	m, ok := catalog(lang)[name]
	if !ok {
		m = catalog("en")[name]
	}
	pairs := make([]string, 0, 2*len(f.Args))
	for k, v := range f.Args {
		pairs = append(pairs, "{"+k+"}", v)
	}
	r := strings.NewReplacer(pairs...)
	f.Title = r.Replace(m.Title)
	f.Summary = r.Replace(m.Summary)
	f.Remediation.Hint = r.Replace(m.Hint)
	return f
}

// Message is a finding's texts in one language; {name} stands for Args["name"].
type Message struct {
	Title   string
	Summary string // what was found and why it matters
	Hint    string // what to do
}

func catalog(lang string) map[string]Message {
	if lang == "ja" {
		return messagesJA
	}
	return messagesEN
}
