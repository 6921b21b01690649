package reports

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// regionColors are the trend charts' series colours by region
// (Okabe-Ito: told apart with most colour-vision deficiencies).
var regionColors = map[string]string{
	"AF": "#0072B2", "EAP": "#E69F00", "EUR": "#009E73", "NEA": "#D55E00", "SCA": "#CC79A7", "WHA": "#56B4E9",
}

// trendRegion is IMET in one region and report year.
type trendRegion struct {
	sessions            int64
	dollars, reconciled float64
}

// fmtrTrends is the section of IMET dollars and trainees across the
// loaded Foreign Military Training Report years: charts by region and the
// countries that changed most between the first and last year; when only
// one year is loaded, that year by region; when none, how to load them.
func (q *quarterly) fmtrTrends(ctx context.Context, db *sql.DB) error {
	const id, title = "fmtr-trends", "IMET across the Foreign Military Training Report years"
	cells, err := IMETTrends(ctx, db, q.opt.Vintage)
	if err != nil {
		return err
	}
	years := TrendYears(cells)
	intro := "The Foreign Military Training Report (FMTR), sent to Congress each year by the Departments of State and Defense, is the only public, official record of who was trained with what money."
	if len(years) == 0 {
		q.section(id, title, Block{Text: intro + " No report year is loaded in this data vintage. To see IMET dollars and trainees across the years, copy the report's files " +
			"(Security Force Monitor's scrape, one file per report and region, such as 2013_2014_Africa_fmtrpt.tsv; FY2001 to FY2018 are published) " +
			"into inbox/fmtr_activities/ and run 'imet ingest' (docs/fmtr.md); the next report shows them."})
		return nil
	}
	byRegion, regions := trendRegions(cells)
	first, last := years[0], years[len(years)-1]
	loaded := fmt.Sprintf("Report years loaded: %s (%d of them).", yearNames(years), len(years))
	sessionsNote := "The FMTR counts training sessions, not people: a trainee on two courses counts twice, so \"trainees\" below are sessions."
	share := fmt.Sprintf("%s of these IMET dollars are in country and program groups whose activities reproduce the report's own printed totals (the rest could not be checked or do not add up; see the data-quality section).",
		format("share", sql.NullFloat64{Float64: ReconciledShare(cells), Valid: true}))
	credit := "Data: Security Force Monitor (MIT licence)."
	if len(years) == 1 {
		q.section(id, title,
			Block{Text: intro + " " + loaded + " Only one report year is loaded, so there is no trend yet: load other years into inbox/fmtr_activities/ (docs/fmtr.md) to see one."},
			Block{Text: sessionsNote + " " + share + " " + credit},
			Block{Table: regionYearTable(byRegion, regions, first)})
		return nil
	}
	q.section(id, title,
		Block{Text: intro + " " + loaded + " IMET dollars and trainees by State Department region (AF Africa, EAP East Asia and Pacific, EUR Europe and Eurasia, NEA Near East, SCA South and Central Asia, WHA Western Hemisphere), per report year: solid lines join consecutive loaded years, a dotted line the loaded years either side of years not loaded (those years are not data)."},
		Block{Note: sessionsNote},
		Block{Text: share + " " + credit},
		Block{Chart: trendChart(byRegion, regions, years, "IMET dollars by region", "dollars", func(r trendRegion) float64 { return r.dollars })},
		Block{Chart: trendChart(byRegion, regions, years, "IMET trainees (training sessions) by region", "count", func(r trendRegion) float64 { return float64(r.sessions) })},
		Block{Table: regionChangeTable(byRegion, regions, first, last)},
		Block{Table: countryChangeTable(cells, first, last, 10)})
	return nil
}

// trendRegions sums cells by region and year; regions come sorted, the
// unknown region ("") last.
func trendRegions(cells []TrendCell) (map[[2]string]trendRegion, []string) {
	out := map[[2]string]trendRegion{}
	var regions []string
	for _, c := range cells {
		k := [2]string{c.Region, strconv.Itoa(c.FiscalYear)}
		r := out[k]
		r.sessions += c.Sessions
		r.dollars += c.Dollars
		r.reconciled += c.Reconciled
		out[k] = r
		if !slices.Contains(regions, c.Region) {
			regions = append(regions, c.Region)
		}
	}
	slices.SortFunc(regions, func(a, b string) int { return cmp.Compare(regionSort(a), regionSort(b)) })
	return out, regions
}

func regionSort(r string) string {
	if r == "" {
		return "~"
	}
	return r
}

func regionLabel(r string) string {
	if r == "" {
		return "no region"
	}
	return r
}

func yearNames(years []int) string {
	names := make([]string, len(years))
	for i, y := range years {
		names[i] = "FY" + strconv.Itoa(y)
	}
	return strings.Join(names, ", ")
}

// trendChart is one line per region over the loaded years.
func trendChart(by map[[2]string]trendRegion, regions []string, years []int, title, unit string, value func(trendRegion) float64) *Chart {
	c := &Chart{Title: title, XLabel: "fiscal year of the report", YLabel: map[string]string{"dollars": "U.S. dollars", "count": "training sessions"}[unit],
		Lines: true, YUnit: unit, XMin: float64(years[0]), XMax: float64(years[len(years)-1])}
	var desc []string
	for _, r := range regions {
		s := Series{Name: regionLabel(r), Color: cmp.Or(regionColors[r], "#555555")}
		var words []string
		for _, y := range years {
			v, ok := by[[2]string{r, strconv.Itoa(y)}]
			if !ok {
				continue
			}
			s.Points = append(s.Points, Point{X: float64(y), Y: value(v)})
			c.YMax = math.Max(c.YMax, value(v))
			words = append(words, fmt.Sprintf("FY%d %s", y, format(unit, sql.NullFloat64{Float64: value(v), Valid: true})))
		}
		c.Series = append(c.Series, s)
		desc = append(desc, regionLabel(r)+": "+strings.Join(words, ", "))
	}
	c.YMax = NiceMax(c.YMax)
	c.Desc = title + ", per loaded report year. " + strings.Join(desc, "; ") + "."
	return c
}

