package transform

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform/estimate"
)

// computer turns one metric's unit rows into metric_values rows.
type computer struct {
	tx      *sql.Tx
	opt     Options
	vintage int64
	units   map[string]bool // units materialised in this run
}

// row is one metric_values row before it is written.
type row struct {
	keys                          map[string]string
	n, events                     sql.NullInt64
	num, den, value, low, high, p float64 // NaN = NULL
	note                          []string
}

func newRow(keys map[string]string) *row {
	nan := math.NaN()
	return &row{keys: keys, num: nan, den: nan, value: nan, low: nan, high: nan, p: nan}
}

func (c *computer) metric(ctx context.Context, m Metric) (int64, error) {
	unit, err := c.unit(ctx, m.Unit)
	if err != nil {
		return 0, err
	}
	survivalMetric := m.Estimator == KMAttainment || m.Estimator == KMRetention || m.Estimator == KMMedian || m.Estimator == CoxHR
	var aggs []string
	if survivalMetric {
		order := " ORDER BY time, status, participant, country_code"
		aggs = []string{"list(time" + order + ")", "list(status" + order + ")", "list(participant" + order + ")", "list(country_code" + order + ")"}
	}
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
	q, grouped := groupingSQL(m, unit, aggs)
	rows, err := c.tx.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", m.ID, err)
	}
	defer rows.Close()
	var out []*row
	for rows.Next() {
		keyVals := make([]sql.NullString, len(grouped))
		var lists [4]any
		var n, events, num, den, val, missing, inputs, pending sql.NullFloat64
		dest := make([]any, 0, len(grouped)+12)
		for i := range keyVals {
			dest = append(dest, &keyVals[i])
		}
		if survivalMetric {
			dest = append(dest, &lists[0], &lists[1], &lists[2], &lists[3])
		}
		dest = append(dest, &n, &events, &num, &den, &val, &missing, &inputs, &pending)
		if err := rows.Scan(dest...); err != nil {
			return 0, fmt.Errorf("%s: %w", m.ID, err)
		}
		keys := map[string]string{}
		skip := false
		for i, k := range grouped {
			if !keyVals[i].Valid {
				skip = true // a person without a value for this disaggregation counts in ALL only
				break
			}
			keys[k] = keyVals[i].String
		}
		if skip {
			continue
		}
		r := newRow(keys)
		if n.Valid {
			r.n = sql.NullInt64{Int64: int64(n.Float64), Valid: true}
		}
		if events.Valid {
			r.events = sql.NullInt64{Int64: int64(events.Float64), Valid: true}
		}
		if survivalMetric {
			c.survival(m, r, lists)
		} else {
			c.scalar(m, r, num, den, val)
			complete(m, r, missing, inputs, pending)
		}
		if r.n.Valid && r.n.Int64 > 0 && r.n.Int64 < int64(c.opt.SmallN) {
			r.note = append(r.note, "small n")
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", m.ID, err)
	}
	rows.Close()
	return int64(len(out)), c.insert(ctx, m, out)
}

// unit materialises a unit's rows once per run, as a temporary table that
// every metric over that unit reads, and returns the table's name.
func (c *computer) unit(ctx context.Context, name string) (string, error) {
	table := "unit_" + name
	if c.units[name] {
		return table, nil
	}
	body, err := sqlFiles.ReadFile("sql/units/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("unit %s: %w", name, err)
	}
	if _, err := c.tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+table+" AS "+string(body)); err != nil {
		return "", fmt.Errorf("unit %s: %w", name, err)
	}
	if c.units == nil {
		c.units = map[string]bool{}
	}
	c.units[name] = true
	return table, nil
}

// groupingSQL wraps a unit in one GROUPING SETS query: the base keys, then
// the base keys with each disaggregation in turn. Keys not grouped in a row
// come out as 'ALL'; a grouped key without a value comes out NULL.
func groupingSQL(m Metric, unit string, aggs []string) (string, []string) {
	var grouped []string
	for _, k := range Keys {
		if slices.Contains(m.Base, k) || slices.Contains(m.By, k) {
			grouped = append(grouped, k)
		}
	}
	sel := make([]string, 0, len(grouped)+len(aggs))
	for _, k := range grouped {
		sel = append(sel, fmt.Sprintf("CASE WHEN GROUPING(%[1]s) = 1 THEN 'ALL' ELSE %[1]s::VARCHAR END", k))
	}
	sel = append(sel, aggs...)
	sets := []string{"(" + strings.Join(m.Base, ", ") + ")"}
	for _, b := range m.By {
		sets = append(sets, "("+strings.Join(append(slices.Clone(m.Base), b), ", ")+")")
	}
	where := ""
	if m.Where != "" {
		where = "WHERE " + m.Where
	}
	return fmt.Sprintf("SELECT %s\nFROM %s %s\nGROUP BY GROUPING SETS (%s)",
		strings.Join(sel, ",\n  "), unit, where, strings.Join(sets, ", ")), grouped
}

