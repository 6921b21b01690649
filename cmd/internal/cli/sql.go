package cli

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/imet-project/imet/schemas"
)

// openSnapshot opens what analysts read: the published snapshot, read-only,
// and nothing else. The live warehouse holds names, birth years and flag
// detail that the snapshot leaves out, so there is no falling back to it.
func openSnapshot(ctx context.Context, ws *workspace) (*sql.DB, error) {
	if _, err := os.Stat(ws.Snapshot); errors.Is(err, fs.ErrNotExist) {
		if !ws.exists() {
			return nil, notWorkspace(ws.Root)
		}
		return nil, errors.New("no snapshot yet: run `imet run`")
	}
	return schemas.OpenReadOnly(ctx, ws.Snapshot)
}

func runSQL(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "sql", "[--workspace DIR] [--format table|csv|json|markdown] [--timeout SECONDS] [--max-rows N] [QUERY]",
		"Run SQL against the published snapshot, read-only: statements that would write are refused,\n"+
			"and so are settings (the configuration is locked), logging and profiling, and files outside it.\n"+
			"With no QUERY, a prompt reads statements ending in ';' from the terminal (or a file or pipe);\n"+
			"there Ctrl-C stops the statement under way and the prompt goes on.\n"+
			"Each statement may run [sql] timeout_seconds of imet.toml (300) and return [sql] max_rows\n"+
			"(1000000); --timeout and --max-rows change them for this call (0: no limit).\n"+
			"It reads the published snapshot (published/imet.duckdb, replaced after each 'imet run'),\n"+
			"so it never waits for the pipeline; before the first run there is nothing to read.\n"+
			"Tables (each documented: SELECT table_name, comment FROM duckdb_tables()): graduates,\n"+
			"comparison_members, people, outcomes, career_timeline, enrollments, enrollment_facts,\n"+
			"students_public, metric_latest, metric_values, data_quality, quarantine, batches, … See docs/schema.md.")
	wsFlag := workspaceFlag(fs)
	format := fs.String("format", "table", "table, csv, json or markdown")
	timeout := fs.Float64("timeout", 0, "stop a statement running longer than `SECONDS` (default: [sql] timeout_seconds of imet.toml; 0: no limit)")
	maxRows := fs.Int("max-rows", 0, "refuse a result of more than `N` rows (default: [sql] max_rows of imet.toml; 0: no limit)")
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
	lim := limits{timeout: seconds(ws.Config.SQL.TimeoutSeconds), maxRows: ws.Config.SQL.MaxRows}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["timeout"] {
		if !validSeconds(*timeout) {
			return &usageError{fmt.Sprintf("--timeout %v: give the time limit in seconds, e.g. --timeout 600 (0: no limit)", *timeout)}
		}
		lim.timeout = seconds(*timeout)
	}
	if set["max-rows"] {
		if *maxRows < 0 {
			return &usageError{fmt.Sprintf("--max-rows %d: give a number of rows, e.g. --max-rows 5000000 (0: no limit)", *maxRows)}
		}
		lim.maxRows = *maxRows
	}
	db, err := openSnapshot(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) > 0 {
		return query(ctx, db, e.stdout, strings.Join(pos, " "), *format, lim)
	}
	if term.IsTerminal(int(os.Stdin.Fd())) && isTerminal(e.stdout) {
		return terminalPrompt(ctx, db, *format, lim)
	}
	return prompt(ctx, db, os.Stdin, e.stdout, e.stderr, *format, lim)
}

// limits bound one statement of imet sql ([sql] of imet.toml).
type limits struct {
	timeout time.Duration // 0: none
	maxRows int           // 0: none
}

