package web

import (
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/transform"
)

// keyLabels name the disaggregations (transform.Keys) for readers.
var keyLabels = map[string]string{
	"period": "Period", "graduation_cohort": "Graduation cohort", "cohort": "Group", "program": "Program",
	"region": "Region", "country_code": "Country", "course_category": "Course category", "sex": "Sex",
	"ecl_band": "English test (ECL) band", "post_level": "Post level",
}

func keyLabel(k string) string {
	if l, ok := keyLabels[k]; ok {
		return l
	}
	return k
}

// everyGroup is the cohort choice that shows each group's rows together.
const everyGroup = "*"

// facets are what one metric has in one transform: its periods and
// groups, the keys it is disaggregated by, and the keys every one of its
// rows sets (COMPLETION_BY_ECL is always by ECL band).
type facets struct {
	periods, cohorts []string
	by, always       map[string]bool
}

// explore is any metric by any disaggregation of one transform: a
// sortable table of the rows and a chart of the same rows.
func (s *Server) explore(r *request) (*Page, error) {
	docs := congress.DisplayOrder(s.opt.Metrics)
	if len(docs) == 0 {
		return nil, fmt.Errorf("explore: the server was given no metric registry")
	}
	head, err := r.headline()
	if err != nil {
		return nil, err
	}
	all, err := r.transforms()
	if err != nil {
		return nil, err
	}
	tk, err := pickTransform(r.param("transform", ""), all, head)
	if err != nil {
		return nil, err
	}
	d, err := pickMetric(r.param("metric", docs[0].ID), docs)
	if err != nil {
		return nil, err
	}
	by := r.param("by", "none")
	if by != "none" && !slices.Contains(transform.Keys, by) {
		return nil, badf("by=%s: no such disaggregation; choose none or one of %s", by, strings.Join(transform.Keys, ", "))
	}
	f, err := s.facets(r, tk, d.ID)
	if err != nil {
		return nil, err
	}
	p := &Page{Title: "Explore: " + d.Title}
	if len(f.periods) == 0 {
		p.Lead = fmt.Sprintf("%s has no rows in the transform of %s.", d.ID, tk)
		p.Filters = exploreFilters(docs, d.ID, by, "", "", f, all, tk, head)
		return p, nil
	}
	by, period, cohort := exploreChoice(r, p, d, f, tk, by)
	p.Filters = exploreFilters(docs, d.ID, by, period, cohort, f, all, tk, head)

	sel, always := exploreSelection(d, f, by, period, cohort)
	ms, err := r.metricRows(tk, sel)
	if err != nil {
		return nil, err
	}
	var bs besides
	if d.ReadBeside != "" {
		if bs, err = s.readBeside(r, tk, d.ReadBeside, sel, period); err != nil {
			return nil, err
		}
	}
	t, err := s.exploreTable(r, tk, d, by, cohort == everyGroup && by != "cohort", always, ms, bs)
	if err != nil {
		return nil, err
	}
	what := "whole population"
	if by != "none" {
		what = "by " + strings.ToLower(keyLabel(by))
	}
	chartTitle := fmt.Sprintf("%s (%s), %s: value and 95%% interval, %s", d.Title, d.ID, what, periodWords(by, period))
	p.Charts = []Chart{{Title: chartTitle, Table: t.Name, Draw: func() template.HTML {
		// the rows as the table shows them: filtered, sorted and, with --public, withheld
		return intervalChart(chartTitle, d.Unit, exploreItems(t.Table, d.Unit))
	}}}
	p.Tables = []*Table{t.Table}
	p.Lead = d.Definition
	p.Notes = append(p.Notes, exploreNotes(s, r, d, tk, head, t)...)
	return p, nil
}

// pickMetric is the registry's entry of metric id, or the error that
// lists the metrics to choose from.
func pickMetric(id string, docs []reports.MetricDoc) (reports.MetricDoc, error) {
	di := slices.IndexFunc(docs, func(d reports.MetricDoc) bool { return d.ID == id })
	if di < 0 {
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		return reports.MetricDoc{}, badf("metric=%s: no such metric; choose one of %s", id, strings.Join(ids, ", "))
	}
	return docs[di], nil
}

