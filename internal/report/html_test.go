package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// update rewrites the golden files of this package's renderers instead of
// comparing with them: go test ./internal/report -run HTML -update
var update = flag.Bool("update", false, "rewrite the golden files")

// hostile is text a snapshot can carry from the target (a unit's description, a
// cron command) that would break the page if it were not escaped.
const hostile = `<script>alert("x")</script> </style> 'single' "double" & &amp; ]]> <!--`

// sampleDocument exercises every block kind, in Japanese with English and
// hostile text mixed in, the way a `--lang ja` report of a real host reads.
func sampleDocument() *Document {
	return &Document{
		Lang:     "ja",
		Title:    "引き継ぎ資料: legacy.example.jp",
		Subtitle: "Debian 11 (bullseye) — 調査結果 " + hostile,
		Meta: []Pair{
			{Label: "対象", Value: "legacy (10.231.0.10)"},
			{Label: "取得元", Value: hostile},
		},
		Generated: time.Date(2025, 11, 21, 3, 4, 5, 0, time.UTC),
		Sections: []*Section{
			{
				ID:    "overview",
				Title: "概要",
				Intro: "このホストが何をしているかを一目で示します。",
				Blocks: []Block{
					&Paragraph{Text: "このサーバーはウェブアプリケーションとバッチ処理を担っています。長い文章でも読みやすく折り返されることを確認するために、句読点を含む日本語の段落を置きます。"},
					&Paragraph{Text: hostile},
					&Facts{Pairs: []Pair{{Label: "OS", Value: "Debian GNU/Linux 11"}, {Label: "カーネル", Value: "5.10.0-26-amd64"}, {Label: hostile, Value: hostile}}},
					&List{Items: []string{"nginx が 80/tcp と 443/tcp で待ち受けています", "cron ジョブ 3 件", hostile}},
				},
			},
			{
				ID:    "services",
				Title: "サービス",
				Intro: "動いているサービスとその待ち受けポートです。",
				Blocks: []Block{
					&Table{
						Explain: "待ち受けポートの一覧。プロセスとユーザーは取得時点のものです。",
						Columns: []Column{{Title: "サービス"}, {Title: "ポート", Numeric: true}, {Title: "アドレス", Code: true}, {Title: "メモリ", Numeric: true}},
						Rows: [][]Cell{
							{{Text: "nginx"}, {Text: "443"}, {Text: "0.0.0.0:443"}, {Text: "12 MiB", Sort: "12582912"}},
							{{Text: "sshd"}, {Text: "22"}, {Text: "0.0.0.0:22"}, {Text: "4 MiB", Sort: "4194304"}},
							{{Text: "td-agent"}, {Text: "24224"}, {Text: "127.0.0.1:24224"}, {Text: "1.2 GiB", Sort: "1288490189"}},
							{{Text: hostile}, {Text: "?"}, {Text: hostile}, {Text: ""}},
							{{Text: "nginx"}, {Text: "80"}, {Text: "[::]:80"}, {Text: "12 MiB", Sort: "12582912"}},
						},
					},
					&Table{
						Explain: "パッケージ名の並べ替え（大文字小文字と数字の扱いを確認）。",
						Columns: []Column{{Title: "名前"}, {Title: "説明"}},
						Rows: [][]Cell{
							{{Text: "nginx"}, {Text: "ウェブサーバー"}},
							{{Text: "Apache"}, {Text: "旧ウェブサーバー"}},
							{{Text: "10-local"}, {Text: "設定"}},
							{{Text: "cron"}, {Text: "定期実行"}},
							{{Text: "9-base"}, {Text: "設定"}},
						},
					},
					&Table{
						Explain: "cron ジョブ。",
						Columns: []Column{{Title: "スケジュール"}, {Title: "コマンド", Code: true}},
						Empty:   "どの crontab にもジョブはありませんでした（/var/spool/cron は読めています）。",
					},
				},
				Sub: []*Section{
					{
						ID:    "service-nginx",
						Title: "nginx",
						Blocks: []Block{
							&Facts{Pairs: []Pair{{Label: "ユニット", Value: "nginx.service"}, {Label: "設定", Value: "/etc/nginx/nginx.conf"}}},
							&Code{Lang: "nginx", Text: "server {\n    listen 443 ssl;\n    # " + hostile + "\n}\n"},
							&Callout{
								Severity: "medium", SeverityLabel: "中",
								Key: "nginx.tls-old", Title: "古い TLS が有効です",
								Why: "TLSv1.0 は新しいクライアントから拒否されます。", Fix: "ssl_protocols を TLSv1.2 以上にします。",
								Facts:    []string{"/etc/nginx/nginx.conf:12"},
								WhyLabel: "なぜ問題か", FixLabel: "対処", FactsLabel: "根拠",
							},
						},
					},
					{ID: "service-td-agent", Title: "td-agent " + hostile, Intro: hostile},
				},
			},
			{
				ID:    "network",
				Title: "通信関係",
				Intro: "このホストに接続してくるシステムと、このホストが接続するシステムです。",
				Blocks: []Block{&Diagram{
					Alt:  "legacy に 2 つのシステムが接続し、legacy は 2 つのシステムに接続します。",
					Host: "legacy.example.jp",
					Services: []DiagramNode{
						{ID: "svc-nginx", Label: "nginx", Detail: "tcp/80, tcp/443"},
						{ID: "svc-sshd", Label: "sshd", Detail: "tcp/22"},
						{ID: "svc-td-agent", Label: "td-agent", Detail: "tcp/24224"},
					},
					Peers: []DiagramNode{
						{ID: "lb", Label: "ロードバランサー", Detail: "10.231.0.1", Inbound: true},
						{ID: "bastion", Label: "bastion", Detail: "10.231.0.30", Inbound: true},
						{ID: "db", Label: "db.example.jp", Detail: "PostgreSQL"},
						{ID: "evil", Label: hostile, Detail: hostile},
					},
					Edges: []DiagramEdge{
						{From: "lb", To: "svc-nginx", Label: "tcp/80"},
						{From: "lb", To: "svc-nginx", Label: "tcp/443"},
						{From: "bastion", To: "svc-sshd", Label: "tcp/22"},
						{From: "svc-nginx", To: "db", Label: "tcp/5432"},
						{From: "svc-td-agent", To: "evil", Label: hostile},
					},
				}},
			},
			{
				ID:    "findings",
				Title: "指摘事項",
				Blocks: []Block{
					&Callout{
						Severity: "high", SeverityLabel: "高",
						Inhibitor: true, InhibitorLabel: "移行の妨げ",
						Key:   "time.stale-daemon",
						Title: "タイムゾーン変更後に再起動されていないデーモンがあります " + hostile,
						Why:   hostile, Fix: "該当デーモンを再起動します。",
						Command: "systemctl restart cron\necho '" + hostile + "'\n",
						Ansible: "- name: restart cron\n  ansible.builtin.service:\n    name: cron\n    state: restarted\n",
						Facts:   []string{"ev-12:3", hostile},
						// The labels left empty fall back to the catalog's.
					},
					&Callout{
						Severity: "bogus", SeverityLabel: hostile,
						Key: "x.y", Title: "未知の重大度", Why: "—", Fix: "—",
						WhyLabel: "なぜ問題か", FixLabel: "対処",
					},
				},
			},
		},
	}
}

