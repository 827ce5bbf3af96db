package probe

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/redact"
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

// An application's settings are read through both secret filters on the host, under
// every shell: the values of secret-named keys inside a line (a one-line Python dict,
// JSON, a YAML flow mapping) do not leave it, hosts, ports and names do, and the bytes
// are those the offline reader's filters give.
func TestAppSettingsAreFilteredOnTheHost(t *testing.T) {
	settings := "SECRET_KEY = 'AppSecretKey01'\n" +
		"CACHES = {'default': {'LOCATION': 'redis://127.0.0.1:6379/1', 'OPTIONS': {'PASSWORD': 'AppCachePw02'}}}\n" +
		"EMAIL = dict(HOST='smtp1', PORT=25, PASSWORD=\"AppMailPw03\")\n" +
		"HOOKS = [{\"url\": \"https://hooks.example.test/x\", \"token\": \"AppTok04\", \"api_key\": \"AppKey05\"}]\n" +
		"production: {adapter: mysql2, host: db1, port: 3306, password: AppYamlPw06}\n" +
		"OPTIONS = {'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': 'db1'}\n" +
		"STORE = {'passphrase': 'AppPhrase07', 'KEY_PREFIX': 'portal'}\n"
	secrets := []string{"AppSecretKey01", "AppCachePw02", "AppMailPw03", "AppTok04", "AppKey05", "AppYamlPw06", "AppPhrase07"}
	kept := []string{"redis://127.0.0.1:6379/1", "HOST='smtp1', PORT=25", "https://hooks.example.test/x", "host: db1, port: 3306", "'KEY_PREFIX': 'portal'"}
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "settings.py"), []byte(settings))
	filtered := string(redact.Dict(redact.Text([]byte(settings))))
	script := Render([]Step{
		{Kind: Cmd, Name: "whole", Shell: "_wa_show " + quote(dir) + " settings.py F", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "lines", Shell: "_wa_show " + quote(dir) + " settings.py G -e PASSWORD -e token -e password", Limit: 1 << 20, Timeout: 30},
	})
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, script)
			whole, _ := a.Cmd("whole")
			lines, _ := a.Cmd("lines")
			if want := fmt.Sprintf("F\t%d\tsettings.py\n%s\n", len(filtered), filtered); whole.Text() != want {
				t.Errorf("the probe and the offline reader disagree:\n probe: %q\noffline: %q", whole.Text(), want)
			}
			for _, s := range secrets {
				if strings.Contains(whole.Text(), s) || strings.Contains(lines.Text(), s) {
					t.Errorf("%q left the host:\n%s%s", s, whole.Text(), lines.Text())
				}
			}
			for _, k := range kept {
				if !strings.Contains(whole.Text(), k) {
					t.Errorf("%q, no secret, did not come out:\n%s", k, whole.Text())
				}
			}
			if !strings.Contains(lines.Text(), "6:OPTIONS = {'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': 'db1'}\n") {
				t.Errorf("where a password is read from is no secret:\n%s", lines.Text())
			}
		})
	}
}
