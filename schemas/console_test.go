package schemas

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// The console tells a statement DuckDB refuses (a write, a setting, an
// extension, a file) from a mistake in one, whichever words DuckDB uses.
func TestQueryReadOnlyRefuses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "snap.duckdb")
	w, err := open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, "CREATE TABLE t AS SELECT 1 AS i"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE x(i INT)", "INSERT INTO t VALUES (2)", "ATTACH '" + path + ".x' AS x",
		"COPY t TO '" + path + ".csv'", "SELECT * FROM read_csv('/etc/passwd')",
		"INSTALL httpfs", "LOAD httpfs", "SET memory_limit = '1GB'", "RESET lock_configuration",
		"CALL enable_profiling()",
	} {
		if _, err := QueryReadOnly(ctx, db, q, ConsoleLimits{}); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v, want it refused", q, err)
		}
	}
	for _, q := range []string{"SELEC 1", "SELECT * FROM nowhere"} {
		if _, err := QueryReadOnly(ctx, db, q, ConsoleLimits{}); err == nil || errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v, want DuckDB's error, not a refusal", q, err)
		}
	}
	if res, err := QueryReadOnly(ctx, db, "SELECT i FROM t", ConsoleLimits{}); err != nil || len(res.Rows) != 1 {
		t.Errorf("SELECT: %v %v", res, err)
	}
}
