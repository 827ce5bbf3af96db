package report

import (
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// logsSection shows where logs go: shippers and their destinations (a shipper
// forgotten on the new host loses logs silently), the largest files, and rotation.
var logsSection = handoverSection{
	id: "logs", title: "sec.logs", intro: "intro.logs",
	reads: []snapshot.Section{snapshot.SectionLogs, snapshot.SectionShippers},
	build: (*builder).logs,
}

func (b *builder) logs(sec *Section) {
	l := b.s.Logs
	sh := b.table(b.t("tbl.shippers"), col(b.t("col.name")), col(b.t("col.running")), codeCol(b.t("col.destinations")),
		codeCol(b.t("col.inputs")), codeCol(b.t("col.configs")), col(b.t("col.service")))
	for _, x := range l.Shippers {
		var to []string
		for _, d := range x.Destinations {
			e := destination(d)
			if d.Source != "" {
				e += " @ " + d.Source
			}
			to = append(to, e)
		}
		name := x.Name
		if sw := x.Software; sw != nil {
			name += " " + b.t("logs.software", sw.Label(), b.kind("sw."+sw.Installer))
		}
		sh.Rows = append(sh.Rows, row(c(name), c(b.yesNo(x.Running)), c(strings.Join(to, "; ")), c(join(x.Inputs)), c(join(x.Configs)), c(x.Service)))
	}
	sh.Empty = b.empty(b.t("none.shippers"), snapshot.SectionShippers)
	sec.Blocks = append(sec.Blocks, sh)

	files := append([]snapshot.LogFile(nil), l.Files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Bytes > files[j].Bytes })
	ft := b.table(b.t("tbl.logfiles"), codeCol(b.t("col.path")), numCol(b.t("col.size")), col(b.t("col.modified")), codeCol(b.t("col.rotated_by")))
	if len(files) > logFilesShown {
		ft.Explain += " " + b.t("tbl.logfiles.largest", logFilesShown, len(files))
		files = files[:logFilesShown]
	}
	for _, f := range files {
		ft.Rows = append(ft.Rows, row(c(f.Path), b.cbytes(f.Bytes), b.ctime(f.Modified), c(f.RotatedBy)))
	}
	var unrotated []string
	for _, f := range l.Files {
		if f.Unrotated {
			unrotated = append(unrotated, f.Path)
		}
	}
	ft.Empty = b.empty(b.t("none.logfiles"), snapshot.SectionLogs)
	rot := b.table(b.t("tbl.rotation"), codeCol(b.t("col.paths")), col(b.t("col.frequency")), numCol(b.t("col.keep")), col(b.t("col.compress")), codeCol(b.t("col.where")))
	for _, r := range l.Rotation {
		comp := ""
		if r.Compress {
			comp = b.t("val.yes")
		}
		rot.Rows = append(rot.Rows, row(c(join(r.Paths)), c(r.Frequency), cnCount(r.Rotate), c(comp), c(r.Source)))
	}
	rot.Empty = b.empty(b.t("none.rotation"), snapshot.SectionLogs)
	sec.Blocks = append(sec.Blocks, ft, rot)
	if len(unrotated) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("logs.unrotated", join(unrotated))})
	}
}

// logFilesShown bounds the log table: the largest files are the ones a migration
// must plan for; the rest are in the snapshot.
const logFilesShown = 25
