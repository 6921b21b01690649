package congress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// DefaultMinCell is the minimum cell size k when Options.MinCell is 0.
const DefaultMinCell = 5

// MetricDoc is one metric of the registry as the methodology prints it:
// the same words the quarterly report prints.
type MetricDoc = reports.MetricDoc

// Options says which rows of metric_values the summary shows and how.
type Options struct {
	FY      int         // the fiscal year reported (flow metrics: period FY<FY>)
	AsOf    time.Time   // D of the metric_values rows to use; zero: 30 September FY
	Vintage int64       // vintage of the rows to use (see transform.LatestTransformedVintage)
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
	SheetPenetration = "Leadership penetration"
	SheetFMTR        = "FMTR columns"
	SheetFMTRYears   = "FMTR by year"
	SheetMethodology = "Methodology"
	SheetNotes       = "Data notes"
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

// period is the flow metrics' period, FY<FY>; "" (every period) without a year.
func (o Options) period() string {
	if o.FY == 0 {
		return ""
	}
	return fmt.Sprintf("FY%d", o.FY)
}

// Build reads the metric_values of one transform and the IMET rows of the
// Foreign Military Training Report loaded up to its vintage, applies
// disclosure control (Suppress) and lays out the tables of the
// congressional summary, in workbook order. The writers only format these
// cells.
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
	trends, err := reports.IMETTrends(ctx, db, opt.Vintage)
	if err != nil {
		return nil, err
	}
	Suppress(rows, opt.MinCell)
	b := &builder{opt: opt, countries: countries, rows: rows, docs: DisplayOrder(opt.Metrics), trends: trends}
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
		b.penetration(),
		b.fmtr(),
		b.fmtrByYear(),
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

// Disclosed reads every row of one transform that the congressional
// summary could show, in every period, and applies Suppress to them with
// k: what a public view may serve of metric_values, and nothing else.
// Rows by graduation cohort, sex or post level, by region and country
// together, and by program outside the FMTR columns are not among them.
func Disclosed(ctx context.Context, db *sql.DB, asOf time.Time, vintage int64, metrics []MetricDoc, k int) ([]Row, error) {
	countries, err := readCountries(ctx, db)
	if err != nil {
		return nil, err
	}
	rows, err := readRows(ctx, db, Options{AsOf: asOf, Vintage: vintage, Metrics: metrics}, countries)
	if err != nil {
		return nil, err
	}
	Suppress(rows, k)
	return rows, nil
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
	years, err := readFiscalYears(ctx, db, opt)
	if err != nil {
		return err
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
				row[j] = schemas.NeutraliseFormula(s)
			}
		}
	}
}
