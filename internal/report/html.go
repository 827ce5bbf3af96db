package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"time"
)

// The page's stylesheet and script are inlined: the report is one file that
// opens offline, mailed or copied to a ticket, with nothing fetched.
var (
	//go:embed html.css
	htmlCSS string
	//go:embed html.js
	htmlJS string
)

// HTMLFragment writes the document without the page around it: its header,
// contents and sections, for a page of another's making (trowel serve's host
// page) that serves Stylesheet and Script as files of its own instead of
// inlining them, as a strict Content-Security-Policy requires. The markup is
// HTML's inside <body>, except what belongs to the page around it: the title is
// a paragraph (class doc-title), not the page's h1, and the sections stand in a
// div (class doc-main), not the page's main.
func HTMLFragment(w io.Writer, d *Document) error {
	return writeHTML(w, d, "doc")
}

// Stylesheet is the CSS HTML inlines.
func Stylesheet() string { return htmlCSS }

// Script is the JavaScript HTML inlines: it makes tables sortable.
func Script() string { return htmlJS }

// HTML writes the document as one self-contained page: a table of contents,
// sortable tables, findings coloured by severity and the host drawn as SVG. The
// page reads in full without its script (which only adds sorting) and prints
// without the navigation. The markup is also well-formed XML, so tests can parse
// it without an HTML parser.
func HTML(w io.Writer, d *Document) error {
	return writeHTML(w, d, "page")
}

func writeHTML(w io.Writer, d *Document, name string) error {
	if err := checkIDs(d); err != nil {
		return err
	}
	lang := d.Lang
	if !langTag.MatchString(lang) {
		lang = "en"
	}
	diagrams := 0
	t := template.Must(htmlPage.Clone()).Funcs(template.FuncMap{
		"L": func(key string) string { return L(lang, key) },
		"diagram": func(dg *Diagram) template.HTML {
			diagrams++
			// diagramSVG escapes every text it draws.
			return template.HTML(diagramSVG(dg, lang, fmt.Sprintf("_dg%d", diagrams)))
		},
	})
	return t.ExecuteTemplate(w, name, struct {
		*Document
		Lang     string
		Fragment bool
	}{d, lang, name == "doc"})
}

var (
	langTag   = regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)
	sectionID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// checkIDs refuses a document whose table of contents would lead nowhere: a
// section without an ID, with characters an anchor cannot carry as written, or
// with an ID used twice.
func checkIDs(d *Document) error {
	seen := map[string]string{}
	for _, s := range d.All() {
		if !sectionID.MatchString(s.ID) {
			return fmt.Errorf("report: section %q has ID %q; IDs are made of a-z, 0-9 and '-'", s.Title, s.ID)
		}
		if other, dup := seen[s.ID]; dup {
			return fmt.Errorf("report: sections %q and %q share the ID %q", other, s.Title, s.ID)
		}
		seen[s.ID] = s.Title
	}
	return nil
}

// sectionView is a section with its heading level (2 for sections, 3 for
// subsections).
type sectionView struct {
	S     *Section
	Level int
}

// blockView is a block with the heading level its own headings take.
type blockView struct {
	B     Block
	Level int
	Kind  string
}

// edgeLine is one arrow of a diagram told in words.
type edgeLine struct{ From, To, Label string }