// validSeconds: a time limit in seconds is a number from 0 to about 30 years.
func validSeconds(s float64) bool { return s >= 0 && s <= 1e9 }

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// terminalPrompt is the interactive prompt on the real terminal, in raw
// mode (so Ctrl-C arrives as a key, not a signal), with the statements of
// this and earlier sessions kept in ~/.imet_history.
func terminalPrompt(ctx context.Context, db *sql.DB, format string, lim limits) error {
	in, out := int(os.Stdin.Fd()), int(os.Stdout.Fd())
	old, err := term.MakeRaw(in)
	if err != nil {
		return prompt(ctx, db, os.Stdin, os.Stdout, os.Stderr, format, lim)
	}
	defer term.Restore(in, old)
	c := console{in: os.Stdin, out: os.Stdout, size: func() (int, int) {
		w, h, err := term.GetSize(out)
		if err != nil {
			return 0, 0
		}
		return w, h
	}}
	if home, err := os.UserHomeDir(); err == nil {
		c.history = loadHistory(filepath.Join(home, ".imet_history"))
	}
	return interactive(ctx, db, c, format, lim)
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
	if e := strings.TrimSpace(entry); e == "" || e == `\q` || e == ".quit" || e == "exit" || (len(h.lines) > 0 && h.lines[len(h.lines)-1] == entry) {
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

func query(ctx context.Context, db *sql.DB, w io.Writer, q, format string, lim limits) error {
	t, err := queryTable(ctx, db, q, lim)
	if err != nil {
		return err
	}
	return t.write(w, format)
}

// queryTable runs one statement within lim and reads its result. A
// statement stopped by ctx (Ctrl-C) gives an error that is
// context.Canceled.
func queryTable(ctx context.Context, db *sql.DB, q string, lim limits) (*table, error) {
	res, err := schemas.QueryReadOnly(ctx, db, q, schemas.ConsoleLimits{Timeout: lim.timeout, MaxRows: lim.maxRows})
	switch {
	case err == nil:
		return &table{cols: res.Columns, rows: res.Rows}, nil
	case errors.Is(err, schemas.ErrTooManyRows):
		return nil, fmt.Errorf("the result has more than %d rows, the limit ([sql] max_rows in imet.toml, or --max-rows N): narrow it with WHERE or LIMIT, or aggregate", lim.maxRows)
	case errors.Is(err, schemas.ErrTimeLimit):
		return nil, fmt.Errorf("stopped: the statement ran longer than %s, the time limit ([sql] timeout_seconds in imet.toml, or --timeout SECONDS): narrow it, or raise the limit", lim.timeout)
	case errors.Is(err, schemas.ErrRefused):
		return nil, errors.New(strings.Replace(err.Error(), "the snapshot is read-only", "imet sql is read-only", 1))
	}
	return nil, err
}

// prompt reads statements ending in ';' (and the prompt's commands) from a
// file or pipe and runs each; an error is shown and the prompt goes on.
// An interrupt (SIGINT) stops the statement under way and the prompt goes on.
func prompt(ctx context.Context, db *sql.DB, in io.Reader, out, errw io.Writer, format string, lim limits) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	s := &session{db: db, out: out, errw: errw, format: format, lim: lim}
	defer claimInterrupts(ctx, s.stmt.interrupt)()
	if w := terminalWidth(out); w > 0 {
		s.width = func() int { return terminalWidth(out) }
	}
	var stmt strings.Builder
	fmt.Fprint(out, "imet> ")
	for sc.Scan() {
		line := sc.Text()
		if stmt.Len() == 0 {
			handled, quit := s.command(ctx, line)
			if quit {
				return nil
			}
			if handled || strings.TrimSpace(line) == "" {
				fmt.Fprint(out, "imet> ")
				continue
			}
		}
		stmt.WriteString(line + "\n")
		if !strings.HasSuffix(strings.TrimSpace(line), ";") {
			fmt.Fprint(out, "  ...> ")
			continue
		}
		s.run(ctx, stmt.String())
		stmt.Reset()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprint(out, "imet> ")
	}
	fmt.Fprintln(out)
	return sc.Err()
}
