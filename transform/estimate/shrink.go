package estimate

import (
	"fmt"
	"math"
)

// Shrinkage is the DerSimonian-Laird random-effects fit of a set of
// proportions on the logit scale, and each one's best linear unbiased
// prediction (BLUP): what metafor computes with escalc(measure = "PLO"),
// rma(yi, vi, method = "DL") and blup(fit, transf = transf.ilogit).
type Shrinkage struct {
	K      int     // studies (countries)
	Tau2   float64 // between-study variance on the logit scale, truncated at 0
	Q      float64 // Cochran's Q of the fixed-effect fit (rma's QE)
	Mu, SE float64 // the random-effects pooled logit and its standard error
	// Pooled is ilogit(Mu), the pooled share, with its 95% limits
	// ilogit(Mu ∓ z0.975 SE) (predict(fit, transf = transf.ilogit)).
	Pooled, PooledLower, PooledUpper float64
	Shares                           []ShrunkShare
}

// ShrunkShare is one study's logit share (escalc's yi, vi) and its BLUP:
// on the logit scale (Pred, PredSE) and back-transformed with its 95%
// limits (Share, Lower, Upper).
type ShrunkShare struct {
	Yi, Vi              float64
	Pred, PredSE        float64
	Share, Lower, Upper float64
}

// ShrinkProportions fits x[i] out of n[i]. Like escalc's defaults for
// "PLO" (add = 1/2, to = "only0"), 0.5 is added to both cells, x and
// n − x, of a study in which either is 0, so yi = log((x+.5)/(n−x+.5)) and
// vi = 1/(x+.5) + 1/(n−x+.5); other studies have yi = log(x/(n−x)) and vi =
// 1/x + 1/(n−x). tau² = max(0, (Q − (k−1)) / (Σw − Σw²/Σw)), w = 1/vi, as
// rma's DL estimator; mu weights by 1/(vi + tau²). blup.rma.uni: with λ =
// tau²/(tau² + vi), pred = λ yi + (1 − λ) mu, se = sqrt(λ vi + (1 − λ)²
// SE²), limits pred ∓ z0.975 se, all three back-transformed by ilogit. An
// error for no study, unequal lengths, or n <= 0, x < 0 or x > n.
func ShrinkProportions(x, n []int) (Shrinkage, error) {
	if len(x) != len(n) || len(x) == 0 {
		return Shrinkage{}, fmt.Errorf("shrinkage: %d counts for %d sizes (need at least one)", len(x), len(n))
	}
	k := len(x)
	yi, vi := make([]float64, k), make([]float64, k)
	for i := range x {
		if n[i] <= 0 || x[i] < 0 || x[i] > n[i] {
			return Shrinkage{}, fmt.Errorf("shrinkage: study %d has %d out of %d", i+1, x[i], n[i])
		}
		a, b := float64(x[i]), float64(n[i]-x[i])
		if a == 0 || b == 0 {
			a, b = a+0.5, b+0.5
		}
		yi[i], vi[i] = math.Log(a/b), 1/a+1/b
	}
	var sw, sw2, swy float64
	for i := range yi {
		w := 1 / vi[i]
		sw, sw2, swy = sw+w, sw2+w*w, swy+w*yi[i]
	}
	fixed := swy / sw
	var q float64
	for i := range yi {
		q += (yi[i] - fixed) * (yi[i] - fixed) / vi[i]
	}
	tau2 := 0.0
	if k > 1 {
		tau2 = math.Max(0, (q-float64(k-1))/(sw-sw2/sw))
	}
	var sr, sry float64
	for i := range yi {
		w := 1 / (vi[i] + tau2)
		sr, sry = sr+w, sry+w*yi[i]
	}
	fit := Shrinkage{K: k, Tau2: tau2, Q: q, Mu: sry / sr, SE: math.Sqrt(1 / sr)}
	fit.Pooled = ilogit(fit.Mu)
	fit.PooledLower, fit.PooledUpper = ilogit(fit.Mu-Z975*fit.SE), ilogit(fit.Mu+Z975*fit.SE)
	fit.Shares = make([]ShrunkShare, k)
	for i := range yi {
		l := tau2 / (tau2 + vi[i])
		pred := l*yi[i] + (1-l)*fit.Mu
		se := math.Sqrt(l*vi[i] + (1-l)*(1-l)/sr)
		fit.Shares[i] = ShrunkShare{Yi: yi[i], Vi: vi[i], Pred: pred, PredSE: se,
			Share: ilogit(pred), Lower: ilogit(pred - Z975*se), Upper: ilogit(pred + Z975*se)}
	}
	return fit, nil
}

// ilogit is metafor's transf.ilogit (R's plogis).
func ilogit(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
