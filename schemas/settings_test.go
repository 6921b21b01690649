package schemas_test

import (
	"context"
	"errors"
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

	db, err := schemas.OpenWith(ctx, filepath.Join(dir, "low.duckdb"), schemas.Settings{MemoryLimit: "64MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sort := `CREATE OR REPLACE TABLE sorted AS SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h`
	if _, err := db.Exec(sort); err != nil {
		t.Fatalf("a sort larger than the 64MB limit did not spill: %v", err)
	}
	if _, err := db.Exec(`SET max_temp_directory_size = '0B'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(sort); err == nil {
		t.Error("the sort fits in 64MB without spilling: the test shows nothing")
	}
}
