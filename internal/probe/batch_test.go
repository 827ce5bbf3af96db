package probe

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// renderEach renders a plan step by step, as the probe did before _batch: every
// file through _file, with its own filter.
func renderEach(plan []Step) []byte {
	var b strings.Builder
	for _, st := range plan {
		b.WriteString(renderStep(st))
	}
	// Each listing is written at once, as its step alone writes it (no flush ends
	// this plan).
	s := strings.Replace(string(Render(nil)), "\n_lqon=y\n", "\n_lqon=\n", 1)
	return []byte(strings.Replace(s, "\n_plan() {\n\t_header\n", "\n_plan() {\n\t_header\n"+b.String(), 1))
}

// A batch of files read through one filter pass gives each file the item _file
// gives it alone: same name, limit, status and bytes, whatever the files hold.
// Private-key blocks a file leaves open would run on into the next files of the
// batch; those files are read again one by one.
func TestBatchReadsFilesAsFileDoes(t *testing.T) {
	dir := t.TempDir()
	odd := filepath.Join(dir, "odd names")
	if err := os.Mkdir(odd, 0o755); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 3000)
	_, _ = rand.Read(junk)
	files := map[string]string{
		"a.conf":                      "password = S3CRET\nport=80\n",
		"b.conf":                      "token: S3CRET",
		"c.conf":                      "",
		"d.conf":                      "\n\n\n",
		"e.conf":                      "-----BEGIN RSA PRIVATE KEY-----\nS3CRET\n-----END RSA PRIVATE KEY-----\nafter\n",
		"f.conf":                      "before\n-----BEGIN PRIVATE KEY-----\nS3CRET, and no end\n",
		"g.conf":                      "ExecStart=/usr/bin/tool --api-key=S3CRET\n",
		"h.conf":                      "-----END PRIVATE KEY-----\nthe end of f's block, were they one stream\n",
		"i.conf":                      string(junk) + "\nkey = S3CRET\n\x00\xff",
		"j.conf":                      strings.Repeat("x", 5000) + "\n",
		"odd names/sp ace.conf":       "secret: S3CRET\n",
		"odd names/ta\tb.conf":        "x\n",
		"odd names/back\\slash.conf":  "y\n",
		"odd names/per%cent%s.conf":   "z\n",
		"odd names/password=x:y.conf": "w\n",
		"odd names/quo'te.conf":       "v\n",
	}
	for name, body := range files {
		mustWrite(t, filepath.Join(dir, name), []byte(body))
	}
	unreadable := filepath.Join(dir, "unreadable.conf")
	mustWrite(t, unreadable, []byte("x\n"))
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	plan := []Step{
		{Kind: File, Path: filepath.Join(dir, "a.conf"), Limit: 4096, Redact: true},
		{Kind: File, Path: filepath.Join(dir, "nope.conf"), Limit: 4096, Redact: true},
		{Kind: File, Path: odd, Limit: 4096, Redact: true},
		{Kind: File, Path: unreadable, Limit: 4096, Redact: true},
		{Kind: Glob, Path: filepath.Join(dir, "*.conf"), Limit: 4096, Redact: true},
		{Kind: Glob, Path: filepath.Join(odd, "*"), Limit: 4096, RedactArgs: true},
		{Kind: File, Path: filepath.Join(dir, "g.conf"), Limit: 100, RedactCommands: true},
		{Kind: File, Path: filepath.Join(dir, "i.conf"), Limit: 1 << 20},
		{Kind: Glob, Path: filepath.Join(dir, "nothing-*"), Limit: 4096, Redact: true},
	}
	script := Render(plan)
	if !bytes.Contains(script, []byte("\t_batch_flushall\n")) {
		t.Fatalf("the plan's files are not read as a batch:\n%s", script)
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want := runProbe(t, sh, renderEach(plan))
			got := runProbe(t, sh, script)
			sameItems(t, want, got)
			if it, _ := got.File(filepath.Join(dir, "h.conf")); !strings.Contains(it.Text(), "the end of f's block") {
				t.Errorf("a key block left open in one file ate the next: %q", it.Text())
			}
			for _, it := range got.Items {
				if strings.Contains(it.Text(), "S3CRET") && it.Name != filepath.Join(dir, "i.conf") && it.Name != filepath.Join(dir, "g.conf") {
					t.Errorf("%s: a secret went out: %q", it.Name, it.Text())
				}
			}
		})
	}
}

