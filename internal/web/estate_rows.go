package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// estateRows writes the estate table's rows. They are written here rather than
// by the page's template: a thousand rows through html/template's reflection
// cost a tenth of a second of CPU, this a few milliseconds (BenchmarkScale).
// Every text passes esc, and stands in element content or a double-quoted
// attribute, where that is enough; URLs are made by hostURL and surveyURL.
func estateRows(rows []estateRow, L tr, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 900)
	esc := html.EscapeString
	muted := func(s string) { b.WriteString(`<span class="muted">` + esc(s) + `</span>`) }
	for _, r := range rows {
		b.WriteString(`<tr>` + "\n" + `<th scope="row"><a href="` + esc(r.URL) + `">` + esc(r.Name) + `</a>`)
		if r.Names != "" {
			b.WriteString(`<span class="sub">` + esc(r.Names) + `</span>`)
		}
		b.WriteString("</th>\n<td>" + esc(r.Group) + "</td>\n" + `<td class="os">`)
		if r.OS != "" {
			b.WriteString(esc(r.OS))
		} else {
			muted(L.T("value.unknown"))
		}
		b.WriteString("</td>\n<td>" + `<span class="eol eol-` + r.EOL.Class + `">` + esc(r.EOL.Text) + "</span></td>\n" + `<td class="purpose">`)
		switch {
		case len(r.Purpose) > 0:
			b.WriteString(esc(strings.Join(r.Purpose, ", ")))
		case r.Unreadable != "":
			b.WriteString(`<span class="warn-text" title="` + esc(r.Unreadable) + `">` + esc(L.T("estate.row_unreadable")) + `</span>`)
		default:
			muted(L.T("estate.no_purpose"))
		}
		b.WriteString("</td>\n<td>")
		if l := r.Latest; l != nil {
			b.WriteString(string(L.Ago(l.CollectedAt, now)) + ` <a class="ref" href="` + esc(hostURL(l.Host)+"/surveys/"+strconv.Itoa(l.Seq)) + `">@` + strconv.Itoa(l.Seq) + `</a>`)
			if r.Stale {
				b.WriteString(` <span class="tag warn">` + esc(L.T("estate.stale")) + `</span>`)
			}
		} else {
			b.WriteString(`<span class="warn-text">` + esc(L.T("estate.never")) + `</span>`)
		}
		b.WriteString("</td>\n" + `<td class="num">`)
		if r.Latest != nil {
			b.WriteString(`<span title="` + esc(L.T("coverage.title", r.Coverage)) + `">` + esc(r.Coverage) + `</span>`)
			if r.Missing > 0 {
				b.WriteString(` <span class="tag warn">` + esc(L.T("coverage.missing", r.Missing)) + `</span>`)
			}
			if r.NotSurveyed > 0 {
				b.WriteString(` <span class="tag" title="` + esc(L.T("coverage.not_surveyed.title")) + `">` + esc(L.T("coverage.not_surveyed", r.NotSurveyed)) + `</span>`)
			}
		}
		b.WriteString("</td>\n" + `<td class="num">`)
		if r.Latest != nil {
			if badges := L.Badges(r.F); len(badges) > 0 {
				b.WriteString(`<span class="sevs">`)
				for _, s := range badges {
					b.WriteString(`<span class="sev ` + s.Class + `">` + esc(s.Text) + `</span>`)
				}
				b.WriteString(`</span>`)
			} else {
				muted(L.T("findings.none"))
			}
		}
		b.WriteString("</td>\n" + `<td class="num">`)
		switch {
		case r.F.Inhibitors > 0:
			b.WriteString(`<span class="tag bad">` + strconv.Itoa(r.F.Inhibitors) + `</span>`)
		case r.Latest != nil:
			b.WriteString("0")
		}
		b.WriteString("</td>\n" + `<td class="num">`)
		if r.Wave > 0 {
			w := strconv.Itoa(r.Wave)
			b.WriteString(`<a href="/map#wave-` + w + `">` + w + `</a>`)
		}
		b.WriteString("</td>\n</tr>\n")
	}
	return template.HTML(b.String())
}
