package transform

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/imet-project/imet/schemas"
)

//go:embed sql/*.sql sql/units/*.sql sql/checks/*.sql
var sqlFiles embed.FS

// Options are what one transform is asked for.
type Options struct {
	AsOf     time.Time // D, the period end: events after it are ignored
	Vintage  int64     // use the data of batches up to this one; 0 = everything loaded
	LeadRank string    // the general/flag rank threshold; default OF-6
	SmallN   int       // groups with fewer people get the note "small n"; default 10
	// NoEvidence leaves out the metrics of evidence.md (competing exits,
	// the adjusted comparison, sensitivity and power), for measuring what
	// they cost.
	NoEvidence bool
	// Full rebuilds every model from all the data; without it, a headline
	// transform that follows another of the same fiscal year rebuilds only
	// the rows of the people its new batches or its later D touch
	// (planModels). The numbers are the same either way.
	Full bool
	// PseudonymKey (Explain only): when set, the population shows each
	// person's identifier as its keyed pseudonym (schemas.Pseudonym, as
	// the snapshot and the lake do) and leaves out the columns drawn from
	// restricted data (RestrictedColumns); nil shows them as stored, for
	// a workspace that publishes personal data.
	PseudonymKey []byte

	Logger *slog.Logger
	Now    func() time.Time
	Step   func(step string) // told the step under way (progress on a terminal)

	// Set by EnsureAll for transforms that run side by side. runID is the
	// id the run takes (each would take the same next id otherwise; 0
	// takes the next after the last committed). notHeadline builds the
	// models as temporary tables although no later transform is committed
	// yet: a later one runs beside it. beforeCommit, when set, is asked
	// before the commit and stops it with its error. beside says EnsureAll
	// has fitted DuckDB's threads to the transforms running at once; a
	// transform alone fits them to itself.
	runID        int64
	notHeadline  bool
	beforeCommit func() error
	beside       bool
}

// Step is one timed part of a transform.
type Step struct {
	Name    string  `json:"step"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
}

// Result says what a transform did.
type Result struct {
	RunID      int64
	AsOf       time.Time
	Vintage    int64
	MetricRows int64
	Models     string // how the models were brought to D and the vintage (modelPlan)
	Steps      []Step
}

// Run rebuilds the models for D and replaces the metric_values rows of
// (D, vintage), all in one transaction: a failure or a kill leaves the
// previous results as they were. The model tables in the warehouse are
// always the headline transform's (the view headline_transform: the latest
// D, its newest vintage): a quarterly report's comparison quarters and an
// earlier fiscal year's congressional export build theirs as temporary
// tables, so every reader of the warehouse, the published snapshot and the
// lake export among them, finds models that agree with the headline
// numbers, and publishing stays a plain copy.
func Run(ctx context.Context, db *sql.DB, opt Options) (Result, error) {
	opt = withDefaults(opt)
	lead := schemas.RankOrder(opt.LeadRank)
	if lead <= schemas.RankOrder("OF-1") {
		return Result{}, fmt.Errorf("lead rank %q: use an officer rank code above OF-1, e.g. OF-6", opt.LeadRank)
	}
	started := opt.Now()
	if !opt.beside {
		restore, err := schemas.FitThreads(ctx, db, 0, 1)
		if err != nil {
			return Result{}, err
		}
		defer restore()
	}
	conn, tx, err := begin(ctx, db)
	if err != nil {
		return Result{}, fmt.Errorf("begin transform: %w", err)
	}
	defer conn.Close()
	defer tx.Rollback()

	vintage, err := resolveVintage(ctx, tx, opt.Vintage)
	if err != nil {
		return Result{}, err
	}
	res := Result{AsOf: opt.AsOf, Vintage: vintage}
	log := opt.Logger.With("as_of", opt.AsOf.Format(time.DateOnly), "vintage", vintage)
	timed := func(name string, f func() (int64, error)) error {
		opt.Step(name)
		t0 := time.Now()
		rows, err := f()
		if err != nil {
			return fmt.Errorf("transform step %s: %w", name, err)
		}
		s := Step{Name: name, Seconds: time.Since(t0).Seconds(), Rows: rows}
		res.Steps = append(res.Steps, s)
		log.Debug("transform step", "step", name, "seconds", s.Seconds, "rows", rows)
		return nil
	}

	// Only the headline transform's models are kept; any other transform
	// builds its own as temporary tables, which shadow the kept ones for
	// this run and are dropped before it commits. (Written into the file,
	// they cost about three times as much, and the headline's had to be
	// built again after them.)
	headline, err := becomesHeadline(ctx, tx, opt.AsOf, vintage)
	if err != nil {
		return res, err
	}
	headline = headline && !opt.notHeadline
	plan, err := planModels(ctx, tx, opt, vintage, lead, headline)
	if err != nil {
		return res, err
	}
	res.Models = plan.String()
	models, err := buildModels(ctx, tx, opt.AsOf, vintage, lead, timed, !headline, plan)
	if err != nil {
		return res, err
	}

	for _, t := range []string{"metric_values", "ipw_balance", "ipw_overlap"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE as_of = ? AND vintage = ?`,
			opt.AsOf.Format(time.DateOnly), vintage); err != nil {
			return res, fmt.Errorf("clear %s: %w", t, err)
		}
	}
	c := &computer{tx: tx, conn: conn, opt: opt, vintage: vintage}
	if err := c.every(ctx, timed, &res); err != nil {
		return res, err
	}
	if res.RunID, err = recordRun(ctx, tx, opt, res, started, plan); err != nil {
		return res, err
	}
	// The temporary models go before the commit, so that later statements
	// on the connection see the kept models (and its memory is given
	// back): all of them, or the headline's view models'.
	temps := models
	if headline {
		if err := plan.record(ctx, tx, opt.AsOf, vintage, res.RunID); err != nil {
			return res, err
		}
		all, err := modelFiles()
		if err != nil {
			return res, err
		}
		temps = viewModels(all)
	}
	if err := dropTemp(ctx, tx, temps); err != nil {
		return res, err
	}
	if opt.beforeCommit != nil {
		if err := opt.beforeCommit(); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit transform: %w", err)
	}
	log.Info("transform done", "run", res.RunID, "metric_rows", res.MetricRows)
	return res, nil
}

