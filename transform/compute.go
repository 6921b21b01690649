package transform

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform/estimate"
)

// computer turns one metric's unit rows into metric_values rows.
type computer struct {
	tx      *sql.Tx
	conn    *sql.Conn           // the connection of tx, for the appender (writeRecords)
	tables  map[string][]column // the columns of the tables written, from the catalog
	opt     Options
	vintage int64
	units   map[string]bool // units made in this run
	// once are the units a single scalar metric of the run reads
	// (readOnce): made as views, not tables.
	once map[string]bool
	// reads are the time-to-event reads of the run's survival metrics
	// (planReads), each holding its lists from its first metric to its
	// last (timeLists, release).
	reads map[string]*listRead
	// groups are the grouping queries of the run's metrics (planGroups),
	// each holding its rows from its first metric to its last.
	groups map[string]*groupQuery
	// cohorts keep, by read (readKey), the lists of each cohort of an
	// outcome's people for its curves, once the read's metrics are done
	// (release).
	cohorts map[string]map[string]*timeLists
	// done keeps each survival metric's rows by group, for the metrics
	// computed from its estimate (Of).
	done map[string]map[string]*row
	// common caches whether LEAD_RANK is a common outcome (E-values).
	common *bool
	// pending are metric_values rows not written yet (flush), in the
	// table's column order.
	pending [][]driver.Value
	// ipwNote says why the adjusted analysis has no weights, or what
	// positivity dropped; set by the lead_rank_ipw unit.
	ipwNote string
}

// row is one metric_values row before it is written.
type row struct {
	keys                                map[string]string
	n, events                           sql.NullInt64
	num, den, value, low, high, p, padj float64 // NaN = NULL
	note                                []string
	// share is the participant share of a contrast's analysed group (for
	// its minimum detectable effect).
	share float64
}

func newRow(keys map[string]string) *row {
	nan := math.NaN()
	return &row{keys: keys, num: nan, den: nan, value: nan, low: nan, high: nan, p: nan, padj: nan, share: nan}
}

// survival says whether the estimator works on a group's time-to-event
// lists.
func (e Estimator) survival() bool {
	switch e {
	case KMAttainment, KMRetention, KMMedian, CoxHR, AJIncidence, AJExit, FineGraySHR, CoxHRIPW, AJIncidenceIPW, AJDiffIPW:
		return true
	}
	return false
}

// competing says whether the estimator needs the competing-risk status.
func (e Estimator) competing() bool {
	switch e {
	case AJIncidence, AJExit, FineGraySHR, AJIncidenceIPW, AJDiffIPW:
		return true
	}
	return false
}

// Evidence says whether the estimator is one of evidence.md (version 2).
func (e Estimator) Evidence() bool {
	switch e {
	case AJIncidence, AJExit, FineGraySHR, CoxHRIPW, AJIncidenceIPW, AJDiffIPW, EValue, MinDetectable:
		return true
	}
	return false
}

// keySig names a row's group: its keys in Keys order (a key not given
// reads ALL).
func keySig(keys map[string]string) string {
	var b strings.Builder
	for _, k := range Keys {
		v, ok := keys[k]
		if !ok {
			v = "ALL"
		}
		b.WriteString(v)
		b.WriteByte(0)
	}
	return b.String()
}

// sigKeys are the keys of a group keySig named.
func sigKeys(sig string) map[string]string {
	vals := strings.Split(strings.TrimSuffix(sig, "\x00"), "\x00")
	keys := make(map[string]string, len(Keys))
	for i, k := range Keys {
		if i < len(vals) {
			keys[k] = vals[i]
		}
	}
	return keys
}

// level names a row's disaggregation level: the keys other than period
// that hold a value (e.g. country_code for every country row).
func level(keys map[string]string) string {
	var parts []string
	for _, k := range Keys {
		if v, ok := keys[k]; ok && k != "period" && v != "ALL" {
			parts = append(parts, k)
		}
	}
	return strings.Join(parts, ",")
}

