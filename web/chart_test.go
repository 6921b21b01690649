package web

import (
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/reports"
)

func TestValueAxis(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		unit     string
		vals     []float64
		min, max float64
		log      bool
		ref      float64
		hasRef   bool
	}{
		{"share from 0", "share", []float64{0.12, 0.31, math.NaN()}, 0, 0.4, false, 0, false},
		{"counts from 0", "count", []float64{120, 3400}, 0, 4000, false, 0, false},
		{"a difference below 0", "share", []float64{-0.02, 0.09}, -0.05, 0.1, false, 0, true},
		{"ratios on a log scale about 1", "ratio", []float64{0.6, 1.57, 2.2}, 0.5, 4, true, 1, true},
		{"ratios all above 1 still show 1", "ratio", []float64{1.2, 1.5}, 1, 2, true, 1, true},
		{"nothing", "share", nil, 0, 1, false, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newValueAxis(c.unit, c.vals...)
			if math.Abs(a.min-c.min) > 1e-9 || math.Abs(a.max-c.max) > 1e-9 || a.log != c.log {
				t.Errorf("axis %v to %v (log %v), want %v to %v (log %v)", a.min, a.max, a.log, c.min, c.max, c.log)
			}
			ticks := a.ticks()
			if len(ticks) < 2 || math.Abs(ticks[0]-a.min) > 1e-9 || ticks[len(ticks)-1] > a.max+1e-9 {
				t.Errorf("ticks %v do not run from %v within %v", ticks, a.min, a.max)
			}
			for _, v := range c.vals {
				if !math.IsNaN(v) && (a.frac(v) < 0 || a.frac(v) > 1) {
					t.Errorf("%v falls outside the axis (%v)", v, a.frac(v))
				}
			}
			ref, ok := a.reference()
			if ok != c.hasRef || (ok && ref != c.ref) {
				t.Errorf("reference %v %v, want %v %v", ref, ok, c.ref, c.hasRef)
			}
		})
	}
	if got := newValueAxis("share", 0.3).tickLabel(0.1); got != "10%" {
		t.Errorf("a share tick reads %q", got)
	}
	if got := newValueAxis("dollars", 15e6).tickLabel(5e6); got != "$5M" {
		t.Errorf("a dollar tick reads %q", got)
	}
	if got := newValueAxis("rate", 0.32).tickLabel(0.1 + 0.2); got != "0.3" {
		t.Errorf("a rate tick reads %q", got)
	}
	if a := newValueAxis("count", 0, 0); a.step != 1 || a.max != 1 {
		t.Errorf("a count axis of zeros steps %v to %v", a.step, a.max)
	}
}

// wellFormed parses an SVG as XML.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("the SVG is not well-formed: %v\n%s", err, svg)
			}
			return
		}
	}
}

func TestIntervalChart(t *testing.T) {
	t.Parallel()
	if got := intervalChart("empty", "share", nil); got != "" {
		t.Errorf("no items draws %q", got)
	}
	items := []intervalItem{
		{Label: `<script>alert("x")</script>`, Value: 0.25, Low: 0.2, High: 0.3, N: "n 1,234", Bound: math.NaN()},
		{Label: "Withheld land", Value: math.NaN(), Low: math.NaN(), High: math.NaN(), N: "n withheld", Withheld: true, Bound: math.NaN()},
		{Label: "Nobody", Value: 0, Low: math.NaN(), High: math.NaN(), N: "n 40", Bound: 0.072},
	}
	svg := string(intervalChart("Share & more", "share", items))
	wellFormed(t, svg)
	if strings.Contains(svg, "<script>") {
		t.Error("a label reached the SVG unescaped")
	}
	for _, want := range []string{
		"<title>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;: 25.0% (95% interval 20.0% to 30.0%), n 1,234</title>",
		"withheld (below the disclosure threshold)",
		"one-sided 95% bound 7.2%",
		"Share &amp; more",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, "<circle "); n != 2 {
		t.Errorf("%d dots for two rows with values", n)
	}
	if strings.Contains(svg, " style=") {
		t.Error("the chart has an inline style, which the CSP refuses")
	}
}

