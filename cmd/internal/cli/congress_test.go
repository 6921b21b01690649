package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/ingest/fmtr/fmtrtest"
)

// readAll returns every file of dir by name.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func workbookValues(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(sheet + "\n")
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

// The congressional export is reproducible: again for the same D and
// vintage gives byte-identical CSV and Parquet and the same workbook
// values, even after newer data were loaded.
func TestExportCongressReproducible(t *testing.T) {
	ws := fixtureWorkspace(t)
	export := func(dir string, extra ...string) map[string][]byte {
		t.Helper()
		args := append([]string{"export", "congress", "--workspace", ws, "--fy", "2026", "--out", dir}, extra...)
		if code, out := run(t, args...); code != 0 {
			t.Fatalf("export congress: %s", out)
		}
		return readAll(t, dir)
	}
	dirA, dirB, dirD := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b"), filepath.Join(t.TempDir(), "d")
	first := export(dirA)
	if len(first) != 15 {
		t.Fatalf("%d files, want a workbook and 7 tables as CSV and Parquet", len(first))
	}
	db := openWarehouse(t, ws)
	vintage := scalar(t, db, `SELECT max(batch_id) FROM batches`)
	db.Close()
	again := export(dirB)
	for name, body := range first {
		if strings.HasSuffix(name, ".xlsx") {
			continue
		}
		if !bytes.Equal(body, again[name]) {
			t.Errorf("%s differs between two exports", name)
		}
	}
	book := workbookValues(t, filepath.Join(dirA, "congress-fy2026.xlsx"))
	if workbookValues(t, filepath.Join(dirB, "congress-fy2026.xlsx")) != book {
		t.Error("the workbook's values differ between two exports")
	}
	if !strings.Contains(book, "By country") || !strings.Contains(book, "TRUE") {
		t.Error("the workbook lacks its sheets or any suppressed row")
	}
	// newer data, then the old vintage again
	body, _ := os.ReadFile(filepath.Join(fixtureDir, "enrollments.csv"))
	lines := strings.Split(string(body), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Replace(lines[i], ",COMPLETED,", ",FAILED,", 1)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "enrollments", "enrollments-v2.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	newer := export(filepath.Join(t.TempDir(), "c"))
	if bytes.Equal(newer["congress-fy2026-summary.csv"], first["congress-fy2026-summary.csv"]) {
		t.Fatal("the newer data changed nothing: the test proves nothing")
	}
	old := export(dirD, "--vintage", strconv.FormatInt(vintage, 10))
	if workbookValues(t, filepath.Join(dirD, "congress-fy2026.xlsx")) != book {
		t.Error("the workbook for the earlier vintage differs from the one made then")
	}
	for name, body := range first {
		if strings.HasSuffix(name, ".xlsx") {
			continue
		}
		if !bytes.Equal(body, old[name]) {
			t.Errorf("%s for vintage %d differs from the export made then", name, vintage)
		}
	}
}

// The FMTR export: the report's columns with the printed totals and their
// reconciliation, in each format.
func TestExportFMTR(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	run(t, "init", ws)
	copyFile(t, fmtrtest.File(t, "2013_2014_Near_East_fmtrpt.tsv"), filepath.Join(ws, "inbox", "fmtr_activities", "ne.tsv"))
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	dir := t.TempDir()
	for _, f := range []string{"csv", "parquet", "xlsx"} {
		out := filepath.Join(dir, "fmtr."+f)
		if code, msg := run(t, "export", "fmtr", "--workspace", ws, "--format", f, "--out", out); code != 0 || !strings.Contains(msg, "71 rows") {
			t.Errorf("export fmtr %s: %s", f, msg)
		}
	}
	rows := readCSV(t, filepath.Join(dir, "fmtr.csv"))
	for _, r := range rows {
		if r["reconciliation"] != "matches" || r["dollar_value"] != r["printed_dollars"] || r["sessions"] != r["printed_sessions"] {
			t.Errorf("row does not reconcile: %v", r)
		}
	}
	if len(rows) != 71 || rows[0]["individual_students"] != "" || !strings.Contains(rows[0]["note"], "person-level") {
		t.Errorf("%d rows; first %v", len(rows), rows[0])
	}
}
