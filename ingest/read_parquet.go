package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// stageParquet reads Parquet through read_parquet, typed columns as text.
func stageParquet(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source, lim Limits) (*staged, error) {
	file := filepath.Base(path)
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(%s))", literal(path)))
	if err != nil {
		return nil, reject("%s is not a readable Parquet file (%v): export it again", file, duckMessage(err))
	}
	var raw, types []string
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			rows.Close()
			return nil, err
		}
		raw, types = append(raw, n), append(types, t)
	}
	rows.Close()
	if err := tooWide(file, len(raw), lim); err != nil {
		return nil, err
	}
	h, err := checkHeader(ds, raw, file, src)
	if err != nil {
		return nil, err
	}
	for i, n := range h.names {
		if _, ok := ds.Column(n); ok && nestedType(types[i]) {
			// Cast to text, a STRUCT or LIST would load as its printed
			// form ({'a': 1}, [x, y]) without a word.
			return nil, reject("%s: column %s is a Parquet %s, a nested value; the contract's columns hold one plain value each: write it as a string or number column (one value per row), and send the file again", file, n, truncate(types[i], 80))
		}
	}
	sel := []string{"file_row_number + 1 AS _line"}
	for i, n := range h.names {
		expr := ident(raw[i])
		if c, ok := ds.Column(n); ok && c.Type == schemas.Date && strings.HasPrefix(types[i], "TIMESTAMP") {
			expr = "CAST(" + expr + " AS DATE)"
		}
		sel = append(sel, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", expr, ident(n)))
	}
	q := fmt.Sprintf("CREATE TEMP TABLE stg AS SELECT %s FROM read_parquet(%s, file_row_number = true)", strings.Join(sel, ", "), literal(path))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return nil, reject("%s is not a readable Parquet file (%v): export it again", file, duckMessage(err))
	}
	st := &staged{unknown: h.unknown, present: h.present}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM stg").Scan(&st.rows); err != nil {
		return nil, err
	}
	st.lines = st.rows // records: Parquet has no header row
	return st, createSrc(ctx, conn, ds, present(h.names), h.unknown, "stg._line", "stg")
}

// nestedType says whether a DuckDB type (as DESCRIBE prints it) holds more
// than one value: STRUCT, MAP, UNION, a LIST (T[]) or an ARRAY (T[n]).
func nestedType(t string) bool {
	for _, p := range []string{"STRUCT", "MAP", "UNION"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return strings.HasSuffix(t, "]")
}
