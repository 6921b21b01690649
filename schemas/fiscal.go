package schemas

import (
	"fmt"
	"time"
)

// The U.S. fiscal calendar, the one home of it in Go: fiscal year N runs 1
// October N-1 to 30 September N, and quarter 1 is October to December. Its
// SQL twin is the macros fiscal_year_of and fiscal_quarter_of (migration
// 0005); TestFiscalCalendar holds the two equal.

// FiscalYear is the fiscal year that holds d.
func FiscalYear(d time.Time) int {
	if d.Month() >= time.October {
		return d.Year() + 1
	}
	return d.Year()
}

// FiscalQuarter is the quarter (1 to 4) of its fiscal year that holds d.
func FiscalQuarter(d time.Time) int { return (int(d.Month())+2)%12/3 + 1 }

// FiscalYearStart is 1 October of the calendar year before fy.
func FiscalYearStart(fy int) time.Time { return time.Date(fy-1, time.October, 1, 0, 0, 0, 0, time.UTC) }

// FiscalYearEnd is 30 September of fy: the period end D of a fiscal year.
func FiscalYearEnd(fy int) time.Time { return time.Date(fy, time.September, 30, 0, 0, 0, 0, time.UTC) }

// LastQuarterEnd is the last day of the latest fiscal quarter that ended
// before the day of now (31 December, 31 March, 30 June, 30 September).
func LastQuarterEnd(now time.Time) time.Time {
	y, m, _ := now.Date()
	first := time.Month((int(m)-1)/3*3 + 1) // the first month of now's quarter
	return time.Date(y, first, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}

// LastFiscalYearEnd is 30 September of the latest fiscal year that ended
// before the day of now.
func LastFiscalYearEnd(now time.Time) time.Time { return FiscalYearEnd(FiscalYear(now) - 1) }

// QuarterName names the fiscal quarter that holds d: FY2026Q3 for a day of
// April to June 2026.
func QuarterName(d time.Time) string { return fmt.Sprintf("FY%dQ%d", FiscalYear(d), FiscalQuarter(d)) }

// QuarterEnd is the last day of a quarter named like FY2026Q3: exactly
// that, nothing before or after it (the name becomes a folder name).
func QuarterEnd(name string) (time.Time, error) {
	var fy, q int
	if n, err := fmt.Sscanf(name, "FY%4dQ%1d", &fy, &q); err != nil || n != 2 || q < 1 || q > 4 || fy < 1900 || fmt.Sprintf("FY%dQ%d", fy, q) != name {
		return time.Time{}, fmt.Errorf("quarter %q: write it as FY2026Q3 (fiscal year, quarter 1 to 4; Q1 is October to December)", name)
	}
	return FiscalYearStart(fy).AddDate(0, 3*q, 0).AddDate(0, 0, -1), nil
}

// ParseFiscalYearPeriod reads a period name FY2026 as 2026.
func ParseFiscalYearPeriod(period string) (int, bool) {
	var fy int
	if n, err := fmt.Sscanf(period, "FY%4d", &fy); err != nil || n != 1 || fy < 1900 || fmt.Sprintf("FY%d", fy) != period {
		return 0, false
	}
	return fy, true
}
