package schemas_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
