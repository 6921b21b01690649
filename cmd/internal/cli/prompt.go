package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"
)

// console is what the interactive prompt talks to: keys in (raw, as a
// terminal in raw mode sends them), the screen out, and the screen's size.
// terminalPrompt wires it to the real terminal; tests drive it with a pipe.
type console struct {
	in      io.Reader
	out     io.Writer
	size    func() (width, height int)
	history term.History // nil: this session's statements only
}

const (
	ctrlC = 3
	// clearAndEnd is what the line editor is given for a Ctrl-C: go to
	// the end of the line, erase it, and end it, so that ReadLine returns
	// (x/term itself would treat Ctrl-C as the end of input).
	clearAndEnd = "\x05\x15\r"
)

// keys is the prompt's input. One goroutine reads it, so that while a
// query runs the prompt can still watch for Ctrl-C; only the prompt's own
// goroutine takes from it, either through Read (the line editor) or watch
// (a running query).
type keys struct {
	ctx         context.Context
	ch          chan chunk
	pending     []byte // read but not yet given to the line editor
	err         error  // the input's end, once read
	interrupted bool   // the last line given to the line editor ended with Ctrl-C
}

type chunk struct {
	b   []byte
	err error
}

func newKeys(ctx context.Context, r io.Reader) *keys {
	k := &keys{ctx: ctx, ch: make(chan chunk)}
	go func() {
		for {
			buf := make([]byte, 256)
			n, err := r.Read(buf)
			select {
			case k.ch <- chunk{buf[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return k
}

// Read gives the line editor the keys typed, with each Ctrl-C replaced by
// clearAndEnd, handed over alone so that the line it ends is known.
func (k *keys) Read(p []byte) (int, error) {
	if len(k.pending) == 0 {
		if k.err != nil {
			return 0, k.err
		}
		select {
		case c := <-k.ch:
			k.pending, k.err = c.b, c.err
		case <-k.ctx.Done():
			return 0, io.EOF
		}
		if len(k.pending) == 0 {
			return 0, k.err
		}
	}
	switch i := bytes.IndexByte(k.pending, ctrlC); {
	case i == 0 && len(p) >= len(clearAndEnd):
		k.pending = k.pending[1:]
		k.interrupted = true
		return copy(p, clearAndEnd), nil
	case i > 0:
		n := copy(p, k.pending[:i])
		k.pending = k.pending[n:]
		return n, nil
	}
	n := copy(p, k.pending)
	k.pending = k.pending[n:]
	return n, nil
}

// watch waits for done, cancelling the query on a Ctrl-C; other keys typed
// meanwhile are kept for the line editor.
func (k *keys) watch(done <-chan struct{}, cancel context.CancelFunc) {
	take := func(b []byte) {
		if bytes.IndexByte(b, ctrlC) >= 0 {
			cancel()
			b = bytes.ReplaceAll(b, []byte{ctrlC}, nil)
		}
		k.pending = append(k.pending, b...)
	}
	old := k.pending
	k.pending = nil
	take(old)
	for k.err == nil {
		select {
		case <-done:
			return
		case c := <-k.ch:
			take(c.b)
			k.err = c.err
		}
	}
	<-done
}

// session is one prompt's state: the snapshot, how results print.
type session struct {
	db     *sql.DB
	out    io.Writer
	errw   io.Writer
	format string
	width  func() int // the screen's width; nil: not a screen (values are never cut)
	lim    limits
	stmt   statement // the statement under way, which an interrupt stops
}

func (s *session) screenWidth() int {
	if s.width == nil {
		return -1
	}
	if w := s.width(); w > 0 {
		return w
	}
	return -1
}

// show prints a result in the session's format, fitted to the screen.
func (s *session) show(t *table) error {
	t.width = s.screenWidth()
	return t.write(s.out, s.format)
}

// run runs one statement and prints its result or its error.
func (s *session) run(ctx context.Context, q string) {
	qctx, end := s.stmt.begin(ctx)
	t, err := queryTable(qctx, s.db, q, s.lim)
	end()
	s.report(t, err)
}

// report prints a statement's result, or what went wrong: a query stopped
// by Ctrl-C (its context cancelled) says so.
func (s *session) report(t *table, err error) {
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(s.errw, "cancelled: the query was stopped (Ctrl-C)")
	case err != nil:
		fmt.Fprintln(s.errw, "error:", err)
	default:
		if err := s.show(t); err != nil {
			fmt.Fprintln(s.errw, "error:", err)
		}
	}
}

const promptHelp = `Statements end with ';' and may span lines. Ctrl-C clears the line, or stops
a running query; Ctrl-D, .quit or \q leaves.
  .tables            the tables and views, with what each holds
  .schema T, \d T    the columns of T: type and description
  .mode MODE         print results as table, csv, json or markdown (now: %s)
  .help, help        this text
The tables and columns are described in docs/schema.md too.
`

// command runs line when it is one of the prompt's own commands (a
// dot-command, \d, \q, help) and says whether it was, and whether it
// asks to leave. Statements are anything else.
func (s *session) command(ctx context.Context, line string) (handled, quit bool) {
	f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ";"))
	if len(f) == 0 {
		return false, false
	}
	name := strings.ToLower(f[0])
	if !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, `\`) && name != "help" && name != "exit" && name != "quit" {
		return false, false
	}
	if (name == "exit" || name == "quit" || name == "help") && len(f) > 1 {
		return false, false // a statement that starts with the word
	}
	switch name {
	case ".quit", ".exit", `\q`, "exit", "quit":
		return true, true
	case ".help", "help", `\?`, `\h`:
		fmt.Fprintf(s.out, promptHelp, s.format)
	case ".tables", `\dt`:
		s.tables(ctx)
	case ".schema", `\d`:
		if len(f) == 1 {
			s.tables(ctx)
		} else {
			s.describe(ctx, f[1])
		}
	case ".mode":
		if len(f) == 1 {
			fmt.Fprintf(s.out, "mode %s (table, csv, json or markdown)\n", s.format)
		} else if err := oneOf("mode", f[1], formats...); err != nil {
			fmt.Fprintf(s.errw, "error: .mode %s: use table, csv, json or markdown\n", f[1])
		} else {
			s.format = f[1]
		}
	default:
		fmt.Fprintf(s.errw, "error: unknown command %s: .help lists them\n", f[0])
	}
	return true, false
}

func (s *session) tables(ctx context.Context) {
	s.run(ctx, `SELECT table_name AS name, 'table' AS kind, coalesce(comment, '') AS description FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		UNION ALL SELECT view_name, 'view', coalesce(comment, '') FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		ORDER BY name`)
}

// describe prints a table's description and its columns with their types
// and whole descriptions.
func (s *session) describe(ctx context.Context, name string) {
	name = strings.Trim(name, `"`)
	var tname, comment string
	err := s.db.QueryRowContext(ctx, `SELECT name, comment FROM (
		SELECT table_name AS name, coalesce(comment, '') AS comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
		UNION ALL SELECT view_name, coalesce(comment, '') FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal)
		WHERE lower(name) = lower(?) ORDER BY name = ? DESC LIMIT 1`, name, name).Scan(&tname, &comment)
	if errors.Is(err, sql.ErrNoRows) {
		fmt.Fprintf(s.errw, "error: no table or view %q: .tables lists them\n", name)
		return
	}
	if err != nil {
		fmt.Fprintln(s.errw, "error:", err)
		return
	}
	rows, err := s.db.QueryContext(ctx, `SELECT column_name AS "column", data_type AS type, coalesce(comment, '') AS description
		FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, tname)
	if err != nil {
		fmt.Fprintln(s.errw, "error:", err)
		return
	}
	t, err := readTable(rows)
	if err != nil {
		fmt.Fprintln(s.errw, "error:", err)
		return
	}
	if s.format == "table" || s.format == "markdown" {
		for _, l := range wrap(tname+": "+comment, s.screenWidth()) {
			fmt.Fprintln(s.out, l)
		}
	}
	s.show(t)
}

// interactive is the prompt on a screen: line editing and history (x/term),
// Ctrl-C that clears the line or stops the query under way and never
// leaves, the dot-commands, and tables fitted to the screen's width.
func interactive(ctx context.Context, db *sql.DB, c console, format string, lim limits) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	k := newKeys(ctx, c.in)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{k, c.out}, "imet> ")
	if c.history != nil {
		t.History = c.history
	}
	width := func() int {
		if c.size == nil {
			return 0
		}
		w, _ := c.size()
		return w
	}
	s := &session{db: db, out: t, errw: t, format: format, width: width, lim: lim}
	defer claimInterrupts(ctx, s.stmt.interrupt)() // a SIGINT (kill -INT) acts as Ctrl-C
	fmt.Fprintln(t, `Read-only SQL on the published snapshot; end a statement with ';'. .help shows the commands; \q leaves.`)
	var stmt strings.Builder
	for {
		if c.size != nil {
			if w, h := c.size(); w > 0 && h > 0 {
				t.SetSize(w, h)
			}
		}
		line, err := t.ReadLine()
		if ctx.Err() != nil {
			return nil
		}
		if k.interrupted {
			k.interrupted = false
			stmt.Reset()
			t.SetPrompt("imet> ")
			continue
		}
		if err == io.EOF {
			fmt.Fprintln(t)
			return nil
		}
		if err != nil && !errors.Is(err, term.ErrPasteIndicator) {
			return err
		}
		if stmt.Len() == 0 {
			if handled, quit := s.command(ctx, line); quit {
				return nil
			} else if handled {
				continue
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
		}
		stmt.WriteString(line + "\n")
		if !strings.HasSuffix(strings.TrimSpace(line), ";") {
			t.SetPrompt("  ...> ")
			continue
		}
		q := stmt.String()
		stmt.Reset()
		t.SetPrompt("imet> ")
		qctx, end := s.stmt.begin(ctx)
		var res *table
		var qerr error
		done := make(chan struct{})
		go func() {
			defer close(done)
			res, qerr = queryTable(qctx, db, q, s.lim)
		}()
		k.watch(done, s.stmt.interrupt)
		end()
		if ctx.Err() != nil {
			return nil
		}
		s.report(res, qerr)
	}
}
