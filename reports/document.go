package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/imet-project/imet/transform/estimate"
)

// Document is a report's content, independent of how it is drawn: the HTML
// and PDF renderers walk the same Document, so both carry the same tables,
// charts and words.
type Document struct {
	Title    string
	Subtitle string
	Facts    [][2]string // label, value: period end, vintage, run, version
	Sections []Section
}

// Section is one numbered part of a report.
type Section struct {
	ID     string // anchor
	Title  string
	Blocks []Block
}

// Block is one paragraph, caveat, table or chart (exactly one is set).
type Block struct {
	Text  string
	Note  string // a caveat the reader must not miss
	Table *Table
	Chart *Chart
}

// Table is a table with a caption and header; cells are already formatted
// for display (values are rounded here, never in the warehouse).
type Table struct {
	Caption string
	Columns []string
	Numeric []bool // right-aligned columns
	Rows    [][]string
}

// Chart is a step chart of Kaplan-Meier curves with confidence bands,
// (Stacked) a stacked step chart of shares that add up to one, or (Lines)
// a line chart of amounts over fiscal years.
type Chart struct {
	Title  string
	Desc   string // the text alternative: what the chart shows, in words
	XLabel string
	YLabel string
	XMin   float64 // Lines: the first year; Kaplan-Meier charts start at 0
	XMax   float64
	YMax   float64
	Series []Series
	// Lines draws straight lines between the points, a dot on each, no
	// bands, the x axis in years (XMin to XMax); YUnit says how the value
	// axis is labelled: "" shares (12%), "dollars" ($4M), "count" (1,200).
	Lines bool
	YUnit string
	// Stacked fills each series as a layer from the bottom up: a point's Y
	// is the layer's top edge (the shares of the layers below plus its
	// own), the layer fills down to the series before it (the first to 0),
	// and all series step at the same X. Only the first layer's band is
	// drawn, as two dotted lines.
	Stacked bool
	// Funnel draws a funnel plot: the first series' points are the units
	// (X = their number n, Y = their share; Labels name them), a line at
	// the share P0 of all units together and around it the exact binomial
	// 95% and 99.8% limits of a share of n (FunnelLimits) for n from 1 to
	// XMax; a unit outside the 95% limits is labelled on the chart.
	Funnel bool
	P0     float64
	P0Name string // how the legend names the line at P0, e.g. "all countries"
	// RiskLabel, when set, prints the numbers at risk of the HTML chart
	// (the web withholds those below the disclosure threshold); nil: the
	// number with thousands separators.
	RiskLabel func(n int64) string
}

// p0Name is how the legend names the line at P0.
func (c *Chart) p0Name() string {
	if c.P0Name != "" {
		return c.P0Name
	}
	return "pooled"
}

// funnelLabelLeft says whether a funnel plot's label of a unit at n goes
// left of its dot: near the right edge, where it would run into the legend.
func (c *Chart) funnelLabelLeft(n float64) bool { return n > 0.88*c.XMax }

// FunnelBands are the funnel plot's limits, inner first: their names and
// the probabilities of their lower and upper curves (estimate.FunnelProbs).
var FunnelBands = []struct {
	Name   string
	Lo, Hi float64
}{{"95% limits", 0.025, 0.975}, {"99.8% limits", 0.001, 0.999}}

// FunnelLimits are the lower and upper limits of band b (FunnelBands) for
// a share of n around the chart's P0.
func (c *Chart) FunnelLimits(b int, n float64) (lo, hi float64) {
	k := int(math.Round(n))
	return estimate.FunnelLimit(FunnelBands[b].Lo, k, c.P0), estimate.FunnelLimit(FunnelBands[b].Hi, k, c.P0)
}

// funnelNs are the numbers n at which the limit curves are drawn: every
// whole number up to XMax, or about 300 of them.
func (c *Chart) funnelNs() []float64 {
	return steps(1, c.XMax, math.Max(1, math.Ceil(c.XMax/300)))
}

// steps are from, from + step, … up to to (to itself when a step lands on
// it, within rounding).
func steps(from, to, step float64) []float64 {
	var out []float64
	for v := from; v <= to+1e-9; v += step {
		out = append(out, v)
	}
	return out
}

