package probe

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var scriptLine = regexp.MustCompile(`line [0-9]+: `)

// oddTexts writes files a reader trips on: names with spaces and a percent sign, an
// empty file, one of newlines only, no final newline, a NUL, ELF and text that
// merely says ELF, CR and bytes that are not UTF-8, a line that looks like a
// header, exactly 64 KiB and one byte more, with and without a final newline, a
// directory, a file gone; and enough small files to need two awks. It returns
// their paths, each once, one of them twice.
func oddTexts(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	files := []struct {
		name string
		data string
	}{
		{"plain.sh", "#!/bin/sh\necho hi\n"},
		{"with space %s.sh", "echo space\n"},
		{"empty.sh", ""},
		{"newlines.sh", "\n\n\n"},
		{"no-eol.sh", "echo a\necho b"},
		{"nul.sh", "echo a\x00b\necho c\n"},
		{"elf", "\x7fELF\x02\x01\x01\x00\x00\x00rest\n"},
		{"elf-text", "ELF\nnot a binary\n"},
		{"elf-late", "\nELF then text\n"},
		{"elf-short", "EL"},
		{"cr.sh", "echo a\r\necho \xff\xfe\r\n"},
		{"header.sh", "==> /etc/passwd <==\nroot:x:0:0\n"},
		{"trailing.sh", "echo a\n\n\n"},
		{"exact-eol", strings.Repeat("a", 65535) + "\n"},
		{"exact-no-eol", strings.Repeat("b", 65536)},
		{"over-eol", strings.Repeat("c", 65536) + "\n"},
		{"over-no-eol", strings.Repeat("d", 65537)},
		{"big", strings.Repeat("line of a large script\n", 5000)},
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		mustWrite(t, p, []byte(f.data))
		paths = append(paths, p)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, sub, filepath.Join(dir, "gone.sh"), paths[0])
	for i := 0; i < 70; i++ {
		p := filepath.Join(dir, fmt.Sprintf("many%02d.sh", i))
		mustWrite(t, p, []byte(fmt.Sprintf("echo %d\n", i)))
		paths = append(paths, p)
	}
	return paths
}

// _text_outs (cron-scripts) writes, with one awk for most files, exactly what
// _text_out writes file by file, under every shell: busybox's awk, which cannot
// tell a NUL, leaves every file to _text_out.
func TestTextOutsIsTextOutEach(t *testing.T) {
	paths := oddTexts(t)
	list := quoteAll(paths)
	steps := []Step{
		{Kind: Cmd, Name: "batch", Shell: "_text_outs " + list, Limit: 4 << 20, Timeout: 30},
		{Kind: Cmd, Name: "each", Shell: "for f in " + list + `; do _text_out "$f"; done`, Limit: 4 << 20, Timeout: 30},
		// awk was found to read NULs earlier in the run.
		{Kind: Cmd, Name: "known", Shell: "_bawk=y; _text_outs " + list, Limit: 4 << 20, Timeout: 30},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(steps))
			each, _ := a.Cmd("each")
			if !each.OK() || !bytes.Contains(each.Data, []byte("echo 69\n")) || !bytes.Contains(each.Data, []byte("==> "+paths[1]+" <==\necho space\n")) {
				t.Fatalf("each = %+v\n%.3000s", each, each.Data)
			}
			for _, name := range []string{"batch", "known"} {
				it, _ := a.Cmd(name)
				if !it.OK() || !bytes.Equal(it.Data, each.Data) || !bytes.Equal(it.Stderr, each.Stderr) {
					t.Errorf("%s: %s", name, firstDiff(string(it.Data), string(each.Data)))
				}
			}
		})
	}
}

// _logconfs writes, with one awk for most files, what a command substitution of
// _text_out kept of each file (NULs and trailing newlines dropped; a file of
// newlines only is its header), under every shell.
func TestLogConfsIsTextOutEach(t *testing.T) {
	paths := oddTexts(t)
	// (The step's command is one line: the list is printed, not quoted whole.)
	var lines strings.Builder
	for i, p := range paths {
		fmt.Fprintf(&lines, "printf '%%s\\t%%s\\n' %d %s; ", 100+i%3, quote(p))
	}
	fake := "_logconf_files() { " + lines.String() + "}; "
	// The reference is _logconfs' loop as it was before the awk.
	each := fake + `_o=$IFS; IFS=$_NL; for e in $(_logconf_files); do IFS=$_o; p=${e%%"$_TAB"*}; a=${e#*"$_TAB"}; ` +
		`[ -f "$a" ] && [ ! -x "$a" ] || continue; _mg=$(_text_out "$a"); [ -n "$_mg" ] && printf '==> %s %s <==\n%s\n' "$p" "$a" "${_mg#*"$_NL"}"; done`
	steps := []Step{
		{Kind: Cmd, Name: "batch", Shell: fake + "_logconfs", Limit: 4 << 20, Timeout: 30},
		{Kind: Cmd, Name: "each", Shell: each, Limit: 4 << 20, Timeout: 30},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(steps))
			want, _ := a.Cmd("each")
			if !want.OK() || !bytes.Contains(want.Data, []byte(" "+paths[2]+" <==\n==> "+paths[2]+" <==\n")) || !bytes.Contains(want.Data, []byte("echo a\n==> ")) {
				t.Fatalf("each = %s %q\n%.3000s", want.Status, want.Stderr, want.Data)
			}
			got, _ := a.Cmd("batch")
			// bash's warning of a NUL names the script's line, which is not the same.
			if !got.OK() || !bytes.Equal(got.Data, want.Data) || !bytes.Equal(scriptLine.ReplaceAll(got.Stderr, nil), scriptLine.ReplaceAll(want.Stderr, nil)) {
				t.Errorf("%s\nstderr %q, want %q", firstDiff(string(got.Data), string(want.Data)), got.Stderr, want.Stderr)
			}
		})
	}
}

