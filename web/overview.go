package web

import (
	"cmp"
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/schemas"
)

// notInSnapshot is what a change cell says when the transform to compare
// with was not published: never a number made up in its place.
const notInSnapshot = "not in the snapshot"

// overview is the headline of the snapshot's headline transform: each
// metric's whole-population rows with intervals, n, the metric each is
// read beside, the change from the transforms a quarter and a year
// earlier, and each metric's trend across the transforms in the snapshot.
func (s *Server) overview(r *request) (*Page, error) {
	o, err := r.overviewData()
	if err != nil {
		return nil, err
	}
	docs := congress.DisplayOrder(s.opt.Metrics)
	o.byID = map[string]reports.MetricDoc{}
	for _, d := range docs {
		o.byID[d.ID] = d
	}
	headline := headlineTable(r, o)
	trend := trendTable()

	var missing, associational, adjusted []string
	zero := false
	p := &Page{Title: "Overview"}
	for _, d := range docs {
		now := o.rows[o.head].of(d.ID)
		if len(now) == 0 {
			missing = append(missing, d.ID)
			continue
		}
		caveat := ""
		switch {
		case d.Adjusted:
			caveat = "adjusted association, not effect"
			adjusted = append(adjusted, d.ID)
		case d.Associational || d.Contrast:
			caveat = "association, not effect"
			associational = append(associational, d.ID)
		}
		series, zw := s.overviewMetric(o, d, caveat, now, headline, trend)
		zero = zero || zw
		title := d.Title + " (" + d.ID + ")"
		p.Charts = append(p.Charts, Chart{Title: title, Table: "trend", Draw: func() template.HTML {
			return lineChart(title+": trend across the transforms in the snapshot", d.Unit, series, 380, 190)
		}})
	}

	p.Lead = fmt.Sprintf("The headline numbers of the snapshot's headline transform (%s), each with its 95%% interval, the n it rests on, the metric it must be read beside, and its change from the transforms a quarter and a year earlier. A metric's name opens it in Explore; a value opens its lineage.", o.head)
	if r.public() {
		p.Lead = fmt.Sprintf("The headline numbers of the snapshot's headline transform (%s), each with its 95%% interval, the n it rests on, the metric it must be read beside, and its change from the transforms a quarter and a year earlier. A metric's name opens it in Explore.", o.head)
	}
	p.Tables = []*Table{headline, trend}
	p.Notes = s.overviewNotes(r, o, associational, adjusted, missing, zero)
	return p, nil
}

// overviewData is what the overview reads: the headline transform, one
// transform per D (onePerD) with each one's whole-population rows, the
// transforms a quarter and a year before the headline's D (ok when the
// snapshot has them), and the registry's metrics by id.
type overviewData struct {
	head   transformKey
	chosen []transformKey
	rows   map[transformKey]wholeRows
	prevQ  transformKey
	okQ    bool
	prevY  transformKey
	okY    bool
	byID   map[string]reports.MetricDoc
}

// overviewData reads the overview's transforms and their
// whole-population rows; the caller fills in byID.
func (r *request) overviewData() (*overviewData, error) {
	head, err := r.headline()
	if err != nil {
		return nil, err
	}
	all, err := r.transforms()
	if err != nil {
		return nil, err
	}
	o := &overviewData{head: head, chosen: onePerD(all, head), rows: map[transformKey]wholeRows{}}
	for _, t := range o.chosen {
		ms, err := r.metricRows(t, selection{Any: []string{"period", "cohort"}})
		if err != nil {
			return nil, err
		}
		o.rows[t] = indexWhole(ms, t)
	}
	o.prevQ, o.okQ = findD(o.chosen, schemas.LastQuarterEnd(head.AsOf))
	o.prevY, o.okY = findD(o.chosen, head.AsOf.AddDate(-1, 0, 0)) // quarter ends fall on the same day every year
	return o, nil
}

