package verify

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Formats are the output formats Write knows.
var Formats = []string{"human", "json", "junit", "tap"}

// Write prints r in a format.
func Write(w io.Writer, r Result, format string) error {
	switch format {
	case "human":
		return Human(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "junit":
		return JUnit(w, r)
	case "tap":
		return TAP(w, r)
	}
	return fmt.Errorf("unknown format %q", format)
}

// Human prints failures first, each with what was expected, what was found and what
// to do; then what could not be checked; passes are counted, not listed.
func Human(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "verify %s against %s: %d passed, %d failed, %d skipped\n", r.Target, r.Source, r.Pass, r.Fail, r.Skip)
	if r.Ledger {
		fmt.Fprintf(&b, "against the migration ledger: %d unexpected, %d expected (still to do)\n", r.Unexpected, r.Fail-r.Unexpected)
	}
	failures := func(title string, expected bool) {
		first := true
		for _, c := range r.Checks {
			if c.Status != Fail || (c.Expected != nil) != expected {
				continue
			}
			if first {
				b.WriteString("\n" + title + "\n")
				first = false
			}
			fmt.Fprintf(&b, "  ✗ %s\n    %s\n", c.ID, c.Message)
			if c.Expected != nil {
				fmt.Fprintf(&b, "    %s\n", c.Expected)
				continue
			}
			if r.Ledger {
				b.WriteString("    unexpected: the ledger does not list it as still to do\n")
			}
			for _, f := range c.Found {
				fmt.Fprintf(&b, "    found: %s\n", f)
			}
			if c.Fix != "" {
				fmt.Fprintf(&b, "    fix:   %s\n", c.Fix)
			}
		}
	}
	if r.Ledger {
		failures("UNEXPECTED", false)
		failures("EXPECTED (the cutover checklist's, still to do)", true)
	} else {
		failures("FAILED", false)
	}
	if r.Skip > 0 {
		b.WriteString("\nNOT CHECKED (unknown, neither passed nor failed)\n")
		for _, c := range r.Checks {
			if c.Status == Skipped {
				fmt.Fprintf(&b, "  ? %s: %s\n", c.ID, c.Message)
			}
		}
	}
	if r.Fail == 0 {
		b.WriteString("\nall expectations met\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Compact is the one-screen view of --watch: the counts and the failing IDs.
func Compact(w io.Writer, r Result, round int, elapsed string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s, round %d] %s: %d passed, %d failed, %d skipped\n", elapsed, round, r.Target, r.Pass, r.Fail, r.Skip)
	for _, c := range r.Checks {
		switch {
		case c.Status == Fail && c.Expected != nil:
			fmt.Fprintf(&b, "  · %s: %s\n", c.ID, c.Expected)
		case c.Status == Fail:
			fmt.Fprintf(&b, "  ✗ %s: %s\n", c.ID, firstClause(c.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func firstClause(s string) string {
	if i := strings.Index(s, ": expected"); i > 0 {
		return s[:i]
	}
	return s
}

// TAP prints the Test Anything Protocol, version 13, with the evidence of a failure
// as a YAML diagnostic block.
func TAP(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "TAP version 13\n1..%d\n", len(r.Checks))
	for i, c := range r.Checks {
		switch c.Status {
		case Pass:
			fmt.Fprintf(&b, "ok %d - %s\n", i+1, tapText(c.ID))
		case Skipped:
			fmt.Fprintf(&b, "ok %d - %s # SKIP %s\n", i+1, tapText(c.ID), tapText(c.Message))
		default:
			todo := ""
			if c.Expected != nil {
				// TAP's TODO: a failure the plan expects, which does not fail the run.
				todo = " # TODO " + tapText(c.Expected.String())
			}
			fmt.Fprintf(&b, "not ok %d - %s%s\n  ---\n  message: %s\n", i+1, tapText(c.ID), todo, yamlQuote(c.Message))
			if len(c.Found) > 0 {
				b.WriteString("  found:\n")
				for _, f := range c.Found {
					fmt.Fprintf(&b, "    - %s\n", yamlQuote(f))
				}
			}
			if c.Fix != "" {
				fmt.Fprintf(&b, "  fix: %s\n", yamlQuote(c.Fix))
			}
			fmt.Fprintf(&b, "  from: %s\n  ...\n", yamlQuote(c.From.Where()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tapText keeps a description on one line and free of the directive marker.
func tapText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "#", `\#`)
}

// yamlQuote writes a JSON string, which is a valid YAML double-quoted scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Hostname  string      `xml:"hostname,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit prints JUnit XML: one testsuite per expectation kind, one testcase per
// expectation, valid against the junit-10.xsd kept in testdata.
func JUnit(w io.Writer, r Result) error {
	root := junitSuites{Name: "trowel verify " + r.Target + " against " + r.Source}
	idx := map[string]int{}
	for _, c := range r.Checks {
		i, ok := idx[string(c.Kind)]
		if !ok {
			i = len(root.Suites)
			idx[string(c.Kind)] = i
			root.Suites = append(root.Suites, junitSuite{Name: string(c.Kind), Time: "0", Hostname: r.Target})
		}
		s := &root.Suites[i]
		tc := junitCase{Name: c.ID, ClassName: "trowel.verify." + string(c.Kind), Time: "0"}
		switch {
		case c.Status == Fail && c.Expected != nil:
			tc.Skipped = &junitSkipped{Message: c.Expected.String() + ": " + firstClause(c.Message)}
			s.Skipped++
		case c.Status == Fail:
			text := c.Message
			for _, f := range c.Found {
				text += "\nfound: " + f
			}
			if c.Fix != "" {
				text += "\nfix: " + c.Fix
			}
			tc.Failure = &junitFailure{Message: firstClause(c.Message), Type: string(c.Kind), Text: text}
			s.Failures++
			root.Failures++
		case c.Status == Skipped:
			tc.Skipped = &junitSkipped{Message: c.Message}
			s.Skipped++
		default:
			tc.SystemOut = c.Message
		}
		s.Tests++
		root.Tests++
		s.Cases = append(s.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
