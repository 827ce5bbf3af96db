package probe

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// keepCases are commands whose item a Keep step must give as _cmd gives it, and what
// it keeps for a later step: only an output that ran to its "# done" line.
var keepCases = []struct {
	name, shell string
	limit       int64
	timeout     int
	needs       string
	kept        string
}{
	{name: "whole", shell: "printf 'a\\nb\\n'; echo '# done'", kept: "a\nb\n# done\n"},
	{name: "blank-lines", shell: "printf 'a\\n\\n\\n# done\\n'", kept: "a\n\n\n# done\n"},
	{name: "only-done", shell: "echo '# done'", kept: "# done\n"},
	{name: "stderr", shell: "echo out; echo warn >&2; echo '# done'", kept: "out\n# done\n"},
	{name: "stderr-newlines", shell: "printf 'out\\n\\n'; printf 'w\\n\\n' >&2; echo '# done'", kept: "out\n\n# done\n"},
	{name: "long-stderr", shell: "i=0; while [ $i -lt 600 ]; do echo 'a warning line' >&2; i=$((i+1)); done; echo '# done'", kept: "# done\n"},
	{name: "no-done", shell: "printf 'x\\n\\n'"},
	{name: "no-newline", shell: "printf '# done'"},
	{name: "done-not-last", shell: "printf '# done\\nmore\\n'"},
	{name: "failed", shell: "echo '# done'; exit 3"},
	{name: "failed-stderr", shell: "echo '# done'; echo bad >&2; exit 4"},
	// One write, done before head has read: no SIGPIPE, whose timing would decide rc.
	{name: "cut", shell: "printf '%0300d\\n# done\\n' 0", limit: 100},
	// head passed all of it: the item is cut, the output whole.
	{name: "cut-at-done", shell: "printf '%s\\n' 0123456789 '# done'", limit: 17, kept: "0123456789\n# done\n"},
	{name: "fits-at-done", shell: "printf '%s\\n' 0123456789 '# done'", limit: 18, kept: "0123456789\n# done\n"},
	{name: "timeout", shell: "echo '# done'; sleep 60", timeout: 1},
	{name: "absent", shell: "trowel-no-such-tool", needs: "trowel-no-such-tool"},
	{name: "empty", shell: ":"},
}

// A Keep step's item is _cmd's, byte for byte, whatever the command does; what it
// keeps is the whole output or nothing; and a later step reads it.
func TestKeepStepGivesTheItemCmdGives(t *testing.T) {
	var plan []Step
	for _, c := range keepCases {
		lim, to := c.limit, c.timeout
		if lim == 0 {
			lim = 1 << 16
		}
		if to == 0 {
			to = 20
		}
		st := Step{Kind: Cmd, Shell: c.shell, Needs: c.needs, Limit: lim, Timeout: to}
		plain, keep := st, st
		plain.Name, keep.Name, keep.Keep = "cmd-"+c.name, "keep-"+c.name, true
		read := Step{Kind: Cmd, Name: "read-" + c.name, Shell: "printf '%s' \"${" + KeptVar(keep.Name) + ":-}\"", Limit: 1 << 16, Timeout: 20}
		plan = append(plan, plain, keep, read)
	}
	script := Render(plan)
	if !bytes.Contains(script, []byte("_cmd_keep "+KeptVar("keep-whole")+" 'keep-whole' ")) {
		t.Fatalf("the Keep step is not rendered as _cmd_keep:\n%s", script)
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, script)
			for _, c := range keepCases {
				want, _ := a.Cmd("cmd-" + c.name)
				got, _ := a.Cmd("keep-" + c.name)
				if d := sameItem(want, got); d != "" {
					t.Errorf("%s: %s", c.name, d)
				}
				if r, _ := a.Cmd("read-" + c.name); r.Text() != c.kept {
					t.Errorf("%s: kept %q, want %q", c.name, r.Text(), c.kept)
				}
			}
		})
	}
}

// sameItem says how two items of the same command differ but for their names and
// times, or "".
func sameItem(a, b *evidence.Item) string {
	switch {
	case a.Status != b.Status || a.RC != b.RC:
		return "status " + string(b.Status) + " " + strconv.Itoa(b.RC) + ", want " + string(a.Status) + " " + strconv.Itoa(a.RC)
	case a.Limit != b.Limit || a.Command != b.Command || a.Truncated != b.Truncated:
		return "header or truncation differ"
	case !bytes.Equal(a.Data, b.Data):
		return "data: " + firstDiff(string(b.Data), string(a.Data))
	case !bytes.Equal(a.Stderr, b.Stderr):
		return "stderr: " + firstDiff(string(b.Stderr), string(a.Stderr))
	}
	return ""
}

