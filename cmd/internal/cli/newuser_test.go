package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// What a new user hit at the terminal with their own files (issue 11).

func batchCount(t *testing.T, ws string) int64 {
	t.Helper()
	db, err := schemas.Open(t.Context(), filepath.Join(ws, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return scalar(t, db, "SELECT count(*) FROM batches")
}

// A path that does not exist is a usage error and leaves no batch.
func TestIngestMissingPath(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	before := batchCount(t, ws)
	code, out := run(t, "ingest", "--workspace", ws, "/nonexistent.csv")
	if code != 2 || !strings.Contains(out, "/nonexistent.csv: no such file") || strings.Contains(out, `no dataset "/"`) {
		t.Errorf("exit %d\n%s", code, out)
	}
	if code, out := run(t, "ingest", "--workspace", ws, ws); code != 2 || !strings.Contains(out, "is a folder") {
		t.Errorf("a folder: exit %d\n%s", code, out)
	}
	if n := batchCount(t, ws); n != before {
		t.Errorf("batches %d → %d after usage errors", before, n)
	}
}

// A folder named Students is the students dataset; a corrected date
// setting and --force load the same bytes again.
func TestIngestFolderCaseAndForce(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	students := filepath.Join(ws, "inbox", "Students", "s.csv")
	os.MkdirAll(filepath.Dir(students), 0o755)
	os.WriteFile(students, []byte("student_id,country_code,family_name\nS1,KEN,Otieno\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 || !strings.Contains(out, "students") {
		t.Fatalf("inbox/Students: exit %d\n%s", code, out)
	}
	file := filepath.Join(t.TempDir(), "comparison.csv")
	os.WriteFile(file, []byte("student_id,country_code,cohort,index_date,rank_code_at_index\nC1,KEN,COMPARISON,15/03/2020,OF-3\n"), 0o644)
	code, out := run(t, "ingest", "--workspace", ws, "--dataset", "students", file)
	if code != 0 || !strings.Contains(out, "1 bad row quarantined") {
		t.Fatalf("first load: exit %d\n%s", code, out)
	}
	if code, out := run(t, "quarantine", "--workspace", ws, "--format", "csv"); code != 0 || !strings.Contains(out, "[ingest] date_formats") {
		t.Errorf("the quarantine reason must name the setting: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[ingest]\ndate_formats = { students = \"%d/%m/%Y\" }\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws, "--dataset", "students", file); code != 0 || !strings.Contains(out, "already_loaded") {
		t.Fatalf("same bytes: exit %d\n%s", code, out)
	}
	code, out = run(t, "ingest", "--workspace", ws, "--dataset", "students", "--force", file)
	if code != 0 || !strings.Contains(out, "reloaded with --force") {
		t.Fatalf("--force: exit %d\n%s", code, out)
	}
	if code, out := run(t, "quarantine", "--workspace", ws, "--format", "csv"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("quarantine still open after the forced reload: exit %d\n%s", code, out)
	}
}

// The demo never writes into a folder it did not create.
func TestDemoRefusesARealWorkspace(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code\nS1,KEN\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatal(out)
	}
	before := batchCount(t, ws)
	code, out := run(t, "demo", "--workspace", ws, "--students", "200")
	if code != 1 || !strings.Contains(out, "holds a workspace the demo did not create") {
		t.Fatalf("demo on a real workspace: exit %d\n%s", code, out)
	}
	if after := batchCount(t, ws); after != before {
		t.Errorf("batches %d → %d: the demo wrote into the workspace", before, after)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if code, out := run(t, "demo", "--workspace", other); code != 1 || !strings.Contains(out, "files the demo did not create") {
		t.Errorf("demo on a folder with files: exit %d\n%s", code, out)
	}
	// A new folder, or one the demo made, is the demo's.
	mine := filepath.Join(t.TempDir(), "new")
	if err := claimForDemo(mine); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(mine, "warehouse.duckdb"), nil, 0o644)
	if err := claimForDemo(mine); err != nil {
		t.Errorf("the demo's own folder refused: %v", err)
	}
}