// _abs_words' callers take the words that start with "/" from its sorted lines:
// the same paths, in the same order, as grep '^/' before sort gave, a file
// without a final newline running on into the next as cat made it.
func TestAbsWordsKeepsPaths(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a b"), filepath.Join(dir, "c")
	mustWrite(t, a, []byte("0 3 * * * root /usr/local/bin/x.sh --out=/var/backups/db >/dev/null 2>&1\n#/commented/still\n\x00/after-nul\xff/x /y\n/joined"))
	mustWrite(t, b, []byte("/on-next-line z /usr/local/bin/x.sh\n"))
	list := quoteAll([]string{a, b, filepath.Join(dir, "none")})
	steps := []Step{
		{Kind: Cmd, Name: "now", Shell: "set -f; IFS=$_NL; for w in $(_abs_words " + list + `); do case $w in /*) printf '%s\n' "$w" ;; esac; done`, Limit: 1 << 20, Timeout: 10},
		{Kind: Cmd, Name: "before", Shell: "cat -- " + list + ` 2>/dev/null | tr -c 'A-Za-z0-9/._+@%-' '\n' | grep '^/' | sort -u`, Limit: 1 << 20, Timeout: 10},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			ar := runProbe(t, sh, Render(steps))
			now, _ := ar.Cmd("now")
			before, _ := ar.Cmd("before")
			if !bytes.Contains(before.Data, []byte("/joined/on-next-line\n")) || !bytes.Contains(before.Data, []byte("/after-nul\n")) {
				t.Fatalf("before = %q", before.Data)
			}
			if !bytes.Equal(now.Data, before.Data) {
				t.Errorf("%s", firstDiff(string(now.Data), string(before.Data)))
			}
		})
	}
}

// _net_df runs df once: with -l when df knows it (its output and errors, and its
// status, as they were), else whole when no network filesystem is mounted, its
// usage dropped.
func TestNetDfRunsDfOnce(t *testing.T) {
	dir := t.TempDir()
	gnu := filepath.Join(dir, "gnu")
	bb := filepath.Join(dir, "bb")
	for _, d := range []string{gnu, bb} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	count := filepath.Join(dir, "runs")
	mustWrite(t, filepath.Join(gnu, "df"), []byte("#!/bin/sh\necho run >>"+count+".gnu\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\necho '/dev/sda1 100 50 50 50% /'\necho 'df: /mnt/x: Permission denied' >&2\nexit 1\n"))
	mustWrite(t, filepath.Join(bb, "df"), []byte("#!/bin/sh\necho run >>"+count+".bb\ncase \" $* \" in *' -l '*) echo 'df: unrecognized option: l' >&2; echo 'Usage: df [-PkmhT]' >&2; exit 1 ;; esac\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\necho 'rootfs 100 50 50 50% /'\n"))
	for _, d := range []string{gnu, bb} {
		if err := os.Chmod(filepath.Join(d, "df"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	step := func(name, path string) Step {
		return Step{Kind: Cmd, Name: name, Shell: "PATH=" + quote(path) + ":$PATH; _netm=; _net_df", Limit: 1 << 20, Timeout: 10}
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			if sh[0] == "busybox" {
				t.Skip("busybox sh runs its own df, not the one on PATH")
			}
			os.Remove(count + ".gnu")
			os.Remove(count + ".bb")
			a := runProbe(t, sh, Render([]Step{step("gnu", gnu), step("bb", bb)}))
			g, _ := a.Cmd("gnu")
			if g.RC != 1 || g.Text() != "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 100 50 50 50% /\n" || strings.TrimSpace(string(g.Stderr)) != "df: /mnt/x: Permission denied" {
				t.Errorf("gnu = rc %d %q %q", g.RC, g.Text(), g.Stderr)
			}
			b, _ := a.Cmd("bb")
			if b.RC != 0 || b.Text() != "Filesystem 1024-blocks Used Available Capacity Mounted on\nrootfs 100 50 50 50% /\n" || len(b.Stderr) != 0 {
				t.Errorf("bb = rc %d %q %q", b.RC, b.Text(), b.Stderr)
			}
			for suffix, want := range map[string]string{".gnu": "run\n", ".bb": "run\nrun\n"} {
				if got, _ := os.ReadFile(count + suffix); string(got) != want {
					t.Errorf("df%s ran %q, want %q", suffix, got, want)
				}
			}
		})
	}
}
