package ansible

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A value too long for ansible-lint's line is written folded, and reads back
// as the same string; one that would not read back the same stays on its line.
func TestLongValuesFoldAndReadBack(t *testing.T) {
	long := "fluentd, which ships the logs to their collector (on the source: fluentd, fluentd 1.16.5 by gem install (/var/lib/gems/2.7.0/gems/fluentd-1.16.5)). {{ x }} #1: done"
	for _, v := range []string{
		long,
		strings.Repeat("word ", 60) + "end",
		strings.Repeat("x", 200), // no space to fold at
		"two  spaces " + strings.Repeat("abc ", 50), // a run of spaces would read back as one
		"- starts with a dash, " + strings.Repeat("and goes on ", 20) + "to the end",
	} {
		doc := Document("", M{{K: "galaxy_info", V: M{{K: "description", V: v}}}})
		var got struct {
			Info struct {
				Description string `yaml:"description"`
			} `yaml:"galaxy_info"`
		}
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if got.Info.Description != v {
			t.Errorf("read back %q, wrote %q:\n%s", got.Info.Description, v, doc)
		}
		foldable := !strings.Contains(v, "  ") && strings.Contains(v, " ")
		for _, l := range strings.Split(doc, "\n") {
			if len(l) > lineWidth && foldable {
				t.Errorf("a line of %d characters:\n%s", len(l), doc)
			}
		}
	}
}