// headlineTable is the overview's headline table, without rows: its
// columns, a title linking to Explore and, but in the public view, a
// value linking to its lineage.
func headlineTable(r *request, o *overviewData) *Table {
	headline := &Table{Name: "headline", Caption: "Headline: every metric for the whole population, as of D " + o.head.AsOf.Format(time.DateOnly)}
	headline.Columns = []Column{
		hMetric:  {Name: "metric_id", Label: "Metric", Comment: "the registry's id; opens the metric in Explore"},
		hTitle:   {Name: "title", Label: "Title"},
		hCohort:  {Name: "cohort", Label: "Group", Comment: "PARTICIPANT: graduates; COMPARISON: peers who did not attend; ALL: everyone counted"},
		hPeriod:  {Name: "period", Label: "Period", Comment: "ALL: everything up to D; FYnnnn: the fiscal year of D, for metrics counted per period"},
		hValue:   {Name: "value", Label: "Value", Unit: "row", Comment: "opens the number's lineage: the people, files and run behind it"},
		hLow:     {Name: "ci_low", Label: "95% low", Unit: "row"},
		hHigh:    {Name: "ci_high", Label: "95% high", Unit: "row"},
		hN:       {Name: "n", Label: "n", Unit: "count", Count: true, Comment: "the people (or enrollments, posts) the value rests on"},
		hBeside:  {Name: "read_beside", Label: "Read beside (metric)", Comment: "the metric the registry says this one must be read beside"},
		hBesideV: {Name: "read_beside_value", Label: "Read beside", Unit: "row", Comment: "for the same group, the value of the metric the registry says this one must be read beside (named in the column read_beside: for outcome rates, tracking coverage)"},
		hChangeQ: {Name: "change_last_quarter", Label: "Change, last quarter", Unit: "row", Comment: changeComment("last quarter", o.prevQ, o.okQ)},
		hChangeY: {Name: "change_year_ago", Label: "Change, a year ago", Unit: "row", Comment: changeComment("a year earlier", o.prevY, o.okY)},
		hNote:    {Name: "note", Label: "Note"},
		hCaveat:  {Name: "caveat", Label: "Caveat", Comment: "the caveat the registry attaches; its full words are under the tables"},
		hUnit:    {Name: "unit", Label: "Unit"},
	}
	explore := func(row []any) string { return "/explore?metric=" + url.QueryEscape(text(row[hMetric])) }
	headline.Columns[hTitle].Link = explore
	if !r.public() {
		head := o.head
		headline.Columns[hValue].Link = func(row []any) string {
			return lineageURL(text(row[hMetric]), map[string]string{"cohort": text(row[hCohort]), "period": text(row[hPeriod])}, head)
		}
	}
	return headline
}

// trendTable is the overview's trend table, without rows: the same rows
// in every transform of the snapshot, each metric linking to Explore.
func trendTable() *Table {
	trend := &Table{Name: "trend", Caption: "Trend: the same rows in every transform of the snapshot", PageSize: 36}
	trend.Columns = []Column{
		{Name: "metric_id", Label: "Metric"}, {Name: "cohort", Label: "Group"}, {Name: "period", Label: "Period"},
		{Name: "as_of", Label: "D"}, {Name: "vintage", Label: "Vintage"},
		{Name: "value", Label: "Value", Unit: "row"}, {Name: "ci_low", Label: "95% low", Unit: "row"}, {Name: "ci_high", Label: "95% high", Unit: "row"},
		{Name: "n", Label: "n", Unit: "count", Count: true}, {Name: "note", Label: "Note"},
	}
	trend.Columns[0].Link = func(row []any) string { return "/explore?metric=" + url.QueryEscape(text(row[0])) }
	return trend
}

// overviewMetric adds metric d's rows now (one a group) to the headline
// table and their rows in every chosen transform to the trend table. It
// returns the trend chart's lines, one a group, and whether a row's
// interval of zero width gave way to a one-sided bound.
func (s *Server) overviewMetric(o *overviewData, d reports.MetricDoc, caveat string, now []metricRow, headline, trend *Table) ([]lineSeries, bool) {
	var series []lineSeries
	zero := false
	for _, m := range now {
		row, zw := s.headlineRow(o, d, m, caveat)
		zero = zero || zw
		headline.Rows = append(headline.Rows, row)
		series = append(series, o.trendSeries(d, m.Keys["cohort"], m.Keys["period"], trend))
	}
	return series, zero
}

