package schemas

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ConsoleLimits bound one statement of the read-only SQL console ([sql]
// of imet.toml), which `imet sql` and `imet serve` share.
type ConsoleLimits struct {
	Timeout time.Duration // 0: none
	MaxRows int           // 0: none
}

// Result is what one console statement returned.
type Result struct {
	Columns []string
	Types   []string // DuckDB's type name of each column
	Rows    [][]any
}

// ErrTooManyRows: a result had more rows than ConsoleLimits.MaxRows.
var ErrTooManyRows = errors.New("too many rows")

// ErrTimeLimit: a statement ran longer than ConsoleLimits.Timeout.
var ErrTimeLimit = errors.New("time limit")

// ErrRefused marks a statement the console does not run (one that would
// write, change a setting or reach a file); the error's text says which.
var ErrRefused = errors.New("refused")

// QueryReadOnly runs one statement on a database opened with OpenReadOnly,
// within lim, and reads its result. Its errors are DuckDB's own message
// (with its position marker), or wrap ErrRefused, ErrTooManyRows or
// ErrTimeLimit; a statement stopped by ctx gives an error that is ctx's.
func QueryReadOnly(ctx context.Context, db *sql.DB, q string, lim ConsoleLimits) (*Result, error) {
	if err := CheckReadOnlySQL(q); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	qctx := ctx
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		qctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	rows, err := db.QueryContext(qctx, q)
	var res *Result
	if err == nil {
		res, err = readResult(rows, lim.MaxRows)
	}
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, ErrTooManyRows):
		return nil, fmt.Errorf("%w: the result has more than %d rows", ErrTooManyRows, lim.MaxRows)
	case ctx.Err() != nil:
		// DuckDB may answer the interrupt with its own error
		// ("INTERRUPT Error") rather than the context's.
		if errors.Is(err, ctx.Err()) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ctx.Err(), err)
	case qctx.Err() != nil:
		return nil, fmt.Errorf("%w: the statement ran longer than %s", ErrTimeLimit, lim.Timeout)
	}
	msg := err.Error()
	if strings.Contains(msg, "read-only mode") || strings.Contains(msg, "read_only") ||
		strings.Contains(msg, "disabled by configuration") {
		return nil, fmt.Errorf("%w: the snapshot is read-only (%s)", ErrRefused, msg)
	}
	return nil, errors.New(msg)
}

// readResult reads at most max rows (0: any number), and fails with
// ErrTooManyRows, having read no more than one row beyond, when there are
// more.
func readResult(rows *sql.Rows, max int) (*Result, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols}
	for _, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
	}
	for rows.Next() {
		if max > 0 && len(res.Rows) == max {
			return nil, ErrTooManyRows
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}
