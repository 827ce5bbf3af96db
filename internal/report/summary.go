// Package report turns a snapshot into documents for people.
package report

import (
	"cmp"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Summary writes the short overview `trowel survey` prints: what the host is, how
// much was found per section, and — as loudly — what could not be looked at.
func Summary(w io.Writer, s *snapshot.Snapshot) {
	name := cmp.Or(s.Host.FQDN, s.Host.Hostname, s.Source.Target)
	fmt.Fprintf(w, "%s: %s", name, cmp.Or(osName(s.OS), "unknown OS"))
	if s.OS.Kernel != "" {
		fmt.Fprintf(w, ", kernel %s", s.OS.Kernel)
	}
	if s.OS.Arch != "" {
		fmt.Fprintf(w, ", %s", s.OS.Arch)
	}
	if s.OS.InitSystem != "" {
		fmt.Fprintf(w, ", %s init", s.OS.InitSystem)
	}
	fmt.Fprintln(w)
	who := cmp.Or(s.Source.Login, s.Source.User, "?")
	if s.Source.Through != "" {
		who += " through " + s.Source.Through
	}
	priv := "unprivileged: root-only facts are missing"
	if s.Source.Privileged {
		priv = "as root"
	}
	fmt.Fprintf(w, "source: %s %s, %s (%s)\n\n", s.Source.Kind, s.Source.Target, who, priv)

	running, enabled := 0, 0
	for _, sv := range s.Services {
		if sv.Running != nil && *sv.Running {
			running++
		}
		if sv.Enabled != nil && *sv.Enabled {
			enabled++
		}
	}
	managers := map[string]int{}
	for _, p := range s.Packages {
		managers[p.Manager]++
	}
	var mgr []string
	for m, n := range managers {
		mgr = append(mgr, fmt.Sprintf("%s %d", m, n))
	}
	sort.Strings(mgr)
	counts := map[snapshot.Section]string{
		snapshot.SectionPackages:  fmt.Sprintf("%d (%s)", len(s.Packages), strings.Join(mgr, ", ")),
		snapshot.SectionServices:  fmt.Sprintf("%d, %d enabled at boot, %d running", len(s.Services), enabled, running),
		snapshot.SectionProcesses: fmt.Sprintf("%d", len(s.Processes)),
		snapshot.SectionListeners: fmt.Sprintf("%d%s", len(s.Listeners), ports(s.Listeners)),
	}
	for sec, text := range domainCounts(s) {
		counts[sec] = text
	}
	for _, sec := range snapshot.Sections {
		c := s.Coverage[sec]
		if c.Status == snapshot.NotApplicable {
			continue // not on this host: the JSON says so, the summary need not
		}
		count := counts[sec]
		if c.Status != snapshot.Collected && c.Status != snapshot.Partial {
			count = "-"
		}
		fmt.Fprintf(w, "  %-18s %-14s %s\n", sec, c.Status, count)
		if c.Status != snapshot.Collected && c.Reason != "" {
			fmt.Fprintf(w, "  %-18s %-14s ↳ %s\n", "", "", c.Reason)
		}
	}
	if len(s.Source.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range s.Source.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

// domainCounts says in a few words what each section beyond packages, services,
// processes and listeners found: enough to tell at a glance whether a survey that
// "worked" saw the host's jobs, accounts, middleware and data.
func domainCounts(s *snapshot.Snapshot) map[snapshot.Section]string {
	mw := s.Middleware
	c := map[snapshot.Section]string{
		snapshot.SectionCron:         fmt.Sprintf("%d jobs", len(s.CronJobs)),
		snapshot.SectionAccounts:     fmt.Sprintf("%d users, %d groups", len(s.Accounts.Users), len(s.Accounts.Groups)),
		snapshot.SectionSudo:         fmt.Sprintf("%d rules", len(s.Accounts.Sudo)),
		snapshot.SectionFiles:        fmt.Sprintf("%d changed or unowned configs", len(s.Files.Configs)),
		snapshot.SectionUnmanaged:    fmt.Sprintf("%d trees", len(s.Files.Unmanaged)),
		snapshot.SectionNetwork:      fmt.Sprintf("%d interfaces, %d routes", len(s.Network.Interfaces), len(s.Network.Routes)),
		snapshot.SectionConns:        conns(s.Network),
		snapshot.SectionFirewall:     cmp.Or(s.Network.Firewall.Tool, "none"),
		snapshot.SectionStorage:      fmt.Sprintf("%d mounts", len(s.Storage.Mounts)),
		snapshot.SectionLogs:         fmt.Sprintf("%d log files", len(s.Logs.Files)),
		snapshot.SectionShippers:     fmt.Sprintf("%d shippers", len(s.Logs.Shippers)),
		snapshot.SectionCertificates: fmt.Sprintf("%d certificates", len(mw.Certificates)),
		snapshot.SectionEOL:          eolSummary(s.EndOfLife),
	}
	for _, w := range mw.WebServers {
		sec := snapshot.SectionApache
		if w.Kind == "nginx" {
			sec = snapshot.SectionNginx
		}
		c[sec] = fmt.Sprintf("%s %s, %d vhosts", w.Kind, w.Version, len(w.VHosts))
		if n := len(w.Legacy); n > 0 {
			c[sec] += fmt.Sprintf(", %d directives to rewrite", n)
		}
	}
	for _, d := range mw.Databases {
		sec := snapshot.SectionMySQL
		if d.Kind == "postgresql" {
			sec = snapshot.SectionPostgreSQL
		}
		c[sec] = fmt.Sprintf("%s %s on %s, %d databases", d.Kind, d.Version, snapshot.JoinHostPort(d.Bind, d.Port), len(d.Databases))
	}
	for _, m := range mw.Mail {
		if m.Kind == "postfix" {
			c[snapshot.SectionPostfix] = fmt.Sprintf("postfix %s, relay %s", m.Version, cmp.Or(m.Relayhost, "none"))
		}
	}
	for _, a := range mw.Apps {
		if a.Kind == "rails" {
			c[snapshot.SectionRuby] = cmp.Or(a.Name, a.Path)
		}
	}
	keys := 0
	for _, u := range s.Accounts.Users {
		keys += len(u.Keys)
	}
	c[snapshot.SectionKeys] = fmt.Sprintf("%d keys", keys)
	c[snapshot.SectionTime] = cmp.Or(s.Time.Zone, "zone unknown")
	if n := len(s.Time.StaleDaemons); n > 0 {
		c[snapshot.SectionTime] += fmt.Sprintf(", %d daemons started before the zone changed", n)
	}
	if s.Backups.Found {
		c[snapshot.SectionBackups] = fmt.Sprintf("%d traces", len(s.Backups.Items))
	} else {
		c[snapshot.SectionBackups] = "no backup found"
	}
	return c
}

func eolSummary(es []snapshot.EndOfLife) string {
	var out []string
	for _, e := range es {
		if e.Status == "eol" {
			out = append(out, fmt.Sprintf("%s %s ended %s", e.Product, e.Cycle, e.EOL))
		}
	}
	if len(out) == 0 {
		return fmt.Sprintf("%d products checked, none past end of life", len(es))
	}
	return strings.Join(out, "; ")
}

func ports(ls []snapshot.Listener) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range ls {
		k := fmt.Sprintf("%d/%s", l.Port, l.Family())
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return ""
	}
	if len(out) > 12 {
		out = append(out[:12], "…")
	}
	return ": " + strings.Join(out, " ")
}

// conns counts the outbound connections, and those never answered when there are any.
func conns(n snapshot.Network) string {
	out := fmt.Sprintf("%d outbound", len(n.Connections))
	if len(n.Unanswered) > 0 {
		out += fmt.Sprintf(", %d never answered", len(n.Unanswered))
	}
	return out
}
