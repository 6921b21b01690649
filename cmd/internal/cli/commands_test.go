package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		code, out := run(t, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: imet "+c.name) {
			t.Errorf("%s --help: exit %d\n%s", c.name, code, out)
		}
	}
	if code, out := run(t); code != 0 || !strings.Contains(out, "Commands:") {
		t.Errorf("no arguments: exit %d\n%s", code, out)
	}
	if code, out := run(t, "frobnicate"); code != 2 || !strings.Contains(out, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d\n%s", code, out)
	}
	if code, out := run(t, "quarantine", "--format", "xml"); code != 2 || !strings.Contains(out, "use one of csv, json, markdown, table") {
		t.Errorf("bad format: exit %d\n%s", code, out)
	}
}

func TestSchemaPrintsTheCommittedDictionary(t *testing.T) {
	t.Parallel()
	code, out := run(t, "schema")
	want, err := os.ReadFile("../../../docs/schema.md")
	if err != nil || code != 0 || out != string(want) {
		t.Fatalf("imet schema differs from docs/schema.md (exit %d, %v)", code, err)
	}
}

// A workspace from init, a rejected file and a good one dropped together:
// the good one loads and moves to the archive, the bad one moves to
// rejected/ with its reason, the exit code says something was rejected,
// and quarantine and sql read the result.
func TestInboxLifecycle(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 || !strings.Contains(out, "Workspace ready") {
		t.Fatalf("init: %s", out)
	}
	if _, err := os.Stat(filepath.Join(ws, "imet.toml")); err != nil {
		t.Fatal("no imet.toml")
	}
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code,sex\nS1,KEN,M\nS2,KEN,Q\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "students", "broken.csv"), []byte("id,name\n1,x\n"), 0o644)
	os.MkdirAll(filepath.Join(ws, "inbox", "studnets"), 0o755)
	os.WriteFile(filepath.Join(ws, "inbox", "studnets", "t.csv"), []byte("student_id,country_code\nS3,KEN\n"), 0o644)
	code, out := run(t, "ingest", "--workspace", ws)
	if code != 1 || !strings.Contains(out, "2 files rejected") {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	reason, err := os.ReadFile(filepath.Join(ws, "rejected", "students", "broken.csv.reason"))
	if err != nil || !strings.Contains(string(reason), "required column student_id, country_code missing") {
		t.Errorf("reason file: %q %v", reason, err)
	}
	if _, err := os.Stat(filepath.Join(ws, "rejected", "studnets", "t.csv.reason")); err != nil {
		t.Errorf("unknown dataset not moved aside: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(ws, "archive", "students", "*_s.csv")); len(m) != 1 {
		t.Errorf("archive: %v", m)
	}
	code, out = run(t, "quarantine", "--workspace", ws, "--format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["rule"] != "allowed" || rows[0]["line"] != float64(3) {
		t.Errorf("quarantine: exit %d\n%s", code, out)
	}
	// imet sql reads the snapshot, which a run publishes.
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "--format", "csv", "SELECT student_id, sex FROM students_public")
	if code != 0 || out != "student_id,sex\n"+pseudonymOf(t, ws, "S1")+",M\n" {
		t.Errorf("sql: exit %d\n%q", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "DROP TABLE students_public")
	if code != 1 || !strings.Contains(out, "refused: imet sql is read-only") {
		t.Errorf("sql write: exit %d\n%s", code, out)
	}
	code, out = run(t, "sql", "--workspace", ws, "COPY students_public TO '/tmp/leak.csv'")
	if code != 1 || !strings.Contains(out, "refused") {
		t.Errorf("sql copy out: exit %d\n%s", code, out)
	}

	// The corrected file resolves the quarantined row.
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s-fixed.csv"), []byte("student_id,country_code,sex\nS1,KEN,M\nS2,KEN,F\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 || !strings.Contains(out, "s-fixed.csv") {
		t.Fatalf("ingest of the corrected file: exit %d\n%s", code, out)
	}
	if code, out := run(t, "quarantine", "--workspace", ws, "--format", "csv"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("open quarantine after the fix: exit %d\n%s", code, out)
	}
	code, out = run(t, "quarantine", "--workspace", ws, "--all", "--raw", "--format", "json")
	rows = nil
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["resolved_by"] == nil || !strings.Contains(rows[0]["raw"].(string), `"sex":"Q"`) {
		t.Errorf("quarantine --all --raw: exit %d\n%s", code, out)
	}
}

func TestPromptRunsStatements(t *testing.T) {
	t.Parallel()
	db, err := schemas.Open(t.Context(), filepath.Join(t.TempDir(), "w.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out, errs bytes.Buffer
	in := strings.NewReader("SELECT 1 AS a,\n 2 AS b;\nSELEC 3;\nSELECT 'ok' AS c;\n\\q\n")
	if err := prompt(t.Context(), db, in, &out, &errs, "csv", limits{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "a,b\n1,2\n") || !strings.Contains(out.String(), "c\nok\n") || !strings.Contains(errs.String(), "syntax error") {
		t.Errorf("out %q, errors %q", out.String(), errs.String())
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[linking]\nthreshhold = 0.8\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 1 || !strings.Contains(out, "unknown setting linking.threshhold") {
		t.Errorf("exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[ingest]\ndate_formats = { enrolments = \"%d/%m/%Y\" }\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 1 || !strings.Contains(out, `no dataset "enrolments"`) {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestIngestNeedsAWorkspace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, out := run(t, "ingest", "--workspace", dir); code != 1 || !strings.Contains(out, "is not a workspace") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("ingest wrote into a folder that is not a workspace: %v", entries)
	}
}

// $IMET_WORKSPACE names the workspace of a command without --workspace
// (each command a process of its own, with its own environment).
func TestWorkspaceFromEnvironment(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code\nS1,KEN\n"), 0o644)
	inEnv := func(args ...string) (string, error) {
		cmd := child(t, args...)
		cmd.Dir = t.TempDir() // not the workspace: the variable must name it
		cmd.Env = append(cmd.Env, "IMET_WORKSPACE="+ws)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := inEnv("ingest"); err != nil || !strings.Contains(out, "s.csv") {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if out, err := inEnv("run"); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if out, err := inEnv("sql", "--format", "csv", "SELECT count(*) AS n FROM students_public"); err != nil || out != "n\n1\n" {
		t.Errorf("sql: %v\n%q", err, out)
	}
}
