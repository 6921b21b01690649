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
	"path/filepath"
	"strings"

	"golang.org/x/term"

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
			"It reads the published snapshot (published/imet.duckdb, replaced after each 'imet run'),\n"+
			"so it never waits for the pipeline; before the first run, the warehouse itself.\n"+
			"Tables (each documented: SELECT table_name, comment FROM duckdb_tables()): graduates,\n"+
			"comparison_members, people, outcomes, career_timeline, enrollments, enrollment_facts,\n"+
			"students_public, metric_latest, metric_values, data_quality, quarantine, batches, … See docs/schema.md.")
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
	if term.IsTerminal(int(os.Stdin.Fd())) && isTerminal(e.stdout) {
		return terminalPrompt(ctx, db, *format)
	}
	return prompt(ctx, db, os.Stdin, e.stdout, e.stderr, *format)
}

// terminalPrompt is the interactive prompt on a terminal: line editing,
// and up/down through the statements of this and earlier sessions
// (kept in ~/.imet_history).
func terminalPrompt(ctx context.Context, db *sql.DB, format string) error {
	old, err := term.MakeRaw(int(os.Stdin.Fd()))
	if err != nil {
		return prompt(ctx, db, os.Stdin, os.Stdout, os.Stderr, format)
	}
	defer term.Restore(int(os.Stdin.Fd()), old)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{os.Stdin, os.Stdout}, "imet> ")
	if home, err := os.UserHomeDir(); err == nil {
		t.History = loadHistory(filepath.Join(home, ".imet_history"))
	}
	fmt.Fprintln(t, `Read-only SQL; end a statement with ';'. Up and down recall earlier ones; \q leaves.`)
	var stmt strings.Builder
	for {
		line, err := t.ReadLine()
		if err == io.EOF || (stmt.Len() == 0 && (strings.TrimSpace(line) == `\q` || strings.TrimSpace(line) == "exit")) {
			return nil
		}
		if err != nil {
			return err
		}
		stmt.WriteString(line + "\n")
		if !strings.HasSuffix(strings.TrimSpace(line), ";") {
			t.SetPrompt("  ...> ")
			continue
		}
		if err := query(ctx, db, t, stmt.String(), format); err != nil {
			fmt.Fprintln(t, "error:", err)
		}
		stmt.Reset()
		t.SetPrompt("imet> ")
	}
}

// fileHistory is the prompt's history, appended to a file as it grows.
type fileHistory struct {
	lines []string // oldest first
	path  string
}

func loadHistory(path string) *fileHistory {
	h := &fileHistory{path: path}
	if b, err := os.ReadFile(path); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" {
				h.lines = append(h.lines, l)
			}
		}
	}
	if len(h.lines) > 1000 {
		h.lines = h.lines[len(h.lines)-1000:]
	}
	return h
}

func (h *fileHistory) Add(entry string) {
	if e := strings.TrimSpace(entry); e == "" || e == `\q` || e == "exit" || (len(h.lines) > 0 && h.lines[len(h.lines)-1] == entry) {
		return
	}
	h.lines = append(h.lines, entry)
	if f, err := os.OpenFile(h.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		f.WriteString(entry + "\n")
		f.Close()
	}
}

func (h *fileHistory) Len() int { return len(h.lines) }

func (h *fileHistory) At(i int) string { return h.lines[len(h.lines)-1-i] }

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
