package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/labtest/labsurvey"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// Every statement of the handover document and of the findings is true of the
// snapshot it was made from, in the state the facts are in: for every snapshot in
// every testdata directory of the repository, the CentOS 5 disk and the
// end-to-end tests' planted disk and the CentOS 5 Redmine disk read offline, and
// the same hosts changed to a configured server stopped and disabled (live) and
// read offline, in English and Japanese. The builder records a claim for each
// statement as it writes it; each claim is checked against the snapshot's own
// fields (not through the helpers that made it), and every state word of the
// rendered text must belong to a claim or to a label that only describes the
// document. Sizes are checked on the text itself.
func TestEveryStatementIsTrue(t *testing.T) {
	for name, s := range truthSources(t) {
		t.Run(name, func(t *testing.T) { checkTruth(t, s) })
	}
}

// The same on the lab's hosts, surveyed live over SSH and read offline from
// their disks (skipped without the lab).
func TestEveryStatementIsTrueOnTheLab(t *testing.T) {
	lab := labtest.Require(t)
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		t.Run(name+"/live", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			res, err := labsurvey.Survey(ctx, lab, name)
			if err != nil {
				t.Fatal(err)
			}
			checkTruth(t, survey.Run(res.Archive, res.Source, res.Raw))
		})
		if h.Root == "" {
			continue
		}
		t.Run(name+"/offline", func(t *testing.T) {
			res, err := collect.Root(context.Background(), h.Root)
			if err != nil {
				t.Fatal(err)
			}
			checkTruth(t, survey.Run(res.Archive, res.Source, res.Raw))
		})
	}
}

// truthSources are the snapshots of the repository's testdata (each file whose
// start names a schema_version), the CentOS 5 and planted disks, and variants of the lab's
// legacy snapshot that put every state in front of the builder: Dovecot installed
// and configured but stopped and disabled with its firewall opening left (the
// field report's host), and that host read offline.
func truthSources(t *testing.T) map[string]*snapshot.Snapshot {
	t.Helper()
	out := map[string]*snapshot.Snapshot{"centos5-offline": centos5Snapshot(t)}
	seen := map[string]bool{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "/testdata/") || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		// A ledger.json opens with a schema_version too; a snapshot alone says when
		// it was collected.
		head := b[:min(len(b), 200)]
		if err != nil || !bytes.Contains(head, []byte(`"schema_version"`)) || !bytes.Contains(head, []byte(`"collected_at"`)) || seen[string(b)] {
			return err
		}
		seen[string(b)] = true
		var s snapshot.Snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		out[strings.TrimPrefix(p, "../")] = &s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 {
		t.Fatalf("only %d snapshots found: is the walk looking in the right place?", len(seen))
	}
	// The end-to-end tests' disk with credentials planted where commands are
	// kept, and the survey tests' CentOS 5 Redmine host (SysV, MySQL outside the
	// package manager): other offline hosts.
	for name, dir := range map[string]string{"planted-offline": "../e2e/testdata/planted", "centos5-redmine-offline": "../survey/testdata/centos5-redmine"} {
		res, err := collect.Root(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = survey.Run(res.Archive, res.Source, res.Raw)
	}
	idle := stoppedDovecot(t)
	out["legacy+stopped-dovecot"] = idle
	offline := stoppedDovecot(t)
	offline.Source = snapshot.Source{Kind: "root", Target: "/mnt/legacy", User: "root", Privileged: true}
	// The services keep the running flags of the live survey: read offline, the
	// document must not believe them.
	// Offline nothing live is read: no process, socket, connection or answer,
	// and no daemon is known to have missed a zone change.
	offline.Processes, offline.Listeners, offline.Answers = nil, nil, nil
	offline.Network.Connections, offline.Network.Clients = nil, nil
	offline.Time.StaleDaemons = nil
	for i := range offline.Logs.Shippers {
		offline.Logs.Shippers[i].Running = nil
	}
	offline.Coverage[snapshot.SectionProcesses] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "offline"}
	offline.Coverage[snapshot.SectionListeners] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "offline"}
	offline.Coverage[snapshot.SectionDovecot] = snapshot.Coverage{Status: snapshot.Partial, Reason: "offline: doveconf cannot run, so the merged settings are unknown"}
	offline.Middleware.Mail[len(offline.Middleware.Mail)-1].Settings = nil
	out["legacy+stopped-dovecot-offline"] = offline
	out["legacy+init-units"] = withInitUnits(stoppedDovecot(t))
	return out
}

