package reports

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// Formats a table export can be written in.
var Formats = []string{"csv", "parquet", "json"}

// Copy writes the result of query to out in format, whole or not at all:
// DuckDB writes a temporary file beside out, which is synced and renamed.
// Output is deterministic for the same rows (the query must order them).
func Copy(ctx context.Context, db *sql.DB, query, out, format string) error {
	var opts string
	switch format {
	case "csv":
		opts = "FORMAT csv, HEADER true"
	case "parquet":
		opts = "FORMAT parquet, COMPRESSION zstd"
	case "json":
		opts = "FORMAT json, ARRAY true"
	default:
		return fmt.Errorf("format %q: use one of %s", format, strings.Join(Formats, ", "))
	}
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	RemoveLeftovers(out)
	tmp := tempPath(out)
	os.Remove(tmp)
	q := fmt.Sprintf("COPY (%s) TO %s (%s)", query, quote(tmp), opts)
	if _, err := db.ExecContext(ctx, q); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", out, err)
	}
	return commitFile(tmp, out)
}

func quote(s string) string { return schemas.Quote(s) }

// MetricsQuery selects the metric_values of one transform (its D and
// vintage) in a stable order.
func MetricsQuery(asOf time.Time, vintage int64) string {
	return fmt.Sprintf("SELECT * FROM metric_values WHERE as_of = DATE '%s' AND vintage = %d\n", asOf.Format(time.DateOnly), vintage) + metricOrder
}

// metricOrder is the stable order of one transform's metric_values.
const metricOrder = "ORDER BY metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band, post_level"

// Querier is what LatestTransform reads through: a *sql.DB, *sql.Conn or
// *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// LatestTransform is the headline transform: the latest period end D that
// has been transformed, with its newest vintage, what "the current numbers"
// means (the warehouse view headline_transform, where the rule lives; the
// model tables are always its models). Not the most recent run: a report
// also transforms earlier quarters for comparison.
func LatestTransform(ctx context.Context, db Querier) (asOf time.Time, vintage int64, err error) {
	err = db.QueryRowContext(ctx, `SELECT as_of, vintage FROM headline_transform`).Scan(&asOf, &vintage)
	if err == sql.ErrNoRows {
		return asOf, 0, fmt.Errorf("no metrics yet: run 'imet transform' first")
	}
	return asOf, vintage, err
}