// exploreChoice is the disaggregation, period and group Explore shows of
// metric d: those asked for (by, ?period=, ?cohort=) when the metric has
// them, else the whole population and the metric's defaults, with a note
// on p saying so.
func exploreChoice(r *request, p *Page, d reports.MetricDoc, f facets, tk transformKey, by string) (string, string, string) {
	if by != "none" && !f.by[by] {
		p.Notes = append(p.Notes, fmt.Sprintf("%s is not published by %s; showing the whole population. It is published by: %s.", d.ID, keyLabel(by), byList(f)))
		by = "none"
	}
	period := r.param("period", "")
	if period == "" || !slices.Contains(f.periods, period) {
		if period != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("%s has no period %s in this transform; showing %s.", d.ID, period, exploreDefaultPeriod(f, tk)))
		}
		period = exploreDefaultPeriod(f, tk)
	}
	cohort := r.param("cohort", "")
	if cohort == "" || (cohort != everyGroup && !slices.Contains(f.cohorts, cohort)) {
		if cohort != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("%s has no group %s; showing %s.", d.ID, cohort, exploreDefaultCohort(f)))
		}
		cohort = exploreDefaultCohort(f)
	}
	return by, period, cohort
}

// exploreSelection is the selection of metric d's rows Explore shows, and
// the keys every row of the metric sets (shown as columns).
func exploreSelection(d reports.MetricDoc, f facets, by, period, cohort string) (selection, []string) {
	sel := selection{Metric: d.ID, Keys: map[string]string{}}
	if by != "none" {
		sel.Keys[by] = "*"
	}
	if by != "period" {
		sel.Keys["period"] = period
	}
	if by != "cohort" {
		if cohort == everyGroup {
			sel.Any = append(sel.Any, "cohort")
		} else {
			sel.Keys["cohort"] = cohort
		}
	}
	var always []string // keys every row of the metric sets: shown as columns
	for _, k := range transform.Keys {
		if f.always[k] && k != by && k != "period" && k != "cohort" {
			always = append(always, k)
			sel.Any = append(sel.Any, k)
		}
	}
	return sel, always
}

// pickTransform reads ?transform=YYYY-MM-DD/VINTAGE (default the headline).
func pickTransform(v string, all []transformKey, head transformKey) (transformKey, error) {
	if v == "" {
		return head, nil
	}
	for _, t := range all {
		if transformValue(t) == v {
			return t, nil
		}
	}
	var have []string
	for _, t := range all {
		have = append(have, transformValue(t))
	}
	return transformKey{}, badf("transform=%s: the snapshot has no such transform; choose one of %s (D/vintage)", v, strings.Join(have, ", "))
}

func transformValue(t transformKey) string {
	return t.AsOf.Format(time.DateOnly) + "/" + strconv.FormatInt(t.Vintage, 10)
}

// facets reads what metric id has in transform t: from metric_values, or
// with --public from the rows a public view may serve.
func (s *Server) facets(r *request, t transformKey, id string) (facets, error) {
	f := facets{by: map[string]bool{}, always: map[string]bool{}}
	if r.public() {
		rows, err := s.disclosed(r, t)
		if err != nil {
			return f, err
		}
		first := true
		for _, m := range rows {
			if m.Metric != id {
				continue
			}
			if !slices.Contains(f.periods, m.Keys["period"]) {
				f.periods = append(f.periods, m.Keys["period"])
			}
			if !slices.Contains(f.cohorts, m.Keys["cohort"]) {
				f.cohorts = append(f.cohorts, m.Keys["cohort"])
			}
			for _, k := range transform.Keys {
				set := m.Keys[k] != congress.All
				f.by[k] = f.by[k] || set
				f.always[k] = (first || f.always[k]) && set
			}
			first = false
		}
		sortFacets(&f)
		return f, nil
	}
	var cols []string
	for _, k := range transform.Keys {
		cols = append(cols, "coalesce(bool_or("+k+" <> 'ALL'), false)", "coalesce(bool_and("+k+" <> 'ALL'), false)")
	}
	q := `SELECT coalesce(string_agg(DISTINCT period, '|'), ''), coalesce(string_agg(DISTINCT cohort, '|'), ''), ` + strings.Join(cols, ", ") + `
FROM metric_values WHERE metric_id = ? AND as_of = ?::DATE AND vintage = ?`
	var periods, cohorts string
	flags := make([]bool, 2*len(transform.Keys))
	dest := []any{&periods, &cohorts}
	for i := range flags {
		dest = append(dest, &flags[i])
	}
	if err := r.queryRow(q, id, t.AsOf.Format(time.DateOnly), t.Vintage).Scan(dest...); err != nil {
		return f, fmt.Errorf("read the periods and groups of %s: %w", id, err)
	}
	if periods != "" {
		f.periods = strings.Split(periods, "|")
	}
	if cohorts != "" {
		f.cohorts = strings.Split(cohorts, "|")
	}
	for i, k := range transform.Keys {
		f.by[k], f.always[k] = flags[2*i], flags[2*i+1]
	}
	sortFacets(&f)
	return f, nil
}

