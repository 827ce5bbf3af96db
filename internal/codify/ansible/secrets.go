package ansible

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

var (
	// jinjaOpen are the sequences Jinja would read in a config file's text.
	jinjaOpen = strings.NewReplacer("{{", "{{ '{{' }}", "{%", "{{ '{%' }}", "{#", "{{ '{#' }}")
	// keyBefore finds the setting name in front of a redacted value: "password: ",
	// "DB_PASS=", "-p".
	keyBefore = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_.-]*)["']?\s*[=:]?\s*["']?$`)
)

// templateText makes a role template of a config file's surveyed content. The text
// is filtered again with the probe's own rules (the snapshot may come from an old
// trowel, or a hand-edited file), Jinja syntax in it is escaped, and each redacted
// value becomes a vault variable, so no secret and no placeholder that looks like a
// value can reach the target.
// Each subst pair replaces a literal value (an address) with a variable reference.
func (b *builder) templateText(c snapshot.ConfigFile, role string, subst ...[2]string) string {
	text := string(redact.Text([]byte(c.Content)))
	text = jinjaOpen.Replace(text)
	for _, sb := range subst {
		text = strings.ReplaceAll(text, sb[0], sb[1])
	}
	if strings.Contains(text, redact.KeyMarker) {
		v := b.p.vault(fmt.Sprintf("vault_%s_%s", role, slug(path.Base(c.Path))),
			fmt.Sprintf("the private key that was in %s (never read by the survey)", c.Path))
		return "{{ " + v + " }}\n"
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		for strings.Contains(l, redact.Marker) {
			at := strings.Index(l, redact.Marker)
			name := "value"
			if m := keyBefore.FindStringSubmatch(l[:at]); m != nil {
				name = m[1]
			}
			v := b.p.vault(fmt.Sprintf("vault_%s_%s_%s", role, slug(strings.TrimSuffix(path.Base(c.Path), path.Ext(c.Path))), slug(name)),
				fmt.Sprintf("%s in %s:%d (redacted by the survey)", name, c.Path, i+1))
			l = l[:at] + "{{ " + v + " }}" + l[at+len(redact.Marker):]
		}
		lines[i] = l
	}
	text = strings.Join(lines, "\n")
	if hashComments(c.Path) {
		text = fmt.Sprintf("# {{ ansible_managed }}\n# From %s:%s on %s, surveyed %s.\n", b.p.Source.Hostname, c.Path, b.p.Source.OS, b.p.Source.Surveyed) + text
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text
}

// hashComments says whether '#' starts a comment in the file, so a header can be
// added without changing what the file means.
func hashComments(p string) bool {
	switch {
	case p == "/etc/motd", p == "/etc/issue", p == "/etc/issue.net", p == "/etc/mailname", p == "/etc/hostname", p == "/etc/timezone":
		return false
	case strings.HasSuffix(p, ".crt"), strings.HasSuffix(p, ".pem"), strings.HasSuffix(p, ".key"), strings.HasSuffix(p, ".json"):
		return false
	case strings.HasPrefix(p, "/etc/init.d/"):
		return false // the #! line must stay first
	}
	return true
}
