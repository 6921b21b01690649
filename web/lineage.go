package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform"
)

// lineageURL is the address of the lineage of one published row: its
// parameters are metric_values' own column names (metric, as the pages
// call metric_id, and each key not ALL), with as_of and vintage.
func lineageURL(metric string, keys map[string]string, t transformKey) string {
	q := url.Values{"metric": {metric}, "as_of": {t.AsOf.Format(time.DateOnly)}, "vintage": {strconv.FormatInt(t.Vintage, 10)}}
	for _, k := range transform.Keys {
		if v := keys[k]; v != "" && v != "ALL" {
			q.Set(k, v)
		}
	}
	return "/lineage?" + q.Encode()
}

// lineage is the address of the lineage of m, a row of transform t.
func (m metricRow) lineage(t transformKey) string { return lineageURL(m.Metric, m.Keys, t) }

// snapshotViews stand, on the snapshot, for what a unit's SQL reads in the
// warehouse: params, and the vintage views as the snapshot publishes them
// (the current version of each row, which is the headline transform's
// vintage). Personal and restricted data the snapshot does not hold stay
// out: a student's birth year is NULL (so is the age computed from it) and
// the human-rights flags are none; the page never shows the columns made
// from them (transform.RestrictedColumns), and recomputes no number that
// uses them.
const snapshotViews = `WITH params AS (SELECT ?::DATE AS d, ?::BIGINT AS vintage, ?::INTEGER AS lead_rank_order),
v_students AS (SELECT *, NULL::INTEGER AS birth_year FROM students_public),
v_countries AS (SELECT * FROM countries),
v_career_events AS (SELECT * FROM career_events_public),
v_post_holders AS (SELECT * FROM post_holders_public),
v_allocations AS (SELECT * FROM allocations),
v_enrollments AS (SELECT * FROM enrollments),
v_hr_flags AS (SELECT NULL::VARCHAR AS student_id, NULL::VARCHAR AS status, NULL::DATE AS flag_date WHERE false)
`

// lineage is the explanation of one published number over the snapshot:
// the row, the metric's definition, the transform run behind it, the
// files and batches loaded up to its vintage and, for the headline
// transform (whose models the snapshot holds), the population itself.
func (s *Server) lineage(r *request) (*Page, error) {
	qv := r.URL.Query()
	id := qv.Get("metric")
	if id == "" {
		id = qv.Get("metric_id")
	}
	p := &Page{Title: "Lineage"}
	if id == "" {
		return s.lineageIndex(r, p)
	}
	m, ok := transform.Lookup(id)
	if !ok {
		return nil, fmt.Errorf("%w: no metric %q (see the methodology page for the metrics)", errNotFound, id)
	}
	doc, _ := s.metricDoc(id)
	keys, err := lineageKeys(qv, m)
	if err != nil {
		return nil, err
	}
	t, filters, err := r.pickTransform()
	if err != nil {
		return nil, err
	}
	head, err := r.headline()
	if err != nil {
		return nil, err
	}
	p.Title = "Lineage of " + id
	p.Lead = "Where this number comes from: the published row, what the metric means, the transform that computed it, the files behind it" +
		" and, for the headline transform, the people or records it counts. Student ids are pseudonyms."
	p.Filters = append(lineageFilters(id, keys), filters...)

	pub, err := r.lineagePublished(p, t, m, keys, doc)
	if err != nil {
		return nil, err
	}
	p.Tables = append(p.Tables, definitionTable(m, doc))
	settings, err := r.lineageRun(p, t, id)
	if err != nil {
		return nil, err
	}
	if err := r.lineageBatches(p, t); err != nil {
		return nil, err
	}

	// The population, when the snapshot holds the models it is made of.
	if t != head {
		p.Notes = append(p.Notes, fmt.Sprintf("The population's rows are shown for the headline transform (%s) only: the snapshot holds the model tables of that one. For %s run: imet explain %s", head, t, explainArgs(id, keys, t)))
		return p, nil
	}
	if err := s.population(r, p, m, keys, t, settings, pub); err != nil {
		return nil, err
	}
	return p, nil
}

