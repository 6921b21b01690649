package reports

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// querySQL is the text of one embedded SQL file.
func querySQL(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		panic(err) // a file the package embeds: a missing one is a build mistake
	}
	return string(b)
}

// DeniedVettingAlarm is one fiscal year's count of enrollments attended
// although their human-rights vetting was DENIED.
type DeniedVettingAlarm struct {
	FiscalYear  string // FY2016: the fiscal year the course started
	Enrollments int64
}

// DeniedVettingAlarms returns every open denied-vetting alarm of the
// transform (d, vintage), one per fiscal year with any, oldest first: what
// 'imet run' warns about and what the quarterly report lists.
func DeniedVettingAlarms(ctx context.Context, db *sql.DB, d time.Time, vintage int64) ([]DeniedVettingAlarm, error) {
	rows, err := db.QueryContext(ctx, querySQL("denied_vetting_attended.sql"), d, vintage)
	if err != nil {
		return nil, fmt.Errorf("read the denied-vetting alarms (denied_vetting_attended.sql): %w", err)
	}
	defer rows.Close()
	var out []DeniedVettingAlarm
	for rows.Next() {
		var a DeniedVettingAlarm
		if err := rows.Scan(&a.FiscalYear, &a.Enrollments); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
