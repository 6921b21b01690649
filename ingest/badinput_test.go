package ingest

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas/schemastest"
)

// Files that cannot be read at all are rejected whole, with a message that
// says what to fix, and leave nothing behind but the batch row recording
// the rejection.
func TestRejectedFiles(t *testing.T) {
	dir := t.TempDir()
	parquet := filepath.Join(dir, "students.parquet")
	truncated := filepath.Join(dir, "truncated.parquet")
	{
		db := schemastest.Memory(t)
		if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT 'S' || i AS student_id, 'KEN' AS country_code FROM range(1000) t(i)) TO '%s' (FORMAT parquet)`, parquet)); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(parquet)
		os.WriteFile(truncated, b[:len(b)/2], 0o644)
	}
	headerOnRow3 := filepath.Join(dir, "row3.xlsx")
	{
		x := excelize.NewFile()
		x.SetSheetRow("Sheet1", "A1", &[]any{"Students of FY2020"})
		x.SetSheetRow("Sheet1", "A3", &[]any{"student_id", "country_code"})
		x.SetSheetRow("Sheet1", "A4", &[]any{"S1", "KEN"})
		if err := x.SaveAs(headerOnRow3); err != nil {
			t.Fatal(err)
		}
	}
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte("student_id,country_code\nS1,KEN\n"))
	gw.Close()
	brokenGz := gz.Bytes()[:gz.Len()-10]

	cases := []struct {
		name, file, dataset string
		body                []byte
		want                string
	}{
		{"empty file", "students.csv", "students", []byte(""), "is empty: a CSV file needs a header row"},
		{"header only", "students.csv", "students", []byte("student_id,country_code\n"), "has a header but no rows"},
		{"missing required column", "students.csv", "students", []byte("student_id,family_name\nS1,Otieno\n"), "required column country_code missing from the header"},
		{"not UTF-8", "students.csv", "students", []byte("student_id,country_code,family_name\nS1,KEN,Ot\xe9eno\n"), "line 2 is not UTF-8 text"},
		{"not UTF-8 gzip", "students.csv.gz", "students", gzipped("student_id,country_code,family_name\nS1,KEN,Ot\xe9eno\n"), "line 2 is not UTF-8 text"},
		{"corrupt gzip", "students.csv.gz", "students", brokenGz, "cannot be read"},
		{"truncated parquet", "truncated.parquet", "students", nil, "is not a readable Parquet file"},
		{"xlsx header on row 3", "row3.xlsx", "students", nil, "the header must be in row 1 of sheet \"Sheet1\", but row 3 looks like the header"},
		{"unknown dataset", "students.csv", "studnets", []byte("student_id,country_code\nS1,KEN\n"), `no dataset "studnets"`},
		{"unknown format", "students.txt", "students", []byte("x"), "not a format imet reads"},
		{"semicolons", "students.csv", "students", []byte("student_id;country_code\nS1;KEN\n"), `seems to separate values with ";"`},
		{"repeated column", "students.csv", "students", []byte("student_id,country_code,Student ID\nS1,KEN,S2\n"), "names column student_id twice"},
		{"corrupt xlsx", "students.xlsx", "students", []byte("PK\x03\x04 not really a zip"), "is not a readable XLSX workbook"},
		{"one 10 MB line and nothing else", "students.csv", "students", []byte(strings.Repeat("student_id", 1<<20)), "line 1 (the header) is 10485760 bytes (10 MiB) long"},
		{"ndjson without required key", "students.ndjson", "students", []byte(`{"student_id": "S1"}` + "\n"), "no line has the required key country_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			path := filepath.Join(dir, c.file)
			if c.body != nil {
				path = writeFile(t, t.TempDir(), c.file, string(c.body))
			}
			res := load(t, l, path, c.dataset)
			if res.Status != StatusRejected || !strings.Contains(res.Reason, c.want) {
				t.Fatalf("status %s, reason %q; want rejected with %q", res.Status, res.Reason, c.want)
			}
			for _, table := range []string{"students", "quarantine", "files"} {
				if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a rejection", table, n)
				}
			}
			if n := count(t, db, "SELECT count(*) FROM batches WHERE status = 'rejected' AND message = ?", res.Reason); n != 1 {
				t.Errorf("rejection not recorded in batches")
			}
		})
	}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// Rows that are bad in ways only a whole row shows still leave the good
// rows of their file loaded.
func TestBadRowsDoNotHoldBackGoodOnes(t *testing.T) {
	long := strings.Repeat("x", 10<<20)
	cases := []struct {
		name, body string
		loaded     int64
		rule, want string
	}{
		{"a 10 MB line", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN," + long + "\nS3,KEN,C\n", 2, "malformed", "line 3 is 10485768 bytes (10.0 MiB) long, over the limit of 1048576 bytes (1 MiB)"},
		{"a 512 KiB name", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN," + long[:1<<19] + "\nS3,KEN,C\n", 2, "too_long", "family_name is 524288 characters long"},
		{"a formula", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\nS3,KEN,C\n", 2, "formula", "would run as a spreadsheet formula"},
		{"a formula after a tab", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN,\"\t=1+1\"\nS3,KEN,C\n", 2, "formula", "begins with a tab and would run as a spreadsheet formula"},
		{"a formula after a carriage return", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN,\"\r@x\"\nS3,KEN,C\n", 2, "formula", "begins with a carriage return"},
		{"an extra field", "student_id,country_code,family_name\nS1,KEN,A\nS2,KEN,Smith,John\nS3,KEN,C\n", 2, "malformed", "does not have the header's 3 fields (too many columns)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			res := load(t, l, writeFile(t, t.TempDir(), "students.csv", c.body), "students")
			if res.Status != StatusLoaded || res.Loaded != c.loaded || res.Quarantined != 1 {
				t.Fatalf("result = %+v", res)
			}
			got := quarantined(t, db, "students.csv")
			if len(got) != 1 || got[0].Line != 3 || got[0].Rule != c.rule || !strings.Contains(got[0].Reason, c.want) {
				t.Fatalf("quarantine = %+v", got)
			}
			if n := count(t, db, "SELECT count(*) FROM students WHERE student_id IN ('S1', 'S3')"); n != 2 {
				t.Errorf("good rows loaded: %d", n)
			}
		})
	}
}

// Unknown columns are a warning, never an error.
func TestUnknownColumnsWarn(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "student_id,country_code,shoe_size\nS1,KEN,44\n"), "students")
	if res.Loaded != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "shoe_size") {
		t.Fatalf("result = %+v", res)
	}
}

// The same rows as CSV, CSV.gz, NDJSON, Parquet and XLSX give identical
// tables.
func TestFormatsGiveIdenticalTables(t *testing.T) {
	dir := t.TempDir()
	recs, err := csv.NewReader(strings.NewReader(enrollHeader + enrollRows)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"csv":     writeFile(t, dir, "enrollments.csv", enrollHeader+enrollRows),
		"csv.gz":  writeFile(t, dir, "enrollments.csv.gz", string(gzipped(enrollHeader+enrollRows))),
		"ndjson":  writeNDJSON(t, dir, recs),
		"parquet": writeParquet(t, dir, recs),
		"xlsx":    writeXLSX(t, dir, recs),
	}
	var want string
	for _, f := range []string{"csv", "csv.gz", "ndjson", "parquet", "xlsx"} {
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		loadReference(t, l, t.TempDir())
		res := load(t, l, files[f], "enrollments")
		if res.Loaded != 3 || res.Quarantined != 1 {
			t.Fatalf("%s: %+v", f, res)
		}
		got := dump(t, db, "SELECT * EXCLUDE (_batch_id, _file, _sha256, _row) FROM enrollments ORDER BY enrollment_id") +
			dump(t, db, "SELECT column_name, value, rule, reason FROM quarantine ORDER BY ALL")
		if want == "" {
			want = got
		} else if got != want {
			t.Errorf("%s gives\n%s\nCSV gives\n%s", f, got, want)
		}
	}
}

const enrollRows = "E1,S1,B171001,,,2018-10-15,2019-06-01,COMPLETED,Major,OF3,85,51234.50,,APPROVED,2018-09-01\n" +
	"E2,S2,M302010,IMET,2017,2017-03-01,2017-02-01,COMPLETED,,,,,,,\n" +
	"E3,S2,B171001,FMS,2016,2016-01-04,2016-05-27,WITHDRAWN,Capitán de corbeta,of-3,64,1000,200,NOT_REQUIRED,\n" +
	"E4,S3,B171001,IMET,2016,2016-01-04,2016-05-27,COMPLETED,,,,1000,,,\n"

func writeNDJSON(t *testing.T, dir string, recs [][]string) string {
	var b strings.Builder
	for _, r := range recs[1:] {
		b.WriteString("{")
		first := true
		for i, v := range r {
			if v == "" {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			val := fmt.Sprintf("%q", v)
			if recs[0][i] == "ecl_score" || recs[0][i] == "cost_usd" {
				val = v // numbers as JSON numbers
			}
			fmt.Fprintf(&b, "%q: %s", recs[0][i], val)
		}
		b.WriteString("}\n")
	}
	return writeFile(t, dir, "enrollments.ndjson", b.String())
}

func writeParquet(t *testing.T, dir string, recs [][]string) string {
	src := writeFile(t, t.TempDir(), "e.csv", enrollHeader+enrollRows)
	out := filepath.Join(dir, "enrollments.parquet")
	db := schemastest.Memory(t)
	// Typed the way a real export types them: dates as DATE, numbers as numbers.
	q := fmt.Sprintf(`COPY (SELECT * REPLACE (start_date::DATE AS start_date, ecl_score::INTEGER AS ecl_score, cost_usd::DOUBLE AS cost_usd)
		FROM read_csv('%s', all_varchar = true)) TO '%s' (FORMAT parquet)`, src, out)
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
	return out
}

func writeXLSX(t *testing.T, dir string, recs [][]string) string {
	x := excelize.NewFile()
	style, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range recs {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	// One real date cell, as a spreadsheet user would have it.
	x.SetCellValue("Sheet1", "F2", mustDate(t, "2018-10-15"))
	x.SetCellStyle("Sheet1", "F2", "F2", style)
	out := filepath.Join(dir, "enrollments.xlsx")
	if err := x.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

func dump(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// A quote inside an unquoted value is an ordinary character (as read_csv
// reads it), and line numbers after it stay right.
func TestQuoteInsideValue(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	body := "student_id,country_code,family_name\nS1,KEN,O\"Brien\nS2,KEN,\"Two\nLines\"\nS3,XXX,C\n"
	res := load(t, l, writeFile(t, t.TempDir(), "students.csv", body), "students")
	if res.Loaded != 2 || res.Quarantined != 1 {
		t.Fatalf("result = %+v", res)
	}
	var name string
	db.QueryRow("SELECT family_name FROM students WHERE student_id = 'S1'").Scan(&name)
	if name != `O"Brien` {
		t.Errorf("name = %q", name)
	}
	if got := quarantined(t, db, "students.csv"); len(got) != 1 || got[0].Line != 5 {
		t.Errorf("quarantine = %+v, want line 5", got)
	}
}

// A malformed NDJSON line is one bad row, never the whole file.
func TestNDJSONMalformedLine(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	body := `{"student_id": "S1", "country_code": "KEN", "birth_year": 1980}` + "\n" +
		`{"student_id": "S2", "country_code": ` + "\n" +
		"\n" +
		`["S3", "KEN"]` + "\n" +
		`{"Student ID": "S4", "Country Code": "col", "birth_year": "1975", "extra": {"a": 1}}` + "\n"
	res := load(t, l, writeFile(t, t.TempDir(), "students.ndjson", body), "students")
	if res.Loaded != 2 || res.Quarantined != 2 || res.Rows != 4 {
		t.Fatalf("result = %+v", res)
	}
	got := quarantined(t, db, "students.ndjson")
	if len(got) != 2 || got[0].Line != 2 || got[1].Line != 4 || got[0].Rule != "malformed" || !strings.Contains(got[0].Reason, "not one JSON object") {
		t.Fatalf("quarantine = %+v", got)
	}
	var country string
	db.QueryRow("SELECT country_code FROM students WHERE student_id = 'S4'").Scan(&country)
	if country != "COL" {
		t.Errorf("S4 country = %q", country)
	}
}
