package ansible

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
)

// MIGRATION_TODO.md is the cutover checklist, in the order of the cutover day:
// what to settle before (decisions, secrets, software, the first copy of the
// data, applying the project), the cutover itself (stop the writes, the final
// copy, the switch), what to check after (verify against the ledger, the logs
// reaching their collector, cron in the source's zone, a reboot), and the way
// back. Each item says what to do and which ledger facts it settles; the ledger's
// table ends it.

// phrase is one fixed sentence of the checklist in each language.
type phrase struct{ en, ja string }

func (p phrase) in(lang string) string {
	if lang == "ja" {
		return p.ja
	}
	return p.en
}

// The checklist's groups of items, in order, with the sections of TodoItem each
// takes, its heading and what it says first.
var checklistGroups = []struct {
	sections []string
	heading  phrase
	intro    phrase
}{
	{[]string{"Decide", "Not translated", "Not surveyed"},
		phrase{"Decide", "決めること"},
		phrase{"What the project does not carry over, and why: each needs a person's decision before the cutover day.",
			"プロジェクトが引き継がないものとその理由。移行日の前に、それぞれ人が判断する必要があります。"}},
	{[]string{"Secrets"},
		phrase{"Secrets", "秘密情報"},
		phrase{"Nothing secret was read or written. These have to come from their owners.",
			"秘密情報は読み取りも書き出しもしていません。以下は持ち主から受け取る必要があります。"}},
	{[]string{"Software"},
		phrase{"Software to copy", "コピーするソフトウェア"},
		phrase{"Installed outside any package: the project cannot install it, and its content is not in the snapshot.",
			"パッケージ外でインストールされたもの。プロジェクトはインストールできず、中身もスナップショットにありません。"}},
	{[]string{"Data"},
		phrase{"First copy of the data", "データの初回コピー"},
		phrase{"Ansible builds the server; it does not move its data. Copy each once ahead, while the source still runs; sizes and times are from the survey, at 100 Mbit/s.",
			"Ansible はサーバーを構築しますが、データは移しません。移行元が動いているうちに一度コピーしておきます。サイズと所要時間は調査時の値で、100 Mbit/s の場合です。"}},
}

var (
	tTitle      = phrase{"Cutover checklist: %s to %s", "移行チェックリスト: %s → %s"}
	tWritten    = phrase{"Written by trowel codify from the survey of %s (%s) taken %s. The Ansible project next to this file rebuilds the server; this list is what it does not do, in the order of the cutover.", "trowel codify が %s (%s) の調査 (%s) から作成しました。このファイルの隣の Ansible プロジェクトがサーバーを再構築します。この一覧はプロジェクトがしないことを、移行作業の順に並べたものです。"}
	tLedger     = phrase{"`ledger.json` accounts for every one of the %d things the old host did: %s. The table at the end says what became of each kind.", "`ledger.json` は旧ホストが行っていた %d 件すべての行き先を記録しています: %s。末尾の表に種類ごとの内訳があります。"}
	tBefore     = phrase{"1. Before the cutover day", "1. 移行日より前"}
	tApply      = phrase{"Apply the project", "プロジェクトを適用する"}
	tCutover    = phrase{"2. Cutover", "2. 切り替え"}
	tAfter      = phrase{"3. After the cutover", "3. 切り替え後"}
	tRollback   = phrase{"Rollback", "切り戻し"}
	tFindings   = phrase{"Findings", "指摘事項"}
	tFindIntro  = phrase{"Everything the analysis found on the source. Each key is stable: `trowel report` explains it.", "移行元の分析で見つかったすべての指摘です。キーは固定で、`trowel report` が説明します。"}
	tTable      = phrase{"The ledger", "台帳"}
	tTableIntro = phrase{"What became of each thing the old host did, by kind (ledger.json has every entry, with its provenance). Carried: a role does it; translated: the new host does it another way; data: moved, not built; todo: an item above; left: it need not come, for the reason given below.",
		"旧ホストが行っていたことの行き先を種類ごとに数えた表です (ledger.json に全件と出典があります)。carried: ロールが行う / translated: 新ホストでは別の方法で行う / data: 構築せず移す / todo: 上の項目 / left: 下の理由により引き継がない。"}
	tLeftHead  = phrase{"Left behind, and why", "引き継がないものとその理由"}
	tEvidence  = phrase{"Evidence", "根拠"}
	tLedgerIDs = phrase{"Ledger", "台帳"}
	tKind      = phrase{"kind", "種類"}
	tTotal     = phrase{"total", "合計"}
	tReason    = phrase{"reason", "理由"}
	tCount     = phrase{"facts", "件数"}
	tExample   = phrase{"for example", "例"}
)