// every computes every metric of the registry in order, then the curves,
// each a step through timed, counting the metric rows into res.
func (c *computer) every(ctx context.Context, timed func(string, func() (int64, error)) error, res *Result) error {
	var order []Metric
	for _, m := range computeOrder(Registry) {
		if !c.opt.NoEvidence || !m.Estimator.Evidence() {
			order = append(order, m)
		}
	}
	c.reads, c.groups, c.once = planReads(order), planGroups(order), readOnce(order)
	for _, m := range order {
		if err := timed("metric "+m.ID, func() (int64, error) { return c.metric(ctx, m) }); err != nil {
			return err
		}
		c.release(m)
		res.MetricRows += res.Steps[len(res.Steps)-1].Rows
	}
	if err := c.flush(ctx); err != nil {
		return err
	}
	if err := timed("km_curves", func() (int64, error) { return c.curves(ctx) }); err != nil {
		return err
	}
	if c.opt.NoEvidence {
		return nil
	}
	return timed("cif_curves", func() (int64, error) { return c.cifCurves(ctx) })
}

// recordRun writes the run's row of transform_runs, numbered after the
// last, and returns its run id.
func recordRun(ctx context.Context, tx *sql.Tx, opt Options, res Result, started time.Time, plan modelPlan) (int64, error) {
	run := opt.runID
	if run == 0 {
		var err error
		if run, err = nextRunID(ctx, tx); err != nil {
			return 0, err
		}
	}
	settings, _ := json.Marshal(map[string]any{"lead_rank": opt.LeadRank, "small_n": opt.SmallN, "models": plan.String()})
	steps, _ := json.Marshal(res.Steps)
	if _, err := tx.ExecContext(ctx, `INSERT INTO transform_runs (run_id, as_of, vintage, started_at, finished_at, metric_rows, settings, steps)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		run, opt.AsOf.Format(time.DateOnly), res.Vintage, started.UTC(), opt.Now().UTC(), res.MetricRows,
		string(settings), string(steps)); err != nil {
		return 0, fmt.Errorf("record transform run: %w", err)
	}
	return run, nil
}

// nextRunID is the id after the last committed transform run.
func nextRunID(ctx context.Context, q Querier) (int64, error) {
	var run int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(run_id), 0) + 1 FROM transform_runs`).Scan(&run); err != nil {
		return 0, fmt.Errorf("next transform run id: %w", err)
	}
	return run, nil
}

