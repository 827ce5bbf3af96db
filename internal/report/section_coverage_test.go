package report

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A section read in part says, in each language, which of its sources were not
// read and why, one line each, and says nothing of the sources it read in full.
func TestCoverageNamesEachSourceNotRead(t *testing.T) {
	s := legacySnapshot(t)
	s.Coverage[snapshot.SectionAccounts] = snapshot.Coverage{
		Status: snapshot.Partial, Reason: "shadow: /etc/shadow: Permission denied",
		Sources: []snapshot.SourceCoverage{
			{Name: snapshot.AccountsPasswd, Status: snapshot.Collected, Evidence: []string{"file:/etc/passwd"}},
			{Name: snapshot.AccountsGroup, Status: snapshot.Collected, Evidence: []string{"file:/etc/group"}},
			{Name: snapshot.AccountsShadow, Status: snapshot.Denied, Reason: "/etc/shadow: Permission denied", Evidence: []string{"cmd:shadow-state"}},
		},
	}
	s.Coverage[snapshot.SectionCron] = snapshot.Coverage{
		Status: snapshot.Partial, Reason: "timers: cut",
		Sources: []snapshot.SourceCoverage{
			{Name: snapshot.CronCrontabs, Status: snapshot.Collected},
			{Name: snapshot.CronTimers, Status: snapshot.Cut, Reason: "the collection ended before systemctl list-timers was reached", Evidence: []string{"cmd:systemctl-list-timers"}},
		},
	}
	for lang, want := range map[string][]string{
		"en": {
			"| accounts, source: password states (/etc/shadow) | denied | /etc/shadow: Permission denied | `cmd:shadow-state` |",
			"| cron, source: systemd timers | cut off | the collection ended before systemctl list-timers was reached | `cmd:systemctl-list-timers` |",
		},
		"ja": {
			"| accounts の取得元: パスワードの状態 (/etc/shadow) | 権限不足 | /etc/shadow: Permission denied | `cmd:shadow-state` |",
			"| cron の取得元: systemd タイマー | 途中で切断 | the collection ended before systemctl list-timers was reached | `cmd:systemctl-list-timers` |",
		},
	} {
		md := string(render(t, s, lang, "md"))
		for _, line := range want {
			if !strings.Contains(md, line+"\n") {
				t.Errorf("%s: the coverage table has no line\n%s", lang, line)
			}
		}
		for _, read := range []string{"source.accounts.passwd", "source.accounts.group", "source.cron.crontabs"} {
			if name := L(lang, "cov.source"); strings.Contains(md, strings.Split(name, "%s")[1]+L(lang, read)) {
				t.Errorf("%s: the coverage table names %q, which was read in full", lang, L(lang, read))
			}
		}
	}
}

// Every source a surveyor names has words in both languages, so that no reader
// meets the snapshot's identifier instead.
func TestCoverageSourcesHaveWords(t *testing.T) {
	for sec, names := range snapshot.SectionSources {
		for _, n := range names {
			key := "source." + string(sec) + "." + n
			if _, ok := labelsEN[key]; !ok {
				t.Errorf("source %s of %s has no English words (%s)", n, sec, key)
			}
			if ja, ok := labelsJA[key]; !ok || !hasJapanese(ja) && !strings.HasPrefix(ja, "/") {
				t.Errorf("source %s of %s has no Japanese words (%s: %q)", n, sec, key, ja)
			}
		}
	}
}
