package ingest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/imet-project/imet/schemas/schemastest"
)

// What a new user hit with files exported the way training offices export
// them (issue 11).

const fullStudents = "student_id,country_code,family_name,given_names,birth_year,sex,service,cohort\n" +
	"S1,KEN,Otieno,Daniel,1980,M,ARMY,PARTICIPANT\n" +
	"S2,GHA,Mensah,Ama,1985,F,NAVY,PARTICIPANT\n"

// A file changes only the columns it carries: an absent column keeps the
// stored value, a present empty one sets NULL, and history keeps the
// version replaced.
func TestPartialFileKeepsStoredColumns(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"csv", "ndjson", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			dir := t.TempDir()
			load(t, l, writeFile(t, dir, "a/students.csv", fullStudents), "students")
			// S1 moves to the comparison... no: S1's country is corrected;
			// S2's service is blanked on purpose (present and empty).
			recs := [][]string{
				{"student_id", "country_code", "cohort"},
				{"S1", "UGA", "PARTICIPANT"},
			}
			var path string
			switch format {
			case "csv":
				path = writeFile(t, dir, "b/students.csv", "student_id,country_code,cohort\nS1,UGA,PARTICIPANT\n")
			case "ndjson":
				path = writeNDJSON(t, t.TempDir(), recs)
			case "xlsx":
				path = xlsxOf(t, recs)
			}
			res := load(t, l, path, "students")
			if res.Replaced != 1 || res.Loaded != 0 || res.Quarantined != 0 {
				t.Fatalf("partial file = %+v", res)
			}
			if !strings.Contains(strings.Join(res.Warnings, ";"), "keep their stored values") {
				t.Errorf("no word that stored values were kept: %q", res.Warnings)
			}
			got := dump(t, db, "SELECT student_id, country_code, family_name, given_names, birth_year, sex, service FROM students ORDER BY 1")
			want := "S1 UGA Otieno Daniel 1980 M ARMY\nS2 GHA Mensah Ama 1985 F NAVY\n"
			if got != want {
				t.Errorf("students after a partial file:\n%s\nwant\n%s", got, want)
			}
			if h := dump(t, db, "SELECT student_id, country_code, family_name FROM students_history"); h != "S1 KEN Otieno\n" {
				t.Errorf("history = %q", h)
			}
		})
	}
	t.Run("present and empty sets NULL", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		dir := t.TempDir()
		load(t, l, writeFile(t, dir, "a/students.csv", fullStudents), "students")
		res := load(t, l, writeFile(t, dir, "b/students.csv", "student_id,country_code,service\nS2,GHA,\n"), "students")
		if res.Replaced != 1 {
			t.Fatalf("result = %+v", res)
		}
		if got := dump(t, db, "SELECT family_name, coalesce(service, 'NULL') FROM students WHERE student_id = 'S2'"); got != "Mensah NULL\n" {
			t.Errorf("S2 = %q, want the name kept and the service emptied", got)
		}
	})
	t.Run("the same partial file again is unchanged", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		dir := t.TempDir()
		load(t, l, writeFile(t, dir, "a/students.csv", fullStudents), "students")
		res := load(t, l, writeFile(t, dir, "b/students.csv", "student_id,country_code\nS1,KEN\nS3,KEN\n"), "students")
		if res.Unchanged != 1 || res.Loaded != 1 || res.Replaced != 0 {
			t.Fatalf("result = %+v: a partial row equal to the stored one is unchanged", res)
		}
	})
}

