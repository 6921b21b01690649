package estimate

import (
	"fmt"
	"math"
	"sort"
)

// LogRank is the result of a two-group (stratified) log-rank test.
type LogRank struct {
	Chisq float64 // chi-square statistic (O-E)^2/V, summed over strata before squaring
	DF    int     // degrees of freedom: groups with expected events > 0, minus 1 (never below 0)
	P     float64 // pchisq(Chisq, DF, lower = FALSE)
}

// StratifiedLogRank is survdiff(Surv(time, event) ~ group + strata(s))
// (rho = 0) for exactly two groups, following R's survdiff and survival's C
// routine survdiff2: within each stratum, at each distinct event time with
// n at risk (n1 in the first group) and d events, E1 += d n1/n and
// V += d (n-d) n1 (n-n1) / (n^2 (n-1)); O, E and V are summed over strata
// and Chisq = (O1-E1)^2/V. strata == nil means one stratum.
//
// As in R: when fewer than two groups have expected events > 0 the
// statistic is 0, with DF 0 and P = 1 (pchisq(0, 0, lower = FALSE)); with no
// events at all R reports df -1 and p NaN, here DF is 0 and P is NaN.
// R refuses a single group ("There is only 1 group"); here a group slice
// with other than exactly two distinct values gives Chisq and P NaN, DF 0,
// and so does a zero variance (every event alone in its risk set; R fails
// in solve()), with DF 1.
//
// Mismatched slice lengths, and times that are not finite or < 0, panic.
//
// It is long because it is one pass over each stratum's sorted times that
// accumulates the observed and expected events and the variance together,
// in R's order; split, those running sums would pass between the pieces.
func StratifiedLogRank(obs []Obs, group []int, strata []string) LogRank {
	n := len(obs)
	if len(group) != n || (strata != nil && len(strata) != n) {
		panic(fmt.Sprintf("estimate.StratifiedLogRank: %d obs, %d group, %d strata", n, len(group), len(strata)))
	}
	for i, o := range obs {
		if math.IsNaN(o.Time) || math.IsInf(o.Time, 0) || o.Time < 0 {
			panic(fmt.Sprintf("estimate.StratifiedLogRank: obs[%d].Time = %v", i, o.Time))
		}
	}
	levels := map[int]bool{}
	for _, g := range group {
		levels[g] = true
	}
	if len(levels) != 2 {
		return LogRank{Chisq: math.NaN(), DF: 0, P: math.NaN()}
	}
	first := math.MaxInt
	for g := range levels {
		first = min(first, g)
	}

	label := func(i int) string {
		if strata == nil {
			return ""
		}
		return strata[i]
	}
	byStratum := map[string][]int{}
	var names []string
	for i := range obs {
		l := label(i)
		if _, seen := byStratum[l]; !seen {
			names = append(names, l)
		}
		byStratum[l] = append(byStratum[l], i)
	}
	sort.Strings(names)

	var o1, e1, e2, v float64
	events := 0
	for _, name := range names {
		idx := byStratum[name]
		sort.Slice(idx, func(a, b int) bool { return obs[idx[a]].Time < obs[idx[b]].Time })
		atRisk := float64(len(idx))
		atRisk1 := 0.0
		for _, i := range idx {
			if group[i] == first {
				atRisk1++
			}
		}
		for k := 0; k < len(idx); {
			t := obs[idx[k]].Time
			var d, d1, leave, leave1 float64
			for ; k < len(idx) && obs[idx[k]].Time == t; k++ {
				i := idx[k]
				in1 := group[i] == first
				if obs[i].Event {
					d++
					if in1 {
						d1++
					}
				}
				leave++
				if in1 {
					leave1++
				}
			}
			if d > 0 {
				events += int(d)
				o1 += d1
				e1 += d * atRisk1 / atRisk
				e2 += d * (atRisk - atRisk1) / atRisk
				if atRisk > 1 {
					v += d * (atRisk - d) * atRisk1 * (atRisk - atRisk1) / (atRisk * atRisk * (atRisk - 1))
				}
			}
			atRisk -= leave
			atRisk1 -= leave1
		}
	}
	if events == 0 {
		return LogRank{Chisq: 0, DF: 0, P: math.NaN()}
	}
	if !(e1 > 0 && e2 > 0) {
		return LogRank{Chisq: 0, DF: 0, P: 1}
	}
	if !(v > 0) {
		// Every event had a single person at risk: R's solve() fails
		// ("exactly singular"); the statistic is undefined.
		return LogRank{Chisq: math.NaN(), DF: 1, P: math.NaN()}
	}
	chisq := (o1 - e1) * (o1 - e1) / v
	return LogRank{Chisq: chisq, DF: 1, P: math.Erfc(math.Sqrt(chisq / 2))}
}
