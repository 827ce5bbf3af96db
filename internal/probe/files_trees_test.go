package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// treeFixture builds the trees _files_tree must read alike both ways: names xargs
// would mangle (not counted in S, listed in X), a file from before 1970, executables
// and markers at every depth, a name holding a newline, a tree of more than 10000
// files whose markers come after the 10000th, a root that is a marker itself, an
// empty tree, more executables and markers than are listed.
func treeFixture(t *testing.T) (roots []string, base string) {
	t.Helper()
	base = t.TempDir()
	write := func(p, body string, mode os.FileMode) {
		t.Helper()
		p = filepath.Join(base, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, p, []byte(body))
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("a/bin/run", "#!/bin/sh\necho\n", 0o755)
	write("a/bin/tool", "\x7fELF\x02\x01\x01\x00rest", 0o755)
	write("a/lib/x/y/deep.jar", "PK", 0o644) // depth 4: no marker
	write("a/lib/x/Makefile", "all:\n", 0o644)
	write("a/lib/x/y/z/Makefile", "all:\n", 0o644) // depth 5: no marker
	write("a/top", "data", 0o744)
	write("a/sp ace", "12345", 0o755)
	write("a/q'uote", "1", 0o644)
	write("a/back\\slash", "1", 0o4755)
	write("a/x/y/exe3", "#!", 0o755) // depth 3: no executable
	write("a/owner-only", "zz", 0o100)
	write("a/group-only", "zz", 0o010)
	if err := os.MkdirAll(filepath.Join(base, "a/.git/objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("a/ancient", "x", 0o644)
	old := time.Unix(-100, 0)
	if err := os.Chtimes(filepath.Join(base, "a/ancient"), old, old); err != nil {
		t.Fatal(err)
	}
	write("b/ok", "1", 0o755)
	write("b/new\nline", "1", 0o755)
	for i := range 10030 {
		write(fmt.Sprintf("c/d%02d/f%d", i%50, i), "", 0o644)
	}
	write("c/zz/package.json", "{}", 0o644)
	write("c/zz/go.mod", "m", 0o755)
	if err := os.MkdirAll(filepath.Join(base, "d.war"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(base, "e"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 15 {
		write(fmt.Sprintf("f/e%d", i), "#!/bin/sh\n", 0o755)
	}
	for i := range 45 {
		write(fmt.Sprintf("f/m%d/Gemfile", i), "", 0o644)
	}
	for _, r := range []string{"a", "b", "c", "d.war", "e", "f", "nope"} {
		roots = append(roots, filepath.Join(base, r))
	}
	return roots, base
}

// _files_tree's one walk with find -printf says what its three walks (find, head,
// xargs and stat; the markers' find; the executables' find) said, under every shell:
// where find has no -printf (busybox's), both are the three walks, and the expected
// lines still hold.
func TestFilesTreeOneWalkAsThree(t *testing.T) {
	roots, base := treeFixture(t)
	var calls string
	for _, r := range roots {
		calls += "; _files_tree " + quote(r)
	}
	plan := []Step{
		{Kind: Cmd, Name: "one", Shell: "_files_find_printf" + calls, Limit: 1 << 22, Timeout: 60},
		{Kind: Cmd, Name: "three", Shell: "_ftf=" + calls, Limit: 1 << 22, Timeout: 60},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, script)
			one, _ := a.Cmd("one")
			three, _ := a.Cmd("three")
			if one.Text() != three.Text() || one.RC != 0 || three.RC != 0 {
				t.Fatalf("rc %d and %d; %s", one.RC, three.RC, firstDiff(one.Text(), three.Text()))
			}
			out := strings.ReplaceAll(one.Text(), base+"/", "")
			for _, want := range []string{
				"T\ta\nS\t9\t49\t",
				"M\ta/.git\n", "M\ta/lib/x/Makefile\n",
				"X\tscript\ta/bin/run\n", "X\telf\ta/bin/tool\n", "X\tother\ta/sp ace\n", "X\tother\ta/back\\slash\n", "X\tother\ta/owner-only\n",
				"T\tb\nS\t1\t1\t",
				"X\tother\tb/new\nX\tother\tline\n",
				"T\tc\nS\t10000\t",
				"M\tc/zz/package.json\n", "X\tother\tc/zz/go.mod\n",
				"T\td.war\nS\t0\t0\t0\nM\td.war\nT\te\nS\t0\t0\t0\nT\tf\nS\t60\t150\t",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q:\n%.2000s", want, out)
				}
			}
			for _, not := range []string{"a/lib/x/y/deep.jar", "a/lib/x/y/z/Makefile", "a/x/y/exe3", "a/group-only", "nope"} {
				if strings.Contains(out, not) {
					t.Errorf("has %q", not)
				}
			}
			if n := strings.Count(out, "\tf/e"); n != 10 {
				t.Errorf("%d executables of f listed, want 10", n)
			}
			if n := strings.Count(out, "Gemfile\n"); n != 40 {
				t.Errorf("%d markers of f listed, want 40", n)
			}
		})
	}
}

// _files_trees_walk's runs of trees walked by one find say what each tree's own three
// walks say, in order, under every shell: a huge tree first (its cut must not cut the
// trees after it), a tree twice, trees named with a tab and a newline (walked alone),
// a link to a tree and a missing tree (skipped), an empty tree last.
func TestFilesTreesOneFindAsEach(t *testing.T) {
	roots, base := treeFixture(t)
	for _, d := range []string{"t\tab", "n\nl", "g"} {
		if err := os.MkdirAll(filepath.Join(base, d, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(base, d, "bin", "run"), []byte("#!/bin/sh\n"))
		if err := os.Chmod(filepath.Join(base, d, "bin", "run"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(base, "a"), filepath.Join(base, "link")); err != nil {
		t.Fatal(err)
	}
	at := func(names ...string) (l []string) {
		for _, n := range names {
			l = append(l, filepath.Join(base, n))
		}
		return l
	}
	order := append(at("c"), roots...)
	order = append(order, at("t\tab", "g", "a", "link", "n\nl", "g", "e")...)
	var args string
	for _, r := range order {
		args += " " + quote(r)
	}
	plan := []Step{
		{Kind: Cmd, Name: "runs", Shell: "_files_find_printf; _files_trees_walk" + args, Limit: 1 << 22, Timeout: 60},
		{Kind: Cmd, Name: "each", Shell: "_ftf=; _files_trees_walk" + args, Limit: 1 << 22, Timeout: 60},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, script)
			runs, _ := a.Cmd("runs")
			each, _ := a.Cmd("each")
			if runs.Text() != each.Text() || runs.RC != 0 || each.RC != 0 {
				t.Fatalf("rc %d and %d; %s", runs.RC, each.RC, firstDiff(runs.Text(), each.Text()))
			}
			out := strings.ReplaceAll(runs.Text(), base+"/", "")
			if n := strings.Count(out, "T\t"); n != 13 {
				t.Errorf("%d trees, want 13:\n%.3000s", n, out)
			}
			for _, want := range []string{
				"T\tc\nS\t10000\t", "T\ta\nS\t9\t49\t", "X\tscript\tt\tab/bin/run\n",
				"T\tn\nl\nS\t0\t0\t0\n", "T\tg\nS\t1\t10\t", "T\te\nS\t0\t0\t0\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q:\n%.3000s", want, out)
				}
			}
			if strings.Contains(out, "link") || strings.Contains(out, "nope") {
				t.Errorf("walked a link or a missing tree:\n%.3000s", out)
			}
		})
	}
}

