package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
)

// The pages' charts: server-drawn SVG, readable without JavaScript, every
// mark with a <title> (its value, interval and n) for hovering. Text is
// escaped here, so the result is safe to give html/template as
// template.HTML. Value axes start at 0 (valueAxis), except hazard ratios,
// drawn on a log scale with a reference line at 1.

// Colours of the cohorts, as style.css names them (--part, --comp).
const (
	colourAll         = "#1b1f24"
	colourParticipant = "#1f5f99"
	colourComparison  = "#b0541e"
	colourMuted       = "#5b6470"
	colourGrid        = "#d8dde3"
)

// cohortColour is the colour a cohort is drawn in.
func cohortColour(cohort string) string {
	switch cohort {
	case "PARTICIPANT":
		return colourParticipant
	case "COMPARISON":
		return colourComparison
	}
	return colourAll
}

// esc escapes text for SVG inside HTML.
func esc(s string) string { return template.HTMLEscapeString(s) }

// valueAxis maps values of one unit onto a length: linear from 0 (or from
// below 0 when a value is negative) to a nice maximum, or, for a ratio, a
// log scale around 1. Other charts (curves, maps) may reuse it.
type valueAxis struct {
	unit     string
	log      bool
	min, max float64 // the ends, in value
	step     float64 // linear: the gridline step
}

// newValueAxis is the axis that holds every value of vals (NaNs ignored).
func newValueAxis(unit string, vals ...float64) valueAxis {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if unit == "ratio" {
		a := valueAxis{unit: unit, log: true, min: 0.5, max: 2}
		if lo <= 0 || math.IsInf(lo, 0) {
			return a
		}
		a.min = math.Pow(2, math.Floor(math.Log2(math.Min(lo, 1))))
		a.max = math.Pow(2, math.Ceil(math.Log2(math.Max(hi, 1))))
		if a.min == a.max {
			a.min, a.max = a.min/2, a.max*2
		}
		return a
	}
	a := valueAxis{unit: unit}
	if math.IsInf(hi, 0) {
		hi, lo = 1, 0
	}
	if lo >= 0 {
		a.max = reports.NiceMax(hi)
		a.step = reports.NiceStep(a.max)
		if unit == "count" && a.step < 1 { // no gridline between two whole numbers
			a.step, a.max = 1, math.Max(1, math.Ceil(a.max))
		}
		return a
	}
	// below 0 (a difference): both ends on gridlines of one step
	a.step = reports.NiceStep(math.Max(hi, 0) - lo)
	a.min = -math.Ceil(-lo/a.step-1e-9) * a.step
	a.max = math.Max(0, math.Ceil(hi/a.step-1e-9)) * a.step
	if a.max == a.min {
		a.max = a.min + a.step
	}
	return a
}

// frac is where v falls on the axis, 0 at min and 1 at max (clamped).
func (a valueAxis) frac(v float64) float64 {
	var f float64
	if a.log {
		if v <= 0 {
			return 0
		}
		f = (math.Log(v) - math.Log(a.min)) / (math.Log(a.max) - math.Log(a.min))
	} else {
		f = (v - a.min) / (a.max - a.min)
	}
	return math.Max(0, math.Min(1, f))
}

// ticks are the gridlines' values.
func (a valueAxis) ticks() []float64 {
	var out []float64
	if a.log {
		n := math.Round(math.Log2(a.max / a.min))
		every := math.Max(1, math.Ceil(n/6))
		for k := 0.0; k <= n; k += every {
			out = append(out, a.min*math.Pow(2, k))
		}
		return out
	}
	for v := a.min; v <= a.max+a.step/1e6; v += a.step {
		out = append(out, math.Round(v/a.step)*a.step)
	}
	return out
}

// reference is the value a reference line marks: 1 for a ratio, 0 when
// the axis runs below 0.
func (a valueAxis) reference() (float64, bool) {
	switch {
	case a.log:
		return 1, true
	case a.min < 0:
		return 0, true
	}
	return 0, false
}