// The whole plan, batched (its filtered files queued until their domain ends), reads
// this machine's files as it did one by one.
func TestBatchedPlanReadsTheSameFiles(t *testing.T) {
	var files []Step
	for _, st := range Plan {
		if st.Kind == File || st.Kind == Glob || st.Kind == HomeFile || st.Kind == List {
			files = append(files, st)
		}
	}
	for _, sh := range [][]string{{"dash"}, {"busybox", "sh"}} {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			want := runProbe(t, sh, renderEach(files))
			got := runProbe(t, sh, Render(files))
			sameItems(t, want, got)
		})
	}
}

// sameItems compares two runs' items, except what changes by itself between them.
func sameItems(t *testing.T, want, got *evidence.Archive) {
	t.Helper()
	volatile := func(name string) bool {
		return strings.HasPrefix(name, "/proc/") && name != "/proc/1/comm" && name != "/proc/1/cmdline" && name != "/proc/self/cgroup"
	}
	if len(want.Items) != len(got.Items) {
		t.Errorf("%d items, want %d", len(got.Items), len(want.Items))
	}
	for _, w := range want.Items {
		g, ok := got.Get(w.ID())
		switch {
		case !ok:
			t.Errorf("%s: missing", w.ID())
		case g.Status != w.Status || g.Limit != w.Limit || g.RC != w.RC:
			t.Errorf("%s: status %s rc %d limit %d, want %s %d %d", w.ID(), g.Status, g.RC, g.Limit, w.Status, w.RC, w.Limit)
		case !volatile(w.Name) && (!bytes.Equal(g.Data, w.Data) || g.Truncated != w.Truncated || !bytes.Equal(g.Stderr, w.Stderr)):
			t.Errorf("%s: content %q, want %q", w.ID(), trim(g.Data), trim(w.Data))
		case g.Start == 0 && w.Start != 0:
			t.Errorf("%s: no time", w.ID())
		}
	}
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// plainContent is the script with _files_content filtering each file alone, as
// before _batch_files_content.
func plainContent(script []byte) []byte {
	dispatch := "\tif [ -z \"${_fbatch:-}\" ]; then\n\t\t_batch_files_content \"$@\"\n\t\treturn 0\n\tfi\n"
	return bytes.Replace(script, []byte(dispatch), nil, 1)
}

// _files_content with one filter pass sends what it sent filtering file by file:
// the same records, each F record's length and text, copies and their line lists,
// whatever the files hold; a key block a file leaves open makes it fall back to
// filtering file by file.
func TestBatchedContentAsFileByFile(t *testing.T) {
	dir := t.TempDir()
	// Bytes that are not UTF-8 are kept apart: yash cut a command substitution's
	// text at the first of them, so file by file it sent less than there is.
	junk := make([]byte, 2000)
	_, _ = rand.Read(junk)
	for i := range junk {
		junk[i] &= 0x7f
	}
	bodies := map[string]string{
		"high.conf":         "\xff\xfe bytes\npassword = S3CRET\nafter = 1\n",
		"a.conf":            "password = S3CRET\nport=80\n",
		"a.conf.dpkg-dist":  "password = 0LD\nport=81\n",
		"b.conf":            "no final newline",
		"c.conf":            "",
		"d.conf":            "\n\n",
		"e.conf":            string(junk) + "\x00\npassword = S3CRET\n",
		"f sp\tace.conf":    "x = 1\n",
		"g%s\\n.conf":       "y = 2\n",
		"h.conf":            "-----BEGIN EC PRIVATE KEY-----\nS3CRET\n-----END EC PRIVATE KEY-----\nport = 1\n",
		"server.key":        "S3CRET\n",
		"big.conf":          strings.Repeat("z", 70000),
		"tmpl":              "password = T\n",
		"generated.conf":    "password = G\n",
		"open-block.conf":   "-----BEGIN PRIVATE KEY-----\nS3CRET and no end\n",
		"after-block.conf":  "-----END PRIVATE KEY-----\nafter = 1\n",
		"last.conf.rpmsave": "k = 2\n",
	}
	for name, body := range bodies {
		mustWrite(t, filepath.Join(dir, name), []byte(body))
	}
	var list []string
	for _, name := range []string{"a.conf", "b.conf", "c.conf", "d.conf", "e.conf", "f sp\tace.conf", "g%s\\n.conf", "h.conf", "server.key", "big.conf", "nope.conf", "generated.conf"} {
		list = append(list, filepath.Join(dir, name))
	}
	gen := filepath.Join(dir, "generated.conf") + "=" + filepath.Join(dir, "tmpl")
	step := func(name string, paths []string, fam string) Step {
		return Step{Kind: Cmd, Name: name, Shell: "printf '%s\\n' " + quoteAll(paths) + " | _files_content 65536 300 " + fam + " " + quote(gen), Limit: 1 << 20, Timeout: 60}
	}
	plan := []Step{
		step("dpkg", list, "dpkg"),
		step("fallback", []string{list[0], filepath.Join(dir, "open-block.conf"), filepath.Join(dir, "after-block.conf"), list[1]}, "dpkg"),
		step("rpm", append(list, filepath.Join(dir, "last.conf.rpmsave")), "rpm"),
		step("none", []string{filepath.Join(dir, "nope.conf"), filepath.Join(dir, "server.key")}, "dpkg"),
	}
	high := step("high", []string{filepath.Join(dir, "high.conf")}, "dpkg")
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want := runProbe(t, sh, plainContent(Render(plan)))
			got := runProbe(t, sh, Render(append(plan, high)))
			for _, st := range plan {
				w, _ := want.Cmd(st.Name)
				g, _ := got.Cmd(st.Name)
				// Under posh the rpm run's exit status is 0 or 1 from one run to the
				// next, batched or file by file; every other shell gives 0.
				if g.Text() != w.Text() || (g.RC != w.RC || g.RC != 0) && sh[0] != "posh" || g.Status != w.Status {
					t.Errorf("%s: rc %d, want %d; text: %s", st.Name, g.RC, w.RC, firstDiff(g.Text(), w.Text()))
				}
				if strings.Contains(g.Text(), "S3CRET") || !strings.HasSuffix(g.Text(), "# done\n") {
					t.Errorf("%s: a secret went out, or the records are cut:\n%s", st.Name, g.Text())
				}
			}
			if it, _ := got.Cmd("dpkg"); !strings.Contains(it.Text(), "F\t0\t"+filepath.Join(dir, "c.conf")+"\n\n") {
				t.Errorf("an empty file's record is missing:\n%s", it.Text())
			}
			if it, _ := got.Cmd("high"); !strings.Contains(it.Text(), "\xff\xfe bytes\npassword = <redacted>\nafter = 1\n") {
				t.Errorf("bytes that are not UTF-8 were not carried through:\n%q", it.Text())
			}
		})
	}
}

// The dpkg content step of this machine, batched, sends what it sent file by file.
func TestBatchedContentOfThisMachine(t *testing.T) {
	var plan []Step
	for _, st := range Plan {
		if st.Name == "files-dpkg-content" || st.Name == "files-rpm-content" {
			plan = append(plan, st)
		}
	}
	want := runProbe(t, shells[0], plainContent(Render(plan)))
	got := runProbe(t, shells[0], Render(plan))
	for _, st := range plan {
		w, _ := want.Cmd(st.Name)
		g, _ := got.Cmd(st.Name)
		if g.Text() != w.Text() || g.RC != w.RC || g.Status != w.Status {
			t.Errorf("%s: rc %d, %d bytes, want rc %d, %d bytes", st.Name, g.RC, len(g.Data), w.RC, len(w.Data))
		}
	}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, " ")
}

// firstDiff shows where two texts part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-80, 0)
	return fmt.Sprintf("at byte %d: %q, want %q", i, got[from:min(i+80, len(got))], want[from:min(i+80, len(want))])
}