// adjustP sets p_adjusted: Benjamini-Hochberg across the rows of the same
// period and disaggregation level (evidence.md, "Many countries, many
// tests").
func adjustP(rows []*row) {
	groups := map[string][]*row{}
	var order []string
	for _, r := range rows {
		if math.IsNaN(r.p) {
			continue
		}
		g := r.keys["period"] + "\x00" + level(r.keys)
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], r)
	}
	for _, g := range order {
		rs := groups[g]
		p := make([]float64, len(rs))
		for i, r := range rs {
			p[i] = r.p
		}
		for i, a := range estimate.BenjaminiHochberg(p) {
			rs[i].padj = a
		}
	}
}

func (c *computer) metric(ctx context.Context, m Metric) (int64, error) {
	if m.From != "" {
		if err := c.flush(ctx); err != nil { // the rows it reads
			return 0, err
		}
		return c.shrink(ctx, m)
	}
	if m.Of != "" {
		return c.derive(ctx, m)
	}
	unit, err := c.unit(ctx, m.Unit)
	if err != nil {
		return 0, err
	}
	survivalMetric := m.Estimator.survival()
	var people map[string]*timeLists
	if survivalMetric {
		if people, err = c.timeLists(ctx, m, unit); err != nil {
			return 0, fmt.Errorf("%s: %w", m.ID, err)
		}
	}
	groups, err := c.groupRows(ctx, m, unit)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", m.ID, err)
	}
	var out []*row
	var counted [][]sql.NullInt64
	var lists []*timeLists
	for _, g := range groups {
		r := newRow(g.keys)
		if g.n.Valid {
			r.n = sql.NullInt64{Int64: int64(g.n.Float64), Valid: true}
		}
		if g.events.Valid {
			r.events = sql.NullInt64{Int64: int64(g.events.Float64), Valid: true}
		}
		if survivalMetric {
			l, ok := people[keySig(g.keys)]
			if !ok {
				return 0, fmt.Errorf("%s: group %v has no people", m.ID, g.keys)
			}
			lists = append(lists, l)
		} else {
			c.scalar(m, r, g.num, g.den, g.val)
			complete(m, r, g.missing, g.inputs, g.pending)
		}
		out, counted = append(out, r), append(counted, g.counted)
	}
	if survivalMetric {
		c.survivalAll(m, out, lists)
	}
	for i, r := range out {
		countedNotes(m, r, counted[i])
		if r.n.Valid && r.n.Int64 > 0 && r.n.Int64 < int64(c.opt.SmallN) {
			r.note = append(r.note, "small n")
		}
	}
	if m.Adjusted {
		out = c.adjustedNotes(m, out)
	}
	if survivalMetric {
		c.keep(m, out)
	}
	adjustP(out)
	return int64(len(out)), c.insert(ctx, m, out)
}

// groupRow is one metric's row of a grouping query (groupingSQL,
// metricAggs).
type groupRow struct {
	keys                                               map[string]string
	n, events, num, den, val, missing, inputs, pending sql.NullFloat64
	counted                                            []sql.NullInt64
}

// keep remembers a survival metric's rows by group, for the metrics
// computed from its estimate.
func (c *computer) keep(m Metric, out []*row) {
	if c.done == nil {
		c.done = map[string]map[string]*row{}
	}
	byKey := make(map[string]*row, len(out))
	for _, r := range out {
		byKey[keySig(r.keys)] = r
	}
	c.done[m.ID] = byKey
}

// metricAggs are the aggregates a metric's grouping query computes: N,
// Events, Num, Den, Val, what Needs and Pending count, and each Counted. A
// survival metric's time-to-event lists are read apart (timeLists).
func metricAggs(m Metric) []string {
	var aggs []string
	var needs Needs
	if m.Needs != nil {
		needs = *m.Needs
	}
	for _, a := range []string{m.N, m.Events, m.Num, m.Den, m.Val, needs.Missing, needs.Inputs, m.Pending} {
		if a == "" {
			a = "NULL"
		}
		aggs = append(aggs, "("+a+")::DOUBLE")
	}
	for _, cn := range m.Counted {
		aggs = append(aggs, "("+cn.Agg+")::BIGINT")
	}
	return aggs
}

