package congress

import (
	"cmp"
	"database/sql"
	"slices"
)

// All is the key value of a column that is not a disaggregation of a row.
const All = "ALL"

// Reason says whether and why a row is suppressed.
type Reason uint8

const (
	Shown      Reason = iota
	BelowK            // primary: n (or the denominator) below k, or no size at all
	Complement        // complementary: hidden so that another cell cannot be recovered by subtraction
	SmallCount        // primary: n is k or more, but the events or numerator, or what they leave of n or the denominator, are 1 to k−1
)

// Row is one metric_values row as disclosure control sees it: its keys,
// its numbers, and the region of its country (from the countries table),
// which says which region row its parts add up to.
type Row struct {
	Metric, Period, Cohort, ECLBand, Program, Region, Country, Category string
	CountryRegion                                                       string // region of Country; "" when unknown or Country is ALL

	N, Events                                            sql.NullInt64
	Numerator, Denominator, Value, CILow, CIHigh, PValue sql.NullFloat64
	PAdjusted                                            sql.NullFloat64 // Benjamini-Hochberg, across the rows of the same metric, period and level
	Note                                                 string

	// What the row's counts count, from its metric's registry entry
	// (readRows sets them with Counts): NumCounts, the numerator counts
	// people, enrollments or events; NumPart, they are a part of the
	// denominator (a share of a count), so denominator − numerator counts
	// the others; EventsPart, the events are people among n (at most one
	// each), so n − events counts the others.
	NumCounts, NumPart, EventsPart bool

	Reason Reason // set by Suppress
}

// Counts sets what r's numbers count from its metric's entry: a numerator
// in the unit "count" counts people, enrollments or events (FMTR courses
// too); with a share of a count denominator it is a part of it. Events
// are people among n except in a rate (HR_FLAG_RATE: one person can have
// several flags).
func (r *Row) Counts(d MetricDoc) {
	r.NumCounts = d.NumUnit == "count"
	r.NumPart = r.NumCounts && d.Unit == "share" && d.DenUnit == "count"
	r.EventsPart = d.Unit != "rate"
}

// Suppressed reports whether the row is withheld.
func (r *Row) Suppressed() bool { return r.Reason != Shown }

// size is the row's cell size: n, or the denominator when n is empty.
func (r *Row) size() (float64, bool) {
	if r.N.Valid {
		return float64(r.N.Int64), true
	}
	if r.Denominator.Valid {
		return r.Denominator.Float64, true
	}
	return 0, false
}

// below reports whether the row is below the minimum cell size k. A row
// with no size at all cannot be shown to be safe, so it counts as below.
func (r *Row) below(k int) bool {
	s, ok := r.size()
	return !ok || s < float64(k)
}

// smallCount reports whether a count is 1 to k−1: a number of people a
// reader could single out. Zero is not small (nobody is singled out), as in
// the usual rules for published counts (1 to k−1 withheld, 0 shown).
func smallCount(v float64, k int) bool { return v >= 1 && v < float64(k) }

// smallCounts reports whether a row of n at least k still shows a small
// count: its events or numerator, or what they leave of n or of the
// denominator (its complement, which names the people who did not have
// the event as surely).
func (r *Row) smallCounts(k int) bool {
	if r.Events.Valid {
		e := float64(r.Events.Int64)
		if smallCount(e, k) || (r.EventsPart && r.N.Valid && smallCount(float64(r.N.Int64)-e, k)) {
			return true
		}
	}
	if r.NumCounts && r.Numerator.Valid {
		x := r.Numerator.Float64
		if smallCount(x, k) {
			return true
		}
		if r.NumPart {
			if r.Denominator.Valid && smallCount(r.Denominator.Float64-x, k) {
				return true
			}
			if !r.Denominator.Valid && r.N.Valid && smallCount(float64(r.N.Int64)-x, k) {
				return true
			}
		}
	}
	return false
}

// Cross-metric totals: metrics whose rows add up to the row of another
// metric. The ECL bands of COMPLETION_BY_ECL partition COMPLETION's
// population; LEAD_RANK_HR's population is the participants plus the
// comparison members of LEAD_RANK_5Y (and of LEAD_RANK_10Y, the same people).
var (
	eclTotal    = map[string]string{"COMPLETION_BY_ECL": "COMPLETION"}
	cohortTotal = map[string]string{"LEAD_RANK_5Y": "LEAD_RANK_HR", "LEAD_RANK_10Y": "LEAD_RANK_HR"}
)

type rowKey struct {
	metric, period, cohort, ecl, program, region, country, category string
}

func (r *Row) key() rowKey {
	return rowKey{r.Metric, r.Period, r.Cohort, r.ECLBand, r.Program, r.Region, r.Country, r.Category}
}

// Dimensions along which parts add up to a total, in the order groups are
// visited.
const (
	dimProgram = iota
	dimCategory
	dimRegion
	dimCountryInRegion
	dimCountry
	dimECL
	dimCohort
)

// parent is the key of a total a row is a part of, along one dimension.
// of is the metric of the parts: LEAD_RANK_5Y's two cohorts and
// LEAD_RANK_10Y's two cohorts each add up to LEAD_RANK_HR, as two separate
// groups (one group of all four would see two suppressed parts and
// protect neither).
type parent struct {
	dim int
	k   rowKey
	of  string
}

