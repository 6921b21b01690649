package congress

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// DefaultMinCell is the minimum cell size k when Options.MinCell is 0.
const DefaultMinCell = 5

// MetricDoc is one metric of the registry as the methodology prints it:
// the same words the quarterly report prints.
type MetricDoc = reports.MetricDoc

// Options says which rows of metric_values the summary shows and how.
type Options struct {
	FY      int         // the fiscal year reported (flow metrics: period FY<FY>)
	AsOf    time.Time   // D of the metric_values rows to use; zero: 30 September FY
	Vintage int64       // vintage of the rows to use (see LatestVintage)
	MinCell int         // minimum cell size k; 0: DefaultMinCell
	Metrics []MetricDoc // the registry, in display order
	Notes   []string    // extra data notes (data quality, run id, version)
}

// Sheets and files, in workbook order.
const (
	SheetSummary     = "Summary"
	SheetRegion      = "By region"
	SheetCountry     = "By country"
	SheetCategory    = "By course category"
	SheetFMTR        = "FMTR columns"
	SheetMethodology = "Methodology"
	SheetNotes       = "Data notes"
)

// fmtrColumn is one column of the FMTR sheet and the metric it shows.
type fmtrColumn struct {
	id  string
	col Column
}

// The FMTR columns, in order.
var fmtrMetrics = []fmtrColumn{
	{"FMTR_SESSIONS", FMTRSessions},
	{"FMTR_STUDENTS", FMTRStudents},
	{"FMTR_COURSES", FMTRCourses},
	{"FMTR_DOLLARS", FMTRDollars},
}

func isFMTR(id string) bool {
	return slices.ContainsFunc(fmtrMetrics, func(f fmtrColumn) bool { return f.id == id })
}

const (
	// Associational is printed beside every participant-vs-comparison row.
	Associational = "Association, not effect: comparison peers are supplied by partner nations and are not a randomised control group."
	distinctNote  = "Distinct counts (individual students) are computed at each level shown, never added up across groups."
)

func (o Options) normalise() (Options, error) {
	if o.FY < 1900 || o.FY > 9999 {
		return o, fmt.Errorf("fiscal year %d: give the fiscal year to report, e.g. 2026", o.FY)
	}
	if o.AsOf.IsZero() {
		o.AsOf = schemas.FiscalYearEnd(o.FY)
	}
	if o.MinCell == 0 {
		o.MinCell = DefaultMinCell
	}
	if o.MinCell < 1 {
		return o, fmt.Errorf("minimum cell size %d: it must be at least 1", o.MinCell)
	}
	if len(o.Metrics) == 0 {
		return o, errors.New("no metrics to show: pass the metric registry in Options.Metrics")
	}
	return o, nil
}

func (o Options) period() string { return fmt.Sprintf("FY%d", o.FY) }

