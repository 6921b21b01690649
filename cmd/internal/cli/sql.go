package cli

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// openReader opens what analysts read: the published snapshot when there is
// one, else the live warehouse, read-only either way.
func openReader(ctx context.Context, ws *workspace) (*sql.DB, error) {
	path := ws.Snapshot
	if _, err := os.Stat(path); err != nil {
		path = ws.Warehouse
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no warehouse in %s: run 'imet init' and 'imet ingest' there first, or pass --workspace", ws.Root)
	}
	db, err := schemas.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%w (while a pipeline writes the warehouse, read the published snapshot instead)", err)
	}
	return db, nil
}

func runSQL(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "sql", "[--format table|csv|json|markdown] [QUERY]",
		"Run SQL against the warehouse, read-only: statements that would write are refused.\n"+
			"With no QUERY, a prompt reads statements ending in ';' from the terminal.\n"+
			"Tables: students, enrollments, courses, countries, career_events, hr_flags, allocations,\n"+
			"quarantine, link_review, batches, files. See docs/schema.md.")
	wsFlag := workspaceFlag(fs)
	format := fs.String("format", "table", "table, csv, json or markdown")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneOf("format", *format, formats...); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	db, err := openReader(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) > 0 {
		return query(ctx, db, e.stdout, strings.Join(pos, " "), *format)
	}
	return prompt(ctx, db, os.Stdin, e.stdout, e.stderr, *format)
}

func query(ctx context.Context, db *sql.DB, w io.Writer, q, format string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return sqlError(err)
	}
	t, err := readTable(rows)
	if err != nil {
		return sqlError(err)
	}
	return t.write(w, format)
}

// sqlError keeps DuckDB's own message (with its position marker) and says
// plainly when a statement was refused for writing.
func sqlError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "read-only mode") || strings.Contains(msg, "read_only") ||
		strings.Contains(msg, "disabled by configuration") {
		return fmt.Errorf("refused: imet sql is read-only (%s)", msg)
	}
	return errors.New(msg)
}

// prompt reads statements ending in ';' and runs each; an error is shown and
// the prompt goes on.
func prompt(ctx context.Context, db *sql.DB, in io.Reader, out, errw io.Writer, format string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var stmt strings.Builder
	fmt.Fprint(out, "imet> ")
	for sc.Scan() {
		line := sc.Text()
		if stmt.Len() == 0 && (strings.TrimSpace(line) == `\q` || strings.TrimSpace(line) == "exit") {
			return nil
		}
		stmt.WriteString(line + "\n")
		if !strings.HasSuffix(strings.TrimSpace(line), ";") {
			fmt.Fprint(out, "  ...> ")
			continue
		}
		if err := query(ctx, db, out, stmt.String(), format); err != nil {
			fmt.Fprintln(errw, "error:", err)
		}
		stmt.Reset()
		fmt.Fprint(out, "imet> ")
	}
	fmt.Fprintln(out)
	return sc.Err()
}
