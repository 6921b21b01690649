package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// snapshotColumns lists table.column → comment of a published snapshot.
func snapshotColumns(t *testing.T, path string) (map[string]string, map[string]string) {
	t.Helper()
	db, err := schemas.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, columns := map[string]string{}, map[string]string{}
	rows, err := db.Query(`SELECT table_name, coalesce(comment, '') FROM duckdb_tables() WHERE NOT internal`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, c string
		rows.Scan(&n, &c)
		tables[n] = c
	}
	rows.Close()
	rows, err = db.Query(`SELECT table_name || '.' || column_name, coalesce(comment, '') FROM duckdb_columns() WHERE NOT internal`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, c string
		rows.Scan(&n, &c)
		columns[n] = c
	}
	rows.Close()
	return tables, columns
}

// The published snapshot documents every table and column and holds no
// personal column and no flag detail, unless imet.toml says so.
func TestSnapshotIsPublicAndDocumented(t *testing.T) {
	t.Parallel()
	gen := generate(t, 600, 5, "csv")
	ws := inboxFrom(t, gen)
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	snap := filepath.Join(ws, "published", "imet.duckdb")
	tables, columns := snapshotColumns(t, snap)
	personal := map[string]bool{}
	for _, d := range schemas.Datasets {
		if d.Restricted {
			if _, ok := tables[d.Name]; ok {
				t.Errorf("restricted dataset %s is in the snapshot", d.Name)
			}
		}
		for _, c := range d.Columns {
			if c.Personal {
				personal[c.Name] = true
			}
		}
	}
	for _, want := range []string{"graduates", "career_timeline", "metric_latest", "metric_values", "enrollments", "students_public", "people", "outcomes", "data_quality"} {
		if tables[want] == "" {
			t.Errorf("snapshot lacks table %s or its comment", want)
		}
	}
	for col, comment := range columns {
		name := col[strings.IndexByte(col, '.')+1:]
		if personal[name] || name == "raw" {
			t.Errorf("personal column %s is in the snapshot", col)
		}
		if comment == "" || comment == reports.Undocumented {
			t.Errorf("column %s has no comment", col)
		}
	}
	if len(columns) < 150 {
		t.Errorf("only %d columns checked", len(columns))
	}
	// The quarantine keeps its rows but blanks what personal columns held.
	db, _ := schemas.OpenReadOnly(context.Background(), snap)
	if n := scalar(t, db, `SELECT count(*) FROM quarantine WHERE column_name IN ('family_name', 'given_names', 'birth_year') AND value IS NOT NULL`); n != 0 {
		t.Errorf("%d personal values in the published quarantine", n)
	}
	db.Close()

	// With include_personal the same run publishes names and flags too;
	// a reader holding the old snapshot open keeps reading it meanwhile.
	reader, err := schemas.OpenReadOnly(context.Background(), snap)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	conn, err := reader.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var before int64
	conn.QueryRowContext(context.Background(), `SELECT count(*) FROM metric_values`).Scan(&before)
	cfg, _ := os.ReadFile(filepath.Join(ws, "imet.toml"))
	os.WriteFile(filepath.Join(ws, "imet.toml"), bytes.Replace(cfg, []byte("include_personal = false"), []byte("include_personal = true"), 1), 0o644)
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	var after int64
	if err := conn.QueryRowContext(context.Background(), `SELECT count(*) FROM metric_values`).Scan(&after); err != nil || after != before || before == 0 {
		t.Errorf("a reader of the replaced snapshot: %v, %d rows then %d", err, before, after)
	}
	// (DuckDB shares one instance per path within a process: close the
	// old reader before opening the new file.)
	conn.Close()
	reader.Close()
	tables, columns = snapshotColumns(t, snap)
	if _, ok := columns["students.family_name"]; !ok {
		t.Error("include_personal = true, yet no students.family_name")
	}
	if _, ok := tables["hr_flags"]; !ok {
		t.Error("include_personal = true, yet no hr_flags")
	}
}

