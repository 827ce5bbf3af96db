package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// fixedGenerated keeps golden files stable.
var fixedGenerated = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

func legacySnapshot(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	doc, err := os.ReadFile("testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// centos5Snapshot surveys testdata/centos5 offline, the way trowel survey DIR
// does: a real CentOS 5 RPM database and hand-written configs in their real
// formats. What depends on the checkout (the directory, file times) is pinned.
func centos5Snapshot(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/centos5")); err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC)
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, stamp, stamp)
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := collect.Root(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// The survey's "now" (next cron runs, end of life, certificate days) is the
	// archive's epoch: pinned, or the golden files would follow the clock.
	if res.Archive.Header == nil {
		res.Archive.Header = map[string]string{}
	}
	res.Archive.Header["epoch"] = strconv.FormatInt(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix(), 10)
	s := survey.Run(res.Archive, res.Source, res.Raw)
	s.Source.Target = "/mnt/www01"
	s.Source.EvidenceSHA256 = ""
	return s
}

func render(t testing.TB, s *snapshot.Snapshot, lang, format string) []byte {
	t.Helper()
	d := Handover(s, analyze.Analyze(s, lang), lang)
	d.Generated = fixedGenerated
	var buf bytes.Buffer
	var err error
	if format == "html" {
		err = HTML(&buf, d)
	} else {
		err = Markdown(&buf, d)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHandoverGolden(t *testing.T) {
	snaps := map[string]func(testing.TB) *snapshot.Snapshot{"legacy": legacySnapshot, "centos5": centos5Snapshot}
	for name, load := range snaps {
		s := load(t)
		for _, lang := range []string{"en", "ja"} {
			for _, format := range []string{"md", "html"} {
				got := render(t, s, lang, format)
				golden := filepath.Join("testdata", "golden", name+"."+lang+"."+format)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/report -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file; inspect with -update and git diff", golden)
				}
			}
		}
	}
}

// The legacy lab host's planted risks must all reach the document as findings,
// with their explanation and remediation.
func TestHandoverLegacyContent(t *testing.T) {
	md := string(render(t, legacySnapshot(t), "en", "md"))
	for _, want := range []string{
		"Redmine 4.2.11 is deployed on it",           // the purpose paragraph (no service of it is known to run)
		"Mail leaves through the relay",              // postfix relay
		"logship → 10.231.0.40:24224",                // the in-house shipper
		"`eol.os:debian 11`",                         // findings, by key
		"`time.stale-zone:",                          // stale crond
		"`config.apache22-access",                    // 2.2 syntax
		"`sudo.nopasswd:deploy`",                     // NOPASSWD
		"`keys.orphan:",                              // orphan key
		"`tls.expiring:",                             // 20-day certificate
		"`backup.local-only`",                        // local-only backups
		"`listener.local-service-exposed:",           // mariadb on 0.0.0.0
		"contractor@old-jenkins",                     // the orphan key's comment, in the keys table
		"/etc/apache2/sites-enabled/redmine.conf:12", // file:line of a 2.2 directive
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the legacy handover lacks %q", want)
		}
	}
	for _, f := range analyze.Analyze(legacySnapshot(t), "en") {
		if !strings.Contains(md, "`"+f.ID()+"`") {
			t.Errorf("finding %s is not in the document", f.ID())
		}
	}
}

// Every table says what it shows; every section says what it is for.
func TestHandoverExplainsEveryTable(t *testing.T) {
	for _, load := range []func(testing.TB) *snapshot.Snapshot{legacySnapshot, centos5Snapshot} {
		for _, lang := range []string{"en", "ja"} {
			d := Handover(load(t), nil, lang)
			ids := map[string]bool{}
			for _, s := range d.All() {
				if ids[s.ID] {
					t.Errorf("%s: section ID %q twice", lang, s.ID)
				}
				ids[s.ID] = true
				if !regexp.MustCompile(`^[a-z0-9-]+$`).MatchString(s.ID) {
					t.Errorf("%s: section ID %q is not an anchor", lang, s.ID)
				}
				for _, b := range s.Blocks {
					if tb, ok := b.(*Table); ok {
						if tb.Explain == "" {
							t.Errorf("%s: a table in %q has no explanation", lang, s.ID)
						}
						if len(tb.Rows) == 0 && tb.Empty == "" {
							t.Errorf("%s: an empty table in %q does not say what its emptiness means", lang, s.ID)
						}
						for _, r := range tb.Rows {
							if len(r) != len(tb.Columns) {
								t.Errorf("%s: a row in %q has %d cells for %d columns", lang, s.ID, len(r), len(tb.Columns))
							}
						}
					}
				}
			}
			for _, top := range d.Sections {
				if top.Intro == "" {
					t.Errorf("%s: section %q has no introduction", lang, top.ID)
				}
			}
		}
	}
}

// A section not collected must not read as "none": the empty text says why.
func TestHandoverAbsenceIsNotEvidence(t *testing.T) {
	s := legacySnapshot(t)
	s.CronJobs = nil
	s.Coverage[snapshot.SectionCron] = snapshot.Coverage{Status: snapshot.Denied, Reason: "crontabs need root"}
	md := string(render(t, s, "en", "md"))
	if strings.Contains(md, L("en", "none.cron")) {
		t.Error("a denied cron section is reported as having no jobs")
	}
	if !strings.Contains(md, "Not known: this part of the survey is denied (crontabs need root)") {
		t.Error("the cron table does not say why it is empty")
	}
}

func TestCatalogsComplete(t *testing.T) {
	for k, en := range labelsEN {
		ja, ok := labelsJA[k]
		if !ok {
			t.Errorf("label %q has no Japanese", k)
			continue
		}
		if strings.Count(en, "%") != strings.Count(ja, "%") {
			t.Errorf("label %q: %q and %q take different arguments", k, en, ja)
		}
	}
	for k := range labelsJA {
		if _, ok := labelsEN[k]; !ok {
			t.Errorf("Japanese label %q has no English", k)
		}
	}
}

// untranslatable are words that are the same in a Japanese document: names of
// things, not labels.
var untranslatable = map[string]bool{
	"PID": true, "UID": true, "MTU": true, "TLS": true, "NOPASSWD": true, "ID": true,
	"MPM": true, "Ansible": true, "OS": true, "init": true, "gem": true,
}

// The Japanese document leaves no label of its own in English: every heading,
// introduction, column title, table explanation and fact label is Japanese, or a
// technical name that is the same in both.
func TestJapaneseHasNoEnglishLabel(t *testing.T) {
	for name, load := range map[string]func(testing.TB) *snapshot.Snapshot{"legacy": legacySnapshot, "centos5": centos5Snapshot} {
		s := load(t)
		d := Handover(s, analyze.Analyze(s, "ja"), "ja")
		check := func(where, text string) {
			if text == "" || untranslatable[text] || hasJapanese(text) {
				return
			}
			t.Errorf("%s: %s %q is not Japanese", name, where, text)
		}
		check("title", d.Title)
		for _, p := range d.Meta {
			check("meta label", p.Label)
		}
		for _, top := range d.Sections {
			check("section title", top.Title)
		}
		for _, sec := range d.All() {
			check("intro of "+sec.ID, sec.Intro)
			if strings.HasPrefix(sec.ID, "findings-") {
				check("section title", sec.Title)
			}
			for _, b := range sec.Blocks {
				switch b := b.(type) {
				case *Table:
					check("table explanation in "+sec.ID, b.Explain)
					check("empty text in "+sec.ID, b.Empty)
					for _, c := range b.Columns {
						check("column of "+sec.ID, c.Title)
					}
				case *Facts:
					for _, p := range b.Pairs {
						check("fact label in "+sec.ID, p.Label)
					}
				case *Callout:
					for _, x := range []string{b.SeverityLabel, b.InhibitorLabel, b.Title, b.Why, b.Fix, b.WhyLabel, b.FixLabel, b.FactsLabel} {
						check("finding "+b.Key, x)
					}
				case *Diagram:
					check("diagram description", b.Alt)
				}
			}
		}
	}
}

// Service descriptions come from the host, in its language, and are data.
func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}

func TestAnchor(t *testing.T) {
	for in, want := range map[string]string{
		"apache2": "service-apache2", "e2scrub_all": "service-e2scrub-all", "ssh@.service": "service-ssh-service",
		"ＡＢＣ": "service", "": "service",
	} {
		if got := anchor("service", in); got != want {
			t.Errorf("anchor(%q) = %q, want %q", in, got, want)
		}
	}
}

// "No service recognised" is said only when the middleware surveys could look.
func TestPurposeUnknownWhenNotSurveyed(t *testing.T) {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "h"}, Coverage: map[snapshot.Section]snapshot.Coverage{}}
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.NotApplicable}
	}
	b := &builder{s: s, lang: "en"}
	if got := b.purpose(); !strings.Contains(got, L("en", "purpose.none")) {
		t.Errorf("everything surveyed, nothing found: %q", got)
	}
	s.Coverage[snapshot.SectionApache] = snapshot.Coverage{Status: snapshot.Denied}
	if got := b.purpose(); strings.Contains(got, L("en", "purpose.none")) || !strings.Contains(got, L("en", "purpose.unknown")) {
		t.Errorf("apache survey denied: %q", got)
	}
}