// headlineRow is the headline table's row of m, a row of metric d in the
// headline transform, and whether its interval of zero width gave way to
// a one-sided bound.
func (s *Server) headlineRow(o *overviewData, d reports.MetricDoc, m metricRow, caveat string) ([]any, bool) {
	cohort, period := m.Keys["cohort"], m.Keys["period"]
	lo, hi, note, zw := limits(d.Unit, m)
	row := make([]any, hColumns)
	row[hMetric], row[hTitle], row[hCohort], row[hPeriod], row[hUnit] = d.ID, d.Title, cohort, period, unitLabel(d)
	row[hValue], row[hLow], row[hHigh], row[hN] = measure(d.Unit, m.Value), lo, hi, countCell(m.N)
	row[hChangeQ], row[hChangeY] = s.change(d, m, o.rows, o.head, o.prevQ, o.okQ), s.change(d, m, o.rows, o.head, o.prevY, o.okY)
	row[hNote], row[hCaveat] = note, caveat
	if d.ReadBeside != "" {
		row[hBeside] = d.ReadBeside
		row[hBesideV] = beside(o.rows[o.head], o.byID[d.ReadBeside], cohort)
	}
	if m.Suppressed {
		row[hValue], row[hLow], row[hHigh], row[hN] = withheld, withheld, withheld, withheld
	}
	return row, zw
}

// trendSeries adds to trend the rows of metric d's group cohort in each
// chosen transform (for a metric counted per period, those at the same
// day of their fiscal year as the headline's), and returns them as one
// line of the trend chart.
func (o *overviewData) trendSeries(d reports.MetricDoc, cohort, period string, trend *Table) lineSeries {
	ls := lineSeries{Name: cohortWords(cohort), Colour: cohortColour(cohort)}
	for _, t := range o.chosen {
		tm, ok := o.rows[t].find(d.ID, cohort)
		if !ok || !samePointOfYear(period, t, o.head) {
			continue
		}
		tlo, thi, tnote, _ := limits(d.Unit, tm)
		tr := []any{d.ID, cohort, tm.Keys["period"], t.AsOf, t.Vintage, measure(d.Unit, tm.Value), tlo, thi, countCell(tm.N), tnote}
		if tm.Suppressed {
			tr[5], tr[6], tr[7], tr[8] = withheld, withheld, withheld, withheld
		}
		trend.Rows = append(trend.Rows, tr)
		ls.Points = append(ls.Points, linePoint{At: t.AsOf, Value: nan(tm.Value), Low: nan(tm.Low), High: nan(tm.High),
			N: nText(tm.N, tm.Suppressed), Withheld: tm.Suppressed})
	}
	return ls
}