// The daemon as a real process: files dropped in the inbox are loaded,
// transformed and published on a seconds-level schedule, with the run
// history and the quarterly products; imet sql reads the snapshot all the
// while without an error or a torn result; SIGTERM mid-run leaves the
// warehouse consistent and the next run finishes the work.
func TestDaemon(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the daemon for several seconds")
	}
	// The loop's timing (schedules, skips, catch-up, stopping) is
	// TestDaemonLoop's, on a fake clock. This is the real process: the CLI's
	// jobs, SIGTERM in the middle of a load, analysts reading the snapshot
	// meanwhile, and a second daemon finishing the work.
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	cfgPath := filepath.Join(ws, "imet.toml")
	cfg, _ := os.ReadFile(cfgPath)
	cfg = bytes.Replace(cfg, []byte(`poll = "*/15 * * * *"`), []byte(`poll = "* * * * * *"`), 1)
	cfg = bytes.Replace(cfg, []byte(`congress = "0 6 1 11 *"`), []byte(`congress = "off"`), 1)
	os.WriteFile(cfgPath, cfg, 0o644)
	history := schedule.History{Path: filepath.Join(ws, "runs.jsonl")}
	// The quarterly job last ran a year ago: the daemon catches it up once
	// at start-up (its own schedule is months away).
	if rec, err := history.Start("quarterly", "schedule", time.Now().AddDate(-1, 0, 0)); err != nil {
		t.Fatal(err)
	} else {
		history.Finish(rec, schedule.StatusOK, "", time.Now().AddDate(-1, 0, 0))
	}
	snap := filepath.Join(ws, "published", "imet.duckdb")

	start := func() (*os.Process, chan error) {
		cmd := child(t, "schedule", "--workspace", ws)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { err := cmd.Wait(); t.Logf("daemon output:\n%s", out.String()); done <- err }()
		return cmd.Process, done
	}
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !ok() {
			if time.Now().After(deadline) {
				runs, _ := history.List()
				t.Fatalf("waited %s for %s; runs: %+v", limit.Round(time.Second), what, runs)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	drop := func(gen string) {
		t.Helper()
		entries, _ := os.ReadDir(gen)
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
				continue
			}
			files, _ := os.ReadDir(filepath.Join(gen, e.Name()))
			for _, f := range files {
				// rename: a file appears in the inbox whole
				tmp := filepath.Join(ws, "inbox", e.Name(), f.Name()+".part")
				copyFile(t, filepath.Join(gen, e.Name(), f.Name()), tmp)
				os.Rename(tmp, strings.TrimSuffix(tmp, ".part"))
			}
		}
	}
	finished := func(job, trigger string, since time.Time) (schedule.Record, bool) {
		runs, _ := history.List()
		for _, r := range runs {
			if r.Job == job && r.Trigger == trigger && r.Status == schedule.StatusOK && r.Started.After(since) {
				return r, true
			}
		}
		return schedule.Record{}, false
	}
	busy := func() bool {
		runs, _ := history.List()
		for _, r := range runs {
			if r.Status == schedule.StatusRunning {
				return true
			}
		}
		return false
	}

	// The first program waits in the inbox; the catch-up run loads it,
	// transforms, publishes and writes the quarter's products. It takes
	// the time it takes: the machine may be busy. Later waits are scaled
	// by it.
	const first, big = 800, 2500
	drop(generate(t, first, 11, "csv"))
	began := time.Now()
	proc, done := start()
	waitFor("the catch-up quarterly run", 10*time.Minute, func() bool { _, ok := finished("quarterly", "catch-up", began); return ok })
	catchUp, _ := finished("quarterly", "catch-up", began)
	perPerson := catchUp.Duration() / first
	scaled := func(people int) time.Duration { return 30*time.Second + 10*perPerson*time.Duration(people) }
	t.Logf("the catch-up run took %s for %d people", catchUp.Duration().Round(time.Millisecond), first)
	if catchUp.Rows == 0 {
		t.Errorf("the catch-up run loaded nothing: %+v", catchUp)
	}
	quarter := schemas.QuarterName(schemas.LastQuarterEnd(time.Now()))
	if _, err := os.Stat(filepath.Join(ws, "reports", quarter, "evaluator-report.pdf")); err != nil {
		t.Errorf("the catch-up run wrote no report: %v", err)
	}
	if _, err := os.Stat(snap); err != nil {
		t.Errorf("the catch-up run published no snapshot: %v", err)
	}
	if code, out := run(t, "status", "--workspace", ws); code != 0 || !strings.Contains(out, "daemon     running") || !strings.Contains(out, "last quarterly") {
		t.Errorf("status while the daemon runs: %s", out)
	}
	// --job: skipped polls while a slow catch-up runs would push it out of the last 20
	if code, out := run(t, "runs", "--workspace", ws, "--job", "quarterly", "--format", "csv"); code != 0 || !strings.Contains(out, ",quarterly,catch-up,") {
		t.Errorf("runs: %s", out)
	}

	// Analysts query the snapshot while the daemon loads and republishes.
	var queries, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	stopQueries := func() { once.Do(func() { close(stop); wg.Wait() }) }
	t.Cleanup(stopQueries)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			code, out := run(t, "sql", "--workspace", ws, "--format", "csv",
				`SELECT bool_and(m.n = t.n) AND count(*) > 0 AS whole
				FROM (SELECT as_of, vintage, count(*) AS n FROM metric_values GROUP BY ALL) m
				JOIN (SELECT as_of, vintage, arg_max(metric_rows, run_id) AS n FROM transform_runs GROUP BY ALL) t USING (as_of, vintage)`)
			queries.Add(1)
			if code != 0 || !strings.Contains(out, "true") {
				failures.Add(1)
				t.Errorf("imet sql during the run: exit %d: %s", code, out)
			}
		}
	}()

	// A larger program, its poll run stopped by SIGTERM as it starts.
	gen := generate(t, big, 12, "csv")
	dropped := time.Now()
	drop(gen)
	waitFor("the poll run to start", scaled(0), func() bool {
		runs, _ := history.List()
		for _, r := range runs {
			if r.Job == "poll" && r.Status == schedule.StatusRunning && r.Started.After(dropped) {
				return true
			}
		}
		return false
	})
	time.Sleep(500 * time.Millisecond)
	proc.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("daemon exit after SIGTERM: %v, want status 0", err)
		}
	case <-time.After(scaled(big)):
		t.Fatalf("daemon did not stop within %s of SIGTERM", scaled(big).Round(time.Second))
	}
	checkConsistent(t, ws)
	runs, _ := history.List()
	interrupted := false
	for _, r := range runs {
		interrupted = interrupted || (r.Job == "poll" && r.Status == schedule.StatusInterrupted)
	}
	if !interrupted {
		t.Errorf("no poll run was interrupted by SIGTERM: %+v", runs[0])
	}

	// The next daemon finishes the work: the inbox empties.
	restarted := time.Now()
	_, done = start()
	waitFor("the inbox to empty", scaled(big), func() bool {
		n, _ := backlog(layout(ws))
		_, polled := finished("poll", "schedule", restarted)
		return n == 0 && polled && !busy()
	})
	stopQueries()
	if queries.Load() < 5 || failures.Load() > 0 {
		t.Errorf("%d queries during the runs, %d failed", queries.Load(), failures.Load())
	}
	t.Logf("%d queries ran against the snapshot during the runs", queries.Load())
	// Stop the second daemon too.
	d, _ := readDaemon(filepath.Join(ws, "imet.daemon"))
	syscall.Kill(d.PID, syscall.SIGTERM)
	<-done
	db := openWarehouse(t, ws)
	defer db.Close()
	if n := scalar(t, db, `SELECT count(*) FROM students`); n < big {
		t.Errorf("%d students after the daemon finished, want all of both programs", n)
	}
	if n := scalar(t, db, `SELECT count(*) FROM transform_runs WHERE as_of = current_date`); n == 0 {
		t.Errorf("no transform as of today after the poll runs")
	}
}

// The prompt's history survives sessions, newest first, without repeats.
func TestPromptHistory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history")
	h := loadHistory(path)
	h.Add("SELECT 1;")
	h.Add("SELECT 1;")
	h.Add("SELECT 2;")
	h = loadHistory(path)
	if h.Len() != 2 || h.At(0) != "SELECT 2;" || h.At(1) != "SELECT 1;" {
		t.Errorf("history %v", h.lines)
	}
}
