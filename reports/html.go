package reports

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteHTML writes the document as one self-contained HTML page: inline
// CSS and SVG, no script, no font or image from the network. Every id in
// the page is unique: charts are numbered in the order they appear.
func WriteHTML(d *Document, w io.Writer) error {
	t, err := page.Clone()
	if err != nil {
		return err
	}
	charts := 0
	t.Funcs(template.FuncMap{"svg": func(c *Chart) template.HTML {
		charts++
		return template.HTML(chartSVG(c, "chart"+strconv.Itoa(charts)))
	}})
	return t.Execute(w, d)
}

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"svg":  func(c *Chart) template.HTML { return template.HTML(chartSVG(c, "chart")) },
	"cell": cell,
	"inc":  func(i int) int { return i + 1 },
	// num says whether column j of the table is numeric (right-aligned).
	"num": func(t *Table, j int) bool { return j < len(t.Numeric) && t.Numeric[j] },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --ink: #1a1a1a; --muted: #555; --rule: #c9c9c9; --band: #f3f5f8; --warn: #7a1f00; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.45;
       max-width: 72rem; margin: 0 auto; padding: 1.5rem; font-size: 15px; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-top: .4rem; border-top: 2px solid var(--ink); }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; font-size: .92rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
nav ol { columns: 2; font-size: .92rem; }
p.note { border-left: 4px solid var(--warn); background: #fff4ef; padding: .5rem .8rem; }
/* A table wider than its box scrolls inside it, never past the page; headers
   wrap at spaces, and a value never breaks inside (its parts are joined by
   no-break spaces). */
.table-wrap { overflow-x: auto; margin: .6rem 0 1.2rem; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
table.compact { width: auto; min-width: 24rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #e8ecf1; }
tbody tr:nth-child(even) { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nb { white-space: nowrap; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-size: .88rem; color: var(--muted); }
svg { width: 100%; max-width: 50rem; height: auto; display: block; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@page { size: letter landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  nav { display: none; }
  /* sections follow one another; a heading or caption never ends a page */
  h2 { break-after: avoid; margin-top: 1.2rem; }
  caption { break-after: avoid; }
  p { orphans: 3; widows: 3; }
  table { font-size: 8pt; page-break-inside: auto; }
  th, td { padding: .15rem .3rem; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  /* the pair of curves side by side, as in the PDF */
  figure { break-inside: avoid; display: inline-block; width: 48.5%; vertical-align: top; margin: .4rem 1% .6rem 0; }
  figcaption { font-size: 8pt; }
  .table-wrap { overflow: visible; }
  th, td, p.note { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="subtitle">{{.Subtitle}}</p>
<dl class="facts">{{range .Facts}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
</header>
<nav aria-label="Contents"><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol></nav>
<main>
{{range $i, $s := .Sections}}<section id="{{$s.ID}}" aria-labelledby="h-{{$s.ID}}">
<h2 id="h-{{$s.ID}}">{{inc $i}}. {{$s.Title}}</h2>
{{range $s.Blocks}}{{if .Text}}<p>{{.Text}}</p>
{{end}}{{if .Note}}<p class="note"><strong>Read with care:</strong> {{.Note}}</p>
{{end}}{{with .Table}}{{$t := .}}<div class="table-wrap"><table{{if lt (len .Columns) 3}} class="compact"{{end}}>
<caption>{{.Caption}}</caption>
<thead><tr>{{range $j, $c := .Columns}}<th scope="col"{{if num $t $j}} class="num"{{end}}>{{cell $c}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $j, $v := .}}{{if eq $j 0}}<th scope="row">{{cell $v}}</th>{{else}}<td{{if num $t $j}} class="num"{{end}}>{{cell $v}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table></div>
{{end}}{{with .Chart}}<figure>{{svg .}}<figcaption>{{.Desc}}</figcaption></figure>
{{end}}{{end}}</section>
{{end}}</main>
<footer>Made with imet. Foreign Military Training Report activity data, where shown, are Security Force Monitor's scrape of the published reports (MIT licence).</footer>
</body>
</html>
`))

// longWord is the length from which a word (a file name) gets break
// opportunities after its separators: shorter ones, like metric ids, stay
// whole.
const longWord = 24

// cell is a table cell's text, escaped. Lines break at spaces only, as in
// the PDF: a value whose parts are joined by no-break spaces ("12.3% –
// 14.5%") is held together (a browser would otherwise break after the
// dash), and a word too long for a narrow column (a file name) gets a break
// opportunity after each _ / or -, rather than widening the table.
func cell(s string) template.HTML {
	words := strings.Split(s, " ")
	for i, w := range words {
		switch {
		case strings.Contains(w, nbsp):
			words[i] = `<span class="nb">` + template.HTMLEscapeString(w) + `</span>`
		case utf8.RuneCountInString(w) >= longWord:
			var b strings.Builder
			for _, r := range w {
				b.WriteString(template.HTMLEscapeString(string(r)))
				if strings.ContainsRune("_/-", r) {
					b.WriteString("<wbr>")
				}
			}
			words[i] = b.String()
		default:
			words[i] = template.HTMLEscapeString(w)
		}
	}
	return template.HTML(strings.Join(words, " "))
}

// chartSVG draws Kaplan-Meier step curves with confidence bands and, under
// the time axis, the number at risk at each tick. The value axis starts at
// 0. id prefixes the ids of the chart's title and description, so two
// charts on a page never share one.
//
// It is long because it lays out one SVG from top to bottom (frame, axes,
// bands, legend, the at-risk rows) in one set of coordinates; each curve's
// path is stepsSVG's.
func chartSVG(c *Chart, id string) string {
	const W = 720.0
	const left, right, top, bottom = 64.0, 170.0, 36.0, 48.0
	const riskRow = 17.0
	ph := 276.0
	risk := 0.0 // height of the number-at-risk rows
	if n := c.riskRows(); n > 0 {
		risk = 24 + riskRow*float64(n)
	}
	H := top + ph + bottom + risk
	pw := W - left - right
	xmax, ymax := c.XMax, c.YMax
	if xmax <= 0 {
		xmax = 1
	}
	if ymax <= 0 {
		ymax = 1
	}
	xmin := c.XMin
	if xmax <= xmin {
		xmax = xmin + 1
	}
	x := func(v float64) float64 { return left + pw*(math.Min(v, xmax)-xmin)/(xmax-xmin) }
	y := func(v float64) float64 { return top + ph*(1-v/ymax) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-title %s-desc">`, W, H, id, id)
	desc := strings.TrimSpace(c.Desc + " " + c.AtRiskText())
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, template.HTMLEscapeString(c.Title), id, template.HTMLEscapeString(desc))
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="15" font-weight="600" fill="#1a1a1a">%s</text>`, left, template.HTMLEscapeString(c.Title))
	// grid and axes
	for _, v := range c.valueTicks(ymax) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, left+pw, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="#333">%s</text>`, left-6, y(v)+4, template.HTMLEscapeString(c.valueLabel(v)))
	}
	for _, v := range c.xTicks(xmax) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#333"/>`, x(v), x(v), top+ph, top+ph+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="#333">%.0f</text>`, x(v), top+ph+19, v)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#333"/>`, left, left+pw, top+ph, top+ph)
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#333"/>`, left, left, top, top+ph)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="#333">%s</text>`, left+pw/2, top+ph+bottom-8, template.HTMLEscapeString(c.XLabel))
	if risk > 0 {
		ry := top + ph + bottom + 14
		fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="12" font-weight="600" fill="#1a1a1a">Number at risk</text>`, ry)
		i := 0
		for _, s := range c.Series {
			if len(s.AtRisk) == 0 {
				continue
			}
			i++
			yy := ry + riskRow*float64(i)
			for _, r := range s.AtRisk {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#1a1a1a">%s</text>`, x(r.X), yy, template.HTMLEscapeString(c.riskLabel(r.N)))
			}
			color := s.Color
			if c.Stacked {
				color = "#1a1a1a"
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s">%s</text>`, left+pw+14, yy, color, template.HTMLEscapeString(s.riskName()))
		}
	}
	fmt.Fprintf(&b, `<text transform="translate(14 %.1f) rotate(-90)" font-size="12" text-anchor="middle" fill="#333">%s</text>`, top+ph/2, template.HTMLEscapeString(c.YLabel))
	if c.Lines {
		linesSVG(&b, c, x, y, left+pw)
		marksSVG(&b, c, x, y)
		b.WriteString(`</svg>`)
		return b.String()
	}
	if c.Funnel {
		funnelSVG(&b, c, x, y, left+pw, top)
		b.WriteString(`</svg>`)
		return b.String()
	}
	if c.Stacked {
		stackedSVG(&b, c, x, y, left+pw, top)
		b.WriteString(`</svg>`)
		return b.String()
	}
	stepsSVG(&b, c, x, y, left+pw, top)
	marksSVG(&b, c, x, y)
	b.WriteString(`</svg>`)
	return b.String()
}

// ChartSVG is a chart as the report's HTML draws it (Kaplan-Meier steps
// with bands and numbers at risk, lines, stacked layers or a funnel), for
// other products to show the same picture; id prefixes the ids of its
// title and description.
func ChartSVG(c *Chart, id string) string { return chartSVG(c, id) }

// marksSVG draws each series' marks, a small dot that says its values when
// hovered.
func marksSVG(b *strings.Builder, c *Chart, x, y func(float64) float64) {
	for _, s := range c.Series {
		for _, m := range s.Marks {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" fill-opacity="0.35" stroke="none"><title>%s</title></circle>`,
				x(m.X), y(m.Y), s.Color, template.HTMLEscapeString(m.Title))
		}
	}
}

// stepsSVG draws a survival chart's series as steps over their shaded 95%
// bands, with the legend right of the plot (legendX on, from top).
func stepsSVG(b *strings.Builder, c *Chart, x, y func(float64) float64, legendX, top float64) {
	for i, s := range c.Series {
		// the band: upper edge forwards, lower edge backwards, as steps
		band := stepPath(s.Points, x, y, func(p Point) float64 { return p.Hi })
		lower := stepPath(s.Points, x, y, func(p Point) float64 { return p.Lo })
		slices.Reverse(lower)
		band = append(band, lower...)
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(band, " "), s.Color)
		line := stepPath(s.Points, x, y, func(p Point) float64 { return p.Y })
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.2"/>`, strings.Join(line, " "), s.Color)
		ly := top + 20 + 22*float64(i)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`, legendX+14, legendX+40, ly, ly, s.Color)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s</text>`, legendX+46, ly+4, template.HTMLEscapeString(s.Name))
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" fill="#555">shaded: 95%% band</text>`, legendX+14, top+20+22*float64(len(c.Series)))
}

