package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// FiscalYears are the fiscal years in which enrollments started, in the
// data of batches up to vintage (0: every batch): the years a product of
// flow metrics (enrollments, costs, vetting, the FMTR columns) has data
// for. It reads start dates only.
func FiscalYears(ctx context.Context, db *sql.DB, vintage int64) ([]int, error) {
	q := `SELECT DISTINCT fiscal_year_of(start_date) AS fy FROM (
		SELECT start_date FROM enrollments WHERE $1 = 0 OR _batch_id <= $1
		UNION ALL
		SELECT start_date FROM enrollments_history WHERE $1 > 0 AND _batch_id <= $1 AND _superseded_by > $1)
	WHERE start_date IS NOT NULL ORDER BY fy`
	rows, err := db.QueryContext(ctx, q, vintage)
	if err != nil {
		return nil, fmt.Errorf("read the fiscal years of enrollments: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var fy int
		if err := rows.Scan(&fy); err != nil {
			return nil, fmt.Errorf("read the fiscal years of enrollments: %w", err)
		}
		out = append(out, fy)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the fiscal years of enrollments: %w", err)
	}
	return out, nil
}

// YearList writes sorted years as ranges for a message: 2008–2012, 2015,
// 2017–2026.
func YearList(years []int) string {
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		s := strconv.Itoa(years[i])
		if j > i {
			s += "–" + strconv.Itoa(years[j])
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