// parents lists the totals a row is a part of: the same keys with one
// disaggregation put back to ALL (a country's first total is its region).
func parents(r *Row) []parent {
	var out []parent
	k := r.key()
	add := func(dim int, t rowKey) { out = append(out, parent{dim, t, k.metric}) }
	if k.program != All {
		t := k
		t.program = All
		add(dimProgram, t)
	}
	if k.category != All {
		t := k
		t.category = All
		add(dimCategory, t)
	}
	if k.region != All && k.country == All {
		t := k
		t.region = All
		add(dimRegion, t)
	}
	if k.country != All {
		region := k.region
		if region == All {
			region = r.CountryRegion
		}
		if region != "" && region != All {
			t := k
			t.country, t.region = All, region
			add(dimCountryInRegion, t)
		}
		t := k
		t.country, t.region = All, All
		add(dimCountry, t)
	}
	if k.ecl != All {
		t := k
		t.ecl = All
		if m, ok := eclTotal[k.metric]; ok {
			t.metric = m
		}
		add(dimECL, t)
	}
	if k.cohort != All {
		t := k
		t.cohort = All
		if m, ok := cohortTotal[k.metric]; ok {
			t.metric = m
		}
		add(dimCohort, t)
	}
	return out
}

// group is a total shown in the tables and the parts that add up to it.
type group struct {
	dim    int
	of     string // the parts' metric
	total  rowKey
	totals []int // rows with the total's keys (one, unless keys repeat)
	parts  []int // sorted by size, then keys: the order complements are taken in
}

// groups finds every group whose total is among rows, in a canonical order
// that does not depend on the order of rows.
func groups(rows []Row) []group {
	at := map[rowKey][]int{}
	for i := range rows {
		k := rows[i].key()
		at[k] = append(at[k], i)
	}
	byKey := map[parent]*group{}
	for i := range rows {
		for _, p := range parents(&rows[i]) {
			totals, ok := at[p.k]
			if !ok {
				continue // no total shown: nothing to subtract from
			}
			g := byKey[p]
			if g == nil {
				g = &group{dim: p.dim, of: p.of, total: p.k, totals: totals}
				byKey[p] = g
			}
			g.parts = append(g.parts, i)
		}
	}
	out := make([]group, 0, len(byKey))
	for _, g := range byKey {
		slices.SortFunc(g.parts, func(a, b int) int { return compareRows(&rows[a], &rows[b]) })
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b group) int {
		return cmp.Or(cmp.Compare(a.dim, b.dim), compareKeys(a.total, b.total), cmp.Compare(a.of, b.of))
	})
	return out
}

// compareRows orders rows by size (rows without one first), then by keys.
func compareRows(a, b *Row) int {
	sa, oka := a.size()
	sb, okb := b.size()
	if oka != okb {
		if !oka {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(sa, sb), compareKeys(a.key(), b.key()))
}

func compareKeys(a, b rowKey) int {
	return cmp.Or(cmp.Compare(a.metric, b.metric), cmp.Compare(a.period, b.period), cmp.Compare(a.cohort, b.cohort),
		cmp.Compare(a.ecl, b.ecl), cmp.Compare(a.program, b.program), cmp.Compare(a.region, b.region),
		cmp.Compare(a.country, b.country), cmp.Compare(a.category, b.category))
}

// Suppress applies disclosure control to rows in place (metrics.md,
// "Disclosure control"):
//
//   - primary: a row whose n (or denominator, when n is empty) is below k,
//     or that has neither, is suppressed (Reason BelowK); so is a row whose
//     events or counted numerator are 1 to k−1, or leave 1 to k−1 of n
//     (events among n) or of the denominator (a share), where the Row's
//     count fields say they are parts (Reason SmallCount);
//   - complementary: for every total shown together with parts that add up
//     to it (see parents), when exactly one part is suppressed, the smallest
//     other part (by size, then keys) is suppressed too; a group with a
//     single part suppresses its total instead. Repeated to a fixed point,
//     since a new suppression can leave a single in another group
//     (Reason Complement).
//
// A suppressed row keeps its keys; its n, events, numerator, denominator,
// value, limits, p-value and note are cleared (the note of a small cell
// can carry its numbers, as REPORT_LAG_DAYS's does). The result depends on
// the set of rows, not on their order.
func Suppress(rows []Row, k int) {
	for i := range rows {
		switch {
		case rows[i].below(k):
			rows[i].Reason = BelowK
		case rows[i].smallCounts(k):
			rows[i].Reason = SmallCount
		}
	}
	gs := groups(rows)
	for changed := true; changed; {
		changed = false
		for _, g := range gs {
			hidden, next := 0, -1
			for _, p := range g.parts {
				if rows[p].Suppressed() {
					hidden++
				} else if next < 0 {
					next = p
				}
			}
			if hidden != 1 {
				continue
			}
			if next >= 0 {
				rows[next].Reason = Complement
				changed = true
				continue
			}
			for _, t := range g.totals {
				if !rows[t].Suppressed() {
					rows[t].Reason = Complement
					changed = true
				}
			}
		}
	}
	for i := range rows {
		if r := &rows[i]; r.Suppressed() {
			r.N, r.Events = sql.NullInt64{}, sql.NullInt64{}
			r.Numerator, r.Denominator, r.Value = sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}
			r.CILow, r.CIHigh, r.PValue, r.PAdjusted = sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}, sql.NullFloat64{}
			r.Note = ""
		}
	}
}
