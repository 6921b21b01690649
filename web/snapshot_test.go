package web

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// publish writes a database whose table x holds v and renames it into
// place at path, as a run publishes a snapshot.
func publish(t *testing.T, path string, v int) {
	t.Helper()
	tmp := path + ".tmp"
	db, err := schemas.Open(context.Background(), tmp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("CREATE TABLE x AS SELECT %d AS v", v)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func value(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("SELECT v FROM x").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A new snapshot is served as soon as it is seen, while a request still
// reads the old one to its end, however many times it is replaced (DuckDB
// gives an open database back for a file name it has open: the snapshot
// must not be opened by the same name twice).
func TestSnapshotReopens(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "imet.duckdb")
	if _, _, _, err := (&snapshot{path: path}).acquire(context.Background()); err != errNoSnapshot {
		t.Errorf("no file: %v, want errNoSnapshot", err)
	}
	publish(t, path, 1)
	s := &snapshot{path: path} // every 0: look at every request
	defer s.close()
	ctx := context.Background()
	held, _, releaseHeld, err := s.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v := value(t, held); v != 1 {
		t.Fatalf("first snapshot: %d", v)
	}
	for want := 2; want <= 4; want++ {
		publish(t, path, want)
		db, _, release, err := s.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v := value(t, db); v != want {
			t.Errorf("after publishing %d the server reads %d", want, v)
		}
		release()
		if v := value(t, held); v != 1 {
			t.Errorf("the request held on the first snapshot reads %d", v)
		}
	}
	releaseHeld()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "serve") {
			t.Errorf("left beside the snapshot: %s", e.Name())
		}
	}
}