// countedNotes states a row's Counted counts that are not zero.
func countedNotes(m Metric, r *row, counted []sql.NullInt64) {
	for i, cn := range m.Counted {
		if n := counted[i].Int64; counted[i].Valid && n > 0 {
			format := cn.Many
			if n == 1 {
				format = cn.One
			}
			r.note = append(r.note, fmt.Sprintf(format, n))
		}
	}
}

// adjustedNotes puts what the adjusted analysis dropped (or why it could
// not run) on its whole-population rows; when it could not run at all,
// that row is the only one, with the note.
func (c *computer) adjustedNotes(m Metric, out []*row) []*row {
	if c.ipwNote == "" {
		return out
	}
	whole := false
	for _, r := range out {
		if r.keys["region"] == "ALL" && r.keys["country_code"] == "ALL" {
			r.note = append(r.note, c.ipwNote)
			whole = true
		}
	}
	if !whole {
		keys := map[string]string{"period": "ALL"}
		if slices.Contains(m.Base, "cohort") {
			for _, co := range []string{"COMPARISON", "PARTICIPANT"} {
				k := map[string]string{"period": "ALL", "cohort": co}
				r := newRow(k)
				r.note = []string{c.ipwNote}
				out = append(out, r)
			}
			return out
		}
		r := newRow(keys)
		r.note = []string{c.ipwNote}
		out = append(out, r)
	}
	return out
}

// unit materialises a unit's rows once per run, as a temporary table that
// every metric over that unit reads (a view for a unit read once,
// readOnce), and returns the table's name. A view's name is not a table's:
// the temporary objects of an earlier run stay on the connection, and one
// of the other kind would not be replaced.
func (c *computer) unit(ctx context.Context, name string) (string, error) {
	table, kind := "unit_"+name, "TABLE"
	if c.once[name] {
		table, kind = table+"_view", "VIEW"
	}
	if c.units[name] {
		return table, nil
	}
	if c.units == nil {
		c.units = map[string]bool{}
	}
	if name == "lead_rank_ipw" {
		if err := c.ipwUnit(ctx, table); err != nil {
			return "", fmt.Errorf("unit %s: %w", name, err)
		}
		c.units[name] = true
		return table, nil
	}
	body, err := sqlFiles.ReadFile("sql/units/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("unit %s: %w", name, err)
	}
	if _, err := c.tx.ExecContext(ctx, "CREATE OR REPLACE TEMP "+kind+" "+table+" AS "+string(body)); err != nil {
		return "", fmt.Errorf("unit %s: %w", name, err)
	}
	c.units[name] = true
	return table, nil
}

// readOnce lists the units of order that one scalar metric alone reads,
// once, in its grouping query: as a view, their rows stream into it
// instead of being written into a temporary table and read back
// (REPORT_LAG_DAYS at 100,000 people 1.1–1.25 s to 0.65–0.74 s; each of 2M career
// events is joined to its student and country once either way). A survival
// metric reads its unit twice (its people, then its groups), and the
// outcomes unit is also read by the adjusted comparison and the E-values.
func readOnce(order []Metric) map[string]bool {
	reads := map[string]int{"outcomes": 2}
	for _, m := range order {
		if m.From != "" || m.Of != "" {
			continue // computed from other metrics' rows
		}
		reads[m.Unit]++
		if m.Estimator.survival() {
			reads[m.Unit]++
		}
	}
	once := map[string]bool{}
	for u, n := range reads {
		if n == 1 {
			once[u] = true
		}
	}
	return once
}

