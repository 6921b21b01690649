package congress

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas/schemastest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var dayD = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)

const (
	coverage      = "Read beside TRACK_24M for the same group: a person whose career stopped being reported is censored, and a low coverage means the rate rests on few people."
	associational = "Participants are compared with peers supplied by partner nations, not a randomised control: the difference is an association, not an effect of the training."
)

// registry is a part of the metric registry, as the caller passes it; the
// last caveat of COST_PER_GRAD begins with '+' to prove neutralisation.
var registry = []MetricDoc{
	{ID: "LEAD_RANK_5Y", NumUnit: "count", DenUnit: "count", UnitLabel: "share", ReadBeside: "TRACK_24M", Associational: true, Unit: "share", Title: "General/flag rank within 5 years", Definition: "Share of officers who reach general or flag rank within five years of graduating.",
		Population: "Graduates (and, separately, comparison members) whose rank at the index date is OF-1 to OF-5 and who have follow-up.",
		Event:      "The first date after the index date on which the person's rank is at or above OF-6.",
		Estimator:  "Kaplan-Meier: 1 − S(horizon), log-scale 95% limits", Caveats: []string{coverage, associational}},
	{ID: "LEAD_POS_5Y", NumUnit: "count", DenUnit: "count", UnitLabel: "share", ReadBeside: "TRACK_24M", Associational: true, Unit: "share", Title: "Position of prominence within 5 years", Definition: "Share of graduates who reach a strategic or senior position within five years.",
		Population: "Graduates (and comparison members) with follow-up who held no STRATEGIC or SENIOR position on or before the index date.",
		Event:      "The first career event after the index date with position level STRATEGIC or SENIOR.",
		Estimator:  "Kaplan-Meier: 1 − S(horizon), log-scale 95% limits", Caveats: []string{coverage, associational}},
	{ID: "LEAD_POS_10Y", NumUnit: "count", DenUnit: "count", UnitLabel: "share", ReadBeside: "TRACK_24M", Associational: true, Unit: "share", Title: "Position of prominence within 10 years", Definition: "Share of graduates who reach a strategic or senior position within ten years.",
		Population: "As LEAD_POS_5Y.", Event: "As LEAD_POS_5Y.",
		Estimator: "Kaplan-Meier: 1 − S(horizon), log-scale 95% limits", Caveats: []string{coverage, associational}},
	{ID: "LEAD_RANK_HR", NumUnit: "count", DenUnit: "count", UnitLabel: "hazard ratio", ReadBeside: "TRACK_24M", Associational: true, Contrast: true, Unit: "ratio", Title: "Participants vs comparison peers: general/flag rank", Definition: "How much faster graduates reach general or flag rank than comparison peers of the same country, as a hazard ratio (above 1: faster).",
		Population: "As LEAD_RANK, graduates and comparison members together.", Event: "As LEAD_RANK.",
		Estimator: "Cox hazard ratio (Efron ties, stratified by country), Wald 95% limits; stratified log-rank p", Caveats: []string{associational, coverage}},
	{ID: "RETAIN_10Y", NumUnit: "count", DenUnit: "count", UnitLabel: "share", ReadBeside: "TRACK_24M", Unit: "share", Title: "Still serving 10 years on", Definition: "Share of graduates still serving ten years after graduating.",
		Population: "Graduates (and comparison members) with follow-up.", Event: "Still serving at the horizon.",
		Estimator: "Kaplan-Meier: S(horizon), log-scale 95% limits", Caveats: []string{coverage}},
	{ID: "TRACK_24M", NumUnit: "count", DenUnit: "count", UnitLabel: "share", Unit: "share", Title: "Tracking coverage (24 months)", Definition: "Share of graduates still serving about whom at least one career event was reported in the last two years.",
		Population: "Graduates (and, separately, comparison members) not exited by D.", Event: "At least one career event in the 730 days up to D.",
		Estimator: "proportion, Wilson score 95% interval"},
	{ID: "VET_DENIED_ATTENDED", NumUnit: "count", DenUnit: "count", UnitLabel: "count", Unit: "count", Title: "Attended despite denied vetting (alarm)", Definition: "Enrollments whose human-rights vetting was DENIED yet the student attended.",
		Population: "Enrollments of every program starting in the period.", Event: "Vetting status DENIED and status COMPLETED or IN_PROGRESS.", Estimator: "count"},
	{ID: "COMPLETION", NumUnit: "count", DenUnit: "count", UnitLabel: "share", Unit: "share", Title: "Course completion", Definition: "Share of students who finish the course they started.",
		Population: "IMET enrollments starting in the period with status COMPLETED, WITHDRAWN or FAILED.", Event: "Status COMPLETED.",
		Estimator: "proportion, Wilson score 95% interval"},
	{ID: "COMPLETION_BY_ECL", NumUnit: "count", DenUnit: "count", UnitLabel: "share", Unit: "share", Title: "Course completion by English test score", Definition: "Completion split by the English Comprehension Level score at entry.",
		Population: "As COMPLETION, in each ECL band.", Event: "Status COMPLETED.", Estimator: "proportion, Wilson score 95% interval"},
	{ID: "COST_PER_GRAD", NumUnit: "dollars", DenUnit: "count", UnitLabel: "US dollars per graduate", Unit: "dollars", Title: "Cost per graduate", Definition: "U.S. cost of the period's IMET training divided by the number of individual students who completed a course in it.",
		Population: "Distinct students with a COMPLETED IMET enrollment starting in the period.", Event: "Σ cost_usd of all IMET enrollments starting in the period.",
		Estimator: "ratio", Caveats: []string{"+ travel is not included"}},
	{ID: "ALUMNI_PROMINENT", NumUnit: "count", DenUnit: "count", UnitLabel: "count", ShownAfter: "LEAD_POS_10Y", Unit: "count", Title: "Prominent alumni (traditional count)", Definition: "The number of graduates now in a strategic or senior position.",
		Population: "Graduates.", Event: "The latest position level reported on or before D is STRATEGIC or SENIOR.", Estimator: "count"},
	{ID: "FMTR_SESSIONS", NumUnit: "count", DenUnit: "count", UnitLabel: "count", Unit: "count", Title: "Training sessions (FMTR)", Definition: "The number of enrollments.", Population: "Enrollments of every program starting in the period, except CANCELLED ones.", Event: "Enrollments.", Estimator: "count"},
	{ID: "FMTR_STUDENTS", NumUnit: "count", DenUnit: "count", UnitLabel: "count", Unit: "count", Title: "Individual students (FMTR)", Definition: "Distinct people, counted at each level shown.", Population: "As FMTR_SESSIONS.", Event: "Distinct students.", Estimator: "count"},
	{ID: "FMTR_COURSES", NumUnit: "count", DenUnit: "count", UnitLabel: "count", Unit: "count", Title: "Course count (FMTR)", Definition: "Distinct courses with both a start and an end date.", Population: "As FMTR_SESSIONS.", Event: "Distinct courses.", Estimator: "count"},
	{ID: "FMTR_DOLLARS", NumUnit: "dollars", DenUnit: "number", UnitLabel: "US dollars", Unit: "dollars", Title: "Dollar value (FMTR)", Definition: "The summed U.S. cost.", Population: "As FMTR_SESSIONS.", Event: "Σ cost_usd.", Estimator: "sum"},
	penDocs[0], penDocs[1],
}

