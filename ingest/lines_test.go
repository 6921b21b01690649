package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
)

// A quote opened and never closed swallowed the rows after it: every line
// of the file must be a row read, a quarantined row or the header.
func TestUnterminatedQuoteLosesNoRow(t *testing.T) {
	dir := t.TempDir()
	res, err := synth.Generate(context.Background(), dir, synth.Options{Students: 2000, Seed: 1, BadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.Files["students"])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// A quote before the family name of line 11.
	head := strings.Split(strings.TrimRight(lines[0], "\r\n"), ",")
	fam := -1
	for i, h := range head {
		if h == "family_name" {
			fam = i
		}
	}
	f := strings.Split(lines[10], ",")
	f[fam] = `"` + f[fam]
	lines[10] = strings.Join(f, ",")
	path := writeFile(t, t.TempDir(), "students.csv", strings.Join(lines, ""))
	db := schemastest.Memory(t)
	r := load(t, newLoader(t, db), path, "students")
	if r.Status != StatusLoaded {
		t.Fatalf("status %s: %s", r.Status, r.Reason)
	}
	if r.Lines != int64(len(lines)) {
		t.Errorf("summary says %d lines, the file has %d", r.Lines, len(lines))
	}
	if got := r.Rows + 1; got != int64(len(lines)) {
		t.Errorf("rows read %d + header = %d, the file has %d lines", r.Rows, got, len(lines))
	}
	good := count(t, db, "SELECT count(*) FROM students WHERE _batch_id = ?", r.BatchID)
	if good+r.Quarantined != r.Rows || r.Loaded+r.Replaced+r.Unchanged != good {
		t.Errorf("%d rows read, %d loaded, %d quarantined", r.Rows, good, r.Quarantined)
	}
	var reason, raw string
	if err := db.QueryRow("SELECT reason, raw FROM quarantine WHERE line = 11 AND rule = 'malformed'").Scan(&reason, &raw); err != nil {
		t.Fatalf("line 11 not quarantined as malformed: %v", err)
	}
	if !strings.Contains(reason, "an unterminated quote on line 11") {
		t.Errorf("reason %q", reason)
	}
	if raw != strings.TrimRight(lines[10], "\r\n") {
		t.Errorf("raw %q, want the whole line %q", raw, lines[10])
	}
	// Line numbers stay true: line 12's row is the 12th line's student.
	id12 := strings.Split(lines[11], ",")[0]
	if n := count(t, db, "SELECT count(*) FROM students WHERE student_id = ? AND _row = 12", id12); n != 1 {
		t.Errorf("student %s of line 12 not loaded with _row 12", id12)
	}
}

// studentRows is a students file of n good rows, S1…Sn, one a line.
func studentRows(n int) []string {
	out := []string{"student_id,country_code,family_name,given_names,birth_year\n"}
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("S%d,KEN,Otieno,James,1980\n", i))
	}
	return out
}

// rowLines is each loaded student's line, by id.
func rowLines(t *testing.T, db *sql.DB) map[string]int64 {
	t.Helper()
	rows, err := db.Query("SELECT student_id, _row FROM students")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var line int64
		if err := rows.Scan(&id, &line); err != nil {
			t.Fatal(err)
		}
		out[id] = line
	}
	return out
}

