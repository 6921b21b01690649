package fmtr

import (
	"math"
	"sort"
)

// GroupKey is what a printed total covers: one country and one program
// (with sub-program) of one fiscal year, inside one report file.
type GroupKey struct {
	CountryCode, Program, SubProgram string
	FiscalYear                       int
}

// Group compares the activities of a GroupKey with the report's printed
// total.
type Group struct {
	GroupKey
	Activities  int     // activity rows
	Quantity    int64   // their summed Quantity
	Cost        float64 // their summed Cost
	RoundedCost float64 // the sum of their Cost each rounded to whole dollars, as the report prints them
	NoCost      int     // activities whose cost the report did not print (Cost nil)

	Bad         int   // bad rows of the key (country and program parsed, a value did not)
	BadQuantity int64 // their quantities where readable

	Totals        int // printed total rows (1 when the report printed one)
	TotalQuantity int64
	TotalCost     float64

	QuantityMatch, CostMatch bool // against the printed total; false when there is none
	// CostRounded: the cost agrees with the printed total only to the
	// dollar (the report prints totals in whole dollars): the summed cost
	// rounds to it, or the activities' costs rounded one by one add up to
	// it.
	CostRounded bool
}

// Reconciliation values, as in the fmtr_reconciliation view.
const (
	Matches        = "matches"           // quantity and cost reproduce the printed total exactly
	MatchesRounded = "matches (rounded)" // quantity exactly, cost to the dollar (the report's rounding)
	Differs        = "differs"
	NoPrintedTotal = "no_printed_total"
)

// Match reports whether the group has a printed total that its activities
// reproduce: quantity exactly, cost exactly or to the report's rounding.
func (g Group) Match() bool {
	return g.Totals > 0 && g.QuantityMatch && (g.CostMatch || g.CostRounded)
}

// Reconciliation classifies the group: Matches, MatchesRounded, Differs or
// NoPrintedTotal.
func (g Group) Reconciliation() string {
	switch {
	case g.Totals == 0:
		return NoPrintedTotal
	case g.QuantityMatch && g.CostMatch:
		return Matches
	case g.QuantityMatch && g.CostRounded:
		return MatchesRounded
	}
	return Differs
}

// costAgrees compares an activities' cost with a printed total: exactly
// (to the cent), or only after the report's rounding to whole dollars.
func costAgrees(cost, rounded, total float64) (exact, toTheDollar bool) {
	c, t := math.Round(cost*100), math.Round(total*100)
	if c == t {
		return true, false
	}
	return false, math.Abs(cost-total) < 0.5+1e-9 || math.Round(rounded*100) == t
}

// Reconcile groups the rows of one report file by GroupKey and compares
// summed activities with the printed totals. Groups come sorted by key.
func Reconcile(rows []Row) []Group {
	m := map[GroupKey]*Group{}
	get := func(r *Row) *Group {
		k := GroupKey{r.CountryCode, r.Program, r.SubProgram, r.FiscalYear}
		g := m[k]
		if g == nil {
			g = &Group{GroupKey: k}
			m[k] = g
		}
		return g
	}
	for i := range rows {
		r := &rows[i]
		switch {
		case r.Kind == KindActivity:
			g := get(r)
			g.Activities++
			if r.Quantity != nil {
				g.Quantity += *r.Quantity
			}
			if r.Cost != nil {
				g.Cost += *r.Cost
				g.RoundedCost += math.Round(*r.Cost)
			} else {
				g.NoCost++
			}
		case r.Kind == KindTotal:
			g := get(r)
			g.Totals++
			g.TotalQuantity += *r.Quantity
			g.TotalCost += *r.Cost
		case r.CountryCode != "" && r.Program != "":
			g := get(r)
			g.Bad++
			if r.Quantity != nil {
				g.BadQuantity += *r.Quantity
			}
		}
	}
	out := make([]Group, 0, len(m))
	for _, g := range m {
		if g.Totals > 0 {
			g.QuantityMatch = g.Quantity == g.TotalQuantity
			g.CostMatch, g.CostRounded = costAgrees(g.Cost, g.RoundedCost, g.TotalCost)
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].GroupKey, out[j].GroupKey
		if a.CountryCode != b.CountryCode {
			return a.CountryCode < b.CountryCode
		}
		if a.Program != b.Program {
			return a.Program < b.Program
		}
		if a.SubProgram != b.SubProgram {
			return a.SubProgram < b.SubProgram
		}
		return a.FiscalYear < b.FiscalYear
	})
	return out
}