// computeOrder is the registry with the metrics computed from stored rows
// of others (From) last, so the rows they read are written: the registry's
// order is the order products show.
func computeOrder(reg []Metric) []Metric {
	out := make([]Metric, 0, len(reg))
	var later []Metric
	for _, m := range reg {
		if m.From != "" {
			later = append(later, m)
			continue
		}
		out = append(out, m)
	}
	return append(out, later...)
}

// becomesHeadline says whether a transform of (asOf, vintage) will be the
// headline transform once recorded: no transform of a later D, or of a
// newer vintage of the same D, exists (the view headline_transform).
func becomesHeadline(ctx context.Context, tx Querier, asOf time.Time, vintage int64) (bool, error) {
	var later int64
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM transform_runs WHERE as_of > ?::DATE OR (as_of = ?::DATE AND vintage > ?)`,
		asOf.Format(time.DateOnly), asOf.Format(time.DateOnly), vintage).Scan(&later)
	if err != nil {
		return false, fmt.Errorf("find the headline transform: %w", err)
	}
	return later == 0, nil
}

// dropTemp drops temporary models: the tables, and the view models'
// views.
func dropTemp(ctx context.Context, tx *sql.Tx, models []model) error {
	for _, m := range models {
		kind := "TABLE"
		if m.view {
			kind = "VIEW"
		}
		if _, err := tx.ExecContext(ctx, "DROP "+kind+" temp.main."+m.table); err != nil {
			return fmt.Errorf("drop the temporary %s: %w", m.table, err)
		}
	}
	return nil
}

// buildModels sets the run's parameters and vintage views and runs the
// models in order, each step through timed, and returns the models that
// made a table or a view. With temp, the tables are temporary: they shadow
// the kept models (of the headline transform) for the rest of the
// transaction. A view model is a temporary view either way (model.run).
// With a scoped plan, the kept models are updated instead (updateModels).
func buildModels(ctx context.Context, tx *sql.Tx, asOf time.Time, vintage int64, lead int, timed func(string, func() (int64, error)) error, temp bool, plan modelPlan) ([]model, error) {
	p := params{asOf, vintage, lead}
	if err := timed("params", func() (int64, error) {
		_, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE params AS "+p.sql())
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP MACRO "+periodEndCall+" AS "+p.periodEnd()); err != nil {
			return 0, err
		}
		return 1, createVintageViews(ctx, tx, vintage, false)
	}); err != nil {
		return nil, err
	}
	models, err := modelFiles()
	if err != nil {
		return nil, err
	}
	if plan.Scoped {
		return updateModels(ctx, tx, p, models, timed)
	}
	var made []model // the models with a table or view so far, in order
	for _, m := range models {
		if err := m.run(ctx, tx, timed, temp); err != nil {
			return nil, err
		}
		if m.table != "" {
			if !temp {
				if err := m.keep(ctx, tx, p, tableNames(made)); err != nil {
					return nil, err
				}
			}
			made = append(made, m)
		}
	}
	return made, nil
}

// params are what the models read from the temporary table params: D,
// the vintage and the lead rank's order.
type params struct {
	asOf    time.Time
	vintage int64
	lead    int
}

func (p params) sql() string {
	return fmt.Sprintf("SELECT %s AS d, %d::BIGINT AS vintage, %d::INTEGER AS lead_rank_order", p.periodEnd(), p.vintage, p.lead)
}

// periodEnd is D as a literal: the body of the temporary macro
// period_end(), which the models and units compare dates with wherever
// they filter rows by D (params' d stays for what they return). DuckDB
// estimates a filter against a column of params (a join with a one-row
// table) as keeping a few thousand rows, so every join over the timeline
// (19.7M rows at a million people) built its hash table on the timeline
// instead of on the people; against a constant it uses the column's
// statistics (050_outcomes at a million people: 4.1 s to 2.8 s; the
// REPORT_LAG_DAYS unit and its grouping at 100,000 people 0.31–0.41 s to
// 0.19 s). A kept view writes the literal in (model.keep); UnitSQL, for
// the queries run outside a transform, params' d.
func (p params) periodEnd() string {
	return fmt.Sprintf("DATE '%s'", p.asOf.Format(time.DateOnly))
}

// periodEndCall is how the models' and units' SQL names D as a constant.
const periodEndCall = "period_end()"

// viewModels are the models kept as a view, in the warehouse's catalog:
// the temporary views of every transform, dropped before it commits.
func viewModels(models []model) []model {
	var out []model
	for _, m := range models {
		if m.view {
			out = append(out, m)
		}
	}
	return out
}

// tableNames are the names of the models' tables (or views).
func tableNames(models []model) []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.table
	}
	return out
}

// model is one model's SQL: table is the table it creates ("" for one
// that inserts into a table kept per D and vintage). A view model (its SQL
// creates a view) is a temporary view in every transform, its rows
// computed where the models and metrics after it read them, and the
// headline keeps it as a view of the same rows (model.keep). The career
// timeline at 100,000 people: 2M rows written into the file took 1.9 s,
// into a temporary table 0.6–0.9 s, and as a view the models after it
// take about a second less in all than over that table.
type model struct {
	name, body, table string
	view              bool
	match             []string // createdTable's match
}

// modelFiles are the models, in order.
func modelFiles() ([]model, error) {
	names, err := fs.Glob(sqlFiles, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []model
	for _, f := range names {
		raw, err := sqlFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m := model{name: strings.TrimSuffix(path.Base(f), ".sql"), body: string(raw), match: createdTable.FindStringSubmatch(string(raw))}
		if m.match != nil && strings.HasPrefix(strings.ToUpper(m.match[0]), "CREATE") {
			m.table = m.match[1]
			m.view = strings.Contains(strings.ToUpper(m.match[0]), "VIEW")
		}
		out = append(out, m)
	}
	return out, nil
}

// run runs the model as a step; with temp, a model that creates a table
// creates a temporary one, without the column comments (the kept tables'
// business). A view model always makes a temporary view, without them.
func (m model) run(ctx context.Context, tx *sql.Tx, timed func(string, func() (int64, error)) error, temp bool) error {
	body := m.body
	if m.table != "" && (temp || m.view) {
		kind := "TABLE"
		if m.view {
			kind = "VIEW"
		}
		body = strings.Replace(body, m.match[0], "CREATE OR REPLACE TEMP "+kind+" "+m.table, 1)
		body = commentOn.ReplaceAllString(body, "")
	}
	return timed(m.name, func() (int64, error) {
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return 0, err
		}
		return countCreated(ctx, tx, m.match)
	})
}

// commentOn is a COMMENT ON statement of a model's SQL, one to a line.
var commentOn = regexp.MustCompile(`(?m)^COMMENT ON .*;$`)

// keep finishes a kept model the headline transform made: each column
// without words of its own inherits them (inheritComments), and a view
// model becomes the warehouse's view. The view is the model's statement
// over its inputs as they stood at the run's vintage, with the run's D,
// vintage and lead rank written in: it shows the rows of the run's
// temporary view until the next headline transform replaces it, whatever
// is loaded meanwhile (no batch changes a row of a vintage before it:
// replaced rows move to history, links carry their batch).
// TestKeptViewHoldsItsVintage.
func (m model) keep(ctx context.Context, tx *sql.Tx, p params, earlier []string) error {
	if !m.view {
		return inheritComments(ctx, tx, m.table, earlier)
	}
	var catalog string
	var table bool
	if err := tx.QueryRowContext(ctx, `SELECT current_database(), EXISTS (SELECT 1 FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?)`, m.table).Scan(&catalog, &table); err != nil {
		return fmt.Errorf("keep %s: %w", m.table, err)
	}
	kept := schemas.Ident(catalog) + ".main." + m.table // main.t alone finds the temporary t
	body := commentOn.ReplaceAllString(m.body, "")
	body = strings.Replace(body, m.match[0], "CREATE OR REPLACE VIEW "+kept, 1)
	var bad error
	body = viewName.ReplaceAllStringFunc(body, func(v string) string {
		d, err := schemas.Lookup(strings.TrimPrefix(v, "v_"))
		if err != nil {
			bad = err
			return v
		}
		return "(" + vintageBody(d, p.vintage) + ")"
	})
	if bad != nil {
		return fmt.Errorf("keep %s: %w", m.table, bad)
	}
	body = paramsTable.ReplaceAllString(body, "("+p.sql()+")")
	body = strings.ReplaceAll(body, periodEndCall, p.periodEnd())
	stmts := []string{body}
	if table { // a warehouse of before the model was a view
		stmts = append([]string{"DROP TABLE " + kept}, stmts...)
	}
	for _, c := range commentOn.FindAllString(m.body, -1) {
		stmts = append(stmts, strings.Replace(c, " "+m.table+".", " "+kept+".", 1))
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("keep %s: %w", m.table, err)
		}
	}
	return inheritComments(ctx, tx, m.table, earlier)
}

// paramsTable is a reference to the temporary table params.
var paramsTable = regexp.MustCompile(`\bparams\b`)

// inheritComments gives each column of a model table that its SQL leaves
// uncommented the comment of the same column in the models before it
// (the latest first), then in the input contract's tables: a column that
// keeps its name keeps its meaning, and its words live where it first
// appears. A model comments only the columns it makes or means otherwise.
func inheritComments(ctx context.Context, tx *sql.Tx, table string, earlier []string) error {
	from := slices.Clone(earlier)
	slices.Reverse(from)
	for _, d := range schemas.Datasets {
		from = append(from, d.Name)
	}
	_, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE inherited AS
		SELECT t.column_name, (SELECT s.comment FROM duckdb_columns() s
		                       JOIN unnest($2::VARCHAR[]) WITH ORDINALITY AS o(name, rank) ON s.table_name = o.name
		                       WHERE s.database_name = current_database() AND s.schema_name = 'main'
		                         AND s.column_name = t.column_name AND coalesce(s.comment, '') <> ''
		                       ORDER BY o.rank LIMIT 1) AS comment
		FROM duckdb_columns() t
		WHERE t.database_name = current_database() AND t.schema_name = 'main' AND t.table_name = $1
		  AND coalesce(t.comment, '') = ''`, table, from)
	if err != nil {
		return fmt.Errorf("inherit the column comments of %s: %w", table, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT current_database(), column_name, comment FROM inherited WHERE comment IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("inherit the column comments of %s: %w", table, err)
	}
	var stmts []string
	for rows.Next() {
		var catalog, col, doc string
		if err := rows.Scan(&catalog, &col, &doc); err != nil {
			rows.Close()
			return fmt.Errorf("inherit the column comments of %s: %w", table, err)
		}
		// the catalog named: table alone could be a view model's temporary view
		stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.main.%s.%s IS %s", schemas.Ident(catalog), table, col, schemas.Quote(doc)))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("inherit the column comments of %s: %w", table, err)
		}
	}
	return nil
}