// The dpkg content step sends what it sends whether the digests and the unowned list
// were kept for it or are computed again: when both steps ran whole, and when one
// was cut at its limit or failed (and the other kept its output). On this host's
// own dpkg database.
func TestDpkgContentSameWithKeptAnswers(t *testing.T) {
	if _, err := os.Stat("/var/lib/dpkg/status"); err != nil {
		t.Skip("no dpkg database here")
	}
	sums, unowned, content := keptSteps(t, "dpkg")
	steps := func(sums, unowned Step) []Step { return []Step{sums, unowned, content} }
	fresh := func(st Step) Step { st.Keep = false; return st }
	cut := func(st Step) Step { st.Limit = 10; return st }
	failed := func(st Step) Step { st.Shell = "echo '# done'; false"; return st }
	plans := map[string][]Step{
		"fresh":          steps(fresh(sums), fresh(unowned)),
		"kept":           steps(sums, unowned),
		"sums-cut":       steps(cut(sums), unowned),
		"unowned-failed": steps(sums, failed(unowned)),
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			var want *evidence.Item
			for _, name := range []string{"fresh", "kept", "sums-cut", "unowned-failed"} {
				a := runProbe(t, sh, Render(plans[name]))
				it, _ := a.Cmd("files-dpkg-content")
				if !it.OK() || !strings.HasSuffix(it.Text(), "# done\n") {
					t.Fatalf("%s: content step %s rc %d: %q", name, it.Status, it.RC, it.Stderr)
				}
				if want == nil {
					want = it
					continue
				}
				if d := sameItem(want, it); d != "" {
					t.Errorf("%s: %s", name, d)
				}
			}
		})
	}
}

// keptSteps are the plan's digests, unowned and content steps of package manager
// mgr; the first two must keep their output for the third.
func keptSteps(t *testing.T, mgr string) (sums, unowned, content Step) {
	t.Helper()
	for _, st := range fileSteps {
		switch st.Name {
		case "files-" + mgr + "-sums":
			sums = st
		case "files-" + mgr + "-unowned":
			unowned = st
		case "files-" + mgr + "-content":
			content = st
		}
	}
	if !sums.Keep || !unowned.Keep || content.Name == "" {
		t.Fatalf("the %s steps the content step reads again do not keep their output", mgr)
	}
	return sums, unowned, content
}

// The content step reads what the digests step kept, not the database again: a
// digest that differs only in what was kept makes the file a changed one.
func TestDpkgContentReadsTheKeptDigests(t *testing.T) {
	if _, err := os.Stat("/var/lib/dpkg/status"); err != nil {
		t.Skip("no dpkg database here")
	}
	dir := t.TempDir()
	f := dir + "/changed.conf"
	mustWrite(t, f, []byte("setting = 1\n"))
	fake := "printf '%s\\n' '/var/lib/dpkg/info/fake.md5sums:00000000000000000000000000000000  " + f[1:] + "' " +
		"'d41d8cd98f00b204e9800998ecf8427e  " + f + "' '# done'"
	plan := []Step{
		{Kind: Cmd, Name: "files-dpkg-sums", Shell: fake, Limit: 1 << 16, Timeout: 10, Keep: true},
		{Kind: Cmd, Name: "files-dpkg-unowned", Shell: "echo '# checked 0 files'; echo '# done'", Limit: 1 << 16, Timeout: 10, Keep: true},
		{Kind: Cmd, Name: "files-dpkg-content", Shell: "_files_dpkg_content 65536 300", Limit: 1 << 20, Timeout: 60},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, Render(plan))
			it, _ := a.Cmd("files-dpkg-content")
			if want := "F\t12\t" + f + "\nsetting = 1\n\n# done\n"; it.Text() != want {
				t.Errorf("content: %s", firstDiff(it.Text(), want))
			}
		})
	}
}

