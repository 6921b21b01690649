package cli

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"
)

// screen is a fake terminal's screen: what the prompt wrote, which a test
// waits on.
type screen struct {
	mu   sync.Mutex
	cond *sync.Cond
	b    bytes.Buffer
	done bool // the prompt returned
	seen int  // how far waitFor has read
}

func newScreen() *screen {
	s := &screen{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cond.Broadcast()
	return s.b.Write(p)
}

func (s *screen) finish() {
	s.mu.Lock()
	s.done = true
	s.cond.Broadcast()
	s.mu.Unlock()
}

// waitFor waits until want appears after what earlier waits saw, and
// returns the output in between.
func (s *screen) waitFor(t *testing.T, want string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		rest := s.b.String()[s.seen:]
		if i := strings.Index(rest, want); i >= 0 {
			s.seen += i + len(want)
			return rest[:i+len(want)]
		}
		if s.done {
			t.Fatalf("the prompt ended before it wrote %q; after the last match it wrote:\n%s", want, rest)
		}
		s.cond.Wait()
	}
}

// fakeTerminal runs the interactive prompt on db with a screen of the
// given width; type sends keys as a terminal in raw mode would.
type fakeTerminal struct {
	keys   *io.PipeWriter
	screen *screen
	result chan error
}

func startPrompt(t *testing.T, db *sql.DB, width int) *fakeTerminal {
	t.Helper()
	return startPromptWithin(t, db, width, limits{})
}

// startPromptWithin is startPrompt with the limits of imet sql.
func startPromptWithin(t *testing.T, db *sql.DB, width int, lim limits) *fakeTerminal {
	t.Helper()
	pr, pw := io.Pipe()
	f := &fakeTerminal{keys: pw, screen: newScreen(), result: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); pw.Close() })
	go func() {
		err := interactive(ctx, db, console{in: pr, out: f.screen, size: func() (int, int) { return width, 24 }}, "table", lim)
		f.screen.finish()
		f.result <- err
	}()
	f.screen.waitFor(t, "imet> ")
	return f
}

// do types a line and Enter, and returns what the prompt wrote up to its
// next "imet> ".
func (f *fakeTerminal) do(t *testing.T, line string) string {
	t.Helper()
	f.typeKeys(t, line+"\r")
	return f.screen.waitFor(t, "imet> ")
}

func (f *fakeTerminal) typeKeys(t *testing.T, keys string) {
	t.Helper()
	if _, err := f.keys.Write([]byte(keys)); err != nil {
		t.Fatalf("type %q: %v", keys, err)
	}
}

// ended waits for the prompt to return and says whether it returned nil.
func (f *fakeTerminal) ended(t *testing.T) {
	t.Helper()
	if err := <-f.result; err != nil {
		t.Fatalf("the prompt returned %v", err)
	}
}

const longComment = "The students dataset as loaded: the current version of every valid row, with its provenance (batch, file, line), without the personal columns (family_name, given_names, birth_year). END-OF-COMMENT"

func promptDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(t.TempDir(), "p.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`CREATE TABLE students_public (student_id VARCHAR, country_code VARCHAR, sex VARCHAR)`,
		`COMMENT ON TABLE students_public IS 'One row per person, without names. TABLE-END'`,
		`COMMENT ON COLUMN students_public.student_id IS '` + longComment + `'`,
		`COMMENT ON COLUMN students_public.country_code IS 'ISO 3166-1 alpha-3'`,
		`INSERT INTO students_public VALUES ('S1', 'KEN', 'F'), ('S2', 'GHA', 'M')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// Ctrl-C clears the line being typed, and a statement spread over lines;
// it never leaves the prompt. Ctrl-D on an empty line does.
func TestPromptCtrlCClearsTheLine(t *testing.T) {
	t.Parallel()
	f := startPrompt(t, promptDB(t), 80)
	f.typeKeys(t, "SELECT 'half typed")
	f.screen.waitFor(t, "half typed")
	f.typeKeys(t, "\x03")
	f.screen.waitFor(t, "imet> ")
	if out := f.do(t, "SELECT 1 AS one;"); !strings.Contains(out, "one") || !strings.Contains(out, "(1 row)") || strings.Contains(out, "error") {
		t.Errorf("after Ctrl-C, the next statement:\n%s", out)
	}
	f.typeKeys(t, "SELECT\r")
	f.screen.waitFor(t, "...> ")
	f.typeKeys(t, "\x03")
	f.screen.waitFor(t, "imet> ")
	if out := f.do(t, "SELECT 2 AS two;"); !strings.Contains(out, "two") || !strings.Contains(out, "(1 row)") || strings.Contains(out, "error") {
		t.Errorf("Ctrl-C on a continuation line left the statement's start behind:\n%s", out)
	}
	f.typeKeys(t, "\x04")
	f.ended(t)
}

// Ctrl-C stops a query that would run for hours, the prompt says it was
// cancelled, and the next statement runs.
func TestPromptCtrlCCancelsTheRunningQuery(t *testing.T) {
	t.Parallel()
	f := startPrompt(t, promptDB(t), 200)
	f.typeKeys(t, "SELECT sum(a.range * b.range) AS s FROM range(100000000) a, range(100000000) b;\r")
	f.screen.waitFor(t, "b;\r\n") // the line editor ended the line: the query runs
	f.typeKeys(t, "\x03")
	if out := f.screen.waitFor(t, "imet> "); !strings.Contains(out, "cancelled: the query was stopped") {
		t.Fatalf("after Ctrl-C during a query:\n%s", out)
	}
	if out := f.do(t, "SELECT 42 AS answer;"); !strings.Contains(out, "42") {
		t.Errorf("the statement after a cancelled one:\n%s", out)
	}
	f.typeKeys(t, `\q`+"\r")
	f.ended(t)
}

// The dot-commands: .tables, .schema and \d with whole descriptions,
// .mode, help; .quit leaves.
func TestPromptCommands(t *testing.T) {
	t.Parallel()
	f := startPrompt(t, promptDB(t), 60)
	if out := f.do(t, ".tables"); !strings.Contains(out, "students_public") || !strings.Contains(out, "TABLE-END") {
		t.Errorf(".tables:\n%s", out)
	}
	for _, cmd := range []string{`\d students_public`, ".schema STUDENTS_PUBLIC"} {
		out := f.do(t, cmd)
		// The long description is all there, wrapped to the screen.
		flat := strings.Join(strings.Fields(strings.NewReplacer("…", " ", "\r", " ").Replace(out)), " ")
		for _, want := range []string{"VARCHAR", "ISO 3166-1 alpha-3", "END-OF-COMMENT", "TABLE-END", "family_name, given_names, birth_year", "(3 rows)"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s lacks %q:\n%s", cmd, want, out)
			}
		}
		for _, l := range strings.Split(out, "\r\n") {
			if n := utf8.RuneCountInString(l); n > 60 {
				t.Errorf("%s: a line of %d characters on a screen of 60: %q", cmd, n, l)
			}
		}
		if !strings.Contains(out, "…") {
			t.Errorf("%s: no wrap marker:\n%s", cmd, out)
		}
	}
	if out := f.do(t, `\d nosuch`); !strings.Contains(out, `no table or view "nosuch"`) {
		t.Errorf("\\d nosuch:\n%s", out)
	}
	f.do(t, ".mode csv")
	if out := f.do(t, "SELECT student_id, sex FROM students_public ORDER BY 1;"); !strings.Contains(out, "student_id,sex\r\nS1,F\r\nS2,M\r\n") {
		t.Errorf(".mode csv:\n%q", out)
	}
	if out := f.do(t, ".mode yaml"); !strings.Contains(out, "use table, csv, json or markdown") {
		t.Errorf(".mode yaml:\n%s", out)
	}
	for _, h := range []string{"help", ".help"} {
		if out := f.do(t, h); !strings.Contains(out, ".schema T") || !strings.Contains(out, "now: csv") {
			t.Errorf("%s:\n%s", h, out)
		}
	}
	f.typeKeys(t, ".quit\r")
	f.ended(t)
}

// Table output fits the screen: a long value wraps with a marker instead
// of running off the edge or being cut silently.
func TestTableFitsTheScreen(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 40) + "LAST"
	tb := &table{cols: []string{"id", "text", "n"}, rows: [][]any{{"a", long, int64(7)}}, width: 40}
	var b strings.Builder
	tb.write(&b, "table")
	out := b.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > 40 {
			t.Errorf("line of %d characters on a screen of 40: %q", n, l)
		}
	}
	if !strings.Contains(out, "LAST") || !strings.Contains(out, "…") || !strings.Contains(out, "7") {
		t.Errorf("wrapped table:\n%s", out)
	}
	// Off a screen, values are cut at 60 characters, marked.
	tb.width = 0
	b.Reset()
	tb.write(&b, "table")
	if out := b.String(); strings.Contains(out, "LAST") || !strings.Contains(out, "…") {
		t.Errorf("table off a screen:\n%s", out)
	}
}