// sortFacets puts ALL first, then the latest period first; groups all,
// participants, comparison.
func sortFacets(f *facets) {
	slices.SortFunc(f.periods, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == congress.All:
			return -1
		case b == congress.All:
			return 1
		}
		return strings.Compare(b, a)
	})
	slices.SortFunc(f.cohorts, func(a, b string) int {
		if c := cohortRank(a) - cohortRank(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// exploreDefaultPeriod is ALL when the metric has it, else the fiscal year of D,
// else its latest period.
func exploreDefaultPeriod(f facets, t transformKey) string {
	fy := wholePeriod(nil, t)
	switch {
	case slices.Contains(f.periods, congress.All):
		return congress.All
	case slices.Contains(f.periods, fy):
		return fy
	}
	return f.periods[0]
}

// exploreDefaultCohort is ALL, else every group when there are several.
func exploreDefaultCohort(f facets) string {
	switch {
	case slices.Contains(f.cohorts, congress.All):
		return congress.All
	case len(f.cohorts) > 1:
		return everyGroup
	case len(f.cohorts) == 1:
		return f.cohorts[0]
	}
	return congress.All
}

// offered says whether the metric can be shown by key k: it has rows
// by it, and not only rows by it (those keys are always columns), except
// period, which a metric counted per period always sets.
func offered(f facets, k string) bool { return f.by[k] && (!f.always[k] || k == "period") }

func byList(f facets) string {
	var out []string
	for _, k := range transform.Keys {
		if offered(f, k) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return "nothing (whole population only)"
	}
	return strings.Join(out, ", ")
}

func periodWords(by, period string) string {
	switch {
	case by == "period":
		return "every period"
	case period == congress.All:
		return "as of D"
	}
	return period
}

// exploreFilters are the page's form: every option from the data.
func exploreFilters(docs []reports.MetricDoc, metric, by, period, cohort string, f facets, all []transformKey, tk, head transformKey) []*Filter {
	mf := &Filter{Name: "metric", Label: "Metric", Value: metric}
	for _, d := range docs {
		mf.Options = append(mf.Options, Option{Value: d.ID, Label: d.Title + " (" + d.ID + ")"})
	}
	bf := &Filter{Name: "by", Label: "By", Value: by, Options: []Option{{Value: "none", Label: "none (whole population)"}}}
	for _, k := range transform.Keys {
		if offered(f, k) {
			bf.Options = append(bf.Options, Option{Value: k, Label: keyLabel(k)})
		}
	}
	pf := &Filter{Name: "period", Label: "Period", Value: period}
	for _, x := range f.periods {
		label := x
		if x == congress.All {
			label = "ALL (as of D)"
		}
		pf.Options = append(pf.Options, Option{Value: x, Label: label})
	}
	cf := &Filter{Name: "cohort", Label: "Group", Value: cohort}
	for _, c := range f.cohorts {
		cf.Options = append(cf.Options, Option{Value: c, Label: c})
	}
	if len(f.cohorts) > 1 {
		cf.Options = append(cf.Options, Option{Value: everyGroup, Label: "each group"})
	}
	tf := &Filter{Name: "transform", Label: "Transform", Value: transformValue(tk)}
	for _, t := range all {
		label := t.String()
		if t == head {
			label += " (headline)"
		}
		tf.Options = append(tf.Options, Option{Value: transformValue(t), Label: label})
	}
	return []*Filter{mf, bf, pf, cf, tf}
}

// exploreTable is the rows of the metric as a table: the key columns, the
// value with its interval, n and events, p-values where the metric has
// them, and the note.
func (s *Server) exploreTable(r *request, tk transformKey, d reports.MetricDoc, by string, eachGroup bool, always []string, ms []metricRow, bs besides) (*exploreRows, error) {
	t := &exploreRows{Table: &Table{Name: "rows", Sortable: true}}
	var keys []string
	if by != "none" {
		keys = append(keys, by)
	}
	if eachGroup {
		keys = append(keys, "cohort")
	}
	keys = append(keys, always...)
	for _, k := range keys {
		t.Columns = append(t.Columns, Column{Name: k, Label: keyLabel(k)})
	}
	if len(keys) == 0 {
		t.Columns = append(t.Columns, Column{Name: "population", Label: "Population"})
	}
	var names map[string]string
	if by == "country_code" {
		var err error
		if names, err = countryNames(r); err != nil {
			return nil, err
		}
		t.Columns = append(t.Columns, Column{Name: "country_name", Label: "Country name"})
	}
	hasP := slices.ContainsFunc(ms, func(m metricRow) bool { return m.PValue.Valid || m.PAdjusted.Valid })
	t.Columns = append(t.Columns, exploreValueColumns(d, hasP, bs)...)
	// Each value opens its lineage (not with --public, which has none).
	// Rows are sorted and filtered later, so a row's address is kept by
	// the row itself (its first cell), not by its place.
	lineage := map[*any]string{}
	if !r.public() {
		v := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == "value" })
		t.Columns[v].Link = func(row []any) string { return lineage[&row[0]] }
	}
	for _, m := range ms {
		row, zw := exploreRow(d, m, keys, names, hasP, bs)
		if zw {
			t.zeroWidth = true
		}
		if !r.public() {
			lineage[&row[0]] = m.lineage(tk)
		}
		t.Rows = append(t.Rows, row)
	}
	if t.Rows == nil {
		t.Rows = [][]any{}
	}
	return t, nil
}

// exploreValueColumns are the explore table's columns after the keys: the
// value of metric d with its interval, n and events, the p-values when
// hasP, the value it is read beside when bs has rows, and the note.
func exploreValueColumns(d reports.MetricDoc, hasP bool, bs besides) []Column {
	cols := []Column{
		{Name: "value", Label: "Value", Unit: d.Unit, Comment: unitLabel(d)},
		{Name: "ci_low", Label: "95% low", Unit: d.Unit},
		{Name: "ci_high", Label: "95% high", Unit: d.Unit},
		{Name: "n", Label: "n", Unit: "count", Count: true},
		{Name: "events", Label: "Events", Unit: "count", Count: true},
	}
	if hasP {
		cols = append(cols,
			Column{Name: "p_value", Label: "p", Unit: "row"},
			Column{Name: "p_adjusted", Label: "p adjusted", Unit: "row", Comment: "Benjamini-Hochberg over the rows of the same level: read this one when many groups are tested"})
	}
	if bs.rows != nil {
		cols = append(cols, Column{Name: "read_beside_value", Label: "Read beside: " + bs.doc.ID, Unit: bs.doc.Unit,
			Comment: "for the same group, " + bs.doc.Title + ", which the registry says this metric must be read beside"})
	}
	return append(cols, Column{Name: "note", Label: "Note"})
}

// exploreRow is the explore table's row of m, in the columns of
// exploreTable, and whether its interval of zero width gave way to a
// one-sided bound (the interval's cells are then empty).
func exploreRow(d reports.MetricDoc, m metricRow, keys []string, names map[string]string, hasP bool, bs besides) ([]any, bool) {
	var row []any
	for _, k := range keys {
		row = append(row, m.Keys[k])
	}
	if len(keys) == 0 {
		row = append(row, "whole population")
	}
	if names != nil {
		row = append(row, names[m.Keys["country_code"]])
	}
	_, _, note, zw := limits(d.Unit, m)
	num := []any{floatCell(m.Value), nil, nil, countCell(m.N), countCell(m.Events)}
	if !zw {
		num[1], num[2] = floatCell(m.Low), floatCell(m.High)
	}
	if hasP {
		num = append(num, measure("p", m.PValue), measure("p", m.PAdjusted))
	}
	if m.Suppressed {
		for i := range num {
			num[i] = withheld
		}
	}
	if bs.rows != nil {
		num = append(num, bs.cell(m))
	}
	row = append(row, num...)
	row = append(row, note)
	return row, zw
}

// besides are the rows of the metric a metric is read beside, by the keys
// other than period.
type besides struct {
	doc  reports.MetricDoc
	rows map[string]metricRow
}

// besideKey is a row's keys other than period.
func besideKey(m metricRow) string {
	var b strings.Builder
	for _, k := range transform.Keys {
		if k != "period" {
			b.WriteString(m.Keys[k] + "\x00")
		}
	}
	return b.String()
}

// readBeside reads the rows of metric id for the same selection as the
// page's, in the page's period or else as of D (ALL).
func (s *Server) readBeside(r *request, t transformKey, id string, sel selection, period string) (besides, error) {
	bs := besides{rows: map[string]metricRow{}}
	i := slices.IndexFunc(s.opt.Metrics, func(d reports.MetricDoc) bool { return d.ID == id })
	if i < 0 {
		return besides{}, nil
	}
	bs.doc = s.opt.Metrics[i]
	keys := map[string]string{}
	for k, v := range sel.Keys {
		if k != "period" {
			keys[k] = v
		}
	}
	ms, err := r.metricRows(t, selection{Metric: id, Keys: keys, Any: append(slices.Clone(sel.Any), "period")})
	if err != nil {
		return besides{}, err
	}
	for _, m := range ms {
		k := besideKey(m)
		if m.Keys["period"] == period || (m.Keys["period"] == congress.All && bs.rows[k].Metric == "") {
			bs.rows[k] = m
		}
	}
	return bs, nil
}

// cell is the value beside row m.
func (bs besides) cell(m metricRow) any {
	b, ok := bs.rows[besideKey(m)]
	switch {
	case !ok:
		return nil
	case b.Suppressed:
		return withheld
	}
	return floatCell(b.Value)
}

// exploreRows is the table and whether a row's interval of zero width
// gave way to a one-sided bound (its note says so).
type exploreRows struct {
	*Table
	zeroWidth bool
}

// floatCell is a nullable value as a plain number cell (the column
// carries the unit).
func floatCell(v sql.NullFloat64) any {
	if !v.Valid || math.IsNaN(v.Float64) || math.IsInf(v.Float64, 0) {
		return nil
	}
	return v.Float64
}

// countryNames maps country codes to names.
func countryNames(r *request) (map[string]string, error) {
	rows, err := r.query(`SELECT country_code, any_value(country_name) FROM countries GROUP BY country_code`)
	if err != nil {
		return nil, fmt.Errorf("read country names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name *string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("read country names: %w", err)
		}
		if code != nil && name != nil {
			out[*code] = *name
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read country names: %w", err)
	}
	return out, nil
}

// exploreItems are the chart's rows, read from the table as shown.
func exploreItems(t *Table, unit string) []intervalItem {
	col := func(name string) int {
		return slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
	}
	iv, ilo, ihi, in := col("value"), col("ci_low"), col("ci_high"), col("n")
	icohort, iname := col("cohort"), col("country_name")
	first := 0
	var out []intervalItem
	for _, row := range t.Rows {
		label := text(row[first])
		if iname >= 0 && text(row[iname]) != "" {
			label = shorten(text(row[iname]), 16) + " (" + label + ")"
		}
		if icohort >= 0 && icohort != first {
			label += ", " + cohortWords(text(row[icohort]))
		}
		it := intervalItem{Label: label, Value: cellFloat(row[iv]), Low: cellFloat(row[ilo]), High: cellFloat(row[ihi]), Bound: math.NaN()}
		if icohort >= 0 {
			it.Colour = cohortColour(text(row[icohort]))
		}
		it.Withheld = row[iv] == withheld
		switch n := row[in].(type) {
		case int64:
			it.N = "n " + reports.Thousands(n)
			if math.IsNaN(it.Low) && math.IsNaN(it.High) && !math.IsNaN(it.Value) && reports.ZeroWidth(unit, it.Value, 0, 0, false) {
				if b, _, ok := reports.OneSidedBound(it.Value, n); ok {
					it.Bound = b
				}
			}
		case string:
			it.N = "n withheld"
		default:
			it.N = "n unknown"
		}
		out = append(out, it)
	}
	return out
}

// cellFloat is a cell's number, NaN when it has none.
func cellFloat(v any) float64 {
	if x, ok := number(v); ok {
		return x
	}
	return math.NaN()
}

// exploreNotes say what the rows rest on and how to read them.
func exploreNotes(s *Server, r *request, d reports.MetricDoc, tk, head transformKey, t *exploreRows) []string {
	notes := []string{
		fmt.Sprintf("Transform: %s%s. Population: %s. Event: %s. Estimator: %s. Unit: %s.", tk, map[bool]string{true: " (the headline)"}[tk == head],
			strings.TrimSuffix(d.Population, "."), strings.TrimSuffix(d.Event, "."), strings.TrimSuffix(d.Estimator, "."), unitLabel(d)),
	}
	if d.ReadBeside != "" {
		notes = append(notes, fmt.Sprintf("Read beside %s for the same group: a rate rests only on the people whose careers are still reported (open it with metric=%s).", d.ReadBeside, d.ReadBeside))
	}
	if len(d.Caveats) > 0 {
		notes = append(notes, "Caveats: "+joinCaveats(d.Caveats))
	}
	if (d.Associational || d.Contrast) && len(d.Caveats) == 0 {
		notes = append(notes, congress.Associational)
	}
	if t.zeroWidth {
		notes = append(notes, reports.BoundMethod)
	}
	if r.public() {
		notes = append(notes, congress.DisclosureRule(s.opt.MinCell)+" Rows withheld show a dash and say so in their note.")
	}
	return notes
}
