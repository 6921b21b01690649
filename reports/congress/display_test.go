package congress

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/imet-project/imet/reports"
	"github.com/xuri/excelize/v2"
)

func TestCongressDisplay(t *testing.T) {
	for _, c := range []struct {
		x    float64
		k    Kind
		want string
	}{
		{0.253123, Percent, "25.3%"},
		{0.2535, Percent, "25.4%"}, // half away from zero, as a spreadsheet shows it
		{1, Percent, "100.0%"},
		{0, Percent, "0.0%"},
		{-0.25, Percent, "-25.0%"},
		{15457639.12, Dollars, "15457639"},
		{24876.5, Dollars, "24877"},
		{2.5, Dollars, "3"}, // not banker's rounding
		{412.5, Days, "413"},
		{1.5678, Number, "1.568"},
		{0.285, Number, "0.285"},
		{1.0005, Number, "1.001"},  // a little below 1.0005 in binary; spreadsheets show 1.001
		{-0.0004, Number, "0.000"}, // never -0.000
		{1e12 + 0.4, Integer, "1000000000000"},
		{2013, Year, "2013"},
	} {
		if got := Display(c.x, c.k); got != c.want {
			t.Errorf("Display(%v, %s) = %q, want %q", c.x, c.k, got, c.want)
		}
	}
	for k, f := range numberFormats {
		want := map[Kind]string{Integer: "#,##0", Number: "0.000", Percent: "0.0%", Dollars: "$#,##0", Days: "#,##0", Year: "0"}[k]
		if f.code() != want {
			t.Errorf("%s: number format %q, want %q", k, f.code(), want)
		}
	}
}

