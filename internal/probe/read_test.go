package probe

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// oddFiles writes files whose bytes and names a reader can get wrong, and returns the
// plan that reads them: unfiltered (each its item, read by awk) and through a filter
// (each after its marker, read by awk too), with limit 100.
func oddFiles(t *testing.T) (string, []Step) {
	// The directory's name has no blank: a Glob step's pattern is the plan's own
	// text, split by the shell.
	dir := t.TempDir()
	lines := strings.Repeat("abcdefghi\n", 10) // 100 bytes: the limit
	files := map[string]string{
		"nul.conf":          "a\x00b\nc\n",
		"nul-end.conf":      "abc\x00",
		"only-nul.conf":     "\x00",
		"nonl.conf":         "no final newline",
		"cr.conf":           "a\r\nb\r\n\r",
		"utf.conf":          "\xff\xfe\xc3(\n\xe2\x82\n",
		"lim.conf":          lines,
		"lim1.conf":         lines + "x",
		"lim1nl.conf":       lines[:99] + "x\n",
		"lim2.conf":         lines + "xy",
		"empty.conf":        "",
		"nl.conf":           "\n",
		"nlnl.conf":         "\n\n",
		"sp ace.conf":       "password = S3CRET\n",
		"back\\slash.conf":  "b\\s\n",
		"-dash.conf":        "-\n",
		"--.conf":           "--\n",
		"tab\there.conf":    "t\n",
		"total":             "wc's last line\n",
		"5 x.conf":          "a name like wc's size\n",
		"trunc.conf":        strings.Repeat("y", 5000) + "\n",
		"pct%s.conf":        "%s %d\n",
		"zkey.conf":         "-----BEGIN PRIVATE KEY-----\nS3CRET\n",
		"zkey2.conf":        "-----END PRIVATE KEY-----\nafter\n",
		"last-no-nl-x.conf": "x\ny",
	}
	for name, body := range files {
		mustWrite(t, filepath.Join(dir, name), []byte(body))
	}
	long := filepath.Join(dir, "long.conf")
	mustWrite(t, long, []byte(strings.Repeat("z", 200000)))
	big := filepath.Join(dir, "big.conf")
	mustWrite(t, big, bytes.Repeat([]byte("0123456789abcde\n"), 80000)) // 1.28 MB: past awk's bound
	plan := []Step{
		{Kind: Glob, Path: filepath.Join(dir, "*"), Limit: 100},
		{Kind: File, Path: long, Limit: 1 << 20},
		{Kind: File, Path: big, Limit: 4 << 20},
		{Kind: File, Path: filepath.Join(dir, "nope.conf"), Limit: 100},
		{Kind: Glob, Path: filepath.Join(dir, "*.conf"), Limit: 100, Redact: true},
		{Kind: File, Path: long, Limit: 1 << 20, RedactArgs: true},
	}
	return dir, plan
}

// awks are the awks on this machine, each as a directory holding it as "awk", for a
// probe run with that directory first in PATH.
func awks(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, a := range [][]string{{"mawk"}, {"gawk"}, {"original-awk"}, {"busybox", "awk"}} {
		p, err := exec.LookPath(a[0])
		if err != nil {
			continue
		}
		dir := t.TempDir()
		if err := os.Symlink(p, filepath.Join(dir, "awk")); err != nil {
			t.Fatal(err)
		}
		out[strings.Join(a, " ")] = dir
	}
	if len(out) == 0 {
		t.Skip("no awk")
	}
	return out
}

