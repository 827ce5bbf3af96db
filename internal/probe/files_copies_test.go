package probe

import (
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// _files_content's copies, under every shell: a copy's text goes through the secret
// filter like the file's own, the line list that decides a hidden setting names
// the changed line and no more, stops at DiffLinesMax numbers, a secret-named copy
// never leaves, and the copies count against the same cap as the files.
func TestFileCopiesBoundedAndFiltered(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "app.conf")
	mustWrite(t, conf, []byte("# app\nuser = app\npassword = n3w-s3cret\nport = 8080\n"))
	mustWrite(t, conf+".dpkg-dist", []byte("# app\nuser = app\npassword = 0ld-s3cret\nport = 80\n"))
	big := filepath.Join(dir, "big.conf")
	var cur, old strings.Builder
	for i := range DiffLinesMax + 50 {
		fmt.Fprintf(&cur, "key%d = new\n", i)
		fmt.Fprintf(&old, "key%d = old\n", i)
	}
	mustWrite(t, big, []byte(cur.String()))
	mustWrite(t, big+".dpkg-dist", []byte(old.String()))
	key := filepath.Join(dir, "tls")
	mustWrite(t, key, []byte("cert = x\n"))
	if err := os.MkdirAll(key+".ucf-dist", 0o755); err != nil { // a directory is no copy
		t.Fatal(err)
	}
	secretCopy := filepath.Join(dir, "db.conf")
	mustWrite(t, secretCopy, []byte("host = db\n"))
	tmpl := filepath.Join(dir, "secret-template")
	mustWrite(t, tmpl, []byte("host = db\n"))

	list := strings.Join([]string{conf, big, key, secretCopy}, "\n")
	plan := []Step{{Kind: Cmd, Name: "content", Shell: "printf '%s\\n' '" + list + "' | _files_content 65536 300 dpkg " + secretCopy + "=" + tmpl, Limit: 1 << 20, Timeout: 30}}
	// A cap of 2: two files and two copies go, the third of either does not.
	capDir := t.TempDir()
	a, b, c := filepath.Join(capDir, "a"), filepath.Join(capDir, "b"), filepath.Join(capDir, "c")
	for _, p := range []string{a, a + ".dpkg-dist", a + ".ucf-dist", b, b + ".dpkg-dist", c} {
		mustWrite(t, p, []byte("k = v\n"))
	}
	capped := []Step{{Kind: Cmd, Name: "content", Shell: "printf '%s\\n' '" + a + "' '" + b + "' '" + c + "' | _files_content 65536 2 dpkg", Limit: 1 << 20, Timeout: 30}}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			it, _ := runProbe(t, sh, Render(plan)).Cmd("content")
			out := it.Text()
			if it.RC != 0 || !strings.HasSuffix(out, "# done\n") {
				t.Fatalf("rc %d, stderr %q:\n%s", it.RC, it.Stderr, out)
			}
			if strings.Contains(out, "s3cret") {
				t.Errorf("a password left the host:\n%.3000s", out)
			}
			for _, want := range []string{
				"C\t" + conf + "\tdpkg-dist\t" + conf + ".dpkg-dist\t",
				"\t" + conf + ".dpkg-dist\n# app\nuser = app\npassword = <redacted>\nport = 80\n\n",
				"D\t" + conf + "\t" + conf + ".dpkg-dist\t 3 4\n",
				"N\t" + tmpl + "\tsecret\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%.3000s", want, out)
				}
			}
			if strings.Contains(out, "\t"+key+".ucf-dist") {
				t.Errorf("a directory was taken for a copy")
			}
			if strings.Contains(out, "D\t"+secretCopy+"\t") {
				t.Errorf("a line list of a copy whose text did not go")
			}
			d := ""
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "D\t"+big+"\t") {
					d = l
				}
			}
			if f := strings.Fields(d); len(f) != 3+DiffLinesMax+1 || f[len(f)-1] != "+" || f[3] != "1" || f[len(f)-2] != fmt.Sprint(DiffLinesMax) {
				t.Errorf("the line list of big.conf has %d words, ends %q", len(f), f[max(0, len(f)-2):])
			}
			it, _ = runProbe(t, sh, Render(capped)).Cmd("content")
			var heads []string
			for _, l := range strings.Split(it.Text(), "\n") {
				f := strings.Split(l, "\t")
				switch {
				case len(f) == 3 && f[0] == "F":
					heads = append(heads, "F "+strings.TrimPrefix(f[2], capDir+"/"))
				case len(f) == 6 && f[0] == "C":
					heads = append(heads, "C "+strings.TrimPrefix(f[3], capDir+"/"))
				case len(f) == 3 && f[0] == "N":
					heads = append(heads, "N "+strings.TrimPrefix(f[1], capDir+"/"))
				}
			}
			if got, want := strings.Join(heads, " | "), "F a | C a.dpkg-dist | F a.dpkg-dist | C a.ucf-dist | F a.ucf-dist | F b | N c"; got != want {
				t.Errorf("cap of 2:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// Every files step is bounded in bytes and time, and those that send text from the
// host send it through the secret filter (the content steps filter each file
// themselves; see _files_content).
func TestFilesStepsBounded(t *testing.T) {
	for _, st := range fileSteps {
		if st.Limit <= 0 || st.Kind == Cmd && st.Timeout <= 0 {
			t.Errorf("%s%s: limit %d, timeout %d", st.Name, st.Path, st.Limit, st.Timeout)
		}
		if strings.HasSuffix(st.Name, "-scripts") && (!st.Redact || st.Offline == "") {
			t.Errorf("%s: redact %v, offline %q", st.Name, st.Redact, st.Offline)
		}
		if strings.HasSuffix(st.Name, "-content") && !strings.Contains(st.Shell, "_content "+contentArgs) {
			t.Errorf("%s: %q", st.Name, st.Shell)
		}
	}
	// The shell's own bounds are the ones the offline reader and the parser keep.
	for _, want := range []string{
		fmt.Sprintf("n++ < %d", DiffLinesMax),
		fmt.Sprintf("substr(l, 1, %d)", ScriptLineMax),
		fmt.Sprintf("length(l) < %d", ScriptJoinMax),
		fmt.Sprintf("%q", UCFCache[:len(UCFCache)-1]),
	} {
		if !strings.Contains(prologue, strings.Trim(want, `"`)) {
			t.Errorf("prologue.sh lacks %s", want)
		}
	}
}

// The copies' sizes, digests and line lists come from one sh over all of them, in as
// many runs as the arguments need; a name md5sum prints escaped (a backslash) is
// digested alone, and a quote in a name is passed as it is.
func TestFileCopiesFactsOfManyAndOdd(t *testing.T) {
	dir := t.TempDir()
	var list []string
	want := map[string]string{} // copy path -> its C and D records' tail
	add := func(name string, withD bool) {
		p := filepath.Join(dir, name)
		mustWrite(t, p, []byte("k = 1\nv = new\n"))
		mustWrite(t, p+".dpkg-dist", []byte("k = 1\nv = old\n"))
		list = append(list, p)
		c := p + ".dpkg-dist"
		rec := fmt.Sprintf("C\t%s\tdpkg-dist\t%s\t%x\t%x\n", p, c, md5.Sum([]byte("k = 1\nv = old\n")), sha256.Sum256([]byte("k = 1\nv = old\n")))
		if withD {
			rec += "D\t" + p + "\t" + c + "\t 2\n"
		}
		want[c] = rec
	}
	for i := range 150 {
		add(fmt.Sprintf("%03d-%s.conf", i, strings.Repeat("n", 200)), true)
	}
	add(`back\slash.conf`, false)
	add("quo'te.conf", true)
	// posh fails ("cannot allocate") on this many records, this version as the one
	// before it: it reads the odd names and a few others.
	few := append(list[:10:10], list[150:]...)
	step := func(paths []string) []Step {
		return []Step{
			{Kind: Cmd, Name: "content", Shell: "printf '%s\\n' " + quoteAll(paths) + " | _files_content 65536 300 dpkg", Limit: 1 << 22, Timeout: 60},
			{Kind: Cmd, Name: "facts", Shell: "_fmax=300 _flim=65536 _ffam=dpkg; printf '%s\\n' " + quoteAll(paths) + " | _files_facts", Limit: 1 << 22, Timeout: 60},
		}
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			paths := list
			if sh[0] == "posh" {
				paths = few
			}
			a := runProbe(t, sh, Render(step(paths)))
			// The one sh knew each copy's facts, and awk its line list but for the
			// name with a backslash.
			facts, _ := a.Cmd("facts")
			known := regexp.MustCompile(`\ndpkg-dist 14 [0-9a-f]{32} [0-9a-f]{64}\n= 2\n`)
			if n, want := len(known.FindAllString(facts.Text(), -1)), len(paths)-1; n != want {
				t.Errorf("the one sh knew the facts of %d copies, want %d:\n%.1000s", n, want, facts.Text())
			}
			it, _ := a.Cmd("content")
			out := it.Text()
			if it.RC != 0 || !strings.HasSuffix(out, "# done\n") {
				t.Fatalf("rc %d, stderr %q:\n%.2000s", it.RC, it.Stderr, out)
			}
			for _, p := range paths {
				c := p + ".dpkg-dist"
				rec := want[c]
				// The copy's own F record comes between its C and D records.
				f := fmt.Sprintf("F\t%d\t%s\nk = 1\nv = old\n\n", len("k = 1\nv = old\n"), c)
				cLine, dLine, _ := strings.Cut(rec, "\n")
				if !strings.Contains(out, cLine+"\n"+f+dLine) {
					t.Errorf("lacks the records of %s:\n%s%s%s", filepath.Base(c), cLine+"\n", f, dLine)
				}
			}
			if strings.Contains(out, "D\t"+filepath.Join(dir, `back\slash.conf`)) {
				t.Errorf("a line list for a name awk -v would unescape")
			}
		})
	}
}
