// Package schemastest opens real, migrated DuckDB warehouses for tests.
package schemastest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// Memory opens a migrated in-memory warehouse, closed when the test ends.
func Memory(t testing.TB) *sql.DB {
	t.Helper()
	return open(t, "")
}

// File opens a migrated warehouse in a file under t.TempDir() and returns it
// with its path.
func File(t testing.TB) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	return open(t, path), path
}

func open(t testing.TB, path string) *sql.DB {
	db, err := schemas.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open warehouse: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
