package report

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// cronSection lists every scheduled job with the zone it really fires in: the
// zone decides the hour, and a crond that missed a zone change fires hours off.
var cronSection = handoverSection{
	id: "cron", title: "sec.cron", intro: "intro.cron",
	reads: []snapshot.Section{snapshot.SectionCron},
	build: (*builder).cron,
}

func (b *builder) cron(sec *Section) {
	t := b.table(b.t("tbl.cron"),
		codeCol(b.t("col.where")), col(b.t("col.user")), codeCol(b.t("col.schedule")), codeCol(b.t("col.command")),
		col(b.t("col.zone")), col(b.t("col.next_run")), col(b.t("col.mail_to")), col(b.t("col.note")))
	// A zone note usually applies to every job (a stale crond); it is said once,
	// under the table, and each row points at it.
	var notes []string
	noteNo := map[string]int{}
	for _, j := range b.s.CronJobs {
		where := j.Source
		if j.Line > 0 {
			where += ":" + strconv.Itoa(j.Line)
		}
		zone := cmp.Or(j.Zone, b.t("val.unknown"))
		if j.ZoneNote != "" {
			n, ok := noteNo[j.ZoneNote]
			if !ok {
				notes = append(notes, j.ZoneNote)
				n = len(notes)
				noteNo[j.ZoneNote] = n
			}
			zone += " " + b.t("val.see_note", n)
		}
		next := Cell{}
		if len(j.NextRuns) > 0 {
			next = Cell{Text: inZone(j.NextRuns[0], j.Zone), Sort: j.NextRuns[0].UTC().Format(time.RFC3339)}
		}
		mail := j.MailTo
		if v, ok := j.Env["MAILTO"]; ok && v == "" {
			mail = b.t("val.discarded")
		}
		note := j.Note
		if j.Disabled {
			note = strings.TrimSpace(b.t("val.disabled") + " " + note)
		}
		t.Rows = append(t.Rows, row(c(where), c(j.User), c(j.Schedule), c(j.Command), c(zone), next, c(mail), c(note)))
	}
	t.Empty = b.empty(b.t("none.cron"), snapshot.SectionCron)
	sec.Blocks = append(sec.Blocks, t)
	if len(notes) > 0 {
		items := make([]string, len(notes))
		for i, n := range notes {
			items[i] = b.t("val.note_n", i+1, n)
		}
		sec.Blocks = append(sec.Blocks, &List{Items: items})
	}
}
