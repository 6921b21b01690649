package ingest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

// Every input that a cast, a JSON decoder or a reader would once alter
// without a word (issue 17 items 6 and 7), each through the real loader
// into a real warehouse, in the format it arrives in: quarantined with its
// rule and a reason that says what to fix, or the file refused (or warned
// about) with a message that names the problem. Beside each, the good
// value of the same form loads unchanged.
func TestNoSilentCoercion(t *testing.T) {
	t.Parallel()
	const stud = "student_id,country_code,family_name,birth_year\n"
	const enr = "enrollment_id,student_id,course_code,start_date,status,fiscal_year,cost_usd\n"
	csvFile := func(name, body string) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string { return writeFile(t, dir, name, body) }
	}
	parquetFile := func(name, sel string) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string {
			out := filepath.Join(dir, name)
			if _, err := schemastest.Memory(t).Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", sel, out)); err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	xlsxFile := func(name string, sheets ...[]any) func(t *testing.T, dir string) string {
		// sheets: a sheet name, then its rows ([]any each)
		return func(t *testing.T, dir string) string {
			x := excelize.NewFile()
			for i, sh := range sheets {
				sheet := sh[0].(string)
				if i == 0 {
					if err := x.SetSheetName("Sheet1", sheet); err != nil {
						t.Fatal(err)
					}
				} else if _, err := x.NewSheet(sheet); err != nil {
					t.Fatal(err)
				}
				for r, row := range sh[1:] {
					cell, _ := excelize.CoordinatesToCellName(1, r+1)
					vals := row.([]any)
					if err := x.SetSheetRow(sheet, cell, &vals); err != nil {
						t.Fatal(err)
					}
				}
			}
			out := filepath.Join(dir, name)
			if err := x.SaveAs(out); err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	const fmtrHead = "country\tprogram\tcourse_title\tus_unit\tstudent_unit\tstart_date\tend_date\tlocation\tquantity\ttotal_cost\tsource\n"
	fmtrRow := func(title, location string) string {
		return "Angola\tIMET-1 - Fiscal Year 2013 Department of State Training\t" + title + "\tDLIELC, LACKLAND AFB TX\tAngolan Army\t10/15/2012\t1/4/2013\t" + location + "\t1\t$22,329 \t230209\n"
	}
	cases := []struct {
		name, dataset string
		file          func(t *testing.T, dir string) string
		// one of: the rule and column of the quarantined line 2, a
		// rejection's words, a warning's words
		rule, column, rejected, warning string
		// stored: a query that must count 0 (the altered value is not stored)
		stored string
	}{
		{name: "birth_year 1980.5", dataset: "students", file: csvFile("students.csv", stud+"S9,KEN,Doe,1980.5\n"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "birth_year 0x7BC", dataset: "students", file: csvFile("students.csv", stud+"S9,KEN,Doe,0x7BC\n"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "birth_year 1_980", dataset: "students", file: csvFile("students.csv", stud+"S9,KEN,Doe,1_980\n"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "birth_year 1.98e3", dataset: "students", file: csvFile("students.csv", stud+"S9,KEN,Doe,1.98e3\n"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "birth_year 1980.5 in NDJSON, a JSON number", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S9", "country_code": "KEN", "birth_year": 1980.5}`+"\n"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "birth_year 1980.5 in Parquet, a DOUBLE", dataset: "students", file: parquetFile("students.parquet", "SELECT 'S9' AS student_id, 'KEN' AS country_code, 1980.5::DOUBLE AS birth_year"), rule: "type", column: "birth_year", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "fiscal_year 2020.6", dataset: "enrollments", file: csvFile("enrollments.csv", enr+"E9,S1,C1,2020-01-06,COMPLETED,2020.6,\n"), rule: "type", column: "fiscal_year", stored: "SELECT count(*) FROM enrollments WHERE enrollment_id = 'E9'"},
		{name: "cost_usd 100.005", dataset: "enrollments", file: csvFile("enrollments.csv", enr+"E9,S1,C1,2020-01-06,COMPLETED,,100.005\n"), rule: "precision", column: "cost_usd", stored: "SELECT count(*) FROM enrollments WHERE enrollment_id = 'E9'"},
		{name: "cost_usd 12.5e-3", dataset: "enrollments", file: csvFile("enrollments.csv", enr+"E9,S1,C1,2020-01-06,COMPLETED,,12.5e-3\n"), rule: "type", column: "cost_usd", stored: "SELECT count(*) FROM enrollments WHERE enrollment_id = 'E9'"},
		{name: "cost_usd 1.005e2", dataset: "enrollments", file: csvFile("enrollments.csv", enr+"E9,S1,C1,2020-01-06,COMPLETED,,1.005e2\n"), rule: "type", column: "cost_usd", stored: "SELECT count(*) FROM enrollments WHERE enrollment_id = 'E9'"},
		{name: "cost_usd 100.005 in XLSX, a number cell", dataset: "enrollments", file: xlsxFile("enrollments.xlsx", []any{"Sheet1",
			[]any{"enrollment_id", "student_id", "course_code", "start_date", "status", "cost_usd"}, []any{"E9", "S1", "C1", "2020-01-06", "COMPLETED", 100.005}}),
			rule: "precision", column: "cost_usd", stored: "SELECT count(*) FROM enrollments WHERE enrollment_id = 'E9'"},
		{name: "NUL in a name (CSV)", dataset: "students", file: csvFile("students.csv", stud+"S9,KEN,Do\x00e,1980\n"), rule: "control", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "NUL in a name (NDJSON)", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S9", "country_code": "KEN", "family_name": "Do\u0000e"}`+"\n"), rule: "control", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "escape character in a name (Parquet)", dataset: "students", file: parquetFile("students.parquet", "SELECT 'S9' AS student_id, 'KEN' AS country_code, 'Do' || chr(27) || 'e' AS family_name"), rule: "control", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "index_date in year 0020", dataset: "students", file: csvFile("students.csv", "student_id,country_code,cohort,index_date\nS9,KEN,COMPARISON,0020-03-01\n"), rule: "range", column: "index_date", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "event_date in year 0020", dataset: "career_events", file: csvFile("career_events.csv", "event_id,student_id,event_date,event_type\nV9,S1,0020-03-01,VERIFIED\n"), rule: "range", column: "event_date", stored: "SELECT count(*) FROM career_events WHERE event_id = 'V9'"},
		{name: "a JSON key twice", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S8", "country_code": "KEN"}`+"\n"+`{"student_id": "S9", "country_code": "KEN", "family_name": "Doe", "family_name": "Roe"}`+"\n"), rule: "malformed", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "two JSON keys naming one column", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S8", "country_code": "KEN"}`+"\n"+`{"student_id": "S9", "country_code": "KEN", "Family Name": "Doe", "family_name": "Roe"}`+"\n"), rule: "malformed", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a JSON object in a name column", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S8", "country_code": "KEN"}`+"\n"+`{"student_id": "S9", "country_code": "KEN", "family_name": {"first": "Jo"}}`+"\n"), rule: "malformed", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a JSON array in a name column", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S8", "country_code": "KEN"}`+"\n"+`{"student_id": "S9", "country_code": "KEN", "given_names": ["Jo", "Ann"]}`+"\n"), rule: "malformed", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a Parquet STRUCT in a name column", dataset: "students", file: parquetFile("students.parquet", "SELECT 'S9' AS student_id, 'KEN' AS country_code, {'first': 'Jo', 'last': 'Doe'} AS family_name"), rejected: "column family_name is a Parquet STRUCT", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a Parquet LIST in a name column", dataset: "students", file: parquetFile("students.parquet", "SELECT 'S9' AS student_id, 'KEN' AS country_code, ['Jo', 'Ann'] AS given_names"), rejected: "column given_names is a Parquet VARCHAR[]", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a workbook of several sheets", dataset: "students", file: xlsxFile("students.xlsx",
			[]any{"Sheet1", []any{"student_id", "country_code"}, []any{"S9", "KEN"}}, []any{"More students", []any{"student_id", "country_code"}, []any{"S10", "KEN"}}, []any{"Empty"}),
			warning: `only sheet "Sheet1" of the workbook was read; 1 other sheets with data were not ("More students")`, stored: "SELECT count(*) FROM students WHERE student_id = 'S10'"},
		{name: "the sheet named after the dataset", dataset: "students", file: xlsxFile("students.xlsx",
			[]any{"Notes", []any{"read me"}}, []any{"Students", []any{"student_id", "country_code"}, []any{"S10", "KEN"}}),
			warning: `only sheet "Students" of the workbook was read; 1 other sheets with data were not ("Notes")`, stored: "SELECT count(*) FROM students WHERE student_id = 'S10' AND false"},
		{name: "=HYPERLINK in a name (CSV)", dataset: "students", file: csvFile("students.csv", stud+`S9,KEN,"=HYPERLINK(""http://x"",""click"")",1980`+"\n"), rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "=cmd in a title (NDJSON)", dataset: "career_events", file: csvFile("career_events.ndjson", `{"event_id": "V9", "student_id": "S1", "event_date": "2020-01-01", "event_type": "VERIFIED", "position_title": "=cmd|' /C calc'!A0"}`+"\n"), rule: "formula", column: "position_title", stored: "SELECT count(*) FROM career_events WHERE event_id = 'V9'"},
		{name: "a tab before a formula (Parquet)", dataset: "students", file: parquetFile("students.parquet", "SELECT 'S9' AS student_id, 'KEN' AS country_code, chr(9) || '=1+1' AS family_name"), rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a carriage return before a formula (XLSX)", dataset: "students", file: xlsxFile("students.xlsx", []any{"Sheet1", []any{"student_id", "country_code", "family_name"}, []any{"S9", "KEN", "\r=1+1"}}), rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "@ in a name (XLSX)", dataset: "students", file: xlsxFile("students.xlsx", []any{"Sheet1", []any{"student_id", "country_code", "family_name"}, []any{"S9", "KEN", "@SUM(A1)"}}), rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a tab before a formula (NDJSON)", dataset: "students", file: csvFile("students.ndjson", `{"student_id": "S9", "country_code": "KEN", "family_name": "\t=1+1"}`+"\n"), rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a carriage return before a formula (CSV.gz)", dataset: "students", file: func(t *testing.T, dir string) string {
			return writeFile(t, dir, "students.csv.gz", string(gzipped(stud+"S9,KEN,\"\r=1+1\",1980\n")))
		}, rule: "formula", column: "family_name", stored: "SELECT count(*) FROM students WHERE student_id = 'S9'"},
		{name: "a carriage return before a formula in the FMTR final dataset (CSV)", dataset: schemas.FMTRActivities, file: csvFile("sfm_final.csv",
			"training:id:admin,training:country,qa:training_country_iso_3166_1,training:program,training:course_title,training:delivery_unit,training:recipient_unit,qa:training_start_date_clean,qa:training_end_date_clean,training:location,training:quantity,training:total_cost,training:source_at_publication_level:admin\n"+
				"00000000-0000-4000-8000-000000000001,Angola,AGO,IMET-1 - Fiscal Year 2013 Department of State Training,\"\r=HYPERLINK(\"\"http://x\"\")\",\"DLIELC, LACKLAND AFB TX\",Centros de Linguas,2013-01-07,2013-04-26,\"DLIELC, LACKLAND AFB TX\",1,27778,230209\n"),
			rule: "formula", column: "training:course_title", stored: "SELECT count(*) FROM fmtr_activities"},
		{name: "=HYPERLINK in an FMTR course title", dataset: schemas.FMTRActivities, file: csvFile("2013_2014_Africa_fmtrpt.tsv", fmtrHead+fmtrRow(`=HYPERLINK("http://x","click")`, "DLIELC, LACKLAND AFB TX")), rule: "formula", column: "course_title", stored: "SELECT count(*) FROM fmtr_activities WHERE course_title LIKE '=%'"},
		{name: "=cmd in an FMTR location", dataset: schemas.FMTRActivities, file: csvFile("2013_2014_Africa_fmtrpt.tsv", fmtrHead+fmtrRow("English", "=cmd|' /C calc'!A0")), rule: "formula", column: "location", stored: "SELECT count(*) FROM fmtr_activities WHERE location LIKE '=%'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			dir := t.TempDir()
			load(t, l, writeFile(t, dir, "ref/courses.csv", "course_code,category\nC1,PME\n"), "courses")
			load(t, l, writeFile(t, dir, "ref/students.csv", "student_id,country_code\nS1,KEN\n"), "students")
			path := c.file(t, dir)
			res := load(t, l, path, c.dataset)
			file := filepath.Base(path)
			switch {
			case c.rejected != "":
				if res.Status != StatusRejected || !strings.Contains(res.Reason, c.rejected) {
					t.Errorf("want rejected with %q: %s %q", c.rejected, res.Status, res.Reason)
				}
			case c.warning != "":
				if w := strings.Join(res.Warnings, "; "); res.Status != StatusLoaded || !strings.Contains(w, c.warning) {
					t.Errorf("want loaded with a warning %q: %s, %q", c.warning, res.Status, w)
				}
			default:
				// the bad record is the file's last: line 2 below a header,
				// else record 1 (Parquet), or line 2 of two (NDJSON)
				line := int64(2)
				if strings.HasSuffix(file, ".parquet") || (strings.HasSuffix(file, ".ndjson") && c.rule != "malformed") {
					line = 1
				}
				q := quarantined(t, db, file)
				if len(q) != 1 || q[0].Rule != c.rule || q[0].Column != c.column || q[0].Line != line {
					t.Fatalf("want line %d quarantined by %s on %q, got %+v (%+v)", line, c.rule, c.column, q, res)
				}
				// What to fix follows a colon or a semicolon.
				if _, todo, ok := strings.Cut(q[0].Reason, ": "); !ok || len(todo) < 8 {
					if _, todo, ok = strings.Cut(q[0].Reason, "; "); !ok || len(todo) < 8 {
						t.Errorf("reason %q says nothing to do", q[0].Reason)
					}
				}
				t.Logf("%s", q[0].Reason)
			}
			if n := count(t, db, c.stored); n != 0 {
				t.Errorf("%s: %d, want 0", c.stored, n)
			}
		})
	}
	t.Logf("%d bad-input kinds", len(cases))
}

// The same forms written right load unchanged: the strict forms refuse
// only what a cast would alter.
func TestStrictFormsKeepGoodValues(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	load(t, l, writeFile(t, dir, "ref/courses.csv", "course_code,category\nC1,PME\n"), "courses")
	res := load(t, l, writeFile(t, dir, "students.csv", "student_id,country_code,birth_year,family_name\nS1,KEN,1980,-Smith\nS2,KEN,1981.0,O'Neil\nS3,KEN,+1982,Tab\tInside\n"), "students")
	if res.Loaded != 3 || res.Quarantined != 0 {
		t.Fatalf("students: %+v", res)
	}
	if got := dump(t, db, "SELECT student_id, birth_year FROM students ORDER BY 1"); got != "S1 1980\nS2 1981\nS3 1982\n" {
		t.Errorf("birth years:\n%s", got)
	}
	res = load(t, l, writeFile(t, dir, "enrollments.csv", "enrollment_id,student_id,course_code,start_date,status,fiscal_year,cost_usd\nE1,S1,C1,1999-12-31,COMPLETED,2000,100.500\nE2,S1,C1,2020-01-06,COMPLETED,,.25\nE3,S1,C1,1900-01-01,COMPLETED,2000,7\n"), "enrollments")
	if res.Loaded != 3 || res.Quarantined != 0 {
		t.Fatalf("enrollments: %+v %+v", res, quarantined(t, db, "enrollments.csv"))
	}
	if got := dump(t, db, "SELECT enrollment_id, cost_usd::VARCHAR, fiscal_year FROM enrollments ORDER BY 1"); got != "E1 100.50 2000\nE2 0.25 2020\nE3 7.00 2000\n" {
		t.Errorf("enrollments:\n%s", got)
	}
}