// stackedSVG draws a stacked chart's layers as filled steps, each down to
// the layer below, the first layer's band as two dotted steps, and the
// legend right of the plot (legendX on, from top), top layer first as on
// the chart.
func stackedSVG(b *strings.Builder, c *Chart, x, y func(float64) float64, legendX, top float64) {
	for i, s := range c.Series {
		var below []Point
		if i > 0 {
			below = c.Series[i-1].Points
		}
		var area []string
		area = append(area, stepPath(s.Points, x, y, func(p Point) float64 { return p.Y })...)
		if below == nil {
			last, first := s.Points[len(s.Points)-1], s.Points[0]
			area = append(area, fmt.Sprintf("%.1f,%.1f", x(last.X), y(0)), fmt.Sprintf("%.1f,%.1f", x(first.X), y(0)))
		} else {
			edge := stepPath(below, x, y, func(p Point) float64 { return p.Y })
			slices.Reverse(edge)
			area = append(area, edge...)
		}
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" stroke="none"/>`, strings.Join(area, " "), s.Color)
	}
	first := c.Series[0]
	for _, edge := range []func(Point) float64{func(p Point) float64 { return p.Lo }, func(p Point) float64 { return p.Hi }} {
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="#0b2f57" stroke-width="1.2" stroke-dasharray="2 3"/>`, strings.Join(stepPath(first.Points, x, y, edge), " "))
	}
	for k := range c.Series {
		s := c.Series[len(c.Series)-1-k]
		ly := top + 20 + 22*float64(k)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="26" height="12" fill="%s" stroke="#999" stroke-width="0.5"/>`, legendX+14, ly-6, s.Color)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s</text>`, legendX+46, ly+4, template.HTMLEscapeString(s.Name))
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" fill="#555">dotted: 95%% band of</text>`, legendX+14, top+20+22*float64(len(c.Series)))
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" fill="#555">%s</text>`, legendX+14, top+34+22*float64(len(c.Series)), template.HTMLEscapeString(first.Name))
}