// A renamed column is recognised when its words are the contract's, an
// alias maps another name, and an unknown name that resembles a contract
// column is named with "did you mean".
func TestRenamedColumns(t *testing.T) {
	t.Parallel()
	// each subtest writes its own reference files: the subtests run at
	// once, and one rewriting a shared file while another reads it failed
	loadRef := func(t *testing.T, l *Loader) {
		dir := t.TempDir()
		load(t, l, writeFile(t, dir, "ref/students.csv", fullStudents), "students")
		load(t, l, writeFile(t, dir, "ref/courses.csv", "course_code,category\nC1,PME\n"), "courses")
	}
	t.Run("Cost (USD) from a workbook", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		loadRef(t, l)
		path := xlsxOf(t, [][]string{
			{"Enrollment ID", "Student ID", "Course Code", "Start Date", "Status", "Cost (USD)"},
			{"E1", "S1", "C1", "2024-01-10", "COMPLETED", "1234.50"},
		})
		res := load(t, l, path, "enrollments")
		if res.Loaded != 1 || len(res.Warnings) != 0 {
			t.Fatalf("result = %+v", res)
		}
		if got := dump(t, db, "SELECT cost_usd::VARCHAR FROM enrollments"); got != "1234.50\n" {
			t.Errorf("cost_usd = %q", got)
		}
	})
	t.Run("alias", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		l.Sources = map[string]Source{"enrollments": {Aliases: map[string]string{"Tuition and travel": "cost_usd"}}}
		loadRef(t, l)
		res := load(t, l, writeFile(t, t.TempDir(), "e.csv", "enrollment_id,student_id,course_code,start_date,status,TUITION AND TRAVEL\nE1,S1,C1,2024-01-10,COMPLETED,99\n"), "enrollments")
		if res.Loaded != 1 || len(res.Warnings) != 0 {
			t.Fatalf("result = %+v", res)
		}
		if got := dump(t, db, "SELECT cost_usd::VARCHAR FROM enrollments"); got != "99.00\n" {
			t.Errorf("cost_usd = %q", got)
		}
	})
	t.Run("did you mean", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		loadRef(t, l)
		res := load(t, l, writeFile(t, t.TempDir(), "e.csv", "enrollment_id,student_id,course_code,start_date,status,cost_usdd,shoe_size\nE1,S1,C1,2024-01-10,COMPLETED,99,44\n"), "enrollments")
		w := strings.Join(res.Warnings, ";")
		if !strings.Contains(w, "cost_usdd (did you mean cost_usd?") || strings.Contains(w, "shoe_size (did you mean") {
			t.Errorf("warnings = %q", w)
		}
	})
	t.Run("a required column under another name", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		res := load(t, l, writeFile(t, t.TempDir(), "s.csv", "student_id,country_cde\nS1,KEN\n"), "students")
		if res.Status != StatusRejected || !strings.Contains(res.Reason, "did you mean country_code for the file's country_cde?") {
			t.Errorf("result = %+v", res)
		}
	})
}

// The same bytes sent again load only with Force, and the reload is
// recorded; a corrected date setting then loads rows it quarantined.
func TestForceReload(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	body := "enrollment_id,student_id,course_code,start_date,status\nE9,S1,C1,03/15/2024,COMPLETED\n"
	load(t, l, writeFile(t, dir, "students.csv", fullStudents), "students")
	load(t, l, writeFile(t, dir, "courses.csv", "course_code,category\nC1,PME\n"), "courses")
	path := writeFile(t, dir, "enrollments.csv", body)
	first := load(t, l, path, "enrollments")
	q := quarantined(t, db, "enrollments.csv")
	if first.Quarantined != 1 || len(q) != 1 || !strings.Contains(q[0].Reason, "[ingest] date_formats = { enrollments =") ||
		!strings.Contains(q[0].Reason, "imet ingest --force") {
		t.Fatalf("first load %+v, quarantine %+v: the date error must name the setting", first, q)
	}
	if again := load(t, l, path, "enrollments"); again.Status != StatusAlreadyLoaded {
		t.Fatalf("same bytes again = %+v", again)
	}
	l.Sources = map[string]Source{"enrollments": {DateFormat: "%m/%d/%Y"}}
	l.Force = true
	forced := load(t, l, path, "enrollments")
	if forced.Status != StatusLoaded || forced.Loaded != 1 || forced.BatchID == first.BatchID {
		t.Fatalf("forced = %+v", forced)
	}
	if n := count(t, db, "SELECT count(*) FROM batches WHERE sha256 = ? AND message LIKE '%reloaded with --force%'", forced.SHA256); n != 1 {
		t.Errorf("%d batches record the forced reload", n)
	}
	if n := count(t, db, "SELECT count(*) FROM files WHERE sha256 = ? AND batch_id = ?", forced.SHA256, forced.BatchID); n != 1 {
		t.Errorf("the ledger does not name the forced batch")
	}
	if n := count(t, db, "SELECT count(*) FROM quarantine WHERE dataset = 'enrollments' AND resolved_by IS NULL"); n != 0 {
		t.Errorf("%d quarantined rows still open after the corrected reload", n)
	}
	// Forced again with the old setting: the bad row is open once, not
	// once per load.
	l.Sources = nil
	load(t, l, path, "enrollments")
	load(t, l, path, "enrollments")
	if n := count(t, db, "SELECT count(*) FROM quarantine WHERE dataset = 'enrollments' AND resolved_by IS NULL"); n != 1 {
		t.Errorf("%d open quarantine entries for one bad row after three forced loads", n)
	}
}