// overviewNotes are the overview's notes: what each change column
// compares with and how to read a change, the read-beside column, the
// caveats of the metrics that compare groups (associational, then each
// adjustment's words once for the metrics that share them), the bound
// method when a row needed it, the metrics with no whole-population row
// and, in the public view, the disclosure rule.
func (s *Server) overviewNotes(r *request, o *overviewData, associational, adjusted, missing []string, zero bool) []string {
	notes := []string{
		comparedWith("last quarter", schemas.LastQuarterEnd(o.head.AsOf), o.prevQ, o.okQ),
		comparedWith("a year earlier", o.head.AsOf.AddDate(-1, 0, 0), o.prevY, o.okY),
		"A change is the value now minus the value then, for the same metric and group (shares in percentage points). It is a difference of two estimates with no interval of its own: most of the same people are in both, so it is not a test, and a change smaller than either interval's half-width may be noise; read the two values' intervals (Explore, or the trend charts) before reading a change as real. A metric counted per period shows its fiscal year to date (FYnnnn): it is compared only with a transform at the same day of its fiscal year (a year ago: the fiscal year before, to the same day), never with a quarter earlier, when the year to date spanned fewer months. Each trend chart draws the value at every transform in the snapshot (for a metric counted per period, those at the same day of their fiscal year) with its 95% interval as a band and whiskers; hover a point for its value, interval and n. Explore shows every quarter.",
		"Read beside: the metric the registry says a reader must see beside this one (for outcome rates, tracking coverage: a rate rests only on the people whose careers are still reported), for the same group.",
	}
	if len(associational) > 0 {
		notes = append(notes, "Participants against comparison peers ("+strings.Join(associational, ", ")+"): "+congress.Associational)
	}
	// what each adjustment does and does not do, in the registry's words,
	// once for the metrics that share them
	var texts []string
	ids := map[string][]string{}
	for _, id := range adjusted {
		c := joinCaveats(o.byID[id].Caveats)
		if _, seen := ids[c]; !seen {
			texts = append(texts, c)
		}
		ids[c] = append(ids[c], id)
	}
	for _, c := range texts {
		notes = append(notes, "Adjusted association, not effect ("+strings.Join(ids[c], ", ")+"): "+c)
	}
	if zero {
		notes = append(notes, reports.BoundMethod)
	}
	if len(missing) > 0 {
		notes = append(notes, "No whole-population row in this transform (they are published only by a disaggregation, or not at all): "+strings.Join(missing, ", ")+". Open them in Explore.")
	}
	if r.public() {
		notes = append(notes, congress.DisclosureRule(s.opt.MinCell))
	}
	return notes
}

// The headline table's columns.
const (
	hTitle = iota
	hCohort
	hPeriod
	hValue
	hLow
	hHigh
	hN
	hBesideV
	hChangeQ
	hChangeY
	hNote
	hCaveat
	hBeside
	hUnit
	hMetric
	hColumns
)

// beside is the cell of the metric a row is read beside, for its group;
// for a row of everyone (a hazard ratio of the two groups) without an
// ALL row of its own, each group's value in words.
func beside(w wholeRows, d reports.MetricDoc, cohort string) any {
	if b, ok := w.find(d.ID, cohort); ok {
		if b.Suppressed {
			return withheld
		}
		return measure(d.Unit, b.Value)
	}
	if cohort != congress.All {
		return nil
	}
	var parts []string
	for _, b := range w.of(d.ID) {
		v := "withheld"
		if !b.Suppressed {
			v = reports.Format(d.Unit, b.Value)
		}
		parts = append(parts, cohortWords(b.Keys["cohort"])+" "+v)
	}
	if len(parts) == 0 {
		return nil
	}
	return strings.Join(parts, ", ")
}

// wholeRows are one transform's whole-population rows, by metric, in the
// period the overview shows (wholePeriod).
type wholeRows map[string][]metricRow

// indexWhole keeps, of each metric's rows, those of its overview period,
// groups in the order all, participants, comparison.
func indexWhole(ms []metricRow, t transformKey) wholeRows {
	byMetric := map[string][]metricRow{}
	for _, m := range ms {
		byMetric[m.Metric] = append(byMetric[m.Metric], m)
	}
	out := wholeRows{}
	for id, rs := range byMetric {
		period := wholePeriod(rs, t)
		for _, m := range rs {
			if m.Keys["period"] == period {
				out[id] = append(out[id], m)
			}
		}
		slices.SortStableFunc(out[id], func(a, b metricRow) int {
			return cmp.Or(cmp.Compare(cohortRank(a.Keys["cohort"]), cohortRank(b.Keys["cohort"])), cmp.Compare(a.Keys["cohort"], b.Keys["cohort"]))
		})
	}
	return out
}

// wholePeriod is the period the overview shows of a metric: ALL (as of D)
// when it has one, else the fiscal year of D, as the quarterly report and
// the congressional summary read a metric counted per period.
func wholePeriod(rs []metricRow, t transformKey) string {
	if slices.ContainsFunc(rs, func(m metricRow) bool { return m.Keys["period"] == congress.All }) {
		return congress.All
	}
	return "FY" + strconv.Itoa(schemas.FiscalYear(t.AsOf))
}

func (w wholeRows) of(id string) []metricRow { return w[id] }