// lineageKeys are the row's keys the query names (each not ALL), or the
// error of a key metric m is not broken down by.
func lineageKeys(qv url.Values, m transform.Metric) (map[string]string, error) {
	keys := map[string]string{}
	for _, k := range transform.Keys {
		if v := qv.Get(k); v != "" && v != "ALL" {
			if !slices.Contains(m.Base, k) && !slices.Contains(m.By, k) && !crossed(m, k) {
				return nil, badf("%s=%s: %s is not broken down by %s (it is by %s)", k, v, m.ID, k, m.Disaggregations())
			}
			keys[k] = v
		}
	}
	return keys, nil
}

// lineageFilters are the lineage form's first filters: it keeps the row,
// the metric and each key it names (D and the vintage follow).
func lineageFilters(id string, keys map[string]string) []*Filter {
	mf := &Filter{Name: "metric", Label: "Metric", Value: id}
	for _, x := range transform.Registry {
		mf.Options = append(mf.Options, Option{Value: x.ID, Label: x.ID})
	}
	filters := []*Filter{mf}
	for _, k := range transform.Keys {
		if v, ok := keys[k]; ok {
			filters = append(filters, &Filter{Name: k, Label: k, Value: v, Options: []Option{{Value: v, Label: v}, {Value: "ALL", Label: "ALL"}}})
		}
	}
	return filters
}

// lineagePublished adds the published row of metric m at keys in
// transform t, or says there is none, and returns it (nil when none).
func (r *request) lineagePublished(p *Page, t transformKey, m transform.Metric, keys map[string]string, doc reports.MetricDoc) (*metricRow, error) {
	rows, err := r.metricRows(t, selection{Metric: m.ID, Keys: keys})
	if err != nil {
		return nil, err
	}
	var pub *metricRow
	if len(rows) > 0 {
		pub = &rows[0]
	}
	p.Tables = append(p.Tables, publishedTable(pub, keys, doc))
	if pub == nil {
		p.Notes = append(p.Notes, fmt.Sprintf("The transform %s published no row of %s for these keys: it was never computed (too few people, or a key value the data does not hold).", t, m.ID))
	} else if pub.Note != "" {
		p.Notes = append(p.Notes, "The published row's note: "+pub.Note)
	}
	return pub, nil
}

// definitionTable is the metric as the registry defines it, a field a
// row (the fields it leaves empty left out).
func definitionTable(m transform.Metric, doc reports.MetricDoc) *Table {
	def := &Table{Name: "definition", Caption: "The metric", Columns: []Column{{Name: "field", Label: "Field"}, {Name: "value", Label: "Value"}}}
	add := func(k, v string) {
		if v != "" {
			def.Rows = append(def.Rows, []any{k, v})
		}
	}
	add("metric_id", m.ID)
	add("title", m.Title)
	add("definition", m.Definition)
	add("population", m.Population)
	add("event", m.Event)
	add("estimator", string(m.Estimator))
	add("unit", unitLabel(doc))
	add("read beside", m.ReadBeside)
	if m.Associational {
		add("associational", "yes: it compares participants with peers, an association, not an effect")
	}
	add("broken down by", m.Disaggregations())
	add("caveats", joinCaveats(m.Caveats))
	add("population rows", "unit "+m.Unit+cond(m.Where != "", ", where "+m.Where))
	add("n counts", m.N)
	add("events count", m.Events)
	return def
}

// lineageRun adds the runs of transform t and the steps of the newest
// (the models, and metric id's), and returns that run's settings ("" when
// the snapshot has no run of t).
func (r *request) lineageRun(p *Page, t transformKey, id string) (string, error) {
	tr, err := r.table("transform_run", "The transform run behind it", []Column{
		{Name: "run_id", Label: "Run"}, {Name: "as_of", Label: "D"}, {Name: "vintage", Label: "Vintage"},
		{Name: "started_at", Label: "Started (UTC)"}, {Name: "finished_at", Label: "Finished (UTC)"},
		{Name: "metric_rows", Label: "Metric rows", Unit: "count"}, {Name: "settings", Label: "Settings"},
	}, `SELECT run_id, as_of, vintage, started_at, finished_at, metric_rows, settings FROM transform_runs
WHERE as_of = ?::DATE AND vintage = ? ORDER BY run_id DESC`, t.AsOf.Format(time.DateOnly), t.Vintage)
	if err != nil {
		return "", fmt.Errorf("read transform_runs: %w", err)
	}
	tr.Links = func(row []any) string { return "/runs?run=" + text(row[0]) + "#table-steps" }
	p.Tables = append(p.Tables, tr)
	var settings string
	if len(tr.Rows) > 0 {
		settings = text(tr.Rows[0][6])
		if len(tr.Rows) > 1 {
			p.Notes = append(p.Notes, fmt.Sprintf("The transform %s was run %d times; its numbers in the snapshot are the newest run's (run %s).", t, len(tr.Rows), text(tr.Rows[0][0])))
		}
		steps, err := r.table("steps", "Steps of run "+text(tr.Rows[0][0])+": the models, and this metric's", []Column{
			{Name: "step", Label: "Step"}, {Name: "seconds", Label: "Seconds"}, {Name: "rows", Label: "Rows", Unit: "count"},
		}, `SELECT s.step, round(s.seconds, 3), s.rows FROM (
	SELECT unnest(from_json(steps, '[{"step":"VARCHAR","seconds":"DOUBLE","rows":"BIGINT"}]')) AS s
	FROM transform_runs WHERE run_id = ?)
WHERE s.step NOT LIKE 'metric %' OR s.step = 'metric ' || ?`, tr.Rows[0][0], id)
		if err != nil {
			return "", fmt.Errorf("read the steps of the run: %w", err)
		}
		p.Tables = append(p.Tables, steps)
	}
	return settings, nil
}

