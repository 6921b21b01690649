package fmtr_test

// Acceptance tests on the real Foreign Military Training Report files
// (Security Force Monitor's scrape, MIT licence) that the repository
// carries: fmtrtest.Names.

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
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
	"2001_2002_Africa_fmtrpt.tsv": {732, 730, 0, "none",
		"continuation_line=2 quantity_in_location=730"},
	"2001_2002_East_Asia_and_Pacific_fmtrpt.tsv": {466, 462, 0, "none",
		"continuation_line=4 quantity_in_location=462"},
	"2001_2002_Europe_fmtrpt.tsv": {775, 773, 0, "none",
		"continuation_line=2 quantity_in_location=773"},
	"2001_2002_Near_East_fmtrpt.tsv": {2276, 2260, 0, "none",
		"continuation_line=16 quantity_in_location=2260"},
	"2001_2002_Newly_Independent_States_fmtrpt.tsv": {353, 352, 0, "none",
		"continuation_line=1 quantity_in_location=352"},
	"2001_2002_South_Asia_fmtrpt.tsv": {181, 180, 0, "none",
		"continuation_line=1 quantity_in_location=180"},
	"2001_2002_Western_Hemisphere_fmtrpt.tsv": {2601, 2581, 0, "none",
		"continuation_line=20 quantity_in_location=2581"},
	"2002_2003_Africa_fmtrpt.tsv": {772, 763, 0, "none",
		"continuation_line=9 location_in_quantity=2"},
	"2005_2006_All_Regions_fmtrpt.tsv": {9757, 9005, 0, "none",
		"continuation_line=752 location_in_quantity=1"},
	"2006_2007_Africa_fmtrpt.tsv": {1206, 1206, 0, "none",
		"columns_shifted=48 two_dates_in_start=1"},
	"2006_2007_East_Asia_and_Pacific_fmtrpt.tsv": {1090, 1090, 0, "none",
		"program_in_country=39"},
	"2006_2007_Europe_fmtrpt.tsv": {853, 853, 0, "none",
		"none"},
	"2006_2007_Near_East_fmtrpt.tsv": {2813, 2813, 0, "none",
		"none"},
	"2006_2007_South_Central_Asia_fmtrpt.tsv": {1244, 1244, 0, "none",
		"none"},
	"2006_2007_Western_Hemisphere_fmtrpt.tsv": {3071, 3071, 0, "none",
		"none"},
	"2009_2010_Africa_fmtrpt.tsv": {3175, 2984, 191, "none",
		"cost_in_location=3 cost_in_student_unit=126 dates_in_cost=92 placeholder_cost_zero=2 quantity_in_title=19 two_dates_in_start=114"},
	"2009_2010_East_Asia_and_Pacific_fmtrpt.tsv": {1814, 1726, 88, "none",
		"cost_in_student_unit=179 dates_in_cost=213 location_in_quantity=5 quantity_in_title=7 two_dates_in_start=174"},
	"2009_2010_Europe_fmtrpt.tsv": {2671, 2596, 75, "none",
		"cost_in_location=1 cost_in_student_unit=136 dates_in_cost=175 location_in_quantity=30 quantity_in_title=45 two_dates_in_start=137"},
	"2009_2010_Near_East_fmtrpt.tsv": {2946, 2886, 60, "none",
		"cost_in_student_unit=364 dates_in_cost=274 placeholder_cost_zero=1 quantity_in_title=12 two_dates_in_start=171"},
	"2009_2010_South_Central_Asia_fmtrpt.tsv": {1737, 1678, 59, "none",
		"cost_in_location=1 cost_in_student_unit=202 dates_in_cost=142 location_in_quantity=13 quantity_in_title=32 two_dates_in_start=131"},
	"2009_2010_Western_Hemisphere_fmtrpt.tsv": {7236, 7075, 161, "none",
		"cost_in_location=2 cost_in_student_unit=872 dates_in_cost=673 location_in_quantity=4 quantity_in_title=77 two_dates_in_start=590"},
	"2013_2014_Africa_fmtrpt.tsv": {2029, 1835, 194, "none",
		"none"},
	"2013_2014_East_Asia_and_Pacific_fmtrpt.tsv": {1376, 1268, 108, "none",
		"none"},
	"2013_2014_Europe_fmtrpt.tsv": {1449, 1373, 76, "none",
		"none"},
	"2013_2014_Near_East_fmtrpt.tsv": {2264, 2193, 71, "none",
		"none"},
	"2013_2014_South_Central_Asia_fmtrpt.tsv": {1665, 1598, 67, "none",
		"none"},
	"2013_2014_Western_Hemisphere_fmtrpt.tsv": {2941, 2784, 157, "none",
		"none"},
	"2017_2018_Africa_fmtrpt.tsv": {3168, 2951, 215, "value_lost=1",
		"title_above_record=1"},
	"2017_2018_East_Asia_and_Pacific_fmtrpt.tsv": {1700, 1603, 97, "none",
		"none"},
	"2017_2018_Europe_fmtrpt.tsv": {1411, 1332, 79, "none",
		"none"},
	"2017_2018_Near_East_fmtrpt.tsv": {2271, 2211, 60, "none",
		"none"},
	"2017_2018_South_Central_Asia_fmtrpt.tsv": {1508, 1438, 67, "value_lost=1",
		"continuation_line=1"},
	"2017_2018_Western_Hemisphere_fmtrpt.tsv": {2916, 2761, 155, "none",
		"none"},
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
// A group that fails is "explained" when it has the printed total's
// trainees and some of its activities print no cost (the scrape lost it:
// cost_not_printed): the report's arithmetic is right and the scrape lost
// the values.
func TestDataReconcileFY2009(t *testing.T) {
	const wantMatched, wantFailed = 573, 61
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
				if g.NoCost > 0 && g.Quantity == g.TotalQuantity && g.Cost < g.TotalCost {
					why = fmt.Sprintf("%d activities print no cost; they hold the missing $%.0f", g.NoCost, g.TotalCost-g.Cost)
					explained++
				}
				t.Logf("  %s %s %s%s FY%d: activities %d/$%.0f, total %d/$%.0f: %s", name[10:], g.CountryCode, g.Program,
					strings.TrimPrefix(" "+g.SubProgram, " "), g.FiscalYear, g.Quantity, g.Cost, g.TotalQuantity, g.TotalCost, why)
			}
		}
		matched += fm
		failed += ff
		t.Logf("%s: %d reconcile, %d do not", name, fm, ff)
	}
	t.Logf("FY2009: %d of %d printed totals reconcile; %d do not, %d of them explained by activities whose cost the scrape lost",
		matched, matched+failed, failed, explained)
	if matched != wantMatched || failed != wantFailed {
		t.Errorf("FY2009: %d reconcile, %d do not; want %d and %d", matched, failed, wantMatched, wantFailed)
	}
	if explained != failed {
		t.Errorf("FY2009: %d failing groups are not explained by activities without a cost", failed-explained)
	}
	if noTotal != 0 {
		t.Errorf("FY2009: %d groups of activities have no printed total", noTotal)
	}
}

