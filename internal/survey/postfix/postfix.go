// Package postfix surveys Postfix: the non-default settings (postconf -n, else
// main.cf read directly, as offline), the relay host and how its name resolves, and
// the aliases of the alias maps main.cf names.
//
// Across versions: CentOS 5 ships Postfix 2.3, which already has postconf -n and
// mail_version; compatibility_level (3.0+) changes defaults such as
// smtputf8_enable and relay restrictions, so a 2.x main.cf moved to 3.x without
// compatibility_level behaves differently.
package postfix

import (
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/network"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills Middleware.Mail with Postfix.
type Surveyor struct{}

// New returns the Postfix surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "postfix" }

const mainCf = "/etc/postfix/main.cf"

// Survey fills the postfix mail server and its coverage.
func (Surveyor) Survey(in *kit.Input) {
	pc, ver, main, master := in.Cmd("postconf-n"), in.Cmd("postconf-mail-version"), in.File(mainCf), in.File("/etc/postfix/master.cf")
	found := presence.Decide(in, presence.Spec{
		Role: "postfix", Name: "Postfix",
		Programs: []*evidence.Item{pc},
		Configs:  []*evidence.Item{main},
	})
	if found.Cover(in, snapshot.SectionPostfix) {
		return
	}

	ms := snapshot.MailServer{Kind: "postfix", Presence: found.Presence()}
	var cite []*evidence.Item
	var problems []string
	if kit.Usable(ver) {
		ms.Version, ms.VersionSource = strings.TrimSpace(ver.Text()), ver.Source()
		cite = append(cite, ver)
	} else {
		ms.Version, ms.VersionSource = found.Version(in)
	}

	var fileParams []Param
	if kit.Usable(main) {
		var err error
		fileParams, err = ParseMainCf(main.Text())
		if err != nil {
			problems = append(problems, mainCf+": "+err.Error())
		}
		ms.Configs = append(ms.Configs, mainCf)
		cite = append(cite, main)
	}
	if kit.Usable(master) {
		ms.Configs = append(ms.Configs, master.Name)
		cite = append(cite, master)
	}
	lineOf := map[string]int{}
	for _, p := range fileParams {
		lineOf[p.Key] = p.Line
	}

	var params []Param
	switch {
	case kit.Usable(pc):
		var err error
		params, err = ParsePostconf(pc.Text())
		if err != nil {
			problems = append(problems, "postconf -n: "+err.Error())
		}
		cite = append(cite, pc)
	case len(fileParams) > 0:
		// Offline, or postconf failed: main.cf says what is set, though a value
		// equal to the default is then not told from a change.
		params = fileParams
		if !in.Offline() {
			problems = append(problems, "postconf -n could not be used ("+pc.Problem()+"): the settings are main.cf's as written, defaults included")
		}
	default:
		_, why := kit.Worst(pc, main)
		problems = append(problems, "no settings could be read: "+why)
	}
	val := map[string]string{}
	for _, p := range params {
		s := snapshot.Setting{Key: p.Key, Value: p.Value}
		if l := lineOf[p.Key]; l > 0 {
			s.Source = source(mainCf, l)
		} else if p.Line == 0 {
			s.Source = "postconf -n"
		}
		ms.Settings = append(ms.Settings, s)
		val[p.Key] = p.Value
	}

	if rh := val["relayhost"]; rh != "" {
		ms.Relayhost = rh
		if host, isName := Relayhost(rh); isName {
			if hosts := in.File("/etc/hosts"); kit.Usable(hosts) {
				// What parses well is kept even when other lines do not.
				lines, _ := network.ParseHosts(hosts.Text())
				if h, ok := network.Resolve(lines, host); ok {
					ms.RelayhostHosts = h.Address + " at " + source("/etc/hosts", h.Line)
					cite = append(cite, hosts)
				}
			}
		}
	}

	aliasMaps, ok := val["alias_maps"]
	if !ok {
		aliasMaps = "hash:/etc/aliases" // the default on Linux builds
	}
	for _, p := range MapFiles(aliasMaps) {
		it := in.File(p)
		if !kit.Usable(it) {
			if it.Status != evidence.StatusAbsent {
				st, why := kit.StatusOf(it)
				problems = append(problems, "aliases "+p+" ("+string(st)+"): "+why)
			}
			continue
		}
		al, err := ParseAliases(it.Text())
		if err != nil {
			problems = append(problems, p+": "+err.Error())
		}
		for _, a := range al {
			ms.Aliases = append(ms.Aliases, snapshot.Alias{Name: a.Name, Targets: a.Targets, Source: source(p, a.Line)})
		}
		ms.Configs = append(ms.Configs, p)
		cite = append(cite, it)
	}
	// The text forms of the lookup tables main.cf names, where the probe read them.
	for _, k := range sortedKeys(val) {
		if !strings.HasSuffix(k, "_maps") || k == "alias_maps" || strings.Contains(k, "sasl") {
			continue
		}
		for _, p := range MapFiles(val[k]) {
			if it := in.File(p); kit.Usable(it) && !contains(ms.Configs, p) {
				ms.Configs = append(ms.Configs, p)
				cite = append(cite, it)
			} else if it.Status == evidence.StatusMissing && !contains(ms.Configs, p) {
				problems = append(problems, k+" names "+p+", which the probe does not read")
			}
		}
	}
	ms.Service = presence.Service(in.Snap, "postfix")
	for _, it := range cite {
		ms.Evidence = append(ms.Evidence, in.Cite(it))
	}
	in.Snap.Middleware.Mail = append(in.Snap.Middleware.Mail, ms)
	if len(problems) == 0 {
		in.Cover(snapshot.SectionPostfix, snapshot.Collected, "", cite...)
		return
	}
	st := snapshot.Partial
	if len(params) == 0 {
		// main.cf unreadable says more than a missing postconf.
		if st, _ = kit.StatusOf(main); st == snapshot.Collected || st == snapshot.Unavailable {
			st, _ = kit.Worst(pc, main)
		}
		if st == snapshot.Collected {
			st = snapshot.Unavailable
		}
	}
	in.Cover(snapshot.SectionPostfix, st, strings.Join(problems, "; "), append(cite, pc, main)...)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
