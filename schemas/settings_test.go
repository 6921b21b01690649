package schemas_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// The workspace's memory limit reaches DuckDB, as a size or as a share of
// the machine, a bad value is refused saying what to write, and at a low
// limit a sort bigger than memory spills to disk and completes (the same
// sort with spilling forbidden fails, so it did need to spill).
func TestMemoryLimit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct{ limit, want, err string }{
		{"100MB", "95.3 MiB", ""},
		{"50%", "GiB", ""},
		{"150%", "", "give a share from 1% to 100%"},
		{"lots", "", "memory_limit"},
	} {
		t.Run(c.limit, func(t *testing.T) {
			db, err := schemas.OpenWith(ctx, filepath.Join(dir, strings.Trim(c.limit, "%")+".duckdb"), schemas.Settings{MemoryLimit: c.limit})
			if c.err != "" {
				var se *schemas.SettingsError
				if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &se) || se.Key != "memory_limit" {
					t.Fatalf("memory_limit %q: err %v, want a SettingsError saying %q", c.limit, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var got string
			if err := db.QueryRow(`SELECT current_setting('memory_limit')`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("memory_limit %q: DuckDB has %q", c.limit, got)
			}
		})
	}

	// Past the memory limit a sort spills, within [duckdb] max_temp_size
	// (a share of the free disk here); with no room to spill, it fails
	// (DuckDB is out of memory, which the CLI says in imet's words)
	// instead of filling the disk.
	for _, c := range []struct {
		temp, want string
		rows       int
	}{{"50%", "iB", 3_000_000}, {"1MB", "976.5 KiB", 8_000_000}} {
		db, err := schemas.OpenWith(ctx, filepath.Join(dir, "low-"+strings.Trim(c.temp, "%")+".duckdb"), schemas.Settings{MemoryLimit: "64MB", MaxTempSize: c.temp})
		if err != nil {
			t.Fatal(err)
		}
		var set string
		if err := db.QueryRow(`SELECT current_setting('max_temp_directory_size')::VARCHAR`).Scan(&set); err != nil || !strings.HasSuffix(set, c.want) {
			t.Errorf("max_temp_size %s: DuckDB has %q (%v)", c.temp, set, err)
		}
		_, err = db.Exec(fmt.Sprintf(`CREATE TABLE sorted AS SELECT i, md5(i::VARCHAR) AS h FROM range(%d) t(i) ORDER BY h`, c.rows))
		db.Close()
		switch {
		case c.temp == "1MB" && (err == nil || !strings.Contains(err.Error(), "Out of Memory Error")):
			t.Errorf("a sort of %d rows with 64MB of memory and 1MB to spill gave %v, want DuckDB out of memory", c.rows, err)
		case c.temp != "1MB" && err != nil:
			t.Errorf("a sort larger than the 64MB limit did not spill: %v", err)
		}
	}
}

// A bad bound on spilling is refused naming the key (that the bound
// reaches DuckDB and holds is TestMemoryLimit's).
func TestMaxTempSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct{ size, err string }{
		{"150%", "give a share from 1% to 100%"},
		{"lots", "max_temp_size"},
	} {
		_, err := schemas.OpenWith(ctx, filepath.Join(dir, "bad.duckdb"), schemas.Settings{MaxTempSize: c.size})
		var se *schemas.SettingsError
		if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &se) || se.Key != "max_temp_size" {
			t.Errorf("max_temp_size %q: err %v, want a SettingsError saying %q", c.size, err, c.err)
		}
	}
}

// DuckDB's threads follow the work: one below two row groups of rows,
// else one per core less one for each other connection at work beside it.
func TestWorkThreads(t *testing.T) {
	two := int64(2 * schemas.RowGroupRows)
	for _, c := range []struct {
		rows              int64
		side, cores, want int
	}{
		{0, 1, 2, 1},
		{two - 1, 1, 8, 1},
		{two, 1, 2, 2},
		{two, 0, 2, 2}, // no other: as one
		{two, 2, 2, 1},
		{two, 3, 2, 1}, // never none
		{two, 3, 8, 6},
		{20_000_000, 1, 1, 1},
	} {
		if got := schemas.WorkThreads(c.rows, c.side, c.cores); got != c.want {
			t.Errorf("WorkThreads(%d rows, %d side by side, %d cores) = %d, want %d", c.rows, c.side, c.cores, got, c.want)
		}
	}
}

// FitThreads sets the database's threads from the larger of the work's
// rows and the warehouse's career events, and sets them back to one per
// core; with IMET_DUCKDB_THREADS set it leaves them as that says.
func TestFitThreads(t *testing.T) {
	ctx := context.Background()
	t.Setenv(schemas.ThreadsEnv, "") // the package's tests may run with it set
	db, err := schemas.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	threads := func() int {
		t.Helper()
		var n int
		if err := db.QueryRow("SELECT current_setting('threads')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cores := runtime.NumCPU()
	fit := func(rows int64, side, want int) {
		t.Helper()
		restore, err := schemas.FitThreads(ctx, db, rows, side)
		if err != nil {
			t.Fatal(err)
		}
		if got := threads(); got != want {
			t.Errorf("FitThreads(%d rows, %d side by side) set %d threads, want %d", rows, side, got, want)
		}
		restore()
		if got := threads(); got != cores {
			t.Errorf("after FitThreads(%d rows, %d side by side): %d threads, want one per core (%d)", rows, side, got, cores)
		}
	}
	two := int64(2 * schemas.RowGroupRows)
	fit(100, 1, 1)
	fit(two, 1, cores)
	fit(two, cores+1, 1)
	// the career events count when they are more than the work's rows
	if _, err := db.Exec(fmt.Sprintf("INSERT INTO career_events (event_id) SELECT 'e' || i FROM range(%d) t(i)", two)); err != nil {
		t.Fatal(err)
	}
	fit(100, 1, cores)
	fit(0, cores, 1)

	t.Setenv(schemas.ThreadsEnv, "3")
	if _, err := db.Exec("SET threads = 3"); err != nil {
		t.Fatal(err)
	}
	restore, err := schemas.FitThreads(ctx, db, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := threads(); got != 3 {
		t.Errorf("with %s=3, FitThreads set %d threads", schemas.ThreadsEnv, got)
	}
	restore()
	if got := threads(); got != 3 {
		t.Errorf("with %s=3, FitThreads' restore set %d threads", schemas.ThreadsEnv, got)
	}
}