// groupingSQL wraps a unit in one GROUPING SETS query: the base keys, then
// the base keys with each disaggregation in turn. Keys not grouped in a row
// come out as 'ALL'; a grouped key without a value comes out NULL. It
// returns the query and the keys grouped in any set (the query's first
// columns, in Keys order).
func groupingSQL(m Metric, unit string, aggs []string) (q string, grouped []string) {
	grouped, sets := metricSets(m)
	sel := make([]string, 0, len(grouped)+len(aggs))
	for _, k := range grouped {
		sel = append(sel, fmt.Sprintf("CASE WHEN GROUPING(%[1]s) = 1 THEN 'ALL' ELSE %[1]s::VARCHAR END", k))
	}
	sel = append(sel, aggs...)
	list := make([]string, len(sets))
	for i, set := range sets {
		list[i] = "(" + strings.Join(set, ", ") + ")"
	}
	where := ""
	if m.Where != "" {
		where = "WHERE " + m.Where
	}
	return fmt.Sprintf("SELECT %s\nFROM %s %s\nGROUP BY GROUPING SETS (%s)",
		strings.Join(sel, ",\n  "), unit, where, strings.Join(list, ", ")), grouped
}

// metricSets are the keys a metric groups on in any set (in Keys order)
// and its sets: the base keys, then the base keys with each disaggregation
// in turn, then with each crossing.
func metricSets(m Metric) (grouped []string, sets [][]string) {
	crossed := slices.Concat(m.Crossed...)
	for _, k := range Keys {
		if slices.Contains(m.Base, k) || slices.Contains(m.By, k) || slices.Contains(crossed, k) {
			grouped = append(grouped, k)
		}
	}
	sets = [][]string{m.Base}
	for _, b := range m.By {
		sets = append(sets, append(slices.Clone(m.Base), b))
	}
	for _, c := range m.Crossed {
		sets = append(sets, slices.Concat(m.Base, c))
	}
	return grouped, sets
}

// survivalAll runs the estimator of m on each group's people (out[i] on
// lists[i]) on every core: the groups are independent, each writes only
// its own row, and each fit is the same whichever goroutine runs it. While
// Go fits, DuckDB has nothing to do, so one core would leave the other
// idle.
func (c *computer) survivalAll(m Metric, out []*row, lists []*timeLists) {
	onEveryCore(len(out), func(i int) { c.survival(m, out[i], lists[i]) })
}

