package web

import (
	"cmp"
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/transform/estimate"
)

// curveGroupings are the ways /curves splits the population: cohort is
// read from the transform's own step tables (km_curves, cif_curves); the
// others are fitted per request from the person-level outcomes table with
// the transform's estimators.
var curveGroupings = []Option{
	{"cohort", "cohort"}, {"region", "region"}, {"country_code", "country"},
	{"course_category", "course category"}, {"graduation_cohort", "graduation cohort"}, {"sex", "sex"},
}

// curveCohorts are whom a grouping other than cohort covers.
var curveCohorts = []Option{{"PARTICIPANT", "graduates (PARTICIPANT)"}, {"COMPARISON", "comparison peers"}, {"ALL", "both cohorts"}}

// chartGroups is how many groups the chart draws at most (the largest);
// the tables give every group.
const chartGroups = 8

// curveColors are the series' colours, the report's two first.
var curveColors = []string{"#1f5fa8", "#b8561b", "#2e8540", "#7b3fa0", "#c2185b", "#00838f", "#8d6e1f", "#555555"}

// curve is one group's step table, as attainment (1 − S) for Kaplan-Meier.
type curve struct {
	Group  string
	N      int64 // people in the group
	Events int64
	Steps  []curveStep
}

type curveStep struct {
	Time                          float64 // days since the index date
	NRisk, NEvent, NCensor, NExit int64
	Est, Low, High                float64 // NaN: not estimable
}

// curves draws cumulative attainment curves per group with 95% bands and
// numbers at risk.
func (s *Server) curves(r *request) (*Page, error) {
	t, err := r.headline()
	if err != nil {
		return nil, err
	}
	kmOut, cifOut, err := r.curveOutcomes(t)
	if err != nil {
		return nil, err
	}
	if len(kmOut) == 0 {
		return nil, fmt.Errorf("%w: the headline transform (%s) has no Kaplan-Meier curves", errNotFound, t)
	}
	outcome := r.param("outcome", kmOut[0])
	if !slices.Contains(kmOut, outcome) {
		return nil, badf("outcome=%s: choose one of %s", outcome, strings.Join(kmOut, ", "))
	}
	kind, kinds, fellBack, err := pickEstimate(r, outcome, cifOut)
	if err != nil {
		return nil, err
	}
	by := r.param("by", "cohort")
	if !slices.ContainsFunc(curveGroupings, func(o Option) bool { return o.Value == by }) {
		return nil, badf("by=%s: choose one of %s", by, optionValues(curveGroupings))
	}
	outcomeOpts := make([]Option, len(kmOut))
	for i, o := range kmOut {
		outcomeOpts[i] = Option{o, o}
	}
	p := &Page{
		Title: "Curves",
		Lead: "Cumulative attainment of an outcome by years since graduation (the index date), per group, with 95% bands and the number still followed under the time axis. " +
			"Kaplan-Meier curves are drawn as attainment, 1 − S: the share who would have reached it if nobody left the service (those who left count as followed until they left). " +
			"Cumulative incidence (Aalen-Johansen) is the share who reached it before leaving, leaving being a competing exit; it is drawn as is.",
		Filters: []*Filter{
			{Name: "outcome", Label: "Outcome", Value: outcome, Options: outcomeOpts},
			{Name: "estimate", Label: "Estimate", Value: kind, Options: kinds},
			{Name: "by", Label: "Groups", Value: by, Options: curveGroupings},
		},
	}
	if fellBack != "" {
		p.Notes = append(p.Notes, fellBack)
	}
	groups, err := r.curveGroups(p, t, outcome, kind, by)
	if err != nil {
		return nil, err
	}
	if r.public() {
		groups = publicCurves(p, groups, int64(r.s.opt.MinCell))
	}
	p.Tables = []*Table{curveSummary(groups, by, kind), curveSteps(groups, by, kind)}
	if len(groups) > 0 {
		p.Charts = []Chart{{Title: curveTitle(outcome, kind, by), Table: "steps", Draw: func() template.HTML {
			return template.HTML(curveChart(groups, outcome, kind, by, r.public(), int64(r.s.opt.MinCell)))
		}}}
	}
	if len(groups) > chartGroups {
		p.Notes = append(p.Notes, fmt.Sprintf("The chart draws the %d largest of the %d groups; the tables list every group.", chartGroups, len(groups)))
	}
	p.Notes = append(p.Notes, fmt.Sprintf("The chart draws each curve while at least %d people are at risk: the steps after that, of a handful of people, would look more certain than they are (the steps table has them).", r.s.opt.MinCell))
	p.Notes = append(p.Notes, "Bands are pointwise 95% intervals (log scale, as R's survfit). Numbers at risk are the people still followed, without the event (and, for cumulative incidence, without having left), at each year.")
	return p, nil
}