// lineageBatches adds the files and batches loaded up to t's vintage, and
// says how many were loaded after it.
func (r *request) lineageBatches(p *Page, t transformKey) error {
	batches, err := r.table("batches", fmt.Sprintf("Files loaded up to vintage %d", t.Vintage), []Column{
		{Name: "batch_id", Label: "Batch"}, {Name: "dataset", Label: "Dataset"}, {Name: "file", Label: "File"},
		{Name: "loaded_at", Label: "Loaded (UTC)"}, {Name: "status", Label: "Status"},
		{Name: "rows_read", Label: "Rows read", Unit: "count", Count: true}, {Name: "loaded", Label: "New", Unit: "count", Count: true},
		{Name: "replaced", Label: "Replaced", Unit: "count", Count: true}, {Name: "quarantined", Label: "Quarantined", Unit: "count", Count: true},
		{Name: "bytes", Label: "Bytes", Unit: "count"}, {Name: "sha256", Label: "SHA-256 (first 12)", Comment: "the file's SHA-256; the files table holds it whole"},
	}, `SELECT b.batch_id, b.dataset, b.file, coalesce(f.loaded_at, b.finished_at), b.status, b.rows_read, b.loaded, b.replaced,
	b.quarantined, f.bytes, left(b.sha256, 12)
FROM batches b LEFT JOIN files f ON f.batch_id = b.batch_id
WHERE b.batch_id <= ? ORDER BY b.batch_id`, t.Vintage)
	if err != nil {
		return fmt.Errorf("read batches: %w", err)
	}
	p.Tables = append(p.Tables, batches)
	var later int64
	if err := r.queryRow(`SELECT count(*) FROM batches WHERE batch_id > ?`, t.Vintage).Scan(&later); err != nil {
		return fmt.Errorf("read batches: %w", err)
	}
	if later > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d file(s) were loaded after vintage %d; the snapshot's input tables hold their rows, so a population rebuilt from them may differ from the one the transform counted.", later, t.Vintage))
	}
	return nil
}

