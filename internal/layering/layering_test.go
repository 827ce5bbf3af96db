package layering

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/trowel-dev/trowel/"

// stage is a step of the pipeline: its packages (paths below internal/, or below the
// module for cmd/; "x/..." is x and everything below it) and the stages they may
// import besides their own. Nothing of trowel's outside those is allowed.
type stage struct {
	name string
	pkgs []string
	may  []string
	// banned are standard or third-party packages the stage must not import.
	banned []string
	why    string
}

// stages is the rule, in pipeline order. A collector writes evidence and a parser
// reads it, so the evidence formats sit below both, and neither imports the other;
// consumers read snapshots and never collect or parse; only the CLI (and observe,
// which samples and parses a live host over a window) ties collecting to surveying.
//
//	stage      packages                                    may import
//	shared     snapshot distro redact secrets rpmdb version eol  shared
//	           probe usererr target snapfile inventory schemacheck
//	           workers
//	evidence   evidence/...                                 shared
//	collect    collect/... remote                           shared evidence
//	survey     survey/...                                   shared evidence (no os, os/exec, net/http, syscall)
//	consumers  analyze report spec verify diff codify/...   shared evidence
//	           ledger store/... estate fleet web
//	observe    observe                                      shared evidence collect survey
//	cli        cli                                          every stage above
//	cmd        cmd/trowel                                   every stage
//	harness    e2e labtest/... ledgertest eol/gen benchfleet   every stage but cmd
var stages = []stage{
	{name: "shared", pkgs: []string{"snapshot", "schemacheck", "distro", "redact/...", "secrets", "rpmdb", "version", "eol", "probe", "usererr", "target", "snapfile", "inventory", "workers"},
		may: nil,
		why: "leaf knowledge anyone may use: the snapshot model, the probe's plan (it runs nothing), package and EOL tables, the secret filter, what an argument names, the one snapshot reader, the user's errors, the hosts an inventory lists, work spread over every core"},
	{name: "evidence", pkgs: []string{"evidence/..."},
		may: []string{"shared"},
		why: "the raw evidence and its formats, below the collectors that write them and the parsers that read them"},
	{name: "collect", pkgs: []string{"collect/...", "remote"},
		may: []string{"shared", "evidence"},
		why: "collectors bring evidence back; they never parse it into a snapshot"},
	{name: "survey", pkgs: []string{"survey/..."},
		may:    []string{"shared", "evidence"},
		banned: []string{"os", "os/exec", "net/http", "syscall"},
		why:    "surveyors are pure parsers over evidence: never a collector, never the disk or the network"},
	{name: "consumers", pkgs: []string{"analyze", "report", "spec", "verify", "diff", "ledger", "codify/...", "store/...", "estate/...", "fleet/...", "web/..."},
		may: []string{"shared", "evidence"},
		why: "consumers read the snapshots and evidence they are handed; they neither collect nor survey"},
	{name: "observe", pkgs: []string{"observe"},
		may: []string{"shared", "evidence", "collect", "survey"},
		why: "observe samples a live host again and again and parses each sample"},
	{name: "cli", pkgs: []string{"cli"},
		may: []string{"shared", "evidence", "collect", "survey", "consumers", "observe"},
		why: "the CLI ties collecting, surveying and the consumers together"},
	{name: "cmd", pkgs: []string{"cmd/trowel"},
		may: []string{"shared", "evidence", "collect", "survey", "consumers", "observe", "cli"},
		why: "one file per command"},
	{name: "harness", pkgs: []string{"e2e", "labtest/...", "ledger/ledgertest", "eol/gen", "layering", "benchfleet"},
		may: []string{"shared", "evidence", "collect", "survey", "consumers", "observe", "cli"},
		why: "the lab, end-to-end tests and generators drive the whole pipeline"},
}

// stageOf finds the stage of a package path relative to the module ("internal/x" is
// written "x" in the table).
func stageOf(rel string) *stage {
	name := strings.TrimPrefix(rel, "internal/")
	for i := range stages {
		for _, p := range stages[i].pkgs {
			tree, isTree := strings.CutSuffix(p, "/...")
			if name == p || isTree && (name == tree || strings.HasPrefix(name, tree+"/")) {
				return &stages[i]
			}
		}
	}
	return nil
}

// TestImportsFollowThePipeline checks every package's non-test imports against the
// table. Tests may reach across stages to drive the pipeline end to end.
func TestImportsFollowThePipeline(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages: is the module root right?", len(pkgs))
	}
	for rel, imports := range pkgs {
		st := stageOf(rel)
		if st == nil {
			t.Errorf("%s is in no stage of the table in internal/layering/layering_test.go: add it to the stage it belongs to", rel)
			continue
		}
		for _, imp := range imports {
			dep, ours := strings.CutPrefix(imp, module)
			if !ours {
				if slices.Contains(st.banned, imp) {
					t.Errorf("%s imports %s: %s packages must not (%s)", rel, imp, st.name, st.why)
				}
				continue
			}
			ds := stageOf(dep)
			switch {
			case ds == nil:
				t.Errorf("%s imports %s, which is in no stage of the table", rel, dep)
			case ds != st && !slices.Contains(st.may, ds.name):
				t.Errorf("%s imports %s: a %s package may import only %s, and %s is %s (%s). Move what it needs below both, or change the table in internal/layering/layering_test.go and say why.",
					rel, dep, st.name, strings.Join(append([]string{st.name}, st.may...), ", "), dep, ds.name, st.why)
			}
		}
	}
}

// The table names no package twice, and each stage may import only stages it names.
func TestTableIsSound(t *testing.T) {
	seen := map[string]string{}
	names := map[string]bool{}
	for _, st := range stages {
		names[st.name] = true
		for _, p := range st.pkgs {
			if other, ok := seen[p]; ok {
				t.Errorf("%s is in %s and %s", p, other, st.name)
			}
			seen[p] = st.name
		}
	}
	for _, st := range stages {
		for _, m := range st.may {
			if !names[m] || m == st.name {
				t.Errorf("stage %s may import %q: no such other stage", st.name, m)
			}
		}
	}
	for rel, want := range map[string]string{
		"internal/survey/kit/kittest": "survey", "internal/evidence/answer": "evidence", "internal/collect/ask": "collect",
		"internal/codify/ansible": "consumers", "cmd/trowel": "cmd", "internal/surveyor": "", "internal/snapshots": "",
	} {
		got := ""
		if st := stageOf(rel); st != nil {
			got = st.name
		}
		if got != want {
			t.Errorf("stageOf(%q) = %q, want %q", rel, got, want)
		}
	}
}

// A violation is found and named: the check is not one that cannot fail.
func TestAViolationIsCaught(t *testing.T) {
	parser, collector := stageOf("internal/survey/answers"), stageOf("internal/collect/ask")
	if parser == collector || slices.Contains(parser.may, collector.name) {
		t.Error("a parser may import a collector")
	}
	consumer, surveyor := stageOf("internal/verify"), stageOf("internal/survey")
	if slices.Contains(consumer.may, surveyor.name) || slices.Contains(stageOf("internal/evidence").may, "collect") {
		t.Error("the table lets an arrow run against the pipeline")
	}
}

// modulePackages maps each package of the module (its path relative to the module
// root) to its non-test imports for this platform.
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	out := map[string][]string{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(p, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = pkg.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
