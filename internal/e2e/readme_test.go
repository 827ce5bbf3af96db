package e2e

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The Japanese README is read first by the operators it is written for, so it must
// not silently fall behind the English one: the structure, every command example and
// every table are compared here, and every command either file tells a reader to type
// must exist in the binary.

const (
	readmeEN = "README.md"
	readmeJA = "README.ja.md"
)

// markdownHeading is an ATX heading outside a code block.
type markdownHeading struct {
	level int
	text  string
	line  int
}

// markdownBlock is a fenced code block: the fence's info string and the lines inside.
type markdownBlock struct {
	info string
	body []string
	line int
}

// markdownTable is a run of consecutive table lines: each row's cell count and the
// code spans in it (names, flags and keys, which a translation keeps as they are).
type markdownTable struct {
	cells []int
	spans [][]string
	line  int
}

// markdownDoc is what the two READMEs are compared on.
type markdownDoc struct {
	headings   []markdownHeading
	blocks     []markdownBlock
	tables     []markdownTable
	inlineCode []string
}

var (
	headingLine = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	inlineCode  = regexp.MustCompile("`([^`\n]+)`")
	// A trowel invocation: the word after "trowel " (also "./cmd/trowel report"), but
	// not a path such as "cmd/trowel        one file per command".
	trowelCommand = regexp.MustCompile(`(?:^|[\s/(])trowel ([a-z][a-z0-9-]*)`)
)

func parseMarkdown(text string) markdownDoc {
	var doc markdownDoc
	var block *markdownBlock
	var table *markdownTable
	endTable := func() {
		if table != nil {
			doc.tables = append(doc.tables, *table)
			table = nil
		}
	}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		if block != nil {
			if strings.HasPrefix(trimmed, "```") && strings.Trim(trimmed, "`") == "" {
				doc.blocks = append(doc.blocks, *block)
				block = nil
				continue
			}
			block.body = append(block.body, line)
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			endTable()
			block = &markdownBlock{info: strings.TrimSpace(strings.TrimLeft(trimmed, "`")), line: n}
			continue
		}
		if strings.HasPrefix(trimmed, "|") {
			if table == nil {
				table = &markdownTable{line: n}
			}
			table.cells = append(table.cells, tableCells(trimmed))
			table.spans = append(table.spans, codeSpans(trimmed))
		} else {
			endTable()
		}
		if m := headingLine.FindStringSubmatch(line); m != nil {
			doc.headings = append(doc.headings, markdownHeading{level: len(m[1]), text: m[2], line: n})
		}
		doc.inlineCode = append(doc.inlineCode, codeSpans(line)...)
	}
	endTable()
	if block != nil {
		// An unclosed fence swallows the rest of the file; keep it so the
		// comparison shows it rather than losing it.
		doc.blocks = append(doc.blocks, *block)
	}
	return doc
}

// codeSpans are the `...` spans of a line: names a translation must not touch.
func codeSpans(line string) []string {
	var spans []string
	for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
		spans = append(spans, m[1])
	}
	return spans
}

// tableCells counts a row's cells; "\|" is a pipe inside a cell, not a border.
func tableCells(row string) int {
	row = strings.ReplaceAll(row, `\|`, "")
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	return strings.Count(row, "|") + 1
}