// population adds the population rows of m at keys, rebuilt on the
// snapshot with the metric's own unit SQL and population query, and the
// numbers recomputed from them; or says plainly why it cannot.
func (s *Server) population(r *request, p *Page, m transform.Metric, keys map[string]string, t transformKey, settings string, pub *metricRow) error {
	cli := "imet explain " + explainArgs(m.ID, keys, t)
	unit, why := populationUnit(m, cli)
	if why != "" {
		p.Notes = append(p.Notes, why)
		return nil
	}
	var lead struct {
		LeadRank string `json:"lead_rank"`
	}
	if settings != "" {
		if err := json.Unmarshal([]byte(settings), &lead); err != nil {
			return fmt.Errorf("read the run's settings %s: %w", settings, err)
		}
	}
	popq, popArgs := transform.PopulationQuery(m, "("+schemas.ExpandFiscalMacros(unit)+") AS unit", keys)
	args := append([]any{t.AsOf.Format(time.DateOnly), t.Vintage, schemas.RankOrder(lead.LeadRank)}, popArgs...)
	// The population is built once, into a temporary table of one
	// connection, and the rows, the recomputed numbers and the sources
	// all read it.
	conn, err := r.db.Conn(r.ctx())
	if err != nil {
		return fmt.Errorf("lineage of %s: %w", m.ID, err)
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(r.ctx()), `DROP TABLE IF EXISTS temp.lineage_population`)
	r.conn = conn
	defer func() { r.conn = nil }()
	if r.s.opt.Trace != nil {
		r.s.opt.Trace("CREATE TEMP TABLE lineage_population AS "+snapshotViews+"SELECT * FROM ("+popq+") AS pop", args)
	}
	if _, err = conn.ExecContext(r.ctx(), "CREATE TEMP TABLE lineage_population AS "+snapshotViews+"SELECT * FROM ("+popq+") AS pop", args...); err != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("The population of %s cannot be rebuilt on the snapshot (%v): %s shows it from the warehouse.", m.ID, err, cli))
		return nil
	}
	popq = "SELECT * FROM temp.lineage_population"
	viewArgs := args[:3] // what snapshotViews binds: D, vintage, the lead rank
	pop, err := r.table("population", "The population", nil, "SELECT * FROM temp.lineage_population ORDER BY ALL")
	if err != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("The population of %s cannot be rebuilt on the snapshot (%v): %s shows it from the warehouse.", m.ID, err, cli))
		return nil
	}
	dropRestricted(pop)
	pop.Sortable, pop.PageSize = true, 100
	pop.Caption = fmt.Sprintf("The population: %s rows of unit %s", reports.Thousands(int64(len(pop.Rows))), m.Unit)

	recomputed, err := r.recomputedTable(m, pub, popq, cli)
	if err != nil {
		return err
	}
	p.Tables = slices.Insert(p.Tables, 1, recomputed)
	src, err := r.populationSources(pop, popq, viewArgs)
	if err != nil {
		return err
	}
	if src != nil {
		p.Tables = append(p.Tables, src)
	}
	p.Tables = append(p.Tables, pop)
	p.Notes = append(p.Notes,
		fmt.Sprintf("The population is rebuilt on the snapshot with the metric's own query (unit %s) over the headline transform's model tables. Restricted values (%s) are not in the snapshot and not shown; %s gives the same rows from the warehouse.", m.Unit, strings.Join(transform.RestrictedColumns, ", "), cli))
	return nil
}

// populationUnit is the unit SQL the population of m is rebuilt from; or,
// when the snapshot cannot rebuild it, "" and the note that says why (cli
// is the imet explain command that shows it).
func populationUnit(m transform.Metric, cli string) (unit, why string) {
	if m.From != "" {
		return "", fmt.Sprintf("%s is computed row by row from %s, with the same n and numerator: its population is that of %s.", m.ID, m.From, m.From)
	}
	for _, c := range transform.RestrictedColumns {
		if strings.Contains(m.Where, c) {
			return "", fmt.Sprintf("The population of %s is chosen by %s, a restricted value the snapshot does not hold: %s shows it.", m.ID, c, cli)
		}
	}
	unit, err := transform.UnitSQL(m.Unit)
	if err != nil {
		return "", fmt.Sprintf("The population of %s (unit %s) is built in Go from the weighted comparison, not by one query the snapshot can run: %s shows it.", m.ID, m.Unit, cli)
	}
	return unit, ""
}

// dropRestricted removes the restricted columns from pop: they are never
// shown.
func dropRestricted(pop *Table) {
	for i := len(pop.Columns) - 1; i >= 0; i-- {
		if slices.Contains(transform.RestrictedColumns, pop.Columns[i].Name) {
			pop.Columns = slices.Delete(pop.Columns, i, i+1)
			for j, row := range pop.Rows {
				pop.Rows[j] = slices.Delete(row, i, i+1)
			}
		}
	}
}