var htmlFuncs = template.FuncMap{
	"L":       func(string) string { panic("bound per document") },
	"diagram": func(*Diagram) template.HTML { panic("bound per document") },
	// A Figure's maker escapes what it draws (see Figure).
	"figure":  func(f *Figure) template.HTML { return template.HTML(f.SVG) },
	"css":     func() template.CSS { return template.CSS(htmlCSS) },
	"js":      func() template.JS { return template.JS(htmlJS) },
	"section": func(s *Section, level int) sectionView { return sectionView{s, level} },
	"withLevel": func(b Block, level int) blockView {
		return blockView{b, level, b.blockKind()}
	},
	// foldTable is a table of a fold's rows, under the fold's summary.
	"foldTable": func(t *Table, f *Fold) *Table {
		return &Table{Explain: t.Explain, Columns: t.Columns, Rows: f.Rows}
	},
	"col": func(t *Table, i int) Column {
		if i < len(t.Columns) {
			return t.Columns[i]
		}
		return Column{}
	},
	"severity": func(s string) string {
		switch s {
		case "info", "low", "medium", "high":
			return s
		}
		return "unknown"
	},
	"stamp":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"iso":    func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"trimNL": func(s string) string { return strings.TrimRight(s, "\n") },
	"edges": func(d *Diagram) []edgeLine {
		names := d.nodeNames()
		out := make([]edgeLine, len(d.Edges))
		for i, e := range d.Edges {
			out[i] = edgeLine{cmp.Or(names[e.From], e.From), cmp.Or(names[e.To], e.To), e.Label}
		}
		return out
	},
}