// Funnel plot colours: the units, those outside the 99.8% limits, the
// pooled line and the limits.
const (
	funnelDot     = "#0b2f57"
	funnelOutlier = "#b3471d"
	funnelLine    = "#333333"
)

// funnelDash is the dash pattern of each band's limit curves (SVG units).
var funnelDash = []string{"6 4", "2 3"}

// funnelSVG draws a funnel plot: the limit curves, the pooled share, a dot
// per unit (outside the 99.8% limits in funnelOutlier), a label beside each
// unit outside the 95% limits, and the legend right of the plot.
func funnelSVG(b *strings.Builder, c *Chart, x, y func(float64) float64, legendX, top float64) {
	ns := c.funnelNs()
	for band := range FunnelBands {
		for side := range 2 {
			pts := make([]string, len(ns))
			for i, n := range ns {
				lo, hi := c.FunnelLimits(band, n)
				v := lo
				if side == 1 {
					v = hi
				}
				pts[i] = fmt.Sprintf("%.1f,%.1f", x(n), y(v))
			}
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.3" stroke-dasharray="%s"/>`, strings.Join(pts, " "), funnelLine, funnelDash[band])
		}
	}
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6"/>`, x(0), x(c.XMax), y(c.P0), y(c.P0), funnelLine)
	s := c.Series[0]
	for i, p := range s.Points {
		color := funnelDot
		out := c.FunnelOutside(i)
		if out == 1 {
			color = funnelOutlier
		}
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" fill-opacity="0.85" stroke="#fff" stroke-width="0.8"><title>%s</title></circle>`,
			x(p.X), y(p.Y), color, template.HTMLEscapeString(fmt.Sprintf("%s: %.0f%% of %.0f", s.label(i), 100*p.Y, p.X)))
		if out >= 0 {
			lx, anchor := x(p.X)+6, "start"
			if c.funnelLabelLeft(p.X) {
				lx, anchor = x(p.X)-6, "end"
			}
			// a white halo keeps the name readable where it crosses a curve
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="%s" fill="%s" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`, lx, y(p.Y)+4, anchor, color, template.HTMLEscapeString(s.label(i)))
		}
	}
	ly := top + 20
	fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, legendX+27, ly, funnelDot)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s</text>`, legendX+46, ly+4, template.HTMLEscapeString(s.Name))
	ly += 22
	fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, legendX+27, ly, funnelOutlier)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">outside 99.8%%</text>`, legendX+46, ly+4)
	ly += 22
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6"/>`, legendX+14, legendX+40, ly, ly, funnelLine)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s %.0f%%</text>`, legendX+46, ly+4, template.HTMLEscapeString(c.p0Name()), 100*c.P0)
	for band, fb := range FunnelBands {
		ly += 22
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.3" stroke-dasharray="%s"/>`, legendX+14, legendX+40, ly, ly, funnelLine, funnelDash[band])
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s</text>`, legendX+46, ly+4, fb.Name)
	}
}

// stepPath is the corners of a step function through pts (at each X the
// value jumps to that point's edge), as SVG coordinates.
func stepPath(pts []Point, x, y func(float64) float64, edge func(Point) float64) []string {
	out := make([]string, 0, 2*len(pts))
	var buf []byte
	xy := func(a, b float64) string { // fmt's "%.1f,%.1f", without its cost per point
		buf = strconv.AppendFloat(buf[:0], a, 'f', 1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, b, 'f', 1, 64)
		return string(buf)
	}
	for k, p := range pts {
		if k > 0 {
			out = append(out, xy(x(p.X), y(edge(pts[k-1]))))
		}
		out = append(out, xy(x(p.X), y(edge(p))))
	}
	return out
}

// linesSVG draws a line chart's series, straight from point to point with
// a dot on each (the years between loaded ones are not drawn as data), and
// its legend right of the plot, which ends at px.
func linesSVG(b *strings.Builder, c *Chart, x, y func(float64) float64, px float64) {
	const top = 36.0
	for i, s := range c.Series {
		var line []string
		flush := func() {
			if len(line) > 1 {
				fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.2"/>`, strings.Join(line, " "), s.Color)
			}
			line = line[:0]
		}
		for k, p := range s.Points {
			if k > 0 && s.gap(k) {
				flush()
				q := s.Points[k-1]
				fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.2" stroke-dasharray="2 4"/>`, x(q.X), y(q.Y), x(p.X), y(p.Y), s.Color)
			}
			line = append(line, fmt.Sprintf("%.1f,%.1f", x(p.X), y(p.Y)))
		}
		flush()
		for _, p := range s.Points {
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`, x(p.X), y(p.Y), s.Color)
		}
		ly := top + 20 + 22*float64(i)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`, px+14, px+40, ly, ly, s.Color)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#1a1a1a">%s</text>`, px+46, ly+4, template.HTMLEscapeString(s.Name))
	}
}

// yTicks are the value axis's gridlines: every 10 points (5 below 30%).
func yTicks(ymax float64) []float64 {
	step := 0.1
	if ymax <= 0.3 {
		step = 0.05
	}
	return steps(0, ymax, step)
}