func options() Options {
	return Options{FY: 2026, AsOf: dayD, Vintage: 7, Metrics: registry, Notes: []string{"Run 42, imet test.", "@risk: two files were quarantined"}}
}

// warehouse is a migrated in-memory warehouse holding the fixture.
func warehouse(t *testing.T) *sql.DB {
	t.Helper()
	db := schemastest.Memory(t)
	path, err := filepath.Abs("testdata/metric_values.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO metric_values BY NAME SELECT * FROM read_csv($1, header = true, columns = {
		'metric_id': 'VARCHAR', 'period': 'VARCHAR', 'graduation_cohort': 'VARCHAR', 'cohort': 'VARCHAR', 'program': 'VARCHAR',
		'region': 'VARCHAR', 'country_code': 'VARCHAR', 'course_category': 'VARCHAR', 'sex': 'VARCHAR', 'ecl_band': 'VARCHAR',
		'n': 'BIGINT', 'events': 'BIGINT', 'numerator': 'DOUBLE', 'denominator': 'DOUBLE', 'value': 'DOUBLE', 'ci_low': 'DOUBLE',
		'ci_high': 'DOUBLE', 'p_value': 'DOUBLE', 'suppressed': 'BOOLEAN', 'note': 'VARCHAR', 'as_of': 'DATE', 'vintage': 'BIGINT'})`, path)
	if err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	if _, err := db.Exec(fmtrFixture); err != nil {
		t.Fatalf("load the FMTR fixture: %v", err)
	}
	return db
}

// fmtrFixture is a small Foreign Military Training Report, made up for the
// FMTR by year sheet: Kenya FY2013 reconciles; Kenya FY2017 has one
// sub-program that does and one that does not; Peru FY2017 has no printed
// total; an FMF row is not IMET; Colombia came in batch 9, after the
// vintage (7) the summary reads.
const fmtrFixture = `
INSERT INTO fmtr_activities (activity_key, source, country_code, program, sub_program, fiscal_year, quantity, cost_usd, _batch_id) VALUES
	('a1', 'S13', 'KEN', 'IMET', 'IMET-1', 2013, 3, 1000.50, 5),
	('a2', 'S13', 'KEN', 'IMET', 'IMET-1', 2013, 2, 500, 5),
	('a3', 'S17', 'KEN', 'IMET', 'IMET-1', 2017, 4, 2000, 6),
	('a4', 'S17', 'KEN', 'IMET', 'IMET-2', 2017, 1, 1000, 6),
	('a5', 'S17', 'PER', 'IMET', NULL, 2017, 7, 7000, 6),
	('a6', 'S13', 'PER', 'FMF', NULL, 2013, 1, 100, 5),
	('a7', 'S17', 'COL', 'IMET', NULL, 2017, 9, 9000, 9);
