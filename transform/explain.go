package transform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// Explanation is what made one published number: the population's rows
// (student and enrollment ids, never names; student ids as keyed
// pseudonyms when Options.PseudonymKey is set), the number
// recomputed from them, and the files and batches they came from.
type Explanation struct {
	Metric  Metric
	Keys    map[string]string // every key of metric_values, ALL where not set
	AsOf    time.Time
	Vintage int64
	RunID   int64 // the transform run that published the number (0: none yet)

	Columns []string
	Rows    [][]any // the population: the metric's unit rows in this group

	N, Events, Numerator, Denominator sql.NullFloat64 // recomputed with the metric's own aggregates
	Published                         struct {
		N, Events sql.NullInt64
		Value     sql.NullFloat64
	}

	Sources [][]any // dataset, batch, file, rows: where the population's records came from
}

// Explain rebuilds the models for (AsOf, Vintage) in a transaction it rolls
// back, so the warehouse is left exactly as it was, and returns the
// population behind metric id at the given keys.
func Explain(ctx context.Context, db *sql.DB, opt Options, id string, keys map[string]string) (*Explanation, error) {
	opt = withDefaults(opt)
	m, ok := Lookup(id)
	if !ok {
		return nil, fmt.Errorf("no metric %q: see 'imet metrics list'", id)
	}
	if m.From != "" {
		return nil, fmt.Errorf("%s is computed from the rows of %s, country by country, with the same n and numerator: run 'imet explain %s' for the population behind them", id, m.From, m.From)
	}
	ex := &Explanation{Metric: m, Keys: map[string]string{}, AsOf: opt.AsOf}
	if err := ex.setKeys(keys); err != nil {
		return nil, err
	}
	conn, tx, err := begin(ctx, db) // the adjusted comparison's unit writes through the appender
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer tx.Rollback() // explain changes nothing
	if ex.Vintage, err = resolveVintage(ctx, tx, opt.Vintage); err != nil {
		return nil, err
	}
	lead := schemas.RankOrder(opt.LeadRank)
	noTiming := func(_ string, f func() (int64, error)) error { _, err := f(); return err }
	if _, err := buildModels(ctx, tx, opt.AsOf, ex.Vintage, lead, noTiming, true, modelPlan{}); err != nil {
		return nil, err
	}
	c := &computer{tx: tx, conn: conn, opt: opt, vintage: ex.Vintage}
	unit, err := c.unit(ctx, m.Unit)
	if err != nil {
		return nil, err
	}
	if err := ex.population(ctx, tx, unit, opt.PseudonymKey); err != nil {
		return nil, err
	}
	if err := ex.published(ctx, tx); err != nil {
		return nil, err
	}
	if ex.RunID, err = FirstRun(ctx, tx, opt.AsOf, ex.Vintage); err != nil {
		return nil, err
	}
	if slices.Contains(ex.Columns, "student_id") || slices.Contains(ex.Columns, "holding_id") {
		if err := ex.sources(ctx, tx); err != nil {
			return nil, err
		}
	}
	return ex, nil
}

// setKeys sets the row asked about: ALL for every key not given, and a
// given key must be one the metric is broken down by.
func (ex *Explanation) setKeys(keys map[string]string) error {
	m := ex.Metric
	for _, k := range Keys {
		ex.Keys[k] = "ALL"
	}
	for k, v := range keys {
		if !slices.Contains(Keys, k) {
			return fmt.Errorf("no key %q: the keys are %s", k, strings.Join(Keys, ", "))
		}
		if v != "ALL" && !slices.Contains(m.Base, k) && !slices.Contains(m.By, k) {
			return fmt.Errorf("%s is not broken down by %s (it is by %s)", m.ID, k, m.Disaggregations())
		}
		ex.Keys[k] = v
	}
	return nil
}

// population reads the unit rows of the metric's population for the row
// asked about (table explained) and their n, events, numerator and
// denominator, computed as the metric computes them.
func (ex *Explanation) population(ctx context.Context, tx *sql.Tx, unit string, key []byte) error {
	m := ex.Metric
	q, args := PopulationQuery(m, unit, ex.Keys)
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE explained AS "+q, args...); err != nil {
		return fmt.Errorf("population of %s: %w", m.ID, err)
	}
	shown, err := ex.shown(ctx, tx, key)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+shown+" FROM explained ORDER BY ALL")
	if err != nil {
		return fmt.Errorf("read the population of %s: %w", m.ID, err)
	}
	defer rows.Close()
	if ex.Columns, err = rows.Columns(); err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(ex.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read the population of %s: %w", m.ID, err)
		}
		ex.Rows = append(ex.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	agg := func(a string) string {
		if a == "" {
			return "NULL"
		}
		return "(" + a + ")::DOUBLE"
	}
	if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, %s, %s, %s FROM explained", agg(m.N), agg(m.Events), agg(m.Num), agg(m.Den))).
		Scan(&ex.N, &ex.Events, &ex.Numerator, &ex.Denominator); err != nil {
		return fmt.Errorf("count the population of %s: %w", m.ID, err)
	}
	return nil
}