// curveOutcomes are the outcomes transform t has Kaplan-Meier curves of
// and those it has cumulative incidence curves of.
func (r *request) curveOutcomes(t transformKey) (km, cif []string, err error) {
	km, err = r.strings(`SELECT DISTINCT outcome FROM km_curves WHERE as_of = ?::DATE AND vintage = ? ORDER BY 1`, t.AsOf.Format(time.DateOnly), t.Vintage)
	if err != nil {
		return nil, nil, fmt.Errorf("list km_curves outcomes: %w", err)
	}
	cif, err = r.strings(`SELECT DISTINCT outcome FROM cif_curves WHERE as_of = ?::DATE AND vintage = ? ORDER BY 1`, t.AsOf.Format(time.DateOnly), t.Vintage)
	if err != nil {
		return nil, nil, fmt.Errorf("list cif_curves outcomes: %w", err)
	}
	return km, cif, nil
}

// pickEstimate reads ?estimate= for outcome: km or cif, the estimates the
// outcome offers, and, when cif was asked of an outcome without a
// competing-exit curve (the form keeps the last outcome's choice), the
// note that km is drawn instead.
func pickEstimate(r *request, outcome string, cifOut []string) (kind string, kinds []Option, fellBack string, err error) {
	kind = r.param("estimate", "km")
	kinds = []Option{{"km", "attainment if nobody left (1 − Kaplan-Meier)"}}
	if slices.Contains(cifOut, outcome) {
		kinds = append(kinds, Option{"cif", "reached before leaving (cumulative incidence)"})
	}
	switch {
	case kind == "cif" && len(kinds) == 1:
		// the form keeps the last outcome's choice: say so and draw km
		fellBack = outcome + " has no competing-exit curve (cif_curves holds " + strings.Join(cifOut, ", ") + "): showing 1 − Kaplan-Meier."
		kind = "km"
	case kind != "km" && kind != "cif":
		return "", nil, "", badf("estimate=%s: choose km (1 − Kaplan-Meier) or cif (cumulative incidence)", kind)
	}
	return kind, kinds, fellBack, nil
}

// curveGroups are the curves of outcome per group of by: for cohort the
// transform's own step tables, else fitted here from the outcomes table
// for the cohort ?cohort= (a filter on p). It notes on p where they come
// from.
func (r *request) curveGroups(p *Page, t transformKey, outcome, kind, by string) ([]curve, error) {
	var groups []curve
	var err error
	if by == "cohort" {
		groups, err = r.storedCurves(t, outcome, kind)
		p.Notes = append(p.Notes, fmt.Sprintf("Curves of the transform's own step tables (%s, %s).", map[string]string{"km": "km_curves", "cif": "cif_curves"}[kind], t))
	} else {
		cohort := r.param("cohort", "PARTICIPANT")
		if !slices.ContainsFunc(curveCohorts, func(o Option) bool { return o.Value == cohort }) {
			return nil, badf("cohort=%s: choose one of %s", cohort, optionValues(curveCohorts))
		}
		p.Filters = append(p.Filters, &Filter{Name: "cohort", Label: "Of", Value: cohort, Options: curveCohorts})
		groups, err = r.fittedCurves(outcome, kind, by, cohort)
		p.Notes = append(p.Notes, fmt.Sprintf("Curves fitted here from the person-level outcomes table (the headline transform, %s) with the transform's own estimator (%s).",
			t, map[string]string{"km": "Kaplan-Meier", "cif": "Aalen-Johansen"}[kind]))
	}
	return groups, err
}