INSERT INTO fmtr_totals (total_key, source, country_code, program, sub_program, fiscal_year, quantity, cost_usd, _batch_id) VALUES
	('t1', 'S13', 'KEN', 'IMET', 'IMET-1', 2013, 5, 1500.50, 5),
	('t2', 'S17', 'KEN', 'IMET', 'IMET-1', 2017, 4, 2000, 6),
	('t3', 'S17', 'KEN', 'IMET', 'IMET-2', 2017, 1, 900, 6);
`

// The FMTR by year sheet: IMET per country and report year loaded up to
// the vintage, the report's figures as numbers (not suppressed, however
// small: they are published), with each cell's reconciliation.
func TestFMTRByYearSheet(t *testing.T) {
	tables := build(t)
	sheet := table(t, tables, SheetFMTRYears)
	if sheet.File != "fmtr-by-year" || len(sheet.Rows) != 3 {
		t.Fatalf("%s: %d rows, want 3 (KEN 2013, KEN 2017, PER 2017)", sheet.File, len(sheet.Rows))
	}
	want := [][]any{
		{"AF", "KEN", "Kenya", int64(2013), "IMET", int64(5), 1500.50, 1.0, "matches"},
		{"AF", "KEN", "Kenya", int64(2017), "IMET", int64(5), 3000.0, 2000.0 / 3000, "differs"},
		{"WHA", "PER", "Peru", int64(2017), "IMET", int64(7), 7000.0, 0.0, "no_printed_total"},
	}
	for i, w := range want {
		for j := range w {
			if sheet.Rows[i][j] != w[j] {
				t.Errorf("row %d %s: %v (%T), want %v", i+1, sheet.Columns[j].Name, sheet.Rows[i][j], sheet.Rows[i][j], w[j])
			}
		}
	}
	notes := table(t, tables, SheetNotes)
	if row := one(t, notes, "item", "FMTR by year"); !strings.Contains(row[1].(string), "2013, 2017") || !strings.Contains(row[1].(string), "Security Force Monitor") {
		t.Errorf("data note: %v", row[1])
	}
}

func build(t *testing.T) []Table {
	t.Helper()
	tables, err := Build(context.Background(), warehouse(t), options())
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

func table(t *testing.T, tables []Table, sheet string) *Table {
	t.Helper()
	for i := range tables {
		if tables[i].Sheet == sheet {
			return &tables[i]
		}
	}
	t.Fatalf("no sheet %q", sheet)
	return nil
}

func col(t *testing.T, tb *Table, name string) int {
	t.Helper()
	i := slices.IndexFunc(tb.Columns, func(c Column) bool { return c.Name == name })
	if i < 0 {
		t.Fatalf("%s: no column %q", tb.Sheet, name)
	}
	return i
}

// find returns the rows of tb whose named columns hold the values (pairs).
func find(t *testing.T, tb *Table, kv ...string) [][]any {
	t.Helper()
	var out [][]any
	for _, row := range tb.Rows {
		ok := true
		for i := 0; i < len(kv); i += 2 {
			if row[col(t, tb, kv[i])] != any(kv[i+1]) {
				ok = false
			}
		}
		if ok {
			out = append(out, row)
		}
	}
	return out
}

func one(t *testing.T, tb *Table, kv ...string) []any {
	t.Helper()
	rows := find(t, tb, kv...)
	if len(rows) != 1 {
		t.Fatalf("%s %v: %d rows, want 1", tb.Sheet, kv, len(rows))
	}
	return rows[0]
}

func TestCongressGolden(t *testing.T) {
	tables := build(t)
	dir := t.TempDir()
	paths, err := WriteCSV(tables, dir, "congress")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 9 {
		t.Fatalf("%d files", len(paths))
	}
	for i, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", tables[i].File+".csv")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./reports/congress -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./reports/congress -update and review the diff)", p, golden)
		}
	}
}

func TestCongressSheets(t *testing.T) {
	tables := build(t)
	var sheets, files []string
	for _, tb := range tables {
		sheets = append(sheets, tb.Sheet)
		files = append(files, tb.File)
	}
	want := []string{"Summary", "By region", "By country", "By course category", "Leadership penetration", "FMTR columns", "FMTR by year", "Methodology", "Data notes"}
	if !slices.Equal(sheets, want) {
		t.Errorf("sheets %q", sheets)
	}
	if !slices.Equal(files, []string{"summary", "by-region", "by-country", "by-course-category", "leadership-penetration", "fmtr-columns", "fmtr-by-year", "methodology", "data-notes"}) {
		t.Errorf("files %q", files)
	}

	sum := table(t, tables, SheetSummary)
	// Display order: ALUMNI_PROMINENT moves beside LEAD_POS; rows of
	// other periods, vintages, D, sexes, graduation cohorts and metrics
	// are left out.
	var order []string
	for _, row := range sum.Rows {
		if id := row[0].(string); !slices.Contains(order, id) {
			order = append(order, id)
		}
	}
	wantOrder := []string{"LEAD_RANK_5Y", "LEAD_POS_5Y", "LEAD_POS_10Y", "ALUMNI_PROMINENT", "LEAD_RANK_HR", "RETAIN_10Y", "TRACK_24M", "VET_DENIED_ATTENDED",
		"COMPLETION", "COMPLETION_BY_ECL", "COST_PER_GRAD", "FMTR_SESSIONS", "FMTR_STUDENTS", "FMTR_COURSES", "FMTR_DOLLARS", "LEAD_PENETRATION", "LEAD_PENETRATION_SHRUNK"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("summary order %q", order)
	}
	if len(sum.Rows) != 2+2+2+1+1+2+2+1+1+4+1+4+2 {
		t.Errorf("summary has %d rows", len(sum.Rows))
	}
	c := one(t, sum, "metric_id", "COMPLETION")
	if c[col(t, sum, "period")] != "FY2026" || c[col(t, sum, "n")] != int64(120) || c[col(t, sum, "value")] != (Quantity{0.9, Percent}) {
		t.Errorf("COMPLETION summary %v", c)
	}
	// The alarm count is zero, below k: suppressed like any small cell.
	if v := one(t, sum, "metric_id", "VET_DENIED_ATTENDED"); v[col(t, sum, "suppressed")] != true {
		t.Errorf("VET_DENIED_ATTENDED %v", v)
	}
	// Participant-vs-comparison rows say that the comparison is associational.
	for _, row := range sum.Rows {
		comparison := row[col(t, sum, "cohort")] == "COMPARISON" || row[0] == "LEAD_RANK_HR"
		if got := row[col(t, sum, "caveat")]; comparison != (got == Associational) {
			t.Errorf("%v: caveat %v", row[:4], got)
		}
	}
	// Outcome rates carry the tracking coverage of their group.
	lr := one(t, sum, "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT")
	tr := one(t, sum, "metric_id", "TRACK_24M", "cohort", "PARTICIPANT")
	if got := lr[col(t, sum, "tracking_24m")]; got != tr[col(t, sum, "value")].(Quantity).V || got != 55.0/79 {
		t.Errorf("LEAD_RANK_5Y coverage %v", got)
	}

	// Neutralised text: notes from the warehouse, caveats, caller notes.
	if got := one(t, sum, "metric_id", "COST_PER_GRAD")[col(t, sum, "note")]; got != `'=HYPERLINK("http://example.com/x","click")` {
		t.Errorf("note %v", got)
	}
	country := table(t, tables, SheetCountry)
	if got := one(t, country, "metric_id", "COMPLETION", "country_code", "NGA")[col(t, country, "note")]; got != "'-5% change from FY2025" {
		t.Errorf("note %v", got)
	}
	meth := table(t, tables, SheetMethodology)
	if got := one(t, meth, "metric_id", "COST_PER_GRAD")[col(t, meth, "caveats")]; got != "'+ travel is not included" {
		t.Errorf("caveat %v", got)
	}
	if len(meth.Rows) != len(registry)+1 {
		t.Errorf("methodology has %d rows", len(meth.Rows))
	}
	notes := table(t, tables, SheetNotes)
	var all []string
	for _, row := range notes.Rows {
		all = append(all, row[1].(string))
	}
	for _, want := range []string{"'@risk: two files were quarantined", "Run 42, imet test.", distinctNote, "2026-09-30: events dated after D are ignored; metrics measured as of D have period ALL."} {
		if !slices.Contains(all, want) {
			t.Errorf("data notes lack %q", want)
		}
	}

	// By country carries the country's region and name from the countries table.
	ken := one(t, country, "metric_id", "COST_PER_GRAD", "country_code", "KEN")
	if ken[col(t, country, "region")] != "AF" || ken[col(t, country, "country_name")] != "Kenya" {
		t.Errorf("KEN %v", ken)
	}
}

// TestSuppression checks the fixture's suppressions, primary and
// complementary, across sheets.
func TestCongressSuppression(t *testing.T) {
	tables := build(t)
	region, country, cat, fmtr := table(t, tables, SheetRegion), table(t, tables, SheetCountry), table(t, tables, SheetCategory), table(t, tables, SheetFMTR)
	note := func(tb *Table, row []any) string { s, _ := row[col(t, tb, "note")].(string); return s }
	check := func(tb *Table, want string, kv ...string) {
		t.Helper()
		row := one(t, tb, kv...)
		got := "shown"
		if row[col(t, tb, "suppressed")] == true {
			got = "complement"
			if strings.Contains(note(tb, row), "below the minimum cell size") {
				got = "below"
			}
		}
		if got != want {
			t.Errorf("%s %v: %s, want %s", tb.Sheet, kv, got, want)
		}
	}
	// KEN (3) is below k; GHA (12) is the next smallest country of AF.
	check(country, "below", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "country_code", "KEN")
	check(country, "complement", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "country_code", "GHA")
	check(country, "shown", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "country_code", "NGA")
	// Comparison EST (1) is below k; POL is its complement in EUR. Then
	// participant EST (8) is hidden because participants and comparison
	// members add up to LEAD_RANK_HR for EST, and participant POL because
	// EST is now alone in EUR: the fixed point.
	check(country, "below", "metric_id", "LEAD_RANK_5Y", "cohort", "COMPARISON", "country_code", "EST")
	check(country, "complement", "metric_id", "LEAD_RANK_5Y", "cohort", "COMPARISON", "country_code", "POL")
	check(country, "complement", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "country_code", "EST")
	check(country, "complement", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "country_code", "POL")
	check(country, "shown", "metric_id", "LEAD_RANK_HR", "country_code", "EST")
	check(region, "shown", "metric_id", "LEAD_RANK_5Y", "cohort", "PARTICIPANT", "region", "EUR")
	// Course categories: ELT (3) and the next smallest, TECHNICAL (57).
	check(cat, "below", "metric_id", "COMPLETION", "course_category", "ELT")
	check(cat, "complement", "metric_id", "COMPLETION", "course_category", "TECHNICAL")
	check(cat, "shown", "metric_id", "COMPLETION", "course_category", "PME")
	// ECL bands add up to COMPLETION: missing (2) and <70 (8).
	sum := table(t, tables, SheetSummary)
	check(sum, "below", "metric_id", "COMPLETION_BY_ECL", "ecl_band", "missing")
	check(sum, "complement", "metric_id", "COMPLETION_BY_ECL", "ecl_band", "<70")
	check(sum, "shown", "metric_id", "COMPLETION_BY_ECL", "ecl_band", "70-79")
	// FMTR: programs CTFP (2) and FMS; countries KEN, GHA, EST, POL.
	check(fmtr, "below", "program", "CTFP")
	check(fmtr, "complement", "program", "FMS")
	check(fmtr, "shown", "program", "IMET")
	check(fmtr, "complement", "program", "ALL", "country_code", "GHA")
	check(fmtr, "complement", "program", "ALL", "country_code", "POL")
	check(fmtr, "shown", "program", "ALL", "country_code", "NGA")

	// A suppressed row shows no number at all; the rows below k all are suppressed.
	for i := range tables[:5] {
		tb := &tables[i]
		for _, row := range tb.Rows {
			if row[col(t, tb, "suppressed")] != true {
				continue
			}
			for j, c := range tb.Columns {
				withheld := row[j] == Withheld{} || (c.Name == "tracking_24m" && row[j] == nil)
				if c.Kind != Text && c.Kind != Bool && !withheld {
					t.Errorf("%s %v: %s = %v in a suppressed row", tb.Sheet, row[:5], c.Name, row[j])
				}
			}
		}
	}
}