// The rpm content step sends the same whether rpm's answers were kept or asked again.
func TestRPMContentSameWithKeptAnswers(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, dir+"/a.conf", []byte("a = 2\n"))
	env := fakeRPM(t, "1\t0123456789abcdef0123456789abcdef\tpkgA\t"+dir+"/a.conf\n")
	sums, unowned, content := keptSteps(t, "rpm")
	fsums, funowned := sums, unowned
	fsums.Keep, funowned.Keep = false, false
	cut := unowned
	cut.Limit = 10
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			if sh[0] == "busybox" {
				t.Skip("Debian's busybox runs an rpm applet of its own, not the one on PATH")
			}
			want, _ := runProbe(t, sh, Render([]Step{fsums, funowned, content}), env...).Cmd("files-rpm-content")
			if !strings.Contains(want.Text(), "F\t6\t"+dir+"/a.conf\n") {
				t.Fatalf("the changed file is not sent: %q", want.Text())
			}
			for name, plan := range map[string][]Step{"kept": {sums, unowned, content}, "unowned-cut": {sums, cut, content}} {
				got, _ := runProbe(t, sh, Render(plan), env...).Cmd("files-rpm-content")
				if d := sameItem(want, got); d != "" {
					t.Errorf("%s: %s", name, d)
				}
			}
		})
	}
}

// web-app-sizes measures the trees web-apps found when web-apps kept its output, as
// it measures those it finds again; an output it cannot read its roots from (a first
// tree that is not the first root found) has it find them again; and a kept output
// is what it reads.
func TestWebAppSizesReadTheKeptTrees(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"var/www/shop/public/uploads", "var/www/blog/public", "etc/nginx", "srv/site/public/system"} {
		if err := os.MkdirAll(root+"/"+d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, root+"/var/www/shop/Gemfile", []byte("source 'https://rubygems.org'\n"))
	mustWrite(t, root+"/var/www/shop/public/uploads/a.png", []byte(strings.Repeat("x", 5000)))
	mustWrite(t, root+"/var/www/blog/wp-config.php", []byte("<?php define('DB_PASSWORD', 'S3CRET');\n"))
	mustWrite(t, root+"/srv/site/config.ru", []byte("run App\n"))
	mustWrite(t, root+"/etc/nginx/nginx.conf", []byte("server {\n root "+root+"/var/www/blog/public;\n}\n"))
	apps := Step{Kind: Cmd, Name: "web-apps", Shell: "_web_apps " + quote(root), Limit: 1 << 20, Timeout: 30, Keep: true}
	sizes := Step{Kind: Cmd, Name: "web-app-sizes", Shell: "_web_app_sizes " + quote(root), Limit: 1 << 20, Timeout: 30}
	fresh := apps
	fresh.Keep = false
	fake := func(out string) Step {
		return Step{Kind: Cmd, Name: "web-apps", Shell: "printf '%s' " + quote(out), Limit: 1 << 20, Timeout: 30, Keep: true}
	}
	shop := root + "/var/www/shop"
	e := "E\tplace\t" + root + "/var/www\t" + shop + "\tok\t" + shop + "\t" + shop + "\n"
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want, _ := runProbe(t, sh, Render([]Step{fresh, sizes})).Cmd("web-app-sizes")
			for _, r := range []string{"/var/www/shop\t.\t", "/var/www/shop\tpublic/uploads\t", "/var/www/blog\t.\t", "/srv/site\t.\t"} {
				if !strings.Contains(want.Text(), root+r) {
					t.Fatalf("%s was not measured:\n%s", r, want.Text())
				}
			}
			for name, apps := range map[string]Step{"kept": apps, "unreadable": fake(e + "A\t" + root + "/srv/site\t0\t0\n# done\n")} {
				got, _ := runProbe(t, sh, Render([]Step{apps, sizes})).Cmd("web-app-sizes")
				if d := sameItem(want, got); d != "" {
					t.Errorf("%s: %s", name, d)
				}
			}
			got, _ := runProbe(t, sh, Render([]Step{fake(e + "A\t" + shop + "\t0\t0\n# done\n"), sizes})).Cmd("web-app-sizes")
			if strings.Contains(got.Text(), "/srv/site") || !strings.Contains(got.Text(), shop+"\t.\t") {
				t.Errorf("the kept trees were not the ones measured:\n%s", got.Text())
			}
		})
	}
}