func TestLineChart(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	series := []lineSeries{
		{Name: "graduates", Colour: colourParticipant, Points: []linePoint{
			{At: d("2025-09-30"), Value: 0.14, Low: 0.12, High: 0.16, N: "n 2,000"},
			{At: d("2026-06-30"), Value: 0.15, Low: 0.13, High: 0.17, N: "n 2,400"},
			{At: d("2026-09-30"), Value: math.NaN(), Low: math.NaN(), High: math.NaN(), N: "n withheld", Withheld: true},
		}},
		{Name: "comparison", Colour: colourComparison, Points: []linePoint{{At: d("2026-09-30"), Value: 0.09, Low: 0.07, High: 0.12, N: "n 600"}}},
	}
	svg := string(lineChart("Trend", "share", series, 380, 190))
	wellFormed(t, svg)
	if n := strings.Count(svg, "<circle "); n != 3 {
		t.Errorf("%d dots for three points with values", n)
	}
	if n := strings.Count(svg, "<polygon "); n != 1 {
		t.Errorf("%d bands; only the series with two intervals has one", n)
	}
	for _, want := range []string{"graduates, D 2026-06-30: 15.0% (95% interval 13.0% to 17.0%), n 2,400", "withheld below the disclosure threshold", ">0%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	// the two close dates are not both labelled on top of each other
	if strings.Contains(svg, ">2026-06-30<") && strings.Contains(svg, ">2026-09-30<") {
		t.Error("two dates 3 months apart are both labelled on a small chart")
	}
	if got := lineChart("none", "share", nil, 380, 190); got != "" {
		t.Errorf("no series draws %q", got)
	}
}

func TestMeasured(t *testing.T) {
	t.Parallel()
	m := measured{v: 0.1234, unit: "share"}
	b, err := json.Marshal([]any{m, measured{v: math.NaN(), unit: "share"}})
	if err != nil || string(b) != "[0.1234,null]" {
		t.Errorf("JSON %s %v", b, err)
	}
	if got := cell(Column{Unit: "row"}, m); got != "12.3%" {
		t.Errorf("HTML %q", got)
	}
	if got := text(m); got != "0.1234" {
		t.Errorf("CSV %q", got)
	}
	if got := cell(Column{Unit: "row"}, measured{v: -0.021, unit: "share", change: true}); got != "−2.1 pts" {
		t.Errorf("a change reads %q", got)
	}
	if got := formatValue("number", 2.5236); got != "2.52" {
		t.Errorf("an E-value reads %q", got)
	}
	if got := formatValue("p", 0.0004); got != "< 0.001" {
		t.Errorf("a p-value reads %q", got)
	}
	if x, ok := number(m); !ok || x != 0.1234 {
		t.Errorf("sorting reads %v %v", x, ok)
	}
	lo, hi, note, zero := limits("share", metricRow{Value: sql.NullFloat64{Float64: 0, Valid: true}, Low: sql.NullFloat64{Valid: true}, High: sql.NullFloat64{Valid: true}, N: sql.NullInt64{Int64: 40, Valid: true}})
	if lo != nil || hi != nil || !zero || !strings.Contains(note, "none of 40") {
		t.Errorf("a zero-width interval gives %v %v %q %v", lo, hi, note, zero)
	}
}

func TestOnePerD(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	head := transformKey{d("2026-09-30"), 19}
	got := onePerD([]transformKey{head, {d("2026-06-30"), 20}, {d("2026-06-30"), 19}, {d("2026-06-30"), 18}, {d("2025-09-30"), 17}, {d("2025-09-30"), 16}}, head)
	want := []transformKey{{d("2025-09-30"), 17}, {d("2026-06-30"), 19}, head}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
	if _, ok := findD(got, d("2024-09-30")); ok {
		t.Error("found a D that is not there")
	}
}

func TestChangeNotInSnapshot(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	s := &Server{}
	head := transformKey{d("2026-09-30"), 19}
	row := func(period string, v float64) metricRow {
		return metricRow{Metric: "M", Keys: map[string]string{"cohort": "ALL", "period": period}, Value: sql.NullFloat64{Float64: v, Valid: true}}
	}
	doc := reportsDoc("M", "share")
	if got := s.change(doc, row("ALL", 0.5), nil, head, transformKey{}, false); got != notInSnapshot {
		t.Errorf("an absent transform gives %v", got)
	}
	prevQ, prevY := transformKey{d("2026-06-30"), 19}, transformKey{d("2025-09-30"), 19}
	rows := map[transformKey]wholeRows{prevQ: {"M": {row("FY2026", 0.4)}}, prevY: {"M": {row("FY2025", 0.3)}}}
	if got := s.change(doc, row("FY2026", 0.5), rows, head, prevQ, true); got != notLikeForLike {
		t.Errorf("a fiscal year to date a quarter apart gives %v", got)
	}
	if got, ok := s.change(doc, row("FY2026", 0.5), rows, head, prevY, true).(measured); !ok || math.Abs(got.v-0.2) > 1e-12 || !got.change {
		t.Errorf("a year apart gives %v", got)
	}
	if !strings.Contains(comparedWith("last quarter", prevQ.AsOf, transformKey{}, false), "not in the snapshot") {
		t.Error("the note does not say the transform is not in the snapshot")
	}
}

func reportsDoc(id, unit string) reports.MetricDoc { return reports.MetricDoc{ID: id, Unit: unit} }