// FY2001, FY2002, FY2005 and FY2006: the reports print no program totals.
func TestDataOlderReportsHaveNoTotals(t *testing.T) {
	reps := reports(t)
	var names []string
	for _, y := range []string{"2001_", "2002_", "2005_", "2006_"} {
		names = append(names, fileNames(reps, y)...)
	}
	if len(names) != 15 {
		t.Errorf("%d files of FY2001, FY2002, FY2005 and FY2006, want 15", len(names))
	}
	for _, name := range names {
		_, tot, _ := reps[name].Counts()
		if tot != 0 {
			t.Errorf("%s: %d total rows, the FY2001–FY2006 reports print none", name, tot)
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

// Every distinct program string of every file parses; the few printed as
// a name alone (FY2006 "Democracy Building") print no year, and the names
// imet does not know are listed.
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
	progs, unknown := map[string]int{}, map[string]int{}
	noYear := 0
	for s := range seen {
		p, _, fy, _, known, ok := fmtr.ParseProgram(s)
		if !ok {
			t.Errorf("ParseProgram(%q) not ok", s)
			continue
		}
		switch {
		case fy == 0:
			noYear++
		case fy < 2001 || fy > 2017:
			t.Errorf("ParseProgram(%q): fiscal year %d", s, fy)
		}
		progs[p]++
		if !known {
			unknown[p]++
		}
	}
	t.Logf("%d distinct program strings; distinct strings per program: %s", len(seen), fmtCounts(progs))
	t.Logf("not known, kept as themselves: %s", fmtCounts(unknown))
	if noYear > 3 {
		t.Errorf("%d program strings print no year, want at most the 3 of FY2006", noYear)
	}
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

// The warnings rows carry (docs/fmtr.md).
var knownWarnings = map[string]bool{"start_after_end": true, "program_unknown": true, "program_without_year": true,
	"cost_not_printed": true, "date_lost": true}

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
			if !knownWarnings[k] {
				t.Errorf("%s: unexpected warning %s", name, k)
			}
		}
	}
}

// yearFigures are what TestDataYears measures of one report year.
type yearFigures struct {
	files, records, activities, totals, bad int
	badRules                                map[string]int
	groups                                  map[string]int // by fmtr.Group.Reconciliation()
	plain                                   int            // groups a plain sum reconciles (plainReconciled)
}

