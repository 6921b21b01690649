package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// imet sql reads the published snapshot and nothing else: before the first
// run there is nothing to read, not the live warehouse with its names and
// birth years.
func TestSQLReadsOnlyTheSnapshot(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"),
		[]byte("student_id,country_code,family_name,given_names,birth_year\nS1,KEN,Odhiambo,Grace,1980\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	const want = "no snapshot yet: run `imet run`"
	for _, args := range [][]string{
		{"sql", "--workspace", ws, "SELECT family_name, birth_year FROM students"},
		{"sql", "--workspace", ws}, // the prompt
	} {
		code, out := run(t, args...)
		if code != 1 || !strings.Contains(out, want) || strings.Contains(out, "Odhiambo") {
			t.Errorf("imet %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	// The student id is published as its pseudonym under the workspace's key.
	if code, out := run(t, "sql", "--workspace", ws, "--format", "csv", "SELECT student_id FROM students_public"); code != 0 || out != "student_id\n"+pseudonymOf(t, ws, "S1")+"\n" {
		t.Errorf("sql on the snapshot: exit %d\n%s", code, out)
	}
	if code, out := run(t, "sql", "--workspace", ws, "SELECT family_name FROM students"); code != 1 || strings.Contains(out, "Odhiambo") {
		t.Errorf("names reached imet sql: exit %d\n%s", code, out)
	}
	// Outside a workspace, say so rather than "no snapshot".
	if code, out := run(t, "sql", "--workspace", t.TempDir(), "SELECT 1"); code != 1 || !strings.Contains(out, "not an imet workspace") {
		t.Errorf("outside a workspace: exit %d\n%s", code, out)
	}
}

// pseudonymOf is the published pseudonym of a student id in workspace ws.
func pseudonymOf(t *testing.T, ws, id string) string {
	t.Helper()
	key, err := schemas.ReadPseudonymKey(filepath.Join(ws, "pseudonym.key"))
	if err != nil {
		t.Fatal(err)
	}
	return schemas.Pseudonym(key, id)
}
