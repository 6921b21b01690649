package schemas_test

import (
	"context"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The fiscal calendar in Go and its SQL twin give the same answers, on every
// day of four years (leap day included) and at the edges.
func TestFiscalCalendar(t *testing.T) {
	t.Parallel()
	db, err := schemas.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT d::DATE, fiscal_year_of(d), fiscal_quarter_of(d) FROM range(DATE '2023-01-01', DATE '2027-01-01', INTERVAL 1 DAY) t(d)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	days := 0
	for rows.Next() {
		var d time.Time
		var fy, q int
		if err := rows.Scan(&d, &fy, &q); err != nil {
			t.Fatal(err)
		}
		days++
		if g := schemas.FiscalYear(d); g != fy {
			t.Errorf("%s: Go fiscal year %d, SQL %d", d.Format(time.DateOnly), g, fy)
		}
		if g := schemas.FiscalQuarter(d); g != q {
			t.Errorf("%s: Go quarter %d, SQL %d", d.Format(time.DateOnly), g, q)
		}
		if !schemas.FiscalYearStart(fy).After(d) && schemas.FiscalYearEnd(fy).Before(d) {
			t.Errorf("%s outside FY%d's bounds", d.Format(time.DateOnly), fy)
		}
	}
	if err := rows.Err(); err != nil || days != 1461 {
		t.Fatalf("%d days compared, %v", days, err)
	}
	for _, c := range []struct{ now, lastQ, lastFY, name string }{
		{"2026-07-15", "2026-06-30", "2025-09-30", "FY2026Q4"},
		{"2026-10-01", "2026-09-30", "2026-09-30", "FY2027Q1"},
		{"2026-09-30", "2026-06-30", "2025-09-30", "FY2026Q4"},
		{"2027-01-01", "2026-12-31", "2026-09-30", "FY2027Q2"},
		{"2026-04-15", "2026-03-31", "2025-09-30", "FY2026Q3"},
		{"2026-12-31", "2026-09-30", "2026-09-30", "FY2027Q1"},
	} {
		t.Run(c.now, func(t *testing.T) {
			now := day(c.now)
			if got := schemas.LastQuarterEnd(now).Format(time.DateOnly); got != c.lastQ {
				t.Errorf("LastQuarterEnd = %s, want %s", got, c.lastQ)
			}
			if got := schemas.LastFiscalYearEnd(now).Format(time.DateOnly); got != c.lastFY {
				t.Errorf("LastFiscalYearEnd = %s, want %s", got, c.lastFY)
			}
			if got := schemas.QuarterName(now); got != c.name {
				t.Errorf("QuarterName = %s, want %s", got, c.name)
			}
		})
	}
	for name, end := range map[string]string{"FY2026Q1": "2025-12-31", "FY2026Q2": "2026-03-31", "FY2026Q3": "2026-06-30", "FY2026Q4": "2026-09-30"} {
		got, err := schemas.QuarterEnd(name)
		if err != nil || got.Format(time.DateOnly) != end {
			t.Errorf("QuarterEnd(%s) = %s, %v; want %s", name, got.Format(time.DateOnly), err, end)
		}
		if schemas.QuarterName(got) != name {
			t.Errorf("QuarterName(QuarterEnd(%s)) = %s", name, schemas.QuarterName(got))
		}
	}
	for _, bad := range []string{"2026Q3", "FY2026Q5", "FY2026Q0", "fy", "FY2026Q3/../../x", "FY2026Q3 ", "FY2026Q34", "FY+2026Q3", "FY 2026Q3", "FY2026Q3\x00"} {
		if _, err := schemas.QuarterEnd(bad); err == nil {
			t.Errorf("QuarterEnd(%q) accepted", bad)
		}
	}
	if fy, ok := schemas.ParseFiscalYearPeriod("FY2015"); !ok || fy != 2015 {
		t.Errorf("ParseFiscalYearPeriod(FY2015) = %d, %v", fy, ok)
	}
	for _, bad := range []string{"ALL", "FY2026Q3", "FY15"} {
		if _, ok := schemas.ParseFiscalYearPeriod(bad); ok {
			t.Errorf("ParseFiscalYearPeriod(%q) accepted", bad)
		}
	}
}
