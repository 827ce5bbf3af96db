package files

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// UCF is what ucf's state files say: the package each file it manages belongs to
// (the registry), and the md5 of what it last installed for each (the hashfile).
type UCF struct {
	Package map[string]string
	MD5     map[string]string
}

// ParseUCF reads /var/lib/ucf/registry ("PACKAGE <blanks> PATH") and
// /var/lib/ucf/hashfile ("MD5  PATH").
func ParseUCF(registry, hashfile string) (UCF, error) {
	u := UCF{Package: map[string]string{}, MD5: map[string]string{}}
	var perr kit.ParseError
	for i, line := range strings.Split(registry, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case len(f) < 2 || !strings.HasPrefix(f[1], "/"):
			perr.Add(i+1, "not a registry line: %q", line)
		default:
			// A path with blanks keeps them: it is what follows the package's blanks.
			_, rest, _ := strings.Cut(strings.TrimSpace(line), f[0])
			u.Package[strings.TrimSpace(rest)] = f[0]
		}
	}
	for i, line := range strings.Split(hashfile, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		d, p, ok := strings.Cut(line, " ")
		p = strings.TrimLeft(p, " ")
		if !ok || len(d) != 32 || !isHex(d) || !strings.HasPrefix(p, "/") {
			perr.Add(i+1, "not a hashfile line: %q", line)
			continue
		}
		u.MD5[p] = d
	}
	return u, perr.Err()
}

// Script is what an install script said about paths under /etc: its lines naming
// one, and whether it takes debconf's answers.
type Script struct {
	Lines   []string
	Debconf bool
}

// Scripts are the install scripts of a files-*-scripts step, by package, and
// whether the step ran to its end.
type Scripts struct {
	ByPackage map[string]*Script
	Done      bool
}

// ParseScripts reads _files_dpkg_scripts or _files_rpm_scripts: "P\tPACKAGE", then
// "L\tLINE" lines and "C" marks for it, and "# done".
func ParseScripts(text string) (Scripts, error) {
	out := Scripts{ByPackage: map[string]*Script{}}
	var perr kit.ParseError
	var cur *Script
	for i, line := range strings.Split(text, "\n") {
		switch {
		case line == "":
		case line == "# done":
			out.Done = true
		case strings.HasPrefix(line, "P\t"):
			pkg := strings.TrimPrefix(line, "P\t")
			if out.ByPackage[pkg] == nil {
				out.ByPackage[pkg] = &Script{}
			}
			cur = out.ByPackage[pkg]
		case cur == nil:
			perr.Add(i+1, "a line before any package: %q", line)
		case line == "C":
			cur.Debconf = true
		case strings.HasPrefix(line, "L\t"):
			cur.Lines = append(cur.Lines, strings.TrimPrefix(line, "L\t"))
		default:
			perr.Add(i+1, "not a script line: %q", line)
		}
	}
	return out, perr.Err()
}

// writers are the commands whose last argument is a file they write.
var writers = map[string]bool{
	"cp": true, "mv": true, "install": true, "ln": true, "touch": true, "tee": true,
	"ucf": true, "ucfr": true, "install_from_default": true, "update_to_current_default": true,
}

// WritesTo reports whether a script's line writes the file p: p is the target of a
// redirection (> p, >> p), or the last word of a command that writes its last
// argument (cp, mv, install, ln, touch, tee, ucf, the install_from_default helpers of
// Debian's scripts), or the file sed -i or perl -i edit. A line that only reads,
// tests or removes p does not; p must be the whole word, not a prefix of another
// path.
func WritesTo(line, p string) bool {
	for _, cmd := range commands(line) {
		words := strings.Fields(cmd)
		for i, w := range words {
			if unquote(w) == p && i > 0 && (words[i-1] == ">" || words[i-1] == ">>") {
				return true
			}
			for _, op := range []string{">>", ">"} {
				if rest, ok := strings.CutPrefix(w, op); ok && unquote(rest) == p {
					return true
				}
			}
		}
		// The command's words up to its first redirection.
		args := words
		for i, w := range words {
			if strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>") || strings.HasPrefix(w, "<") || strings.HasPrefix(w, "1>") {
				args = words[:i]
				break
			}
		}
		if len(args) < 2 || unquote(args[len(args)-1]) != p {
			continue
		}
		name := args[0]
		if j := strings.LastIndexByte(name, '/'); j >= 0 {
			name = name[j+1:]
		}
		switch {
		case writers[name]:
			return true
		case name == "sed" || name == "perl":
			for _, a := range args[1:] {
				if strings.HasPrefix(a, "-i") || a == "--in-place" || strings.HasPrefix(a, "-pi") {
					return true
				}
			}
		}
	}
	return false
}

// commands splits a shell line into its simple commands at ;, &&, || and |, and
// drops the keywords that lead one (then, do, if ...). Quoting is not followed: a
// separator inside quotes only splits a command that is then not recognised.
func commands(line string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '&' || r == '|' }) {
		f := strings.Fields(part)
		for len(f) > 0 {
			switch f[0] {
			case "then", "do", "else", "if", "elif", "while", "until", "!", "{", "(":
				f = f[1:]
				continue
			}
			break
		}
		if len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}

func unquote(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, ";"), ")")
	// Debian's scripts write below $DPKG_ROOT, empty on an installed host.
	for _, root := range []string{`"$DPKG_ROOT`, `"${DPKG_ROOT}`, `$DPKG_ROOT`, `${DPKG_ROOT}`} {
		if rest, ok := strings.CutPrefix(w, root); ok {
			w = strings.TrimPrefix(root[:1], "$") + rest
			break
		}
	}
	for _, q := range []string{`"`, `'`} {
		if len(w) >= 2 && strings.HasPrefix(w, q) && strings.HasSuffix(w, q) {
			return w[1 : len(w)-1]
		}
	}
	return w
}
