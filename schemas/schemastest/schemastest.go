// Package schemastest opens real, migrated DuckDB warehouses for tests.
//
// Migrating a new warehouse takes most of a second (hundreds of catalog
// statements, column comments above all), and the suites open hundreds, so
// a warehouse is migrated once per set of migrations, kept in the system's
// temporary folder (imet-schemastest/<hash of the migrations, the built-in
// countries and the DuckDB version>.duckdb), and
// each test opens its own copy: a real file, migrated by schemas.Open like
// any other, which finds nothing left to apply.
package schemastest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// Memory opens a migrated warehouse of the test's own, closed when the test
// ends. (It is a file in t.TempDir(), a copy of the template: an in-memory
// DuckDB database cannot be copied.)
func Memory(t testing.TB) *sql.DB {
	t.Helper()
	db, _ := File(t)
	return db
}

// File opens a migrated warehouse in a file under t.TempDir() and returns it
// with its path.
func File(t testing.TB) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	if err := Copy(path); err != nil {
		t.Fatalf("copy the migrated warehouse: %v", err)
	}
	db, err := schemas.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open warehouse: %v", err)
	}
	t.Cleanup(func() {
		// the copy is thrown away: closing it need not write its changes
		// into the file first
		if _, err := db.Exec("PRAGMA disable_checkpoint_on_shutdown"); err != nil {
			t.Errorf("PRAGMA disable_checkpoint_on_shutdown: %v", err)
		}
		db.Close()
	})
	return db, path
}

// Copy writes a freshly migrated warehouse to path (which must not exist):
// the same file schemas.Open would create there, made in a fraction of the
// time.
func Copy(path string) error {
	tpl, err := template()
	if err != nil {
		return err
	}
	in, err := os.Open(tpl)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// template is the path of the migrated warehouse of this set of
// migrations, built-in countries and DuckDB, made by the first test process that needs it (built under a
// private name, then renamed into place, so a process never sees half of
// one).
var template = sync.OnceValues(func() (string, error) {
	h := sha256.New()
	for _, name := range schemas.Migrations() {
		body, err := schemas.MigrationSQL(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\n%d\n", name, len(body))
		h.Write(body)
	}
	// the built-in countries the migrations seed, and the DuckDB that
	// writes the file
	fmt.Fprint(h, schemas.Countries)
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if strings.HasPrefix(d.Path, "github.com/duckdb/") {
				fmt.Fprintln(h, d.Path, d.Version)
			}
		}
	}
	dir := filepath.Join(os.TempDir(), "imet-schemastest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, hex.EncodeToString(h.Sum(nil))[:16]+".duckdb")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	built := filepath.Join(tmp, "warehouse.duckdb")
	db, err := schemas.Open(context.Background(), built)
	if err != nil {
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	if _, err := os.Stat(built + ".wal"); err == nil {
		return "", fmt.Errorf("the migrated warehouse left a write-ahead log: it would not copy whole")
	}
	return path, os.Rename(built, path)
})

// OneThread makes every DuckDB database the test binary and its child
// processes open run on one thread, unless schemas.ThreadsEnv is set
// already or the binary runs benchmarks (which measure the defaults): go
// test runs many databases at once on a few cores, where one thread per
// core each costs CPU for nothing. Call it from TestMain.
func OneThread() {
	if !flag.Parsed() {
		flag.Parse()
	}
	if b := flag.Lookup("test.bench"); b != nil && b.Value.String() != "" {
		return
	}
	if os.Getenv(schemas.ThreadsEnv) == "" {
		os.Setenv(schemas.ThreadsEnv, "1")
	}
}

// Rows is every row of q, sorted (q gets ORDER BY ALL), one line each with
// the values as Go prints them (every digit of a float): for comparing what
// two ways of computing the same table wrote.
func Rows(t testing.TB, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q + " ORDER BY ALL")
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, v...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// WriteCSV writes rows of a dataset (column: value) under the contract's
// header to path, making its folder.
func WriteCSV(t testing.TB, path, dataset string, rows []map[string]string) {
	t.Helper()
	d, err := schemas.Lookup(dataset)
	if err != nil {
		t.Fatal(err)
	}
	cols := d.ColumnNames()
	var b strings.Builder
	b.WriteString(strings.Join(cols, ",") + "\n")
	for _, r := range rows {
		vals := make([]string, len(cols))
		for i, c := range cols {
			vals[i] = r[c]
		}
		b.WriteString(strings.Join(vals, ",") + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FirstDiff says where two texts of rows (Rows) part: the first line that
// differs, each side named, or their lengths.
func FirstDiff(a, b, aName, bName string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s: %s\n  %s: %s", i+1, aName, al[i], bName, bl[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(al), len(bl))
}
