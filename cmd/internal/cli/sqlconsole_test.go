package cli

import (
	"bufio"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// consoleWorkspace is a workspace with imet.toml holding toml and a
// published snapshot of one small table (what imet sql reads), without
// running the pipeline.
func consoleWorkspace(t *testing.T, toml string) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "imet.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(ws, "published"), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", filepath.Join(ws, "published", "imet.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE students_public AS SELECT 'S' || i AS student_id FROM range(20) t(i)`); err != nil {
		t.Fatal(err)
	}
	return ws
}

// forever is a statement that no machine finishes: only a limit or an
// interrupt ends it.
const forever = "SELECT sum(a.range * b.range) AS s FROM range(100000000000) a, range(100000000000) b"

// imet sql's limits and its locked configuration: a statement past the time
// limit is stopped, a result past the row limit refused, settings, logging
// paths, profiling and SQL run from strings refused with an error (not an
// abort of the process), and the flags that set the limits parsed strictly.
func TestSQLConsoleLimits(t *testing.T) {
	t.Parallel()
	ws := consoleWorkspace(t, "[sql]\ntimeout_seconds = 0.3\nmax_rows = 15\n")
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string // in the output
	}{
		{"time limit of imet.toml", []string{forever}, 1, []string{"stopped: the statement ran longer than 300ms, the time limit ([sql] timeout_seconds"}},
		{"time limit of the flag", []string{"--timeout", "0.1", forever}, 1, []string{"longer than 100ms"}},
		{"within the row limit", []string{"--format", "csv", "SELECT * FROM range(15)"}, 0, []string{"range\n0\n", "\n14\n"}},
		{"row limit of imet.toml", []string{"SELECT * FROM students_public"}, 1, []string{"the result has more than 15 rows, the limit ([sql] max_rows"}},
		{"row limit of the flag", []string{"--max-rows", "20", "--format", "csv", "SELECT count(*) AS n FROM (SELECT * FROM students_public)"}, 0, []string{"n\n20\n"}},
		{"row limit off", []string{"--max-rows", "0", "--format", "csv", "SELECT count(*) AS n FROM range(16)"}, 0, []string{"n\n16\n"}},
		{"logging to a path", []string{"CALL enable_logging(storage_path='/tmp/imet-log')"}, 1, []string{"refused: enable_logging is not available here"}},
		{"logging from FROM", []string{"SELECT * FROM Enable_Logging(storage_path = '/tmp/imet-log')"}, 1, []string{"refused: enable_logging"}},
		{"profiling", []string{"PRAGMA enable_profiling"}, 1, []string{"refused: enable_profiling"}},
		{"SQL from a string", []string{"SELECT * FROM query('CALL enable_' || 'logging(storage_path=''/tmp/x'')')"}, 1, []string{"refused: query is not available"}},
		{"spill size", []string{"SET max_temp_directory_size='100GB'"}, 1, []string{"the configuration has been locked"}},
		{"temp directory", []string{"SET temp_directory='" + t.TempDir() + "'"}, 1, []string{"the configuration has been locked"}},
		{"memory", []string{"SET memory_limit='100GB'"}, 1, []string{"the configuration has been locked"}},
		{"unlock", []string{"RESET lock_configuration"}, 1, []string{"the configuration has been locked"}},
		{"extension installed", []string{"INSTALL httpfs"}, 1, []string{"disabled by configuration"}},
		{"extension loaded", []string{"LOAD httpfs"}, 1, []string{"Loading external extensions is disabled"}},
		{"file outside", []string{"SELECT * FROM read_csv('/etc/passwd')"}, 1, []string{"refused: imet sql is read-only", "file system operations are disabled"}},
		{"no spilling, locked, no files", []string{"--format", "csv", "SELECT current_setting('max_temp_directory_size') AS m, current_setting('lock_configuration') AS l, current_setting('enable_external_access') AS e"}, 0, []string{"m,l,e\n0 bytes,true,false\n"}},
		{"a column named query", []string{"--format", "csv", "SELECT 1 AS query"}, 0, []string{"query\n1\n"}},
		{"negative timeout", []string{"--timeout", "-1", "SELECT 1"}, 2, []string{"--timeout -1: give the time limit in seconds"}},
		{"timeout not a number", []string{"--timeout", "NaN", "SELECT 1"}, 2, []string{"--timeout NaN: give the time limit in seconds"}},
		{"negative row limit", []string{"--max-rows", "-3", "SELECT 1"}, 2, []string{"--max-rows -3: give a number of rows"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out := run(t, append([]string{"sql", "--workspace", ws}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// The refused logging call left nothing behind, and the process that
	// refused it (this one) is still here to say so.
	if _, err := os.Stat("/tmp/imet-log"); err == nil {
		t.Error("enable_logging created /tmp/imet-log")
	}
	bad := consoleWorkspace(t, "[sql]\ntimeout_seconds = -5\n")
	if code, out := run(t, "sql", "--workspace", bad, "SELECT 1"); code != 1 || !strings.Contains(out, "[sql] timeout_seconds and max_rows must not be negative") {
		t.Errorf("a negative timeout_seconds: exit %d\n%s", code, out)
	}
}

// The prompt on a pipe (statements from a file or a script) applies the
// limits to each statement and goes on after one is stopped.
func TestSQLPromptLimitsEachStatement(t *testing.T) {
	t.Parallel()
	ws := consoleWorkspace(t, "[sql]\ntimeout_seconds = 0.3\nmax_rows = 5\n")
	db, err := openSnapshot(t.Context(), layout(ws))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out, errs strings.Builder
	in := strings.NewReader(forever + ";\nSELECT * FROM range(6);\nSELECT 'after' AS x;\n")
	if err := prompt(t.Context(), db, in, &out, &errs, "csv", limits{timeout: seconds(0.3), maxRows: 5}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"longer than 300ms", "more than 5 rows"} {
		if !strings.Contains(errs.String(), w) {
			t.Errorf("errors lack %q:\n%s", w, errs.String())
		}
	}
	if !strings.Contains(out.String(), "x\nafter\n") {
		t.Errorf("the statement after the stopped ones:\n%s", out.String())
	}
}

// SIGINT to imet sql reading statements from a pipe stops the statement
// under way, the prompt says so, and the next statement is answered: a
// real process, a real signal.
func TestSQLPromptSIGINTStopsTheStatementNotThePrompt(t *testing.T) {
	t.Parallel()
	ws := consoleWorkspace(t, "[sql]\ntimeout_seconds = 0\n") // no time limit: only the signal can stop it
	cmd := child(t, "sql", "--workspace", ws, "--format", "csv")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		exited <- cmd.Wait()
		pw.Close() // the output ends with the process
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	scanFor := func(want string) (seen []string, ok bool) {
		for l := range lines {
			seen = append(seen, l)
			if strings.Contains(l, want) {
				return seen, true
			}
		}
		return seen, false
	}
	waitLine := func(want string) {
		t.Helper()
		if seen, ok := scanFor(want); !ok {
			t.Fatalf("the process ended before it wrote %q:\n%s", want, strings.Join(seen, "\n"))
		}
	}
	io.WriteString(stdin, "SELECT 'ready' AS warm;\n")
	waitLine("ready")
	io.WriteString(stdin, forever+";\n")
	// Interrupt until it says the statement stopped: a SIGINT that comes
	// before the statement starts finds nothing to stop and is ignored.
	stopped := make(chan bool, 1)
	go func() { _, ok := scanFor("cancelled: the query was stopped"); stopped <- ok }()
	for done := false; !done; {
		select {
		case ok := <-stopped:
			if !ok {
				t.Fatal("the process ended instead of stopping the statement")
			}
			done = true
		case <-time.After(100 * time.Millisecond):
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatalf("the prompt is gone: %v", err)
			}
		}
	}
	io.WriteString(stdin, "SELECT 42 AS answer;\n")
	waitLine("42")
	stdin.Close()
	if err := <-exited; err != nil {
		t.Errorf("the prompt after the interrupt: %v", err)
	}
}

// The interactive prompt applies the limits too: a statement past the time
// limit is stopped, one past the row limit refused, and the prompt goes on.
func TestInteractivePromptLimits(t *testing.T) {
	t.Parallel()
	f := startPromptWithin(t, promptDB(t), 200, limits{timeout: seconds(0.3), maxRows: 1})
	if out := f.do(t, forever+";"); !strings.Contains(out, "error: stopped: the statement ran longer than 300ms") {
		t.Errorf("past the time limit:\n%s", out)
	}
	if out := f.do(t, "SELECT * FROM students_public;"); !strings.Contains(out, "more than 1 rows") {
		t.Errorf("past the row limit:\n%s", out)
	}
	if out := f.do(t, "CALL enable_logging(storage_path='/tmp/imet-log');"); !strings.Contains(out, "refused: enable_logging") {
		t.Errorf("logging:\n%s", out)
	}
	if out := f.do(t, "SELECT 42 AS answer;"); !strings.Contains(out, "42") {
		t.Errorf("after them:\n%s", out)
	}
	f.typeKeys(t, `\q`+"\r")
	f.ended(t)
}