// recomputedTable is the published n, events, numerator and denominator
// of m beside those recomputed, in one pass, from the population popq
// with the metric's own aggregates, except those that use what the
// snapshot lacks.
func (r *request) recomputedTable(m transform.Metric, pub *metricRow, popq, cli string) (*Table, error) {
	recomputed := &Table{Name: "recomputed", Caption: "The published numbers beside those recomputed from the population", Columns: []Column{
		{Name: "quantity", Label: "Quantity"}, {Name: "aggregate", Label: "Computed as"},
		{Name: "published", Label: "Published", Unit: "number"}, {Name: "recomputed", Label: "From the rows below", Unit: "number"},
		{Name: "agrees", Label: "Agrees"},
	}}
	var published = map[string]sql.NullFloat64{}
	if pub != nil {
		published["n"] = sql.NullFloat64{Float64: float64(pub.N.Int64), Valid: pub.N.Valid}
		published["events"] = sql.NullFloat64{Float64: float64(pub.Events.Int64), Valid: pub.Events.Valid}
		published["numerator"], published["denominator"] = pub.Numerator, pub.Denominator
	}
	type quantity struct {
		name, agg string
		v         sql.NullFloat64
	}
	var qs []*quantity
	var sel []string
	for _, a := range []quantity{{name: "n", agg: m.N}, {name: "events", agg: m.Events}, {name: "numerator", agg: m.Num}, {name: "denominator", agg: m.Den}} {
		if a.agg == "" {
			continue
		}
		if slices.ContainsFunc(transform.RestrictedColumns, func(c string) bool { return strings.Contains(a.agg, c) }) {
			recomputed.Rows = append(recomputed.Rows, []any{a.name, a.agg, nullable(published[a.name]), nil, "not recomputed: it counts restricted data the snapshot does not hold (" + cli + ")"})
			continue
		}
		qs = append(qs, &quantity{name: a.name, agg: a.agg})
		sel = append(sel, "("+a.agg+")::DOUBLE")
	}
	if len(qs) > 0 {
		// One pass over the population for every aggregate.
		dest := make([]any, len(qs))
		for i, q := range qs {
			dest[i] = &q.v
		}
		if err := r.queryRow("SELECT " + strings.Join(sel, ", ") + " FROM (" + popq + ") AS pop").Scan(dest...); err != nil {
			return nil, fmt.Errorf("recompute the numbers of %s: %w", m.ID, err)
		}
	}
	for _, q := range qs {
		agrees := ""
		if pv := published[q.name]; pv.Valid && q.v.Valid {
			agrees = "no"
			if diff := pv.Float64 - q.v.Float64; diff < 1e-6*max(1, abs(pv.Float64)) && -diff < 1e-6*max(1, abs(pv.Float64)) {
				agrees = "yes"
			}
		}
		recomputed.Rows = append(recomputed.Rows, []any{q.name, q.agg, nullable(published[q.name]), nullable(q.v), agrees})
	}
	return recomputed, nil
}

// populationSources is where the population's records came from: the
// files of its students, enrollments and career events (nil when pop has
// no student_id). viewArgs are what snapshotViews binds.
func (r *request) populationSources(pop *Table, popq string, viewArgs []any) (*Table, error) {
	names := make([]string, len(pop.Columns))
	for i, c := range pop.Columns {
		names[i] = c.Name
	}
	if !slices.Contains(names, "student_id") {
		return nil, nil
	}
	src, err := r.table("sources", "The files the population's students, enrollments and career events came from", []Column{
		{Name: "dataset", Label: "Dataset"}, {Name: "batch_id", Label: "Batch"}, {Name: "file", Label: "File"},
		{Name: "records", Label: "Records", Unit: "count", Count: true},
	}, snapshotViews+`, pop AS (`+popq+`), who AS (SELECT DISTINCT student_id FROM pop)
SELECT 'students', _batch_id, _file, count(*) FROM v_students WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
UNION ALL SELECT 'enrollments', _batch_id, _file, count(*) FROM v_enrollments WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
UNION ALL SELECT 'career_events', _batch_id, _file, count(*) FROM v_career_events WHERE student_id IN (SELECT student_id FROM who) GROUP BY ALL
ORDER BY 1, 2, 3`, viewArgs...)
	if err != nil {
		return nil, fmt.Errorf("trace the population's records: %w", err)
	}
	return src, nil
}

