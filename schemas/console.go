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
	if err := CheckQueryStatements(q); err != nil {
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
		res, err = ReadResult(rows, lim.MaxRows)
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
		strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "disabled through configuration") ||
		strings.Contains(msg, "configuration has been locked") {
		return nil, fmt.Errorf("%w: the snapshot is read-only (%s)", ErrRefused, msg)
	}
	return nil, errors.New(msg)
}

// ReadResult reads rows (and closes them): at most max rows (0: any number), and fails with
// ErrTooManyRows, having read no more than one row beyond, when there are
// more.
func ReadResult(rows *sql.Rows, max int) (*Result, error) {
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

// refusedKeywords are the first words of statements the console does not
// run, with what they would do. DuckDB refuses most of them on a
// read-only database too, but only once it has bound the statement (an
// INSERT with a mistake says the mistake, not that it may not write),
// and a TEMP table or a macro it would create, in memory, for the pooled
// connection, which the next statement might find.
var refusedKeywords = map[string]string{
	"INSERT": "writes", "UPDATE": "writes", "DELETE": "writes", "MERGE": "writes", "TRUNCATE": "writes", "UPSERT": "writes",
	"CREATE": "creates objects", "DROP": "drops objects", "ALTER": "changes objects", "COMMENT": "changes objects",
	"ATTACH": "attaches a database", "DETACH": "detaches a database", "USE": "changes the database in use",
	"COPY": "reads or writes files", "EXPORT": "writes files", "IMPORT": "reads files",
	"FORCE":      "installs an extension",
	"CHECKPOINT": "writes the database", "VACUUM": "writes the database", "ANALYZE": "writes statistics",
	"BEGIN": "opens a transaction", "START": "opens a transaction", "COMMIT": "ends a transaction", "ROLLBACK": "ends a transaction", "ABORT": "ends a transaction", "END": "ends a transaction",
	"PREPARE": "prepares statements", "EXECUTE": "runs prepared statements", "DEALLOCATE": "prepares statements",
}

// CheckQueryStatements refuses a console statement that is not a query:
// one whose first word (of any of its statements, when there are several)
// writes, creates, attaches, copies or handles transactions. DuckDB itself
// refuses the rest, with its own words, which QueryReadOnly marks refused:
// settings (the configuration is locked), extensions and file reads inside
// a query (read_csv, glob: external access is off).
func CheckQueryStatements(q string) error {
	for _, st := range splitStatements(q) {
		w := strings.ToUpper(firstWord(st))
		if why, ok := refusedKeywords[w]; ok {
			return fmt.Errorf("the snapshot is read-only and the console only reads: %s %s", w, why)
		}
	}
	return nil
}

// splitStatements cuts q at the semicolons outside quotes and comments,
// each part without its leading comments.
func splitStatements(q string) []string {
	var out []string
	start := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\'' || c == '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				i = len(q)
			} else {
				i += j + 1
			}
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				i = len(q)
			} else {
				i += j
			}
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			j := strings.Index(q[i+2:], "*/")
			if j < 0 {
				i = len(q)
			} else {
				i += j + 3
			}
		case c == ';':
			out = append(out, q[start:i])
			start = i + 1
		}
	}
	return append(out, q[start:])
}

// firstWord is the first keyword of one statement, past blanks, comments
// and opening parentheses.
func firstWord(st string) string {
	for {
		st = strings.TrimLeft(st, " \t\r\n(")
		switch {
		case strings.HasPrefix(st, "--"):
			if j := strings.IndexByte(st, '\n'); j >= 0 {
				st = st[j+1:]
				continue
			}
			return ""
		case strings.HasPrefix(st, "/*"):
			if j := strings.Index(st, "*/"); j >= 0 {
				st = st[j+2:]
				continue
			}
			return ""
		}
		break
	}
	end := strings.IndexFunc(st, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if end < 0 {
		end = len(st)
	}
	return st[:end]
}
