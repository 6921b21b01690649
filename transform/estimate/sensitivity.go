package estimate

import (
	"math"
	"sort"
)

// Z80 is the 80% standard normal quantile, R's qnorm(0.8), the power term of
// the minimum detectable effect.
const Z80 = 0.8416212335729143

// CIFDifference is the difference d = a.P - b.P of two independent groups'
// cumulative incidences (participant minus comparison) with 95% limits
// d -/+ z sqrt(a.SE^2 + b.SE^2), evidence.md's LEAD_RANK_CIF_DIFF. NaN in
// gives NaN out.
func CIFDifference(a, b CIF) (diff, lower, upper float64) {
	diff = a.P - b.P
	half := Z975 * math.Sqrt(a.SE*a.SE+b.SE*b.SE)
	return diff, diff - half, diff + half
}

// EValueHR is VanderWeele and Ding's E-value for a hazard ratio and its 95%
// limits, the formula of R's EValue::evalues.HR(hr, lower, upper, rare =
// !common). When the outcome is common (evidence.md: the population's
// LEAD_RANK_CIF_10Y > 0.15) each HR is first turned into a risk ratio,
// RR = (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR)); otherwise RR = HR. With
// RR* = max(RR, 1/RR), E = RR* + sqrt(RR* (RR* - 1)). limit is the E-value
// of the limit nearest 1 (the upper one when HR < 1, the lower one when
// HR > 1), or 1 when the interval includes 1. For HR = 1 both are 1.
// Check: HR 0.56 (0.46, 0.69), common, gives 2.3495 and 1.9080.
//
// Non-positive or NaN input gives NaN.
func EValueHR(hr, lower, upper float64, common bool) (estimate, limit float64) {
	for _, v := range []float64{hr, lower, upper} {
		if !(v > 0) || math.IsInf(v, 0) {
			return math.NaN(), math.NaN()
		}
	}
	rr := func(h float64) float64 {
		if !common {
			return h
		}
		return (1 - math.Pow(0.5, math.Sqrt(h))) / (1 - math.Pow(0.5, math.Sqrt(1/h)))
	}
	e := func(r float64) float64 {
		if r < 1 {
			r = 1 / r
		}
		return r + math.Sqrt(r*(r-1))
	}
	r, lo, up := rr(hr), rr(lower), rr(upper)
	estimate = e(r)
	switch {
	case lo <= 1 && up >= 1:
		limit = 1
	case r < 1:
		limit = e(up)
	default:
		limit = e(lo)
	}
	return estimate, limit
}

// MinDetectableHR is the smallest hazard ratio detectable with 80% power
// at two-sided alpha = 0.05 given events observed events and a share p of
// participants: exp((z0.975 + z0.8) / sqrt(events p (1 - p))) (Schoenfeld).
// It is NaN when events <= 0 or p is not strictly between 0 and 1.
func MinDetectableHR(events int, p float64) float64 {
	if events <= 0 || !(p > 0 && p < 1) {
		return math.NaN()
	}
	return math.Exp((Z975 + Z80) / math.Sqrt(float64(events)*p*(1-p)))
}

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted p-values,
// exactly R's p.adjust(p, "BH"): NaN entries (R's NA) stay NaN and are
// left out of the count m of tests; the others, in decreasing order of p,
// are min(1, cummin(m/i p_(i))). Ties get the same adjusted value. The
// result is in the order of p.
func BenjaminiHochberg(p []float64) []float64 {
	adj := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		if math.IsNaN(v) {
			adj[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	// R: o <- order(p, decreasing = TRUE), a stable order.
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	m := float64(len(idx))
	run := math.Inf(1)
	for k, i := range idx {
		rank := m - float64(k) // i in R's n/i
		run = math.Min(run, m/rank*p[i])
		adj[i] = math.Min(1, run)
	}
	return adj
}