// Exports of spreadsheet programs and of sources that cannot change them.
func TestSpreadsheetExports(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		src    Source
		body   []byte
		loaded int64
		bad    int64
	}{
		{"trailing empty columns on every row", Source{}, []byte("student_id,country_code,,\nS1,KEN,,\nS2,GHA,,\n"), 2, 0},
		{"trailing empty header cells, short rows", Source{}, []byte("student_id,country_code,,\nS1,KEN\nS2,GHA,,\n"), 2, 0},
		{"trailing empty fields beyond the header", Source{}, []byte("student_id,country_code\nS1,KEN,,\nS2,GHA\n"), 2, 0},
		{"a real value beyond the header stays malformed", Source{}, []byte("student_id,country_code\nS1,KEN,,x\nS2,GHA\n"), 1, 1},
		{"a short row stays malformed", Source{}, []byte("student_id,country_code,family_name\nS1\nS2,GHA,Mensah\n"), 1, 1},
		{"semicolons, declared", Source{Delimiter: ";"}, []byte("student_id;country_code;family_name\nS1;KEN;\"Otieno; Jr\"\n"), 1, 0},
		{"Windows-1252, declared", Source{Encoding: "windows-1252"}, func() []byte {
			b, _ := charmap.Windows1252.NewEncoder().Bytes([]byte("student_id,country_code,family_name\nS1,KEN,Müller–Ötieno\n"))
			return b
		}(), 1, 0},
		{"Latin-1, declared", Source{Encoding: "latin-1"}, []byte("student_id,country_code,family_name\nS1,KEN,Ot\xe9eno\n"), 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			l.Sources = map[string]Source{"students": c.src}
			path := writeFile(t, t.TempDir(), "students.csv", string(c.body))
			res := load(t, l, path, "students")
			if res.Status != StatusLoaded || res.Loaded != c.loaded || res.Quarantined != c.bad || res.Rows != c.loaded+c.bad {
				t.Fatalf("result = %+v (reason %q)", res, res.Reason)
			}
			if c.src.Encoding != "" {
				var name string
				db.QueryRow("SELECT family_name FROM students").Scan(&name)
				if name != "Müller–Ötieno" && name != "Otéeno" {
					t.Errorf("family_name = %q", name)
				}
				// The ledger knows the file by its own bytes.
				sum := sha(t, path)
				if res.SHA256 != sum {
					t.Errorf("ledger sha %s, file %s", res.SHA256, sum)
				}
			}
		})
	}
	t.Run("an XLSX header with empty cells at the end", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		x := excelize.NewFile()
		x.SetSheetRow("Sheet1", "A1", &[]any{"student_id", "country_code", ""})
		x.SetSheetRow("Sheet1", "A2", &[]any{"S1", "KEN"})
		x.SetSheetRow("Sheet1", "A3", &[]any{"S2", "GHA", "stray"})
		path := filepath.Join(t.TempDir(), "s.xlsx")
		if err := x.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		res := load(t, l, path, "students")
		if res.Loaded != 1 || res.Quarantined != 1 {
			t.Fatalf("result = %+v: the stray value must be quarantined, the other row loaded", res)
		}
	})
	t.Run("undeclared Latin-1 names the setting", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "student_id,country_code,family_name\nS1,KEN,Ot\xe9eno\n"), "students")
		if res.Status != StatusRejected || !strings.Contains(res.Reason, `encodings = { students = "windows-1252" }`) {
			t.Errorf("result = %+v", res)
		}
	})
	t.Run("undeclared semicolons name the setting", func(t *testing.T) {
		t.Parallel()
		db := schemastest.Memory(t)
		l := newLoader(t, db)
		res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "student_id;country_code\nS1;KEN\n"), "students")
		if res.Status != StatusRejected || !strings.Contains(res.Reason, `delimiters = { students = ";" }`) {
			t.Errorf("result = %+v", res)
		}
	})
}

func TestSourceCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src  Source
		want string
	}{
		{Source{Delimiter: ";;"}, "use one ASCII character"},
		{Source{Delimiter: `"`}, "use one ASCII character"},
		{Source{Encoding: "ebcdic"}, `use "utf-8", "latin-1" or "windows-1252"`},
		{Source{Aliases: map[string]string{"Cost": "price"}}, `"price" is not a column of enrollments`},
		{Source{Delimiter: "\t", Encoding: "CP-1252", Aliases: map[string]string{"Cost": "Cost USD"}}, ""},
	} {
		err := c.src.Check("enrollments")
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("Check(%+v) = %v, want %q", c.src, err, c.want)
		}
	}
}