// find is a metric's row of one group.
func (w wholeRows) find(id, cohort string) (metricRow, bool) {
	for _, m := range w[id] {
		if m.Keys["cohort"] == cohort {
			return m, true
		}
	}
	return metricRow{}, false
}

func cohortRank(c string) int {
	if i := slices.Index([]string{congress.All, "PARTICIPANT", "COMPARISON"}, c); i >= 0 {
		return i
	}
	return 3
}

// cohortWords names a group for a legend.
func cohortWords(c string) string {
	switch c {
	case "PARTICIPANT":
		return "graduates"
	case "COMPARISON":
		return "comparison"
	case congress.All:
		return "all"
	}
	return c
}

// onePerD keeps one transform per D, oldest first: the headline's vintage
// where a D has it, else that D's newest vintage.
func onePerD(all []transformKey, head transformKey) []transformKey {
	best := map[time.Time]transformKey{}
	for _, t := range all {
		d := t.AsOf.UTC()
		b, ok := best[d]
		switch {
		case !ok, t.Vintage == head.Vintage, b.Vintage != head.Vintage && t.Vintage > b.Vintage:
			best[d] = t
		}
	}
	best[head.AsOf.UTC()] = head
	out := make([]transformKey, 0, len(best))
	for _, t := range best {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b transformKey) int { return a.AsOf.Compare(b.AsOf) })
	return out
}

// findD is the chosen transform of day d.
func findD(ts []transformKey, d time.Time) (transformKey, bool) {
	for _, t := range ts {
		if t.AsOf.Format(time.DateOnly) == d.Format(time.DateOnly) {
			return t, true
		}
	}
	return transformKey{}, false
}

// change is the cell of m's change from the transform then: the
// difference of the values of the same metric and group (the period of
// then's fiscal year for a metric counted per period), or why there is
// none.
func (s *Server) change(d reports.MetricDoc, m metricRow, rows map[transformKey]wholeRows, head, then transformKey, ok bool) any {
	if !ok {
		return notInSnapshot
	}
	was, found := rows[then].find(d.ID, m.Keys["cohort"])
	switch {
	case !found:
		return "not computed then"
	case !samePointOfYear(m.Keys["period"], then, head):
		return notLikeForLike
	case !found:
		return "not computed then"
	case m.Suppressed || was.Suppressed:
		return withheld
	case !m.Value.Valid || !was.Value.Valid:
		return nil
	}
	return measured{v: m.Value.Float64 - was.Value.Float64, unit: d.Unit, change: true}
}

// notLikeForLike is the change cell of a metric counted per period from a
// transform at another point of its fiscal year: the fiscal year to date
// then spanned other months, so the difference is not a change.
const notLikeForLike = "not like for like (fiscal year to date)"

// samePointOfYear says whether transform t's row of a metric in period
// may be set beside the headline's: any for an as-of-D metric (period
// ALL); for one counted per period (its fiscal year to date), only a
// transform whose D is the same day of its fiscal year, so both cover the
// same months.
func samePointOfYear(period string, t, head transformKey) bool {
	if period == congress.All {
		return true
	}
	return t.AsOf.Month() == head.AsOf.Month() && t.AsOf.Day() == head.AsOf.Day()
}

func changeComment(what string, t transformKey, ok bool) string {
	if !ok {
		return "the transform of " + what + " is " + notInSnapshot
	}
	return "value now minus the value of " + t.String()
}

// comparedWith says which transform a change column compares with.
func comparedWith(what string, d time.Time, t transformKey, ok bool) string {
	if !ok {
		return fmt.Sprintf("Change from %s: the transform of D %s is %s (run 'imet transform --as-of %s' and publish to add it).", what, d.Format(time.DateOnly), notInSnapshot, d.Format(time.DateOnly))
	}
	return fmt.Sprintf("Change from %s: compared with the transform of %s.", what, t)
}

// nan is a nullable value, NaN when missing (for the charts).
func nan(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// nText is what a chart says of a row's n.
func nText(n sql.NullInt64, suppressed bool) string {
	switch {
	case suppressed:
		return "n withheld"
	case !n.Valid:
		return "n unknown"
	}
	return "n " + reports.Thousands(n.Int64)
}