// applySteps, cutoverSteps, afterSteps and rollbackSteps are the fixed steps;
// %[1]s is the host, %[2]s the target, %[3]s the zone.
var (
	applySteps = []phrase{
		{"Set the new server's address in `inventory/hosts.yml`; it keeps its own name until the switch (`-e base_hostname=...`).",
			"`inventory/hosts.yml` に新サーバーのアドレスを書きます。切り替えまでは新サーバー自身の名前のままにします (`-e base_hostname=...`)。"},
		{"Fill in `group_vars/all/vault.yml` and encrypt it: `ansible-vault encrypt group_vars/all/vault.yml` (site.yml refuses to run while a TODO is left).",
			"`group_vars/all/vault.yml` を埋めて暗号化します: `ansible-vault encrypt group_vars/all/vault.yml` (TODO が残っている間 site.yml は実行を拒否します)。"},
		{"`ansible-playbook site.yml --check --diff`, then `ansible-playbook site.yml`, then once more: the second run must report `changed=0`.",
			"`ansible-playbook site.yml --check --diff` の後 `ansible-playbook site.yml` を実行し、もう一度実行します。2 回目は `changed=0` でなければなりません。"},
		{"`trowel verify NEW --against %[1]s.spec.yaml --ledger ledger.json`: every failure must be an item of this list (`expected`); an `unexpected` one is a defect to fix before the cutover day.",
			"`trowel verify NEW --against %[1]s.spec.yaml --ledger ledger.json` を実行します。失敗はすべてこの一覧の項目 (`expected`) でなければなりません。`unexpected` は移行日までに直す不具合です。"},
	}
	cutoverSteps = []phrase{
		{"Stop the writes on %[1]s: stop the application's services and cron (`systemctl stop` or the init scripts), so nothing changes after the final copy.",
			"%[1]s の書き込みを止めます。アプリケーションのサービスと cron を停止し (`systemctl stop` または init スクリプト)、最終コピー後に何も変わらないようにします。"},
		{"Final copy: take every item of “First copy of the data” once more (the databases by a new dump).",
			"最終コピー: 「データの初回コピー」の各項目をもう一度実行します (データベースは改めてダンプします)。"},
		{"Switch: move %[1]s's address (or its DNS name) to the new server, and give it its name (`ansible-playbook site.yml -e base_hostname=%[1]s`).",
			"切り替え: %[1]s のアドレス (または DNS 名) を新サーバーに移し、名前を付けます (`ansible-playbook site.yml -e base_hostname=%[1]s`)。"},
	}
	afterSteps = []phrase{
		{"`trowel verify NEW --against %[1]s.spec.yaml --ledger ledger.json` exits 0: nothing unexpected is left.",
			"`trowel verify NEW --against %[1]s.spec.yaml --ledger ledger.json` が 0 で終わること: 想定外の失敗が残っていない。"},
		{"Reboot the new server once, and verify again: every service comes back at boot.",
			"新サーバーを一度再起動し、もう一度 verify します: すべてのサービスが起動時に戻ること。"},
		{"Cron fires in %[3]s: after the next scheduled time, check the job's log or mail (`grep CRON /var/log/syslog` or `/var/log/cron`).",
			"cron が %[3]s で動くこと: 次の予定時刻の後、ジョブのログかメールを確認します (`grep CRON /var/log/syslog` または `/var/log/cron`)。"},
	}
	rollbackSteps = []phrase{
		{"While %[1]s is kept as it was (writes stopped, nothing wiped): move the address back to it and start its services and cron again. Anything written on the new server since the switch must then be copied back by hand.",
			"%[1]s をそのまま残している間は (書き込み停止のみ、消去なし): アドレスを戻し、サービスと cron を再開します。切り替え後に新サーバーへ書き込まれたものは手作業で戻す必要があります。"},
	}
)