// lineageIndex is /lineage without a metric: the headline rows of every
// metric over everyone (each of its base keys, every other key ALL), each
// linking to its lineage.
func (s *Server) lineageIndex(r *request, p *Page) (*Page, error) {
	head, err := r.headline()
	if err != nil {
		return nil, err
	}
	p.Lead = "Choose a number to trace: every number on these pages links here. Below, the headline transform's rows of each metric over everyone (" + head.String() + ")."
	t := &Table{Name: "rows", Sortable: true, PageSize: 100, Columns: []Column{
		{Name: "metric_id", Label: "Metric"}, {Name: "keys", Label: "Row"}, {Name: "value", Label: "Value"},
		{Name: "n", Label: "n", Unit: "count", Count: true}, {Name: "note", Label: "Note"},
	}}
	links := map[string]string{} // metric_id|keys → address
	// One read of metric_values: every row whose keys other than some
	// metric's base are ALL; then each metric keeps those of its own base.
	var anyBase []string
	for _, m := range transform.Registry {
		for _, k := range m.Base {
			if !slices.Contains(anyBase, k) {
				anyBase = append(anyBase, k)
			}
		}
	}
	all, err := r.metricRows(head, selection{Any: anyBase})
	if err != nil {
		return nil, err
	}
	byMetric := map[string][]metricRow{}
	for _, x := range all {
		byMetric[x.Metric] = append(byMetric[x.Metric], x)
	}
	for _, m := range transform.Registry {
		doc, _ := s.metricDoc(m.ID)
	rows:
		for _, x := range byMetric[m.ID] {
			for _, k := range anyBase {
				if !slices.Contains(m.Base, k) && x.Keys[k] != "ALL" {
					continue rows
				}
			}
			var ks []string
			for _, k := range m.Base {
				ks = append(ks, k+"="+x.Keys[k])
			}
			v := reports.Format(doc.Unit, x.Value)
			if iv := reports.FormatInterval(doc.Unit, x.Low, x.High); iv != "" {
				v += " (" + iv + ")"
			}
			var n any
			if x.N.Valid {
				n = x.N.Int64
			}
			links[m.ID+"|"+strings.Join(ks, ", ")] = x.lineage(head)
			t.Rows = append(t.Rows, []any{m.ID, strings.Join(ks, ", "), v, n, x.Note})
		}
	}
	t.Links = func(row []any) string { return links[text(row[0])+"|"+text(row[1])] }
	p.Tables = []*Table{t}
	return p, nil
}

// publishedTable is the published row as lineage shows it.
func publishedTable(m *metricRow, keys map[string]string, doc reports.MetricDoc) *Table {
	t := &Table{Name: "published", Caption: "The published row", Columns: []Column{{Name: "field", Label: "Field"}, {Name: "value", Label: "Value"}}}
	for _, k := range transform.Keys {
		t.Rows = append(t.Rows, []any{k, cmpOr(keys[k], "ALL")})
	}
	if m == nil {
		t.Rows = append(t.Rows, []any{"value", "no published row"})
		return t
	}
	v := reports.Format(doc.Unit, m.Value)
	if iv := reports.FormatInterval(doc.Unit, m.Low, m.High); iv != "" {
		v += " (95% interval " + iv + ")"
	}
	t.Rows = append(t.Rows, []any{"value", v})
	if m.N.Valid {
		t.Rows = append(t.Rows, []any{"n", reports.Thousands(m.N.Int64)})
	}
	if m.Events.Valid {
		t.Rows = append(t.Rows, []any{"events", reports.Thousands(m.Events.Int64)})
	}
	if m.Numerator.Valid {
		t.Rows = append(t.Rows, []any{"numerator", reports.Format(cmpOr(doc.NumUnit, "number"), m.Numerator)})
	}
	if m.Denominator.Valid {
		t.Rows = append(t.Rows, []any{"denominator", reports.Format(cmpOr(doc.DenUnit, "number"), m.Denominator)})
	}
	if m.PValue.Valid {
		t.Rows = append(t.Rows, []any{"p value", strconv.FormatFloat(m.PValue.Float64, 'g', 3, 64)})
	}
	if m.Note != "" {
		t.Rows = append(t.Rows, []any{"note", m.Note})
	}
	return t
}

// explainArgs is the imet explain command line of the same row.
func explainArgs(id string, keys map[string]string, t transformKey) string {
	out := fmt.Sprintf("%s --as-of %s --vintage %d", id, t.AsOf.Format(time.DateOnly), t.Vintage)
	for _, k := range transform.Keys {
		if v := keys[k]; v != "" {
			flag := strings.ReplaceAll(k, "_", "-")
			if k == "country_code" {
				flag = "country" // imet explain's flag
			}
			out += fmt.Sprintf(" --%s %s", flag, v)
		}
	}
	return out
}

func crossed(m transform.Metric, k string) bool {
	for _, c := range m.Crossed {
		if slices.Contains(c, k) {
			return true
		}
	}
	return false
}

func cond(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func nullable(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