// publicCurves are the groups as the public view shows them: those of at
// least k people, each coarsened to whole years (coarsen), with notes on
// p saying what was left out.
func publicCurves(p *Page, groups []curve, k int64) []curve {
	n := len(groups)
	groups = slices.DeleteFunc(groups, func(c curve) bool { return c.N < k })
	if dropped := n - len(groups); dropped > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d group%s of fewer than %d people %s not drawn or listed (public view).", dropped, plural(dropped), k, map[bool]string{true: "is", false: "are"}[dropped == 1]))
	}
	for i := range groups {
		groups[i].Steps = coarsen(groups[i].Steps, k)
	}
	p.Notes = append(p.Notes, fmt.Sprintf("Public view: each curve is shown at whole years only, and a year's point only when at least %d events happened since the last point shown and at least %d people are at risk (otherwise the year joins the next), so no step reveals a count from 1 to %d; counts from 1 to %d are withheld: shown as — in the tables and <%d under the chart.", k, k, k-1, k-1, k))
	return groups
}

// coarsen is a curve as --public may show it: one point at each whole year
// (365.25 days) since the index date, kept only when at least k events
// happened since the last point kept (or none at all) and at least k
// people are at risk; a year that fails joins the next. The counts of a
// kept point are those since the last kept point, so neither a jump of the
// estimate nor a difference of two points can be traced to fewer than k
// people.
func coarsen(steps []curveStep, k int64) []curveStep {
	const year = 365.25
	var out []curveStep
	var pend curveStep // counts since the last kept point
	last := curveStep{Est: 0, Low: 0, High: 0}
	next := year
	flush := func(at float64, risk int64) {
		if pend.NEvent != 0 && pend.NEvent < k || risk < k {
			return
		}
		pt := curveStep{Time: at, NRisk: risk, NEvent: pend.NEvent, NCensor: pend.NCensor, NExit: pend.NExit, Est: last.Est, Low: last.Low, High: last.High}
		out = append(out, pt)
		pend = curveStep{}
	}
	risk := int64(0)
	if len(steps) > 0 {
		risk = steps[0].NRisk
	}
	for _, st := range steps {
		for st.Time > next {
			flush(next, risk)
			next += year
		}
		pend.NEvent += st.NEvent
		pend.NCensor += st.NCensor
		pend.NExit += st.NExit
		risk = st.NRisk - st.NEvent - st.NCensor - st.NExit
		last = st
	}
	flush(next, risk)
	return out
}

func curveTitle(outcome, kind, by string) string {
	what := "attainment if nobody left (1 − Kaplan-Meier)"
	if kind == "cif" {
		what = "reached before leaving (cumulative incidence)"
	}
	return fmt.Sprintf("%s: %s, by %s", outcome, what, labelOf(curveGroupings, by))
}