// FunnelOutside says, of a funnel plot's unit i, the widest band whose
// limits its share lies outside: -1 inside the 95% limits, 0 outside
// them, 1 outside the 99.8% limits too. Outside is judged on the count x
// = share × n against the binomial quantiles themselves (x below
// qbinom(Lo, n, P0) or above qbinom(Hi, n, P0): the exact tail
// probability is below the band's), not against the interpolated curves,
// which lie between the quantiles: a dot exactly at a quantile, such as 3
// of 3, may sit just beyond a curve and is inside.
func (c *Chart) FunnelOutside(i int) int {
	p := c.Series[0].Points[i]
	n := int(math.Round(p.X))
	x := math.Round(p.Y * p.X)
	out := -1
	for b, fb := range FunnelBands {
		if x < estimate.QBinom(fb.Lo, n, c.P0) || x > estimate.QBinom(fb.Hi, n, c.P0) {
			out = b
		}
	}
	return out
}

// FunnelOutliers names the units outside band b's limits, above or below,
// for the text alternative: "Ghana (GHA) above, Peru (PER) below" with
// label naming a unit by its Labels entry (nil: the entry itself); ""
// when none.
func (c *Chart) FunnelOutliers(b int, label func(string) string) string {
	if label == nil {
		label = func(s string) string { return s }
	}
	var names []string
	for i, p := range c.Series[0].Points {
		if c.FunnelOutside(i) < b {
			continue
		}
		side := "above"
		if p.Y < c.P0 {
			side = "below"
		}
		names = append(names, label(c.Series[0].label(i))+" "+side)
	}
	return strings.Join(names, ", ")
}

// xTicks are the chart's x-axis ticks: XTicks for a Kaplan-Meier chart;
// for a line chart, years from XMin, every year or every few.
func (c *Chart) xTicks(xmax float64) []float64 {
	if c.Funnel {
		return steps(0, xmax, niceStep(xmax/6))
	}
	if !c.Lines {
		return XTicks(xmax)
	}
	return steps(c.XMin, xmax, math.Max(1, math.Ceil((xmax-c.XMin)/10)))
}

// valueTicks are the value axis's gridlines, from 0.
func (c *Chart) valueTicks(ymax float64) []float64 {
	if c.YUnit == "" {
		return yTicks(ymax)
	}
	return steps(0, ymax, niceStep(ymax/5))
}

// niceStep is 1, 2 or 5 times a power of ten, at least x.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x-1e-9 {
			return m * p
		}
	}
	return 10 * p
}

// NiceStep is the gridline step of a value axis spanning x in about five
// steps: 1, 2 or 5 times a power of ten (NiceMax ends on one).
func NiceStep(x float64) float64 { return niceStep(x / 5) }

// NiceMax is the top of a value axis holding x: the first tick at or above
// it, so the axis ends on a labelled gridline.
func NiceMax(x float64) float64 {
	if x <= 0 {
		return 1
	}
	step := niceStep(x / 5)
	return math.Ceil(x/step-1e-9) * step
}