// keptReaders are the steps that read what a Keep step kept, by the kept step.
var keptReaders = map[string]string{
	"files-dpkg-sums": "files-dpkg-content", "files-dpkg-unowned": "files-dpkg-content",
	"files-rpm-sums": "files-rpm-content", "files-rpm-unowned": "files-rpm-content",
	"web-apps": "web-app-sizes",
}

// What a step keeps is read by a later step of its own domain: a probe split by
// domains (or cut short) runs the two in one shell, in order, else the reader
// computes the answer again and the keeping was for nothing. And the prologue reads
// each kept output.
func TestKeptOutputsAreReadInTheirDomain(t *testing.T) {
	at := map[string]int{}
	for i, st := range Plan {
		if st.Kind == Cmd {
			at[st.Name] = i
		}
	}
	kept := 0
	for i, st := range Plan {
		if !st.Keep {
			continue
		}
		kept++
		reader, ok := keptReaders[st.Name]
		j, found := at[reader]
		switch {
		case !ok || !found:
			t.Errorf("%s keeps its output for no step that reads it", st.Name)
		case j < i || Plan[j].Domain != st.Domain:
			t.Errorf("%s (%s) is read by %s (%s), not later in its domain", st.Name, st.Domain, reader, Plan[j].Domain)
		}
		if !strings.Contains(prologue, "${"+KeptVar(st.Name)+":-}") {
			t.Errorf("the prologue does not read %s", KeptVar(st.Name))
		}
	}
	if kept != len(keptReaders) {
		t.Errorf("%d steps keep their output, want %d", kept, len(keptReaders))
	}
}

// _wa_sizes, measuring every queued directory with one walk, prints what measuring
// each on its own printed (the reference below is the former _wa_size), in order,
// under every shell and without find -printf: names with spaces and a tab, a
// directory twice, one inside another, a link to one, one missing, an empty one.
func TestWebAppSizesOneWalkAsEach(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a b/files", "t\tab", "e"} {
		if err := os.MkdirAll(root+"/"+d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, root+"/a b/files/x", []byte(strings.Repeat("x", 5000)))
	mustWrite(t, root+"/a b/y", []byte("yy"))
	mustWrite(t, root+"/t\tab/z", []byte("zzz"))
	if err := os.Link(root+"/a b/y", root+"/a b/files/y2"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root+"/a b", root+"/link"); err != nil {
		t.Fatal(err)
	}
	// One line: a step's command is one line of the evidence.
	const each = `_each() { _wz_n=; _wz_k=$(du -sk -x "$3/" 2>/dev/null) || _wz_n=partial; _wz_a=$(_apparent "$3"); ` +
		`set -- "$1" "$2" "$3" $(ls -ldn "$3/" 2>/dev/null); ` +
		`printf 'S\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${_wz_k%%[!0-9]*}" "$_wz_a" "${6:--}" "${7:--}" "$_wz_n"; }; `
	var q, ref string
	for _, m := range [][3]string{{"a b", "files", "a b/files"}, {"t\tab", ".", "t\tab"}, {"a b", ".", "a b"}, {"a b", "files", "a b/files"}, {"link", ".", "link"}, {"gone", ".", "gone"}, {"e", ".", "e"}} {
		args := " " + quote(root+"/"+m[0]) + " " + quote(m[1]) + " " + quote(root+"/"+m[2])
		q += "; _wa_size" + args
		ref += "; _each" + args
	}
	plan := []Step{
		{Kind: Cmd, Name: "walk", Shell: "_find_printf; _wa_q=" + q + "; _wa_sizes", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "nowalk", Shell: "_fpf=n; _wa_q=" + q + "; _wa_sizes", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "each", Shell: each + "_find_printf" + ref, Limit: 1 << 20, Timeout: 30},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, script)
			want, _ := a.Cmd("each")
			if n := strings.Count("\n"+want.Text(), "\nS\t"+root); n != 7 || !strings.Contains(want.Text(), "\t5002\t") {
				t.Fatalf("the reference measured %d directories:\n%s", n, want.Text())
			}
			for _, name := range []string{"walk", "nowalk"} {
				got, _ := a.Cmd(name)
				if got.Text() != want.Text() || got.RC != want.RC {
					t.Errorf("%s: rc %d, want %d; %s", name, got.RC, want.RC, firstDiff(got.Text(), want.Text()))
				}
			}
		})
	}
}
