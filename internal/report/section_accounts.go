package report

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// accountsSection says who can log in, how, and with which rights: the users a
// replacement must recreate, the sudo rules it must keep, and the keys that still
// open the door (by fingerprint; no key or hash left the host).
var accountsSection = handoverSection{
	id: "accounts", title: "sec.accounts", intro: "intro.accounts",
	reads: []snapshot.Section{snapshot.SectionAccounts, snapshot.SectionSudo, snapshot.SectionKeys},
	build: (*builder).accounts,
}

func (b *builder) accounts(sec *Section) {
	a := b.s.Accounts
	users := b.table(b.t("tbl.users"),
		col(b.t("col.user")), numCol("UID"), col(b.t("col.kind")), col(b.t("col.password")), codeCol(b.t("col.shell")),
		col(b.t("col.groups")), col(b.t("col.sudo")), numCol(b.t("col.keys")), col(b.t("col.last_login")))
	hidden := 0
	for _, u := range a.Users {
		if u.Kind == "system" && !u.CanLogin && len(u.Keys) == 0 && len(u.Sudo) == 0 {
			hidden++
			continue
		}
		sudo := ""
		for _, r := range u.Sudo {
			s := join(r.Commands)
			if r.NoPasswd {
				s += " (NOPASSWD)"
			}
			sudo = strings.TrimPrefix(sudo+"; "+s, "; ")
		}
		last := b.ctime(u.LastLogin)
		if u.LastFrom != "" {
			last.Text = strings.TrimSpace(last.Text + " " + b.t("val.from", u.LastFrom))
		}
		users.Rows = append(users.Rows, row(c(u.Name), cn(u.UID), c(b.kind(u.Kind)), c(b.kind("pw."+u.Password)),
			c(u.Shell), c(join(u.Groups)), c(sudo), cn(len(u.Keys)), last))
	}
	users.Empty = b.empty(b.t("none.users"), snapshot.SectionAccounts)
	if hidden > 0 {
		users.Explain += " " + b.t("tbl.users.hidden", hidden)
	}
	sec.Blocks = append(sec.Blocks, users)

	sudo := b.table(b.t("tbl.sudo"), col(b.t("col.who")), col(b.t("col.grants")), col(b.t("col.run_as")), codeCol(b.t("col.commands")),
		col("NOPASSWD"), col(b.t("col.defaults")), codeCol(b.t("col.where")))
	for _, r := range a.Sudo {
		np := ""
		if r.NoPasswd {
			np = b.t("val.yes")
		}
		sudo.Rows = append(sudo.Rows, row(c(r.Who), c(join(r.Users)), c(r.RunAs), c(join(r.Commands)), c(np),
			c(join(append(append([]string{}, r.Tags...), r.Defaults...))), c(r.Source)))
	}
	sudo.Empty = b.empty(b.t("none.sudo"), snapshot.SectionSudo)
	sec.Blocks = append(sec.Blocks, sudo)

	keys := b.table(b.t("tbl.keys"), col(b.t("col.user")), col(b.t("col.type")), codeCol(b.t("col.fingerprint")), col(b.t("col.comment")),
		codeCol(b.t("col.options")), codeCol(b.t("col.where")))
	for _, u := range a.Users {
		for _, k := range u.Keys {
			keys.Rows = append(keys.Rows, row(c(u.Name), c(k.Type), c(k.Fingerprint), c(k.Comment), c(join(k.Options)), c(k.Source)))
		}
	}
	keys.Empty = b.empty(b.t("none.keys"), snapshot.SectionKeys)
	sec.Blocks = append(sec.Blocks, keys)

	sshd := b.table(b.t("tbl.sshd"), col(b.t("col.setting")), codeCol(b.t("col.value")), codeCol(b.t("col.where")))
	for _, st := range a.SSHD {
		sshd.Rows = append(sshd.Rows, row(c(st.Key), c(st.Value), c(st.Source)))
	}
	sshd.Empty = b.empty(b.t("none.sshd"), snapshot.SectionAccounts)
	sec.Blocks = append(sec.Blocks, sshd)
}
