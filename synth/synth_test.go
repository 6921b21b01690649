package synth

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas"
)

var defaultAsOf = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)

func generate(t testing.TB, opt Options) (string, Result) {
	t.Helper()
	dir := t.TempDir()
	res, err := Generate(context.Background(), dir, opt)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opt, err)
	}
	return dir, res
}

// table is a file read back: header and rows, an empty cell as "".
type table struct {
	header []string
	rows   [][]string
}

func (tb *table) maps() []map[string]string {
	out := make([]map[string]string, len(tb.rows))
	for i, r := range tb.rows {
		m := make(map[string]string, len(tb.header))
		for j, h := range tb.header {
			m[h] = r[j]
		}
		out[i] = m
	}
	return out
}

func readCSV(t testing.TB, r io.Reader) *table {
	t.Helper()
	cr := csv.NewReader(r)
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return &table{header: recs[0], rows: recs[1:]}
}

func readTable(t testing.TB, dir, ds, format string) *table {
	t.Helper()
	path := filepath.Join(dir, ds, ds+"."+format)
	switch format {
	case "csv":
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return readCSV(t, bytes.NewReader(data))
	case "csv.gz":
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false) // the file must be one gzip member
		tb := readCSV(t, zr)
		if rest, _ := io.ReadAll(f); len(rest) != 0 {
			t.Fatalf("%s: %d bytes after the gzip member", path, len(rest))
		}
		return tb
	case "ndjson":
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tb := &table{header: contractColumns[ds]}
		numeric := map[string]bool{}
		for _, c := range datasetColumns[dsIndex(ds)] {
			numeric[c.name] = c.kind == kNumber
		}
		for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			if line == "" {
				continue
			}
			dec := json.NewDecoder(strings.NewReader(line))
			dec.UseNumber()
			var obj map[string]any
			if err := dec.Decode(&obj); err != nil {
				t.Fatalf("%s line %d: %v", path, i+1, err)
			}
			row := make([]string, len(tb.header))
			for j, h := range tb.header {
				switch v := obj[h].(type) {
				case nil:
				case string:
					row[j] = v
				case json.Number:
					if !numeric[h] {
						t.Fatalf("%s line %d: %s is a number in a text column", path, i+1, h)
					}
					row[j] = v.String()
				default:
					t.Fatalf("%s line %d: %s has type %T", path, i+1, h, v)
				}
			}
			if len(obj) > len(tb.header) {
				t.Fatalf("%s line %d: unknown keys", path, i+1)
			}
			tb.rows = append(tb.rows, row)
		}
		return tb
	case "parquet":
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		pr, err := file.NewParquetReader(f)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tbl.Release()
		out := &table{}
		n := int(tbl.NumRows())
		out.rows = make([][]string, n)
		for i := range out.rows {
			out.rows[i] = make([]string, tbl.NumCols())
		}
		for c := 0; c < int(tbl.NumCols()); c++ {
			col := tbl.Column(c)
			out.header = append(out.header, col.Name())
			if !col.Field().Nullable || col.DataType().Name() != "utf8" {
				t.Fatalf("%s: column %s is %s nullable=%v, want nullable utf8", path, col.Name(), col.DataType(), col.Field().Nullable)
			}
			i := 0
			for _, chunk := range col.Data().Chunks() {
				s := chunk.(*array.String)
				for k := 0; k < s.Len(); k++ {
					if !s.IsNull(k) {
						if s.Value(k) == "" {
							t.Fatalf("%s: empty string instead of null in %s", path, col.Name())
						}
						out.rows[i][c] = s.Value(k)
					}
					i++
				}
			}
		}
		return out
	case "xlsx":
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet := x.GetSheetName(0)
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out := &table{header: rows[0]}
		for _, r := range rows[1:] {
			row := make([]string, len(out.header))
			copy(row, r)
			out.rows = append(out.rows, row)
		}
		return out
	}
	t.Fatalf("unknown format %s", format)
	return nil
}

