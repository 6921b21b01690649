package transform

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// Checks is what the pipeline checks found after a transform of (D, V):
// broken invariants, which must stop a publish, and warnings for the run's
// message. Each check is one file of sql/checks/: a first line
// "-- fail: …" or "-- warn: …" (with %d for the count) and a query of one
// count, which may read D as $1 and the vintage as $2.
type Checks struct {
	Failures []string
	Warnings []string
}

// Check runs every check of sql/checks/ in order.
func Check(ctx context.Context, db *sql.DB, d time.Time, vintage int64) (Checks, error) {
	var out Checks
	files, err := fs.Glob(sqlFiles, "sql/checks/*.sql")
	if err != nil {
		return out, err
	}
	for _, f := range files {
		body, err := sqlFiles.ReadFile(f)
		if err != nil {
			return out, err
		}
		first, _, _ := strings.Cut(string(body), "\n")
		kind, msg, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(first, "--")), ": ")
		if !ok || (kind != "fail" && kind != "warn") {
			return out, fmt.Errorf("check %s: the first line must be '-- fail: …' or '-- warn: …'", f)
		}
		var args []any
		if strings.Contains(string(body), "$1") {
			args = []any{d.Format(time.DateOnly), vintage}
		}
		var n int64
		if err := db.QueryRowContext(ctx, string(body), args...).Scan(&n); err != nil {
			return out, fmt.Errorf("check %s: %w", f, err)
		}
		if n == 0 {
			continue
		}
		if kind == "fail" {
			out.Failures = append(out.Failures, fmt.Sprintf(msg, n))
		} else {
			out.Warnings = append(out.Warnings, fmt.Sprintf(msg, n))
		}
	}
	return out, nil
}
