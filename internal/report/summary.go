// Package report turns a snapshot into documents for people.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Summary writes the short overview `trowel survey` prints: what the host is, how
// much was found per section, and — as loudly — what could not be looked at.
func Summary(w io.Writer, s *snapshot.Snapshot) {
	name := firstNonEmpty(s.Host.FQDN, s.Host.Hostname, s.Source.Target)
	osName := firstNonEmpty(s.OS.PrettyName, strings.TrimSpace(s.OS.Name+" "+s.OS.Version), "unknown OS")
	fmt.Fprintf(w, "%s: %s", name, osName)
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
	who := s.Source.User
	if who == "" {
		who = "?"
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
	rows := []struct {
		sec   snapshot.Section
		count string
	}{
		{snapshot.SectionHost, ""},
		{snapshot.SectionOS, ""},
		{snapshot.SectionPackages, fmt.Sprintf("%d (%s)", len(s.Packages), strings.Join(mgr, ", "))},
		{snapshot.SectionServices, fmt.Sprintf("%d, %d enabled at boot, %d running", len(s.Services), enabled, running)},
		{snapshot.SectionProcesses, fmt.Sprintf("%d", len(s.Processes))},
		{snapshot.SectionListeners, fmt.Sprintf("%d%s", len(s.Listeners), ports(s.Listeners))},
	}
	for _, r := range rows {
		c := s.Coverage[r.sec]
		count := r.count
		if c.Status != snapshot.Collected && c.Status != snapshot.Partial {
			count = "-"
		}
		fmt.Fprintf(w, "  %-10s %-14s %s\n", r.sec, c.Status, count)
		if c.Status != snapshot.Collected && c.Reason != "" {
			fmt.Fprintf(w, "  %-10s %-14s ↳ %s\n", "", "", c.Reason)
		}
	}
	if len(s.Source.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range s.Source.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}

func ports(ls []snapshot.Listener) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range ls {
		k := fmt.Sprintf("%d/%s", l.Port, strings.TrimSuffix(l.Proto, "6"))
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

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
