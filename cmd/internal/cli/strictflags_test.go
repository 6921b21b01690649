package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Every path-like and period-like flag is parsed strictly: a quarter with
// anything around it, a date outside the calendar, a negative batch or
// limit, an --out over the workspace's own files, a lake over a folder that
// is not one are refused, saying what a valid value looks like, and
// nothing is written.
func TestFlagsAreStrict(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	notLake := t.TempDir()
	if err := os.WriteFile(filepath.Join(notLake, "thesis.docx"), []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"quarter with a path", []string{"report", "quarterly", "--quarter", "FY2026Q3/../../x"}, 2, `quarter "FY2026Q3/../../X": write it as FY2026Q3`},
		{"quarter with a space", []string{"report", "quarterly", "--quarter", "FY2026Q3 "}, 2, "write it as FY2026Q3"},
		{"quarter with more digits", []string{"report", "quarterly", "--quarter", "FY2026Q31"}, 2, "write it as FY2026Q3"},
		{"date of year 20", []string{"transform", "--as-of", "0020-06-30"}, 2, `--as-of "0020-06-30": use a date as YYYY-MM-DD`},
		{"date with a time", []string{"run", "--as-of", "2026-06-30T00:00"}, 2, "use a date as YYYY-MM-DD"},
		{"negative vintage", []string{"transform", "--vintage", "-1"}, 2, "--vintage -1: give a number from 0 up (0: all batches)"},
		{"negative vintage of a report", []string{"report", "quarterly", "--quarter", "FY2026Q3", "--vintage", "-4"}, 2, "--vintage -4: give a number from 0 up"},
		{"negative limit", []string{"runs", "--limit", "-1"}, 2, "--limit -1: give a number from 0 up (0: no limit)"},
		{"fiscal year of the FMTR", []string{"export", "fmtr", "--out", filepath.Join(t.TempDir(), "f.csv"), "--fy", "17"}, 2, "--fy 17: give a fiscal year such as 2017"},
		{"metrics over the warehouse", []string{"export", "metrics", "--out", filepath.Join(ws, "warehouse.duckdb")}, 2, "is the workspace's own warehouse.duckdb"},
		{"metrics into the inbox", []string{"export", "metrics", "--out", filepath.Join(ws, "inbox", "students", "m.csv")}, 2, "is inside the workspace's inbox/"},
		{"metrics over the snapshot", []string{"export", "metrics", "--out", filepath.Join(ws, "published", "imet.duckdb")}, 2, "inside the workspace's published/"},
		{"lake over the workspace", []string{"export", "lake", "--out", ws}, 2, "is the workspace's own ws"},
		{"lake over a folder that is not one", []string{"export", "lake", "--out", notLake}, 1, "is not a lake (no manifest.json)"},
		{"congress over the config", []string{"export", "congress", "--fy", "2026", "--out", filepath.Join(ws, "imet.toml")}, 2, "is the workspace's own imet.toml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out := run(t, append(c.args, "--workspace", ws)...)
			if code != c.code || !strings.Contains(out, c.want) {
				t.Errorf("exit %d (want %d)\n%s\nwant %q", code, c.code, out, c.want)
			}
		})
	}
	if b, err := os.ReadFile(filepath.Join(notLake, "thesis.docx")); err != nil || string(b) != "years of work" {
		t.Errorf("the folder that is not a lake: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(ws, "reports", "FY2026Q3")); err == nil {
		t.Error("a refused quarter made a folder")
	}
}

// Every writer, holding the lock, tidies what killed writes left in
// reports/ and published/: temporary files of processes that are gone are
// removed, and a report pair left between its two renames is finished
// (rolled forward from its journal).
func TestWritersTidyLeftovers(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	q := filepath.Join(ws, "reports", "FY2026Q3")
	os.MkdirAll(q, 0o755)
	for name, body := range map[string]string{
		"evaluator-report.html":                        "new html",
		"evaluator-report.pdf":                         "old pdf",
		".evaluator-report.pdf.4194001.tmp":            "new pdf",
		".evaluator-report.pair.json":                  `[{"temp":".evaluator-report.html.4194001-7.tmp","target":"evaluator-report.html"},{"temp":".evaluator-report.pdf.4194001.tmp","target":"evaluator-report.pdf"}]`,
		".metric_values.csv.4194002-55.tmp":            "",
		"../../published/.imet.duckdb.4194003.tmp":     "",
		"../../published/.imet.duckdb.4194003.tmp.wal": "",
	} {
		if err := os.WriteFile(filepath.Join(q, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(q, "evaluator-report.pdf")); string(b) != "new pdf" {
		t.Errorf("the half-renamed pair was not finished: the PDF holds %q", b)
	}
	for _, dir := range []string{q, filepath.Join(ws, "published")} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("left in %s: %s", dir, e.Name())
			}
		}
	}
}

// imet report quarterly killed (SIGKILL, a real process) between the
// renames of its HTML and PDF leaves the journal of the pair; the next
// writer finishes it, so the PDF beside the new HTML is the new PDF.
func TestReportKilledBetweenHTMLAndPDF(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	if code, out := run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3"); code != 0 {
		t.Fatalf("report: %s", out)
	}
	dir := filepath.Join(ws, "reports", "FY2026Q3")
	oldPDF, _ := os.ReadFile(filepath.Join(dir, "evaluator-report.pdf"))
	cmd := child(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3")
	cmd.Env = append(cmd.Env, "IMET_TEST_PAIR_KILL=renamed one")
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the report was not killed: %v", err)
	}
	var renames []struct{ Temp, Target string }
	journal, err := os.ReadFile(filepath.Join(dir, ".evaluator-report.pair.json"))
	if err != nil || json.Unmarshal(journal, &renames) != nil || len(renames) != 2 {
		t.Fatalf("no journal of the pair: %v %s", err, journal)
	}
	newPDF, err := os.ReadFile(filepath.Join(dir, renames[1].Temp))
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "evaluator-report.pdf")); !bytes.Equal(now, oldPDF) {
		t.Fatal("the kill did not fall between the renames")
	}
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 { // any writer
		t.Fatalf("ingest: %s", out)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "evaluator-report.pdf")); !bytes.Equal(now, newPDF) {
		t.Error("the PDF beside the new HTML is not the new PDF")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left in %s: %s", dir, e.Name())
		}
	}
}
