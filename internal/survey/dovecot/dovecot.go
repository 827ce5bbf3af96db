// Package dovecot surveys Dovecot from `doveconf -n` (2.x) or `dovecot -n` (1.x),
// which print the settings that differ from the defaults, already merged from
// conf.d. Dovecot 1.x printed "key: value" and 2.x "key = value"; 2.x renamed many
// settings (ssl_cert_file became ssl_cert = <file), so a 1.x config does not load
// in 2.x as it is.
package dovecot

import (
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

var versionLine = regexp.MustCompile(`^#\s*(\d+\.\d+[0-9A-Za-z.]*)`)

// Config is the parsed output of doveconf -n.
type Config struct {
	Version  string
	Settings []snapshot.Setting // nested keys joined by "/": "passdb/driver"
}

// ParseConfig reads doveconf -n / dovecot -n output. Sections ("passdb {",
// "protocol imap {", "namespace inbox {"; in 1.x an indented block under "auth
// default:") prefix their keys.
func ParseConfig(text string) (Config, error) {
	type section struct {
		name   string
		indent int
		brace  bool
	}
	var c Config
	var perr kit.ParseError
	var stack []section
	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		raw = strings.TrimSuffix(raw, "\r")
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		for len(stack) > 0 && !stack[len(stack)-1].brace && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		switch {
		case strings.HasPrefix(line, "#"):
			if m := versionLine.FindStringSubmatch(line); m != nil && c.Version == "" {
				c.Version = m[1]
			}
			continue
		case line == "}":
			if len(stack) == 0 || !stack[len(stack)-1].brace {
				perr.Add(i+1, "} without a section")
				continue
			}
			stack = stack[:len(stack)-1]
			continue
		case strings.HasSuffix(line, "{"):
			stack = append(stack, section{strings.Join(strings.Fields(strings.TrimSuffix(line, "{")), " "), indent, true})
			continue
		case strings.HasSuffix(line, ":") && !strings.Contains(line, "="):
			stack = append(stack, section{strings.TrimSuffix(line, ":"), indent, false})
			continue
		}
		// 2.x writes "key = value", 1.x "key: value"; the separator is whichever
		// comes first, since values hold both (mbox:~/mail:INBOX=/var/mail/%u).
		sep := strings.IndexAny(line, "=:")
		ok := sep > 0
		var k, v string
		if ok {
			k, v = line[:sep], line[sep+1:]
		}
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			perr.Add(i+1, "not a setting: %q", line)
			continue
		}
		for j := len(stack) - 1; j >= 0; j-- {
			k = stack[j].name + "/" + k
		}
		c.Settings = append(c.Settings, snapshot.Setting{Key: k, Value: strings.TrimSpace(v)})
	}
	for _, s := range stack {
		if s.brace {
			perr.Add(len(lines), "section %q not closed", s.name)
			break
		}
	}
	return c, perr.Err()
}

// Surveyor fills Middleware.Mail with Dovecot.
type Surveyor struct{}

// New returns the Dovecot surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "dovecot" }

// Survey fills the dovecot mail server and its coverage.
func (Surveyor) Survey(in *kit.Input) {
	dc, d1 := in.Cmd("doveconf-n"), in.Cmd("dovecot-n")
	conf2, conf1 := in.File("/etc/dovecot/dovecot.conf"), in.File("/etc/dovecot.conf")
	found := presence.Decide(in, presence.Spec{
		Role: "dovecot", Name: "Dovecot",
		Programs: []*evidence.Item{dc, d1},
		Configs:  []*evidence.Item{conf2, conf1},
	})
	if found.Cover(in, snapshot.SectionDovecot) {
		return
	}
	ms := snapshot.MailServer{Kind: "dovecot", Service: presence.Service(in.Snap, "dovecot"), Presence: found.Presence()}
	var cite []*evidence.Item
	for _, f := range []*evidence.Item{conf2, conf1} {
		if kit.Usable(f) {
			ms.Configs = append(ms.Configs, f.Name)
			cite = append(cite, f)
		}
	}
	src := kit.FirstUsable(dc, d1)
	if src == nil {
		// Offline, or doveconf refused: the settings are not merged, so none are kept.
		st, why := kit.StatusOf(dc)
		if in.Offline() {
			st, why = snapshot.Partial, "offline: doveconf cannot run, so the merged settings are unknown; the configuration files are listed"
		} else if st == snapshot.Collected || st == snapshot.Unavailable {
			st, why = snapshot.Partial, "doveconf -n could not be used ("+kit.Explain(dc, d1)+"): the merged settings are unknown"
		}
		ms.Version, ms.VersionSource = found.Version(in)
		for _, it := range cite {
			ms.Evidence = append(ms.Evidence, in.Cite(it))
		}
		in.Snap.Middleware.Mail = append(in.Snap.Middleware.Mail, ms)
		in.Cover(snapshot.SectionDovecot, st, why, append(cite, dc, d1)...)
		return
	}
	c, err := ParseConfig(src.Text())
	cite = append(cite, src)
	ms.Version, ms.VersionSource = c.Version, src.Source()
	if ms.Version == "" {
		ms.Version, ms.VersionSource = found.Version(in)
	}
	for _, s := range c.Settings {
		s.Source = src.Source()
		ms.Settings = append(ms.Settings, s)
	}
	for _, it := range cite {
		ms.Evidence = append(ms.Evidence, in.Cite(it))
	}
	in.Snap.Middleware.Mail = append(in.Snap.Middleware.Mail, ms)
	if err != nil {
		in.Cover(snapshot.SectionDovecot, snapshot.Partial, src.Source()+": "+err.Error(), cite...)
		return
	}
	st, why := kit.StatusOf(src)
	in.Cover(snapshot.SectionDovecot, st, why, cite...)
}
