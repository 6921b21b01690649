package estimate

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// glm.control() defaults and the binomial family's thresholds (R's
// family.c: THRESH, MTHRESH, DBL_EPSILON).
const (
	glmEpsilon = 1e-8
	glmMaxit   = 25
	dblEps     = 2.220446049250313e-16
	logitHi    = 30.0
	logitLo    = -30.0
)

var (
	// ErrNotConverged (wrapped) means IRLS ran out of iterations, R's
	// "glm.fit: algorithm did not converge".
	ErrNotConverged = errors.New("did not converge")
	// ErrSeparation (wrapped) means some fitted probabilities are 0 or 1
	// to machine precision, R's "glm.fit: fitted probabilities numerically
	// 0 or 1 occurred": (quasi-)complete separation, a covariate level in
	// which everyone is in one arm.
	ErrSeparation = errors.New("fitted probabilities numerically 0 or 1 (separation)")
)

// LogitFit is a logistic regression fit.
type LogitFit struct {
	// Coef has one coefficient per design column; NaN where the column is
	// aliased (R's NA).
	Coef     []float64
	Fitted   []float64 // fitted probabilities, glm's fitted()
	Deviance float64
	Iter     int // IRLS iterations, glm's iter
	Rank     int // rank of the design
}

// Logistic fits glm(y ~ design, family = binomial) by iteratively
// reweighted least squares exactly as R's glm.fit: start from
// mu = (y + 0.5)/2, stop when |dev - devold|/(|dev| + 0.1) < 1e-8 or
// after 25 iterations. Each step is a weighted least-squares fit; R solves
// it by QR, this by the normal equations over the design's non-zero
// entries (fast with ~150 factor columns and 100,000 rows), and aliased
// columns get NaN and are left out as R does (see aliasTol). Fitted values
// equal R's fitted() to far below 1e-6.
//
// Errors: a y that is not 0 or 1 or a length mismatch; and, with the fit
// so far returned beside them, ErrNotConverged when R would warn "algorithm
// did not converge" and ErrSeparation when R would warn "fitted
// probabilities numerically 0 or 1 occurred" (both, joined, when R gives
// both warnings; test with errors.Is). A propensity score from either is
// not usable.
func Logistic(y []float64, x Design) (LogitFit, error) {
	n := len(y)
	if x.N != n || x.P() == 0 {
		return LogitFit{}, fmt.Errorf("logistic: %d outcomes, design of %d rows and %d columns", n, x.N, x.P())
	}
	for i, v := range y {
		if v != 0 && v != 1 {
			return LogitFit{}, fmt.Errorf("logistic: row %d: outcome %v, want 0 or 1", i, v)
		}
	}
	mu, eta := make([]float64, n), make([]float64, n)
	for i := range y {
		mu[i] = (y[i] + 0.5) / 2
		eta[i] = math.Log(mu[i] / (1 - mu[i]))
	}
	devold := deviance(y, mu)
	fit := LogitFit{}
	z, w := make([]float64, n), make([]float64, n)
	values := x.rows
	if values.start == nil { // not NewDesign's
		values = designRows(x)
	}
	sys := newWLSSystem(x, values)
	converged := false
	for fit.Iter = 1; fit.Iter <= glmMaxit; fit.Iter++ {
		for i := range y {
			me := muEta(eta[i])
			z[i] = eta[i] + (y[i]-mu[i])/me
			w[i] = me * me / (mu[i] * (1 - mu[i]))
		}
		fit.Coef, fit.Rank = sys.solve(z, w)
		linear(eta, x, values, fit.Coef)
		for i := range eta {
			mu[i] = linkinv(eta[i])
		}
		fit.Deviance = deviance(y, mu)
		if math.IsNaN(fit.Deviance) || math.IsInf(fit.Deviance, 0) {
			return fit, fmt.Errorf("logistic: deviance %v at iteration %d: %w", fit.Deviance, fit.Iter, ErrNotConverged)
		}
		if math.Abs(fit.Deviance-devold)/(math.Abs(fit.Deviance)+0.1) < glmEpsilon {
			converged = true
			break
		}
		devold = fit.Deviance
	}
	fit.Fitted = mu
	var errs []error
	if !converged {
		fit.Iter = glmMaxit
		errs = append(errs, fmt.Errorf("logistic: %d iterations: %w", glmMaxit, ErrNotConverged))
	}
	for _, m := range mu {
		if m > 1-10*dblEps || m < 10*dblEps {
			errs = append(errs, fmt.Errorf("logistic: %w", ErrSeparation))
			break
		}
	}
	return fit, errors.Join(errs...)
}

// linear sets eta to the linear predictor X b, leaving out the aliased
// (NaN) coefficients. It sums each row's non-zero values only (values,
// the rows of x), in column order: the sum of every column's c[i] * b[j],
// since a zero's product is a zero, which leaves a sum as it was, unless
// b[j] is infinite (0 * Inf is NaN): then every column is summed.
func linear(eta []float64, x Design, values sparseRows, b []float64) {
	if slices.ContainsFunc(b, func(v float64) bool { return math.IsInf(v, 0) }) {
		clear(eta)
		for j := range x.P() { // each row's sum in column order, as by rows
			if math.IsNaN(b[j]) {
				continue
			}
			for i, v := range x.Col(j) {
				eta[i] += v * b[j]
			}
		}
		return
	}
	for i := range eta {
		e := 0.0
		for _, en := range values.row(i) {
			if c := b[en.j]; !math.IsNaN(c) {
				e += en.v * c
			}
		}
		eta[i] = e
	}
}

// linkinv is R's C_logit_linkinv.
func linkinv(eta float64) float64 {
	var t float64
	switch {
	case eta < logitLo:
		t = dblEps
	case eta > logitHi:
		t = 1 / dblEps
	default:
		t = math.Exp(eta)
	}
	return t / (1 + t)
}

// muEta is R's C_logit_mu_eta.
func muEta(eta float64) float64 {
	if eta > logitHi || eta < logitLo {
		return dblEps
	}
	e := math.Exp(eta)
	return e / ((1 + e) * (1 + e))
}

// deviance is sum(binomial()$dev.resids(y, mu, 1)).
func deviance(y, mu []float64) float64 {
	d := 0.0
	for i := range y {
		if y[i] == 1 {
			d += 2 * math.Log(1/mu[i])
		} else {
			d += 2 * math.Log(1/(1-mu[i]))
		}
	}
	return d
}
