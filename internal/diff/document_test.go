package diff

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func renderMarkdown(w io.Writer, r Result, lang string) error {
	return report.Markdown(w, Document(r, lang, t1))
}

// migration is the case the golden reports show: centos5 rebuilt on Debian 12
// without the log shipper, without deploy's crontab, with cron firing in UTC, a
// new listener open to all, and sudoers not read on NEW.
func migration(t testing.TB) Result {
	old := centos5()
	new := debian12(t)
	new.Logs.Shippers = nil
	new.Services = new.Services[:3]
	new.Processes = new.Processes[:4]
	new.Network.Connections = nil
	new.CronJobs = append(new.CronJobs[:2], new.CronJobs[3])
	new.CronJobs[1].Zone = "UTC"
	new.CronJobs[1].ZoneNote = "cron started before /etc/localtime changed"
	new.Time.StaleDaemons = []snapshot.StaleDaemon{{PID: 650, Command: "/usr/sbin/cron -f", Started: t1}}
	new.Listeners = append(new.Listeners, snapshot.Listener{Proto: "tcp", Address: "0.0.0.0", Port: 8080, Process: "java", Evidence: "cmd:ss"})
	new.Accounts.Sudo = nil
	new.Coverage[snapshot.SectionSudo] = snapshot.Coverage{Status: snapshot.Denied, Reason: "/etc/sudoers is readable by root only and the probe ran without sudo"}
	return Compare(old, new)
}

func TestGoldenMarkdown(t *testing.T) {
	r := migration(t)
	for _, lang := range []string{"en", "ja"} {
		var buf bytes.Buffer
		if err := renderMarkdown(&buf, r, lang); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "migration."+lang+".md")
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/diff -run Golden -update)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from the golden file (go test ./internal/diff -run Golden -update, then review the diff):\n%s", golden, buf.String())
		}
	}
}

// TestMigrationFirstRows is what the golden file shows, asserted: the shipper,
// the cron job and the zone come first.
func TestMigrationFirstRows(t *testing.T) {
	r := migration(t)
	var got []string
	for _, d := range r.Differences[:4] {
		got = append(got, string(d.Kind)+" "+string(d.Concern)+" "+d.Item)
	}
	want := []string{
		"missing log_shippers td-agent",
		"missing cron deploy: */5 * * * * /home/deploy/bin/sync.sh",
		"missing services td-agent",
		"missing connections tcp 10.0.0.40:24224 (fluentd forward)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("first rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	zone := false
	for _, d := range r.Differences {
		if d.Kind == Changed && d.Concern == ConcernCron && d.Field == "zone" && d.New == "UTC" {
			zone = true
		}
	}
	if !zone {
		t.Errorf("the job firing in UTC on NEW is not reported:%s", describe(r.Differences))
	}
}

func TestJapaneseLeavesNoEnglishLabel(t *testing.T) {
	var buf bytes.Buffer
	if err := renderMarkdown(&buf, migration(t), "ja"); err != nil {
		t.Fatal(err)
	}
	for k, en := range labels["en"] {
		if labels["ja"][k] == en || len(en) < 8 {
			continue // the same word in both (MPM, TLS), or too short to tell
		}
		if strings.Contains(buf.String(), en) {
			t.Errorf("Japanese report says %q (%s) in English", en, k)
		}
	}
}
