package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas"
)

// personalValues are the values a generated program holds that name a
// person: every family and given name (and each word of one), birth year
// and student id of every input file, bad rows included.
type personalValues struct {
	names map[string]bool // words of names, case as sent
	years map[string]bool
	ids   map[string]bool
}

func collectPersonal(t *testing.T, gen string, extra ...string) personalValues {
	t.Helper()
	pv := personalValues{names: map[string]bool{}, years: map[string]bool{}, ids: map[string]bool{}}
	add := func(col, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		switch col {
		case "family_name", "given_names":
			for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '-' || r == '"' || r == '(' || r == ')' || r == ',' }) {
				if len([]rune(w)) >= 3 && !strings.ContainsAny(w, "=+@:/") {
					pv.names[w] = true
				}
			}
		case "birth_year":
			pv.years[v] = true
		case "student_id", "source_student_id":
			pv.ids[v] = true
		}
	}
	for _, ds := range []string{"students", "career_events", "hr_flags", "post_holders"} {
		files, _ := filepath.Glob(filepath.Join(gen, ds, "*.csv"))
		for _, f := range append(files, extra...) {
			if !strings.Contains(f, string(filepath.Separator)+ds+string(filepath.Separator)) {
				continue
			}
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(fh)
			r.FieldsPerRecord, r.LazyQuotes = -1, true
			recs, _ := r.ReadAll()
			fh.Close()
			if len(recs) == 0 {
				continue
			}
			header := recs[0]
			if !slices.Contains(header, "student_id") { // the headerless file: columns by position
				header = []string{"student_id", "country_code", "family_name", "given_names", "birth_year"}
				recs = append([][]string{header}, recs...)
			}
			for _, rec := range recs[1:] {
				for i, v := range rec {
					if i < len(header) {
						add(header[i], v)
					}
				}
			}
		}
	}
	return pv
}

// vocabulary is every word of the program's non-personal text (course,
// position, operation and school names, country names): a family name that
// is also a word there ("Bravo", "Hill") cannot be told from it, so the
// scan skips it and counts it.
func vocabulary(t *testing.T, gen string) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	word := regexp.MustCompile(`[\p{L}']+`)
	addText := func(s string) {
		for _, w := range word.FindAllString(s, -1) {
			words[w] = true
		}
	}
	for _, c := range schemas.Countries {
		addText(c.Name)
	}
	for _, m := range MetricDocs() { // estimators are named after people (Wilson, Kaplan, Meier)
		addText(strings.Join(append([]string{m.Title, m.Definition, m.Population, m.Event, m.Estimator}, m.Caveats...), " "))
	}
	for _, p := range []string{"courses/*.csv", "career_events/*.csv", "post_holders/*.csv", "enrollments/*.csv"} {
		files, _ := filepath.Glob(filepath.Join(gen, p))
		for _, f := range files {
			for _, row := range readCSV(t, f) {
				for col, v := range row {
					if col != "family_name" && col != "given_names" {
						addText(v)
					}
				}
			}
		}
	}
	return words
}

// leak says what of pv a text holds, or "".
type scanner struct {
	pv     personalValues
	vocab  map[string]bool
	word   *regexp.Regexp
	year   *regexp.Regexp
	id     *regexp.Regexp
	number *regexp.Regexp
	cells  int
	hits   []string
	clean  map[string]bool // values scanned before without a hit
}

func newScanner(pv personalValues, vocab map[string]bool) *scanner {
	return &scanner{pv: pv, vocab: vocab, clean: map[string]bool{},
		word: regexp.MustCompile(`[\p{L}'.]+`),
		// a year standing alone, not part of a date, a number or a code;
		// four digits inside a word (a pseudonym's hex, "1970ba05…") are
		// no year: letters on either side end it
		year:   regexp.MustCompile(`(^|[^0-9.\-/:A-Za-z])((?:19|20)[0-9]{2})($|[^0-9.\-/:A-Za-z])`),
		id:     regexp.MustCompile(`[A-Za-z0-9_-]+`),
		number: regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)}
}

// text scans one text cell (or file) of where.
func (s *scanner) text(where, v string) {
	s.cells++
	if v == "" || s.clean[v] {
		return
	}
	hits := len(s.hits)
	defer func() {
		if len(s.hits) == hits {
			s.clean[v] = true
		}
	}()
	report := func(kind, what string) {
		if len(s.hits) < 40 {
			s.hits = append(s.hits, fmt.Sprintf("%s: %s %q in %q", where, kind, what, trim(v)))
		} else if len(s.hits) == 40 {
			s.hits = append(s.hits, "…")
		}
	}
	for _, w := range s.word.FindAllString(v, -1) {
		w = strings.Trim(w, ".'")
		if s.pv.names[w] && !s.vocab[w] {
			report("name", w)
		}
	}
	// a number standing alone (days, counts) is no birth year; a birth
	// year is text only where a personal column's value is quoted
	number := s.number.MatchString(v)
	for _, m := range s.year.FindAllStringSubmatch(v, -1) {
		if number {
			break
		}
		if s.pv.years[m[2]] {
			report("birth year", m[2])
		}
	}
	for _, w := range s.id.FindAllString(v, -1) {
		if s.pv.ids[w] {
			report("student id", w)
		}
	}
}