// LatestVintage is the most recent vintage of the metric_values computed
// for D = asOf.
func LatestVintage(ctx context.Context, db *sql.DB, asOf time.Time) (int64, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT max(vintage) FROM metric_values WHERE as_of = $1::DATE`, asOf.Format(time.DateOnly)).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read metric vintages: %w", err)
	}
	if !v.Valid {
		return 0, fmt.Errorf("no metrics for the period end %s: run 'imet transform' for it first", asOf.Format(time.DateOnly))
	}
	return v.Int64, nil
}

type country struct{ name, region string }

// Build reads the metric_values of one transform, applies disclosure
// control (Suppress) and lays out the tables of the congressional summary,
// in workbook order. The writers only format these cells.
func Build(ctx context.Context, db *sql.DB, opt Options) ([]Table, error) {
	opt, err := opt.normalise()
	if err != nil {
		return nil, err
	}
	countries, err := readCountries(ctx, db)
	if err != nil {
		return nil, err
	}
	rows, err := readRows(ctx, db, opt, countries)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no metric values for D %s, vintage %d, FY%d: run 'imet transform' for that period end first",
			opt.AsOf.Format(time.DateOnly), opt.Vintage, opt.FY)
	}
	if err := checkYear(ctx, db, opt, rows); err != nil {
		return nil, err
	}
	Suppress(rows, opt.MinCell)
	b := &builder{opt: opt, countries: countries, rows: rows, docs: displayOrder(opt.Metrics)}
	b.index()
	tables := []Table{
		b.long(SheetSummary, "summary", nil, func(r *Row) bool { return geo(r) == 0 }, nil),
		b.long(SheetRegion, "by-region",
			[]Column{{"region", "Region", Text}},
			func(r *Row) bool { return r.Region != All },
			func(r *Row) []any { return []any{r.Region} }),
		b.long(SheetCountry, "by-country",
			[]Column{{"region", "Region", Text}, {"country_code", "Country code", Text}, {"country_name", "Country", Text}},
			func(r *Row) bool { return r.Country != All },
			func(r *Row) []any {
				return []any{orNil(r.CountryRegion), r.Country, orNil(countries[r.Country].name)}
			}),
		b.long(SheetCategory, "by-course-category",
			[]Column{{"course_category", "Course category", Text}},
			func(r *Row) bool { return r.Category != All },
			func(r *Row) []any { return []any{r.Category} }),
		b.fmtr(),
		b.methodology(),
		b.dataNotes(),
	}
	for i := range tables {
		neutraliseAll(&tables[i])
		if err := tables[i].check(); err != nil {
			return nil, fmt.Errorf("build congressional summary: %w", err)
		}
	}
	return tables, nil
}

// checkYear refuses a fiscal year without data: no flow metric of
// FY<fy> counted anyone, so the summary would be a shell of as-of-D rows.
func checkYear(ctx context.Context, db *sql.DB, opt Options, rows []Row) error {
	for i := range rows {
		r := &rows[i]
		if r.Period == opt.period() && (r.N.Valid && r.N.Int64 > 0 || r.Denominator.Valid && r.Denominator.Float64 > 0) {
			return nil
		}
	}
	q, err := sqlFiles.ReadFile("sql/fiscal_years.sql")
	if err != nil {
		return err
	}
	rs, err := db.QueryContext(ctx, string(q), opt.AsOf.Format(time.DateOnly), opt.Vintage)
	if err != nil {
		return fmt.Errorf("read fiscal years of metric_values: %w", err)
	}
	defer rs.Close()
	var years []int
	for rs.Next() {
		var y int
		if err := rs.Scan(&y); err != nil {
			return fmt.Errorf("read fiscal years of metric_values: %w", err)
		}
		years = append(years, y)
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("read fiscal years of metric_values: %w", err)
	}
	with := "no fiscal year has any"
	if len(years) > 0 {
		with = "fiscal years with data there: " + reports.YearList(years)
	}
	return fmt.Errorf("FY%d has no data in the metrics of D %s, vintage %d: no metric of the year counted anyone; %s",
		opt.FY, opt.AsOf.Format(time.DateOnly), opt.Vintage, with)
}

// neutraliseAll neutralises every text cell, so that the tables are safe
// whoever writes them (the writers neutralise again; it is idempotent).
func neutraliseAll(t *Table) {
	for _, row := range t.Rows {
		for j, v := range row {
			if s, ok := v.(string); ok {
				row[j] = Neutralise(s)
			}
		}
	}
}

func readCountries(ctx context.Context, db *sql.DB) (map[string]country, error) {
	q, err := sqlFiles.ReadFile("sql/countries.sql")
	if err != nil {
		return nil, err
	}
	rs, err := db.QueryContext(ctx, string(q))
	if err != nil {
		return nil, fmt.Errorf("read countries: %w", err)
	}
	defer rs.Close()
	out := map[string]country{}
	for rs.Next() {
		var code string
		var c country
		if err := rs.Scan(&code, &c.name, &c.region); err != nil {
			return nil, fmt.Errorf("read countries: %w", err)
		}
		out[code] = c
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read countries: %w", err)
	}
	return out, nil
}

// readRows reads the rows some sheet shows: the metrics of opt.Metrics,
// whole population or one of region, country and course category; by
// program only for the FMTR columns.
func readRows(ctx context.Context, db *sql.DB, opt Options, countries map[string]country) ([]Row, error) {
	q, err := sqlFiles.ReadFile("sql/metric_rows.sql")
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, m := range opt.Metrics {
		want[m.ID] = true
	}
	rs, err := db.QueryContext(ctx, string(q), opt.AsOf.Format(time.DateOnly), opt.Vintage, opt.period())
	if err != nil {
		return nil, fmt.Errorf("read metric_values: %w", err)
	}
	defer rs.Close()
	var rows []Row
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.Metric, &r.Period, &r.Cohort, &r.ECLBand, &r.Program, &r.Region, &r.Country, &r.Category,
			&r.N, &r.Events, &r.Numerator, &r.Denominator, &r.Value, &r.CILow, &r.CIHigh, &r.PValue, &r.Note); err != nil {
			return nil, fmt.Errorf("read metric_values: %w", err)
		}
		if !want[r.Metric] || geo(&r) > 1 {
			continue
		}
		if r.Program != All && (!isFMTR(r.Metric) || r.Category != All) {
			continue
		}
		if r.Country != All {
			r.CountryRegion = countries[r.Country].region
			if r.Region != All {
				r.CountryRegion = r.Region
			}
		}
		for _, f := range []*sql.NullFloat64{&r.Numerator, &r.Denominator, &r.Value, &r.CILow, &r.CIHigh, &r.PValue} {
			if f.Valid && !finite(f.Float64) {
				*f = sql.NullFloat64{}
			}
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read metric_values: %w", err)
	}
	return rows, nil
}

// geo counts the row's disaggregations among region, country and course
// category.
func geo(r *Row) int {
	n := 0
	for _, v := range []string{r.Region, r.Country, r.Category} {
		if v != All {
			n++
		}
	}
	return n
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// displayOrder is opt.Metrics, except that a metric the registry shows
// after another (ALUMNI_PROMINENT, the count without a denominator, after
// LEAD_POS: metrics.md, "Reading rules") moves right after it.
func displayOrder(ms []MetricDoc) []MetricDoc {
	out := slices.Clone(ms)
	for _, m := range ms {
		if m.ShownAfter == "" {
			continue
		}
		i := slices.IndexFunc(out, func(x MetricDoc) bool { return x.ID == m.ID })
		out = slices.Delete(out, i, i+1)
		at := slices.IndexFunc(out, func(x MetricDoc) bool { return x.ID == m.ShownAfter })
		if at < 0 {
			at = i - 1 // the other is not shown: the metric keeps its place
		}
		out = slices.Insert(out, at+1, m)
	}
	return out
}

type builder struct {
	opt       Options
	countries map[string]country
	rows      []Row
	docs      []MetricDoc

	order    map[string]int
	doc      map[string]MetricDoc
	tracking map[[4]string]*Row // TRACK_24M by cohort, region, country, category
}

func (b *builder) index() {
	b.order, b.doc = map[string]int{}, map[string]MetricDoc{}
	for i, d := range b.docs {
		if _, dup := b.order[d.ID]; !dup {
			b.order[d.ID], b.doc[d.ID] = i, d
		}
	}
	b.tracking = map[[4]string]*Row{}
	for i := range b.rows {
		r := &b.rows[i]
		if r.Metric == "TRACK_24M" && r.Program == All && r.ECLBand == All {
			b.tracking[[4]string{r.Cohort, r.Region, r.Country, r.Category}] = r
		}
	}
}

func rank(v string, order ...string) int {
	if i := slices.Index(order, v); i >= 0 {
		return i
	}
	return len(order)
}

// compareDisplay orders rows by metric (display order), cohort, ECL band
// and period.
func (b *builder) compareDisplay(x, y *Row) int {
	return cmp.Or(
		cmp.Compare(b.order[x.Metric], b.order[y.Metric]),
		cmp.Compare(rank(x.Cohort, All, "PARTICIPANT", "COMPARISON"), rank(y.Cohort, All, "PARTICIPANT", "COMPARISON")),
		cmp.Compare(x.Cohort, y.Cohort),
		cmp.Compare(rank(x.ECLBand, All, "<70", "70-79", ">=80", "missing"), rank(y.ECLBand, All, "<70", "70-79", ">=80", "missing")),
		cmp.Compare(x.ECLBand, y.ECLBand),
		cmp.Compare(x.Period, y.Period),
	)
}

// geoSort orders places: region (unknown regions last), then country.
func geoSort(r *Row) string {
	region := r.Region
	if r.Country != All {
		region = r.CountryRegion
	}
	if region == "" {
		region = "~"
	}
	if region == All {
		region = ""
	}
	country := r.Country
	if country == All {
		country = ""
	}
	return region + "\x00" + country + "\x00" + r.Category
}

// kinds says how a metric's value, numerator and denominator are shown,
// and in what unit the value is.
type kinds struct {
	value, num, den Kind
	unit            string
}

func metricKinds(d MetricDoc) kinds {
	return kinds{kindOf(d.Unit), kindOf(d.NumUnit), kindOf(d.DenUnit), d.UnitLabel}
}

// kindOf is the cell kind of a registry measure.
func kindOf(measure string) Kind {
	switch measure {
	case "share":
		return Percent
	case "dollars":
		return Dollars
	case "days":
		return Days
	case "count":
		return Integer
	}
	return Number
}

// The result columns of every long table; keys go between period and unit.
var (
	headColumns = []Column{
		{"metric_id", "Metric", Text},
		{"title", "Title", Text},
		{"cohort", "Cohort", Text},
		{"ecl_band", "ECL band", Text},
		{"period", "Period", Text},
	}
	resultColumns = []Column{
		{"unit", "Unit", Text},
		{"n", "n", Integer},
		{"events", "Events", Integer},
		{"numerator", "Numerator", Number},
		{"denominator", "Denominator", Number},
		{"value", "Value", Number},
		{"ci_low", "95% CI low", Number},
		{"ci_high", "95% CI high", Number},
		{"p_value", "p-value", Number},
		{"tracking_24m", "Tracking coverage (TRACK_24M)", Percent},
		{"note", "Note", Text},
		{"caveat", "Caveat", Text},
		{"suppressed", "Suppressed", Bool},
	}
)

// long lays out one long table: the rows keep selects, by metric, with
// keyCells between the head and the results.
func (b *builder) long(sheet, file string, keyCols []Column, keep func(*Row) bool, keyCells func(*Row) []any) Table {
	t := Table{Sheet: sheet, File: file}
	t.Columns = slices.Concat(headColumns, keyCols, resultColumns)
	var sel []*Row
	for i := range b.rows {
		if r := &b.rows[i]; r.Program == All && keep(r) {
			sel = append(sel, r)
		}
	}
	slices.SortFunc(sel, func(x, y *Row) int {
		return cmp.Or(b.compareDisplay(x, y), cmp.Compare(geoSort(x), geoSort(y)))
	})
	for _, r := range sel {
		d := b.doc[r.Metric]
		k := metricKinds(d)
		cells := []any{r.Metric, d.Title, r.Cohort, r.ECLBand, r.Period}
		if keyCells != nil {
			cells = append(cells, keyCells(r)...)
		}
		cells = append(cells, orNil(k.unit))
		note := b.note(r)
		switch {
		case r.Suppressed():
			for range 8 { // n, events, numerator, denominator, value, ci_low, ci_high, p_value
				cells = append(cells, Withheld{})
			}
		case zeroWidth(r, d):
			// Limits of zero width would read as certainty: no limits,
			// and the count with its one-sided bound in the note.
			cells = append(cells, integer(r.N), integer(r.Events),
				quantity(r.Numerator, k.num), quantity(r.Denominator, k.den),
				quantity(r.Value, k.value), nil, nil, float(r.PValue))
			note = joinNotes(reports.ZeroWidthText(r.Value.Float64, r.N.Int64), note)
		default:
			cells = append(cells, integer(r.N), integer(r.Events),
				quantity(r.Numerator, k.num), quantity(r.Denominator, k.den),
				quantity(r.Value, k.value), quantity(r.CILow, k.value), quantity(r.CIHigh, k.value),
				float(r.PValue))
		}
		cells = append(cells, b.coverage(r, d), orNil(note), orNil(caveat(r, d)), r.Suppressed())
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// zeroWidth says whether a shown row is a share whose interval has zero
// width (reports.ZeroWidth): nothing happened in its group.
func zeroWidth(r *Row, d MetricDoc) bool {
	return !r.Suppressed() && r.Value.Valid &&
		reports.ZeroWidth(d.Unit, r.CILow.Float64, r.CIHigh.Float64, r.CILow.Valid && r.CIHigh.Valid)
}

func joinNotes(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}

// coverage is TRACK_24M of the row's group, for the outcome metrics whose
// caveats say to read them beside it (metrics.md, "Reading rules").
func (b *builder) coverage(r *Row, d MetricDoc) any {
	if d.ReadBeside != "TRACK_24M" {
		return nil
	}
	tr := b.tracking[[4]string{r.Cohort, r.Region, r.Country, r.Category}]
	switch {
	case tr == nil:
		return nil
	case tr.Suppressed() || r.Suppressed(): // a suppressed row shows no number at all
		return Withheld{}
	}
	return float(tr.Value)
}

func (b *builder) note(r *Row) string {
	switch r.Reason {
	case BelowK:
		return fmt.Sprintf("suppressed: below the minimum cell size of %d", b.opt.MinCell)
	case Complement:
		return "suppressed: complementary, so that another suppressed cell cannot be recovered by subtraction"
	}
	return r.Note
}

func caveat(r *Row, d MetricDoc) string {
	if r.Cohort == "COMPARISON" || d.Contrast {
		return Associational
	}
	return ""
}

func integer(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func float(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

func quantity(v sql.NullFloat64, k Kind) any {
	if !v.Valid {
		return nil
	}
	return Quantity{v.Float64, k}
}

// fmtr lays out the Foreign Military Training Report's columns side by
// side: one row per program, region and country shown.
func (b *builder) fmtr() Table {
	t := Table{Sheet: SheetFMTR, File: "fmtr-columns", Columns: []Column{
		FMTRProgram, FMTRRegion, FMTRCountryCode, FMTRCountryName, FMTRPeriod,
	}}
	var present []int // indexes into fmtrMetrics of the metrics shown
	for i, f := range fmtrMetrics {
		if _, ok := b.order[f.id]; ok {
			present = append(present, i)
			t.Columns = append(t.Columns, f.col)
		}
	}
	t.Columns = append(t.Columns, FMTRNote, Column{"suppressed", "Suppressed", Bool})
	if len(present) == 0 {
		return t
	}
	type place struct{ program, region, country, period string }
	cells := map[place][]*Row{}
	var places []place
	for i := range b.rows {
		r := &b.rows[i]
		col := slices.IndexFunc(present, func(p int) bool { return fmtrMetrics[p].id == r.Metric })
		if col < 0 || r.Category != All || r.Cohort != All || r.ECLBand != All {
			continue
		}
		p := place{r.Program, r.Region, r.Country, r.Period}
		if cells[p] == nil {
			cells[p] = make([]*Row, len(present))
			places = append(places, p)
		}
		cells[p][col] = r
	}
	sortKey := func(p place) string {
		first := cells[p][slices.IndexFunc(cells[p], func(r *Row) bool { return r != nil })]
		level := "0" // the total, then programs, then places
		switch {
		case p.program != All:
			level = "1" + p.program
		case p.region != All || p.country != All:
			level = "2"
		}
		return level + "\x00" + geoSort(first) + "\x00" + p.period
	}
	slices.SortFunc(places, func(x, y place) int { return cmp.Compare(sortKey(x), sortKey(y)) })
	for _, p := range places {
		rs := cells[p]
		region := any(p.region)
		if p.country != All && p.region == All {
			for _, r := range rs {
				if r != nil {
					region = orNil(r.CountryRegion)
					break
				}
			}
		}
		name := any(nil)
		if p.country != All {
			name = orNil(b.countries[p.country].name)
		}
		row := []any{p.program, region, p.country, name, p.period}
		var notes []string
		suppressed := false
		for i, r := range rs {
			kind := fmtrMetrics[present[i]].col.Kind
			switch {
			case r == nil:
				row = append(row, nil)
				continue
			case r.Suppressed():
				row = append(row, Withheld{})
				suppressed = true
			case !r.Value.Valid:
				row = append(row, nil)
			case kind == Integer:
				row = append(row, int64(math.Round(r.Value.Float64)))
			default:
				row = append(row, r.Value.Float64)
			}
			if n := b.note(r); n != "" && !slices.Contains(notes, n) {
				notes = append(notes, n)
			}
		}
		row = append(row, orNil(strings.Join(notes, "; ")), suppressed)
		t.Rows = append(t.Rows, row)
	}
	return t
}

// DisclosureRule is the suppression rule in words, as the methodology and
// the data notes print it.
func DisclosureRule(k int) string {
	return fmt.Sprintf("Minimum cell size k = %d. A row whose population n (or denominator, when n is empty) is below %d "+
		"keeps its keys but shows no n, events, numerator, denominator, value, confidence limits or p-value, and is marked suppressed. "+
		"Complementary suppression: where the tables show a total and parts that add up to it (regions, countries within their region, "+
		"all countries, course categories and programs to their total; ECL bands to course completion; participants and comparison "+
		"peers to the participant-vs-comparison row) and exactly one part of a group is suppressed, the next smallest part (by n) is "+
		"suppressed too; a group with a single part suppresses its total instead; repeated until no group has exactly one suppressed part.", k, k)
}

func (b *builder) methodology() Table {
	t := Table{Sheet: SheetMethodology, File: "methodology", Columns: []Column{
		{"metric_id", "Metric", Text},
		{"title", "Title", Text},
		{"definition", "Definition", Text},
		{"population", "Population", Text},
		{"event", "Event / numerator", Text},
		{"estimator", "Estimator", Text},
		{"caveats", "Caveats", Text},
	}}
	for _, d := range b.docs {
		t.Rows = append(t.Rows, []any{d.ID, orNil(d.Title), orNil(d.Definition), orNil(d.Population),
			orNil(d.Event), orNil(d.Estimator), orNil(strings.Join(d.Caveats, " "))})
	}
	t.Rows = append(t.Rows, []any{"DISCLOSURE_CONTROL", "Disclosure control", DisclosureRule(b.opt.MinCell),
		"Every row of every sheet.", nil, nil, "Applied once, before any format is written: the workbook, the CSV and the Parquet files carry the same cells."})
	return t
}

func (b *builder) dataNotes() Table {
	t := Table{Sheet: SheetNotes, File: "data-notes", Columns: []Column{{"item", "Item", Text}, {"note", "Note", Text}}}
	add := func(item, note string) { t.Rows = append(t.Rows, []any{item, note}) }
	o := b.opt
	fyEnd := schemas.FiscalYearEnd(o.FY)
	add("Fiscal year", fmt.Sprintf("FY%d: 1 October %d to 30 September %d. Flow metrics (enrollments, costs, vetting, FMTR columns) have period FY%d.", o.FY, o.FY-1, o.FY, o.FY))
	add("Period end (D)", o.AsOf.Format(time.DateOnly)+": events dated after D are ignored; metrics measured as of D have period ALL.")
	if o.AsOf.Before(fyEnd) {
		add("Incomplete year", fmt.Sprintf("D is before the end of FY%d: its flow metrics cover the year up to D only.", o.FY))
	}
	add("Data vintage", fmt.Sprintf("%d: the last loaded batch whose data the metrics use; a rerun with this D and vintage reproduces every number.", o.Vintage))
	add("Minimum cell size (k)", fmt.Sprint(o.MinCell))
	add("Disclosure control", DisclosureRule(o.MinCell))
	var below, comp int
	for i := range b.rows {
		switch b.rows[i].Reason {
		case BelowK:
			below++
		case Complement:
			comp++
		}
	}
	add("Suppressed rows", fmt.Sprintf("%d below the minimum cell size, %d complementary, of %d rows.", below, comp, len(b.rows)))
	add("Suppressed cells", "Empty with a grey fill in the workbook, empty in the CSV files, null in the Parquet files; "+
		"the row's suppressed column is TRUE and its note says why. A zero count below k is suppressed like any other small cell.")
	add("Comparison peers", Associational+" Every participant-vs-comparison row (cohort COMPARISON, LEAD_RANK_HR) says so in its caveat column.")
	add("Distinct counts", distinctNote)
	add("Tracking coverage", "Outcome rates are shown beside their tracking coverage (TRACK_24M of the same group and cohort): a low coverage means the rate rests on few people.")
	add("Prominent alumni", "ALUMNI_PROMINENT, the traditional count with no denominator, is shown beside LEAD_POS.")
	add("Keys", "ALL in a key column means the row is not broken down by it. Countries are placed in their region from the countries table; people without a value for a breakdown count in the whole population only.")
	var zero int
	for i := range b.rows {
		if r := &b.rows[i]; r.Program == All && zeroWidth(r, b.doc[r.Metric]) {
			zero++
		}
	}
	add("Zero-width intervals", fmt.Sprintf("Rows shown with a share from a group in which nothing happened: %d. Their 95%% limits "+
		"have zero width and would read as certainty, so their confidence-limit cells are left empty (in every format) and their note "+
		"gives the share in words and the one-sided bound, e.g. \"none of 120; one-sided 95%% upper bound 2.5%% were all 120 followed to the horizon (wider if fewer were)\": none of 120 people "+
		"had reached the metric's state by its horizon. The Events column counts events over the whole follow-up, so it can show events that came after the horizon. %s", zero, reports.BoundMethod))
	add("Rounding", "The workbook stores values unrounded and rounds them for display only, by number format. "+
		"The CSV files hold the values as the workbook displays them: shares as percentages with one decimal (25.3%), "+
		"dollars, days and counts as whole numbers, other numbers with three decimals, without currency signs or thousands separators. "+
		"The Parquet files keep full precision (typed doubles): use them to compute further.")
	add("Text", "Text beginning with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe so that no spreadsheet evaluates it.")
	add("Personal data", "None: the summary is built from aggregate metric values only, with no names, birth years, student ids or human-rights flag detail.")
	for _, n := range o.Notes {
		add("Note", n)
	}
	return t
}
