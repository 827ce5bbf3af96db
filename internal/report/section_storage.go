package report

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// storageSection shows where data lives and how big it is: what a migration must
// move.
var storageSection = handoverSection{
	id: "storage", title: "sec.storage", intro: "intro.storage",
	reads: []snapshot.Section{snapshot.SectionStorage},
	build: (*builder).storage,
}

func (b *builder) storage(sec *Section) {
	st := b.s.Storage
	mounts := b.table(b.t("tbl.mounts"), codeCol(b.t("col.mount_point")), codeCol(b.t("col.device")), col(b.t("col.fstype")),
		numCol(b.t("col.size")), numCol(b.t("col.used")), numCol(b.t("col.used_pct")), col(b.t("col.network")))
	for _, m := range st.Mounts {
		pct := Cell{}
		if m.UsedPct != nil {
			pct = Cell{Text: strconv.Itoa(*m.UsedPct) + "%", Sort: strconv.Itoa(*m.UsedPct)}
		}
		netw := ""
		if m.Network {
			netw = b.t("val.yes")
		}
		mounts.Rows = append(mounts.Rows, row(c(m.MountPoint), c(m.Device), c(m.FSType), b.cbytesp(m.SizeBytes), b.cbytesp(m.UsedBytes), pct, c(netw)))
	}
	mounts.Empty = b.empty(b.t("none.mounts"), snapshot.SectionStorage)
	fstab := b.table(b.t("tbl.fstab"), codeCol(b.t("col.device")), codeCol(b.t("col.mount_point")), col(b.t("col.fstype")), codeCol(b.t("col.options")),
		col(b.t("col.state")), numCol(b.t("col.line")))
	for _, f := range st.Fstab {
		state := b.t("val.mounted_is", b.yesNo(f.Mounted))
		if f.Commented {
			state = b.t("val.commented_out")
		}
		fstab.Rows = append(fstab.Rows, row(c(f.Device), c(f.MountPoint), c(f.FSType), c(f.Options), c(state), cn(f.Line)))
	}
	fstab.Empty = b.empty(b.t("none.fstab"), snapshot.SectionStorage)
	data := b.table(b.t("tbl.datadirs"), codeCol(b.t("col.path")), col(b.t("col.purpose")), numCol(b.t("col.size")), numCol(b.t("col.apparent")), col(b.t("col.owner")))
	for _, d := range st.DataDirs {
		data.Rows = append(data.Rows, row(c(d.Path), c(d.Purpose), b.cbytesp(d.Bytes), b.cbytesp(d.ApparentBytes), c(d.Owner)))
	}
	data.Empty = b.empty(b.t("none.datadirs"), snapshot.SectionStorage)
	sec.Blocks = append(sec.Blocks, mounts, fstab, data)
	if len(st.Mailboxes) > 0 {
		mb := b.table(b.t("tbl.mailboxes"), codeCol(b.t("col.path")), col(b.t("col.user")), numCol(b.t("col.size")), numCol(b.t("col.messages")),
			numCol(b.t("col.unread")), col(b.t("col.last_message")))
		for _, m := range st.Mailboxes {
			mb.Rows = append(mb.Rows, row(c(m.Path), c(m.User), b.cbytes(m.Bytes), cn(m.Messages), cn(m.Unread), c(m.Last)))
		}
		sec.Blocks = append(sec.Blocks, mb)
	}
	if len(st.Volumes) > 0 {
		vol := b.table(b.t("tbl.volumes"), col(b.t("col.kind")), col(b.t("col.name")), col(b.t("col.group")), numCol(b.t("col.size")),
			codeCol(b.t("col.devices")), col(b.t("col.state")))
		for _, v := range st.Volumes {
			vol.Rows = append(vol.Rows, row(c(v.Kind), c(v.Name), c(v.Group), b.cbytes(v.SizeBytes), c(join(v.Devices)), c(v.State)))
		}
		sec.Blocks = append(sec.Blocks, vol)
	}
}