// tickLabel labels a gridline.
func (a valueAxis) tickLabel(v float64) string {
	switch a.unit {
	case "share":
		digits := 0
		if a.step > 0 && a.step < 0.01 {
			digits = 1
		}
		return strconv.FormatFloat(100*v, 'f', digits, 64) + "%"
	case "dollars":
		switch av := math.Abs(v); {
		case av >= 1e6:
			return "$" + strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
		case av >= 1e4:
			return "$" + strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
		}
		return "$" + reports.Thousands(int64(math.Round(v)))
	case "count", "days":
		return reports.Thousands(int64(math.Round(v)))
	}
	if a.log {
		return strconv.FormatFloat(v, 'f', -1, 64) // powers of two are exact
	}
	// as many decimals as the step needs, so 0.30000000000000004 reads 0.3
	digits := max(0, int(-math.Floor(math.Log10(a.step)+1e-9)))
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// intervalItem is one labelled row of an interval chart.
type intervalItem struct {
	Label            string
	Value, Low, High float64 // NaN when missing
	N                string  // what the right margin says of its size: "n 1,234", "n withheld"
	Withheld         bool    // --public withholds its numbers
	Colour           string  // "" ink
	// Bound, when not NaN, is a one-sided 95% bound drawn dashed from the
	// value, in place of an interval of zero width (reports.OneSidedBound).
	Bound float64
}

// intervalChart draws items as rows: a dot at the value and a whisker
// over its 95% interval against one value axis, the label on the left and
// the value and n on the right; a withheld row says so instead of showing
// a mark. It draws nothing for no items.
func intervalChart(title, unit string, items []intervalItem) template.HTML {
	if len(items) == 0 {
		return ""
	}
	const W, left, right, top, rowH = 760.0, 230.0, 130.0, 12.0, 20.0
	pw := W - left - right
	var vals []float64
	for _, it := range items {
		if !it.Withheld {
			vals = append(vals, it.Value, it.Low, it.High, it.Bound)
		}
	}
	ax := newValueAxis(unit, vals...)
	ph := rowH * float64(len(items))
	H := top + ph + 40
	x := func(v float64) float64 { return left + pw*ax.frac(v) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="intervals" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, W, H, esc(title), esc(title))
	for _, v := range ax.ticks() {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, x(v), x(v), top, top+ph, colourGrid)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="%s">%s</text>`, x(v), top+ph+15, colourMuted, esc(ax.tickLabel(v)))
	}
	if r, ok := ax.reference(); ok {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`, x(r), x(r), top, top+ph, colourAll)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, left, left+pw, top+ph, top+ph, colourMuted)
	axisName := unitWords(unit)
	if ax.log {
		axisName += " (log scale; the dashed line is 1, no difference)"
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="%s">%s</text>`, left+pw/2, top+ph+32, colourMuted, esc(axisName))
	for i, it := range items {
		y := top + rowH*(float64(i)+0.5)
		colour := it.Colour
		if colour == "" {
			colour = colourAll
		}
		hover := it.Label + ": " + describe(unit, it)
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(hover))
		fmt.Fprintf(&b, `<rect x="0" y="%.1f" width="%.0f" height="%.0f" fill="transparent"/>`, y-rowH/2, W, rowH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="%s">%s</text>`, left-8, y+4, colourAll, esc(shorten(it.Label, 32)))
		right := it.N
		switch {
		case it.Withheld:
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" font-style="italic" fill="%s">withheld (below the disclosure threshold)</text>`, left+4, y+4, colourMuted)
		case math.IsNaN(it.Value):
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" font-style="italic" fill="%s">no value</text>`, left+4, y+4, colourMuted)
		default:
			if !math.IsNaN(it.Bound) {
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6" stroke-dasharray="3 2"/>`, x(it.Value), x(it.Bound), y, y, colour)
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6"/>`, x(it.Bound), x(it.Bound), y-4, y+4, colour)
			}
			if !math.IsNaN(it.Low) && !math.IsNaN(it.High) {
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6"/>`, x(it.Low), x(it.High), y, y, colour)
				for _, e := range []float64{it.Low, it.High} {
					fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.6"/>`, x(e), x(e), y-4, y+4, colour)
				}
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`, x(it.Value), y, colour)
			right = formatValue(unit, it.Value) + "  " + it.N
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s" xml:space="preserve">%s</text>`, left+pw+10, y+4, colourAll, esc(right))
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// describe is a mark's hover text: value, interval and n.
func describe(unit string, it intervalItem) string {
	switch {
	case it.Withheld:
		return "withheld below the disclosure threshold"
	case math.IsNaN(it.Value):
		return "no value; " + it.N
	}
	s := formatValue(unit, it.Value)
	switch {
	case !math.IsNaN(it.Low) && !math.IsNaN(it.High):
		s += " (95% interval " + formatValue(unit, it.Low) + " to " + formatValue(unit, it.High) + ")"
	case !math.IsNaN(it.Bound):
		s += " (an interval of zero width; one-sided 95% bound " + formatValue(unit, it.Bound) + ", dashed)"
	default:
		s += " (no interval)"
	}
	if it.N != "" {
		s += ", " + it.N
	}
	return s
}

// unitWords names an axis's unit.
func unitWords(unit string) string {
	switch unit {
	case "share":
		return "share (%)"
	case "ratio":
		return "hazard ratio"
	case "rate":
		return "per 1,000 person-years"
	case "dollars":
		return "US dollars"
	case "":
		return "value"
	}
	return unit
}

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// linePoint is one point of a line chart: a value at a date, with its 95%
// interval (NaN when it has none).
type linePoint struct {
	At               time.Time
	Value, Low, High float64
	N                string // "n 1,234"
	Withheld         bool
}

// lineSeries is one line.
type lineSeries struct {
	Name   string
	Colour string
	Points []linePoint // in date order
}

// lineChart draws each series over dates: a line through its values, a
// shaded band over its 95% intervals and a whisker at each point (so a
// single point still shows its interval), against a value axis from 0 (a
// log scale for ratios); the dates of the points are the ticks. Withheld
// points are left out of the line and marked on the date axis. w and h
// size the drawing (its viewBox).
func lineChart(title, unit string, series []lineSeries, w, h float64) template.HTML {
	var dates []time.Time
	var vals []float64
	for _, s := range series {
		for _, p := range s.Points {
			if !containsTime(dates, p.At) {
				dates = append(dates, p.At)
			}
			if !p.Withheld {
				vals = append(vals, p.Value, p.Low, p.High)
			}
		}
	}
	if len(dates) == 0 {
		return ""
	}
	first, last := dates[0], dates[0]
	for _, d := range dates {
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	ax := newValueAxis(unit, vals...)
	const left, top, bottom = 52.0, 10.0, 38.0
	// a legend always, so that small multiples line up and a chart of
	// one group still names it
	const right = 110.0
	legend := true
	pw, ph := w-left-right, h-top-bottom
	f := lineFrame{left: left, top: top, pw: pw, ph: ph}
	f.x = func(t time.Time) float64 {
		if !last.After(first) {
			return left + pw/2
		}
		return left + pw*0.06 + pw*0.88*float64(t.Sub(first))/float64(last.Sub(first))
	}
	f.y = func(v float64) float64 { return top + ph*(1-ax.frac(v)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, w, h, esc(title), esc(title))
	f.drawValueAxis(&b, ax)
	f.drawDateAxis(&b, dates)
	for si, s := range series {
		colour := s.Colour
		if colour == "" {
			colour = colourAll
		}
		f.drawSeries(&b, unit, s, colour)
		if legend {
			ly := top + 12 + 16*float64(si)
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`, left+pw+8, left+pw+24, ly, ly, colour)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%s</text>`, left+pw+28, ly+3, colourAll, esc(shorten(s.Name, 14)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// lineFrame is where a line chart draws: the plot's left and top edges,
// its width and height, and the position of a date (x) and of a value
// (y).
type lineFrame struct {
	left, top, pw, ph float64
	x                 func(time.Time) float64
	y                 func(float64) float64
}

// drawValueAxis draws the value axis's grid lines and their labels, the
// reference line (a ratio's 1) when the axis has one, and the date axis's
// baseline.
func (f lineFrame) drawValueAxis(b *strings.Builder, ax valueAxis) {
	for _, v := range ax.ticks() {
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, f.left, f.left+f.pw, f.y(v), f.y(v), colourGrid)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end" fill="%s">%s</text>`, f.left-4, f.y(v)+3, colourMuted, esc(ax.tickLabel(v)))
	}
	if r, ok := ax.reference(); ok {
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>`, f.left, f.left+f.pw, f.y(r), f.y(r), colourAll)
	}
	fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, f.left, f.left+f.pw, f.top+f.ph, f.top+f.ph, colourMuted)
}

// drawDateAxis draws a tick at every date and the axis's title; labels go
// from the latest back, each far enough from the one after it not to
// overlap.
func (f lineFrame) drawDateAxis(b *strings.Builder, dates []time.Time) {
	const labelW = 60.0
	sorted := sortTimes(dates)
	next := math.Inf(1)
	for i := len(sorted) - 1; i >= 0; i-- {
		d := sorted[i]
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`, f.x(d), f.x(d), f.top+f.ph, f.top+f.ph+4, colourMuted)
		if next-f.x(d) >= labelW {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">%s</text>`, f.x(d), f.top+f.ph+15, colourMuted, esc(d.Format(time.DateOnly)))
			next = f.x(d)
		}
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">period end (D) of each transform</text>`, f.left+f.pw/2, f.top+f.ph+30, colourMuted)
}

// drawSeries draws one series in colour: the band over its intervals and the
// line through its values (each when it has two points or more), then
// each point with its whisker and hover text, a dash on the date axis for
// a point withheld or without a value.
func (f lineFrame) drawSeries(b *strings.Builder, unit string, s lineSeries, colour string) {
	x, y := f.x, f.y
	var upper, lower, line []string
	for _, p := range s.Points {
		if p.Withheld || math.IsNaN(p.Value) {
			continue
		}
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(p.At), y(p.Value)))
		if !math.IsNaN(p.Low) && !math.IsNaN(p.High) {
			upper = append(upper, fmt.Sprintf("%.1f,%.1f", x(p.At), y(p.High)))
			lower = append([]string{fmt.Sprintf("%.1f,%.1f", x(p.At), y(p.Low))}, lower...)
		}
	}
	if len(upper) > 1 {
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.14"/>`, strings.Join(append(upper, lower...), " "), colour)
	}
	if len(line) > 1 {
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(line, " "), colour)
	}
	for _, p := range s.Points {
		it := intervalItem{Label: s.Name, Value: p.Value, Low: p.Low, High: p.High, N: p.N, Withheld: p.Withheld, Bound: math.NaN()}
		fmt.Fprintf(b, `<g><title>%s</title>`, esc(s.Name+", D "+p.At.Format(time.DateOnly)+": "+describe(unit, it)))
		switch {
		case p.Withheld || math.IsNaN(p.Value):
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="%s">–</text>`, x(p.At), f.top+f.ph-4, colourMuted)
		default:
			if !math.IsNaN(p.Low) && !math.IsNaN(p.High) {
				fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.2"/>`, x(p.At), x(p.At), y(p.Low), y(p.High), colour)
			}
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`, x(p.At), y(p.Value), colour)
		}
		b.WriteString(`</g>`)
	}
}

func containsTime(ts []time.Time, t time.Time) bool {
	return slices.ContainsFunc(ts, t.Equal)
}

func sortTimes(ts []time.Time) []time.Time {
	out := slices.Clone(ts)
	slices.SortFunc(out, time.Time.Compare)
	return out
}
