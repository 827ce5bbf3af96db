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
	// secretName is a name the secret filters remove the value of: a password, a
	// passphrase, a secret, a token, a credential, a key, authentication, a salt.
	secretName = regexp.MustCompile(`(?i)(?:^pass|pass$|pass(?:wd|word|phrase)|[^a-z]pass[^a-z]|pwd|secret|token|credential|key$|api.?key|auth|cookie|salt)`)
	// secretPlace is what else stands in front of a value the filters remove: user
	// information in a URL, IDENTIFIED BY, define('..', a program's password option
	// (mysql -pX, sshpass -p X, redis-cli -a X, ldapsearch -w X, curl -u user:X,
	// smbclient -U user%X).
	secretPlace = regexp.MustCompile(`(?i)(?:://[^/:@\s]*:|identified by |define\s*\(\s*["'][A-Za-z0-9_]*["']\s*,\s*|(?:^|\s)-[pawu]\s*(?:[^\s:%]*[:%])?|--user[= ][^\s:]*:)$`)
)

// templateText makes a role template of a config file's surveyed content. The text
// is filtered again with the probe's own rules (the snapshot may come from an old
// trowel, or a hand-edited file), Jinja syntax in it is escaped, and each redacted
// value of a credential becomes a vault variable, so no secret and no placeholder
// that looks like a value can reach the target.
// Only a credential becomes a vault variable: a value removed where nothing names
// one (an older trowel took "PassengerPreStart http://127.0.0.1/" for a password) is
// lost, not secret, and a playbook that refused to run until someone filled in
// "http" would be broken. Its line is commented out and the TODO list says so.
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
	var lost []string
	for i, l := range lines {
		var out strings.Builder
		for {
			at := strings.Index(l, redact.Marker)
			if at < 0 {
				break
			}
			name, ok := credentialBefore(l[:at])
			if !ok {
				lost = append(lost, fmt.Sprintf("%s:%d", c.Path, i+1))
				break
			}
			v := b.p.vault(fmt.Sprintf("vault_%s_%s_%s", role, slug(strings.TrimSuffix(path.Base(c.Path), path.Ext(c.Path))), slug(name)),
				fmt.Sprintf("%s in %s:%d (redacted by the survey)", name, c.Path, i+1))
			out.WriteString(l[:at] + "{{ " + v + " }}")
			l = l[at+len(redact.Marker):]
		}
		out.WriteString(l)
		lines[i] = out.String()
		if strings.Contains(lines[i], redact.Marker) && commentable(c.Path) {
			lines[i] = "# " + lines[i]
		}
	}
	if len(lost) > 0 {
		what := "is commented out"
		if !commentable(c.Path) {
			what = "keeps the marker"
		}
		b.p.todo(TodoItem{Section: "Not translated", Title: c.Path + ": a value the survey removed",
			Detail: fmt.Sprintf("At %s the survey removed a value that nothing names as a credential (an older trowel took some settings for passwords); it is not a vault variable, and the line %s. Survey the host again with this trowel and codify again, or write the line by hand.", strings.Join(lost, ", "), what),
			Facts:  c.Evidence})
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

// credentialBefore names the credential whose value the filters removed after
// before, and says whether anything there names one at all.
func credentialBefore(before string) (string, bool) {
	name := "value"
	if m := keyBefore.FindStringSubmatch(before); m != nil {
		name = m[1]
	}
	switch {
	case secretName.MatchString(name):
		return name, true
	case secretPlace.MatchString(before):
		if name == "value" || len(name) < 3 {
			name = "password"
		}
		return name, true
	}
	return name, false
}

// commentable says whether '#' starts a comment on any line of the file.
func commentable(p string) bool {
	switch {
	case p == "/etc/motd", p == "/etc/issue", p == "/etc/issue.net", p == "/etc/mailname", p == "/etc/hostname", p == "/etc/timezone":
		return false
	case strings.HasSuffix(p, ".crt"), strings.HasSuffix(p, ".pem"), strings.HasSuffix(p, ".key"), strings.HasSuffix(p, ".json"):
		return false
	}
	return true
}

// hashComments says whether '#' starts a comment in the file, so a header can be
// added without changing what the file means: not in an init script, whose #! line
// must stay first.
func hashComments(p string) bool {
	return commentable(p) && !strings.HasPrefix(p, "/etc/init.d/")
}
