package estimate

import "math"

// FunnelProbs are the two-sided funnel limits of evidence.md: 95% (2.5%
// and 97.5%) and 99.8% (0.1% and 99.9%).
var FunnelProbs = [4]float64{0.001, 0.025, 0.975, 0.999}

// QBinom is R's qbinom(p, n, p0): the smallest r in 0..n with P(X <= r) >=
// p for X ~ Binomial(n, p0), with R's fuzz (p × (1 − 64 ε)) so that a p
// that equals a cumulative probability up to rounding returns that r. NaN
// for n < 0 or p, p0 outside [0, 1].
func QBinom(p float64, n int, p0 float64) float64 {
	r, _, _ := qbinom(p, n, p0)
	return r
}

// qbinom returns the quantile r and P(X <= r) and P(X = r).
func qbinom(p float64, n int, p0 float64) (r, cdf, pmf float64) {
	if n < 0 || !(p >= 0 && p <= 1) || !(p0 >= 0 && p0 <= 1) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	target := p * (1 - 64*epsilon)
	for k := 0; k <= n; k++ {
		f := dbinom(k, n, p0)
		cdf += f
		if cdf >= target || k == n {
			return float64(k), math.Min(cdf, 1), f
		}
	}
	return math.NaN(), math.NaN(), math.NaN()
}

const epsilon = 2.220446049250313e-16 // R's DBL_EPSILON

// dbinom is R's dbinom(k, n, p0), from log-gamma.
func dbinom(k, n int, p0 float64) float64 {
	switch {
	case p0 == 0:
		return b2f(k == 0)
	case p0 == 1:
		return b2f(k == n)
	}
	ln, _ := math.Lgamma(float64(n + 1))
	lk, _ := math.Lgamma(float64(k + 1))
	lnk, _ := math.Lgamma(float64(n - k + 1))
	return math.Exp(ln - lk - lnk + float64(k)*math.Log(p0) + float64(n-k)*math.Log1p(-p0))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// FunnelLimit is the funnel plot's limit of a share of n around the
// pooled share p0 at probability p (FunnelProbs): the binomial quantile r
// = qbinom(p, n, p0) interpolated as in Spiegelhalter (2005, "Funnel
// plots for comparing institutional performance", Statistics in Medicine
// 24:1185, appendix A.1.1), so the curve is smooth in n instead of a
// staircase: (r − a)/n with a = (P(X <= r) − p)/P(X = r), a in [0, 1),
// clamped to [0, 1] (at very small n the interpolation of the lowest
// quantile can fall below 0). NaN for n <= 0.
func FunnelLimit(p float64, n int, p0 float64) float64 {
	if n <= 0 {
		return math.NaN()
	}
	r, cdf, pmf := qbinom(p, n, p0)
	if math.IsNaN(r) {
		return r
	}
	a := 0.0
	if pmf > 0 {
		a = (cdf - p) / pmf
	}
	return math.Min(1, math.Max(0, (r-a)/float64(n)))
}