// TestFormats reads the CSV and Parquet files back and checks that they
// hold the same cells as the tables, and that a second run writes the
// very same bytes.
func TestCongressFormats(t *testing.T) {
	var runs [2]map[string][]byte
	for run := range runs {
		tables := build(t)
		dir := t.TempDir()
		csvs, err := WriteCSV(tables, dir, "congress-fy2026")
		if err != nil {
			t.Fatal(err)
		}
		pqs, err := WriteParquet(tables, dir, "congress-fy2026")
		if err != nil {
			t.Fatal(err)
		}
		runs[run] = map[string][]byte{}
		for _, p := range append(csvs, pqs...) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			runs[run][filepath.Base(p)] = b
		}
		if run == 0 {
			if filepath.Base(csvs[2]) != "congress-fy2026-by-country.csv" || filepath.Base(pqs[5]) != "congress-fy2026-fmtr-columns.parquet" {
				t.Errorf("file names %v %v", csvs, pqs)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 18 {
				t.Errorf("%d files in the folder (temporary files left?)", len(entries))
			}
			db := schemastest.Memory(t)
			for i := range tables {
				compareFiles(t, db, &tables[i], csvs[i], pqs[i])
			}
		}
	}
	if len(runs[0]) != 18 {
		t.Fatalf("%d files", len(runs[0]))
	}
	for name, b := range runs[0] {
		if !bytes.Equal(b, runs[1][name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// compareFiles checks a table against its CSV file and, through DuckDB,
// its Parquet file: same columns, same rows, same cells, same types.
func compareFiles(t *testing.T, db *sql.DB, tb *Table, csvPath, pqPath string) {
	t.Helper()
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(tb.Rows)+1 {
		t.Fatalf("%s: %d records for %d rows", csvPath, len(recs), len(tb.Rows))
	}
	for j, c := range tb.Columns {
		if recs[0][j] != c.Name {
			t.Errorf("%s: header %q, want %q", csvPath, recs[0][j], c.Name)
		}
	}
	for i, row := range tb.Rows {
		for j, v := range row {
			if want := text(v, tb.Columns[j].Kind); recs[i+1][j] != want {
				t.Errorf("%s row %d %s: %q, want %q", csvPath, i+1, tb.Columns[j].Name, recs[i+1][j], want)
			}
		}
	}

	rows, err := db.Query(`SELECT * FROM read_parquet($1)`, pqPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, _ := rows.ColumnTypes()
	for j, c := range tb.Columns {
		want := map[Kind]string{Text: "VARCHAR", Integer: "BIGINT", Year: "BIGINT", Bool: "BOOLEAN"}[c.Kind]
		if want == "" {
			want = "DOUBLE"
		}
		if types[j].Name() != c.Name || types[j].DatabaseTypeName() != want {
			t.Errorf("%s: column %s %s, want %s %s", pqPath, types[j].Name(), types[j].DatabaseTypeName(), c.Name, want)
		}
	}
	i := 0
	for rows.Next() {
		vals := make([]any, len(tb.Columns))
		ptrs := make([]any, len(vals))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		// Parquet keeps every value at full precision: the table's own.
		for j, v := range vals {
			var want any
			switch x := tb.Rows[i][j].(type) {
			case nil, Withheld:
			case Quantity:
				want = x.V
			default:
				want = x
			}
			if v != want {
				t.Errorf("%s row %d %s: %v (%T), want %v (%T)", pqPath, i+1, tb.Columns[j].Name, v, v, want, want)
			}
		}
		i++
	}
	if i != len(tb.Rows) {
		t.Errorf("%s: %d rows, want %d", pqPath, i, len(tb.Rows))
	}
}

func TestCongressBuildErrors(t *testing.T) {
	db := warehouse(t)
	ctx := context.Background()
	opt := options()
	opt.Vintage = 99
	if _, err := Build(ctx, db, opt); err == nil || !strings.Contains(err.Error(), "run 'imet transform'") {
		t.Errorf("unknown vintage: %v", err)
	}
	opt = options()
	opt.FY = 0
	if _, err := Build(ctx, db, opt); err == nil {
		t.Error("no fiscal year: no error")
	}
	opt = options()
	opt.Metrics = nil
	if _, err := Build(ctx, db, opt); err == nil {
		t.Error("no metrics: no error")
	}
	// A larger k suppresses more; defaults fill D.
	opt = options()
	opt.AsOf, opt.MinCell = time.Time{}, 50
	tables, err := Build(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	sum := table(t, tables, SheetSummary)
	if row := one(t, sum, "metric_id", "LEAD_RANK_5Y", "cohort", "COMPARISON"); row[col(t, sum, "suppressed")] != true {
		t.Errorf("k = 50: comparison (23) shown")
	}
}
