package probe

import (
	"strings"
	"testing"
)

// The lists _web_apps walks are written out in the shell (a list in a variable would
// split differently under each IFS the probe sets) and kept in Go for the offline
// reader: each one here must be word for word the prologue's.
func TestAppListsAreThePrologues(t *testing.T) {
	awk := func(re string) string { return strings.ReplaceAll(re, "/", `\/`) }
	stops := make([]string, len(AppStops))
	for i, s := range AppStops {
		stops[i] = s
		if s == "" {
			stops[i] = "''"
		}
	}
	want := []string{
		"\tfor _wm in " + strings.Join(AppMarkers, " ") + "; do\n\t\t[ -e \"$1/$_wm\" ] && return 0",
		"\tfor _wm in " + strings.Join(AppFacts, " ") + "; do\n\t\tif [ -d \"$1/$_wm\" ]",
		"\tfor _wm in " + strings.Join(AppFiles, " ") + "; do\n\t\t_wa_show \"$1\" \"$_wm\" F",
		"\tfor _wm in " + strings.Join(AppLists, " ") + "; do\n\t\t[ -d \"$1/$_wm\" ] || continue",
		"\tfor _wd in " + strings.Join(AppDataDirs, " ") + "; do\n",
		"\tfor _wf_a in " + appPlacesShell() + "; do\n",
		"\t" + strings.Join(stops, " | ") + " | */webapps)\n",
		"if (b !~ /" + awk(AppInterpreters) + "/) next",
		"if (a ~ /" + awk(SystemDirs) + "/) continue",
	}
	var greps []string
	for _, g := range AppGreps {
		line := "\t_wa_show \"$1\" " + g.File + " G"
		for _, p := range g.Patterns {
			line += " -e '" + strings.ReplaceAll(p, "$", `\$`) + "'"
		}
		greps = append(greps, line)
	}
	want = append(want, strings.Join(greps, "\n")+"\n")
	for _, w := range want {
		if !strings.Contains(prologue, w) {
			t.Errorf("the prologue does not hold the list the offline reader walks:\n%s", w)
		}
	}
}
