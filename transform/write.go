package transform

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// writeRecords appends records (column: value; a column left out is NULL)
// to a table kept per (as_of, vintage), for the run's D and vintage. Each
// value is converted to the column's type as the catalog gives it, so the
// DDL is the only list of the columns and their types; the rows go through
// DuckDB's appender on the run's connection, inside its transaction, which
// is many times faster than any INSERT of the same rows.
func (c *computer) writeRecords(ctx context.Context, table string, recs []map[string]any) (int64, error) {
	if len(recs) == 0 {
		return 0, nil
	}
	cols, err := c.columns(ctx, table)
	if err != nil {
		return 0, err
	}
	rows := make([][]driver.Value, len(recs))
	for i, rec := range recs {
		row := make([]driver.Value, len(cols))
		for j, col := range cols {
			v, ok := rec[col.name]
			switch col.name {
			case "as_of":
				v, ok = c.opt.AsOf, true
			case "vintage":
				v, ok = c.vintage, true
			}
			if !ok {
				continue
			}
			if row[j], err = asColumn(v, col.typ); err != nil {
				return 0, fmt.Errorf("write %s.%s: %w", table, col.name, err)
			}
		}
		rows[i] = row
	}
	if err := c.appendRows(table, rows); err != nil {
		return 0, fmt.Errorf("write %s: %w", table, err)
	}
	return int64(len(recs)), nil
}

// appendRows appends rows, each in the table's column order, to a table
// of the warehouse through DuckDB's appender on the run's connection.
func (c *computer) appendRows(table string, rows [][]driver.Value) error {
	if len(rows) == 0 {
		return nil
	}
	if c.conn == nil {
		return fmt.Errorf("write %s: the computer has no connection to write on", table)
	}
	return c.conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := a.AppendRow(r...); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
}

type column struct{ name, typ string }

// columns are the table's columns in order, with their types, read from
// the catalog once per run.
func (c *computer) columns(ctx context.Context, table string) ([]column, error) {
	if cols, ok := c.tables[table]; ok {
		return cols, nil
	}
	rows, err := c.tx.QueryContext(ctx, `SELECT column_name, data_type FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, table)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var col column
		if err := rows.Scan(&col.name, &col.typ); err != nil {
			return nil, fmt.Errorf("read the columns of %s: %w", table, err)
		}
		cols = append(cols, col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("read the columns of %s: no such table", table)
	}
	if c.tables == nil {
		c.tables = map[string][]column{}
	}
	c.tables[table] = cols
	return cols, nil
}

// asColumn converts a Go value to what the appender takes for a column of
// type typ; NaN and infinities are NULL, as nothing can be computed there.
func asColumn(v any, typ string) (driver.Value, error) {
	if v == nil {
		return nil, nil
	}
	var f float64
	isNumber := true
	switch x := v.(type) {
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	default:
		isNumber = false
	}
	switch {
	case typ == "DOUBLE" && isNumber:
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, nil
		}
		return f, nil
	case (typ == "BIGINT" || typ == "INTEGER") && isNumber:
		if f != math.Trunc(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%v is not a whole number", v)
		}
		if typ == "INTEGER" {
			return int32(f), nil
		}
		return int64(f), nil
	}
	switch x := v.(type) {
	case string:
		if typ == "VARCHAR" {
			return x, nil
		}
	case bool:
		if typ == "BOOLEAN" {
			return x, nil
		}
	case time.Time:
		if typ == "DATE" {
			return x, nil
		}
	}
	return nil, fmt.Errorf("a %T (%v) cannot be written to a %s column", v, v, typ)
}

// begin opens the connection and transaction a run computes and writes
// on: the appender works on the connection, within its transaction.
func begin(ctx context.Context, db *sql.DB) (*sql.Conn, *sql.Tx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, tx, nil
}
