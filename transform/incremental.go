package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// A person's rows in the model tables (enrollment_facts, career_timeline,
// rank_observations, people, outcomes) come from that person's own rows of
// the datasets the models read, the courses and countries they join, and
// comparisons of their dates with D (and, for the periods of an
// enrollment, D's fiscal year). So a headline transform that follows
// another of the same fiscal year, built with the same settings, model
// statements and macros, need only rebuild the rows of the people whose
// rows a batch since has written, replaced or linked, or who have a date
// between the two Ds: the others' rows are what a whole rebuild would
// write. The metrics are computed from the whole models either way.
// TestIncrementalEqualsFull holds the two equal for every kind of new file.

// modelPlan is how a transform brings the models to its D and vintage.
type modelPlan struct {
	Scoped  bool   // only the touched people's rows are rebuilt
	From    int64  // the vintage the kept models held
	People  int64  // the touched people
	Why     string // why the models are rebuilt whole
	against string // what the models are built with (model_state.built_against)
}

// String is what the run's record says of its models.
func (p modelPlan) String() string {
	if p.Scoped {
		return fmt.Sprintf("updated from vintage %d: the rows of %d people", p.From, p.People)
	}
	return "rebuilt: " + p.Why
}

// record notes in model_state what the kept models now hold, and in
// model_touched whose rows the run rebuilt (everyone's, or those of the
// people listed), for the publish that updates its snapshot.
func (p modelPlan) record(ctx context.Context, tx *sql.Tx, asOf time.Time, vintage, run int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM model_state`)
	if err == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO model_state (as_of, vintage, run_id, built_against) VALUES (?, ?, ?, ?)`,
			asOf.Format(time.DateOnly), vintage, run, p.against)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO model_touched VALUES (?, ?, NULL)`, run, p.Scoped)
	}
	if err == nil && p.Scoped {
		_, err = tx.ExecContext(ctx, `INSERT INTO model_touched SELECT ?, true, student_id FROM temp.touched`, run)
	}
	if err != nil {
		return fmt.Errorf("record the models: %w", err)
	}
	return nil
}

// scopedShare is the most of the students a scoped update may touch: past
// it, deleting and inserting their rows costs more than a whole rebuild.
const scopedShare = 0.25

// planModels decides whether the transform of (opt.AsOf, vintage) may
// update the kept models rather than rebuild them, and when it may, fills
// the temporary table touched with the people whose rows to rebuild.
func planModels(ctx context.Context, tx *sql.Tx, opt Options, vintage int64, lead int, headline bool) (modelPlan, error) {
	models, err := modelFiles()
	if err != nil {
		return modelPlan{}, err
	}
	var migration string
	if err := tx.QueryRowContext(ctx, `SELECT max(name) FROM schema_migrations`).Scan(&migration); err != nil {
		return modelPlan{}, fmt.Errorf("plan the models: %w", err)
	}
	h := sha256.New()
	for _, m := range models {
		h.Write([]byte(m.body))
	}
	plan := modelPlan{against: fmt.Sprintf("lead rank order %d; models %x; migration %s", lead, h.Sum(nil)[:8], migration)}
	switch {
	case !headline:
		plan.Why = "not the headline transform (temporary models)"
		return plan, nil
	case opt.Full:
		plan.Why = "asked for (--full)"
		return plan, nil
	}
	var keptD time.Time
	var against string
	err = tx.QueryRowContext(ctx, `SELECT as_of, vintage, built_against FROM model_state`).Scan(&keptD, &plan.From, &against)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		plan.Why = "no models kept yet"
		return plan, nil
	case err != nil:
		return plan, fmt.Errorf("plan the models: %w", err)
	case against != plan.against:
		plan.Why = "the kept models were built with other settings, statements or macros"
		return plan, nil
	case keptD.After(opt.AsOf) || plan.From > vintage:
		plan.Why = "the kept models are of a later D or vintage"
		return plan, nil
	case schemas.FiscalYear(keptD) != schemas.FiscalYear(opt.AsOf):
		plan.Why = fmt.Sprintf("the kept models are of another fiscal year (D %s)", keptD.Format(time.DateOnly))
		return plan, nil
	}
	inputs := modelInputs(models)
	var whole []string
	for _, d := range schemas.Datasets {
		if inputs[d.Name] && d.PersonID() == "" {
			whole = append(whole, d.Name)
		}
	}
	var changed sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT string_agg(DISTINCT dataset, ', ' ORDER BY dataset) FROM batches
		WHERE batch_id > ? AND batch_id <= ? AND status = 'loaded' AND list_contains(?::VARCHAR[], dataset)`,
		plan.From, vintage, whole).Scan(&changed); err != nil {
		return plan, fmt.Errorf("plan the models: %w", err)
	}
	if changed.Valid {
		plan.Why = "a batch since changed " + changed.String + ", which every person's rows may join"
		return plan, nil
	}
	if _, err := tx.ExecContext(ctx, touchedQuery(inputs, plan.From, vintage, keptD, opt.AsOf)); err != nil {
		return plan, fmt.Errorf("find the people the new batches touch: %w", err)
	}
	var students int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM temp.touched), (SELECT count(*) FROM students)`).Scan(&plan.People, &students); err != nil {
		return plan, fmt.Errorf("find the people the new batches touch: %w", err)
	}
	if float64(plan.People) > scopedShare*float64(students) {
		plan.Why = fmt.Sprintf("%d of %d students touched: a whole rebuild is cheaper", plan.People, students)
		return plan, nil
	}
	plan.Scoped = true
	return plan, nil
}

// viewName is a vintage view a model reads.
var viewName = regexp.MustCompile(`\bv_(\w+)`)

// modelInputs are the datasets the models that create tables read.
func modelInputs(models []model) map[string]bool {
	out := map[string]bool{}
	for _, m := range models {
		if m.table == "" {
			continue
		}
		for _, v := range viewName.FindAllStringSubmatch(m.body, -1) {
			out[v[1]] = true
		}
	}
	return out
}

// touchedQuery makes the temporary table touched: every person with a row,
// current or replaced, of a dataset the models read that a batch in
// (from, to] wrote, replaced or linked, or with a date in (d0, d1]. A
// superset is safe (their rows are rebuilt as a whole rebuild would), a
// person left out is not.
func touchedQuery(inputs map[string]bool, from, to int64, d0, d1 time.Time) string {
	var parts []string
	for _, d := range schemas.Datasets {
		id := d.PersonID()
		if !inputs[d.Name] || id == "" {
			continue
		}
		for _, table := range []string{d.Name, d.Name + "_history"} {
			in := func(col string) string { return fmt.Sprintf("(%s > %d AND %s <= %d)", col, from, col, to) }
			conds := []string{in("_batch_id")}
			if strings.HasSuffix(table, "_history") {
				conds = append(conds, in("_superseded_by"))
			}
			if d.Linked {
				conds = append(conds, in("_link_batch_id"))
			}
			if d1.After(d0) {
				for _, c := range d.Columns {
					if c.Type == schemas.Date {
						conds = append(conds, fmt.Sprintf("(%s > DATE '%s' AND %s <= DATE '%s')", c.Name, d0.Format(time.DateOnly), c.Name, d1.Format(time.DateOnly)))
					}
				}
			}
			parts = append(parts, fmt.Sprintf("SELECT %s AS student_id FROM %s WHERE %s IS NOT NULL AND (%s)", id, table, id, strings.Join(conds, " OR ")))
		}
	}
	return "CREATE OR REPLACE TEMP TABLE touched AS SELECT DISTINCT student_id FROM (" + strings.Join(parts, " UNION ALL ") + ")"
}

// updateModels rebuilds the touched people's rows of the kept models: the
// models that create tables run over vintage views that show only those
// people, into temporary tables; each kept table's rows of those people
// are replaced by them; then the views show everyone again and the models
// kept per D and vintage (data quality) run over them.
//
// A view model has no kept rows to update: its temporary view shows the
// touched people's rows to the models after it while the vintage views
// show only those people, and everyone's once they show everyone again,
// when it is made again (its step counts everyone's rows) and kept as the
// warehouse's view, before the models kept per D and vintage.
func updateModels(ctx context.Context, tx *sql.Tx, p params, models []model, timed func(string, func() (int64, error)) error) ([]model, error) {
	vintage := p.vintage
	if err := createVintageViews(ctx, tx, vintage, true); err != nil {
		return nil, err
	}
	var kept string // the warehouse's catalog: main.t alone could find the temporary t
	if err := tx.QueryRowContext(ctx, `SELECT current_database()`).Scan(&kept); err != nil {
		return nil, err
	}
	var made []model
	for _, m := range models {
		if m.table == "" {
			continue
		}
		if err := m.run(ctx, tx, timed, true); err != nil {
			return nil, err
		}
		made = append(made, m)
	}
	for _, m := range models {
		if m.table == "" || m.view {
			continue
		}
		t := m.table
		if err := timed("update "+t, func() (int64, error) {
			stmts := []string{
				fmt.Sprintf("DELETE FROM %s.main.%s WHERE student_id IN (SELECT student_id FROM temp.touched)", schemas.Ident(kept), t),
				fmt.Sprintf("INSERT INTO %s.main.%[2]s SELECT * FROM temp.main.%[2]s", schemas.Ident(kept), t),
				fmt.Sprintf("DROP TABLE temp.main.%s", t),
			}
			for _, q := range stmts {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return 0, err
				}
			}
			return 0, nil
		}); err != nil {
			return nil, err
		}
	}
	if err := createVintageViews(ctx, tx, vintage, false); err != nil {
		return nil, err
	}
	for _, m := range models {
		if m.view {
			if err := m.run(ctx, tx, timed, false); err != nil {
				return nil, err
			}
			if err := m.keep(ctx, tx, p, nil); err != nil {
				return nil, err
			}
		}
	}
	for _, m := range models {
		if m.table == "" {
			if err := m.run(ctx, tx, timed, false); err != nil {
				return nil, err
			}
		}
	}
	return made, nil
}
