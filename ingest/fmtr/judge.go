package fmtr

import "math"

// The judge tries at most judgeBudget combinations of readings per group,
// of at most judgeMaxChanges rows read another way.
const (
	judgeBudget     = 50000
	judgeMaxChanges = 3
)

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
		if len(a.totals) > 0 {
			chooseReadings(rows, a.rows, qty, cost)
		}
		// after the choice: a placeholder adds nothing to the sums either way
		placeholders(rows, a.rows, len(a.totals) > 0, len(a.totals) > 0 && cost == 0)
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

// sums are what a group's readings add up to.
type sums struct {
	qty         int64
	cost, round float64 // summed cost, and the costs rounded one by one
}

func (s *sums) add(r *Row, sign int64) {
	if r.Kind != KindActivity {
		return
	}
	if r.Quantity != nil {
		s.qty += sign * *r.Quantity
	}
	if r.Cost != nil {
		s.cost += float64(sign) * *r.Cost
		s.round += float64(sign) * math.Round(*r.Cost)
	}
}

func (s sums) reconciles(totalQty int64, totalCost float64) bool {
	exact, rounded := costAgrees(s.cost, s.round, totalCost)
	return s.qty == totalQty && (exact || rounded)
}

// option is one other reading of one row: rows[row].alts[alt].
type option struct{ row, alt int }

// chooseReadings tries the other readings of a group's ambiguous rows
// against its printed total, one changed row, then two, up to
// judgeMaxChanges: the first number of changes at which exactly one
// combination reproduces the total wins; two or more at that number is
// ambiguous, and the default readings stay. At most judgeBudget
// combinations are tried per group.
func chooseReadings(rows []Row, idx []int, totalQty int64, totalCost float64) {
	var base sums
	var opts []option
	for _, i := range idx {
		base.add(&rows[i], 1)
		for k := range rows[i].alts {
			opts = append(opts, option{i, k})
		}
	}
	if len(opts) == 0 || base.reconciles(totalQty, totalCost) {
		return
	}
	budget := judgeBudget
	for changes := 1; changes <= judgeMaxChanges && changes <= len(opts); changes++ {
		var found []option
		n := 0
		complete := combinations(len(opts), changes, func(c []int) bool {
			if budget--; budget < 0 {
				return false
			}
			s, seen := base, map[int]bool{}
			for _, o := range c {
				op := opts[o]
				if seen[op.row] {
					return true // two readings of the same row
				}
				seen[op.row] = true
				s.add(&rows[op.row], -1)
				s.add(&rows[op.row].alts[op.alt].row, 1)
			}
			if s.reconciles(totalQty, totalCost) {
				if n++; n == 1 {
					for _, o := range c {
						found = append(found, opts[o])
					}
				}
			}
			return n < 2
		})
		switch {
		case !complete && n < 2:
			return // out of budget: not decided
		case n == 1:
			for _, op := range found {
				alt := rows[op.row].alts[op.alt]
				alt.row.Repairs = append(alt.row.Repairs, alt.repair, "judged_by_total")
				rows[op.row] = alt.row
			}
			return
		case n > 1:
			return
		}
	}
}

// combinations calls f with every k-subset of 0..n-1, in order, until f
// returns false; it reports whether it went through them all.
func combinations(n, k int, f func([]int) bool) bool {
	c := make([]int, k)
	for i := range c {
		c[i] = i
	}
	for {
		if !f(c) {
			return false
		}
		i := k - 1
		for i >= 0 && c[i] == n-k+i {
			i--
		}
		if i < 0 {
			return true
		}
		c[i]++
		for j := i + 1; j < k; j++ {
			c[j] = c[j-1] + 1
		}
	}
}
