package congress

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// sqlText is the text of one embedded SQL file (sql/NAME).
func sqlText(name string) (string, error) {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		return "", fmt.Errorf("read embedded sql/%s: %w", name, err)
	}
	return string(b), nil
}

// country is a country's name and region from the countries table.
type country struct{ name, region string }

func readCountries(ctx context.Context, db *sql.DB) (map[string]country, error) {
	q, err := sqlText("countries.sql")
	if err != nil {
		return nil, err
	}
	rs, err := db.QueryContext(ctx, q)
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
	q, err := sqlText("metric_rows.sql")
	if err != nil {
		return nil, err
	}
	want := map[string]MetricDoc{}
	for _, m := range opt.Metrics {
		want[m.ID] = m
	}
	rs, err := db.QueryContext(ctx, q, opt.AsOf.Format(time.DateOnly), opt.Vintage, opt.period())
	if err != nil {
		return nil, fmt.Errorf("read metric_values: %w", err)
	}
	defer rs.Close()
	var rows []Row
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.Metric, &r.Period, &r.Cohort, &r.ECLBand, &r.Program, &r.Region, &r.Country, &r.Category,
			&r.N, &r.Events, &r.Numerator, &r.Denominator, &r.Value, &r.CILow, &r.CIHigh, &r.PValue, &r.PAdjusted, &r.Note); err != nil {
			return nil, fmt.Errorf("read metric_values: %w", err)
		}
		doc, ok := want[r.Metric]
		if !ok || geo(&r) > 1 {
			continue
		}
		r.Counts(doc)
		if r.Program != All && (!isFMTR(r.Metric) || r.Category != All) {
			continue
		}
		if r.Country != All {
			r.CountryRegion = countries[r.Country].region
			if r.Region != All {
				r.CountryRegion = r.Region
			}
		}
		for _, f := range []*sql.NullFloat64{&r.Numerator, &r.Denominator, &r.Value, &r.CILow, &r.CIHigh, &r.PValue, &r.PAdjusted} {
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

// readFiscalYears lists the fiscal years whose flow metrics counted
// someone in the transform of opt.
func readFiscalYears(ctx context.Context, db *sql.DB, opt Options) ([]int, error) {
	q, err := sqlText("fiscal_years.sql")
	if err != nil {
		return nil, err
	}
	rs, err := db.QueryContext(ctx, q, opt.AsOf.Format(time.DateOnly), opt.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read fiscal years of metric_values: %w", err)
	}
	defer rs.Close()
	var years []int
	for rs.Next() {
		var y int
		if err := rs.Scan(&y); err != nil {
			return nil, fmt.Errorf("read fiscal years of metric_values: %w", err)
		}
		years = append(years, y)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read fiscal years of metric_values: %w", err)
	}
	return years, nil
}

// readFMTRSummary reads fmtr_summary (every fiscal year when fy is 0) as
// the table `imet export fmtr` writes: the view's column names, the FMTR
// columns sheet's headers.
func readFMTRSummary(ctx context.Context, db *sql.DB, fy, minCell int) (Table, error) {
	t := Table{Sheet: "FMTR summary", File: "fmtr-summary", Columns: []Column{
		FMTRFiscalYear, FMTRRegion, FMTRCountryCode, FMTRProgram, FMTRSubProgram,
		FMTRSessions.Named("sessions"), FMTRCourses, FMTRDollars,
		FMTRPrintedSessions, FMTRPrintedDollars, FMTRReconciliation,
		FMTRStudents, FMTRNote,
	}}
	q, err := sqlText("fmtr_summary.sql")
	if err != nil {
		return t, err
	}
	rows, err := db.QueryContext(ctx, q, fy)
	if err != nil {
		return t, fmt.Errorf("read fmtr_summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fyv int64
		var region, country, program, sub, rec, note sql.NullString
		var sessions, courses, printedS, students sql.NullInt64
		var dollars, printedD sql.NullFloat64
		if err := rows.Scan(&fyv, &region, &country, &program, &sub, &sessions, &courses, &dollars, &printedS, &printedD, &rec, &students, &note); err != nil {
			return t, fmt.Errorf("read fmtr_summary: %w", err)
		}
		studentsCell, noteText := individualStudents(students, note.String, minCell)
		t.Rows = append(t.Rows, []any{fyv, orNil(region.String), orNil(country.String), orNil(program.String), orNil(sub.String),
			integer(sessions), integer(courses), float(dollars), integer(printedS), float(printedD), orNil(rec.String),
			studentsCell, orNil(noteText)})
	}
	if err := rows.Err(); err != nil {
		return t, fmt.Errorf("read fmtr_summary: %w", err)
	}
	return t, nil
}

// individualStudents is the cell of an FMTR row's individual students and
// its note. The report's own figures (sessions, dollars) are published and
// shown as they are; individual students come from the warehouse's
// person-level enrollments, so a count below the minimum cell size is
// withheld, with a note, as in the rest of the workbook. (Distinct counts
// do not add up, so no complement is needed.)
func individualStudents(students sql.NullInt64, note string, minCell int) (any, string) {
	if !students.Valid || students.Int64 >= int64(minCell) {
		return integer(students), note
	}
	return Withheld{}, joinNotes(note, fmt.Sprintf("individual students suppressed: below the minimum cell size of %d", minCell))
}