// Quoted line breaks are one row up to [limits] max_record_lines lines; a
// quote open longer is split out, alone, and every other line loads on the
// line it is on.
func TestQuotedLineBreaks(t *testing.T) {
	quoted := func(k int) string { // a family name spanning k lines
		return "S5,KEN,\"Oti" + strings.Repeat("\neno", k-1) + "\",James,1980\n"
	}
	cases := []struct {
		name   string
		line5  string // replaces the row on line 6 (student S5)
		limit  int
		loaded int64
		split  int64 // the line quarantined, 0 for none
		reason string
	}{
		{"a value over 3 lines", quoted(3), 0, 10, 0, ""},
		{"a value over 5 lines, the default limit", quoted(5), 0, 10, 0, ""},
		{"a value over 6 lines", quoted(6), 0, 9, 6, "an unterminated quote on line 6: the quoted value that opens there is not closed within 5 lines"},
		{"a value over 3 lines, limit 2", quoted(3), 2, 9, 6, "not closed within 2 lines"},
		{"a quote never closed", "S5,KEN,\"Otieno,James,1980\n", 0, 9, 6, "an unterminated quote on line 6"},
		{"a quote open at the end of the file", "", 0, 10, 12, "an unterminated quote on line 12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := studentRows(10)
			if c.line5 != "" {
				rows[5] = c.line5
			} else {
				rows = append(rows, "S11,KEN,\"Otieno,James,1980\n")
			}
			body := strings.Join(rows, "")
			lines := int64(strings.Count(body, "\n"))
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			l.Limits.MaxRecordLines = c.limit
			r := load(t, l, writeFile(t, t.TempDir(), "students.csv", body), "students")
			if r.Status != StatusLoaded {
				t.Fatalf("status %s: %s", r.Status, r.Reason)
			}
			if r.Loaded != c.loaded || r.Lines != lines {
				t.Errorf("loaded %d of %d lines, want %d of %d (%s)", r.Loaded, r.Lines, c.loaded, lines, r.Accounting)
			}
			q := quarantined(t, db, "students.csv")
			var qs []qrow
			for _, x := range q {
				if x.Rule == "malformed" {
					qs = append(qs, x)
				}
			}
			switch {
			case c.split == 0 && len(qs) > 0:
				t.Errorf("quarantined %+v", qs)
			case c.split > 0 && (len(qs) == 0 || qs[0].Line != c.split || !strings.Contains(qs[0].Reason, c.reason)):
				t.Errorf("quarantined %+v, want line %d: %q", qs, c.split, c.reason)
			case c.split > 0 && int64(len(qs)) != r.Rows-c.loaded:
				// The lines after the open quote, read on their own, are
				// rows of their own (here each one too short).
				t.Errorf("%d rows read, %d loaded, but %d quarantined: %+v", r.Rows, c.loaded, len(qs), qs)
			}
			// Every other row loads on its own line, and a value within the
			// limit on the line where it begins.
			at := rowLines(t, db)
			if c.split == 0 && c.line5 != "" && at["S5"] != 6 {
				t.Errorf("S5, its name over %d lines, on line %d, want 6", strings.Count(c.line5, "\n"), at["S5"])
			}
			for i := 1; i <= 10; i++ {
				id := fmt.Sprintf("S%d", i)
				want := int64(i + 1)
				if i > 5 && c.line5 != "" {
					want += int64(strings.Count(c.line5, "\n") - 1)
				}
				if got, ok := at[id]; i != 5 && (!ok || got != want) {
					t.Errorf("%s on line %d (loaded %v), want %d", id, got, ok, want)
				}
			}
		})
	}
}

// The lines split out of a compressed file are the same: the file is
// read again from an uncompressed copy without them.
func TestSplitLinesOfAGzip(t *testing.T) {
	rows := studentRows(10)
	rows[3] = "S3,KEN,\"Otieno,James,1980\n"
	rows[7] = "S7,KEN," + strings.Repeat("x", 2<<20) + "\n"
	db := schemastest.Memory(t)
	r := load(t, newLoader(t, db), writeFile(t, t.TempDir(), "students.csv.gz", string(gzipped(strings.Join(rows, "")))), "students")
	if r.Status != StatusLoaded || r.Lines != 11 || r.Rows != 10 || r.Loaded != 8 || r.Quarantined != 2 {
		t.Fatalf("%s: %d lines, %d rows, %d loaded, %d quarantined (%s)", r.Status, r.Lines, r.Rows, r.Loaded, r.Quarantined, r.Reason)
	}
	q := quarantined(t, db, "students.csv.gz")
	if len(q) != 2 || q[0].Line != 4 || !strings.Contains(q[0].Reason, "an unterminated quote on line 4") || q[1].Line != 8 || !strings.Contains(q[1].Reason, "line 8 is 2097160 bytes") {
		t.Errorf("quarantined %+v", q)
	}
	if at := rowLines(t, db); at["S4"] != 5 || at["S8"] != 9 || at["S10"] != 11 {
		t.Errorf("lines %v", at)
	}
}

