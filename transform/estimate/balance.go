package estimate

import (
	"fmt"
	"math"
)

// ATEWeights returns stabilised inverse-probability (ATE) weights:
// participants (treated) pbar/ps, comparison (1 - pbar)/(1 - ps), pbar the
// participant share of the input. Errors: lengths differ, or a propensity
// score is not strictly between 0 and 1.
func ATEWeights(ps []float64, treated []bool) ([]float64, error) {
	if len(ps) != len(treated) {
		return nil, fmt.Errorf("ate weights: %d scores, %d arms", len(ps), len(treated))
	}
	nt := 0
	for i, p := range ps {
		if !(p > 0 && p < 1) {
			return nil, fmt.Errorf("ate weights: row %d: propensity score %v, want 0 < ps < 1", i, p)
		}
		if treated[i] {
			nt++
		}
	}
	pbar := float64(nt) / float64(len(ps))
	w := make([]float64, len(ps))
	for i, p := range ps {
		if treated[i] {
			w[i] = pbar / p
		} else {
			w[i] = (1 - pbar) / (1 - p)
		}
	}
	return w, nil
}

// KishESS is Kish's effective sample size (sum w)^2 / sum w^2; NaN for no
// weights.
func KishESS(w []float64) float64 {
	var s, s2 float64
	for _, v := range w {
		s += v
		s2 += v * v
	}
	if len(w) == 0 {
		return math.NaN()
	}
	return s * s / s2
}

// SMD is the standardised mean difference of x between the arms,
// (m1 - m0) / sqrt((s1^2 + s0^2)/2), as evidence.md defines it: m1 and m0
// the arms' means, weighted by w when w != nil (R's weighted.mean), and s1,
// s0 the arms' unweighted sample standard deviations (R's sd(), n - 1),
// before and after weighting alike. For a factor level, x is its 0/1
// indicator. NaN when an arm has fewer than two people or both SDs are 0;
// an error when lengths differ.
func SMD(x []float64, treated []bool, w []float64) (float64, error) {
	if len(treated) != len(x) || (w != nil && len(w) != len(x)) {
		return math.NaN(), fmt.Errorf("smd: %d values, %d arms, %d weights", len(x), len(treated), len(w))
	}
	// Each arm's sums run over its people in input order, as they would
	// over a copy of the arm (no copy is made: SMD runs once per covariate
	// level, twice, over every person).
	var m, v [2]float64
	for a := 0; a < 2; a++ {
		arm := a == 1
		var n int
		var s, sw, plain float64
		for i, xi := range x {
			if treated[i] != arm {
				continue
			}
			n++
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			s += wi * xi
			sw += wi
			plain += xi
		}
		if n < 2 {
			return math.NaN(), nil
		}
		m[a] = s / sw
		mu := plain / float64(n)
		for i, xi := range x {
			if treated[i] == arm {
				v[a] += (xi - mu) * (xi - mu)
			}
		}
		v[a] /= float64(n - 1)
	}
	if v[0]+v[1] == 0 {
		return math.NaN(), nil
	}
	return (m[1] - m[0]) / math.Sqrt((v[1]+v[0])/2), nil
}
