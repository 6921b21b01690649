package congress

import (
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/imet-project/imet/reports"
)

// kinds says how a metric's value, numerator and denominator are shown,
// and in what unit the value is.
type kinds struct {
	value, num, den Kind
	unit            string
}

func metricKinds(d MetricDoc) kinds {
	return kinds{kindOf(d.Unit), kindOf(d.NumUnit), kindOf(d.DenUnit), d.UnitLabel}
}

// kindOf is the cell kind of a registry measure.
func kindOf(measure string) Kind {
	switch measure {
	case "share":
		return Percent
	case "dollars":
		return Dollars
	case "days":
		return Days
	case "count":
		return Integer
	}
	return Number
}

// The result columns of every long table; keys go between period and unit.
var (
	headColumns = []Column{
		{"metric_id", "Metric", Text},
		{"title", "Title", Text},
		{"cohort", "Cohort", Text},
		{"ecl_band", "ECL band", Text},
		{"period", "Period", Text},
	}
	resultColumns = []Column{
		{"unit", "Unit", Text},
		{"n", "n", Integer},
		{"events", "Events", Integer},
		{"numerator", "Numerator", Number},
		{"denominator", "Denominator", Number},
		{"value", "Value", Number},
		{"ci_low", "95% CI low", Number},
		{"ci_high", "95% CI high", Number},
		{"p_value", "p-value", Number},
		// a table of many countries shows some small p-values by chance:
		// read the adjusted one (metrics: p_adjusted)
		{"p_adjusted", "p-value adjusted for many tests (Benjamini-Hochberg)", Number},
		{"tracking_24m", "Tracking coverage (TRACK_24M)", Percent},
		{"note", "Note", Text},
		{"caveat", "Caveat", Text},
		{"suppressed", "Suppressed", Bool},
	}
)