// compareReadmes says, one message per difference, where the translation's structure,
// code blocks or tables are out of step with the original.
func compareReadmes(en, ja markdownDoc) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }

	levelCount := func(hs []markdownHeading) map[int]int {
		m := map[int]int{}
		for _, h := range hs {
			m[h.level]++
		}
		return m
	}
	enLevels, jaLevels := levelCount(en.headings), levelCount(ja.headings)
	for level := 1; level <= 6; level++ {
		if enLevels[level] != jaLevels[level] {
			add("level-%d headings: %s has %d, %s has %d", level, readmeEN, enLevels[level], readmeJA, jaLevels[level])
		}
	}
	// Past the first heading out of place every later one is shifted too, so only
	// the first is named.
	for i := 0; i < max(len(en.headings), len(ja.headings)); i++ {
		switch {
		case i >= len(en.headings):
			h := ja.headings[i]
			add("heading %d: %s has no more headings, %s has level %d %q (line %d)", i+1, readmeEN, readmeJA, h.level, h.text, h.line)
		case i >= len(ja.headings):
			h := en.headings[i]
			add("heading %d: %s has level %d %q (line %d), %s has no more headings", i+1, readmeEN, h.level, h.text, h.line, readmeJA)
		case en.headings[i].level != ja.headings[i].level:
			e, j := en.headings[i], ja.headings[i]
			add("heading %d: %s has level %d (%q, line %d), %s has level %d (%q, line %d)",
				i+1, readmeEN, e.level, e.text, e.line, readmeJA, j.level, j.text, j.line)
		default:
			continue
		}
		break
	}

	if len(en.blocks) != len(ja.blocks) {
		add("code blocks: %s has %d, %s has %d", readmeEN, len(en.blocks), readmeJA, len(ja.blocks))
	}
	for i := 0; i < min(len(en.blocks), len(ja.blocks)); i++ {
		e, j := en.blocks[i], ja.blocks[i]
		where := fmt.Sprintf("code block %d (%s line %d, %s line %d)", i+1, readmeEN, e.line, readmeJA, j.line)
		if e.info != j.info {
			add("%s: %s's fence says %q, %s's says %q", where, readmeEN, e.info, readmeJA, j.info)
		}
		for k := 0; k < max(len(e.body), len(j.body)); k++ {
			el, jl := lineAt(e.body, k), lineAt(j.body, k)
			if el != jl {
				add("%s: line %d of the block differs:\n\t%s: %s\n\t%s: %s", where, k+1, readmeEN, el, readmeJA, jl)
				break
			}
		}
	}

	if len(en.tables) != len(ja.tables) {
		add("tables: %s has %d, %s has %d", readmeEN, len(en.tables), readmeJA, len(ja.tables))
	}
	for i := 0; i < min(len(en.tables), len(ja.tables)); i++ {
		e, j := en.tables[i], ja.tables[i]
		where := fmt.Sprintf("table %d (%s line %d, %s line %d)", i+1, readmeEN, e.line, readmeJA, j.line)
		if len(e.cells) != len(j.cells) {
			add("%s: %s has %d rows, %s has %d", where, readmeEN, len(e.cells), readmeJA, len(j.cells))
		}
		for r := 0; r < min(len(e.cells), len(j.cells)); r++ {
			if e.cells[r] != j.cells[r] {
				// An unescaped "|" in a translated cell splits it in two.
				add("%s, row %d (%s line %d): %s has %d cells, %s has %d",
					where, r+1, readmeJA, j.line+r, readmeEN, e.cells[r], readmeJA, j.cells[r])
			}
			if only := spanDifference(e.spans[r], j.spans[r]); only != "" {
				add("%s, row %d (%s line %d): %s", where, r+1, readmeJA, j.line+r, only)
			}
		}
	}

	// Word order moves code spans around a translated paragraph, but every name, flag
	// and path of the original must still be there, as often.
	if only := spanDifference(en.inlineCode, ja.inlineCode); only != "" {
		add("code spans in the text: %s", only)
	}
	return diffs
}

// spanDifference names the code spans one side has more often than the other, or
// says nothing when both hold the same ones.
func spanDifference(en, ja []string) string {
	count := map[string]int{}
	for _, s := range en {
		count[s]++
	}
	for _, s := range ja {
		count[s]--
	}
	var onlyEN, onlyJA []string
	for s, n := range count {
		for ; n > 0; n-- {
			onlyEN = append(onlyEN, "`"+s+"`")
		}
		for ; n < 0; n++ {
			onlyJA = append(onlyJA, "`"+s+"`")
		}
	}
	sort.Strings(onlyEN)
	sort.Strings(onlyJA)
	var parts []string
	if len(onlyEN) > 0 {
		parts = append(parts, fmt.Sprintf("only in %s: %s", readmeEN, strings.Join(onlyEN, " ")))
	}
	if len(onlyJA) > 0 {
		parts = append(parts, fmt.Sprintf("only in %s: %s", readmeJA, strings.Join(onlyJA, " ")))
	}
	return strings.Join(parts, "; ")
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of block)"
}

// mentionedCommands lists the trowel subcommands a reader is shown, in code spans and
// code blocks, each with where it was seen.
func mentionedCommands(doc markdownDoc) map[string]string {
	found := map[string]string{}
	note := func(text, where string) {
		for _, m := range trowelCommand.FindAllStringSubmatch(text, -1) {
			if _, seen := found[m[1]]; !seen {
				found[m[1]] = where
			}
		}
	}
	for _, c := range doc.inlineCode {
		note(c, fmt.Sprintf("`%s`", c))
	}
	for _, b := range doc.blocks {
		for k, l := range b.body {
			note(l, fmt.Sprintf("code block at line %d: %s", b.line+1+k, strings.TrimSpace(l)))
		}
	}
	return found
}

// availableCommands reads the "Available Commands:" list of cobra's help.
func availableCommands(help string) []string {
	var cmds []string
	in := false
	for _, l := range strings.Split(help, "\n") {
		switch {
		case strings.TrimSpace(l) == "Available Commands:":
			in = true
		case in && strings.TrimSpace(l) == "":
			return cmds
		case in:
			cmds = append(cmds, strings.Fields(l)[0])
		}
	}
	return cmds
}

func readReadme(t *testing.T, name string) markdownDoc {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return parseMarkdown(string(b))
}

func TestReadmeTranslationInStep(t *testing.T) {
	en, ja := readReadme(t, readmeEN), readReadme(t, readmeJA)
	if len(en.headings) == 0 || len(en.blocks) == 0 || len(en.tables) == 0 {
		t.Fatalf("%s parsed to %d headings, %d code blocks, %d tables: the parser no longer reads it",
			readmeEN, len(en.headings), len(en.blocks), len(en.tables))
	}
	for _, d := range compareReadmes(en, ja) {
		t.Error(d)
	}
	if !linksTo(t, readmeJA, readmeEN) {
		t.Errorf("%s does not link back to %s", readmeJA, readmeEN)
	}
	if !linksTo(t, readmeEN, readmeJA) {
		t.Errorf("%s does not link to %s", readmeEN, readmeJA)
	}
}