// onEveryCore calls f(0), ..., f(n-1) on every core, and returns when all
// have returned. Each call must write only what is its own.
func onEveryCore(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// survival runs a time-to-event estimator on a group's people.
func (c *computer) survival(m Metric, r *row, l *timeLists) {
	n := len(l.time)
	tm, cr, w := l.time, l.cr, l.weight
	obs := make([]estimate.Obs, n)
	for i := range tm {
		obs[i] = estimate.Obs{Time: tm[i], Event: l.status[i]}
	}
	// the two-cohort estimators
	var x []float64
	var group []int
	var strata []string
	if m.Estimator.HazardRatio() || m.Estimator == AJDiffIPW {
		var groups [2]int
		x, group, strata, groups = twoArms(l)
		if groups[0] == 0 || groups[1] == 0 {
			r.note = append(r.note, "no comparison group")
			return
		}
		r.share = float64(groups[1]) / float64(n)
	}
	h := float64(m.Horizon)
	switch m.Estimator {
	case CoxHR, FineGraySHR, CoxHRIPW:
		c.hazard(m.Estimator, r, obs, l, x, group, strata)
	case AJIncidence, AJExit, AJIncidenceIPW:
		state := estimate.StateEvent
		if m.Estimator == AJExit {
			state = estimate.StateExit
		}
		if at, ok := ajAt(r, tm, cr, w, h); ok {
			s := at[state]
			r.value, r.low, r.high = s.P, s.Lower, s.Upper
		}
	case AJDiffIPW:
		var at [2][3]estimate.CIF
		for g := range 2 {
			var ts, ws []float64
			var ss []int
			for i := range tm {
				if group[i] == g {
					ts, ss, ws = append(ts, tm[i]), append(ss, cr[i]), append(ws, w[i])
				}
			}
			var ok bool
			if at[g], ok = ajAt(r, ts, ss, ws, h); !ok {
				return
			}
		}
		r.value, r.low, r.high = estimate.CIFDifference(at[1][estimate.StateEvent], at[0][estimate.StateEvent])
	case KMMedian:
		km := estimate.KaplanMeier(obs)
		r.value, r.low, r.high = km.Median()
		if math.IsNaN(r.value) {
			r.note = append(r.note, "median not reached")
		}
	default:
		km := estimate.KaplanMeier(obs)
		s, lo, hi, ok := km.At(h)
		if !ok {
			r.note = append(r.note, "insufficient follow-up")
			return
		}
		if m.Estimator == KMRetention {
			r.value, r.low, r.high = s, lo, hi
		} else {
			r.value, r.low, r.high = 1-s, 1-hi, 1-lo
		}
	}
}

// hazardRatio reads the participant coefficient of a fit into the row:
// the hazard ratio, its Wald limits and p-value.
func (c *computer) hazardRatio(r *row, fit estimate.CoxFit) {
	r.p = fit.P[0]
	if !fit.Converged {
		r.note = append(r.note, "hazard ratio not estimable")
		return
	}
	r.value, r.low, r.high = fit.HR[0], fit.Lower[0], fit.Upper[0]
}

// hazard fits a hazard-ratio estimator to a group's two arms (x, group and
// strata from twoArms).
func (c *computer) hazard(e Estimator, r *row, obs []estimate.Obs, l *timeLists, x []float64, group []int, strata []string) {
	n := len(obs)
	tm, cr, w := l.time, l.cr, l.weight
	switch e {
	case CoxHR:
		cox := estimate.CoxPH(obs, x, strata)
		lr := estimate.StratifiedLogRank(obs, group, strata)
		r.p = lr.P
		if !cox.Converged {
			r.note = append(r.note, "hazard ratio not estimable")
			return
		}
		r.value, r.low, r.high = cox.HR, cox.Lower, cox.Upper
	case FineGraySHR:
		fit, err := estimate.FineGray(estimate.FGData{Time: tm, Status: cr, X: [][]float64{x}, Strata: strata})
		if errors.Is(err, estimate.ErrNoEvents) {
			r.note = append(r.note, "no events")
			return
		}
		if err != nil {
			r.note = append(r.note, "hazard ratio not estimable: "+err.Error())
			return
		}
		c.hazardRatio(r, fit.Cox)
	case CoxHRIPW:
		ev := make([]bool, n)
		for i := range obs {
			ev[i] = obs[i].Event
		}
		// each person their own cluster (coxph's cluster = id)
		fit, err := estimate.CoxModel(estimate.CoxData{Stop: tm, Event: ev, X: [][]float64{x}, Strata: strata, Weight: w, Robust: true})
		if err != nil {
			r.note = append(r.note, "hazard ratio not estimable: "+err.Error())
			return
		}
		c.hazardRatio(r, fit)
	}
}

// twoArms is a group's people as the two-cohort estimators take them:
// the participant indicator as a covariate and as a group, the country as
// the stratum, and how many are in each arm.
func twoArms(l *timeLists) (x []float64, group []int, strata []string, groups [2]int) {
	n := len(l.time)
	x, group, strata = make([]float64, n), make([]int, n), make([]string, n)
	for i := range n {
		g := l.participant[i]
		x[i], group[i] = float64(g), g
		groups[g]++
		strata[i] = l.country[i]
	}
	return x, group, strata, groups
}

// ajAt is the Aalen-Johansen estimate of each state at horizon h, or false
// with the reason in the row's note.
func ajAt(r *row, tm []float64, cr []int, w []float64, h float64) ([3]estimate.CIF, bool) {
	aj, err := estimate.AalenJohansen(tm, cr, w)
	if err != nil {
		r.note = append(r.note, "not estimable: "+err.Error())
		return [3]estimate.CIF{}, false
	}
	at, ok := aj.At(h)
	if !ok {
		r.note = append(r.note, "insufficient follow-up")
	}
	return at, ok
}

// derive computes a metric from another's estimate, group by group: the
// E-value or the minimum detectable effect of a hazard ratio.
func (c *computer) derive(ctx context.Context, m Metric) (int64, error) {
	of, ok := c.done[m.Of]
	if !ok {
		return 0, fmt.Errorf("%s: computed from %s, which has not been computed before it", m.ID, m.Of)
	}
	var common bool
	if m.Estimator == EValue {
		var err error
		if common, err = c.commonOutcome(ctx); err != nil {
			return 0, fmt.Errorf("%s: %w", m.ID, err)
		}
	}
	sigs := make([]string, 0, len(of))
	for k := range of {
		sigs = append(sigs, k)
	}
	slices.Sort(sigs)
	out := make([]*row, 0, len(of))
	for _, sig := range sigs {
		src := of[sig]
		r := newRow(src.keys)
		r.n, r.events = src.n, src.events
		switch m.Estimator {
		case EValue:
			if math.IsNaN(src.value) || math.IsNaN(src.low) || math.IsNaN(src.high) {
				r.note = append(r.note, "no hazard ratio")
				break
			}
			r.value, r.low = estimate.EValueHR(src.value, src.low, src.high, common)
			if common {
				r.note = append(r.note, "common outcome")
			} else {
				r.note = append(r.note, "rare outcome")
			}
		case MinDetectable:
			if r.events.Valid {
				r.value = estimate.MinDetectableHR(int(r.events.Int64), src.share)
			}
			if math.IsNaN(r.value) {
				r.note = append(r.note, "no events or no comparison group")
			}
		}
		if r.n.Valid && r.n.Int64 > 0 && r.n.Int64 < int64(c.opt.SmallN) {
			r.note = append(r.note, "small n")
		}
		out = append(out, r)
	}
	return int64(len(out)), c.insert(ctx, m, out)
}

// commonOutcome says whether reaching general rank is common, for the
// E-values: LEAD_RANK_CIF_10Y of the whole LEAD_RANK population, both
// cohorts together, above 0.15 (evidence.md). Insufficient follow-up
// counts as rare.
func (c *computer) commonOutcome(ctx context.Context) (bool, error) {
	if c.common != nil {
		return *c.common, nil
	}
	unit, err := c.unit(ctx, "outcomes")
	if err != nil {
		return false, err
	}
	var times, status []any
	if err := c.tx.QueryRowContext(ctx, `SELECT coalesce(list(time ORDER BY time, cr_status), []), coalesce(list(cr_status ORDER BY time, cr_status), [])
		FROM `+unit+` WHERE outcome = 'LEAD_RANK'`).Scan(&times, &status); err != nil {
		return false, err
	}
	tm, st := make([]float64, len(times)), make([]int, len(times))
	for i := range times {
		tm[i], st[i] = toFloat(times[i]), int(toFloat(status[i]))
	}
	common := false
	if aj, err := estimate.AalenJohansen(tm, st, nil); err == nil {
		if at, ok := aj.At(tenYears); ok {
			common = at[estimate.StateEvent].P > 0.15
		}
	}
	c.common = &common
	return common, nil
}

// scalar applies a proportion, rate, ratio, count or sum estimator.
func (c *computer) scalar(m Metric, r *row, num, den, val sql.NullFloat64) {
	f := func(v sql.NullFloat64) float64 {
		if !v.Valid {
			return math.NaN()
		}
		return v.Float64
	}
	r.num, r.den = f(num), f(den)
	switch m.Estimator {
	case Wilson:
		if r.den > 0 {
			r.value, r.low, r.high = estimate.Wilson(int(r.num), int(r.den))
		}
	case Garwood:
		r.events = sql.NullInt64{Int64: int64(r.num), Valid: true}
		if r.den > 0 {
			r.value, r.low, r.high = estimate.Garwood(int(r.num), r.den)
		}
	case Count, Sum:
		r.value = r.num
	case Ratio:
		if r.den > 0 {
			r.value = r.num / r.den
		}
	case Median:
		r.value = f(val)
		if r.den > 0 {
			r.note = append(r.note, fmt.Sprintf("%.1f%% reported more than 365 days late", 100*r.num/r.den))
		}
	}
	if m.MatureYears > 0 {
		if fy, ok := schemas.ParseFiscalYearPeriod(r.keys["graduation_cohort"]); ok {
			if c.opt.AsOf.Before(schemas.FiscalYearEnd(fy + m.MatureYears)) {
				r.note = append(r.note, "immature cohort")
			}
		}
	}
}

// complete applies what a metric's inputs lack: unknown where none has
// the value it adds up (never 0), how many it leaves out where some lack
// it, and "provisional" where inputs still under way at D were left out.
func complete(m Metric, r *row, missing, inputs, pending sql.NullFloat64) {
	if m.Needs != nil && inputs.Valid && inputs.Float64 > 0 && missing.Valid && missing.Float64 > 0 {
		if missing.Float64 == inputs.Float64 {
			r.value, r.num, r.low, r.high = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			r.note = append(r.note, fmt.Sprintf("unknown: %s is missing from all %d %s", m.Needs.Column, int64(inputs.Float64), m.Needs.Of))
		} else {
			effect := cmp.Or(m.Needs.Effect, "which the value leaves out")
			r.note = append(r.note, fmt.Sprintf("%s is missing from %d of %d %s, %s", m.Needs.Column, int64(missing.Float64), int64(inputs.Float64), m.Needs.Of, effect))
		}
	}
	if pending.Valid && pending.Float64 > 0 {
		r.note = append(r.note, fmt.Sprintf("provisional: %d enrollments still under way at D are left out", int64(pending.Float64)))
	}
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	panic(fmt.Sprintf("transform: unexpected %T in a time-to-event list", v))
}

// insert keeps a metric's rows as rows of metric_values, in the catalog's
// column order, until flush writes them.
func (c *computer) insert(ctx context.Context, m Metric, rows []*row) error {
	cols, err := c.columns(ctx, "metric_values")
	if err != nil {
		return err
	}
	for _, r := range rows {
		out := make([]driver.Value, len(cols))
		for j, col := range cols {
			var v any
			switch col.name {
			case "metric_id":
				v = m.ID
			case "suppressed":
				v = false
			case "numerator":
				v = r.num
			case "denominator":
				v = r.den
			case "value":
				v = r.value
			case "ci_low":
				v = r.low
			case "ci_high":
				v = r.high
			case "p_value":
				v = r.p
			case "p_adjusted":
				v = r.padj
			case "as_of":
				v = c.opt.AsOf
			case "vintage":
				v = c.vintage
			case "n":
				if r.n.Valid {
					v = r.n.Int64
				}
			case "events":
				if r.events.Valid {
					v = r.events.Int64
				}
			case "note":
				if len(r.note) > 0 {
					v = strings.Join(r.note, "; ")
				}
			default:
				if !slices.Contains(Keys, col.name) {
					continue // NULL
				}
				k, ok := r.keys[col.name]
				if !ok {
					k = "ALL"
				}
				v = k
			}
			if out[j], err = asColumn(v, col.typ); err != nil {
				return fmt.Errorf("write %s.%s: %w", m.ID, col.name, err)
			}
		}
		c.pending = append(c.pending, out)
	}
	return nil
}

// flush writes the metric_values rows kept since the last flush, through
// one appender (one per metric cost more than the rows at small sizes).
func (c *computer) flush(ctx context.Context) error {
	if err := c.appendRows("metric_values", c.pending); err != nil {
		return fmt.Errorf("write metric rows: %w", err)
	}
	c.pending = nil
	return nil
}
