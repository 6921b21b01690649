package reports

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// TrendCell is IMET in one country and report year of the Foreign
// Military Training Report (the fmtr_trends view): what the quarterly
// report's trends and the congressional workbook's FMTR by year sheet show.
type TrendCell struct {
	FiscalYear     int
	Region         string // "" when the country has none
	Country, Name  string
	Sessions       int64   // training sessions (summed quantity): not people
	Dollars        float64 // summed cost
	Reconciled     float64 // dollars in groups that reproduce their printed total
	Reconciliation string  // matches, differs or no_printed_total
}

// IMETTrends reads the IMET cells of fmtr_trends loaded up to vintage, by
// fiscal year, region and country.
func IMETTrends(ctx context.Context, db *sql.DB, vintage int64) ([]TrendCell, error) {
	rows, err := db.QueryContext(ctx, querySQL("imet_trends.sql"), vintage)
	if err != nil {
		return nil, fmt.Errorf("read fmtr_trends: %w", err)
	}
	defer rows.Close()
	var out []TrendCell
	for rows.Next() {
		var c TrendCell
		var sessions sql.NullInt64
		var dollars, reconciled sql.NullFloat64
		if err := rows.Scan(&c.FiscalYear, &c.Region, &c.Country, &c.Name, &sessions, &dollars, &reconciled, &c.Reconciliation); err != nil {
			return nil, fmt.Errorf("read fmtr_trends: %w", err)
		}
		c.Sessions, c.Dollars, c.Reconciled = sessions.Int64, dollars.Float64, reconciled.Float64
		out = append(out, c)
	}
	return out, rows.Err()
}

// TrendYears are the fiscal years of cells, sorted.
func TrendYears(cells []TrendCell) []int {
	var years []int
	for _, c := range cells {
		if !slices.Contains(years, c.FiscalYear) {
			years = append(years, c.FiscalYear)
		}
	}
	slices.Sort(years)
	return years
}

// ReconciledShare is the share of the cells' dollars in groups that
// reproduce their printed totals (0 when there are no dollars).
func ReconciledShare(cells []TrendCell) float64 {
	var all, rec float64
	for _, c := range cells {
		all += c.Dollars
		rec += c.Reconciled
	}
	if all == 0 {
		return 0
	}
	return rec / all
}

// FMTRCredit is the credit every product that ships FMTR figures prints.
const FMTRCredit = "Data: Foreign Military Training Report, scraped by Security Force Monitor (MIT licence)."
