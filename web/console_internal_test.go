package web

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform"
)

// A lineage link names the row with metric_values' own columns.
func TestLineageURLUsesTheColumnNames(t *testing.T) {
	t.Parallel()
	k := transformKey{AsOf: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Vintage: 19}
	u, err := url.Parse(lineageURL("LEAD_RANK_5Y", map[string]string{"cohort": "PARTICIPANT", "region": "AF", "sex": "ALL"}, k))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/lineage" || q.Get("metric") != "LEAD_RANK_5Y" || q.Get("as_of") != "2026-09-30" || q.Get("vintage") != "19" {
		t.Errorf("%s", u)
	}
	for name := range q {
		if name != "metric" && name != "as_of" && name != "vintage" && !slices.Contains(transform.Keys, name) {
			t.Errorf("parameter %s is no column of metric_values", name)
		}
	}
	if q.Has("sex") || q.Get("cohort") != "PARTICIPANT" || q.Get("region") != "AF" {
		t.Errorf("keys: %s (ALL is left out)", u.RawQuery)
	}
}

// A console result of every kind of DuckDB value is written to Parquet
// and reads back as the JSON shows it.
func TestResultParquetTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := schemas.QueryReadOnly(ctx, db, `SELECT 1.25::DECIMAL(18,2) AS d, 7::TINYINT AS ti, 9::UBIGINT AS ub, 2::HUGEINT AS h,
	DATE '2020-01-02' AS dt, TIMESTAMP '2020-01-02 03:04:05' AS ts, [1, 2] AS l, {'a': 1} AS s, MAP {1: 2} AS m,
	INTERVAL 3 DAY AS iv, '00000000-0000-0000-0000-000000000001'::UUID AS u, true AS b, '=1+1' AS f, NULL::VARCHAR AS n`, schemas.ConsoleLimits{})
	if err != nil {
		t.Fatal(err)
	}
	normalise(res)
	var b bytes.Buffer
	if err := writeResultParquet(res, res.Rows, &b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.parquet")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var d, dt, ts, l, s, m, iv, u, f string
	var ti, ub, h int64
	var bo bool
	var n sql.NullString
	err = db.QueryRow(`SELECT d::VARCHAR, ti, ub, h::BIGINT, dt::VARCHAR, strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), l, s, m, iv, u, b, f, n FROM read_parquet(?)`, path).
		Scan(&d, &ti, &ub, &h, &dt, &ts, &l, &s, &m, &iv, &u, &bo, &f, &n)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join([]string{d, dt, ts, l, s, m, iv, u, f}, "|")
	want := `1.25|2020-01-02|2020-01-02 03:04:05|[1,2]|{"a":1}|{"1":2}|0 months 3 days 0 microseconds|00000000-0000-0000-0000-000000000001|'=1+1`
	if got != want || ti != 7 || ub != 9 || h != 2 || !bo || n.Valid {
		t.Errorf("read back %s %d %d %d %v %v\nwant      %s", got, ti, ub, h, bo, n, want)
	}
}
