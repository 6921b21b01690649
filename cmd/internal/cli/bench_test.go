package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
	"github.com/imet-project/imet/transform"
)

// BenchmarkTransform loads a generated program of 100,000 people (about two
// million career events; 2,000 with -short; IMET_BENCH_PEOPLE=1000000 for
// the million-person run, opt-in for its time) and times the transform
// alone, reporting seconds and the process's peak resident memory during it
// (DuckDB's memory included: it lives in this process). It then publishes
// the snapshot beside its floor, DuckDB's COPY FROM DATABASE of the whole
// warehouse (more tables than the snapshot holds) with the rows of its
// views written as tables, as the snapshot writes them, and 'imet run' after a
// 100-row file beside the same run with --full (past 100,000 people only
// with IMET_BENCH_RUN=1). IMET_BENCH_STEPS=1 prints the time of every
// model and metric. IMET_BENCH_MEMORY_LIMIT (e.g. 5GB) sets the
// workspace's [duckdb] memory_limit, for the ingest and the transforms,
// instead of the default share of the machine.
//
//	go test -run '^$' -bench Transform -benchtime 1x ./cmd/internal/cli/
func BenchmarkTransform(b *testing.B) {
	students := 100_000
	if testing.Short() {
		students = 2_000
	}
	if n, err := strconv.Atoi(os.Getenv("IMET_BENCH_PEOPLE")); err == nil && n > 0 {
		students = n
	}
	ctx := context.Background()
	ws := filepath.Join(b.TempDir(), "ws")
	var sink strings.Builder
	if code := Main(ctx, []string{"init", ws}, &sink, &sink); code != 0 {
		b.Fatal(sink.String())
	}
	if limit := os.Getenv("IMET_BENCH_MEMORY_LIMIT"); limit != "" {
		toml := filepath.Join(ws, "imet.toml")
		cfg, err := os.ReadFile(toml)
		if err != nil {
			b.Fatal(err)
		}
		set := regexp.MustCompile(`(?m)^#?\s*memory_limit\s*=.*$`)
		if !set.Match(cfg) {
			b.Fatalf("%s has no memory_limit line to set", toml)
		}
		cfg = set.ReplaceAll(cfg, []byte(fmt.Sprintf("memory_limit = %q", limit)))
		if err := os.WriteFile(toml, cfg, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	inbox := filepath.Join(ws, "inbox")
	if _, err := synth.Generate(ctx, inbox, synth.Options{Students: students, Seed: 1, BadRows: true}); err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(filepath.Join(inbox, synth.TruthDir))
	loadStart := time.Now()
	if code := Main(ctx, []string{"ingest", "--workspace", ws}, &sink, &sink); code != 0 {
		b.Fatal(sink.String())
	}
	fmt.Printf("ingest of %d people: %.1f s\n", students, time.Since(loadStart).Seconds())
	// opened as the commands open it: with the workspace's [duckdb] settings
	w, err := openWorkspace(ws)
	if err != nil {
		b.Fatal(err)
	}
	db, err := w.open(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var events int64
	db.QueryRow(`SELECT count(*) FROM career_events`).Scan(&events)
	var limit string
	db.QueryRow(`SELECT current_setting('memory_limit')`).Scan(&limit)
	fmt.Printf("DuckDB memory_limit of the transforms: %s\n", limit)
	b.ResetTimer()
	floor, err := transformFloor(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	// The transform without the metrics of evidence.md, then with them, in
	// the same run on the same warehouse: their cost is the ratio.
	var secs [2]float64
	for i, name := range []string{"without-evidence", "with-evidence"} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				// What the process holds before it (the generator's and the
				// ingest's leftovers) is given back first, then said.
				runtime.GC()
				debug.FreeOSMemory()
				resetPeakRSS()
				before := procStatus("VmRSS:")
				start := time.Now()
				// Full: the second run of the same D would otherwise keep the first's models
				res, err := transform.Run(ctx, db, transform.Options{AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), NoEvidence: i == 0, Full: true})
				if err != nil {
					b.Fatal(err)
				}
				secs[i] = time.Since(start).Seconds()
				b.ReportMetric(secs[i], "s/transform")
				b.ReportMetric(float64(procStatus("VmHWM:"))/(1<<20), "peak-MiB")
				b.ReportMetric(float64(res.MetricRows), "metric-rows")
				b.Logf("%s: %d people, %d career events: transform %.1f s, peak RSS %d MiB (%d MiB as it started), %d metric rows",
					name, students, events, secs[i], procStatus("VmHWM:")>>20, before>>20, res.MetricRows)
				if os.Getenv("IMET_BENCH_STEPS") != "" {
					for _, s := range res.Steps {
						fmt.Printf("  %-28s %6.2f s %10d rows\n", s.Name, s.Seconds, s.Rows)
					}
				}
			}
		})
	}
	if secs[0] > 0 && secs[1] > 0 {
		// printed: a parent benchmark's log is not shown once it has run sub-benchmarks
		fmt.Printf("transform with the evidence metrics / without: %.1f s / %.1f s = %.2f\n", secs[1], secs[0], secs[1]/secs[0])
		fmt.Printf("transform (every metric) / floor (read every input table once, sort career events by person and date): %.1f s / %.2f s = %.1f\n", secs[1], floor, secs[1]/floor)
	}
	publish, copyAll, err := publishAndFloor(ctx, db, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("publish the snapshot / COPY FROM DATABASE of the warehouse, its views' rows written as tables: %.1f s / %.1f s = %.2f\n", publish, copyAll, publish/copyAll)
	db.Close()
	if students > 100_000 && os.Getenv("IMET_BENCH_RUN") == "" {
		return // three more whole runs: opt in with IMET_BENCH_RUN=1
	}
	if err := runAfterSmallFile(ctx, ws); err != nil {
		b.Fatal(err)
	}
}