// A line of any length is quarantined, with its length in the reason, and
// the rows after it keep their lines.
func TestOverlongLine(t *testing.T) {
	for _, mb := range []int{20, 40} {
		t.Run(fmt.Sprintf("%d MB", mb), func(t *testing.T) {
			rows := studentRows(4)
			long := "S2,KEN," + strings.Repeat("x", mb<<20) + ",James,1980\n"
			rows[2] = long
			db := schemastest.Memory(t)
			r := load(t, newLoader(t, db), writeFile(t, t.TempDir(), "students.csv", strings.Join(rows, "")), "students")
			if r.Status != StatusLoaded || r.Rows != 4 || r.Loaded != 3 || r.Quarantined != 1 || r.Lines != 5 {
				t.Fatalf("%s: %d lines, %d rows, %d loaded, %d quarantined (%s)", r.Status, r.Lines, r.Rows, r.Loaded, r.Quarantined, r.Reason)
			}
			var reason, raw string
			if err := db.QueryRow("SELECT reason, raw FROM quarantine WHERE line = 3").Scan(&reason, &raw); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("line 3 is %d bytes", len(long)); !strings.Contains(reason, want) {
				t.Errorf("reason %q, want %q", reason, want)
			}
			if len(raw) != rawBound || !strings.HasPrefix(long, raw) {
				t.Errorf("raw text of %d bytes, want the line's first %d", len(raw), rawBound)
			}
			if at := rowLines(t, db); at["S1"] != 2 || at["S3"] != 4 || at["S4"] != 5 {
				t.Errorf("lines %v", at)
			}
		})
	}
	t.Run("ndjson", func(t *testing.T) {
		body := `{"student_id": "S1", "country_code": "KEN"}` + "\n" +
			`{"student_id": "S2", "country_code": "KEN", "family_name": "` + strings.Repeat("x", 2<<20) + `"}` + "\n\n" +
			`{"student_id": "S3", "country_code": "KEN"}` + "\n"
		db := schemastest.Memory(t)
		r := load(t, newLoader(t, db), writeFile(t, t.TempDir(), "students.ndjson", body), "students")
		if r.Status != StatusLoaded || r.Rows != 3 || r.Loaded != 2 || r.Quarantined != 1 || r.Lines != 4 {
			t.Fatalf("%s: %d lines, %d rows, %d loaded, %d quarantined (%s)", r.Status, r.Lines, r.Rows, r.Loaded, r.Quarantined, r.Reason)
		}
		if at := rowLines(t, db); at["S1"] != 1 || at["S3"] != 4 {
			t.Errorf("lines %v", at)
		}
		if q := quarantined(t, db, "students.ndjson"); len(q) != 1 || q[0].Line != 2 || !strings.Contains(q[0].Reason, "line 2 is 2097") {
			t.Errorf("quarantined %+v", q)
		}
	})
}

// Inputs made to cost time or memory out of all proportion are refused at
// once, with the limit in the reason, and leave only the batch row of the
// rejection.
func TestBoundedWork(t *testing.T) {
	wide := func(n int) string {
		var b strings.Builder
		b.WriteString("student_id,country_code")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, ",c%d", i)
		}
		b.WriteString("\nS1,KEN\n")
		return b.String()
	}
	var newlines bytes.Buffer
	gw := gzip.NewWriter(&newlines)
	gw.Write([]byte("student_id,country_code\n"))
	gw.Write(bytes.Repeat([]byte("\n"), 100<<20))
	gw.Close()
	var bad strings.Builder
	bad.WriteString("student_id,country_code\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&bad, "S%d,XXX\n", i)
	}
	var short strings.Builder
	short.WriteString("student_id,country_code,family_name\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&short, "S%d,KEN,a,b,c\n", i)
	}
	var unclosed strings.Builder
	unclosed.WriteString("student_id,country_code\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&unclosed, "S%d,\"KEN\n", i)
		for k := 0; k < 5; k++ {
			fmt.Fprintf(&unclosed, "T%d_%d,KEN\n", i, k)
		}
	}
	cases := []struct {
		name, file string
		body       []byte
		limits     Limits
		want       string
	}{
		{"100,000 columns", "students.csv", []byte(wide(100_000)), Limits{}, "the header has 100002 columns, more than the 1000 imet reads"},
		{"2 million columns", "students.csv", []byte(wide(2_000_000)), Limits{}, "line 1 (the header) is 16888914 bytes (16.1 MiB) long, over the limit of 1048576 bytes (1 MiB)"},
		{"a small gzip beyond max_decompressed_bytes", "students.csv.gz", gzipped("student_id,country_code\n" + strings.Repeat("\n", 2<<20)), Limits{MaxDecompressedBytes: 1 << 20},
			"it unpacks to more than 1048576 bytes (1 MiB), the limit (imet.toml [limits] max_decompressed_bytes)"},
		{"a gzip of 100 MiB of newlines", "students.csv.gz", newlines.Bytes(), Limits{}, "it unpacks to more than 100 times its compressed size"},
		{"an NDJSON object of 2,000 keys", "students.ndjson", []byte(wideJSON(2000)), Limits{}, "line 1 brings the keys to more than 1000 (imet.toml [limits] max_columns)"},
		{"more bad rows than max_quarantined", "students.csv", []byte(bad.String()), Limits{MaxQuarantined: 10},
			"50 of its 50 rows are bad, more than the 10 quarantined rows a file may have (imet.toml [limits] max_quarantined): nothing was loaded; most common: reference in country_code: 50 rows"},
		{"more malformed records than max_quarantined", "students.csv", []byte(short.String()), Limits{MaxQuarantined: 10}, "more than 10 records cannot be read as rows"},
		{"more unterminated quotes than max_quarantined", "students.csv", []byte(unclosed.String()), Limits{MaxQuarantined: 10}, "more than 10 lines cannot be read as rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			l.Limits = c.limits
			res := load(t, l, writeFile(t, t.TempDir(), c.file, string(c.body)), "students")
			if res.Status != StatusRejected || !strings.Contains(res.Reason, c.want) {
				t.Fatalf("status %s, reason %q; want rejected with %q", res.Status, res.Reason, c.want)
			}
			for _, table := range []string{"students", "quarantine", "files"} {
				if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a rejection", table, n)
				}
			}
		})
	}
}

func wideJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"student_id": "S1", "country_code": "KEN"`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `, "k%d": 1`, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// A load cancelled (SIGTERM cancels the context in cmd/imet) at any step
// returns the cancellation and leaves the warehouse as it was.
func TestLoadHonoursCancel(t *testing.T) {
	dir := t.TempDir()
	gen, err := synth.Generate(context.Background(), dir, synth.Options{Students: 20000, Seed: 2, BadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"reading", "validating", "writing"} {
		t.Run(at, func(t *testing.T) {
			db := schemastest.Memory(t)
			batches := count(t, db, "SELECT count(*) FROM batches") // the built-in reference data's
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l := newLoader(t, db)
			l.Step = func(file, step string) {
				if strings.HasPrefix(step, at) {
					cancel()
				}
			}
			_, err := l.LoadFile(ctx, gen.Files["students"], "students")
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want the cancellation", err)
			}
			for _, table := range []string{"students", "quarantine", "files"} {
				if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a cancelled load", table, n)
				}
			}
			if n := count(t, db, "SELECT count(*) FROM batches"); n != batches {
				t.Errorf("%d batches after a cancelled load, %d before", n, batches)
			}
		})
	}
}

// The accounting refuses a file whose rows or lines do not add up, rather
// than load it short (a reader that lost rows without a word).
func TestAccountingRefusesShortLoads(t *testing.T) {
	cases := []struct {
		name string
		st   staged
		want string
	}{
		{"rows add up", staged{rows: 3, lines: 5, headerLines: 1, blankLines: 1}, ""},
		{"a row missing", staged{rows: 4, lines: 5, headerLines: 1}, "imet cannot account for every row (4 read, 2 good, 1 bad)"},
		{"a line missing", staged{rows: 3, lines: 6, headerLines: 1, blankLines: 1}, "imet cannot account for every line (6 lines: 1 header + 3 rows + 1 blank)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := schemastest.Memory(t)
			conn, err := db.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(context.Background(), `CREATE TEMP TABLE chk AS
				SELECT * FROM (VALUES ([]::STRUCT(col VARCHAR, val VARCHAR, rule VARCHAR, msg VARCHAR)[]), ([]), ([{'col': 'sex', 'val': 'Q', 'rule': 'allowed', 'msg': 'x'}])) t(_errs)`); err != nil {
				t.Fatal(err)
			}
			var res Result
			err = newLoader(t, db).account(context.Background(), conn, "students.csv", &c.st, &res)
			var rj *Rejection
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "" && (res.Lines != 5 || res.Accounting != "5 lines = 1 header + 3 rows + 1 blank"):
				t.Errorf("lines %d, accounting %q", res.Lines, res.Accounting)
			case c.want != "" && (!errors.As(err, &rj) || !strings.Contains(rj.Msg, c.want)):
				t.Errorf("error %v, want a rejection with %q", err, c.want)
			}
		})
	}
}
