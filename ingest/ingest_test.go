package ingest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas/schemastest"
)

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func newLoader(t *testing.T, db *sql.DB) *Loader {
	return &Loader{DB: db, Now: func() time.Time { return testNow }}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, l *Loader, path, dataset string) Result {
	t.Helper()
	res, err := l.LoadFile(context.Background(), path, dataset)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return res
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

type qrow struct {
	Line         int64
	Column, Rule string
	Reason       string
}

func quarantined(t *testing.T, db *sql.DB, file string) []qrow {
	t.Helper()
	rows, err := db.Query("SELECT line, coalesce(column_name, ''), rule, reason FROM quarantine WHERE file = ? ORDER BY line, rule", file)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []qrow
	for rows.Next() {
		var r qrow
		if err := rows.Scan(&r.Line, &r.Column, &r.Rule, &r.Reason); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

const coursesCSV = `course_code,course_title,category,school,functional_area,duration_weeks,human_rights_content
B171001,Command and General Staff,PME,CGSC,LEADERSHIP,44,true
M302010,Military Justice,eimet,DIILS,LEGAL,2.5,yes
`

const studentsCSV = "\ufeffStudent ID,Country-Code,family_name,given_names,birth_year,sex,service,cohort,index_date,rank_code_at_index\n" +
	"S1,KEN,Otieno,James,1980,M,ARMY,,,\n" +
	"S2,COL,Núñez,José María,1978,m,army,PARTICIPANT,,\n" +
	"S3,COL,Pérez,Ana,1985,F,NAVY,COMPARISON,2015-06-01,of 4\n" +
	"S4,XYZ,Bad,Country,1980,M,ARMY,,,\n" +
	"S5,KEN,Old,Man,1890,M,ARMY,,,\n" +
	"S6,KEN,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Z,1980,M,ARMY,,,\n" +
	"S7,KEN,Late,Peer,1980,M,ARMY,COMPARISON,,\n"

func TestLoadStudentsQuarantinesBadRows(t *testing.T) {
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	load(t, l, writeFile(t, dir, "courses.csv", coursesCSV), "courses")
	res := load(t, l, writeFile(t, dir, "students.csv", studentsCSV), "students")
	if res.Status != StatusLoaded || res.Rows != 7 || res.Loaded != 3 || res.Quarantined != 4 {
		t.Fatalf("result = %+v", res)
	}
	got := quarantined(t, db, "students.csv")
	want := []qrow{
		{Line: 5, Column: "country_code", Rule: "reference"},
		{Line: 6, Column: "birth_year", Rule: "range"},
		{Line: 7, Column: "family_name", Rule: "formula"},
		{Line: 8, Column: "index_date", Rule: "required"},
	}
	if len(got) != len(want) {
		t.Fatalf("quarantine = %+v", got)
	}
	for i := range want {
		if got[i].Line != want[i].Line || got[i].Column != want[i].Column || got[i].Rule != want[i].Rule {
			t.Errorf("quarantine[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !strings.Contains(got[1].Reason, "birth_year is outside 1930 to 2015") || strings.Contains(got[1].Reason, "1890") {
		t.Errorf("reason = %q", got[1].Reason)
	}
	var sex, cohort, rank string
	db.QueryRow("SELECT sex, cohort, coalesce(rank_code_at_index, '') FROM students WHERE student_id = 'S2'").Scan(&sex, &cohort, &rank)
	if sex != "M" || cohort != "PARTICIPANT" {
		t.Errorf("S2 sex=%q cohort=%q", sex, cohort)
	}
	db.QueryRow("SELECT rank_code_at_index FROM students WHERE student_id = 'S3'").Scan(&rank)
	if rank != "OF-4" {
		t.Errorf("S3 rank = %q, want OF-4", rank)
	}
	// Same bytes again: a no-op.
	again := load(t, l, writeFile(t, dir, "copy/students.csv", studentsCSV), "students")
	if again.Status != StatusAlreadyLoaded || again.BatchID != res.BatchID {
		t.Fatalf("reload = %+v", again)
	}
	if n := count(t, db, "SELECT count(*) FROM quarantine"); n != 4 {
		t.Errorf("quarantine rows after reload = %d", n)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