// Per report year (every year the repository carries): no file rejected;
// records read = activities + printed totals + quarantined; at most 1% of
// the records quarantined, each for a value the scrape truly lost (a
// country that no longer exists loads under its former code); at least as
// many groups reconcile as a plain sum of the file's lines does. FY2013
// reproduces all 673 printed totals exactly. The table it logs is the one
// in docs/fmtr.md: go test -run TestDataYears -v ./ingest/fmtr
func TestDataYears(t *testing.T) {
	years := fmtrtest.Years()
	if len(years) != 7 {
		t.Errorf("%d report years, want 7", len(years))
	}
	var table []string
	for _, y := range slices.Sorted(maps.Keys(years)) {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			f := yearFigures{badRules: map[string]int{}, groups: map[string]int{}}
			for _, name := range years[y] {
				b, err := fmtrtest.Read(name)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := fmtr.Parse(bytes.NewReader(b), name)
				if err != nil {
					t.Errorf("%s rejected: %v", name, err)
					continue
				}
				a, tot, bad := rep.Counts()
				if a+tot+bad != len(rep.Rows) {
					t.Errorf("%s: %d records != %d activities + %d totals + %d quarantined", name, len(rep.Rows), a, tot, bad)
				}
				f.files++
				f.records += len(rep.Rows)
				f.activities, f.totals, f.bad = f.activities+a, f.totals+tot, f.bad+bad
				for _, r := range rep.Rows {
					if r.Kind != fmtr.KindBad {
						continue
					}
					f.badRules[r.Rule]++
					if r.Rule != "value_lost" {
						t.Errorf("%s line %d quarantined for %s (%s): not a value the scrape lost", name, r.Line, r.Rule, r.Reason)
					}
				}
				for _, g := range fmtr.Reconcile(rep.Rows) {
					f.groups[g.Reconciliation()]++
				}
				f.plain += plainReconciled(t, b)
			}
			if f.records != f.activities+f.totals+f.bad {
				t.Errorf("%d records != %d activities + %d totals + %d quarantined", f.records, f.activities, f.totals, f.bad)
			}
			if f.bad*100 > f.records {
				t.Errorf("%d of %d records quarantined: more than 1%%", f.bad, f.records)
			}
			reconciled := f.groups[fmtr.Matches] + f.groups[fmtr.MatchesRounded]
			if reconciled < f.plain {
				t.Errorf("%d groups reconcile, fewer than the %d a plain sum of the lines reconciles", reconciled, f.plain)
			}
			if y == 2013 && (f.groups[fmtr.Matches] != 673 || len(f.groups) != 1) {
				t.Errorf("FY2013: groups %v, want all 673 matching exactly", f.groups)
			}
			table = append(table, fmt.Sprintf("| FY%d | %d | %d | %d | %d | %d (%.2f%%) %s | %d | %d | %d | %d | %d |", y, f.files, f.records,
				f.activities, f.totals, f.bad, 100*float64(f.bad)/float64(f.records), fmtCounts(f.badRules),
				f.groups[fmtr.Matches], f.groups[fmtr.MatchesRounded], f.groups[fmtr.Differs], f.groups[fmtr.NoPrintedTotal], f.plain))
		})
	}
	t.Logf("\n| year | files | records read | activities | printed totals | quarantined (by rule) | matches | matches (rounded) | differs | no_printed_total | plain sum reconciles |\n|---|---|---|---|---|---|---|---|---|---|---|\n%s",
		strings.Join(table, "\n"))
}

// plainReconciled is the baseline of TestDataYears, computed apart from
// the parser: split the file on newlines and tabs, take the columns by
// their header names, no repairs; a line whose course title ends in
// "Program Totals" is a printed total of its country and program cells as
// printed; every other line whose quantity and cost read as plain numbers
// adds them. It returns how many printed totals the sums reproduce (cost
// to the dollar).
func plainReconciled(t *testing.T, b []byte) int {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(string(b), "\r", ""), "\n")
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], "\t") {
		col[strings.TrimSpace(h)] = i
	}
	costCol, ok := col["total_cost"]
	if !ok {
		costCol = col["cost"]
	}
	type sums struct {
		qty, printedQty   int64
		cost, printedCost float64
		printed           bool
	}
	groups := map[string]*sums{}
	num := func(s string) (float64, bool) {
		s = strings.NewReplacer("$", "", ",", "", " ", "").Replace(s)
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	width := len(strings.Split(lines[0], "\t"))
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != width {
			continue
		}
		k := strings.TrimSpace(f[col["country"]]) + "|" + strings.TrimSpace(f[col["program"]])
		g := groups[k]
		if g == nil {
			g = &sums{}
			groups[k] = g
		}
		q, okQ := num(f[col["quantity"]])
		c, okC := num(f[costCol])
		if strings.HasSuffix(strings.TrimSpace(f[col["course_title"]]), "Program Totals") {
			if okQ && okC {
				g.printed, g.printedQty, g.printedCost = true, g.printedQty+int64(q), g.printedCost+c
			}
			continue
		}
		if okQ && okC {
			g.qty += int64(q)
			g.cost += c
		}
	}
	n := 0
	for _, g := range groups {
		if g.printed && g.qty == g.printedQty && math.Abs(g.cost-g.printedCost) < 0.5 {
			n++
		}
	}
	return n
}