// valueLabel labels a gridline of the value axis.
func (c *Chart) valueLabel(v float64) string {
	switch c.YUnit {
	case "dollars":
		switch {
		case v == 0:
			return "$0"
		case v >= 1e6:
			return "$" + strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
		case v >= 1e3:
			return "$" + strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
		}
		return "$" + thousands(int64(math.Round(v)))
	case "count":
		return thousands(int64(math.Round(v)))
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

// Series is one curve.
type Series struct {
	Name   string
	Color  string // CSS hex colour
	Points []Point
	AtRisk []AtRisk // the number at risk at each tick of the time axis (XTicks)
	// RiskName names the row of numbers at risk when it is not the series'
	// Name (a stacked chart's one row belongs to the whole group).
	RiskName string
	// Labels name the points (a funnel plot's units), one per point.
	Labels []string
	// Marks are points that say their values when hovered (an SVG
	// <title>): the web's charts set them, the report's do not.
	Marks []Mark
}

// Mark is a point of a series with the words a reader sees on hovering it.
type Mark struct {
	X, Y  float64
	Title string
}

// gap reports whether a line chart's points k−1 and k are more than a
// year apart: the years between are not loaded, so the two are joined by
// a dotted line rather than drawn as if the years between were data.
func (s Series) gap(k int) bool { return s.Points[k].X-s.Points[k-1].X > 1 }

// label is point i's name, or its number.
func (s Series) label(i int) string {
	if i < len(s.Labels) {
		return s.Labels[i]
	}
	return strconv.Itoa(i + 1)
}

// riskName is what the series' row of numbers at risk is called.
func (s Series) riskName() string {
	if s.RiskName != "" {
		return s.RiskName
	}
	return s.Name
}

// riskRows is how many series carry numbers at risk.
func (c *Chart) riskRows() int {
	n := 0
	for _, s := range c.Series {
		if len(s.AtRisk) > 0 {
			n++
		}
	}
	return n
}

// AtRisk is how many people were still followed (and without the event) at
// time X: the row of numbers printed under a Kaplan-Meier chart.
type AtRisk struct {
	X float64
	N int64
}

// riskLabel is how the chart prints a number at risk.
func (c *Chart) riskLabel(n int64) string {
	if c.RiskLabel != nil {
		return c.RiskLabel(n)
	}
	return thousands(n)
}

// AtRiskText is the numbers at risk in words, for a chart's text
// alternative.
func (c *Chart) AtRiskText() string {
	var at []string
	for _, s := range c.Series {
		var parts []string
		for _, r := range s.AtRisk {
			parts = append(parts, fmt.Sprintf("%s at %.0f", c.riskLabel(r.N), r.X))
		}
		if len(parts) > 0 {
			at = append(at, s.riskName()+": "+strings.Join(parts, ", "))
		}
	}
	if len(at) == 0 {
		return ""
	}
	what := "still followed, without the event"
	if c.Stacked {
		what = "still followed, neither reached nor left"
	}
	return "Number at risk (" + what + ") by year: " + strings.Join(at, "; ") + "."
}

// XTicks are the time axis's ticks of a chart reaching xmax: every year, or
// every few years so there are at most about ten. Both renderers draw them,
// and the numbers at risk are counted at them.
func XTicks(xmax float64) []float64 {
	if xmax <= 0 {
		xmax = 1
	}
	return steps(0, xmax, math.Max(1, math.Ceil(xmax/10)))
}

// Point is one step: from X on, the curve is at Y with band [Lo, Hi].
type Point struct{ X, Y, Lo, Hi float64 }

// MetricDoc is what reports print about a metric: the registry's words,
// passed in by the caller (reports does not import transform).
type MetricDoc struct {
	ID, Title, Definition, Population, Event string
	Estimator                                string // the prose the methodology prints
	EstimatorCode                            string // its stable name (km_attainment, cox_hr, wilson, …)
	// Unit, NumUnit and DenUnit are the measures of the value, numerator
	// and denominator: share, dollars, days, count, ratio, rate or number;
	// UnitLabel is the value's unit in words ("US dollars per graduate").
	Unit, NumUnit, DenUnit, UnitLabel string
	ReadBeside                        string // a metric to show beside this one (TRACK_24M)
	ShownAfter                        string // the metric this one is placed right after
	Associational                     bool   // compares participants with peers: an association
	Contrast                          bool   // the value itself is the comparison of the cohorts
	// CompetingExits: an Aalen-Johansen cumulative incidence with leaving
	// the service competing; IfNobodyLeft: a 1 − Kaplan-Meier attainment,
	// to be labelled schemas.IfNobodyLeftLabel, CompetingExitsAs its competing-exits counterpart;
	// Adjusted: weighted for selection, shown with its adjusted caveat; Of:
	// the hazard ratio an E-value or minimum detectable effect belongs to.
	CompetingExits, IfNobodyLeft, Adjusted bool
	CompetingExitsAs, Of                   string
	// From: the metric whose rows this one is computed from, row by row
	// (LEAD_PENETRATION_SHRUNK: LEAD_PENETRATION), shown beside it.
	From    string
	Caveats []string
}