// PopulationQuery is the statement, and its arguments, that selects the
// population behind one published row of m from its unit rows: from is
// the unit (a table, or a parenthesised query with an alias), keys the
// row's keys (a key absent or ALL is not a condition). Explain and the
// lineage page of imet serve both select the population so.
func PopulationQuery(m Metric, from string, keys map[string]string) (string, []any) {
	var conds []string
	var args []any
	if m.Where != "" {
		conds = append(conds, "("+m.Where+")")
	}
	for _, k := range Keys {
		if v, ok := keys[k]; ok && v != "ALL" {
			conds = append(conds, k+"::VARCHAR = ?")
			args = append(args, v)
		}
	}
	q := "SELECT * FROM " + from
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q, args
}

// UnitSQL is the query of the unit name (transform/sql/units/NAME.sql),
// which reads the models, the vintage views (v_students, ...) and the
// table params (d, vintage, lead_rank_order): the transform's macro
// period_end() (params.periodEnd) is written as params' d. A unit computed
// in Go (the weighted comparison's) has none: the error says so.
func UnitSQL(name string) (string, error) {
	body, err := sqlFiles.ReadFile("sql/units/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("unit %s is not one SQL query (it is computed in Go): %w", name, err)
	}
	return strings.ReplaceAll(string(body), periodEndCall, "(SELECT d FROM params)"), nil
}

// RestrictedColumns are the unit columns drawn from a restricted dataset
// or a personal column: a person's count of substantiated flags (hr_flags),
// the age at the index date (from birth_year, which it gives back with the
// index date). An explanation without personal data leaves them out of the
// population, whose recomputed numbers still count them.
var RestrictedColumns = []string{"substantiated_flags", "age"}

// shown is the select list of the population as an explanation shows it:
// every column as stored without a key; with one, people's identifiers as
// pseudonyms (a TEMP macro of the transaction, rolled back with it) and no
// restricted column.
func (ex *Explanation) shown(ctx context.Context, tx *sql.Tx, key []byte) (string, error) {
	if key == nil {
		return "*", nil
	}
	macro, err := schemas.PseudonymMacro(key)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, macro); err != nil {
		return "", fmt.Errorf("define pseudonym(): %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE explained)")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var exclude, replace []string
	ids := schemas.PersonIDColumns()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", err
		}
		switch {
		case slices.Contains(RestrictedColumns, c):
			exclude = append(exclude, c)
		case slices.Contains(ids, c):
			replace = append(replace, fmt.Sprintf("pseudonym(%[1]s) AS %[1]s", c))
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	sel := "*"
	if len(exclude) > 0 {
		sel += " EXCLUDE (" + strings.Join(exclude, ", ") + ")"
	}
	if len(replace) > 0 {
		sel += " REPLACE (" + strings.Join(replace, ", ") + ")"
	}
	return sel, nil
}

// published reads the row metric_values holds for the row asked about. No
// published row is an answer (the row was never computed), not a failure.
func (ex *Explanation) published(ctx context.Context, tx *sql.Tx) error {
	var conds []string
	args := []any{ex.Metric.ID, ex.AsOf.Format(time.DateOnly), ex.Vintage}
	for _, k := range Keys {
		conds = append(conds, k+" = ?")
		args = append(args, ex.Keys[k])
	}
	err := tx.QueryRowContext(ctx, `SELECT n, events, value FROM metric_values WHERE metric_id = ? AND as_of = ? AND vintage = ? AND `+strings.Join(conds, " AND "), args...).
		Scan(&ex.Published.N, &ex.Published.Events, &ex.Published.Value)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read the published row: %w", err)
	}
	return nil
}

// sources counts the population's input rows by dataset, batch and file:
// the people's, and the holdings' of a population of post holdings.
func (ex *Explanation) sources(ctx context.Context, tx *sql.Tx) error {
	holdings := ""
	if slices.Contains(ex.Columns, "holding_id") {
		holdings = "UNION ALL SELECT 'post_holders', _batch_id, _file, count(*) FROM v_post_holders WHERE holding_id IN (SELECT holding_id FROM explained) GROUP BY ALL"
	}
	src, err := tx.QueryContext(ctx, `
		WITH who AS (SELECT DISTINCT student_id FROM explained)
		SELECT 'students' AS dataset, _batch_id, _file, count(*) FROM v_students WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
		UNION ALL SELECT 'enrollments', _batch_id, _file, count(*) FROM v_enrollments WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
		UNION ALL SELECT 'career_events', _batch_id, _file, count(*) FROM v_career_events WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
		`+holdings+`
		ORDER BY 1, 2, 3`)
	if err != nil {
		return fmt.Errorf("trace the population's input rows: %w", err)
	}
	defer src.Close()
	for src.Next() {
		var ds, file string
		var batch, n int64
		if err := src.Scan(&ds, &batch, &file, &n); err != nil {
			return fmt.Errorf("trace the population's input rows: %w", err)
		}
		ex.Sources = append(ex.Sources, []any{ds, batch, file, n})
	}
	return src.Err()
}