// runAfterSmallFile times 'imet run' after a 100-row career-events file
// (new events of existing students) beside its floor, the same run with
// --full, each on its own copy of the workspace after a first run that
// leaves the models of today's D and the linking state behind.
func runAfterSmallFile(ctx context.Context, ws string) error {
	var sink strings.Builder
	if code := Main(ctx, []string{"run", "--workspace", ws}, &sink, &sink); code != 0 {
		return fmt.Errorf("first run: %s", sink.String())
	}
	db, err := schemas.Open(ctx, filepath.Join(ws, "warehouse.duckdb"))
	if err != nil {
		return err
	}
	events, err := schemas.Lookup("career_events")
	if err != nil {
		db.Close()
		return err
	}
	body := strings.Join(events.ColumnNames(), ",") + "\n"
	rows, err := db.QueryContext(ctx, `SELECT student_id, event_date + 1, event_type, rank_code FROM career_events
		WHERE student_id IS NOT NULL AND event_type IN ('PROMOTION', 'ASSIGNMENT') ORDER BY event_id LIMIT 100`)
	if err != nil {
		db.Close()
		return err
	}
	for i := 0; rows.Next(); i++ {
		var id, typ string
		var date time.Time
		var rank sql.NullString
		if err := rows.Scan(&id, &date, &typ, &rank); err != nil {
			rows.Close()
			db.Close()
			return err
		}
		body += fmt.Sprintf("BENCH%d,%s,,,,,%s,%s,%s,,,,,,MOD,\n", i, id, date.Format(time.DateOnly), typ, rank.String)
	}
	rows.Close()
	db.Close()
	full := ws + "-full"
	if err := os.CopyFS(full, os.DirFS(ws)); err != nil {
		return err
	}
	var secs [2]float64
	for i, w := range []string{ws, full} {
		if err := os.WriteFile(filepath.Join(w, "inbox", "career_events", "bench100.csv"), []byte(body), 0o644); err != nil {
			return err
		}
		args, label := []string{"run", "--workspace", w}, "run"
		if i == 1 {
			args, label = append(args, "--full"), "run --full"
		}
		sink.Reset()
		start := time.Now()
		if code := Main(ctx, args, &sink, &sink); code != 0 {
			return fmt.Errorf("%s: %s", args, sink.String())
		}
		secs[i] = time.Since(start).Seconds()
		// the run's own table: each step's seconds and what it did
		for _, line := range strings.Split(sink.String(), "\n") {
			if f := strings.Fields(line); len(f) > 1 && slices.Contains([]string{"ingest", "transform", "publish"}, f[0]) {
				fmt.Printf("  %s: %s\n", label, line)
			}
		}
	}
	fmt.Printf("imet run after a 100-row career-events file / the same run with --full: %.1f s / %.1f s = %.2f\n", secs[0], secs[1], secs[0]/secs[1])
	return nil
}

// publishAndFloor times the snapshot's publish and, beside it, DuckDB's
// COPY FROM DATABASE of the whole warehouse into a new file, with the rows
// of its views.
func publishAndFloor(ctx context.Context, db *sql.DB, dir string) (publish, copyAll float64, err error) {
	start := time.Now()
	if _, err := reports.Publish(ctx, db, filepath.Join(dir, "imet.duckdb"), reports.Privacy{Key: make([]byte, schemas.PseudonymKeyBytes)}, true); err != nil {
		return 0, 0, err
	}
	publish = time.Since(start).Seconds()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return 0, 0, err
	}
	start = time.Now()
	if _, err := conn.ExecContext(ctx, "ATTACH '"+filepath.Join(dir, "copy.duckdb")+"' AS floor_copy"); err != nil {
		return 0, 0, err
	}
	if _, err := conn.ExecContext(ctx, "COPY FROM DATABASE "+name+" TO floor_copy"); err != nil {
		return 0, 0, err
	}
	// A view (the career timeline, the FMTR summaries) is copied as its
	// definition, and the snapshot writes its rows: so does the floor.
	views, err := conn.QueryContext(ctx, `SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal`)
	if err != nil {
		return 0, 0, err
	}
	var names []string
	for views.Next() {
		var v string
		if err := views.Scan(&v); err != nil {
			views.Close()
			return 0, 0, err
		}
		names = append(names, v)
	}
	views.Close()
	for _, v := range names {
		if _, err := conn.ExecContext(ctx, "CREATE TABLE floor_copy.main."+v+"_rows AS SELECT * FROM "+v); err != nil {
			return 0, 0, err
		}
	}
	if _, err := conn.ExecContext(ctx, "DETACH floor_copy"); err != nil {
		return 0, 0, err
	}
	return publish, time.Since(start).Seconds(), nil
}

// transformFloor is the floor issue 16 measures the transform against:
// DuckDB reading every input table once and sorting the career events by
// person and date, into temporary tables that a rollback drops. It returns
// the seconds taken.
func transformFloor(ctx context.Context, db *sql.DB) (float64, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	start := time.Now()
	for _, d := range schemas.Datasets {
		q := "CREATE TEMP TABLE floor_" + d.Name + " AS SELECT * FROM " + d.Name
		if d.Name == "career_events" {
			q += " ORDER BY student_id, event_date"
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("floor %s: %w", d.Name, err)
		}
	}
	return time.Since(start).Seconds(), nil
}

// resetPeakRSS restarts the kernel's high-water mark of this process's
// resident memory (Linux: writing 5 to clear_refs).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// procStatus is a memory figure of this process in bytes: "VmHWM:", the
// peak resident memory since the last reset, or "VmRSS:", the resident
// memory now.
func procStatus(field string) int64 {
	body, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(body), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
