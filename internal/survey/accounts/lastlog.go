package accounts

import (
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// LastLogin is one account's line of lastlog(8).
type LastLogin struct {
	User  string
	Port  string
	From  string
	Time  *time.Time // nil: never logged in
	Zoned bool       // the time carried its UTC offset; else it is the host's local time read as UTC
	Line  int
}

var lastlogLayouts = []struct {
	fields int
	layout string
	zoned  bool
}{
	{6, "Mon Jan 2 15:04:05 -0700 2006", true}, // shadow-utils 4.x: Debian, RHEL 5 onwards
	{5, "Mon Jan 2 15:04:05 2006", false},      // older lastlog without %z
}

// ParseLastlog reads lastlog(8) output. The Port and From columns may each be empty,
// so a lone token between the name and the time is placed by the header's columns.
func ParseLastlog(text string) ([]LastLogin, error) {
	var out []LastLogin
	var perr kit.ParseError
	fromCol := 26 // "Username         Port     From" with 16+1 and 8+1 wide columns
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "Username") {
			if c := strings.Index(line, "From"); c > 0 {
				fromCol = c
			}
			continue
		}
		f := kit.FieldsN(line, 64)
		if len(f) == 0 {
			continue
		}
		ll := LastLogin{User: f[0].Text, Line: i + 1}
		if strings.Contains(line, "Never logged in**") {
			out = append(out, ll)
			continue
		}
		parsed := false
		for _, l := range lastlogLayouts {
			if len(f) < 1+l.fields {
				continue
			}
			var words []string
			for _, x := range f[len(f)-l.fields:] {
				words = append(words, x.Text)
			}
			t, err := time.Parse(l.layout, strings.Join(words, " "))
			if err != nil {
				continue
			}
			t = t.UTC()
			ll.Time, ll.Zoned = &t, l.zoned
			mid := f[1 : len(f)-l.fields]
			switch len(mid) {
			case 0:
			case 1:
				if mid[0].Off >= fromCol {
					ll.From = mid[0].Text
				} else {
					ll.Port = mid[0].Text
				}
			default:
				ll.Port = mid[0].Text
				ll.From = line[mid[1].Off : mid[len(mid)-1].Off+len(mid[len(mid)-1].Text)]
			}
			parsed = true
			break
		}
		if !parsed {
			perr.Add(i+1, "no time this trowel can read")
			continue
		}
		out = append(out, ll)
	}
	return out, perr.Err()
}