// stoppedDovecot is the legacy host with a Dovecot installed and configured but
// stopped and disabled, the packet filter still open on IMAPS.
func stoppedDovecot(t *testing.T) *snapshot.Snapshot {
	s := legacySnapshot(t)
	s.Services = append(s.Services, snapshot.Service{Name: "dovecot", Init: "systemd", Running: snapshot.Bool(false), State: "dead",
		Enabled: snapshot.Bool(false), EnabledState: "disabled", Path: "/usr/lib/systemd/system/dovecot.service", Package: "dovecot-core",
		Configs: []string{"/etc/dovecot/dovecot.conf"}, Evidence: []string{"cmd:systemctl-show"}})
	s.Middleware.Mail = append(s.Middleware.Mail, snapshot.MailServer{Kind: "dovecot", Version: "2.3.13", Service: "dovecot",
		Configs: []string{"/etc/dovecot/dovecot.conf"}, Settings: []snapshot.Setting{{Key: "protocols", Value: "imap", Source: "doveconf -n"}},
		Evidence: []string{"cmd:doveconf-n"}})
	s.Network.Firewall = snapshot.Firewall{Tool: "iptables", Rules: []snapshot.FirewallRule{
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p tcp -m tcp --dport 993 -j ACCEPT", Evidence: "cmd:iptables-save"}}}
	s.Coverage[snapshot.SectionDovecot] = snapshot.Coverage{Status: snapshot.Collected}
	s.Coverage[snapshot.SectionFirewall] = snapshot.Coverage{Status: snapshot.Collected}
	return s
}

func checkTruth(t *testing.T, s *snapshot.Snapshot) {
	t.Helper()
	for _, lang := range []string{"en", "ja"} {
		findings := analyze.Analyze(s, lang)
		d := Handover(s, findings, lang)
		if len(d.Claims) == 0 {
			t.Fatalf("%s: the document claims nothing: the builder records no claims", lang)
		}
		for _, c := range d.Claims {
			if err := checkClaim(s, c); err != nil {
				t.Errorf("%s: %q (%s %s %s): %v", lang, c.Text, c.Subject, c.Says, c.Value, err)
			}
			if err := checkWords(c, lang); err != nil {
				t.Errorf("%s: %q (%s %s %s): %v", lang, c.Text, c.Subject, c.Says, c.Value, err)
			}
		}
		checkFolds(t, s, d)
		for _, e := range staleNotes(s) {
			t.Errorf("%s: %s", lang, e)
		}
		for _, f := range findings {
			if err := checkFinding(s, f); err != nil {
				t.Errorf("%s: finding %s: %v", lang, f.ID(), err)
			}
		}
		var md bytes.Buffer
		if err := Markdown(&md, d); err != nil {
			t.Fatal(err)
		}
		for _, e := range unclaimedStateWords(md.String(), s, d, findings, lang) {
			t.Errorf("%s: a state word no claim stands behind: %s", lang, e)
		}
		for _, e := range unknownSizes(md.String(), s) {
			t.Errorf("%s: %s", lang, e)
		}
	}
	var sum strings.Builder
	Summary(&sum, s)
	if s.Source.Kind == "root" && regexp.MustCompile(`\d+ running`).MatchString(sum.String()) {
		t.Errorf("the survey summary counts what runs on a disk read offline:\n%s", sum.String())
	}
}

// checkClaim holds one claim to the snapshot's fields.
func checkClaim(s *snapshot.Snapshot, c Claim) error {
	offline := s.Source.Kind == "root"
	switch c.Says {
	case SaysRun:
		running, word, ok := runFacts(s, c.Subject)
		if !ok && c.Value != string(snapshot.RunUnknown) {
			return fmt.Errorf("no such subject in the snapshot")
		}
		want := string(snapshot.RunUnknown)
		switch {
		case offline || running == nil:
		case *running && word == "exited":
			want = string(snapshot.Exited)
		case *running:
			want = string(snapshot.Running)
		default:
			want = string(snapshot.Stopped)
		}
		if c.Value != want {
			return fmt.Errorf("the snapshot says %s", want)
		}
	case SaysBoot:
		sv, ok := serviceFacts(s, c.Subject)
		if !ok && c.Value != string(snapshot.BootUnknown) {
			return fmt.Errorf("no such service in the snapshot")
		}
		want := string(snapshot.BootUnknown)
		switch {
		case sv.Enabled == nil:
		case *sv.Enabled:
			want = string(snapshot.Enabled)
		case strings.HasPrefix(sv.EnabledState, "masked"):
			want = string(snapshot.Masked)
		case sv.EnabledState == "static" || sv.EnabledState == "indirect":
			want = string(snapshot.Static)
		default:
			want = string(snapshot.Disabled)
		}
		if c.Value != want {
			return fmt.Errorf("the snapshot says %s", want)
		}
	case SaysVersion:
		v, ok := middlewareVersion(s, c.Subject)
		if !ok || v != c.Value {
			return fmt.Errorf("the snapshot's version is %q", v)
		}
	case SaysListens:
		for _, l := range s.Listeners {
			if snapshot.JoinHostPort(l.Address, l.Port) == c.Value {
				return nil
			}
		}
		return fmt.Errorf("no listener on %s", c.Value)
	case SaysConfiguredFor:
		for _, d := range s.Middleware.Databases {
			if "middleware.databases["+d.Kind+"]" != c.Subject {
				continue
			}
			if snapshot.JoinHostPort(d.Bind, d.Port) != c.Value {
				return fmt.Errorf("configured for %s", snapshot.JoinHostPort(d.Bind, d.Port))
			}
			for _, l := range s.Listeners {
				if l.Port == d.Port {
					return fmt.Errorf("a listener on %d was seen: the document should say so", l.Port)
				}
			}
			return nil
		}
		return fmt.Errorf("no such database")
	case SaysNone, SaysNoneSeen, SaysUnknown:
		return checkAbsence(s, c)
	case SaysMode:
		if (c.Value == string(snapshot.ModeOffline)) != offline {
			return fmt.Errorf("the source is %s", s.Source.Kind)
		}
	case SaysAbsent:
		for _, sec := range claimSections(c.Subject) {
			if s.Coverage[sec].Status != snapshot.NotApplicable {
				return fmt.Errorf("%s is %s, not proven absent", sec, s.Coverage[sec].Status)
			}
		}
	case SaysFolded:
		if n, err := strconv.Atoi(c.Value); err != nil || n <= 0 {
			return fmt.Errorf("folds %q rows", c.Value)
		}
	default:
		return fmt.Errorf("a claim the test does not know how to check")
	}
	return nil
}

// vocabulary are the words that say each state, per language: a claim's words
// must say what its value says, so a sentence that claims "stopped" cannot read
// "serves".
var vocabulary = map[string]map[string]*regexp.Regexp{
	"en": {
		"running": regexp.MustCompile(`\b(runs|running|serves|yes|leaves|shipped)\b`),
		"exited":  regexp.MustCompile(`\bexited\b`),
		"stopped": regexp.MustCompile(`\b(stopped|no)\b`),
		"unknown": regexp.MustCompile(`(?i)not known|\bunknown\b`),
		"enabled": regexp.MustCompile(`\bstarts at boot\b|\byes\b`),
		"off":     regexp.MustCompile(`does not start|\bno\b|masked|only when`),
		"none":    regexp.MustCompile(`^(No |Nothing |Every |none$|/etc/\S+ has no )`),
		"seen":    regexp.MustCompile(`in what could be read`),
		"absent":  regexp.MustCompile(`(?i)absent|not present`),
		"mode":    regexp.MustCompile(`offline`),
		"listens": regexp.MustCompile(`^listening on `),
		"config":  regexp.MustCompile(`^configured for `),
	},
	"ja": {
		"running": regexp.MustCompile(`動いて|動作中|配信して|はい|送信され|転送して`),
		"exited":  regexp.MustCompile(`終了`),
		"stopped": regexp.MustCompile(`停止|いいえ`),
		"unknown": regexp.MustCompile(`不明|分かりません|ありません \(以前`),
		"enabled": regexp.MustCompile(`起動時に開始する|はい`),
		"off":     regexp.MustCompile(`開始しない|いいえ|マスク|ときだけ`),
		"none":    regexp.MustCompile(`ありません|なし$|見つかりませんでした|そのまま|すべて`),
		"seen":    regexp.MustCompile(`読み取れた範囲`),
		"absent":  regexp.MustCompile(`存在しない|存在しません`),
		"mode":    regexp.MustCompile(`オフライン`),
		"listens": regexp.MustCompile(`^待ち受け `),
		"config":  regexp.MustCompile(`^設定上の待ち受け `),
	},
}

// checkWords holds a claim's words to its value: they must say it, and must not
// say its opposite.
func checkWords(c Claim, lang string) error {
	v := vocabulary[lang]
	says := func(word string) bool { return v[word].MatchString(c.Text) }
	var want, not []string
	switch c.Says {
	case SaysRun:
		switch snapshot.RunState(c.Value) {
		case snapshot.Running:
			want, not = []string{"running"}, []string{"stopped", "unknown"}
		case snapshot.Exited:
			want = []string{"exited"}
		case snapshot.Stopped:
			want, not = []string{"stopped"}, []string{"running", "unknown"}
		default:
			want = []string{"unknown"}
		}
	case SaysBoot:
		switch snapshot.BootState(c.Value) {
		case snapshot.Enabled:
			want, not = []string{"enabled"}, []string{"off", "unknown"}
		case snapshot.BootUnknown:
			want = []string{"unknown"}
		default:
			want, not = []string{"off"}, []string{"enabled", "unknown"}
		}
	case SaysNone:
		want, not = []string{"none"}, []string{"seen", "unknown"}
	case SaysNoneSeen:
		want = []string{"seen"}
	case SaysUnknown:
		want = []string{"unknown"}
	case SaysAbsent:
		want = []string{"absent"}
	case SaysMode:
		want = []string{"mode"}
	case SaysListens:
		want = []string{"listens"}
	case SaysConfiguredFor:
		want = []string{"config"}
	case SaysVersion, SaysFolded:
		if !strings.Contains(c.Text, c.Value) {
			return fmt.Errorf("the words do not give the value")
		}
	}
	for _, w := range want {
		if !says(w) {
			return fmt.Errorf("the words do not say %s", w)
		}
	}
	for _, w := range not {
		if says(w) {
			return fmt.Errorf("the words say %s, the claim the opposite", w)
		}
	}
	return nil
}

// runFacts finds whether the subject runs, and the init system's word for it,
// from the fields the surveyors fill.
func runFacts(s *snapshot.Snapshot, subject string) (*bool, string, bool) {
	if subject == "time.ntp" {
		return s.Time.NTP.Running, "", s.Time.NTP.Daemon != ""
	}
	if name, ok := strings.CutPrefix(subject, "logs.shippers["); ok {
		name = strings.TrimSuffix(name, "]")
		for _, sh := range s.Logs.Shippers {
			if sh.Name == name {
				return sh.Running, "", true
			}
		}
		return nil, "", false
	}
	sv, ok := serviceFacts(s, subject)
	return sv.Running, sv.State, ok
}

func serviceFacts(s *snapshot.Snapshot, subject string) (snapshot.Service, bool) {
	if name, ok := strings.CutPrefix(subject, "logs.shippers["); ok {
		name = strings.TrimSuffix(name, "]")
		for _, sh := range s.Logs.Shippers {
			if sh.Name == name {
				subject = "services[" + sh.Service + "]"
			}
		}
	}
	name, ok := strings.CutPrefix(subject, "services[")
	if !ok {
		return snapshot.Service{}, false
	}
	name = strings.TrimSuffix(name, "]")
	for _, sv := range s.Services {
		if sv.Name == name {
			return sv, true
		}
	}
	return snapshot.Service{}, false
}

func middlewareVersion(s *snapshot.Snapshot, subject string) (string, bool) {
	for _, r := range s.Middleware.Servers() {
		if r.Path == subject {
			return r.Version, true
		}
	}
	return "", false
}

func claimSections(subject string) []snapshot.Section {
	list := strings.TrimSuffix(strings.TrimPrefix(subject, "coverage["), "]")
	var out []snapshot.Section
	for _, n := range strings.Split(list, ",") {
		out = append(out, snapshot.Section(n))
	}
	return out
}

// checkAbsence: "none" only where every section read was read completely;
// "nothing in what could be read" only where one was read in part; "not known"
// only where one was not read.
func checkAbsence(s *snapshot.Snapshot, c Claim) error {
	worst := snapshot.Collected
	for _, sec := range claimSections(c.Subject) {
		cov, ok := s.Coverage[sec]
		switch {
		case !ok:
			worst = ""
		case cov.Status == snapshot.Partial && worst == snapshot.Collected:
			worst = snapshot.Partial
		case cov.Status != snapshot.Collected && cov.Status != snapshot.NotApplicable && cov.Status != snapshot.Partial:
			worst = cov.Status
		}
		if worst != snapshot.Collected && worst != snapshot.Partial {
			break
		}
	}
	want := map[snapshot.Status]string{snapshot.Collected: SaysNone, snapshot.Partial: SaysNoneSeen}[worst]
	if want == "" {
		want = SaysUnknown
	}
	if c.Says != want {
		return fmt.Errorf("the sections' coverage (%q) allows only %q", worst, want)
	}
	return nil
}

// checkFolds: nothing folded is the host's own: a folded unit neither runs nor
// starts at boot nor is masked, did not fail, is no server, has no port,
// connection or job, no timer starts it, and its unit file is a package's; a
// folded alias is as the distribution ships it, a folded package file is
// documentation the install left out. A table with a fold lists every service
// once, in its body or in the fold.
func checkFolds(t *testing.T, s *snapshot.Snapshot, d *Document) {
	t.Helper()
	for _, sec := range d.All() {
		for _, b := range sec.Blocks {
			tb, ok := b.(*Table)
			if !ok || tb.Folded == nil {
				continue
			}
			var claim *Claim
			for i := range d.Claims {
				if d.Claims[i].Says == SaysFolded && d.Claims[i].Text == tb.Folded.Summary {
					claim = &d.Claims[i]
				}
			}
			if claim == nil || claim.Value != strconv.Itoa(len(tb.Folded.Rows)) {
				t.Errorf("%s: the fold %q is not claimed with its count", sec.ID, tb.Folded.Summary)
				continue
			}
			if claim.Subject == "services" {
				var names []string
				for _, r := range append(slices.Clone(tb.Rows), tb.Folded.Rows...) {
					names = append(names, r[0].Text)
				}
				var want []string
				for _, sv := range s.Services {
					want = append(want, sv.Name)
				}
				slices.Sort(names)
				slices.Sort(want)
				if !slices.Equal(names, want) {
					t.Errorf("%s: the table and its fold list %v, the snapshot has %v", sec.ID, names, want)
				}
			}
			for _, r := range tb.Folded.Rows {
				name := r[0].Text
				switch {
				case claim.Subject == "services":
					sv, _ := serviceFacts(s, "services["+name+"]")
					if sv.Running != nil && *sv.Running && sv.State != "exited" || sv.Enabled != nil && *sv.Enabled || strings.HasPrefix(sv.EnabledState, "masked") {
						t.Errorf("%s: the unit %s is folded as the init system's own but runs, starts at boot or is masked", sec.ID, name)
					}
					if sv.State == "failed" || len(sv.Listens)+len(sv.Connects)+len(sv.Jobs) > 0 || len(s.Middleware.ServersOf(sv.Name)) > 0 {
						t.Errorf("%s: the unit %s is folded as the init system's own but failed, is a server or has ports, connections or jobs", sec.ID, name)
					}
					if sv.Init == "systemd" && !strings.HasPrefix(sv.Path, "/usr/lib/systemd/system/") && !strings.HasPrefix(sv.Path, "/lib/systemd/system/") {
						t.Errorf("%s: the unit %s is folded as the init system's own but its unit file %q is no package's", sec.ID, name, sv.Path)
					}
					for _, j := range s.CronJobs {
						if j.Kind == "timer" && strings.TrimSuffix(j.Command, ".service") == strings.TrimSuffix(name, ".service") {
							t.Errorf("%s: the unit %s is folded as the init system's own but the timer %s starts it", sec.ID, name, j.Source)
						}
					}
				case strings.HasSuffix(claim.Subject, ".aliases"):
					if !strings.HasPrefix(r[2].Text, "/etc/aliases:") || !distro.StockAlias(s.OS.Family, name, strings.Split(r[1].Text, ", ")) {
						t.Errorf("%s: the alias %s is folded but is not as the distribution ships it", sec.ID, name)
					}
				case claim.Subject == "files.configs":
					if !slices.ContainsFunc(s.Files.Configs, func(c snapshot.ConfigFile) bool { return c.Path == name && c.State == "missing" }) || !packageDoc(name) {
						t.Errorf("%s: %s is folded but is no missing documentation file", sec.ID, name)
					}
				default:
					t.Errorf("%s: a fold of %s the test does not know", sec.ID, claim.Subject)
				}
			}
		}
	}
}

// checkFinding holds the findings that state a state to the snapshot's fields.
func checkFinding(s *snapshot.Snapshot, f analyze.Finding) error {
	offline := s.Source.Kind == "root"
	sv, _ := serviceFacts(s, "services["+f.Subject+"]")
	is := func(b *bool, v bool) bool { return b != nil && *b == v }
	switch f.Key {
	case "service.running-not-enabled":
		if offline || !is(sv.Running, true) || sv.State == "exited" || !is(sv.Enabled, false) {
			return fmt.Errorf("running %v enabled %v", sv.Running, sv.Enabled)
		}
	case "service.enabled-not-running":
		if offline || !is(sv.Running, false) || !is(sv.Enabled, true) {
			return fmt.Errorf("running %v enabled %v", sv.Running, sv.Enabled)
		}
	case "service.stopped-configured":
		if offline || !is(sv.Running, false) || !is(sv.Enabled, false) {
			return fmt.Errorf("running %v enabled %v", sv.Running, sv.Enabled)
		}
	case "time.stale-zone":
		if offline || len(s.Processes) == 0 {
			return fmt.Errorf("a daemon said to run where no process was seen")
		}
	case "shipper.unreachable":
		for _, sh := range s.Logs.Shippers {
			if strings.HasPrefix(f.Subject, sh.Name+" ") && !is(sh.Running, true) {
				return fmt.Errorf("%s is not known to run", sh.Name)
			}
		}
	case "backup.none":
		if s.Backups.Found || s.Coverage[snapshot.SectionBackups].Status != snapshot.Collected {
			return fmt.Errorf("no backup said where the backups were not all read")
		}
	case "eol.os", "eol.middleware":
		if !slices.ContainsFunc(s.EndOfLife, func(e snapshot.EndOfLife) bool {
			return e.Version == f.Args["version"] && e.Product == f.Args["product"]
		}) {
			return fmt.Errorf("version %s of %s is not in the snapshot", f.Args["version"], f.Args["product"])
		}
	case "coverage.incomplete":
		for _, sec := range strings.Split(f.Args["partial"], ", ") {
			if sec != "" && s.Coverage[snapshot.Section(sec)].Status != snapshot.Partial {
				return fmt.Errorf("%s is said read in part but is %s", sec, s.Coverage[snapshot.Section(sec)].Status)
			}
		}
	}
	return nil
}

// stateWords are the words that state whether something runs, starts, exists
// or differs: each use must stand on a claim.
var stateWords = map[string]*regexp.Regexp{
	"en": regexp.MustCompile(`\b(runs|running|serves|stopped|start at boot|starts at boot|is enabled|disabled|not installed|absent|none|defaults?)\b|(^|[.:] )No [a-z]`),
	"ja": regexp.MustCompile(`動いて|動作中|稼働中|停止|起動時に開始|配信して|ありません|なし|既定|存在しない`),
}

// descriptive are the label families that describe the document, not the host:
// headings, introductions, table explanations, column titles, fact names, the
// severity words and the renderers' own words.
var descriptive = []string{"sec.", "intro.", "tbl.", "col.", "svc.", "mw.config", "mw.service", "mw.state", "sev.", "sum.", "meta.", "status."}

// unclaimedStateWords finds, line by line of the rendered document, the state
// words left once every claim's words, every descriptive label, every finding
// the test checks and the host's own data (table rows, code, service
// descriptions) are taken out.
func unclaimedStateWords(text string, s *snapshot.Snapshot, d *Document, findings []analyze.Finding, lang string) []string {
	var known []string
	for _, c := range d.Claims {
		known = append(known, c.Text)
	}
	for k, v := range labelsEN {
		if lang == "ja" {
			v = L("ja", k)
		}
		for _, p := range descriptive {
			if strings.HasPrefix(k, p) && !strings.Contains(v, "%") {
				known = append(known, v)
			}
		}
	}
	for _, f := range findings {
		known = append(known, f.Title, f.Summary, f.Remediation.Hint)
	}
	// Why a part could not be read is the survey's account of itself.
	for _, cov := range s.Coverage {
		known = append(known, cov.Reason)
	}
	// A unit's own description is the host's words, not the document's, and so
	// is a command line.
	for _, sv := range s.Services {
		known = append(known, sv.Description)
	}
	for _, p := range s.Processes {
		known = append(known, p.Command)
	}
	// A cron zone note is the cron survey's account of a daemon it saw run; the
	// pid it names must be a process of the snapshot.
	for _, j := range s.CronJobs {
		known = append(known, j.ZoneNote)
	}
	// Longest first, so a claim inside a longer one does not leave a remnant.
	slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) })
	code := regexp.MustCompile("`[^`]*`")
	var out []string
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		// A fenced block (a finding's Ansible or shell snippet) is code, not prose.
		if fence := strings.TrimLeft(line, "> "); strings.HasPrefix(fence, "```") {
			fenced = !fenced
			continue
		}
		if fenced || strings.HasPrefix(line, "|") || strings.HasPrefix(line, "<a id=") {
			continue
		}
		plain := code.ReplaceAllString(strings.NewReplacer(`\`, "").Replace(line), "")
		for _, k := range known {
			if k != "" {
				plain = strings.ReplaceAll(plain, strings.ReplaceAll(k, "\n", " "), "")
			}
		}
		if w := stateWords[lang].FindString(plain); w != "" {
			out = append(out, fmt.Sprintf("%q in %q", w, line))
		}
	}
	return out
}

var printedSize = regexp.MustCompile(`\b\d+(?:\.\d)? (?:[KMGTPE]iB|B)\b`)

// unknownSizes finds the sizes the text prints that no byte count of the
// snapshot gives.
func unknownSizes(text string, s *snapshot.Snapshot) []string {
	doc, err := json.Marshal(s)
	if err != nil {
		return []string{err.Error()}
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []string{err.Error()}
	}
	sizes := map[string]bool{}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case json.Number:
			if n, err := x.Int64(); err == nil {
				sizes[humanBytes(n)] = true
			}
		}
	}
	walk(v)
	var out []string
	for _, m := range printedSize.FindAllString(text, -1) {
		if !sizes[m] {
			out = append(out, "the size "+m+" is no byte count of the snapshot")
		}
	}
	return out
}

var notePID = regexp.MustCompile(`\(pid (\d+)\)`)

// staleNotes finds cron zone notes that say a daemon still runs where the
// snapshot has no such process (or was read offline, where nothing is seen run).
func staleNotes(s *snapshot.Snapshot) []string {
	var out []string
	for _, j := range s.CronJobs {
		m := notePID.FindStringSubmatch(j.ZoneNote)
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if s.Source.Kind == "root" || !slices.ContainsFunc(s.Processes, func(p snapshot.Process) bool { return p.PID == pid }) {
			out = append(out, fmt.Sprintf("the zone note of %s names pid %d, which is no process of the snapshot", j.Source, pid))
		}
	}
	return out
}
