package schedule

import (
	"fmt"
	"time"
)

// LastQuarterEnd is the last day of the latest U.S. fiscal quarter that
// ended before the day of now (quarters end on 31 December, 31 March,
// 30 June and 30 September), as a UTC date.
func LastQuarterEnd(now time.Time) time.Time {
	y, m, _ := now.Date()
	// the first month of the quarter now is in: 1, 4, 7 or 10
	first := time.Month((int(m)-1)/3*3 + 1)
	return time.Date(y, first, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}

// LastFiscalYearEnd is 30 September of the latest fiscal year that ended
// before the day of now.
func LastFiscalYearEnd(now time.Time) time.Time {
	y := now.Year()
	if now.Month() < time.October {
		y--
	}
	return time.Date(y, time.September, 30, 0, 0, 0, 0, time.UTC)
}

// QuarterName names the fiscal quarter that holds d: FY2026Q3 for a day in
// April to June 2026.
func QuarterName(d time.Time) string {
	fy := d.Year()
	if d.Month() >= time.October {
		fy++
	}
	q := (int(d.Month())+2)%12/3 + 1
	return fmt.Sprintf("FY%dQ%d", fy, q)
}

// QuarterEnd is the last day of a quarter named like FY2026Q3.
func QuarterEnd(name string) (time.Time, error) {
	var fy, q int
	if n, err := fmt.Sscanf(name, "FY%4dQ%1d", &fy, &q); err != nil || n != 2 || q < 1 || q > 4 || fy < 1900 {
		return time.Time{}, fmt.Errorf("quarter %q: write it as FY2026Q3 (fiscal year, quarter 1 to 4; Q1 is October to December)", name)
	}
	// Q1 ends 31 December of fy-1; each later quarter three months on.
	start := time.Date(fy-1, time.October, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 3*q, 0)
	return start.AddDate(0, 0, -1), nil
}