// shim puts a program in dir that logs its arguments to dir/NAME.log and runs the
// real one.
func shim(t *testing.T, dir, name, after string) {
	t.Helper()
	real, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	log := filepath.Join(dir, name+".log")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >>" + quote(log) + "\n" + quote(real) + " \"$@\"\nr=$?\n" + after + "\nexit $r\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

func logged(t *testing.T, dir, name string) []string {
	b, err := os.ReadFile(filepath.Join(dir, name+".log"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Files read many at a time, by awk, give each the item head gives it alone: NUL
// bytes, a last line without newline, CR, bytes that are not UTF-8, files of exactly
// the limit and one or two bytes more, empty files, names that look like options or
// like wc's own lines; under every shell.
func TestBatchReadsOddFilesExactly(t *testing.T) {
	_, plan := oddFiles(t)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			sameItems(t, runProbe(t, sh, renderEach(plan)), runProbe(t, sh, Render(plan)))
		})
	}
}

// Under each awk, the files are the same, and awk reads all of them but those it must
// leave to head: those with a NUL byte, those larger than the limit and one byte, and
// those past 1 MiB; busybox's awk, which takes a NUL for a line's end, reads none.
func TestBatchReadsThroughEachAwk(t *testing.T) {
	dir, plan := oddFiles(t)
	for name, bin := range awks(t) {
		t.Run(name, func(t *testing.T) {
			shim(t, bin, "head", "")
			env := "PATH=" + bin + ":" + os.Getenv("PATH")
			want := runProbe(t, []string{"dash"}, renderEach(plan), env)
			_ = os.Remove(filepath.Join(bin, "head.log"))
			got := runProbe(t, []string{"dash"}, Render(plan), env)
			sameItems(t, want, got)
			var heads []string
			for _, l := range logged(t, bin, "head") {
				if p, ok := strings.CutPrefix(l, "-c "); ok {
					if _, f, ok := strings.Cut(p, " -- "); ok && strings.HasPrefix(f, dir) {
						heads = append(heads, strings.TrimPrefix(f, dir+"/"))
					}
				}
			}
			read := map[string]bool{}
			for _, h := range heads {
				read[h] = true
			}
			for _, f := range []string{"nul.conf", "nul-end.conf", "only-nul.conf", "lim2.conf", "trunc.conf", "big.conf"} {
				if !read[f] {
					t.Errorf("%s was not left to head", f)
				}
			}
			for _, f := range []string{"cr.conf", "utf.conf", "nonl.conf", "lim.conf", "lim1.conf", "lim1nl.conf", "empty.conf", "nl.conf", "nlnl.conf", "sp ace.conf", "back\\slash.conf", "-dash.conf", "--.conf", "tab\there.conf", "total", "5 x.conf", "pct%s.conf", "last-no-nl-x.conf"} {
				if read[f] == (name != "busybox awk") {
					t.Errorf("%s read by head: %v", f, read[f])
				}
			}
		})
	}
}

// A file that grows between wc and awk past its limit is left to head, and read cut
// at the limit, as head would have read it then: awk, which reads to the end, would
// send more than LIMIT+1 bytes.
func TestBatchLeavesAFileThatChanged(t *testing.T) {
	dir := t.TempDir()
	grow := filepath.Join(dir, "grow.conf")
	mustWrite(t, grow, []byte("small\n"))
	mustWrite(t, filepath.Join(dir, "other.conf"), []byte("other\n"))
	bin := t.TempDir()
	shim(t, bin, "wc", "printf '%0200d\\n' 0 >>"+quote(grow))
	shim(t, bin, "head", "")
	plan := []Step{
		{Kind: File, Path: grow, Limit: 100},
		{Kind: File, Path: filepath.Join(dir, "other.conf"), Limit: 100},
	}
	a := runProbe(t, []string{"dash"}, Render(plan), "PATH="+bin+":"+os.Getenv("PATH"))
	if n := len(logged(t, bin, "wc")); n != 1 {
		t.Fatalf("wc ran %d times, want once", n)
	}
	if heads := logged(t, bin, "head"); len(heads) != 1 || !strings.HasSuffix(heads[0], " -- "+grow) {
		t.Errorf("head read %q, want only the grown file", heads)
	}
	body, err := os.ReadFile(grow)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := a.File(grow)
	if !bytes.Equal(it.Data, body[:100]) || !it.Truncated {
		t.Errorf("grown file: %q (truncated %v), want %q", trim(it.Data), it.Truncated, trim(body[:100]))
	}
	if it, _ := a.File(filepath.Join(dir, "other.conf")); it.Text() != "other\n" {
		t.Errorf("other file: %q", it.Text())
	}
}

// perLink is the script with every link's target read alone, as before _link_targets.
func perLink(script []byte) []byte {
	return bytes.Replace(script, []byte("_link_targets() {\n"), []byte("_link_targets() {\n\treturn 1\n"), 1)
}

// A listing takes its links' targets from one find and says what it said reading
// each link alone: odd targets, dangling links, links among files and directories,
// more entries than one find's share (64); a target with a newline makes its share
// of the listing read link by link.
func TestListingLinksAsOneByOne(t *testing.T) {
	base := t.TempDir()
	plain := filepath.Join(base, "plain")
	nl := filepath.Join(base, "newline")
	for _, d := range []string{plain, nl, filepath.Join(plain, "sub")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	targets := []string{"../x", "-n", "--", "a\tb", "back\\slash", "cr\r", "\xff\xfe", "sp ace", "a -> b", "/etc/passwd", strings.Repeat("d/", 1000) + "f", "%s", "nowhere"}
	for i, tg := range targets {
		if err := os.Symlink(tg, filepath.Join(plain, "l"+string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 60 {
		mustWrite(t, filepath.Join(plain, fmt.Sprintf("f%03d", i)), nil)
		if err := os.Symlink("t"+strconv.Itoa(i), filepath.Join(plain, "m"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	for i, tg := range []string{"ok", "new\nline", "trailing\n", "\nleading", "ok2"} {
		if err := os.Symlink(tg, filepath.Join(nl, "l"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	plan := []Step{
		{Kind: List, Path: plain, Limit: 1 << 20},
		{Kind: List, Path: nl, Limit: 1 << 20},
		{Kind: List, Path: filepath.Join(plain, "sub"), Limit: 1 << 20},
		// The glob lists the same directories again, as large: the same items.
		{Kind: ListGlob, Path: filepath.Join(base, "*"), Limit: 1 << 20},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want := runProbe(t, sh, perLink(unqueued(t, Render(plan))))
			sameItems(t, want, runProbe(t, sh, unqueued(t, Render(plan))))
			sameItems(t, want, runProbe(t, sh, Render(plan)))
		})
	}
	t.Run("one find", func(t *testing.T) {
		bin := t.TempDir()
		shim(t, bin, "readlink", "")
		a := runProbe(t, []string{"dash"}, Render(plan[:2]), "PATH="+bin+":"+os.Getenv("PATH"))
		var read []string
		for _, l := range logged(t, bin, "readlink") {
			if strings.HasPrefix(l, base) {
				read = append(read, strings.TrimPrefix(filepath.Dir(l), base+"/"))
			}
		}
		if strings.Join(read, " ") != "newline newline newline newline newline" {
			t.Errorf("readlink read links of %q; want only the five of newline", read)
		}
		if it, _ := a.List(plain); !strings.Contains(it.Text(), "l\tld\ta\tb\n") || !strings.Contains(it.Text(), "l\tm59\tt59\n") {
			t.Errorf("listing: %q", trim(it.Data))
		}
	})
}

// unqueued is the script with every listing written at once, as before _list_queue.
func unqueued(t *testing.T, script []byte) []byte {
	t.Helper()
	on := []byte("\n_lqon=y\n")
	if !bytes.Contains(script, on) {
		t.Fatal("the script no longer queues listings with links")
	}
	return bytes.Replace(script, on, []byte("\n_lqon=\n"), 1)
}

// Listings with links wait for the batch, and the targets of all their links come
// from one find: each listing says what it said written at once (links, dangling or
// not, among files and directories; a listing of no link, an empty one, one too
// large to wait, one absent, one that is a file), under every shell.
func TestQueuedListingsShareOneFind(t *testing.T) {
	base := t.TempDir()
	var plan []Step
	for _, d := range []string{"rc1.d", "rc2.d", "wants", "plain", "empty", "big"} {
		dir := filepath.Join(base, d)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, Step{Kind: List, Path: dir, Limit: 1 << 20})
	}
	for i, d := range []string{"rc1.d", "rc2.d", "wants"} {
		for j := range 5 + i {
			if err := os.Symlink(fmt.Sprintf("../init.d/s%d", j), filepath.Join(base, d, fmt.Sprintf("S%02d%c", j, 'a'+i))); err != nil {
				t.Fatal(err)
			}
		}
		mustWrite(t, filepath.Join(base, d, "README"), nil)
		if err := os.Mkdir(filepath.Join(base, d, "sub dir"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, filepath.Join(base, "plain", "f"), nil)
	for i := range 70 {
		if err := os.Symlink("t", filepath.Join(base, "big", fmt.Sprintf("l%02d", i))); err != nil {
			t.Fatal(err)
		}
	}
	plan[5].Limit = 100 // too small to list whole: cut by head at once
	// A command between the listings: its item is written while they wait.
	plan = append(plan[:3], append([]Step{{Kind: Cmd, Name: "pause", Shell: "sleep 0.2", Limit: 10, Timeout: 5}}, plan[3:]...)...)
	plan = append(plan, Step{Kind: List, Path: filepath.Join(base, "absent"), Limit: 100},
		Step{Kind: List, Path: filepath.Join(base, "plain", "f"), Limit: 100},
		Step{Kind: ListGlob, Path: filepath.Join(base, "rc*.d"), Limit: 1 << 20})
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			sameItems(t, runProbe(t, sh, unqueued(t, Render(plan))), runProbe(t, sh, Render(plan)))
		})
	}
	t.Run("one find", func(t *testing.T) {
		bin := t.TempDir()
		shim(t, bin, "find", "")
		a := runProbe(t, []string{"dash"}, Render(plan), "PATH="+bin+":"+os.Getenv("PATH"))
		var finds []string
		for _, l := range logged(t, bin, "find") {
			if strings.HasPrefix(l, base) {
				finds = append(finds, l)
			}
		}
		// The three listings of links, and the glob's two again, in one find; the
		// listing too large to wait in finds of its own, 64 entries at a time.
		// The large listing's finds stop once head has its bytes: the first of 64
		// always, the last of 6 as the pipe's closing allows.
		var waiting, large []int
		for _, f := range finds {
			n := strings.Count(f, base+"/")
			if strings.Count(f, base+"/big/") == n {
				large = append(large, n)
			} else {
				waiting = append(waiting, n)
			}
		}
		if !slices.Equal(waiting, []int{5 + 6 + 7 + 5 + 6}) || len(large) == 0 || large[0] != 64 || len(large) > 2 {
			t.Errorf("find ran on %v links of the waiting listings and %v of the large one, want all the waiting ones' at once and the large one's 64 at a time: %q", waiting, large, finds)
		}
		// Their times do not overlap: a --profile adds no time twice.
		for i := 1; i < len(a.Items); i++ {
			if a.Items[i].Start < a.Items[i-1].End {
				t.Errorf("%s starts at %v, before %s ended at %v", a.Items[i].ID(), a.Items[i].Start, a.Items[i-1].ID(), a.Items[i-1].End)
			}
		}
		if it, _ := a.List(filepath.Join(base, "wants")); it.Text() != "f\tREADME\nl\tS00c\t../init.d/s0\nl\tS01c\t../init.d/s1\nl\tS02c\t../init.d/s2\nl\tS03c\t../init.d/s3\nl\tS04c\t../init.d/s4\nl\tS05c\t../init.d/s5\nl\tS06c\t../init.d/s6\nd\tsub dir\n" {
			t.Errorf("wants: %q", it.Text())
		}
	})
}

// A listing that waits for the batch goes out after the listings written at once: the
// plan lists no directory twice, so no item of a directory follows another of it.
func TestPlanListsEachDirectoryOnce(t *testing.T) {
	seen := map[string]bool{}
	var globs []string
	for _, st := range Plan {
		switch st.Kind {
		case List:
			if seen[st.Path] {
				t.Errorf("%s is listed twice", st.Path)
			}
			seen[st.Path] = true
		case ListGlob:
			globs = append(globs, strings.Fields(st.Path)...)
		}
	}
	for p := range seen {
		for _, g := range globs {
			if ok, _ := filepath.Match(g, p); ok {
				t.Errorf("%s is listed, and again by the glob %s", p, g)
			}
		}
	}
}

// A listing that waits is written by the flush that ends its half: every rendered
// plan that lists something flushes after its last listing, in each half of a plan
// run in halves, and after both of one run whole.
func TestEveryWaitingListingIsFlushed(t *testing.T) {
	plans := map[string][]byte{
		"the plan":   Script(),
		"one list":   Render([]Step{{Kind: List, Path: "/etc", Limit: 100}}),
		"one glob":   Render([]Step{{Kind: ListGlob, Path: "/etc/rc*.d", Limit: 100}}),
		"then a cmd": Render([]Step{{Kind: List, Path: "/etc", Limit: 100}, {Kind: Cmd, Name: "x", Shell: "true", Limit: 10, Timeout: 1}}),
	}
	body := func(s, fn string) string {
		i := strings.Index(s, "\n"+fn+"() {\n")
		if i < 0 {
			t.Fatalf("no %s", fn)
		}
		return s[i : i+strings.Index(s[i:], "\n}\n")+1]
	}
	for name, script := range plans {
		s := string(script)
		parts := []string{body(s, "_plan_1") + body(s, "_plan_2")}
		if strings.Contains(s, "\n_half_1() {\n") {
			parts = []string{body(s, "_plan_1"), body(s, "_plan_2")}
		}
		for _, part := range parts {
			last := max(strings.LastIndex(part, "\t_list "), strings.LastIndex(part, "\t_list_dirs "))
			if last >= 0 && !strings.Contains(part[last:], "\t_batch_flushall\n") {
				t.Errorf("%s lists and does not flush after its last listing:\n%s", name, part[last:])
			}
		}
	}
}

// A listing that waits goes out at the end of its domain, not of its half: a session
// cut in a later domain has lost none of it.
func TestWaitingListingGoesAtItsDomainsEnd(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		if err := os.Symlink("t", filepath.Join(dir, fmt.Sprintf("l%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	plan := []Step{
		{Kind: List, Path: dir, Limit: 1 << 20, Domain: "a"},
		{Kind: Cmd, Name: "b", Shell: "echo b", Limit: 100, Timeout: 10, Domain: "b"},
		{Kind: Cmd, Name: "c", Shell: "echo c", Limit: 100, Timeout: 10, Domain: "c"},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, Render(plan))
			var order []string
			for _, it := range a.Items {
				order = append(order, it.ID())
			}
			want := []string{"list:" + dir, "cmd:b", "cmd:c"}
			if !slices.Equal(order, want) {
				t.Errorf("items %q, want %q", order, want)
			}
		})
	}
}
