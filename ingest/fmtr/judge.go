package fmtr

import (
	"math"
	"math/bits"
)

// judgeLimit bounds the readings tried per group: 2^judgeLimit.
const judgeLimit = 10

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
// against its printed total.
func chooseReadings(rows []Row, idx []int, totalQty int64, totalCost float64) {
	var amb []int // rows with one alternative reading
	for _, i := range idx {
		if len(rows[i].alts) > 0 {
			amb = append(amb, i)
		}
	}
	if len(amb) == 0 || len(amb) > judgeLimit {
		return
	}
	reconciles := func(mask uint) bool {
		var q int64
		var c, rc float64
		for _, i := range idx {
			r := &rows[i]
			for b, j := range amb {
				if j == i && mask&(1<<b) != 0 {
					r = &rows[i].alts[0].row
				}
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
	if reconciles(0) {
		return
	}
	best, found, tie := uint(0), false, false
	for mask := uint(1); mask < 1<<len(amb); mask++ {
		if !reconciles(mask) {
			continue
		}
		switch {
		case !found || bits.OnesCount(mask) < bits.OnesCount(best):
			best, found, tie = mask, true, false
		case bits.OnesCount(mask) == bits.OnesCount(best):
			tie = true
		}
	}
	if !found || tie {
		return
	}
	for b, i := range amb {
		if best&(1<<b) != 0 {
			alt := rows[i].alts[0]
			alt.row.Repairs = append(alt.row.Repairs, alt.repair, "judged_by_total")
			alt.row.Line, alt.row.LastLine = rows[i].Line, rows[i].LastLine
			rows[i] = alt.row
		}
	}
}