// The page. Whitespace is trimmed where it would show; the rest keeps the output
// readable for the golden files.
var htmlPage = template.Must(template.New("page").Funcs(htmlFuncs).Parse(`
{{- define "page" -}}
<!DOCTYPE html>
<html lang="{{.Lang}}" class="no-js">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="generator" content="trowel"/>
<title>{{.Title}}</title>
<style>{{css}}</style>
</head>
<body>
{{template "doc" .}}
<script>{{js}}</script>
</body>
</html>
{{end}}

{{- define "doc" -}}
<div class="layout">
<header class="doc-head" id="_top">
{{if .Fragment}}<p class="doc-title">{{.Title}}</p>{{else}}<h1>{{.Title}}</h1>{{end}}
{{- with .Subtitle}}
<p class="subtitle">{{.}}</p>
{{- end}}
{{- with .Meta}}
{{template "facts" .}}
{{- end}}
{{- if not .Generated.IsZero}}
<p class="generated">{{L "generated"}}: <time datetime="{{iso .Generated}}">{{stamp .Generated}}</time></p>
{{- end}}
</header>
<nav class="toc" aria-labelledby="_toc">
<h2 id="_toc">{{L "contents"}}</h2>
<ol>
{{- range .Sections}}
<li><a href="#{{.ID}}">{{.Title}}</a>
{{- with .Sub}}
<ol>
{{- range .}}
<li><a href="#{{.ID}}">{{.Title}}</a></li>
{{- end}}
</ol>
{{- end -}}
</li>
{{- end}}
</ol>
</nav>
{{if .Fragment}}<div class="doc-main">{{else}}<main>{{end}}
{{- range .Sections}}
{{template "section" section . 2}}
{{- end}}
{{if .Fragment}}</div>{{else}}</main>{{end}}
</div>
{{- end}}

{{- define "section" -}}
<section id="{{.S.ID}}" class="level{{.Level}}">
{{if eq .Level 2}}<h2>{{.S.Title}}</h2>{{else}}<h3>{{.S.Title}}</h3>{{end}}
{{- with .S.Intro}}
<p class="intro">{{.}}</p>
{{- end}}
{{- $level := .Level}}
{{- range .S.Blocks}}
{{template "block" withLevel . $level}}
{{- end}}
{{- range .S.Sub}}
{{template "section" section . 3}}
{{- end}}
{{- if eq .Level 2}}
<p class="to-top"><a href="#_top">{{L "back_to_top"}}</a></p>
{{- end}}
</section>
{{- end}}

{{- define "block" -}}
{{- if eq .Kind "paragraph"}}<p>{{.B.Text}}</p>
{{- else if eq .Kind "facts"}}{{template "facts" .B.Pairs}}
{{- else if eq .Kind "list"}}<ul>
{{- range .B.Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- else if eq .Kind "code"}}<pre class="code"{{with .B.Lang}} data-lang="{{.}}"{{end}}><code>{{trimNL .B.Text}}</code></pre>
{{- else if eq .Kind "table"}}{{template "table" .B}}
{{- else if eq .Kind "callout"}}{{template "callout" .}}
{{- else if eq .Kind "diagram"}}{{template "diagram" .B}}
{{- else if eq .Kind "figure"}}<figure class="diagram">
<div class="diagram-scroll">{{figure .B}}</div>
<figcaption>{{.B.Alt}}</figcaption>
</figure>
{{- end}}
{{- end}}

{{- define "facts" -}}
<dl class="facts">
{{- range .}}
<div><dt>{{.Label}}</dt><dd>{{.Value}}</dd></div>
{{- end}}
</dl>
{{- end}}

{{- define "table" -}}
{{- if or .Rows .Folded -}}
{{- if .Rows}}{{template "tabular" .}}
{{- else}}
<div class="table-empty">
<p class="explain">{{.Explain}}</p>
</div>
{{- end}}
{{- with .Folded}}
<details class="fold">
<summary>{{.Summary}}</summary>
{{template "tabular" foldTable $ .}}
</details>
{{- end}}
{{- else -}}
<div class="table-empty">
<p class="explain">{{.Explain}}</p>
<p class="empty">{{.Empty}}</p>
</div>
{{- end}}
{{- end}}

{{- define "tabular" -}}
{{- $t := . -}}
<div class="table-wrap">
<table class="sortable">
<caption>{{.Explain}} <span class="sort-hint">{{L "sort_hint"}}</span></caption>
<thead><tr>
{{- range .Columns}}<th scope="col"{{if .Numeric}} class="num" data-type="num"{{end}}>{{.Title}}</th>{{end -}}
</tr></thead>
<tbody>
{{- range .Rows}}
<tr>
{{- range $i, $c := .}}{{$col := col $t $i -}}
<td{{with $c.Sort}} data-sort="{{.}}"{{end}}{{if $col.Numeric}} class="num"{{end}}>{{if and $col.Code $c.Text}}<code>{{$c.Text}}</code>{{else}}{{$c.Text}}{{end}}</td>
{{- end -}}
</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}

{{- define "callout" -}}
{{- $c := .B -}}
<article class="callout sev-{{severity $c.Severity}}{{if $c.Inhibitor}} inhibitor{{end}}">
<p class="callout-head"><span class="sev-badge">{{$c.SeverityLabel}}</span>
{{- if $c.Inhibitor}} <span class="inhibitor-badge">{{$c.InhibitorLabel}}</span>{{end -}}
</p>
{{if eq .Level 2}}<h3 class="callout-title">{{else}}<h4 class="callout-title">{{end -}}
{{$c.Title}} <code class="key">{{$c.Key}}</code>
{{- if eq .Level 2}}</h3>{{else}}</h4>{{end}}
<p><strong>{{or $c.WhyLabel (L "why")}}:</strong> {{$c.Why}}</p>
<p><strong>{{or $c.FixLabel (L "fix")}}:</strong> {{$c.Fix}}</p>
{{- with $c.Command}}
<div class="snippet"><p class="snippet-label">{{L "command"}}</p><pre class="code" data-lang="sh"><code>{{trimNL .}}</code></pre></div>
{{- end}}
{{- with $c.Ansible}}
<div class="snippet"><p class="snippet-label">{{L "ansible"}}</p><pre class="code" data-lang="yaml"><code>{{trimNL .}}</code></pre></div>
{{- end}}
{{- with $c.Facts}}
<p class="callout-facts"><strong>{{or $c.FactsLabel (L "facts")}}:</strong>
{{- range $i, $f := .}}{{if $i}},{{end}} <code>{{$f}}</code>{{end -}}
</p>
{{- end}}
</article>
{{- end}}

{{- define "diagram" -}}
<figure class="diagram">
<div class="diagram-scroll">{{diagram .}}</div>
<figcaption>{{.Alt}}</figcaption>
{{- with edges .}}
<details class="diagram-edges">
<summary>{{L "diagram_edges"}}</summary>
<ul>
{{- range .}}
<li>{{.From}} → {{.To}}{{with .Label}} <code>{{.}}</code>{{end}}</li>
{{- end}}
</ul>
</details>
{{- end}}
</figure>
{{- end}}
`))
