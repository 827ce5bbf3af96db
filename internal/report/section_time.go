package report

import (
	"cmp"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// timeSection shows the configured zone, clock synchronisation, and daemons still
// running in the zone they started with.
var timeSection = handoverSection{
	id: "time", title: "sec.time", intro: "intro.time",
	reads: []snapshot.Section{snapshot.SectionTime},
	build: (*builder).timekeeping,
}

func (b *builder) timekeeping(sec *Section) {
	tm := b.s.Time
	changed := ""
	if tm.LocaltimeChanged != nil {
		changed = b.when(*tm.LocaltimeChanged)
	}
	ntp := tm.NTP.Daemon
	if ntp != "" {
		// The daemon's run state in the words, and with the claim, a service's has.
		st := b.s.StateOf(snapshot.Service{Running: tm.NTP.Running, Evidence: tm.NTP.Evidence})
		ntp += ", " + b.claimRun("time.ntp", st, b.runWords(st))
		if tm.NTP.Synchronized != nil {
			ntp += ", " + b.t("val.synced_is", b.yesNo(tm.NTP.Synchronized))
		}
	} else {
		ntp = b.none(snapshot.SectionTime)
	}
	// The cron daemon's TZ is read from its process: without the processes,
	// no TZ found says nothing.
	cronTZ := tm.CronTZ
	if cronTZ == "" {
		cronTZ = b.none(snapshot.SectionTime, snapshot.SectionProcesses)
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: nonEmpty([]Pair{
		{b.t("time.zone"), cmp.Or(tm.Zone, b.t("val.unknown"))},
		{b.t("time.source"), tm.ZoneSource},
		{b.t("time.offset"), tm.UTCOffset},
		{b.t("time.changed"), changed},
		{b.t("time.cron_tz"), cronTZ},
		{b.t("time.ntp"), ntp},
		{b.t("time.servers"), join(tm.NTP.Servers)},
	})})
	if len(tm.Notes) > 0 {
		sec.Blocks = append(sec.Blocks, &List{Items: tm.Notes})
	}
	st := b.table(b.t("tbl.stale"), numCol("PID"), codeCol(b.t("col.command")), col(b.t("col.service")), col(b.t("col.started")), col(b.t("col.runs_in")))
	for _, d := range tm.StaleDaemons {
		started := d.Started
		st.Rows = append(st.Rows, row(cn(d.PID), c(d.Command), c(d.Service), b.ctime(&started), c(cmp.Or(d.Zone, b.t("val.zone_at_start")))))
	}
	st.Empty = b.empty(b.t("none.stale"), snapshot.SectionTime)
	sec.Blocks = append(sec.Blocks, st)
}