// Inbox folders are matched like headers.
func TestDatasetFolderNames(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	writeFile(t, inbox, "Students/a.csv", "x")
	writeFile(t, inbox, "Career Events/b.csv", "x")
	writeFile(t, inbox, "studnets/c.csv", "x")
	items, err := Discover(inbox)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Dataset)
	}
	if strings.Join(got, ",") != "students,career_events,studnets" {
		t.Errorf("datasets = %v", got)
	}
}

// Only batches that loaded a file name a vintage.
func TestRejectedBatchesAreNoVintage(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	dir := t.TempDir()
	good := load(t, l, writeFile(t, dir, "students.csv", fullStudents), "students")
	for _, n := range []string{"x.txt", "y.txt"} {
		if r := load(t, l, writeFile(t, dir, n, "junk"), "students"); r.Status != StatusRejected {
			t.Fatalf("%s = %+v", n, r)
		}
	}
	var v int64
	if err := db.QueryRow(`SELECT max(batch_id) FROM batches WHERE status = 'loaded'`).Scan(&v); err != nil || v != good.BatchID {
		t.Fatalf("loaded batches end at %d, %v", v, err)
	}
	_ = sql.ErrNoRows
}

func xlsxOf(t *testing.T, recs [][]string) string {
	t.Helper()
	x := excelize.NewFile()
	for i, r := range recs {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	out := filepath.Join(t.TempDir(), "file.xlsx")
	if err := x.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

func sha(t *testing.T, path string) string {
	t.Helper()
	sc, err := prescan(context.Background(), path, Parquet, ',', "students", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if sc.bytes != int64(len(b)) {
		t.Fatalf("prescan read %d of %d bytes", sc.bytes, len(b))
	}
	return sc.sha256
}

// A leading minus is common in real text and loads (exports neutralise it);
// =, +, @, a tab and a carriage return are formulas (TestBadRowsDoNotHoldBackGoodOnes).
func TestLeadingMinusLoads(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "student_id,country_code,family_name\nS1,KEN,-Smith\n"), "students")
	if res.Loaded != 1 || res.Quarantined != 0 {
		t.Errorf("result = %+v", res)
	}
}

// Excel's empty trailing rows (delimiters only) are skipped with a word,
// not quarantined as rows missing their required values.
func TestEmptyRowsSkipped(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	l.Sources = map[string]Source{"students": {Delimiter: ";"}}
	res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "student_id;country_code;family_name\nS1;KEN;Otieno\n;;\nS2;GHA;Mensah\n;;\n"), "students")
	if res.Loaded != 2 || res.Quarantined != 0 || res.Rows != 2 || !strings.Contains(strings.Join(res.Warnings, ";"), "2 empty rows (delimiters only) skipped") {
		t.Fatalf("result = %+v", res)
	}
	if got := dump(t, db, "SELECT student_id, _row FROM students ORDER BY 1"); got != "S1 2\nS2 4\n" {
		t.Errorf("rows and their lines: %q", got)
	}
}

// A declared encoding does not garble a file that is UTF-8 after all, and
// a declared delimiter that the file does not use is named.
func TestDeclaredFormNotTheFiles(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	l := newLoader(t, db)
	l.Sources = map[string]Source{"students": {Encoding: "windows-1252"}}
	res := load(t, l, writeFile(t, t.TempDir(), "students.csv", "\ufeffstudent_id,country_code,family_name\nS1,DEU,Müller\n"), "students")
	if res.Loaded != 1 || !strings.Contains(strings.Join(res.Warnings, ";"), "the file is UTF-8 although imet.toml declares windows-1252") {
		t.Fatalf("result = %+v", res)
	}
	if got := dump(t, db, "SELECT family_name FROM students"); got != "Müller\n" {
		t.Errorf("family_name = %q", got)
	}
	l.Sources = map[string]Source{"students": {Delimiter: ";", Encoding: "windows-1252"}}
	res = load(t, l, writeFile(t, t.TempDir(), "mine.csv", "Student ID,Country Code\nS2,KEN\n"), "students")
	if res.Status != StatusRejected || !strings.Contains(res.Reason, `declares the delimiter ";"`) || !strings.HasPrefix(res.Reason, "mine.csv:") {
		t.Errorf("result = %+v", res)
	}
}
