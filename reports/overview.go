package reports

import (
	"context"
	"database/sql"
	"fmt"
)

// Overview runs one of the questions a first reader of a warehouse asks
// (what 'imet demo' prints): "holdings" (rows per dataset), "regions"
// (IMET graduates by region), "fmtr_years" (each loaded FMTR report year
// against its printed totals), or "headline" with a metric id and a period
// (its whole-population rows in metric_latest). The SQL is
// sql/overview_<name>.sql.
func Overview(ctx context.Context, db *sql.DB, name string, args ...any) (*sql.Rows, error) {
	rows, err := db.QueryContext(ctx, querySQL("overview_"+name+".sql"), args...)
	if err != nil {
		return nil, fmt.Errorf("overview %s: %w", name, err)
	}
	return rows, nil
}

// Format writes a value for reading in a metric's unit (the registry's
// reading: share, days, ratio, rate, dollars, count).
func Format(unit string, v sql.NullFloat64) string { return format(unit, v) }

// FormatInterval writes 95% limits in a metric's unit; empty when either
// is missing.
func FormatInterval(unit string, lo, hi sql.NullFloat64) string {
	return interval(unit, mv{low: lo, high: hi})
}

// Thousands writes 15457639 as 15,457,639.
func Thousands(n int64) string { return thousands(n) }
