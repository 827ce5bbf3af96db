package ansible

import (
	"fmt"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// transferRate is the link speed transfer estimates assume: 100 Mbit/s, what a
// migration between sites or an old server's NIC usually gets in practice.
const transferRate = 100e6 / 8 // bytes per second

func estimate(bytes int64) string {
	d := time.Duration(float64(bytes) / transferRate * float64(time.Second))
	if d < time.Minute {
		return "under a minute at 100 Mbit/s"
	}
	return fmt.Sprintf("about %s at 100 Mbit/s", d.Round(time.Minute))
}

func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// todos lists the secrets to supply, the checks to make and every finding a
// migration must settle; and finishes the variables that depend on all roles.
func (b *builder) todos() {
	s := b.s
	if len(b.restartOnZone) > 0 {
		b.p.setVar("base_time_sensitive_services", toL(b.restartOnZone), "daemons restarted when the time zone changes: they read it once, at start (on the source, crond kept the old zone)")
	}

	if len(b.p.Vault) > 0 {
		var names []string
		for _, v := range b.p.Vault {
			names = append(names, "`"+v.Name+"`")
		}
		b.p.todo(TodoItem{Section: "Secrets", Title: "Fill in the vault",
			Detail: "group_vars/all/vault.yml holds TODO values for " + strings.Join(names, ", ") + ". Put the real values in and encrypt it: `ansible-vault encrypt group_vars/all/vault.yml`. site.yml refuses to run while a TODO is left."})
	}

	b.answerChecks()

	// Findings: everything analyze raised, with its remediation, so the list is
	// the one place to work from.
	for _, f := range b.in.Findings {
		if strings.HasPrefix(f.Key, "coverage.") || b.told[f.ID()] {
			continue
		}
		title := f.Title
		if f.Subject != "" && !strings.Contains(title, f.Subject) {
			title += " (" + f.Subject + ")"
		}
		b.p.todo(TodoItem{Section: "Findings", Title: title, Detail: strings.TrimSpace(f.Summary + " " + f.Remediation.Hint), Findings: []string{f.Key}, Facts: f.Facts})
	}
	for _, sec := range snapshot.Sections {
		c, ok := s.Coverage[sec]
		if !ok || c.Status.Decided() {
			continue
		}
		b.p.todo(TodoItem{Section: "Not surveyed", Title: string(sec) + ": " + string(c.Status),
			Detail: "What the project carries for this part is incomplete: " + c.Reason, Findings: []string{"coverage.gap"}, Facts: c.Evidence})
	}
}