func trim(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

// duck scans every text cell of every table of a DuckDB file, or of every
// Parquet file under a folder; a column named as a personal one fails.
func (s *scanner) duck(t *testing.T, where string, db *sql.DB, tables map[string]string) {
	t.Helper()
	personalCols := map[string]bool{"family_name": true, "given_names": true, "birth_year": true, "raw": true, "candidates": true}
	for name, from := range tables {
		rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + from + ")")
		if err != nil {
			t.Fatalf("%s %s: %v", where, name, err)
		}
		var cols []string
		for rows.Next() {
			var c, typ string
			rows.Scan(&c, &typ)
			if personalCols[c] {
				s.hits = append(s.hits, fmt.Sprintf("%s: table %s has column %s", where, name, c))
			}
			// Text cells: a number column holds no name or id, and its
			// values (line numbers, days) meet every birth year.
			if typ == "VARCHAR" || strings.HasPrefix(typ, "STRUCT") || strings.HasSuffix(typ, "[]") || typ == "JSON" {
				cols = append(cols, fmt.Sprintf("coalesce(%q::VARCHAR, '')", c))
			}
		}
		rows.Close()
		if len(cols) == 0 {
			continue
		}
		rs, err := db.Query("SELECT concat_ws(chr(31), " + strings.Join(cols, ", ") + ") FROM " + from)
		if err != nil {
			t.Fatalf("%s %s: %v", where, name, err)
		}
		for rs.Next() {
			var line string
			rs.Scan(&line)
			for _, cell := range strings.Split(line, "\x1f") {
				s.text(where+" "+name, cell)
			}
		}
		rs.Close()
	}
}