func dsIndex(name string) int {
	for i, n := range datasetNames {
		if n == name {
			return i
		}
	}
	return -1
}

type badTruth struct {
	dataset, key, rule, column string
	row                        int
}

func readBadTruth(t testing.TB, dir string) []badTruth {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, TruthDir, "bad_rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb := readCSV(t, f)
	if got := strings.Join(tb.header, ","); got != "dataset,row,key,rule,column" {
		t.Fatalf("bad_rows.csv header %q", got)
	}
	var out []badTruth
	for _, r := range tb.rows {
		n, err := strconv.Atoi(r[1])
		if err != nil {
			t.Fatalf("bad_rows.csv row %q: %v", r, err)
		}
		out = append(out, badTruth{dataset: r[0], row: n, key: r[2], rule: r[3], column: r[4]})
	}
	return out
}

type linkTruth struct {
	dataset, recordID, studentID, variant, expect string
}

func readLinkTruth(t testing.TB, dir string) []linkTruth {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, TruthDir, "links.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb := readCSV(t, f)
	if got := strings.Join(tb.header, ","); got != "dataset,record_id,student_id,variant,expect" {
		t.Fatalf("links.csv header %q", got)
	}
	var out []linkTruth
	for _, r := range tb.rows {
		out = append(out, linkTruth{r[0], r[1], r[2], r[3], r[4]})
	}
	return out
}