func renderHTML(t *testing.T, d *Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLGolden(t *testing.T) {
	got := renderHTML(t, sampleDocument())
	golden := filepath.Join("testdata", "html", "sample.ja.html")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (refresh with -update)", err)
	}
	if got != string(want) {
		t.Errorf("HTML differs from %s (refresh with -update and review the diff)", golden)
	}
	if again := renderHTML(t, sampleDocument()); again != got {
		t.Error("two renderings of one document differ")
	}
}

// rawText matches the content of the elements HTML does not parse as markup.
var rawText = regexp.MustCompile(`(?s)<(style|script)>(.*?)</(style|script)>`)

// parseXHTML checks the page is well-formed XML (the raw-text elements aside,
// whose content HTML never parses as markup) and returns its elements.
func parseXHTML(t *testing.T, page string) []xml.StartElement {
	t.Helper()
	for _, m := range rawText.FindAllStringSubmatch(page, -1) {
		if strings.Contains(strings.ToLower(m[2]), "</"+m[1]) || strings.Contains(m[2], "<!--") {
			t.Errorf("inlined %s could end its element early", m[1])
		}
	}
	stripped := rawText.ReplaceAllString(page, "<$1></$1>")
	dec := xml.NewDecoder(strings.NewReader(stripped))
	var elems []xml.StartElement
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			lines := strings.Split(stripped, "\n")
			ctx := ""
			if line-1 < len(lines) {
				ctx = lines[line-1]
			}
			t.Fatalf("not well-formed at %d:%d: %v\n%s", line, col, err, ctx)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elems = append(elems, tok.Copy())
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced elements (depth %d at the end)", depth)
	}
	return elems
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func TestHTMLWellFormedAndSelfContained(t *testing.T) {
	page := renderHTML(t, sampleDocument())
	elems := parseXHTML(t, page)

	ids := map[string]int{}
	for _, e := range elems {
		if id, ok := attr(e, "id"); ok {
			ids[id]++
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	links := 0
	for _, e := range elems {
		for _, a := range e.Attr {
			switch a.Name.Local {
			case "href", "src", "action", "srcset", "poster", "data":
				if !strings.HasPrefix(a.Value, "#") {
					t.Errorf("<%s %s=%q> reaches outside the page", e.Name.Local, a.Name.Local, a.Value)
					continue
				}
				links++
				if ids[a.Value[1:]] == 0 {
					t.Errorf("<%s %s=%q> leads nowhere", e.Name.Local, a.Name.Local, a.Value)
				}
			}
			if strings.Contains(a.Value, "url(") && !strings.Contains(a.Value, "url(#") {
				t.Errorf("<%s %s=%q> references a resource", e.Name.Local, a.Name.Local, a.Value)
			}
		}
		if e.Name.Local == "link" || e.Name.Local == "iframe" || e.Name.Local == "img" || e.Name.Local == "object" {
			t.Errorf("<%s> would load something", e.Name.Local)
		}
	}
	for _, raw := range rawText.FindAllStringSubmatch(page, -1) {
		for _, bad := range []string{"@import", "url(", "http:", "https:", "fetch(", "XMLHttpRequest"} {
			if strings.Contains(raw[2], bad) {
				t.Errorf("inlined %s contains %q", raw[1], bad)
			}
		}
	}

	// Every section and subsection is in the table of contents.
	d := sampleDocument()
	toc := page[strings.Index(page, "<nav"):strings.Index(page, "</nav>")]
	for _, s := range d.All() {
		if !strings.Contains(toc, `href="#`+s.ID+`"`) {
			t.Errorf("section %s is missing from the table of contents", s.ID)
		}
		if ids[s.ID] != 1 {
			t.Errorf("section %s has no anchor", s.ID)
		}
	}
	if links < len(d.All()) {
		t.Errorf("only %d in-page links", links)
	}
}

func TestHTMLEscapesEverything(t *testing.T) {
	page := renderHTML(t, sampleDocument())
	body := rawText.ReplaceAllString(page, "")
	for _, bad := range []string{`<script>alert`, `</style> '`, `"double"`, `]]>`, `& &amp;`} {
		if strings.Contains(body, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	if n := strings.Count(page, "<script>"); n != 1 {
		t.Errorf("%d <script> elements, want the page's own only", n)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("hostile text is not shown escaped")
	}
}

func TestHTMLContent(t *testing.T) {
	page := renderHTML(t, sampleDocument())
	for _, want := range []string{
		`<html lang="ja" class="no-js">`,
		`<h2 id="_toc">目次</h2>`,
		`作成日時: <time datetime="2025-11-21T03:04:05Z">2025-11-21 03:04 UTC</time>`,
		// Sortable table: numeric columns carry their type, cells their sort key.
		`<th scope="col" class="num" data-type="num">メモリ</th>`,
		`<td data-sort="1288490189" class="num">1.2 GiB</td>`,
		`<td><code>127.0.0.1:24224</code></td>`,
		`列の見出しをクリックすると並べ替えられます。`,
		// An empty table says what its absence means.
		`<p class="empty">どの crontab にもジョブはありませんでした`,
		// Callouts: severity class and label, inhibitor prominent, catalog fallbacks.
		`<article class="callout sev-high inhibitor">`,
		`<span class="sev-badge">高</span> <span class="inhibitor-badge">移行の妨げ</span>`,
		`<article class="callout sev-unknown">`,
		`<strong>なぜ問題か:</strong>`,
		`<p class="snippet-label">コマンド</p><pre class="code" data-lang="sh"><code>systemctl restart cron`,
		`<pre class="code" data-lang="yaml"><code>- name: restart cron`,
		`<strong>根拠:</strong> <code>ev-12:3</code>,`,
		// The diagram: accessible SVG, arrows also told in words.
		`<svg class="host-diagram" role="img" aria-labelledby="_dg1_title _dg1_desc"`,
		`<title id="_dg1_title">構成図: legacy.example.jp</title>`,
		`<desc id="_dg1_desc">legacy に 2 つのシステムが接続し`,
		`<summary>接続の一覧</summary>`,
		`<li>ロードバランサー (10.231.0.1) → nginx <code>tcp/80</code></li>`,
		`<p class="to-top"><a href="#_top">先頭へ戻る</a></p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// Subsections nest in their section, callouts take the next heading level.
	if !regexp.MustCompile(`(?s)<section id="services".*<section id="service-nginx" class="level3">\s*<h3>nginx</h3>.*<h4 class="callout-title">`).MatchString(page) {
		t.Error("subsection structure or callout heading level is wrong")
	}
	if !strings.Contains(page, `<h3 class="callout-title">タイムゾーン変更後`) {
		t.Error("callout in a section should have an h3 title")
	}
}

func TestHTMLEnglishLabelsAndDefaults(t *testing.T) {
	d := &Document{Title: "t", Sections: []*Section{{ID: "a", Title: "A", Blocks: []Block{&Paragraph{Text: "p"}}}}}
	page := renderHTML(t, d)
	parseXHTML(t, page)
	for _, want := range []string{`<html lang="en"`, `>Contents</h2>`, `>Back to top</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, `class="generated"`) {
		t.Error("a zero Generated time is printed")
	}
	d.Lang = `en" onload="x`
	if page := renderHTML(t, d); !strings.Contains(page, `<html lang="en"`) {
		t.Error("a malformed language tag reaches the page")
	}
}

func TestHTMLRefusesBrokenAnchors(t *testing.T) {
	for name, d := range map[string]*Document{
		"empty id":     {Sections: []*Section{{Title: "A"}}},
		"bad id":       {Sections: []*Section{{ID: `a"b`, Title: "A"}}},
		"duplicate id": {Sections: []*Section{{ID: "a", Title: "A", Sub: []*Section{{ID: "a", Title: "B"}}}}},
	} {
		if err := HTML(io.Discard, d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