func renderTodo(p *Project) string {
	lang := p.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "# "+tTitle.in(lang)+"\n\n", p.Host, p.Target)
	fmt.Fprintf(&b, tWritten.in(lang)+"\n", p.Host, p.Source.OS, p.Source.Surveyed)
	if n := len(p.Ledger.Entries); n > 0 {
		var parts []string
		for _, d := range ledger.Dispositions {
			if c := p.Ledger.Totals[d]; c > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", c, d))
			}
		}
		fmt.Fprintf(&b, "\n"+tLedger.in(lang)+"\n", n, strings.Join(parts, ", "))
	}
	bySection := map[string][]TodoItem{}
	for _, t := range p.Todo {
		bySection[t.Section] = append(bySection[t.Section], t)
	}
	zone := "the source's zone"
	if lang == "ja" {
		zone = "移行元のタイムゾーン"
	}
	for _, v := range p.Vars {
		if v.Name == "base_timezone" {
			zone = fmt.Sprint(v.Value)
		}
	}
	fill := strings.NewReplacer("%[1]s", p.Host, "%[2]s", p.Target.String(), "%[3]s", zone)
	step := func(ph phrase) string { return fill.Replace(ph.in(lang)) }

	fmt.Fprintf(&b, "\n## %s\n", tBefore.in(lang))
	for _, g := range checklistGroups {
		var items []TodoItem
		for _, sec := range g.sections {
			items = append(items, bySection[sec]...)
		}
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", g.heading.in(lang), g.intro.in(lang))
		for _, t := range items {
			writeItem(&b, t, lang)
		}
	}
	fmt.Fprintf(&b, "\n### %s\n\n", tApply.in(lang))
	for _, s := range applySteps {
		fmt.Fprintf(&b, "- [ ] %s\n", step(s))
	}

	fmt.Fprintf(&b, "\n## %s\n\n", tCutover.in(lang))
	for _, s := range cutoverSteps {
		fmt.Fprintf(&b, "- [ ] %s\n", step(s))
	}

	fmt.Fprintf(&b, "\n## %s\n\n", tAfter.in(lang))
	for _, s := range afterSteps {
		fmt.Fprintf(&b, "- [ ] %s\n", step(s))
	}
	for _, t := range bySection["Check"] {
		writeItem(&b, t, lang)
	}
	for _, e := range p.Ledger.Entries {
		if e.Kind == ledger.KindDestination && (e.Disposition == ledger.Carried || e.Disposition == ledger.Translated) {
			if lang == "ja" {
				fmt.Fprintf(&b, "- [ ] **ログが収集先に届いていること: %s**\n  収集先で新サーバーからのログが届いているか確認します (`%s`)。\n", e.Key, e.ID)
			} else {
				fmt.Fprintf(&b, "- [ ] **Logs reach their collector: %s**\n  On the collector, see the new server's logs arrive (`%s`).\n", e.Key, e.ID)
			}
		}
	}

	fmt.Fprintf(&b, "\n## %s\n\n", tRollback.in(lang))
	for _, s := range rollbackSteps {
		fmt.Fprintf(&b, "- %s\n", step(s))
	}

	if items := bySection["Findings"]; len(items) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n", tFindings.in(lang), tFindIntro.in(lang))
		for _, t := range items {
			writeItem(&b, t, lang)
		}
	}
	writeLedgerTable(&b, p.Ledger, lang)
	return b.String()
}

func writeItem(b *strings.Builder, t TodoItem, lang string) {
	fmt.Fprintf(b, "- [ ] **%s**", t.Title)
	if len(t.Findings) > 0 {
		fmt.Fprintf(b, " (`%s`)", strings.Join(t.Findings, "`, `"))
	}
	if t.Detail != "" {
		fmt.Fprintf(b, "\n  %s", t.Detail)
	}
	if len(t.Ledger) > 0 {
		ids := t.Ledger
		more := ""
		if len(ids) > 6 {
			more = fmt.Sprintf(" (+%d)", len(ids)-6)
			ids = ids[:6]
		}
		fmt.Fprintf(b, "\n  %s: `%s`%s", tLedgerIDs.in(lang), strings.Join(ids, "`, `"), more)
	}
	if len(t.Facts) > 0 {
		facts := append([]string(nil), t.Facts...)
		sort.Strings(facts)
		fmt.Fprintf(b, "\n  %s: %s", tEvidence.in(lang), strings.Join(facts, ", "))
	}
	b.WriteString("\n")
}

// writeLedgerTable writes the counts of the ledger by kind and disposition, and
// what is left behind grouped by its reason.
func writeLedgerTable(b *strings.Builder, l ledger.Ledger, lang string) {
	if len(l.Entries) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## %s\n\n%s\n\n", tTable.in(lang), tTableIntro.in(lang))
	counts := map[ledger.Kind]map[ledger.Disposition]int{}
	for _, e := range l.Entries {
		if counts[e.Kind] == nil {
			counts[e.Kind] = map[ledger.Disposition]int{}
		}
		counts[e.Kind][e.Disposition]++
	}
	fmt.Fprintf(b, "| %s |", tKind.in(lang))
	for _, d := range ledger.Dispositions {
		fmt.Fprintf(b, " %s |", d)
	}
	b.WriteString("\n|---|")
	for range ledger.Dispositions {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, k := range ledger.Kinds {
		c := counts[k]
		if c == nil {
			continue
		}
		fmt.Fprintf(b, "| %s |", k)
		for _, d := range ledger.Dispositions {
			fmt.Fprintf(b, " %d |", c[d])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "| **%s** |", tTotal.in(lang))
	for _, d := range ledger.Dispositions {
		fmt.Fprintf(b, " **%d** |", l.Totals[d])
	}
	b.WriteString("\n")

	type group struct {
		reason ledger.Reason
		why    string
		ids    []string
	}
	var groups []*group
	index := map[string]*group{}
	for _, e := range l.Entries {
		if e.Disposition != ledger.Left {
			continue
		}
		k := string(e.Reason) + "\x00" + e.Why
		g, ok := index[k]
		if !ok {
			g = &group{reason: e.Reason, why: e.Why}
			index[k] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, e.ID)
	}
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s\n\n| %s | %s | %s |\n|---|---|---|\n", tLeftHead.in(lang), tReason.in(lang), tCount.in(lang), tExample.in(lang))
	for _, g := range groups {
		ex := g.ids
		more := ""
		if len(ex) > 4 {
			more = fmt.Sprintf(" (+%d)", len(ex)-4)
			ex = ex[:4]
		}
		fmt.Fprintf(b, "| %s: %s | %d | `%s`%s |\n", g.reason, mdCell(g.why), len(g.ids), strings.Join(ex, "`, `"), more)
	}
}

func mdCell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }
