package fmtr_test

// Acceptance tests on the real Foreign Military Training Report files
// (Security Force Monitor's scrape, MIT licence) that the repository
// carries: fmtrtest.Names.

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imet-project/imet/ingest/fmtr"
	"github.com/imet-project/imet/ingest/fmtr/fmtrtest"
)

var (
	loadOnce sync.Once
	loaded   map[string]*fmtr.Report
	loadErr  error
)

// reports parses every report file of fmtrtest once.
func reports(t *testing.T) map[string]*fmtr.Report {
	t.Helper()
	loadOnce.Do(func() {
		loaded = map[string]*fmtr.Report{}
		for _, name := range fmtrtest.Names() {
			b, err := fmtrtest.Read(name)
			if err != nil {
				loadErr = err
				return
			}
			rep, err := fmtr.Parse(bytes.NewReader(b), name)
			if err != nil {
				loadErr = fmt.Errorf("parse %s: %w", name, err)
				return
			}
			loaded[name] = rep
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

func fileNames(m map[string]*fmtr.Report, prefix string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

func countBy(rows []fmtr.Row, key func(*fmtr.Row) []string) map[string]int {
	m := map[string]int{}
	for i := range rows {
		for _, k := range key(&rows[i]) {
			m[k]++
		}
	}
	return m
}

func badRules(r *fmtr.Row) []string {
	if r.Kind == fmtr.KindBad {
		return []string{r.Rule}
	}
	return nil
}

func repairs(r *fmtr.Row) []string { return r.Repairs }

func fmtCounts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// fileCounts is what each file must parse to: data lines read, records,
// activities, totals, bad rows by rule and repairs by rule.
type fileCounts struct {
	lines, activities, totals int
	bad, repairs              string
}

var wantCounts = map[string]fileCounts{
	"2002_2003_Africa_fmtrpt.tsv": {772, 763, 0, "none",
		"continuation_line=9 location_in_quantity=2"},
	"2005_2006_All_Regions_fmtrpt.tsv": {9757, 8994, 0, "country_unresolved=11",
		"continuation_line=752 location_in_quantity=1"},
	"2009_2010_Africa_fmtrpt.tsv": {3175, 2954, 191, "value_lost=30",
		"cost_in_location=3 cost_in_student_unit=126 dates_in_cost=92 quantity_in_title=19 two_dates_in_start=114"},
	"2009_2010_East_Asia_and_Pacific_fmtrpt.tsv": {1814, 1721, 88, "value_lost=5",
		"cost_in_student_unit=179 dates_in_cost=213 location_in_quantity=5 quantity_in_title=7 two_dates_in_start=174"},
	"2009_2010_Europe_fmtrpt.tsv": {2671, 2574, 75, "value_lost=22",
		"cost_in_location=1 cost_in_student_unit=136 dates_in_cost=175 location_in_quantity=30 quantity_in_title=45 two_dates_in_start=137"},
	"2009_2010_Near_East_fmtrpt.tsv": {2946, 2848, 60, "value_lost=38",
		"cost_in_student_unit=364 dates_in_cost=274 quantity_in_title=12 two_dates_in_start=171"},
	"2009_2010_South_Central_Asia_fmtrpt.tsv": {1737, 1651, 59, "value_lost=27",
		"cost_in_location=1 cost_in_student_unit=202 dates_in_cost=142 location_in_quantity=13 quantity_in_title=32 two_dates_in_start=131"},
	"2009_2010_Western_Hemisphere_fmtrpt.tsv": {7236, 7042, 161, "value_lost=33",
		"cost_in_location=2 cost_in_student_unit=872 dates_in_cost=673 location_in_quantity=4 quantity_in_title=77 two_dates_in_start=590"},
	"2013_2014_Africa_fmtrpt.tsv":                {2029, 1835, 194, "none", "none"},
	"2013_2014_East_Asia_and_Pacific_fmtrpt.tsv": {1376, 1268, 108, "none", "none"},
	"2013_2014_Europe_fmtrpt.tsv":                {1449, 1373, 76, "none", "none"},
	"2013_2014_Near_East_fmtrpt.tsv":             {2264, 2193, 71, "none", "none"},
	"2013_2014_South_Central_Asia_fmtrpt.tsv":    {1665, 1598, 67, "none", "none"},
	"2013_2014_Western_Hemisphere_fmtrpt.tsv":    {2941, 2784, 157, "none", "none"},
}

// Every data line of a file is accounted for: records = activities +
// totals + bad, and the lines of the records (a continued record spans
// several) add up to the data lines read.
func TestDataEveryLineAccountedFor(t *testing.T) {
	reps := reports(t)
	if len(reps) != len(wantCounts) {
		t.Errorf("%d report files, want %d", len(reps), len(wantCounts))
	}
	for _, name := range fileNames(reps, "") {
		rep := reps[name]
		a, tot, b := rep.Counts()
		if a+tot+b != len(rep.Rows) {
			t.Errorf("%s: %d rows != %d activities + %d totals + %d bad", name, len(rep.Rows), a, tot, b)
		}
		lines, next := 0, 2
		for _, r := range rep.Rows {
			if r.Line != next {
				t.Errorf("%s: row at line %d, want %d: a line was skipped or read twice", name, r.Line, next)
			}
			lines += r.LastLine - r.Line + 1
			next = r.LastLine + 1
		}
		if lines != rep.DataLines {
			t.Errorf("%s: rows span %d lines, %d data lines read", name, lines, rep.DataLines)
		}
		bad, rp := fmtCounts(countBy(rep.Rows, badRules)), fmtCounts(countBy(rep.Rows, repairs))
		cont := rep.DataLines - len(rep.Rows)
		t.Logf("%-45s %5d lines = %5d records (%5d activities + %3d totals + %2d bad) + %3d continuation lines; bad: %s; repairs: %s",
			name, rep.DataLines, len(rep.Rows), a, tot, b, cont, bad, rp)
		w, ok := wantCounts[name]
		if !ok {
			t.Errorf("%s: no expected counts", name)
			continue
		}
		if rep.DataLines != w.lines || a != w.activities || tot != w.totals || bad != w.bad || rp != w.repairs {
			t.Errorf("%s: got lines %d activities %d totals %d bad {%s} repairs {%s}\nwant lines %d activities %d totals %d bad {%s} repairs {%s}",
				name, rep.DataLines, a, tot, bad, rp, w.lines, w.activities, w.totals, w.bad, w.repairs)
		}
	}
}

// FY2013: every group with a printed total reproduces it exactly.
func TestDataReconcileFY2013(t *testing.T) {
	reps := reports(t)
	names := fileNames(reps, "2013_2014_")
	if len(names) != 6 {
		t.Fatalf("%d FY2013 files, want the six regions", len(names))
	}
	for _, name := range names {
		matched, withoutTotal := 0, 0
		for _, g := range fmtr.Reconcile(reps[name].Rows) {
			switch {
			case g.Totals == 0:
				withoutTotal++
			case g.Totals > 1:
				t.Errorf("%s: %+v has %d printed totals", name, g.GroupKey, g.Totals)
			case !g.Match():
				t.Errorf("%s: %+v: activities %d trainees $%.0f, printed total %d trainees $%.0f",
					name, g.GroupKey, g.Quantity, g.Cost, g.TotalQuantity, g.TotalCost)
			default:
				matched++
			}
		}
		if withoutTotal != 0 {
			t.Errorf("%s: %d groups of activities have no printed total", name, withoutTotal)
		}
		t.Logf("%s: %d of %d printed totals reproduced exactly", name, matched, matched)
	}
}

// FY2009: how many printed totals reconcile, and why the others do not.
// A group that fails is "explained" when the quarantined rows of the group
// (value_lost: the scrape lost their cost) carry exactly the trainees
// missing from the sum: the report's arithmetic is right and the scrape
// lost the values.
func TestDataReconcileFY2009(t *testing.T) {
	const wantMatched, wantFailed = 560, 74
	reps := reports(t)
	names := fileNames(reps, "2009_2010_")
	if len(names) != 6 {
		t.Fatalf("%d FY2009 files, want the six regions", len(names))
	}
	matched, failed, explained, noTotal := 0, 0, 0, 0
	for _, name := range names {
		fm, ff := 0, 0
		for _, g := range fmtr.Reconcile(reps[name].Rows) {
			switch {
			case g.Totals == 0:
				noTotal++
			case g.Match():
				fm++
			default:
				ff++
				why := "UNEXPLAINED"
				if g.Bad > 0 && g.Quantity+g.BadQuantity == g.TotalQuantity {
					why = fmt.Sprintf("%d quarantined rows (value_lost) hold the missing %d trainees and $%.0f", g.Bad, g.BadQuantity, g.TotalCost-g.Cost)
					explained++
				}
				t.Logf("  %s %s %s%s FY%d: activities %d/$%.0f, total %d/$%.0f: %s", name[10:], g.CountryCode, g.Program,
					strings.TrimPrefix(" "+g.SubProgram, " "), g.FiscalYear, g.Quantity, g.Cost, g.TotalQuantity, g.TotalCost, why)
			}
		}
		matched += fm
		failed += ff
		t.Logf("%s: %d reconcile exactly, %d do not", name, fm, ff)
	}
	t.Logf("FY2009: %d of %d printed totals reconcile exactly; %d do not, %d of them explained by rows whose cost the scrape lost",
		matched, matched+failed, failed, explained)
	if matched != wantMatched || failed != wantFailed {
		t.Errorf("FY2009: %d reconcile, %d do not; want %d and %d", matched, failed, wantMatched, wantFailed)
	}
	if explained != failed {
		t.Errorf("FY2009: %d failing groups are not explained by quarantined rows", failed-explained)
	}
	if noTotal != 0 {
		t.Errorf("FY2009: %d groups of activities have no printed total", noTotal)
	}
}

// FY2002 and FY2005: the reports print no program totals.
func TestDataOlderReportsHaveNoTotals(t *testing.T) {
	reps := reports(t)
	for _, name := range append(fileNames(reps, "2002_"), fileNames(reps, "2005_")...) {
		_, tot, _ := reps[name].Counts()
		if tot != 0 {
			t.Errorf("%s: %d total rows, the FY2002/FY2005 reports print none", name, tot)
		}
		groups := fmtr.Reconcile(reps[name].Rows)
		var q int64
		var c float64
		for _, g := range groups {
			q += g.Quantity
			c += g.Cost
		}
		t.Logf("%s: no printed totals; %d country-program groups, %d trainees, $%.0f (nothing to reconcile against)", name, len(groups), q, c)
	}
}

// The IMET dollar value (sum of Cost of IMET activities) of each FY2013
// region file; it equals the sum of the printed IMET totals.
func TestDataIMETValueFY2013(t *testing.T) {
	want := map[string]float64{
		"2013_2014_Africa_fmtrpt.tsv":                11413163,
		"2013_2014_East_Asia_and_Pacific_fmtrpt.tsv": 7618273,
		"2013_2014_Europe_fmtrpt.tsv":                9964242,
		"2013_2014_Near_East_fmtrpt.tsv":             16239209,
		"2013_2014_South_Central_Asia_fmtrpt.tsv":    12940512,
		"2013_2014_Western_Hemisphere_fmtrpt.tsv":    12137526,
	}
	reps := reports(t)
	var all float64
	for _, name := range fileNames(reps, "2013_2014_") {
		var v, printed float64
		var n int
		bySub := map[string]float64{}
		for _, r := range reps[name].Rows {
			switch {
			case r.Kind == fmtr.KindActivity && r.Program == fmtr.ProgIMET:
				v += *r.Cost
				bySub[r.SubProgram] += *r.Cost
				n++
			case r.Kind == fmtr.KindTotal && r.Program == fmtr.ProgIMET:
				printed += *r.Cost
			}
		}
		if v != printed {
			t.Errorf("%s: IMET activities $%.0f, printed IMET totals $%.0f", name, v, printed)
		}
		all += v
		var subs []string
		for _, k := range slices.Sorted(maps.Keys(bySub)) {
			subs = append(subs, fmt.Sprintf("%s $%.0f", k, bySub[k]))
		}
		t.Logf("%s: IMET $%.0f over %d activities (%s)", name, v, n, strings.Join(subs, ", "))
		if v != want[name] {
			t.Errorf("%s: IMET $%.0f, want $%.0f", name, v, want[name])
		}
	}
	t.Logf("FY2013 all regions: IMET $%.0f", all)
}

// Every distinct program string of every file parses.
func TestDataEveryProgramStringParses(t *testing.T) {
	reps := reports(t)
	seen := map[string]bool{}
	for _, rep := range reps {
		for _, r := range rep.Rows {
			for _, f := range append([][]string{r.Raw}, r.Continued...) {
				if len(f) > 1 {
					seen[strings.TrimSpace(f[1])] = true
				}
			}
		}
	}
	progs := map[string]int{}
	for s := range seen {
		p, _, fy, _, _, ok := fmtr.ParseProgram(s)
		if !ok {
			t.Errorf("ParseProgram(%q) not ok", s)
			continue
		}
		if fy < 2002 || fy > 2013 {
			t.Errorf("ParseProgram(%q): fiscal year %d", s, fy)
		}
		progs[p]++
	}
	t.Logf("%d distinct program strings; distinct strings per program: %s", len(seen), fmtCounts(progs))
}

// Exact duplicate rows are separate activities: the three identical MET
// ACQUISITION PHASE III rows of Angola (FY2009 Africa, lines 2-4) are kept,
// numbered 1, 2, 3.
func TestDataDuplicatesKept(t *testing.T) {
	rep := reports(t)["2009_2010_Africa_fmtrpt.tsv"]
	var occ []int
	fp := ""
	for _, r := range rep.Rows[:3] {
		if r.Kind != fmtr.KindActivity || r.CourseTitle != "MET ACQUISITION PHASE III" || r.CountryCode != "AGO" {
			t.Fatalf("line %d: %s %q %s", r.Line, r.Kind, r.CourseTitle, r.CountryCode)
		}
		if fp != "" && r.Fingerprint != fp {
			t.Errorf("line %d: fingerprint %s differs from %s", r.Line, r.Fingerprint, fp)
		}
		fp = r.Fingerprint
		occ = append(occ, r.Occurrence)
	}
	if !slices.Equal(occ, []int{1, 2, 3}) {
		t.Errorf("occurrences %v, want [1 2 3]", occ)
	}
	// Source + Fingerprint + Occurrence is unique in every file.
	for name, rep := range reports(t) {
		keys := map[string]int{}
		for _, r := range rep.Rows {
			k := fmt.Sprintf("%s|%s|%s|%d", r.Source, r.Kind, r.Fingerprint, r.Occurrence)
			if l, dup := keys[k]; dup {
				t.Errorf("%s: lines %d and %d share the key %s", name, l, r.Line, k)
			}
			keys[k] = r.Line
		}
	}
}

// The warnings kept on rows (printed as is).
func TestDataWarnings(t *testing.T) {
	reps := reports(t)
	for _, name := range fileNames(reps, "") {
		m := countBy(reps[name].Rows, func(r *fmtr.Row) []string {
			var out []string
			for _, w := range r.Warnings {
				out = append(out, strings.SplitN(w, ":", 2)[0])
			}
			return out
		})
		if len(m) > 0 {
			t.Logf("%s: warnings %s", name, fmtCounts(m))
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if k != "start_after_end" {
				t.Errorf("%s: unexpected warning %s", name, k)
			}
		}
	}
}
