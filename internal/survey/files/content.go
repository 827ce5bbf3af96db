package files

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Content is a file's redacted text, or why there is none.
type Content struct {
	Text string
	Note string
	Have bool
}

// Copy is a copy of a file's packaged version that the host keeps: its kind (see
// snapshot.ConfigBaseline), where it is, its digests ("" when not taken), and which
// of the file's lines it lacks as they are (Absent; nil when the host did not say,
// Cut when it listed only the first lines).
type Copy struct {
	Kind   string
	Path   string
	MD5    string
	SHA256 string
	Absent map[int]bool
	Cut    bool
}

// Contents is what a content step printed: the files' texts, by path, the copies
// of each file's packaged version, and whether the step ran to its end.
type Contents struct {
	Files  map[string]Content
	Copies map[string][]*Copy
	Done   bool
}

// ParseContent reads _files_content: "F\tBYTES\tPATH\n" followed by exactly BYTES
// bytes and a newline, or "N\tPATH\tREASON"; "C\tPATH\tKIND\tCOPY\tMD5\tSHA256" for
// a copy of PATH's packaged version (its text follows as an F or N record of COPY),
// "D\tPATH\tCOPY\t LINE LINE ..." for the lines of PATH that COPY lacks; and
// "# done". A record cut short by the item's limit is dropped and reported.
func ParseContent(text string) (Contents, error) {
	out := Contents{Files: map[string]Content{}, Copies: map[string][]*Copy{}}
	var perr kit.ParseError
	line := 0
	for len(text) > 0 {
		line++
		head, rest, ok := strings.Cut(text, "\n")
		if !ok {
			rest = ""
		}
		switch {
		case head == "":
		case head == "# done":
			out.Done = true
		case strings.HasPrefix(head, "N\t"):
			f := strings.SplitN(head, "\t", 3)
			if len(f) != 3 {
				perr.Add(line, "not a note line: %q", head)
				break
			}
			out.Files[f[1]] = Content{Note: f[2]}
		case strings.HasPrefix(head, "C\t"):
			f := strings.Split(head, "\t")
			if len(f) != 6 || !strings.HasPrefix(f[1], "/") || !strings.HasPrefix(f[3], "/") {
				perr.Add(line, "not a copy line: %q", head)
				break
			}
			out.Copies[f[1]] = append(out.Copies[f[1]], &Copy{Kind: f[2], Path: f[3], MD5: digestOrNone(f[4]), SHA256: digestOrNone(f[5])})
		case strings.HasPrefix(head, "D\t"):
			f := strings.SplitN(head, "\t", 4)
			c := findCopy(out.Copies, safeIndex(f, 1), safeIndex(f, 2))
			if len(f) != 4 || c == nil {
				perr.Add(line, "not a line list of a copy: %q", head)
				break
			}
			c.Absent = map[int]bool{}
			for _, w := range strings.Fields(f[3]) {
				if w == "+" {
					c.Cut = true
					continue
				}
				n, err := strconv.Atoi(w)
				if err != nil || n < 1 {
					perr.Add(line, "not a line number: %q", w)
					c.Absent = nil
					break
				}
				c.Absent[n] = true
			}
		case strings.HasPrefix(head, "F\t"):
			f := strings.SplitN(head, "\t", 3)
			n, err := strconv.Atoi(safeIndex(f, 1))
			if len(f) != 3 || err != nil || n < 0 {
				perr.Add(line, "not a content header: %q", head)
				break
			}
			if n > len(rest) {
				perr.Add(line, "the content of %s was cut short", f[2])
				out.Files[f[2]] = Content{Note: "cut short: the evidence item reached its size limit"}
				return out, perr.Err()
			}
			body := rest[:n]
			if n < len(rest) && rest[n] != '\n' {
				perr.Add(line, "the content of %s does not end where its length says", f[2])
				return out, perr.Err()
			}
			out.Files[f[2]] = Content{Text: body, Have: true}
			line += strings.Count(body, "\n") + 1
			rest = strings.TrimPrefix(rest[n:], "\n")
		default:
			perr.Add(line, "not a content record: %q", head)
		}
		text = rest
	}
	return out, perr.Err()
}

func digestOrNone(s string) string {
	if isHex(s) {
		return s
	}
	return ""
}

func findCopy(copies map[string][]*Copy, path, copy string) *Copy {
	for _, c := range copies[path] {
		if c.Path == copy {
			return c
		}
	}
	return nil
}
