package survey

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A credential the probe let through (an older probe, a shape it did not know) is
// masked before any surveyor reads it, the snapshot says where, a content item still
// parses, the archive given is left as it was, and the kept evidence is masked the same
// way.
func TestSecretsAreMaskedBeforeTheSurvey(t *testing.T) {
	const token = "ghp_Kq8vN2xR7tLm4pWz9sYc3bHd6fJg1aE5uQ0o"
	cron := "MAILTO=root\n*/5 * * * * deploy GH=" + token + " /usr/local/bin/mirror\n"
	content := "F\t" + itoa(len(cron)) + "\t/etc/cron.d/mirror\n" + cron + "\nN\t/etc/shadow\tsecret\n# done\n"
	var raw bytes.Buffer
	w := evidence.NewWriter(&raw)
	w.Header(map[string]string{"probe": "1", "uid": "0"}, "probe", "uid")
	w.Item(&evidence.Item{Kind: evidence.KindList, Name: "/etc/cron.d", Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte("f\tmirror\n")})
	w.Item(&evidence.Item{Kind: evidence.KindFile, Name: "/etc/cron.d/mirror", Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(cron)})
	w.Item(&evidence.Item{Kind: evidence.KindCmd, Name: "files-dpkg-content", Command: "_files_dpkg_content 65536 300", Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(content)})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(raw.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s := Run(a, snapshot.Source{Kind: "bundle"}, raw.Bytes())
	if want := "1 value that looked like a secret was masked in /etc/cron.d/mirror"; !strings.Contains(strings.Join(s.Source.Notes, "\n"), want) || countOf(s.Source.Notes, want) != 1 {
		t.Errorf("notes = %q", s.Source.Notes)
	}
	for _, j := range s.CronJobs {
		if strings.Contains(j.Command, token) {
			t.Errorf("the token reached the snapshot: %s", j.Command)
		}
	}
	if len(s.CronJobs) == 0 {
		t.Error("no cron job read")
	}
	if it, _ := a.File("/etc/cron.d/mirror"); !strings.Contains(it.Text(), token) {
		t.Error("the archive given was changed")
	}
	kept, notes := MaskEvidence(raw.Bytes())
	if bytes.Contains(kept, []byte(token)) || len(notes) != 1 {
		t.Errorf("kept evidence: notes %q\n%s", notes, kept)
	}
	b, err := evidence.DecodeBytes(kept)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := b.Cmd("files-dpkg-content")
	masked := strings.Replace(cron, token, "<redacted>", 1)
	if want := "F\t" + itoa(len(masked)) + "\t/etc/cron.d/mirror\n" + masked + "\nN\t/etc/shadow\tsecret\n# done\n"; it.Text() != want {
		t.Errorf("content item:\n%q\nwant\n%q", it.Text(), want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func countOf(xs []string, x string) (n int) {
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