// The CSV files hold each number as the workbook displays it: excelize's
// own rendering of the cell through its number format, without the
// currency sign and thousands separators.
func TestCongressCSVAsDisplayed(t *testing.T) {
	tables := build(t)
	f := open(t, writeWorkbook(t, tables))
	dir := t.TempDir()
	paths, err := WriteCSV(tables, dir, "c")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]int{}
	for i, tb := range tables {
		fh, err := os.Open(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range tb.Rows {
			for j, v := range row {
				k := tb.Columns[j].Kind
				switch x := v.(type) {
				case Quantity:
					k = x.Kind
				case float64, int64:
				default:
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, r+2)
				shown, err := f.GetCellValue(tb.Sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				shown = strings.NewReplacer("$", "", ",", "").Replace(shown)
				if got := recs[r+1][j]; got != shown {
					t.Errorf("%s %s (%s, %s): CSV %q, the workbook shows %q", tb.Sheet, cell, tb.Columns[j].Name, k, got, shown)
				}
				kinds[k]++
			}
		}
	}
	for _, k := range []Kind{Integer, Number, Percent, Dollars} {
		if kinds[k] == 0 {
			t.Errorf("the fixture has no %s number", k)
		}
	}
}

// A share from a group in which nothing happened has limits of zero
// width: no product shows them as certainty. The row keeps its value, n
// and events, leaves both limits empty and says "none of n" with the
// one-sided bound; a suppressed row says nothing of the kind.
func TestCongressZeroWidth(t *testing.T) {
	tables := build(t)
	sum := table(t, tables, SheetSummary)
	for _, c := range []struct {
		metric, cohort, note string
		value                float64
	}{
		{"LEAD_POS_10Y", "PARTICIPANT", "none of 120; one-sided 95% upper bound 2.5% were all 120 followed to the horizon (wider if fewer were)", 0},
		{"RETAIN_10Y", "PARTICIPANT", "all of 40; one-sided 95% lower bound 92.8% were all 40 followed to the horizon (lower if fewer were); no exits recorded", 1},
		// the other end: everyone left by the horizon, so none still serving
		{"RETAIN_10Y", "COMPARISON", "none of 10; one-sided 95% upper bound 25.9% were all 10 followed to the horizon (wider if fewer were)", 0},
	} {
		row := one(t, sum, "metric_id", c.metric, "cohort", c.cohort)
		if row[col(t, sum, "ci_low")] != nil || row[col(t, sum, "ci_high")] != nil {
			t.Errorf("%s: limits %v–%v shown for a zero-width interval", c.metric, row[col(t, sum, "ci_low")], row[col(t, sum, "ci_high")])
		}
		if got := row[col(t, sum, "value")]; got != (Quantity{c.value, Percent}) {
			t.Errorf("%s: value %v", c.metric, got)
		}
		if got := row[col(t, sum, "note")]; got != c.note {
			t.Errorf("%s: note %q, want %q", c.metric, got, c.note)
		}
		// The events column can count events after the horizon (6 and 5
		// here); the note counts the share itself, never that column.
		n := row[col(t, sum, "n")].(int64)
		if !strings.HasPrefix(c.note, reports.ZeroWidthText(c.value, n)) {
			t.Errorf("%s %s: the note is not the shared ZeroWidthText", c.metric, c.cohort)
		}
	}
	// An interval of some width is shown as it is.
	cmp := one(t, sum, "metric_id", "LEAD_POS_10Y", "cohort", "COMPARISON")
	if cmp[col(t, sum, "ci_low")] != (Quantity{0.05, Percent}) || cmp[col(t, sum, "ci_high")] != (Quantity{0.31, Percent}) {
		t.Errorf("comparison limits %v–%v", cmp[col(t, sum, "ci_low")], cmp[col(t, sum, "ci_high")])
	}
	// Suppressed zero-width rows (KEN below k, NGA its complement) keep
	// the suppression note: "none of 3" would give the small cell away.
	country := table(t, tables, SheetCountry)
	for _, code := range []string{"KEN", "NGA"} {
		row := one(t, country, "metric_id", "LEAD_POS_10Y", "country_code", code)
		note, _ := row[col(t, country, "note")].(string)
		if row[col(t, country, "suppressed")] != true || !strings.HasPrefix(note, "suppressed:") || strings.Contains(note, "events in") {
			t.Errorf("%s: suppressed %v, note %q", code, row[col(t, country, "suppressed")], note)
		}
	}
	// The method is in the data notes.
	notes := table(t, tables, SheetNotes)
	found := false
	for _, row := range notes.Rows {
		if row[0] == "Zero-width intervals" {
			found = strings.Contains(row[1].(string), reports.BoundMethod) && strings.Contains(row[1].(string), ": 3.")
		}
	}
	if !found {
		t.Error("the data notes lack the zero-width rule with BoundMethod and its count")
	}
	// The CSV row: empty limits, the note.
	dir := t.TempDir()
	paths, err := WriteCSV(tables[:1], dir, "c")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(paths[0])
	if !strings.Contains(string(body), ",share,120,6,,,0.0%,,,,,69.6%,none of 120; one-sided 95% upper bound 2.5% were all 120 followed to the horizon (wider if fewer were),,false\n") {
		t.Errorf("the CSV lacks the zero-width row as shown:\n%s", body)
	}
}

// A fiscal year without data is an error that names the years with data,
// not a summary of empty cells.
func TestCongressNoDataYear(t *testing.T) {
	opt := options()
	opt.FY = 2024 // the fixture's transform (D 2026-09-30) has FY2025 and FY2026
	_, err := Build(context.Background(), warehouse(t), opt)
	if err == nil {
		t.Fatal("FY2024: no error")
	}
	for _, want := range []string{"FY2024 has no data", "fiscal years with data there: 2025–2026"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := reports.YearList([]int{2008, 2009, 2010, 2013, 2015, 2016}); got != "2008–2010, 2013, 2015–2016" {
		t.Errorf("YearList = %q", got)
	}
}

// The FMTR columns sheet labels its columns with the shared FMTR headers.
func TestCongressFMTRHeaders(t *testing.T) {
	tb := table(t, build(t), SheetFMTR)
	var got []string
	for _, c := range tb.Columns {
		got = append(got, c.Header)
	}
	want := []string{FMTRProgram.Header, FMTRRegion.Header, FMTRCountryCode.Header, FMTRCountryName.Header, FMTRPeriod.Header,
		FMTRSessions.Header, FMTRStudents.Header, FMTRCourses.Header, FMTRDollars.Header, FMTRNote.Header, "Suppressed"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("headers %q, want %q", got, want)
	}
}

// A table of many countries shows some small p-values by chance: beside
// each p-value the workbook gives the Benjamini-Hochberg adjusted one, and a
// suppressed cell withholds both.
func TestCongressAdjustedPValue(t *testing.T) {
	db := warehouse(t)
	if _, err := db.Exec(`UPDATE metric_values SET p_value = 0.01, p_adjusted = 0.04
		WHERE metric_id = 'LEAD_RANK_HR' AND country_code IN ('EST', 'POL')`); err != nil {
		t.Fatal(err)
	}
	tables, err := Build(context.Background(), db, options())
	if err != nil {
		t.Fatal(err)
	}
	country := table(t, tables, SheetCountry)
	row := one(t, country, "metric_id", "LEAD_RANK_HR", "country_code", "EST")
	if row[col(t, country, "p_value")] != 0.01 || row[col(t, country, "p_adjusted")] != 0.04 {
		t.Errorf("EST: p-value %v, adjusted %v; want 0.01 and 0.04", row[col(t, country, "p_value")], row[col(t, country, "p_adjusted")])
	}
	for _, r := range find(t, country, "metric_id", "LEAD_RANK_HR") {
		if r[col(t, country, "suppressed")] == true && r[col(t, country, "p_adjusted")] != (Withheld{}) {
			t.Errorf("a suppressed cell shows its adjusted p-value: %v", r)
		}
	}
}

// An adjusted (IPW) comparison carries the registry's caveats, which say
// what the weighting does and does not do, not only "association".
func TestCongressAdjustedCaveat(t *testing.T) {
	db := warehouse(t)
	if _, err := db.Exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
		n, events, value, ci_low, ci_high, p_value, p_adjusted, as_of, vintage)
		VALUES ('LEAD_RANK_HR_IPW', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 900, 80, 1.6, 1.2, 2.2, 0.005, 0.005, ?, 7)`, dayD); err != nil {
		t.Fatal(err)
	}
	const adjusted = "Associational, adjusted for the listed covariates; not a randomised comparison."
	opt := options()
	opt.Metrics = append(slices.Clone(registry), MetricDoc{ID: "LEAD_RANK_HR_IPW", Unit: "ratio", UnitLabel: "hazard ratio", NumUnit: "count", DenUnit: "count",
		Title: "Participants vs comparison peers: general/flag rank, adjusted for selection", Definition: "LEAD_RANK_HR weighted.", Population: "As LEAD_RANK_HR.", Event: "As LEAD_RANK.",
		Estimator: "Cox, IPW", Associational: true, Contrast: true, Adjusted: true, Caveats: []string{associational, adjusted}})
	tables, err := Build(context.Background(), db, opt)
	if err != nil {
		t.Fatal(err)
	}
	summary := table(t, tables, SheetSummary)
	row := one(t, summary, "metric_id", "LEAD_RANK_HR_IPW")
	if got := row[col(t, summary, "caveat")]; got != associational+" "+adjusted {
		t.Errorf("caveat %q, want the registry's two", got)
	}
	if q, ok := row[col(t, summary, "value")].(Quantity); !ok || q.V != 1.6 || row[col(t, summary, "p_adjusted")] != 0.005 {
		t.Errorf("value %v, adjusted p %v", row[col(t, summary, "value")], row[col(t, summary, "p_adjusted")])
	}
}