// survival runs the Kaplan-Meier or Cox estimator on a group's people.
func (c *computer) survival(m Metric, r *row, lists [4]any) {
	times, status, part, country := lists[0].([]any), lists[1].([]any), lists[2].([]any), lists[3].([]any)
	obs := make([]estimate.Obs, len(times))
	for i := range times {
		obs[i] = estimate.Obs{Time: toFloat(times[i]), Event: status[i].(bool)}
	}
	switch m.Estimator {
	case CoxHR:
		x := make([]float64, len(obs))
		group := make([]int, len(obs))
		strata := make([]string, len(obs))
		var groups [2]int
		for i := range obs {
			g := int(toFloat(part[i]))
			x[i], group[i] = float64(g), g
			groups[g]++
			if s, ok := country[i].(string); ok {
				strata[i] = s
			}
		}
		if groups[0] == 0 || groups[1] == 0 {
			r.note = append(r.note, "no comparison group")
			return
		}
		cox := estimate.CoxPH(obs, x, strata)
		lr := estimate.StratifiedLogRank(obs, group, strata)
		r.p = lr.P
		if !cox.Converged {
			r.note = append(r.note, "hazard ratio not estimable")
			return
		}
		r.value, r.low, r.high = cox.HR, cox.Lower, cox.Upper
	case KMMedian:
		km := estimate.KaplanMeier(obs)
		r.value, r.low, r.high = km.Median()
		if math.IsNaN(r.value) {
			r.note = append(r.note, "median not reached")
		}
	default:
		km := estimate.KaplanMeier(obs)
		s, lo, hi, ok := km.At(float64(m.Horizon))
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

// insert writes the rows as one JSON parameter that DuckDB unpacks:
// thousands of bound parameters in multi-row VALUES cost far more.
func (c *computer) insert(ctx context.Context, m Metric, rows []*row) error {
	if len(rows) == 0 {
		return nil
	}
	recs := make([]map[string]any, len(rows))
	for i, r := range rows {
		rec := map[string]any{"metric_id": m.ID}
		for _, k := range Keys {
			v, ok := r.keys[k]
			if !ok {
				v = "ALL"
			}
			rec[k] = v
		}
		if r.n.Valid {
			rec["n"] = r.n.Int64
		}
		if r.events.Valid {
			rec["events"] = r.events.Int64
		}
		for name, f := range map[string]float64{"numerator": r.num, "denominator": r.den, "value": r.value,
			"ci_low": r.low, "ci_high": r.high, "p_value": r.p} {
			if !math.IsNaN(f) && !math.IsInf(f, 0) {
				rec[name] = f
			}
		}
		if len(r.note) > 0 {
			rec["note"] = strings.Join(r.note, "; ")
		}
		recs[i] = rec
	}
	body, err := json.Marshal(recs)
	if err != nil {
		return err
	}
	_, err = c.tx.ExecContext(ctx, insertJSON, string(body), c.opt.AsOf.Format(time.DateOnly), c.vintage)
	if err != nil {
		return fmt.Errorf("write %s rows: %w", m.ID, err)
	}
	return nil
}

var insertJSON = func() string {
	cols := append(append([]string{"metric_id"}, Keys...), "n", "events", "numerator", "denominator", "value", "ci_low", "ci_high", "p_value", "note")
	types := make([]string, len(cols))
	for i, c := range cols {
		t := "VARCHAR"
		switch c {
		case "n", "events":
			t = "BIGINT"
		case "numerator", "denominator", "value", "ci_low", "ci_high", "p_value":
			t = "DOUBLE"
		}
		types[i] = fmt.Sprintf("%q: %q", c, t)
	}
	return fmt.Sprintf(`INSERT INTO metric_values BY NAME
SELECT r.*, false AS suppressed, $2::DATE AS as_of, $3::BIGINT AS vintage
FROM (SELECT unnest(from_json($1::JSON, '[{%s}]'), recursive := true)) AS r`, strings.Join(types, ", "))
}()
