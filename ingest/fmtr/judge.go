package fmtr

import (
	"maps"
	"math"
)

// judgeCombinations bounds the combinations of readings tried per group.
const judgeCombinations = 4096

// judge settles, group by group (GroupKey), what the rows alone cannot:
//
//   - a cost the report printed as a placeholder (empty, "$", "-") is 0
//     when the group's printed total cost is 0 (repair placeholder_cost_zero),
//     else it stays nil with the note cost_not_printed;
//   - where a row has another reading (rawParser.read's choices) and the
//     default readings do not reproduce the printed total, the combination
//     of readings with the fewest changes that does reproduce it wins, if
//     there is exactly one such; each changed row names the choice in
//     Repairs, with judged_by_total.
//
// Groups without a printed total keep the default readings.
func judge(rows []Row) {
	type acc struct {
		rows, totals []int
	}
	groups := map[GroupKey]*acc{}
	var order []GroupKey
	for i := range rows {
		r := &rows[i]
		if r.CountryCode == "" || r.Program == "" {
			continue
		}
		k := GroupKey{r.CountryCode, r.Program, r.SubProgram, r.FiscalYear}
		a := groups[k]
		if a == nil {
			a = &acc{}
			groups[k] = a
			order = append(order, k)
		}
		if r.Kind == KindTotal {
			a.totals = append(a.totals, i)
		} else {
			a.rows = append(a.rows, i)
		}
	}
	for _, k := range order {
		a := groups[k]
		var qty int64
		var cost float64
		for _, i := range a.totals {
			qty += *rows[i].Quantity
			cost += *rows[i].Cost
		}
		placeholders(rows, a.rows, len(a.totals) > 0, len(a.totals) > 0 && cost == 0)
		if len(a.totals) > 0 {
			chooseReadings(rows, a.rows, qty, cost)
		}
		for _, i := range a.rows {
			rows[i].alts = nil
		}
	}
}

func placeholders(rows []Row, idx []int, hasTotal, totalZero bool) {
	for _, i := range idx {
		r := &rows[i]
		if !r.costPlaceholder || r.Kind != KindActivity {
			continue
		}
		if totalZero {
			zero := 0.0
			r.Cost = &zero
			r.Repairs = append(r.Repairs, "placeholder_cost_zero")
			continue
		}
		note := "cost_not_printed: the report prints no amount in total_cost and the group has no printed total to tell it is 0: the cost is unknown (NULL)"
		if hasTotal {
			note = "cost_not_printed: the report prints no amount in total_cost and the group's printed total is not 0: the cost is unknown (NULL)"
		}
		r.Warnings = append(r.Warnings, note)
	}
}

// chooseReadings tries the other readings of a group's ambiguous rows
// against its printed total: every combination (a row read its default
// way or one of its alternatives), up to judgeCombinations of them. The
// combination that reconciles with the fewest changed rows wins, if no
// other reconciles with as few.
func chooseReadings(rows []Row, idx []int, totalQty int64, totalCost float64) {
	var amb []int // rows with other readings
	combos := 1
	for _, i := range idx {
		if n := len(rows[i].alts); n > 0 {
			amb = append(amb, i)
			combos *= n + 1
			if combos > judgeCombinations {
				return
			}
		}
	}
	pick := map[int]int{} // row → 0: the default reading, k: alts[k-1]
	if len(amb) == 0 || reconciles(rows, idx, pick, totalQty, totalCost) {
		return
	}
	var best map[int]int
	bestChanges, tie := len(amb)+1, false
	for n := 1; n < combos; n++ {
		changes := 0
		for b, x := 0, n; b < len(amb); b++ {
			k := len(rows[amb[b]].alts) + 1
			pick[amb[b]] = x % k
			x /= k
			if pick[amb[b]] != 0 {
				changes++
			}
		}
		if changes > bestChanges || !reconciles(rows, idx, pick, totalQty, totalCost) {
			continue
		}
		if changes == bestChanges {
			tie = true
			continue
		}
		best, bestChanges, tie = maps.Clone(pick), changes, false
	}
	if best == nil || tie {
		return
	}
	for i, k := range best {
		if k == 0 {
			continue
		}
		alt := rows[i].alts[k-1]
		alt.row.Repairs = append(alt.row.Repairs, alt.repair, "judged_by_total")
		rows[i] = alt.row
	}
}

// reconciles reports whether the group's rows, read as pick says, add up
// to the printed total (quantity exactly, cost to the dollar).
func reconciles(rows []Row, idx []int, pick map[int]int, totalQty int64, totalCost float64) bool {
	var q int64
	var c, rc float64
	for _, i := range idx {
		r := &rows[i]
		if k := pick[i]; k > 0 {
			r = &rows[i].alts[k-1].row
		}
		if r.Kind != KindActivity {
			continue
		}
		if r.Quantity != nil {
			q += *r.Quantity
		}
		if r.Cost != nil {
			c += *r.Cost
			rc += math.Round(*r.Cost)
		}
	}
	exact, rounded := costAgrees(c, rc, totalCost)
	return q == totalQty && (exact || rounded)
}