// _files_bins tells each command's kind and a RubyGems wrapper's gem from one head,
// od and awk (_files_kinds) as reading each file on its own did, under every shell:
// ELF and short files, a # before a ! anywhere in the first four bytes, a NUL among
// them, the gem line past 1024 bytes, names with a space and a newline, a link, a
// directory, a single file (head writes no header); and where a file's bytes hold
// another's header line, _files_kinds fails and each file is read on its own.
func TestFilesBinsOneReadAsEach(t *testing.T) {
	dir := t.TempDir()
	wrapper := "#!/usr/bin/ruby\n#\n# This file was generated by RubyGems.\n#\nrequire 'rubygems'\nload Gem.activate_bin_path('bundler', 'bundle', version)\n"
	files := map[string]string{
		"elf": "\x7fELF\x02\x01\x01\x00\x00\x00\n\nrest", "elf4": "\x7fELF", "elf3": "\x7fEL",
		"run": "#!/bin/sh\necho\n", "hash": "#", "bang": "#!", "mid": "x#y!z", "late": "abcd#!",
		"nul": "#\x00!x", "empty": "", "nl": "\n\n\n", "crlf": "#!/bin/sh\r\nx\r\n",
		"gem": wrapper, "old gem": strings.Replace(wrapper, "Gem.activate_bin_path('bundler'", `Gem.bin_path("rake"`, 1),
		"far": "#!/usr/bin/ruby\n# This file was generated by RubyGems\n" + strings.Repeat("#\n", 600) + "Gem.bin_path('far', 'far')\n",
	}
	for n, b := range files {
		mustWrite(t, filepath.Join(dir, n), []byte(b))
	}
	if err := os.Symlink("run", filepath.Join(dir, "ln")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	odd := t.TempDir()
	mustWrite(t, filepath.Join(odd, "new\nline"), []byte("#!/bin/sh\n"))
	mustWrite(t, filepath.Join(odd, "x"), []byte("\x7fELF"))
	clash := t.TempDir()
	mustWrite(t, filepath.Join(clash, "a"), []byte("#!/bin/sh\n==> "+clash+"/b <==\n"))
	mustWrite(t, filepath.Join(clash, "b"), []byte("\x7fELF"))
	d, c := quote(dir), quote(clash)
	plan := []Step{
		{Kind: Cmd, Name: "one-read", Shell: "od() { echo \"$1 $2 $3\" >>\"$ODS\"; command od \"$@\"; }; _files_bins " + d + "/*", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "odd", Shell: "_files_bins " + quote(odd) + "/*", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "each", Shell: "_files_kinds() { return 1; }; _files_bins " + d + "/*", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "single", Shell: "_files_bins " + d + "/gem", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "clash", Shell: "_files_kinds " + c + "/a " + c + "/b || echo failed; _files_bins " + c + "/*", Limit: 1 << 20, Timeout: 30},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			ods := filepath.Join(t.TempDir(), "ods")
			a := runProbe(t, sh, script, "ODS="+ods)
			one, _ := a.Cmd("one-read")
			each, _ := a.Cmd("each")
			if one.Text() != each.Text() || one.RC != 0 || each.RC != 0 {
				t.Fatalf("rc %d and %d; %s", one.RC, each.RC, firstDiff(one.Text(), each.Text()))
			}
			out := strings.ReplaceAll(one.Text(), dir+"/", "")
			for _, want := range []string{
				"B\telf\telf\t\n", "B\telf4\telf\t\n", "B\telf3\tother\t\n", "B\thash\tother\t\n", "B\tbang\tscript\t\n",
				"B\tmid\tscript\t\n", "B\tlate\tother\t\n", "B\tnul\tscript\t\n", "B\tempty\tother\t\n",
				"B\tgem\tscript\tbundler\n", "B\told gem\tscript\trake\n", "B\tfar\tscript\t\n",
				"B\tln\tlink\trun\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "sub") {
				t.Errorf("a directory was listed:\n%s", out)
			}
			if b, err := os.ReadFile(ods); err != nil || string(b) != "-An -v -tx1\n" {
				t.Errorf("od ran as %q (%v), want once over all", b, err)
			}
			if o, _ := a.Cmd("odd"); o.Text() != "B\t"+odd+"/new\nline\tscript\t\nB\t"+odd+"/x\telf\t\n" {
				t.Errorf("odd: %q", o.Text())
			}
			if single, _ := a.Cmd("single"); single.Text() != "B\t"+dir+"/gem\tscript\tbundler\n" {
				t.Errorf("single: %q", single.Text())
			}
			if cl, _ := a.Cmd("clash"); cl.Text() != "failed\nB\t"+clash+"/a\tscript\t\nB\t"+clash+"/b\telf\t\n" {
				t.Errorf("clash: %q", cl.Text())
			}
		})
	}
}