// regionYearTable is one year by region.
func regionYearTable(by map[[2]string]trendRegion, regions []string, fy int) *Table {
	y := strconv.Itoa(fy)
	t := &Table{Caption: "IMET by region, FY" + y,
		Columns: []string{"Region", "IMET dollars", "Trainees (training sessions)", "Dollars reconciled with the printed totals"},
		Numeric: []bool{false, true, true, true}}
	for _, r := range regions {
		v := by[[2]string{r, y}]
		t.Rows = append(t.Rows, []string{regionLabel(r), format("dollars", valid(v.dollars)), thousands(v.sessions), shareOf(v.reconciled, v.dollars)})
	}
	return t
}

// regionChangeTable is each region in the first and the last year.
func regionChangeTable(by map[[2]string]trendRegion, regions []string, first, last int) *Table {
	f, l := "FY"+strconv.Itoa(first), "FY"+strconv.Itoa(last)
	t := &Table{Caption: "IMET by region, " + f + " and " + l,
		Columns: []string{"Region", "Dollars " + f, "Dollars " + l, "Change", "Trainees " + f, "Trainees " + l, "Change", "Reconciled " + f, "Reconciled " + l},
		Numeric: []bool{false, true, true, true, true, true, true, true, true}}
	for _, r := range regions {
		a, b := by[[2]string{r, strconv.Itoa(first)}], by[[2]string{r, strconv.Itoa(last)}]
		t.Rows = append(t.Rows, []string{regionLabel(r), format("dollars", valid(a.dollars)), format("dollars", valid(b.dollars)), signed("dollars", b.dollars-a.dollars),
			thousands(a.sessions), thousands(b.sessions), signed("count", float64(b.sessions-a.sessions)), shareOf(a.reconciled, a.dollars), shareOf(b.reconciled, b.dollars)})
	}
	return t
}

// countryChangeTable is the n countries whose IMET dollars changed most
// (in absolute dollars) between the first and the last year; a country
// missing from a year had none in it.
func countryChangeTable(cells []TrendCell, first, last, n int) *Table {
	type pair struct {
		a, b       TrendCell
		inA, inB   bool
		name, code string
	}
	by := map[string]*pair{}
	for _, c := range cells {
		if c.FiscalYear != first && c.FiscalYear != last {
			continue
		}
		p := by[c.Country]
		if p == nil {
			p = &pair{name: c.Name, code: c.Country}
			by[c.Country] = p
		}
		if c.FiscalYear == first {
			p.a, p.inA = c, true
		} else {
			p.b, p.inB = c, true
		}
	}
	var ps []*pair
	for _, p := range by {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(x, y *pair) int {
		return cmp.Or(cmp.Compare(math.Abs(y.b.Dollars-y.a.Dollars), math.Abs(x.b.Dollars-x.a.Dollars)), cmp.Compare(x.code, y.code))
	})
	f, l := "FY"+strconv.Itoa(first), "FY"+strconv.Itoa(last)
	t := &Table{Caption: fmt.Sprintf("The %d countries whose IMET dollars changed most, %s to %s", min(n, len(ps)), f, l),
		Columns: []string{"Country", "Region", "Dollars " + f, "Dollars " + l, "Change", "Change %", "Trainees " + f, "Trainees " + l, "Reconciliation " + f + " / " + l},
		Numeric: []bool{false, false, true, true, true, true, true, true, false}}
	for _, p := range ps[:min(n, len(ps))] {
		pct := "–"
		if p.a.Dollars > 0 {
			pct = signedPercent((p.b.Dollars - p.a.Dollars) / p.a.Dollars)
		}
		region := cmp.Or(p.b.Region, p.a.Region)
		t.Rows = append(t.Rows, []string{p.name + " (" + p.code + ")", regionLabel(region),
			presentDollars(p.a.Dollars, p.inA), presentDollars(p.b.Dollars, p.inB), signed("dollars", p.b.Dollars-p.a.Dollars), pct,
			presentCount(p.a.Sessions, p.inA), presentCount(p.b.Sessions, p.inB),
			cmp.Or(p.a.Reconciliation, "–") + " / " + cmp.Or(p.b.Reconciliation, "–")})
	}
	return t
}

func valid(x float64) sql.NullFloat64 { return sql.NullFloat64{Float64: x, Valid: true} }

func shareOf(part, whole float64) string {
	if whole == 0 {
		return "–"
	}
	return format("share", valid(part/whole))
}

func presentDollars(x float64, ok bool) string {
	if !ok {
		return "none"
	}
	return format("dollars", valid(x))
}

func presentCount(n int64, ok bool) string {
	if !ok {
		return "none"
	}
	return thousands(n)
}

// signed writes a difference with its sign: +$1,234, −56.
func signed(unit string, d float64) string {
	sign := "+"
	if math.Round(d) < 0 {
		sign, d = "−", -d
	} else if math.Round(d) == 0 {
		sign = "±"
	}
	return sign + format(unit, valid(d))
}

// signedPercent writes a relative change: +12.3%, −40.0%.
func signedPercent(r float64) string {
	sign := "+"
	if r < 0 {
		sign, r = "−", -r
	}
	return sign + strconv.FormatFloat(100*r, 'f', 1, 64) + "%"
}