func withDefaults(opt Options) Options {
	if opt.LeadRank == "" {
		opt.LeadRank = schemas.FirstGeneralRank
	}
	if opt.SmallN == 0 {
		opt.SmallN = 10
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Step == nil {
		opt.Step = func(string) {}
	}
	if opt.AsOf.IsZero() {
		y, m, d := opt.Now().Date()
		opt.AsOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return opt
}

// Querier is what LatestVintage reads through: a *sql.DB, *sql.Tx or *sql.Conn.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// vintageSQL is the data vintage as of batch $1 (0: the latest): the last
// batch up to it that loaded a file. A rejected file changes no data, so it
// never names a vintage.
const vintageSQL = `SELECT coalesce(max(batch_id) FILTER (WHERE status = 'loaded' AND ($1 = 0 OR batch_id <= $1)), 0), coalesce(max(batch_id), 0)
	FROM batches`

// LatestVintage is the last batch that loaded a file (0 when none has).
func LatestVintage(ctx context.Context, q Querier) (int64, error) {
	v, _, err := vintageOf(ctx, q, 0)
	return v, err
}

// vintageOf returns the vintage as of batch asked and the last batch of any
// status.
func vintageOf(ctx context.Context, q Querier, asked int64) (v, latest int64, err error) {
	if err := q.QueryRowContext(ctx, vintageSQL, asked).Scan(&v, &latest); err != nil {
		return 0, 0, fmt.Errorf("latest loaded batch: %w", err)
	}
	return v, latest, nil
}

// resolveVintage is the batch the transform reads up to: the one asked for
// (or, when that batch loaded nothing, the last loaded batch before it), or
// the latest loaded.
func resolveVintage(ctx context.Context, tx *sql.Tx, asked int64) (int64, error) {
	v, latest, err := vintageOf(ctx, tx, asked)
	if err != nil {
		return 0, err
	}
	if asked < 0 || asked > latest {
		return 0, fmt.Errorf("vintage %d: the warehouse has batches 1 to %d (see the batches table)", asked, latest)
	}
	return v, nil
}

// createVintageViews makes v_<dataset> show each dataset as it stood after
// batch V: the rows written by batches up to V that no batch up to V had
// replaced. A career event or flag counts as linked only from the batch
// that linked it.
//
// With touched, the datasets that identify people show only the rows of
// the people in the temporary table touched (updateModels).
func createVintageViews(ctx context.Context, tx *sql.Tx, v int64, touched bool) error {
	for _, d := range schemas.Datasets {
		body := vintageBody(d, v)
		if id := d.PersonID(); touched && id != "" {
			body = fmt.Sprintf("SELECT * FROM (%s) WHERE %s IN (SELECT student_id FROM temp.touched)", body, id)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP VIEW v_%s AS %s", d.Name, body)); err != nil {
			return fmt.Errorf("vintage view of %s: %w", d.Name, err)
		}
	}
	return nil
}

// vintageBody is the query of the dataset d as it stood after batch v.
func vintageBody(d *schemas.Dataset, v int64) string {
	cols := make([]string, 0, len(d.Columns)+2)
	for _, c := range d.Columns {
		name := c.Name
		if d.Linked && c.Name == "student_id" {
			name = fmt.Sprintf("CASE WHEN _link_batch_id <= %d THEN student_id END AS student_id", v)
		}
		cols = append(cols, name)
	}
	if d.Linked {
		cols = append(cols, fmt.Sprintf("CASE WHEN _link_batch_id <= %d THEN link_method END AS link_method", v))
	}
	cols = append(cols, "_batch_id", "_file")
	list := strings.Join(cols, ", ")
	return fmt.Sprintf(`SELECT %[2]s FROM %[1]s WHERE _batch_id <= %[3]d
			UNION ALL
			SELECT %[2]s FROM %[1]s_history WHERE _batch_id <= %[3]d AND _superseded_by > %[3]d`, d.Name, list, v)
}

var createdTable = regexp.MustCompile(`(?i)(?:CREATE OR REPLACE TABLE|CREATE OR REPLACE VIEW|INSERT INTO) (\w+)`)

// countCreated counts the rows of the table a model made (for a table kept
// per D and vintage, the rows of this run), given createdTable's match in
// the model's own SQL (its statement may have been made temporary since).
func countCreated(ctx context.Context, tx *sql.Tx, m []string) (int64, error) {
	if m == nil {
		return 0, nil
	}
	q := "SELECT count(*) FROM " + m[1]
	if strings.HasPrefix(strings.ToUpper(m[0]), "INSERT") {
		q += " WHERE (as_of, vintage) = (SELECT (d, vintage) FROM params)"
	}
	var n int64
	err := tx.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// LatestTransformedVintage is the newest vintage transformed for D = d:
// what a product reads for a D when no vintage is asked for. It differs
// from LatestVintage (the last loaded batch) when newer batches arrived
// after D was last transformed.
func LatestTransformedVintage(ctx context.Context, q Querier, d time.Time) (int64, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT max(vintage) FROM transform_runs WHERE as_of = ?::DATE`, d.Format(time.DateOnly)).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read the transforms of %s: %w", d.Format(time.DateOnly), err)
	}
	if !v.Valid {
		return 0, fmt.Errorf("no transform for the period end %s: run 'imet transform --as-of %s' first", d.Format(time.DateOnly), d.Format(time.DateOnly))
	}
	return v.Int64, nil
}

// FirstRun is the first transform run of (d, v), or 0 when there is none.
func FirstRun(ctx context.Context, q Querier, d time.Time, v int64) (int64, error) {
	var run int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(min(run_id), 0) FROM transform_runs WHERE as_of = ? AND vintage = ?`, d.Format(time.DateOnly), v).Scan(&run)
	if err != nil {
		return 0, fmt.Errorf("find the transform of %s, vintage %d: %w", d.Format(time.DateOnly), v, err)
	}
	return run, nil
}

// Ensure returns the first transform run of (opt.AsOf, opt.Vintage, the
// latest loaded batch when 0) and that vintage, running the transform when
// there is none: the numbers of a (D, vintage) never change, so an existing
// run is as good as a new one, and its id stays stable. ran says whether it
// ran one.
func Ensure(ctx context.Context, db *sql.DB, opt Options) (run, vintage int64, ran bool, err error) {
	e, err := EnsureAll(ctx, db, []Options{opt})
	if err != nil {
		return 0, 0, false, err
	}
	return e[0].Run, e[0].Vintage, e[0].Ran, nil
}

// Ensured is what EnsureAll says of one transform: its first run, its
// vintage, and whether EnsureAll ran it (then Result is the run's).
type Ensured struct {
	Run, Vintage int64
	Ran          bool
	Result       Result
}

// EnsureAll is Ensure for several (D, vintage): the ones without a run
// are transformed, their run ids in the order of opts. They run side by
// side, each in its own transaction on its own connection, when none of
// them is the headline (each has a later transform already, so each
// builds temporary models and writes only its own D's rows), or when one
// is and every other is earlier than it: the others then build temporary
// models too and commit only after it has, so the warehouse never holds a
// headline without its models, and not at all if it fails. A small
// transform's metric steps keep about one core busy: at 5,000 people a
// quarterly report's two comparison quarters take 2.0 s side by side
// against 3.4 s one after the other. Otherwise they run one after the
// other. A failure of one leaves the others' results committed, as one
// after the other would, except that a failed headline takes the earlier
// transforms beside it with it.
func EnsureAll(ctx context.Context, db *sql.DB, opts []Options) ([]Ensured, error) {
	out := make([]Ensured, len(opts))
	var missing []int
	for i, opt := range opts {
		v := opt.Vintage
		if v == 0 {
			var err error
			if v, err = LatestVintage(ctx, db); err != nil {
				return nil, err
			}
		}
		run, err := FirstRun(ctx, db, opt.AsOf, v)
		if err != nil {
			return nil, err
		}
		out[i] = Ensured{Run: run, Vintage: v}
		if run == 0 {
			missing = append(missing, i)
		}
	}
	side, head, err := sideBySide(ctx, db, opts, out, missing)
	if err != nil {
		return nil, err
	}
	if !side {
		for _, i := range missing {
			res, err := Run(ctx, db, opts[i])
			if err != nil {
				return nil, err
			}
			out[i] = Ensured{Run: res.RunID, Vintage: res.Vintage, Ran: true, Result: res}
		}
		return out, nil
	}
	next, err := nextRunID(ctx, db)
	if err != nil {
		return nil, err
	}
	restore, err := schemas.FitThreads(ctx, db, 0, len(missing))
	if err != nil {
		return nil, err
	}
	defer restore()
	errs := make([]error, len(opts))
	headDone := make(chan struct{}) // closed when the headline has committed or failed
	if head < 0 {
		close(headDone)
	}
	var wg sync.WaitGroup
	for k, i := range missing {
		opt := opts[i]
		opt.runID = next + int64(k)
		opt.beside = true
		if head >= 0 && i != head {
			opt.notHeadline = true
			opt.beforeCommit = func() error {
				<-headDone
				if errs[head] != nil {
					return fmt.Errorf("not committed: the headline transform of %s beside it failed", opts[head].AsOf.Format(time.DateOnly))
				}
				return nil
			}
		}
		wg.Go(func() {
			res, err := Run(ctx, db, opt)
			out[i], errs[i] = Ensured{Run: res.RunID, Vintage: res.Vintage, Ran: err == nil, Result: res}, err
			if i == head {
				close(headDone)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// sideBySide says whether the missing transforms may run at once, and
// which of them (its index in opts, else -1) is the headline: more than
// one, none with the (D, vintage) of another, and none but the latest can
// be the headline, which it is unless a later transform is committed.
func sideBySide(ctx context.Context, db *sql.DB, opts []Options, out []Ensured, missing []int) (bool, int, error) {
	if len(missing) < 2 {
		return false, -1, nil
	}
	later := func(a, b int) bool { // a's (D, vintage) after b's
		return opts[a].AsOf.After(opts[b].AsOf) || opts[a].AsOf.Equal(opts[b].AsOf) && out[a].Vintage > out[b].Vintage
	}
	latest := missing[0]
	for _, i := range missing[1:] {
		if later(i, latest) {
			latest = i
		}
	}
	for _, i := range missing {
		if i != latest && !later(latest, i) {
			return false, -1, nil // two of the same D and vintage
		}
	}
	headline, err := becomesHeadline(ctx, db, opts[latest].AsOf, out[latest].Vintage)
	if err != nil || !headline {
		return err == nil, -1, err
	}
	return true, latest, nil
}
