package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// A file changes only the columns it carries. A row whose key is already
// stored takes, for every contract column the file does not have, the
// stored value; a column the file has and leaves empty sets NULL (or the
// column's default). Without this a students file of only student_id,
// country_code and cohort would blank every name and birth year it
// replaced. The merged row is validated and hashed like any other, and the
// replaced version goes to history as always.
//
// Derived columns (an enrollment's fiscal_year, from start_date) are
// derived again rather than kept, so they follow the file's dates.
var derived = map[string][]string{"enrollments": {"fiscal_year"}}

// mergeStored creates the view srcm over src with the absent columns
// filled from the current rows, and returns its name and how many of the
// file's rows matched a stored one; it returns "src" when there is nothing
// to merge (every column present, or a key column absent so that no stored
// row can be matched).
func mergeStored(ctx context.Context, conn *sql.Conn, ds *schemas.Dataset, st *staged) (string, int64, error) {
	absent := st.absent(ds)
	if len(absent) == 0 {
		return "src", 0, nil
	}
	for _, k := range ds.Key {
		if !st.present[k] {
			return "src", 0, nil
		}
	}
	on := make([]string, len(ds.Key))
	for i, k := range ds.Key {
		c, _ := ds.Column(k)
		on[i] = fmt.Sprintf("t.%s::VARCHAR = %s", ident(k), normalise(c, true))
	}
	sel := []string{"src._line"}
	for _, c := range ds.Columns {
		q := ident(c.Name)
		switch {
		case st.present[c.Name] || slices.Contains(derived[ds.Name], c.Name):
			sel = append(sel, "src."+q)
		case ds.Linked && c.Name == "student_id":
			sel = append(sel, "t.source_student_id AS student_id") // the id as the source sent it
		default:
			sel = append(sel, fmt.Sprintf("t.%s::VARCHAR AS %s", q, q))
		}
	}
	for _, u := range st.unknown {
		sel = append(sel, "src."+ident(u))
	}
	sel = append(sel, "t._row_hash IS NOT NULL AS _stored")
	q := fmt.Sprintf("CREATE TEMP VIEW srcm AS SELECT %s FROM src LEFT JOIN %s t ON %s",
		strings.Join(sel, ", "), ds.Name, strings.Join(on, " AND "))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return "", 0, fmt.Errorf("keep stored values of columns the file lacks: %w", err)
	}
	var matched int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE _stored) FROM srcm").Scan(&matched); err != nil {
		return "", 0, fmt.Errorf("keep stored values of columns the file lacks: %w", err)
	}
	return "srcm", matched, nil
}