func linksTo(t *testing.T, from, to string) bool {
	t.Helper()
	b, err := os.ReadFile("../../" + from)
	if err != nil {
		t.Fatalf("%s: %v", from, err)
	}
	return strings.Contains(string(b), "]("+to+")")
}

func TestReadmeCommandsExist(t *testing.T) {
	bin := trowelBinary(t)
	code, help := runTrowel(t, bin, "--help")
	if code != 0 {
		t.Fatalf("trowel --help: exit %d\n%s", code, help)
	}
	real := availableCommands(help)
	if len(real) == 0 {
		t.Fatalf("no \"Available Commands:\" in trowel --help:\n%s", help)
	}
	for _, name := range []string{readmeEN, readmeJA} {
		mentioned := mentionedCommands(readReadme(t, name))
		if len(mentioned) == 0 {
			t.Errorf("%s: no `trowel <command>` found; the scan no longer reads it", name)
		}
		var names []string
		for c := range mentioned {
			names = append(names, c)
		}
		sort.Strings(names)
		for _, c := range names {
			if !slices.Contains(real, c) {
				t.Errorf("%s mentions `trowel %s` (%s), but trowel has no such command (it has: %s)",
					name, c, mentioned[c], strings.Join(real, ", "))
			}
		}
	}
}

// The comparison itself must catch each kind of drift, or the test above would pass
// on a translation that has fallen behind.
func TestCompareReadmesNamesEachDifference(t *testing.T) {
	original := "# t\n\n## A\n\n```sh\ntrowel survey x\n```\n\n| a | b |\n|---|---|\n| `x\\|y` | z |\n\n### B\n\n## C\n"
	cases := []struct {
		name, translation, want string
	}{
		{"same", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x\\|y` | う |\n\n### い\n\n## う\n", ""},
		{"heading level", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x\\|y` | う |\n\n## い\n\n## う\n",
			`heading 3: README.md has level 3 ("B", line 13), README.ja.md has level 2 ("い", line 13)`},
		{"heading missing", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x\\|y` | う |\n\n### い\n",
			`heading 4: README.md has level 2 "C" (line 15), README.ja.md has no more headings`},
		{"code changed", "# t\n\n## あ\n\n```sh\ntrowel survey y\n```\n\n| あ | い |\n|---|---|\n| `x\\|y` | う |\n\n### い\n\n## う\n",
			"code block 1 (README.md line 5, README.ja.md line 5): line 1 of the block differs:\n\tREADME.md: trowel survey x\n\tREADME.ja.md: trowel survey y"},
		{"fence info", "# t\n\n## あ\n\n```\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x\\|y` | う |\n\n### い\n\n## う\n",
			`code block 1 (README.md line 5, README.ja.md line 5): README.md's fence says "sh", README.ja.md's says ""`},
		{"row missing", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n\n### い\n\n## う\n",
			"table 1 (README.md line 9, README.ja.md line 9): README.md has 3 rows, README.ja.md has 2"},
		{"span renamed", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x\\|z` | う |\n\n### い\n\n## う\n",
			"table 1 (README.md line 9, README.ja.md line 9), row 3 (README.ja.md line 11): only in README.md: `x\\|y`; only in README.ja.md: `x\\|z`"},
		{"cell split", "# t\n\n## あ\n\n```sh\ntrowel survey x\n```\n\n| あ | い |\n|---|---|\n| `x|y` | う |\n\n### い\n\n## う\n",
			"table 1 (README.md line 9, README.ja.md line 9), row 3 (README.ja.md line 11): README.md has 2 cells, README.ja.md has 3"},
	}
	for _, c := range cases {
		got := compareReadmes(parseMarkdown(original), parseMarkdown(c.translation))
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%s: want no difference, got %q", c.name, got)
		case c.want != "" && !slices.Contains(got, c.want):
			t.Errorf("%s: want %q among %q", c.name, c.want, got)
		}
	}
}

func TestMentionedCommands(t *testing.T) {
	doc := parseMarkdown("Run `trowel verify X` or `trowel-lab`.\n\n```\ngo run ./cmd/trowel report local\ncmd/trowel        one file per command\ntrowel codfy x\n```\n")
	got := mentionedCommands(doc)
	var names []string
	for c := range got {
		names = append(names, c)
	}
	sort.Strings(names)
	if want := []string{"codfy", "report", "verify"}; !slices.Equal(names, want) {
		t.Errorf("commands %v, want %v", names, want)
	}
	help := "Usage:\n  trowel [command]\n\nAvailable Commands:\n  diff        Compare\n  help        Help\n\nFlags:\n  -h, --help\n"
	if got := availableCommands(help); !slices.Equal(got, []string{"diff", "help"}) {
		t.Errorf("available commands %v", got)
	}
}
