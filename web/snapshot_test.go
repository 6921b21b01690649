package web

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// writeSnapshot makes a DuckDB file at path holding one number.
func writeSnapshot(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE x AS SELECT ?::INT AS v`, v); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow(`SELECT v FROM x`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A request that began on a snapshot finishes on it while a new one is
// renamed into place; the next request sees the new one.
func TestSnapshotReopens(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "imet.duckdb")
	s := &snapshot{path: path} // every 0: look on each request
	ctx := context.Background()
	if _, _, _, err := s.acquire(ctx); err != errNoSnapshot {
		t.Fatalf("no file yet: err = %v, want errNoSnapshot", err)
	}
	writeSnapshot(t, path, 1)
	db1, _, release1, err := s.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// publish: a new file renamed over the old one
	writeSnapshot(t, filepath.Join(dir, "next.duckdb"), 2)
	if err := os.Rename(filepath.Join(dir, "next.duckdb"), path); err != nil {
		t.Fatal(err)
	}
	db2, _, release2, err := s.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, db2); got != 2 {
		t.Errorf("after publishing, a new request reads %d, want 2", got)
	}
	if got := read(t, db1); got != 1 {
		t.Errorf("the request under way reads %d, want 1 (its own snapshot)", got)
	}
	release1()
	if err := db1.Ping(); err == nil {
		t.Error("the old snapshot is still open after its last request")
	}
	release2()
	if err := db2.Ping(); err != nil {
		t.Errorf("the current snapshot closed: %v", err)
	}
	// a file being replaced that cannot be opened leaves the open one in use
	if err := os.WriteFile(path+".tmp", []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
	db3, _, release3, err := s.acquire(ctx)
	if err != nil {
		t.Fatalf("a broken new file made the request fail: %v", err)
	}
	defer release3()
	if got := read(t, db3); got != 2 {
		t.Errorf("read %d, want the last good snapshot's 2", got)
	}
	if err := s.close(); err != nil {
		t.Error(err)
	}
}

// A link left by a killed server goes; one of a running server stays,
// however old its times (a hard link has the snapshot's).
func TestStaleLinks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "imet.duckdb")
	writeSnapshot(t, path, 1)
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(dir, fmt.Sprintf("%s%d-1.duckdb", linkPrefix, cmd.Process.Pid))
	alive := filepath.Join(dir, fmt.Sprintf("%s%d-1.duckdb", linkPrefix, os.Getpid()))
	for _, l := range []string{dead, alive} {
		if err := os.Link(path, l); err != nil {
			t.Fatal(err)
		}
	}
	(&snapshot{path: path}).removeStaleLinks()
	if _, err := os.Stat(dead); err == nil {
		t.Error("the link of a process that is gone is still there")
	}
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("the link of a running server was removed: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the snapshot itself: %v", err)
	}
}
