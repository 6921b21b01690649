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
	Activities int     // activity rows
	Quantity   int64   // their summed Quantity
	Cost       float64 // their summed Cost

	Bad         int   // bad rows of the key (country and program parsed, a value did not)
	BadQuantity int64 // their quantities where readable

	Totals        int // printed total rows (1 when the report printed one)
	TotalQuantity int64
	TotalCost     float64

	QuantityMatch, CostMatch bool // against the printed total; false when there is none
}

// Match reports whether the group has a printed total that its activities
// reproduce exactly, quantity and cost.
func (g Group) Match() bool { return g.Totals > 0 && g.QuantityMatch && g.CostMatch }

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
			g.CostMatch = math.Round(g.Cost*100) == math.Round(g.TotalCost*100)
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