// storedCurves reads the transform's step tables, one curve per cohort.
func (r *request) storedCurves(t transformKey, outcome, kind string) ([]curve, error) {
	q := `SELECT cohort, time, n_risk, n_event, n_censor, 0::BIGINT, 1 - surv, 1 - ci_high, 1 - ci_low FROM km_curves
		WHERE outcome = ? AND as_of = ?::DATE AND vintage = ? ORDER BY cohort DESC, time`
	if kind == "cif" {
		q = `SELECT cohort, time, n_risk, n_event, n_censor, n_exit, p_event, ci_low, ci_high FROM cif_curves
		WHERE outcome = ? AND as_of = ?::DATE AND vintage = ? ORDER BY cohort DESC, time`
	}
	rows, err := r.query(q, outcome, t.AsOf.Format(time.DateOnly), t.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read curves of %s: %w", outcome, err)
	}
	defer rows.Close()
	var out []curve
	for rows.Next() {
		var g string
		var st curveStep
		var est, lo, hi sql.NullFloat64
		if err := rows.Scan(&g, &st.Time, &st.NRisk, &st.NEvent, &st.NCensor, &st.NExit, &est, &lo, &hi); err != nil {
			return nil, fmt.Errorf("read curves of %s: %w", outcome, err)
		}
		st.Est, st.Low, st.High = nullNaN(est), nullNaN(lo), nullNaN(hi)
		if len(out) == 0 || out[len(out)-1].Group != g {
			out = append(out, curve{Group: g, N: st.NRisk})
		}
		c := &out[len(out)-1]
		c.Events += st.NEvent
		c.Steps = append(c.Steps, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read curves of %s: %w", outcome, err)
	}
	return out, nil
}

// fittedCurves fits one curve per value of the column by of outcomes, of
// one cohort (ALL: both), with estimate.KaplanMeier or
// estimate.AalenJohansen, the estimators the transform writes km_curves and
// cif_curves with.
func (r *request) fittedCurves(outcome, kind, by, cohort string) ([]curve, error) {
	// by is one of curveGroupings' values, never the request's text
	q := `SELECT coalesce(` + by + `::VARCHAR, '(none)'), list(time::DOUBLE ORDER BY time), list(status ORDER BY time), list(cr_status ORDER BY time)
		FROM outcomes WHERE outcome = ? AND (? = 'ALL' OR cohort = ?) GROUP BY 1 ORDER BY 1`
	rows, err := r.query(q, outcome, cohort, cohort)
	if err != nil {
		return nil, fmt.Errorf("read outcomes of %s by %s: %w", outcome, by, err)
	}
	defer rows.Close()
	var out []curve
	for rows.Next() {
		var g string
		var times, status, cr []any
		if err := rows.Scan(&g, &times, &status, &cr); err != nil {
			return nil, fmt.Errorf("read outcomes of %s by %s: %w", outcome, by, err)
		}
		c := curve{Group: g, N: int64(len(times))}
		if kind == "km" {
			obs := make([]estimate.Obs, len(times))
			for i := range times {
				ev, _ := status[i].(bool)
				obs[i] = estimate.Obs{Time: anyFloat(times[i]), Event: ev}
			}
			km := estimate.KaplanMeier(obs)
			c.Events = int64(km.Events)
			for _, s := range km.Steps {
				c.Steps = append(c.Steps, curveStep{Time: s.Time, NRisk: int64(s.NRisk), NEvent: int64(s.NEvent), NCensor: int64(s.NCensor),
					Est: 1 - s.Surv, Low: 1 - s.Upper, High: 1 - s.Lower})
			}
		} else {
			tm, st := make([]float64, len(times)), make([]int, len(times))
			for i := range times {
				tm[i], st[i] = anyFloat(times[i]), int(anyFloat(cr[i]))
			}
			aj, err := estimate.AalenJohansen(tm, st, nil)
			if err != nil {
				return nil, fmt.Errorf("fit %s for %s %s: %w", outcome, by, g, err)
			}
			c.Events = int64(aj.Events[estimate.StateEvent])
			for _, s := range aj.Steps {
				lo, hi := s.Limits(estimate.StateEvent)
				c.Steps = append(c.Steps, curveStep{Time: s.Time, NRisk: int64(s.NRisk), NEvent: int64(s.NEvent[estimate.StateEvent]),
					NExit: int64(s.NEvent[estimate.StateExit]), NCensor: int64(s.NCensor), Est: s.P[estimate.StateEvent], Low: lo, High: hi})
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outcomes of %s by %s: %w", outcome, by, err)
	}
	return out, nil
}

// curveSummary is one row per group: its n, events, and the curve at 5
// years and at the end of follow-up.
func curveSummary(groups []curve, by, kind string) *Table {
	t := &Table{Name: "groups", Caption: "Groups", Sortable: true, Columns: []Column{
		{Name: by, Label: labelOf(curveGroupings, by)},
		{Name: "n", Label: "n", Unit: "count", Count: true, Comment: "people in the group with follow-up"},
		{Name: "events", Label: "events", Unit: "count", Count: true},
		{Name: "at_5y", Label: "at 5 years", Unit: "share"},
		{Name: "at_5y_low", Label: "95% low", Unit: "share"},
		{Name: "at_5y_high", Label: "95% high", Unit: "share"},
		{Name: "followed_days", Label: "follow-up to", Unit: "days", Comment: "the last time of the curve"},
		{Name: "at_end", Label: "at the end", Unit: "share"},
	}}
	for _, g := range groups {
		row := []any{g.Group, g.N, g.Events, nil, nil, nil, nil, nil}
		if len(g.Steps) > 0 {
			last := g.Steps[len(g.Steps)-1]
			if last.Time >= 5*365.25 {
				st := stepAt(g.Steps, 5*365.25)
				row[3], row[4], row[5] = nanNil(st.Est), nanNil(st.Low), nanNil(st.High)
			}
			row[6], row[7] = last.Time, nanNil(last.Est)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// curveSteps is every step of every group: the chart's numbers.
func curveSteps(groups []curve, by, kind string) *Table {
	cols := []Column{
		{Name: by, Label: labelOf(curveGroupings, by)},
		{Name: "time", Label: "days", Unit: "number", Comment: "days since the index date"},
		{Name: "n_risk", Label: "at risk", Unit: "count", Count: true, Comment: "still followed just before this time, without the event"},
		{Name: "n_event", Label: "events", Unit: "count", Count: true},
		{Name: "n_censor", Label: "censored", Unit: "count", Count: true, Comment: "follow-up ended at this time without the event"},
	}
	if kind == "cif" {
		cols = append(cols, Column{Name: "n_exit", Label: "left first", Unit: "count", Count: true, Comment: "left the service before any event, at this time"})
	}
	est := "attainment, 1 − S (Kaplan-Meier)"
	if kind == "cif" {
		est = "cumulative incidence (Aalen-Johansen)"
	}
	cols = append(cols, Column{Name: "estimate", Label: "estimate", Unit: "share", Comment: est},
		Column{Name: "low", Label: "95% low", Unit: "share"}, Column{Name: "high", Label: "95% high", Unit: "share"})
	t := &Table{Name: "steps", Caption: "Steps of each curve", Sortable: true, PageSize: 50, Columns: cols}
	for _, g := range groups {
		for _, s := range g.Steps {
			row := []any{g.Group, s.Time, s.NRisk, s.NEvent, s.NCensor}
			if kind == "cif" {
				row = append(row, s.NExit)
			}
			t.Rows = append(t.Rows, append(row, nanNil(s.Est), nanNil(s.Low), nanNil(s.High)))
		}
	}
	return t
}

// stepAt is the step in force at time x (days): the last with Time <= x,
// or the start (0, with its band) before the first.
func stepAt(steps []curveStep, x float64) curveStep {
	st := curveStep{}
	if len(steps) > 0 {
		st.NRisk = steps[0].NRisk
	}
	for _, s := range steps {
		if s.Time > x {
			break
		}
		st = s
	}
	return st
}

// atRiskAt is the number at risk at x (days): the n_risk of the first step
// at or after x, 0 past the last (as the report counts it).
func atRiskAt(steps []curveStep, x float64) int64 {
	for _, s := range steps {
		if s.Time >= x {
			return s.NRisk
		}
	}
	return 0
}

// curveChart draws the largest groups with the report's Kaplan-Meier
// chart, hover values every half year.
func curveChart(groups []curve, outcome, kind, by string, public bool, k int64) string {
	drawn := slices.Clone(groups)
	if len(drawn) > chartGroups {
		slices.SortStableFunc(drawn, func(a, b curve) int { return cmp.Compare(b.N, a.N) })
		drawn = drawn[:chartGroups]
	}
	count := func(n int64) string {
		if public && n > 0 && n < k {
			return fmt.Sprintf("<%d", k)
		}
		return reports.Thousands(n)
	}
	// the figure's caption titles the chart; the SVG's own title line is left out
	c := &reports.Chart{XLabel: "years since graduation (index date)", YLabel: "share who reached it"}
	// Steps closer than about half a pixel of the plot (some 700 wide)
	// are drawn as one: thousands of steps of a large program look the
	// same, and the page stays fast. The tables keep every step.
	var span float64
	for _, g := range drawn {
		for _, s := range g.Steps {
			span = math.Max(span, s.Time/365.25)
		}
	}
	minDX := math.Ceil(span) / 1400
	for i, g := range drawn {
		ser := reports.Series{Name: g.Group, Color: curveColors[i%len(curveColors)], Points: []reports.Point{{}}}
		for _, s := range g.Steps {
			if s.NRisk < k {
				break // the tail of a handful of people: the table has it
			}
			if math.IsNaN(s.Est) {
				continue
			}
			p := reports.Point{X: s.Time / 365.25, Y: s.Est, Lo: s.Low, Hi: s.High}
			if math.IsNaN(s.Low) || math.IsNaN(s.High) {
				p.Lo, p.Hi = p.Y, p.Y
			}
			if last := len(ser.Points) - 1; last > 0 && p.X-ser.Points[last-1].X < minDX {
				ser.Points[last] = p // within half a pixel of the point before: one step
			} else {
				ser.Points = append(ser.Points, p)
			}
			c.YMax = math.Max(c.YMax, p.Hi)
			c.XMax = math.Max(c.XMax, p.X)
		}
		c.Series = append(c.Series, ser)
	}
	c.RiskLabel = count
	c.XMax = math.Ceil(c.XMax)
	c.YMax = math.Min(1, math.Max(0.1, math.Ceil(c.YMax*10)/10))
	for i, g := range drawn {
		ser := &c.Series[i]
		for _, x := range reports.XTicks(c.XMax) {
			n := atRiskAt(g.Steps, x*365.25)
			ser.AtRisk = append(ser.AtRisk, reports.AtRisk{X: x, N: n})
		}
		last := ser.Points[len(ser.Points)-1].X
		for x := 0.5; x <= last; x += 0.5 {
			st := stepAt(g.Steps, x*365.25)
			if math.IsNaN(st.Est) {
				continue
			}
			ser.Marks = append(ser.Marks, reports.Mark{X: x, Y: st.Est, Title: fmt.Sprintf("%s, %s: %s (95%% %s); %s at risk",
				g.Group, yearsText(x), pct(st.Est), bandText(st.Low, st.High), count(atRiskAt(g.Steps, x*365.25)))})
		}
	}
	var desc []string
	for _, s := range c.Series {
		if len(s.Points) > 1 {
			last := s.Points[len(s.Points)-1]
			desc = append(desc, fmt.Sprintf("%s: %s at %s", s.Name, pct(last.Y), yearsText(last.X)))
		}
	}
	c.Desc = curveTitle(outcome, kind, by) + ". At the end of follow-up: " + strings.Join(desc, "; ") + "."
	return reports.ChartSVG(c, "curves")
}

func yearsText(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f years", x)
	}
	return fmt.Sprintf("%.1f years", x)
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func bandText(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "no interval"
	}
	return pct(lo) + "–" + pct(hi)
}

// strings runs a query of one text column.
func (r *request) strings(q string, args ...any) ([]string, error) {
	rows, err := r.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func optionValues(opts []Option) string {
	vs := make([]string, len(opts))
	for i, o := range opts {
		vs[i] = o.Value
	}
	return strings.Join(vs, ", ")
}

func labelOf(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func nullNaN(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// nanNil is a float as a cell: nil when not a number.
func nanNil(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// anyFloat is a number DuckDB gave in a list.
func anyFloat(v any) float64 {
	x, _ := number(v)
	return x
}