// Personal values never leave the warehouse by default (issue 17, item 3):
// a generated program with planted bad rows (names in the quarantine) and
// a students file sent without its header goes through every command that
// writes something; every cell of the snapshot, the lake, the
// congressional workbook, CSV and Parquet, the metrics export, the explain
// CSVs, the report's HTML and the logs is scanned for every name, birth year
// and raw student id, and none is found. With include_personal the same
// products give the values back.
func TestPersonalValuesStayInside(t *testing.T) {
	t.Parallel()
	gen := generate(t, 400, 17, "csv")
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatalf("init: %s", out)
	}
	for _, ds := range schemas.DatasetNames() {
		files, _ := filepath.Glob(filepath.Join(gen, ds, "*"))
		for _, f := range files {
			copyFile(t, f, filepath.Join(ws, "inbox", ds, filepath.Base(f)))
		}
	}
	noHeader := filepath.Join(ws, "inbox", "students", "no-header.csv")
	os.WriteFile(noHeader, []byte("S99000001,KEN,Wanjirukimani,Achiengodhiambo,1977\nS99000002,KEN,Otienomwangi,Jamesochieng,1976\n"), 0o644)
	pv := collectPersonal(t, gen, noHeader)
	pv2 := collectPersonal(t, filepath.Dir(filepath.Dir(noHeader)), noHeader) // the headerless rows
	for k := range pv2.names {
		pv.names[k] = true
	}
	for k := range pv2.years {
		pv.years[k] = true
	}
	for k := range pv2.ids {
		pv.ids[k] = true
	}
	if len(pv.names) < 300 || len(pv.years) < 20 || len(pv.ids) < 400 || !pv.names["Wanjirukimani"] || !pv.years["1977"] {
		t.Fatalf("collected %d names, %d years, %d ids", len(pv.names), len(pv.years), len(pv.ids))
	}
	vocab := vocabulary(t, gen)
	skipped := 0
	for n := range pv.names {
		if vocab[n] {
			skipped++
		}
	}
	if skipped*20 > len(pv.names) {
		t.Errorf("%d of %d names are also words of the program's text: the scan would be blind", skipped, len(pv.names))
	}

	var logs bytes.Buffer
	do := func(args ...string) {
		t.Helper()
		var out bytes.Buffer
		code := Main(context.Background(), append([]string{"--log-format", "json"}, args...), &out, &out)
		logs.Write(out.Bytes())
		if code != 0 && args[0] != "ingest" {
			t.Fatalf("%v: exit %d\n%s", args, code, out.String())
		}
	}
	out := filepath.Join(root, "out")
	do("ingest", "--workspace", ws)
	do("run", "--workspace", ws, "--as-of", "2026-06-30")
	do("export", "lake", "--workspace", ws, "--out", filepath.Join(out, "lake"))
	do("export", "congress", "--workspace", ws, "--fy", "2026", "--out", filepath.Join(out, "congress"))
	do("export", "metrics", "--workspace", ws, "--out", filepath.Join(out, "metrics.csv"))
	do("report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3")
	for _, m := range [][]string{{"HR_FLAG_RATE"}, {"LEAD_RANK_5Y", "--cohort", "PARTICIPANT"}, {"LEAD_PENETRATION"}, {"COMPLETION", "--period", "FY2025"}} {
		var buf bytes.Buffer
		args := append([]string{"explain", "--workspace", ws, "--format", "csv"}, m[1:]...)
		if code := Main(context.Background(), append(args, m[0]), &buf, &logs); code != 0 {
			t.Fatalf("explain %v: exit %d\n%s", m, code, logs.String())
		}
		os.WriteFile(filepath.Join(out, "explain-"+m[0]+".csv"), buf.Bytes(), 0o644)
		if m[0] == "HR_FLAG_RATE" && (strings.Contains(buf.String(), "substantiated_flags") || !strings.Contains(buf.String(), "student_id")) {
			t.Errorf("explain HR_FLAG_RATE lists flag counts by person, or no people:\n%.300s", buf.String())
		}
	}

	// imet quarantine follows the snapshot's rule; --raw gives the rows as sent
	var qcsv, qraw bytes.Buffer
	if code := Main(context.Background(), []string{"quarantine", "--workspace", ws, "--format", "csv"}, &qcsv, &logs); code != 0 {
		t.Fatalf("quarantine: exit %d", code)
	}
	os.WriteFile(filepath.Join(out, "quarantine.csv"), qcsv.Bytes(), 0o644)
	if code := Main(context.Background(), []string{"quarantine", "--workspace", ws, "--format", "csv", "--raw"}, &qraw, &logs); code != 0 {
		t.Fatalf("quarantine --raw: exit %d", code)
	}
	rawScan := newScanner(pv, vocab)
	rawScan.text("quarantine --raw", qraw.String())
	if len(rawScan.hits) == 0 || strings.Count(qcsv.String(), "\n") < 50 {
		t.Errorf("imet quarantine: %d lines; --raw shows %d personal values", strings.Count(qcsv.String(), "\n"), len(rawScan.hits))
	}

	// the pseudonym key never leaves the workspace either
	keyHex, err := os.ReadFile(filepath.Join(ws, "pseudonym.key"))
	if err != nil || len(strings.TrimSpace(string(keyHex))) != 64 {
		t.Fatalf("pseudonym.key: %q %v", keyHex, err)
	}
	pv.ids[strings.TrimSpace(string(keyHex))] = true

	s := newScanner(pv, vocab)
	// the snapshot
	snap, err := schemas.OpenReadOnly(context.Background(), filepath.Join(ws, "published", "imet.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{}
	rows, _ := snap.Query("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()")
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables[n] = n
	}
	rows.Close()
	for _, inside := range []string{"link_review", "hr_flags", "students"} {
		if _, ok := tables[inside]; ok {
			t.Errorf("the default snapshot has %s", inside)
		}
	}
	s.duck(t, "snapshot", snap, tables)
	var pseudonyms int64
	snap.QueryRow("SELECT count(*) FROM students_public WHERE regexp_full_match(student_id, '[0-9a-f]{16}')").Scan(&pseudonyms)
	snap.Close()
	if pseudonyms < 400 {
		t.Errorf("%d students_public rows with a pseudonymous id", pseudonyms)
	}
	// Parquet: the lake and the congressional files
	mem, err := schemas.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	parquet := map[string]string{}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			parquet[strings.TrimPrefix(p, out)] = fmt.Sprintf("read_parquet('%s')", p)
		}
		return nil
	})
	if len(parquet) < 20 {
		t.Fatalf("%d Parquet files", len(parquet))
	}
	s.duck(t, "parquet", mem, parquet)
	// text: CSVs, the lake's manifest, the report's HTML, the logs
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case strings.HasSuffix(p, ".csv"):
			fh, _ := os.Open(p)
			r := csv.NewReader(fh)
			r.FieldsPerRecord = -1
			recs, err := r.ReadAll()
			fh.Close()
			if err != nil || len(recs) == 0 {
				t.Errorf("%s: %d records, %v", p, len(recs), err)
			}
			for _, rec := range recs {
				for _, c := range rec {
					s.text(p, c)
				}
			}
		case strings.HasSuffix(p, ".json"):
			b, _ := os.ReadFile(p)
			s.text(p, string(b))
		}
		return nil
	})
	htmls, _ := filepath.Glob(filepath.Join(ws, "reports", "*", "*.html"))
	if len(htmls) == 0 {
		t.Fatal("no report HTML")
	}
	for _, h := range htmls {
		b, _ := os.ReadFile(h)
		s.text(h, string(b))
	}
	// the workbook, cell by cell
	books, _ := filepath.Glob(filepath.Join(out, "congress", "*.xlsx"))
	for _, b := range books {
		x, err := excelize.OpenFile(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range x.GetSheetList() {
			rows, _ := x.GetRows(sh)
			for _, r := range rows {
				for _, c := range r {
					s.text(b+" "+sh, c)
				}
			}
		}
		x.Close()
	}
	if len(books) != 1 {
		t.Errorf("%d workbooks", len(books))
	}
	s.text("logs", logs.String())
	// what the warehouse keeps for the people fixing files: the rejection
	// of the headerless file names no cell of it either
	for _, f := range []string{"runs.jsonl"} {
		b, _ := os.ReadFile(filepath.Join(ws, f))
		s.text(f, string(b))
	}
	reasons, _ := filepath.Glob(filepath.Join(ws, "rejected", "*", "*.reason"))
	if len(reasons) == 0 {
		t.Error("the headerless file was not rejected")
	}
	for _, r := range reasons {
		b, _ := os.ReadFile(r)
		s.text(r, string(b))
	}
	if s.cells < 100000 {
		t.Errorf("only %d cells scanned", s.cells)
	}
	if len(s.hits) > 0 {
		t.Errorf("personal values outside the warehouse (%d cells scanned):\n%s", s.cells, strings.Join(s.hits, "\n"))
	}
	t.Logf("%d cells scanned for %d name words (%d skipped as words of the program's text), %d birth years, %d student ids: %d found",
		s.cells, len(pv.names), skipped, len(pv.years), len(pv.ids), len(s.hits))

	// include_personal gives the values back: names in the snapshot, raw
	// ids in the lake, link review, flag counts in explain.
	cfg, _ := os.ReadFile(filepath.Join(ws, "imet.toml"))
	os.WriteFile(filepath.Join(ws, "imet.toml"), bytes.Replace(cfg, []byte("include_personal = false"), []byte("include_personal = true"), 1), 0o600)
	do("run", "--workspace", ws, "--as-of", "2026-06-30")
	do("export", "lake", "--workspace", ws, "--out", filepath.Join(root, "lake-personal"))
	full := newScanner(pv, vocab)
	snap, err = schemas.OpenReadOnly(context.Background(), filepath.Join(ws, "published", "imet.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	full.duck(t, "snapshot", snap, map[string]string{"students": "students", "link_review": "link_review", "hr_flags": "hr_flags", "quarantine": "quarantine"})
	var raw int64
	snap.QueryRow("SELECT count(*) FROM students WHERE student_id LIKE 'S%'").Scan(&raw)
	snap.Close()
	if len(full.hits) < 10 || raw < 400 {
		t.Errorf("include_personal = true: %d personal values found, %d raw student ids", len(full.hits), raw)
	}
	var buf bytes.Buffer
	if code := Main(context.Background(), []string{"explain", "--workspace", ws, "--format", "csv", "HR_FLAG_RATE"}, &buf, &logs); code != 0 || !strings.Contains(buf.String(), "substantiated_flags") || !strings.Contains(buf.String(), ",S0") {
		t.Errorf("include_personal = true: explain HR_FLAG_RATE gives\n%.300s", buf.String())
	}
	lake := newScanner(pv, vocab)
	studentsLake, _ := filepath.Glob(filepath.Join(root, "lake-personal", "students", "*.parquet"))
	if len(studentsLake) != 1 {
		t.Fatalf("the personal lake has %d students files", len(studentsLake))
	}
	lake.duck(t, "lake", mem, map[string]string{"students": fmt.Sprintf("read_parquet('%s')", studentsLake[0])})
	if len(lake.hits) < 10 {
		t.Errorf("include_personal = true: the lake's students hold %d personal values", len(lake.hits))
	}
}

// The scan finds a birth year standing in text, and not the same digits
// at the start of a keyed pseudonym (a random key makes one now and then).
func TestScannerYears(t *testing.T) {
	pv := personalValues{years: map[string]bool{"1970": true}, names: map[string]bool{}, ids: map[string]bool{}}
	for v, want := range map[string]bool{
		"born 1970, Lima": true, "(1970)": true, "1970ba054537462e": false, "ab1970": false, "2026-01-05": false,
	} {
		s := newScanner(pv, nil)
		s.text("cell", v)
		if got := len(s.hits) > 0; got != want {
			t.Errorf("%q: found %v, want %v (%v)", v, got, want, s.hits)
		}
	}
}