// long lays out one long table: the rows keep selects, by metric, with
// keyCells between the head and the results.
func (b *builder) long(sheet, file string, keyCols []Column, keep func(*Row) bool, keyCells func(*Row) []any) Table {
	t := Table{Sheet: sheet, File: file}
	t.Columns = slices.Concat(headColumns, keyCols, resultColumns)
	var sel []*Row
	for i := range b.rows {
		if r := &b.rows[i]; r.Program == All && keep(r) {
			sel = append(sel, r)
		}
	}
	slices.SortFunc(sel, func(x, y *Row) int {
		return cmp.Or(b.compareDisplay(x, y), cmp.Compare(geoSort(x), geoSort(y)))
	})
	for _, r := range sel {
		d := b.doc[r.Metric]
		k := metricKinds(d)
		cells := []any{r.Metric, d.Title, r.Cohort, r.ECLBand, r.Period}
		if keyCells != nil {
			cells = append(cells, keyCells(r)...)
		}
		cells = append(cells, orNil(k.unit))
		note := b.note(r)
		switch {
		case r.Suppressed():
			for range 9 { // n, events, numerator, denominator, value, ci_low, ci_high, p_value, p_adjusted
				cells = append(cells, Withheld{})
			}
		case zeroWidth(r, d):
			// Limits of zero width would read as certainty: no limits,
			// and the count with its one-sided bound in the note.
			cells = append(cells, integer(r.N), integer(r.Events),
				quantity(r.Numerator, k.num), quantity(r.Denominator, k.den),
				quantity(r.Value, k.value), nil, nil, float(r.PValue), float(r.PAdjusted))
			note = joinNotes(reports.ZeroWidthText(r.Value.Float64, r.N.Int64), note)
		default:
			cells = append(cells, integer(r.N), integer(r.Events),
				quantity(r.Numerator, k.num), quantity(r.Denominator, k.den),
				quantity(r.Value, k.value), quantity(r.CILow, k.value), quantity(r.CIHigh, k.value),
				float(r.PValue), float(r.PAdjusted))
		}
		cells = append(cells, b.coverage(r, d), orNil(note), orNil(caveat(r, d)), r.Suppressed())
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// zeroWidth says whether a shown row is a share whose interval has zero
// width (reports.ZeroWidth): nothing happened in its group.
func zeroWidth(r *Row, d MetricDoc) bool {
	return !r.Suppressed() && r.Value.Valid &&
		reports.ZeroWidth(d.Unit, r.Value.Float64, r.CILow.Float64, r.CIHigh.Float64, r.CILow.Valid && r.CIHigh.Valid)
}

func joinNotes(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}

// coverage is TRACK_24M of the row's group, for the outcome metrics whose
// caveats say to read them beside it (metrics.md, "Reading rules").
func (b *builder) coverage(r *Row, d MetricDoc) any {
	if d.ReadBeside != "TRACK_24M" {
		return nil
	}
	tr := b.tracking[[4]string{r.Cohort, r.Region, r.Country, r.Category}]
	switch {
	case tr == nil:
		return nil
	case tr.Suppressed() || r.Suppressed(): // a suppressed row shows no number at all
		return Withheld{}
	}
	return float(tr.Value)
}

func (b *builder) note(r *Row) string {
	switch r.Reason {
	case BelowK:
		return fmt.Sprintf("suppressed: below the minimum cell size of %d", b.opt.MinCell)
	case SmallCount:
		return fmt.Sprintf("suppressed: an event count or numerator, or what it leaves of the group, is below the minimum cell size of %d", b.opt.MinCell)
	case Complement:
		return "suppressed: complementary, so that another suppressed cell cannot be recovered by subtraction"
	}
	return r.Note
}

func caveat(r *Row, d MetricDoc) string {
	if d.Adjusted {
		// what the adjustment does and does not do, in the registry's words
		return strings.Join(d.Caveats, " ")
	}
	if r.Cohort == "COMPARISON" || d.Contrast {
		return Associational
	}
	return ""
}

func integer(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func float(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

func quantity(v sql.NullFloat64, k Kind) any {
	if !v.Valid {
		return nil
	}
	return Quantity{v.Float64, k}
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fmtr lays out the Foreign Military Training Report's columns side by
// side: one row per program, region and country shown.
func (b *builder) fmtr() Table {
	t := Table{Sheet: SheetFMTR, File: "fmtr-columns", Columns: []Column{
		FMTRProgram, FMTRRegion, FMTRCountryCode, FMTRCountryName, FMTRPeriod,
	}}
	var present []int // indexes into fmtrMetrics of the metrics shown
	for i, f := range fmtrMetrics {
		if _, ok := b.order[f.id]; ok {
			present = append(present, i)
			t.Columns = append(t.Columns, f.col)
		}
	}
	t.Columns = append(t.Columns, FMTRNote, Column{"suppressed", "Suppressed", Bool})
	if len(present) == 0 {
		return t
	}
	places, cells := b.fmtrPlaces(present)
	for _, p := range places {
		t.Rows = append(t.Rows, b.fmtrRow(p, cells[p], present))
	}
	return t
}

// fmtrPlace is one row of the FMTR columns sheet.
type fmtrPlace struct{ program, region, country, period string }

// fmtrPlaces gathers the rows of the FMTR metrics present by place, and
// orders the places: the total, then programs, then regions and countries.
func (b *builder) fmtrPlaces(present []int) ([]fmtrPlace, map[fmtrPlace][]*Row) {
	cells := map[fmtrPlace][]*Row{}
	var places []fmtrPlace
	for i := range b.rows {
		r := &b.rows[i]
		col := slices.IndexFunc(present, func(p int) bool { return fmtrMetrics[p].id == r.Metric })
		if col < 0 || r.Category != All || r.Cohort != All || r.ECLBand != All {
			continue
		}
		p := fmtrPlace{r.Program, r.Region, r.Country, r.Period}
		if cells[p] == nil {
			cells[p] = make([]*Row, len(present))
			places = append(places, p)
		}
		cells[p][col] = r
	}
	sortKey := func(p fmtrPlace) string {
		first := cells[p][slices.IndexFunc(cells[p], func(r *Row) bool { return r != nil })]
		level := "0" // the total, then programs, then places
		switch {
		case p.program != All:
			level = "1" + p.program
		case p.region != All || p.country != All:
			level = "2"
		}
		return level + "\x00" + geoSort(first) + "\x00" + p.period
	}
	slices.SortFunc(places, func(x, y fmtrPlace) int { return cmp.Compare(sortKey(x), sortKey(y)) })
	return places, cells
}

// fmtrRow is the cells of one place: keys, the metrics present (withheld
// when suppressed), the notes of its rows and whether any is suppressed.
func (b *builder) fmtrRow(p fmtrPlace, rs []*Row, present []int) []any {
	region := any(p.region)
	if p.country != All && p.region == All {
		for _, r := range rs {
			if r != nil {
				region = orNil(r.CountryRegion)
				break
			}
		}
	}
	name := any(nil)
	if p.country != All {
		name = orNil(b.countries[p.country].name)
	}
	row := []any{p.program, region, p.country, name, p.period}
	var notes []string
	suppressed := false
	for i, r := range rs {
		kind := fmtrMetrics[present[i]].col.Kind
		switch {
		case r == nil:
			row = append(row, nil)
			continue
		case r.Suppressed():
			row = append(row, Withheld{})
			suppressed = true
		case !r.Value.Valid:
			row = append(row, nil)
		case kind == Integer:
			row = append(row, int64(math.Round(r.Value.Float64)))
		default:
			row = append(row, r.Value.Float64)
		}
		if n := b.note(r); n != "" && !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	return append(row, orNil(strings.Join(notes, "; ")), suppressed)
}

// fmtrByYear lays out IMET in the Foreign Military Training Report, one
// row per country and report year loaded: the report's own published
// figures (training sessions, dollars), so no cell is suppressed, with
// the reconciliation of each cell with the printed totals.
func (b *builder) fmtrByYear() Table {
	t := Table{Sheet: SheetFMTRYears, File: "fmtr-by-year", Columns: []Column{
		FMTRRegion, FMTRCountryCode, FMTRCountryName, FMTRFiscalYear, FMTRProgram,
		FMTRSessions, FMTRDollars,
		{"reconciled_share", "Share of dollars reconciled", Percent}, FMTRReconciliation,
	}}
	cells := slices.Clone(b.trends)
	slices.SortFunc(cells, func(x, y reports.TrendCell) int {
		return cmp.Or(cmp.Compare(cmp.Or(x.Region, "~"), cmp.Or(y.Region, "~")), cmp.Compare(x.Country, y.Country), cmp.Compare(x.FiscalYear, y.FiscalYear))
	})
	for _, c := range cells {
		var share any
		if c.Dollars != 0 {
			share = c.Reconciled / c.Dollars
		}
		t.Rows = append(t.Rows, []any{orNil(c.Region), c.Country, orNil(c.Name), int64(c.FiscalYear), "IMET",
			c.Sessions, c.Dollars, share, orNil(c.Reconciliation)})
	}
	return t
}

func (b *builder) methodology() Table {
	t := Table{Sheet: SheetMethodology, File: "methodology", Columns: []Column{
		{"metric_id", "Metric", Text},
		{"title", "Title", Text},
		{"definition", "Definition", Text},
		{"population", "Population", Text},
		{"event", "Event / numerator", Text},
		{"estimator", "Estimator", Text},
		{"caveats", "Caveats", Text},
	}}
	for _, d := range b.docs {
		t.Rows = append(t.Rows, []any{d.ID, orNil(d.Title), orNil(d.Definition), orNil(d.Population),
			orNil(d.Event), orNil(d.Estimator), orNil(strings.Join(d.Caveats, " "))})
	}
	t.Rows = append(t.Rows, []any{"DISCLOSURE_CONTROL", "Disclosure control", DisclosureRule(b.opt.MinCell),
		"Every row of every sheet.", nil, nil, "Applied once, before any format is written: the workbook, the CSV and the Parquet files carry the same cells."})
	return t
}
