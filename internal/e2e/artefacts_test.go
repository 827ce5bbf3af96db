package e2e

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// plantedRoot is a host's disk with credentials planted where commands are stored:
// Redmine's mail handler in /etc/aliases (--key V, --key=V), a crontab with
// --api-key=, mysqldump -uX -pY, a URL with a token query, MYSQL_PWD= and a GitHub
// token no name announces, a unit with Environment=API_TOKEN= and --client-secret, an
// init script with --auth-token, sudoers allowing mysqldump -pY, inittab's respawn
// line with --token, a logrotate script with an X-Api-Key header, a vhost with a
// password in a URL, and a backup script with mysqldump -pY and a bearer token.
const plantedRoot = "testdata/planted"

// plantedSecret finds the planted values in the files: every one starts "Planted",
// or is the GitHub token.
var plantedSecret = regexp.MustCompile(`Planted[A-Za-z0-9]+|ghp_[A-Za-z0-9]{36}`)

// onlySecondLine are the planted values the probe's filters do not know (no name
// says they are credentials): the scan on trowel's side must mask them, and the
// snapshot must say where.
var onlySecondLine = map[string]string{"ghp_Pl4ntedGitHubT0kenAbCdEfGhIjKlMnOpQr": "/etc/cron.d/sync"}

// Every artefact trowel writes, from every snapshot the tests have and from a disk
// with planted credentials, holds no credential: not one the scan on trowel's side
// finds, and not one of the planted values, literally. Written through the command
// line as a user writes them: snapshots and kept evidence, reports in every format
// and language, specs, goss files, diffs, verify results, Ansible projects for every
// target. The committed golden files are scanned too.
func TestNoArtefactHoldsASecret(t *testing.T) {
	bin := trowelBinary(t)
	planted := plantedValues(t)
	out := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		code, text := runTrowel(t, bin, args...)
		if code != 0 && !(args[0] == "diff" && code == 1) && !(args[0] == "verify" && code == 1) {
			t.Fatalf("trowel %s: exit %d\n%s", strings.Join(args, " "), code, text)
		}
		return text
	}

	// The sources: the snapshots in testdata (one file each, whatever its name), the
	// CentOS 5 disk of the report tests, the planted disk, and the lab's legacy disk
	// when the lab is up.
	sources := map[string]string{"centos5": "../report/testdata/centos5", "planted": plantedRoot}
	for _, f := range testdataSnapshots(t) {
		sources["snapshot-"+strings.ReplaceAll(strings.TrimPrefix(f, "../"), "/", "_")] = f
	}
	if lab, err := labtest.Load(labtest.StateDir()); err == nil {
		if h, ok := lab.Hosts["legacy"]; ok && h.Root != "" {
			if _, err := os.Stat(filepath.Join(h.Root, "etc")); err == nil {
				sources["lab-legacy"] = h.Root
			}
		}
	}
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	var notices []string
	for _, name := range names {
		src := sources[name]
		dir := filepath.Join(out, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		snap := src
		if !strings.HasSuffix(src, ".json") {
			snap = filepath.Join(dir, "snapshot.json")
			// The kept evidence is raw: what the second line masks in it is said.
			run("survey", src, "--no-ask", "-o", snap, "--keep-evidence", filepath.Join(dir, "host.evidence"))
		}
		var said strings.Builder
		for _, lang := range []string{"en", "ja"} {
			for _, format := range []string{"md", "html", "json"} {
				said.WriteString(run("report", snap, "--lang", lang, "--format", format, "-o", filepath.Join(dir, "report."+lang+"."+format)))
			}
			said.WriteString(run("diff", "../spec/testdata/legacy.json", snap, "--lang", lang, "-o", filepath.Join(dir, "diff."+lang+".md")))
		}
		said.WriteString(run("diff", snap, "../spec/testdata/legacy.json", "--format", "html", "-o", filepath.Join(dir, "diff.html")))
		said.WriteString(run("diff", snap, "../spec/testdata/legacy.json", "--format", "json", "-o", filepath.Join(dir, "diff.json")))
		specFile := filepath.Join(dir, "spec.yaml")
		said.WriteString(run("spec", snap, "-o", specFile))
		said.WriteString(run("spec", snap, "--format", "goss", "-o", filepath.Join(dir, "goss.yaml")))
		for _, format := range []string{"human", "json", "junit", "tap"} {
			text := run("verify", snap, "--against", specFile, "--format", format)
			if err := os.WriteFile(filepath.Join(dir, "verify."+format), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range distro.Targets() {
			said.WriteString(run("codify", snap, "--target", p.String(), "-o", filepath.Join(dir, "ansible-"+p.String())))
		}
		// What the documents, specs and diffs said: the scan found nothing in them,
		// since nothing that reached the snapshot was a secret.
		for _, l := range strings.Split(said.String(), "\n") {
			if strings.Contains(l, "looked like") {
				notices = append(notices, name+": "+l)
			}
		}
	}
	for _, n := range notices {
		t.Errorf("a secret reached a document (masked only when written): %s", n)
	}

	// Every file written: nothing the scan finds, none of the planted values.
	files := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		checkArtefact(t, p, planted)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d artefacts from %d sources scanned", files, len(sources))

	// The planted disk's snapshot says what the second line masked, and where.
	doc, err := os.ReadFile(filepath.Join(out, "planted", "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	for _, where := range onlySecondLine {
		if !slices.Contains(s.Source.Notes, secrets.Note(1, where)) {
			t.Errorf("the snapshot does not say a value was masked in %s: %q", where, s.Source.Notes)
		}
	}
	// No value that is no secret became a vault variable.
	vaults, _ := filepath.Glob(filepath.Join(out, "*", "ansible-*", "group_vars", "all", "vault.yml"))
	for _, v := range vaults {
		b, _ := os.ReadFile(v)
		if regexp.MustCompile(`(?m)^vault_\S*(?:http|ajp|url)\S*:`).Match(b) {
			t.Errorf("%s: a URL became a vault variable:\n%s", v, b)
		}
	}
}

// Every committed golden file: nothing the scan finds, none of the planted values.
func TestNoGoldenFileHoldsASecret(t *testing.T) {
	planted := plantedValues(t)
	n := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(p, "/testdata/golden/") || strings.HasPrefix(p, "../diff/testdata/migration.") ||
			strings.HasPrefix(p, "../spec/testdata/legacy.") || strings.HasPrefix(p, "../report/testdata/html/") ||
			p == "../report/testdata/legacy.json" || p == "../codify/ansible/testdata/legacy-lab.json" {
			n++
			checkArtefact(t, p, planted)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("only %d golden files found: the walk is wrong", n)
	}
}

// checkArtefact fails on anything in the file the scan finds, and on any planted
// value in it.
func checkArtefact(t *testing.T, p string, planted []string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, fs := secrets.Mask(b); len(fs) > 0 {
		for _, f := range fs {
			t.Errorf("%s:%d: %s found a secret", p, f.Line, f.Rule)
		}
	}
	for _, v := range planted {
		if bytes.Contains(b, []byte(v)) {
			t.Errorf("%s holds the planted secret %q", p, v)
		}
	}
}

// plantedValues are the planted disk's credentials, and when the lab is up, those
// its lab.json says were planted on its hosts (an entry named for a password, a
// secret, a token or a key).
func plantedValues(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(plantedRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		for _, m := range plantedSecret.FindAll(b, -1) {
			seen[string(m)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 18 {
		t.Fatalf("only %d planted values found in %s", len(seen), plantedRoot)
	}
	if lab, err := labtest.Load(labtest.StateDir()); err == nil {
		secretKey := regexp.MustCompile(`(?i)(password|passwd|secret|token|api_?key|_key$)`)
		for _, h := range lab.Hosts {
			for k, v := range h.Planted {
				if secretKey.MatchString(k) && !strings.Contains(k, "fingerprint") && len(v) >= 6 {
					seen[v] = true
				}
			}
		}
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// testdataSnapshots are the snapshot files committed as test data, each content once
// (several packages keep a copy of the same one).
func testdataSnapshots(t *testing.T) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "/testdata/") || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b[:min(len(b), 200)], []byte(`"schema_version"`)) && !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