func TestDeterminism(t *testing.T) {
	opt := Options{Students: 3000, Seed: 42, BadRows: true}
	a, _ := generate(t, opt)
	b, _ := generate(t, opt)
	files := []string{}
	for _, ds := range datasetOrder {
		files = append(files, filepath.Join(ds, ds+".csv"))
	}
	files = append(files, filepath.Join(TruthDir, "bad_rows.csv"), filepath.Join(TruthDir, "links.csv"), filepath.Join(TruthDir, "summary.json"))
	for _, f := range files {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	opt.Seed = 43
	c, _ := generate(t, opt)
	for _, ds := range []string{"students", "enrollments", "career_events"} {
		x, _ := os.ReadFile(filepath.Join(a, ds, ds+".csv"))
		y, _ := os.ReadFile(filepath.Join(c, ds, ds+".csv"))
		if bytes.Equal(x, y) {
			t.Errorf("%s is the same for seeds 42 and 43", ds)
		}
	}
	// NDJSON is promised byte-identical too; spot-check one dataset.
	opt.Seed, opt.Students, opt.Format = 7, 500, "ndjson"
	d, _ := generate(t, opt)
	e, _ := generate(t, opt)
	x, _ := os.ReadFile(filepath.Join(d, "career_events", "career_events.ndjson"))
	y, _ := os.ReadFile(filepath.Join(e, "career_events", "career_events.ndjson"))
	if !bytes.Equal(x, y) {
		t.Error("NDJSON differs between two runs with the same seed")
	}
}

func TestFilesHeadersAndCounts(t *testing.T) {
	dir, res := generate(t, Options{Students: 2500, Seed: 1, BadRows: true})
	if len(res.Files) != len(datasetOrder) {
		t.Fatalf("Files = %v", res.Files)
	}
	for _, ds := range datasetOrder {
		path := filepath.Join(dir, ds, ds+".csv")
		if res.Files[ds] != path {
			t.Errorf("Files[%s] = %q, want %q", ds, res.Files[ds], path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || bytes.Contains(data, []byte("\r")) {
			t.Errorf("%s: BOM or carriage return", ds)
		}
		if !bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("%s: no final newline", ds)
		}
		tb := readCSV(t, bytes.NewReader(data))
		if got, want := strings.Join(tb.header, ","), strings.Join(contractColumns[ds], ","); got != want {
			t.Errorf("%s header\n got %s\nwant %s", ds, got, want)
		}
		if len(tb.rows) != res.Rows[ds] {
			t.Errorf("%s: %d rows, Result.Rows says %d", ds, len(tb.rows), res.Rows[ds])
		}
		if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: temporary file left behind", ds)
		}
	}
	bad := readBadTruth(t, dir)
	perDS := map[string]int{}
	perKind := map[string]int{}
	for _, b := range bad {
		perDS[b.dataset]++
		perKind[b.dataset+"/"+b.rule+"/"+b.column]++
	}
	for _, ds := range datasetOrder {
		if perDS[ds] != res.Bad[ds] {
			t.Errorf("%s: truth has %d bad rows, Result.Bad says %d", ds, perDS[ds], res.Bad[ds])
		}
	}
	for _, k := range badKinds {
		if n := perKind[datasetNames[k.ds]+"/"+k.rule+"/"+k.column]; n < 3 {
			t.Errorf("bad rows %s %s %s: %d planted, want at least 3", datasetNames[k.ds], k.rule, k.column, n)
		}
	}
	var sum map[string]any
	data, err := os.ReadFile(filepath.Join(dir, TruthDir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	planted := sum["planted"].(map[string]any)
	if planted["lead_rank_hazard_ratio"].(float64) != 1.5 {
		t.Errorf("summary: lead_rank_hazard_ratio = %v", planted["lead_rank_hazard_ratio"])
	}

	// Without BadRows nothing is planted.
	dir2, res2 := generate(t, Options{Students: 500, Seed: 1})
	for ds, n := range res2.Bad {
		if n != 0 {
			t.Errorf("BadRows false: %s has %d bad rows", ds, n)
		}
	}
	if bad := readBadTruth(t, dir2); len(bad) != 0 {
		t.Errorf("BadRows false: bad_rows.csv has %d rows", len(bad))
	}
}

func TestFormatsAgree(t *testing.T) {
	opt := Options{Students: 400, Seed: 5, BadRows: true}
	base, res := generate(t, opt)
	want := map[string]*table{}
	for _, ds := range datasetOrder {
		want[ds] = readTable(t, base, ds, "csv")
	}
	for _, format := range []string{"csv.gz", "ndjson", "parquet", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			o := opt
			o.Format = format
			dir, r := generate(t, o)
			for _, ds := range datasetOrder {
				if r.Rows[ds] != res.Rows[ds] || r.Bad[ds] != res.Bad[ds] {
					t.Errorf("%s: rows/bad %d/%d, csv has %d/%d", ds, r.Rows[ds], r.Bad[ds], res.Rows[ds], res.Bad[ds])
				}
				if !strings.HasSuffix(r.Files[ds], "."+format) {
					t.Errorf("%s: file %s", ds, r.Files[ds])
				}
				got := readTable(t, dir, ds, format)
				if strings.Join(got.header, ",") != strings.Join(contractColumns[ds], ",") {
					t.Errorf("%s header %v", ds, got.header)
				}
				w := want[ds]
				if len(got.rows) != len(w.rows) {
					t.Errorf("%s: %d rows, csv has %d", ds, len(got.rows), len(w.rows))
					continue
				}
				for i := range w.rows {
					if strings.Join(got.rows[i], "\x1f") != strings.Join(w.rows[i], "\x1f") {
						t.Errorf("%s row %d:\n got %q\nwant %q", ds, i+1, got.rows[i], w.rows[i])
						break
					}
				}
			}
			x, _ := os.ReadFile(filepath.Join(base, TruthDir, "bad_rows.csv"))
			y, _ := os.ReadFile(filepath.Join(dir, TruthDir, "bad_rows.csv"))
			if !bytes.Equal(x, y) {
				t.Error("bad_rows.csv differs from the CSV run's")
			}
		})
	}
}

// TestRowsFollowContract checks every good row against the contract and every
// bad row for exactly the one problem the truth records.
func TestRowsFollowContract(t *testing.T) {
	dir, _ := generate(t, Options{Students: 6000, Seed: 11, BadRows: true})
	bad := map[string]map[int]badTruth{}
	for _, b := range readBadTruth(t, dir) {
		if bad[b.dataset] == nil {
			bad[b.dataset] = map[int]badTruth{}
		}
		bad[b.dataset][b.row] = b
	}
	ck := newChecker(defaultAsOf)
	for _, ds := range datasetOrder {
		tb := readTable(t, dir, ds, "csv")
		keyCol := contractColumns[ds][0]
		goodErrors := 0
		for i, row := range tb.maps() {
			n := i + 1
			v := ck.check(ds, row)
			b, isBad := bad[ds][n]
			if !isBad {
				if len(v) > 0 && goodErrors < 5 {
					t.Errorf("%s row %d is good by the truth but breaks %v: %v", ds, n, v, row)
					goodErrors++
				}
				continue
			}
			if len(v) != 1 || v[0].rule != b.rule || v[0].column != b.column {
				t.Errorf("%s row %d: truth says %s/%s, checker finds %v: %v", ds, n, b.rule, b.column, v, row)
			}
			key := row[keyCol]
			if ds == "allocations" {
				key = row["fiscal_year"] + "|" + row["country_code"] + "|" + row["program"]
			}
			if key != b.key {
				t.Errorf("%s row %d: key %q, truth says %q", ds, n, key, b.key)
			}
		}
		for n := range bad[ds] {
			if n < 1 || n > len(tb.rows) {
				t.Errorf("%s: truth names row %d of %d", ds, n, len(tb.rows))
			}
		}
	}
}

func TestRealism(t *testing.T) {
	dir, res := generate(t, Options{Students: 8000, Seed: 3})
	stu := readTable(t, dir, "students", "csv").maps()
	enr := readTable(t, dir, "enrollments", "csv").maps()
	ev := readTable(t, dir, "career_events", "csv").maps()
	crs := readTable(t, dir, "courses", "csv").maps()

	if n := len(crs); n < 250 || n > 400 {
		t.Errorf("%d courses, want 250-400", n)
	}
	cats := map[string]int{}
	for _, c := range crs {
		cats[c["category"]]++
	}
	for c := range allowedCategory {
		if cats[c] == 0 {
			t.Errorf("no %s course", c)
		}
	}
	countries := map[string]bool{}
	comp := 0
	for _, s := range stu {
		countries[s["country_code"]] = true
		if s["cohort"] == "COMPARISON" {
			comp++
		}
	}
	if len(countries) < 100 {
		t.Errorf("%d countries, want about 130", len(countries))
	}
	if f := float64(comp) / float64(len(stu)); f < 0.12 || f > 0.18 {
		t.Errorf("comparison share %.3f, want about 0.15", f)
	}
	if per := float64(len(ev)) / float64(len(stu)); per < 15 || per > 25 {
		t.Errorf("%.1f career events per person, want about 20", per)
	}
	status := map[string]int{}
	imet := 0
	for _, e := range enr {
		status[e["status"]]++
		if e["program"] == "IMET" || e["program"] == "" {
			imet++
		}
	}
	if f := float64(status["COMPLETED"]) / float64(len(enr)); f < 0.88 || f > 0.95 {
		t.Errorf("completed share %.3f, want about 0.92", f)
	}
	if f := float64(imet) / float64(len(enr)); f < 0.7 || f > 0.82 {
		t.Errorf("IMET share %.3f, want about 0.75", f)
	}
	idless, noID, over365, withLag := 0, 0, 0, 0
	for _, e := range ev {
		if e["student_id"] == "" {
			idless++
		}
		if e["event_id"] == "" {
			noID++
		}
		a, ok1 := parseDate(e["event_date"])
		b, ok2 := parseDate(e["reported_date"])
		if ok1 && ok2 {
			withLag++
			if b.Sub(a) > 365*24*time.Hour {
				over365++
			}
		}
	}
	if f := float64(idless) / float64(len(ev)); f < 0.08 || f > 0.12 {
		t.Errorf("id-less event share %.3f, want about 0.10", f)
	}
	if f := float64(noID) / float64(len(ev)); f < 0.035 || f > 0.065 {
		t.Errorf("event_id empty share %.3f, want about 0.05", f)
	}
	if f := float64(over365) / float64(withLag); f < 0.06 || f > 0.14 {
		t.Errorf("report lag over 365 days share %.3f, want about 0.10", f)
	}
	if res.Rows["hr_flags"] == 0 || res.Rows["allocations"] == 0 {
		t.Errorf("rows %v", res.Rows)
	}
	denied := 0
	for _, e := range enr {
		if e["vetting_status"] == "DENIED" && e["status"] == "COMPLETED" {
			denied++
		}
	}
	if denied < 3 {
		t.Errorf("%d enrollments completed despite denied vetting, want a handful", denied)
	}
}

// TestLinkTruth checks the id-less records against the links truth.
func TestLinkTruth(t *testing.T) {
	dir, _ := generate(t, Options{Students: 6000, Seed: 9})
	stu := map[string]map[string]string{}
	for _, s := range readTable(t, dir, "students", "csv").maps() {
		stu[s["student_id"]] = s
	}
	links := map[string]linkTruth{}
	expect := map[string]int{}
	variants := map[string]int{}
	for _, l := range readLinkTruth(t, dir) {
		if _, dup := links[l.recordID]; dup {
			t.Errorf("links.csv names %s twice", l.recordID)
		}
		links[l.recordID] = l
		expect[l.expect]++
		variants[l.variant]++
	}
	check := func(ds, idCol string, row map[string]string) {
		if row["student_id"] != "" {
			if _, ok := links[row[idCol]]; ok && row[idCol] != "" {
				t.Errorf("%s %s has a student_id but is in links.csv", ds, row[idCol])
			}
			return
		}
		l, ok := links[row[idCol]]
		if !ok {
			t.Errorf("%s %s has no student_id and is not in links.csv", ds, row[idCol])
			return
		}
		if l.dataset != ds {
			t.Errorf("%s: links.csv says dataset %s", row[idCol], l.dataset)
		}
		switch l.expect {
		case "unmatched":
			if l.studentID != "" {
				t.Errorf("%s unmatched but names %s", l.recordID, l.studentID)
			}
			for _, s := range stu {
				if s["country_code"] == row["country_code"] && strings.EqualFold(stripDiacritics(s["family_name"]), stripDiacritics(row["family_name"])) {
					t.Errorf("%s is expected unmatched but %s has family name %s", l.recordID, s["student_id"], s["family_name"])
				}
			}
		case "link", "ambiguous":
			s := stu[l.studentID]
			if s == nil {
				t.Errorf("%s names unknown student %s", l.recordID, l.studentID)
				return
			}
			if s["country_code"] != row["country_code"] || row["birth_year"] != "" && row["birth_year"] != s["birth_year"] {
				t.Errorf("%s: identity %v does not fit student %v", l.recordID, row, s)
			}
			same := row["family_name"] == s["family_name"] && row["given_names"] == s["given_names"]
			if (l.variant == "exact") != same {
				t.Errorf("%s variant %s but names %q %q vs student %q %q", l.recordID, l.variant, row["family_name"], row["given_names"], s["family_name"], s["given_names"])
			}
			// (Upper-casing is lossy for Turkic dotless i, so compare upper case.)
			if l.variant == "case" && !strings.EqualFold(strings.ToUpper(row["family_name"]+"|"+row["given_names"]), strings.ToUpper(s["family_name"]+"|"+s["given_names"])) {
				t.Errorf("%s case variant changed more than case", l.recordID)
			}
			if l.variant == "diacritics" && stripDiacritics(row["family_name"]+row["given_names"]) != stripDiacritics(s["family_name"]+s["given_names"]) {
				t.Errorf("%s diacritics variant changed more than diacritics", l.recordID)
			}
		default:
			t.Errorf("%s: expect %q", l.recordID, l.expect)
		}
	}
	for _, e := range readTable(t, dir, "career_events", "csv").maps() {
		check("career_events", "event_id", e)
	}
	for _, f := range readTable(t, dir, "hr_flags", "csv").maps() {
		check("hr_flags", "flag_id", f)
	}
	for _, e := range []string{"link", "ambiguous", "unmatched"} {
		if expect[e] == 0 {
			t.Errorf("no id-less record expected to be %s (%v)", e, expect)
		}
	}
	for _, v := range []string{"exact", "case", "diacritics", "translit", "hyphen", "drop_given", "abbrev"} {
		if variants[v] == 0 {
			t.Errorf("no %s name variant (%v)", v, variants)
		}
	}
	// Namesakes: two students of one country and birth year with one name.
	seen := map[string]bool{}
	namesakes := 0
	for _, s := range stu {
		k := s["country_code"] + "|" + s["birth_year"] + "|" + s["family_name"] + "|" + s["given_names"]
		if seen[k] {
			namesakes++
		}
		seen[k] = true
	}
	if namesakes == 0 {
		t.Error("no namesakes planted")
	}
}

// TestPlantedEffect: graduates reach general or flag rank more often than
// comparison peers, as the data shows it (reported events, linked by id or
// by the links truth).
func TestPlantedEffect(t *testing.T) {
	dir, _ := generate(t, Options{Students: 20000, Seed: 2})
	stu := readTable(t, dir, "students", "csv").maps()
	enr := readTable(t, dir, "enrollments", "csv").maps()
	links := map[string]string{}
	for _, l := range readLinkTruth(t, dir) {
		if l.expect == "link" {
			links[l.recordID] = l.studentID
		}
	}
	rankOrder := func(c string) int {
		if !rankCode.MatchString(c) || c == "CIV" {
			return 0
		}
		n, _ := strconv.Atoi(c[3:])
		return map[string]int{"OR": 0, "WO": 10, "OF": 20}[c[:2]] + n
	}
	type obs struct {
		d time.Time
		r int
	}
	ranks := map[string][]obs{}
	index := map[string]time.Time{}
	cohort := map[string]string{}
	for _, e := range enr {
		if d, ok := parseDate(e["start_date"]); ok && e["rank_code_at_entry"] != "" {
			ranks[e["student_id"]] = append(ranks[e["student_id"]], obs{d, rankOrder(e["rank_code_at_entry"])})
		}
		if e["status"] == "COMPLETED" && (e["program"] == "IMET" || e["program"] == "") {
			d, _ := parseDate(e["end_date"])
			if old, ok := index[e["student_id"]]; !ok || d.Before(old) {
				index[e["student_id"]] = d
			}
		}
	}
	for _, s := range stu {
		cohort[s["student_id"]] = s["cohort"]
		if s["cohort"] == "COMPARISON" {
			d, _ := parseDate(s["index_date"])
			index[s["student_id"]] = d
			ranks[s["student_id"]] = append(ranks[s["student_id"]], obs{d, rankOrder(s["rank_code_at_index"])})
		}
	}
	for _, e := range readTable(t, dir, "career_events", "csv").maps() {
		sid := e["student_id"]
		if sid == "" {
			sid = links[e["event_id"]]
		}
		if d, ok := parseDate(e["event_date"]); ok && sid != "" && e["rank_code"] != "" {
			ranks[sid] = append(ranks[sid], obs{d, rankOrder(e["rank_code"])})
		}
	}
	horizon := 3652 * 24 * time.Hour
	var n, reached [2]int // 0 participants, 1 comparison
	for sid, ix := range index {
		if ix.After(defaultAsOf.Add(-horizon)) {
			continue // less than ten years of possible follow-up
		}
		at, atDate := 0, time.Time{}
		hit := false
		for _, o := range ranks[sid] {
			if !o.d.After(ix) && (o.d.After(atDate) || o.d.Equal(atDate) && o.r > at) {
				at, atDate = o.r, o.d
			}
			if o.d.After(ix) && o.d.Sub(ix) <= horizon && o.r >= 26 {
				hit = true
			}
		}
		if at < 21 || at > 25 {
			continue // not OF-1..OF-5 at index
		}
		c := 0
		if cohort[sid] == "COMPARISON" {
			c = 1
		}
		n[c]++
		if hit {
			reached[c]++
		}
	}
	p := float64(reached[0]) / float64(n[0])
	q := float64(reached[1]) / float64(n[1])
	t.Logf("reached OF-6 within 10 years: participants %d/%d = %.3f, comparison %d/%d = %.3f", reached[0], n[0], p, reached[1], n[1], q)
	if n[1] < 200 || !(p > q*1.15) {
		t.Errorf("planted effect not visible: participants %.3f vs comparison %.3f", p, q)
	}
}

func TestOptionsAndEdges(t *testing.T) {
	for _, opt := range []Options{{Students: -1}, {Format: "xls"}, {FirstFY: 2020, LastFY: 2010}, {AsOf: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		if _, err := Generate(context.Background(), t.TempDir(), opt); err == nil {
			t.Errorf("Generate(%+v) accepted bad options", opt)
		}
	}
	// Tiny runs must not fail.
	for _, n := range []int{1, 2, 3, 7} {
		_, res := generate(t, Options{Students: n, Seed: int64(n), BadRows: true})
		if res.Rows["students"] < n {
			t.Errorf("Students %d: %d rows", n, res.Rows["students"])
		}
	}
	// A shorter window and an earlier AsOf are honoured.
	asOf := time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC)
	dir, _ := generate(t, Options{Students: 800, Seed: 4, FirstFY: 2012, LastFY: 2019, AsOf: asOf})
	ck := newChecker(asOf)
	for _, ds := range datasetOrder {
		for i, row := range readTable(t, dir, ds, "csv").maps() {
			if v := ck.check(ds, row); len(v) > 0 {
				t.Fatalf("%s row %d: %v %v", ds, i+1, v, row)
			}
		}
	}
	for _, e := range readTable(t, dir, "enrollments", "csv").maps() {
		d, _ := parseDate(e["start_date"])
		if d.Before(time.Date(2011, 10, 1, 0, 0, 0, 0, time.UTC)) || d.After(time.Date(2019, 9, 30, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("enrollment starts %s outside FY2012-FY2019", e["start_date"])
		}
	}
	// A cancelled context stops the run and leaves no temporary files.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cdir := t.TempDir()
	if _, err := Generate(ctx, cdir, Options{Students: 50000}); err == nil {
		t.Error("Generate ignored a cancelled context")
	}
	filepath.Walk(cdir, func(path string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(path, ".tmp") {
			t.Errorf("left %s", path)
		}
		return nil
	})
}

func TestNamePools(t *testing.T) {
	for key, p := range namePools {
		if len(p.family) < 10 || len(p.male) < 10 || len(p.female) < 5 || len(p.reserved) < 2 {
			t.Errorf("pool %s is too small", key)
		}
		seen := map[string]string{}
		for _, l := range []uint8{listFamily, listReserved} {
			for _, e := range p.list(l) {
				for _, v := range e {
					f := strings.ToLower(stripDiacritics(v))
					if prev, ok := seen[f]; ok && prev != e[0] {
						t.Errorf("pool %s: %q appears twice (%s, %s)", key, v, prev, e[0])
					}
					seen[f] = e[0]
				}
			}
		}
	}
	for _, c := range partnerCountries {
		if namePools[c.Pool] == nil {
			t.Errorf("%s: no name pool %q", c.Code, c.Pool)
		}
		if rankLanguages[c.Lang] == nil {
			t.Errorf("%s: no rank language %q", c.Code, c.Lang)
		}
	}
	if n := len(partnerCountries); n < 120 || n > 140 {
		t.Errorf("%d partner countries, want about 130", n)
	}
	// Partners are countries of today: each is in the built-in reference,
	// with its region, and none is a former country (Yugoslavia and the
	// like, which the reference keeps for old report rows only).
	builtIn := map[string]schemas.Country{}
	for _, c := range schemas.Countries {
		builtIn[c.Code] = c
	}
	for _, pc := range partnerCountries {
		c, ok := builtIn[pc.Code]
		if !ok || c.Former || c.Region != pc.Region {
			t.Errorf("partner %s: built-in %v (former %v, region %s), want a current country of region %s", pc.Code, ok, c.Former, c.Region, pc.Region)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	const students = 20000
	rows := 0
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		res, err := Generate(context.Background(), dir, Options{Students: students, Seed: int64(i), BadRows: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range res.Rows {
			rows += n
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(students*b.N)/b.Elapsed().Seconds(), "students/s")
}

// Example of the layout, for the documentation.
func ExampleGenerate() {
	dir, _ := os.MkdirTemp("", "synth")
	defer os.RemoveAll(dir)
	res, err := Generate(context.Background(), dir, Options{Students: 100, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	names := make([]string, 0, len(res.Files))
	for ds := range res.Files {
		rel, _ := filepath.Rel(dir, res.Files[ds])
		names = append(names, rel)
	}
	sort.Strings(names)
	fmt.Println(strings.Join(names, "\n"))
	// Output:
	// allocations/allocations.csv
	// career_events/career_events.csv
	// courses/courses.csv
	// enrollments/enrollments.csv
	// hr_flags/hr_flags.csv
	// post_holders/post_holders.csv
	// students/students.csv
}

// BenchmarkGenerateMillion times the full-size run (about 2 GB written):
//
//	go test -run '^$' -bench GenerateMillion -benchtime 1x ./synth/
//
// With -short (as CI's smoke run) it generates 20,000 students instead.
func BenchmarkGenerateMillion(b *testing.B) {
	students := 1_000_000
	if testing.Short() {
		students = 20_000
	}
	rows := 0
	for i := 0; i < b.N; i++ {
		res, err := Generate(context.Background(), b.TempDir(), Options{Students: students, Seed: 1, BadRows: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range res.Rows {
			rows += n
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}

// Options.Selection makes comparison peers hold lower ranks at index than
// the graduates they are drawn for, and come from other countries, and the
// truth says so; without it peers are matched on both.
func TestSelection(t *testing.T) {
	meanRank := func(opt Options) (float64, int, map[string]any) {
		dir, _ := generate(t, opt)
		var sum, n, countries int
		seen := map[string]bool{}
		for _, s := range readTable(t, dir, "students", "csv").maps() {
			if s["cohort"] != "COMPARISON" || !strings.HasPrefix(s["rank_code_at_index"], "OF-") {
				continue
			}
			k, _ := strconv.Atoi(s["rank_code_at_index"][3:])
			if k <= 5 {
				sum, n = sum+k, n+1
			}
			if !seen[s["country_code"]] {
				seen[s["country_code"]], countries = true, countries+1
			}
		}
		body, err := os.ReadFile(filepath.Join(dir, TruthDir, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var truth struct {
			Planted map[string]any `json:"planted"`
		}
		if err := json.Unmarshal(body, &truth); err != nil {
			t.Fatal(err)
		}
		return float64(sum) / float64(n), countries, truth.Planted["selection"].(map[string]any)
	}
	matched, cm, tm := meanRank(Options{Students: 6000, Seed: 5})
	selected, cs, ts := meanRank(Options{Students: 6000, Seed: 5, Selection: true})
	t.Logf("comparison peers' mean OF level at index: matched %.2f (%d countries), selected %.2f (%d countries)", matched, cm, selected, cs)
	if !(selected < matched-0.3) || !(cs > cm) {
		t.Errorf("selection not planted: mean OF level %.2f vs %.2f, countries %d vs %d", selected, matched, cs, cm)
	}
	if tm["enabled"] != false || ts["enabled"] != true || ts["comparison_rank_one_lower_share"] != selectionRankShare {
		t.Errorf("truth: %v / %v", tm, ts)
	}
}
