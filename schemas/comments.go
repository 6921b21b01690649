package schemas

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// SystemColumn is a column the warehouse adds to every dataset table (or to
// the linked ones), with the words its comment and the dictionary carry.
type SystemColumn struct {
	Name, Doc string
	Linked    bool // career_events and hr_flags only
	History   bool // <dataset>_history only
}

// SystemColumns are the provenance, linking and history columns, in table
// order.
var SystemColumns = []SystemColumn{
	{Name: "_batch_id", Doc: "the batch (one file load) that wrote this version of the row"},
	{Name: "_file", Doc: "the source file name"},
	{Name: "_sha256", Doc: "the source file's SHA-256"},
	{Name: "_row", Doc: "line number (CSV, NDJSON) or row number (Parquet, XLSX: the sheet row) in the source file"},
	{Name: "_row_hash", Doc: "fingerprint of the row's content, to recognise a re-sent row"},
	{Name: "source_student_id", Doc: "the student_id the source sent (empty when the row came with identity columns only)", Linked: true},
	{Name: "link_method", Doc: "how the row was linked to a student: id, exact_name or fuzzy; empty while unlinked", Linked: true},
	{Name: "link_score", Doc: "the name-match score (0..1) of a fuzzy or exact-name link", Linked: true},
	{Name: "_link_batch_id", Doc: "the batch whose run linked the row (a vintage before it sees the row unlinked)", Linked: true},
	{Name: "_superseded_by", Doc: "the batch that replaced this version", History: true},
}

// Describe is the column's comment: its words in the contract, or its type
// and allowed values when the contract has none.
func (c Column) Describe(dataset string) string {
	doc := c.Doc
	if doc == "" {
		doc = strings.ReplaceAll(c.Name, "_", " ") + " as sent in " + dataset + " files"
	}
	if len(c.Allowed) > 0 {
		doc += " (one of " + strings.Join(c.Allowed, ", ") + ")"
	}
	return doc
}

// ColumnComments reads the catalog's column comments of one table or view
// in the main schema of database (empty: the current one): what the
// migrations, the contract and the model SQL say of each column.
func ColumnComments(ctx context.Context, q Querier, database, table string) (map[string]string, error) {
	all, err := columnComments(ctx, q, database, table)
	if err != nil {
		return nil, err
	}
	if all[table] == nil {
		return map[string]string{}, nil
	}
	return all[table], nil
}

// AllColumnComments reads the column comments of every table and view in
// the main schema of database (empty: the current one), by table: one
// catalog query where ColumnComments would need one per table.
func AllColumnComments(ctx context.Context, q Querier, database string) (map[string]map[string]string, error) {
	return columnComments(ctx, q, database, "")
}

// Querier is what reads the catalog: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func columnComments(ctx context.Context, q Querier, database, table string) (map[string]map[string]string, error) {
	what := table
	if what == "" {
		what = "every table"
	}
	rows, err := q.QueryContext(ctx, `SELECT table_name, column_name, coalesce(comment, '') FROM duckdb_columns()
		WHERE database_name = coalesce(nullif(?, ''), current_database()) AND schema_name = 'main' AND (? = '' OR table_name = ?)`, database, table, table)
	if err != nil {
		return nil, fmt.Errorf("read the comments of %s: %w", what, err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var t, c, doc string
		if err := rows.Scan(&t, &c, &doc); err != nil {
			return nil, fmt.Errorf("read the comments of %s: %w", what, err)
		}
		if out[t] == nil {
			out[t] = map[string]string{}
		}
		out[t][c] = doc
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the comments of %s: %w", what, err)
	}
	return out, nil
}

// commentContract sets the column comments of every dataset table and its
// history from the contract, where the catalog's differ: the contract is
// code, so its words change with a release, not with a migration.
func commentContract(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("comment the contract's tables: %w", err)
	}
	defer tx.Rollback()
	want := map[[2]string]string{} // table, column: the contract's words
	var tables []string
	for _, d := range Datasets {
		for _, table := range []string{d.Name, d.Name + "_history"} {
			tables = append(tables, table)
			for _, c := range d.Columns {
				want[[2]string{table, c.Name}] = c.Describe(d.Name)
			}
			for _, s := range SystemColumns {
				want[[2]string{table, s.Name}] = s.Doc
			}
		}
	}
	// Nothing to compare when the catalog holds the words of this
	// release: reading duckdb_columns() costs more than the open.
	fingerprint := contractFingerprint(want)
	var have string
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(fingerprint), '') FROM schema_contract").Scan(&have); err != nil {
		return fmt.Errorf("read the contract's fingerprint: %w", err)
	}
	if have == fingerprint {
		return nil
	}
	// one reading of the catalog for every table
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name, coalesce(comment, '') FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND list_contains(?::VARCHAR[], table_name)
		ORDER BY table_name, column_index`, tables)
	if err != nil {
		return fmt.Errorf("read the comments of the contract's tables: %w", err)
	}
	var stmts []string
	for rows.Next() {
		var table, col, have string
		if err := rows.Scan(&table, &col, &have); err != nil {
			rows.Close()
			return fmt.Errorf("read the comments of the contract's tables: %w", err)
		}
		if doc, ok := want[[2]string{table, col}]; ok && doc != have {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s;", table, col, Quote(doc)))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the comments of the contract's tables: %w", err)
	}
	stmts = append(stmts, "DELETE FROM schema_contract;", "INSERT INTO schema_contract VALUES ("+Quote(fingerprint)+");")
	if _, err := tx.ExecContext(ctx, strings.Join(stmts, "\n")); err != nil {
		return fmt.Errorf("comment the contract's tables: %w", err)
	}
	return tx.Commit()
}

// contractFingerprint is the SHA-256 of the contract's words, by table and
// column in order.
func contractFingerprint(want map[[2]string]string) string {
	keys := slices.SortedFunc(maps.Keys(want), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", k[0], k[1], want[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Quote is s as an SQL string literal.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Ident is s as a SQL identifier in double quotes.
func Ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
