package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/ingest/fmtr/fmtrtest"
	"github.com/imet-project/imet/reports/congress"
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
	t.Parallel()
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
	if len(first) != 19 {
		t.Fatalf("%d files, want a workbook and 9 tables as CSV and Parquet", len(first))
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
// reconciliation, in each format; in the workbook, fiscal years are plain
// years and the headers are the congressional FMTR columns sheet's words.
func TestExportFMTR(t *testing.T) {
	t.Parallel()
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

	// Individual students come from person-level enrollments: a count
	// below the minimum cell size (5) is withheld with a note.
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code\nS1,EGY\nS2,EGY\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "courses", "c.csv"), []byte("course_code,category\nC1,PME\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "enrollments", "e.csv"), []byte("enrollment_id,student_id,course_code,program,start_date,status\nE1,S1,C1,IMET,2013-01-10,COMPLETED\nE2,S2,C1,IMET,2013-02-10,COMPLETED\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	small := filepath.Join(dir, "small.csv")
	if code, msg := run(t, "export", "fmtr", "--workspace", ws, "--format", "csv", "--out", small); code != 0 {
		t.Fatalf("export fmtr: %s", msg)
	}
	withheld := 0
	for _, r := range readCSV(t, small) {
		if r["country_code"] == "EGY" && r["program"] == "IMET" && r["fiscal_year"] == "2013" {
			if r["individual_students"] != "" || !strings.Contains(r["note"], "individual students suppressed: below the minimum cell size of 5") {
				t.Errorf("2 individual students shown: %v", r)
			}
			withheld++
		}
	}
	if withheld == 0 {
		t.Error("no EGY IMET FY2013 row to check")
	}

	f, err := excelize.OpenFile(filepath.Join(dir, "fmtr.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	head, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Fiscal year", "Region", "Country code", "Program", "Sub-program", "Training sessions", "Course count", "Dollar value",
		"Printed training sessions", "Printed dollar value", "Reconciliation with the printed totals", "Individual students", "Note"}
	if !slices.Equal(head[0], want) {
		t.Errorf("headers %q, want %q", head[0], want)
	}
	// the same words as the congressional workbook's FMTR columns sheet
	for _, c := range []congress.Column{congress.FMTRSessions, congress.FMTRCourses, congress.FMTRDollars, congress.FMTRStudents, congress.FMTRRegion, congress.FMTRProgram} {
		if !slices.Contains(head[0], c.Header) {
			t.Errorf("no column headed %q, as on the FMTR columns sheet", c.Header)
		}
	}
	shown, _ := f.GetCellValue(sheet, "A2")
	raw, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true})
	id, _ := f.GetCellStyle(sheet, "A2")
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	format := "(built in)"
	if st.CustomNumFmt != nil {
		format = *st.CustomNumFmt
	}
	if shown != "2013" || raw != "2013" || format != "0" {
		t.Errorf("fiscal year shown %q, stored %q, format %q: want 2013 with format 0", shown, raw, format)
	}
	if p, _ := f.GetDocProps(); p.Creator != "imet" || !strings.Contains(p.Title, "Foreign Military Training Report") {
		t.Errorf("document properties %+v", p)
	}
}

// A fiscal year without enrollments is an error (exit 1) that names the
// years with data, before any transform runs and without writing a file;
// a year with data gets a workbook made by imet at the time of the export.
func TestExportCongressFiscalYear(t *testing.T) {
	t.Parallel()
	ws := loadedFixture(t)
	dir := filepath.Join(t.TempDir(), "out")
	code, out := run(t, "export", "congress", "--workspace", ws, "--fy", "2030", "--out", dir)
	if code != 1 {
		t.Errorf("--fy 2030: exit %d, want 1: %s", code, out)
	}
	for _, want := range []string{"FY2030 has no data", "Fiscal years with data: 2008–2026", "--fy"} {
		if !strings.Contains(out, want) {
			t.Errorf("--fy 2030: %q lacks %q", out, want)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("--fy 2030 made the output folder (%v)", err)
	}
	db := openWarehouse(t, ws)
	if n := scalar(t, db, `SELECT count(*) FROM transform_runs`); n != 0 {
		t.Errorf("--fy 2030 ran %d transforms", n)
	}
	db.Close()

	before := time.Now().Truncate(time.Second)
	if code, out := run(t, "export", "congress", "--workspace", ws, "--fy", "2026", "--out", dir, "--format", "xlsx"); code != 0 {
		t.Fatalf("--fy 2026: %s", out)
	}
	after := time.Now()
	f, err := excelize.OpenFile(filepath.Join(dir, "congress-fy2026.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	created, err := time.Parse(time.RFC3339, p.Created)
	if err != nil || created.Before(before) || created.After(after) || p.Modified != p.Created {
		t.Errorf("created %q, modified %q: want the export time, between %v and %v", p.Created, p.Modified, before, after)
	}
	if p.Creator != "imet" || p.Title != "IMET congressional summary FY2026" || !strings.Contains(p.Subject, "fiscal year 2026") {
		t.Errorf("document properties %+v", p)
	}
	if layout, _ := f.GetPageLayout("By country"); layout.Orientation == nil || *layout.Orientation != "landscape" {
		t.Errorf("By country does not print landscape")
	}
}
