package estimate

import (
	"fmt"
	"math"
	"sort"
)

// CoxData is the input of CoxModel: one row per (start, stop] interval (or
// per person when Start is nil). All non-nil slices have the same length.
type CoxData struct {
	// Start is the start of each interval; nil means right-censored data,
	// Surv(Stop, Event), everyone at risk from time zero.
	Start []float64
	Stop  []float64 // end of each interval (the event or censoring time)
	Event []bool    // an event at Stop
	// X holds the covariates column by column: X[j][i] is covariate j of
	// row i. Factors must already be coded as 0/1 columns.
	X [][]float64
	// Strata labels the strata (risk sets and ties never cross them);
	// nil means one stratum.
	Strata []string
	// Weight holds case weights (finite, > 0); nil means 1.
	Weight []float64
	// Cluster labels the clusters of the robust (sandwich) variance, e.g.
	// the person id. nil means no robust variance, except that, as in
	// coxph, weights that are not all whole numbers make the variance
	// robust with each row its own cluster.
	Cluster []string
	// Robust asks for the robust variance with each row its own cluster
	// (coxph's robust = TRUE, or cluster = a distinct id per row) whatever
	// the weights.
	Robust bool
}

// CoxFit is a Cox model fit. The per-term slices are indexed like CoxData.X.
type CoxFit struct {
	N      int // rows used
	Events int // rows with an event (unweighted), coxph's nevent
	// Coef is the log hazard ratio per unit of each covariate and HR its
	// exponential. NaN where R's coefficient is NA (singular information)
	// or there are no events; +-Inf where R warns that the coefficient may
	// be infinite or runs out of iterations (see Converged).
	Coef, HR []float64
	// SE is the model-based ("naive") standard error, sqrt(diag(I^-1)):
	// coxph's se(coef) without a cluster, sqrt(diag(fit$naive.var)) with one.
	SE []float64
	// RobustSE is the robust standard error (coxph's "robust se",
	// sqrt(diag(fit$var)) with cluster = id); NaN when the variance is not
	// robust (no clusters and whole-number weights).
	RobustSE []float64
	// Lower and Upper are the 95% Wald limits of HR, exp(Coef -/+ z se),
	// and P the two-sided Wald p-value, with se = RobustSE when it is
	// defined and SE otherwise, as summary(coxph) and confint do.
	Lower, Upper, P []float64
	// Var is the variance matrix those limits use (fit$var).
	Var [][]float64
	// Loglik is the partial log likelihood at beta = 0 and at the estimate
	// (fit$loglik).
	Loglik [2]float64
	Iter   int // Newton-Raphson iterations, fit$iter
	// Converged is false when R would warn (ran out of iterations, or a
	// coefficient may be infinite) or a coefficient is NA.
	Converged bool
}

// CoxModel fits the Cox proportional hazards model with Efron ties (R's
// default), case weights, strata, counting-process (start, stop] data and
// the robust variance, exactly
//
//	coxph(Surv(start, stop, event) ~ x1 + ... + strata(s), weights = w,
//	      cluster = id)
//
// (Surv(stop, event) when Start is nil), with coxph's defaults:
// Newton-Raphson from beta = 0 with step-halving, convergence when the
// relative change in the loglik is <= 1e-9, at most 20 iterations, as
// survival's agfit4/coxfit6. With weights, the Efron correction spreads the
// mean weight of the tied deaths: at a time with d deaths of total weight
// wd, the k-th of d terms (k = 0..d-1) has denominator D_k = R - (k/d) E
// (R the weighted risk set, E the deaths' weighted risk) and weight wd/d.
// The robust variance is V (sum over clusters of g g') V with V the inverse
// information and g the cluster's sum of weighted score residuals (coxph's
// residuals(type = "dfbeta", weighted = TRUE, collapse = cluster)).
//
// The one-covariate, unweighted CoxPH is this model's special case; both
// are kept so that CoxPH's results stay byte-for-byte as they were.
//
// Invalid input (lengths, a time not finite, Start >= Stop, a weight that
// is not finite and > 0, a covariate not finite, no covariates) is an
// error. No events is not: every estimate is NaN, as R's NA.
func CoxModel(d CoxData) (CoxFit, error) {
	m, err := newCoxModel(d)
	if err != nil {
		return CoxFit{}, fmt.Errorf("cox model: %w", err)
	}
	return m.fit(d.Cluster, d.Robust || d.Cluster != nil || fractional(d.Weight)), nil
}

// fit runs the model; robust asks for the sandwich variance over cluster
// (nil: each row its own cluster).
func (m *coxModel) fit(cluster []string, robust bool) CoxFit {
	p := m.p
	fit := CoxFit{N: m.n, Coef: nanSlice(p), HR: nanSlice(p), SE: nanSlice(p),
		RobustSE: nanSlice(p), Lower: nanSlice(p), Upper: nanSlice(p), P: nanSlice(p)}
	for _, e := range m.event {
		if e {
			fit.Events++
		}
	}
	if fit.Events == 0 {
		return fit // coxph: no events, coefficients NA, iter 0
	}
	beta, lk0, lk, u, info, iter, converged := m.newton()
	fit.Loglik = [2]float64{lk0, lk}
	fit.Iter = iter
	ch := factor(info, cholTol)
	v := ch.inverse()
	infinite := make([]bool, p)
	if converged {
		// coxph.fit: infs <- abs(u %*% var)
		for j := 0; j < p; j++ {
			infs := 0.0
			for k := 0; k < p; k++ {
				infs += u[k] * v[k][j]
			}
			infs = math.Abs(infs)
			infinite[j] = infs > coxEps && infs > coxTolerInf*math.Abs(beta[j])
		}
	}
	fit.Converged = converged && !anySingular(ch.sing)
	for j := 0; j < p; j++ {
		switch {
		case ch.sing[j]:
			continue // NA coefficient
		case !converged || infinite[j]:
			fit.Converged = false
			fit.Coef[j] = math.Copysign(math.Inf(1), beta[j])
			fit.HR[j] = math.Exp(fit.Coef[j])
			continue
		}
		fit.Coef[j], fit.HR[j] = beta[j], math.Exp(beta[j])
		fit.SE[j] = math.Sqrt(v[j][j])
	}
	fit.Var = v
	if robust {
		fit.Var = m.robustVar(beta, v, cluster)
		for j := range fit.RobustSE {
			if !math.IsNaN(fit.SE[j]) {
				fit.RobustSE[j] = math.Sqrt(fit.Var[j][j])
			}
		}
	}
	for j := 0; j < p; j++ {
		se := fit.SE[j]
		if robust {
			se = fit.RobustSE[j]
		}
		if math.IsNaN(se) {
			continue
		}
		fit.Lower[j] = math.Exp(beta[j] - Z975*se)
		fit.Upper[j] = math.Exp(beta[j] + Z975*se)
		fit.P[j] = math.Erfc(math.Abs(beta[j]/se) / math.Sqrt2)
	}
	return fit
}

// fractional reports whether any weight is not a whole number, which makes
// coxph use the robust variance even without a cluster (has.rwt).
func fractional(w []float64) bool {
	for _, v := range w {
		if v != math.Floor(v) {
			return true
		}
	}
	return false
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// newton is coxfit6/agfit4's Newton-Raphson loop. It returns the last
// good beta, the loglik at 0 and there, and the score and information
// there.
func (m *coxModel) newton() (beta []float64, lk0, lk float64, u []float64, info [][]float64, iter int, converged bool) {
	p := m.p
	beta = make([]float64, p)
	lk, u, info = m.iter(beta, nil)
	lk0 = lk
	newbeta := addStep(beta, factor(info, cholTol).solve(u))
	halving := 0
	for iter = 1; iter <= coxIterMax; iter++ {
		newlk, nu, ninfo := m.iter(newbeta, nil)
		finite := !math.IsNaN(newlk) && !math.IsInf(newlk, 0)
		if finite && math.Abs(1-lk/newlk) <= coxEps {
			return newbeta, lk0, newlk, nu, ninfo, iter, true
		}
		if !finite || newlk < lk {
			halving++
			for j := range newbeta {
				newbeta[j] = (newbeta[j] + float64(halving)*beta[j]) / (float64(halving) + 1)
			}
			continue
		}
		halving = 0
		lk, u, info = newlk, nu, ninfo
		beta = append([]float64(nil), newbeta...)
		newbeta = addStep(newbeta, factor(info, cholTol).solve(u))
	}
	// Ran out of iterations: back to the last good beta, as coxfit6.
	lk, u, info = m.iter(beta, nil)
	return beta, lk0, lk, u, info, iter, false
}

func addStep(b, s []float64) []float64 {
	out := make([]float64, len(b))
	for j := range b {
		out[j] = b[j] + s[j]
	}
	return out
}

// coxModel is CoxData validated, with centred covariates in rows and each
// stratum's rows ordered by descending stop and start.
type coxModel struct {
	n, p        int
	start, stop []float64 // start nil: right-censored
	event       []bool
	x           [][]float64 // x[i][j], centred
	w           []float64
	strata      []coxStratum
	fg          *fgExtension // Fine-Gray's competing exiters; nil for a plain Cox model
}

type coxStratum struct {
	byStop, byStart []int
}

func newCoxModel(d CoxData) (*coxModel, error) {
	n, p := len(d.Stop), len(d.X)
	if p == 0 {
		return nil, fmt.Errorf("no covariates")
	}
	if len(d.Event) != n || (d.Start != nil && len(d.Start) != n) || (d.Strata != nil && len(d.Strata) != n) ||
		(d.Weight != nil && len(d.Weight) != n) || (d.Cluster != nil && len(d.Cluster) != n) {
		return nil, fmt.Errorf("%d stop times but %d starts, %d events, %d strata, %d weights, %d clusters",
			n, len(d.Start), len(d.Event), len(d.Strata), len(d.Weight), len(d.Cluster))
	}
	m := &coxModel{n: n, p: p, start: d.Start, stop: d.Stop, event: d.Event, x: make([][]float64, n), w: d.Weight}
	if m.w == nil {
		m.w = make([]float64, n)
		for i := range m.w {
			m.w[i] = 1
		}
	}
	for i := 0; i < n; i++ {
		if !finite(d.Stop[i]) || (d.Start != nil && !(finite(d.Start[i]) && d.Start[i] < d.Stop[i])) {
			return nil, fmt.Errorf("row %d: interval (%v, %v], want finite times with start < stop", i, startOf(d.Start, i), d.Stop[i])
		}
		if !(m.w[i] > 0) || math.IsInf(m.w[i], 0) {
			return nil, fmt.Errorf("row %d: weight %v, want a finite weight > 0", i, m.w[i])
		}
		m.x[i] = make([]float64, p)
	}
	for j, col := range d.X {
		if len(col) != n {
			return nil, fmt.Errorf("covariate %d has %d values for %d rows", j, len(col), n)
		}
		mean := 0.0
		for i, v := range col {
			if !finite(v) {
				return nil, fmt.Errorf("row %d: covariate %d is %v", i, j, v)
			}
			mean += v
		}
		mean /= float64(n)
		for i, v := range col {
			m.x[i][j] = v - mean // the fit does not depend on the centring
		}
	}
	m.strata = groupStrata(n, d.Strata, d.Start, d.Stop)
	return m, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func startOf(s []float64, i int) float64 {
	if s == nil {
		return math.Inf(-1)
	}
	return s[i]
}

func groupStrata(n int, labels []string, start, stop []float64) []coxStratum {
	groups := map[string][]int{}
	var order []string
	for i := 0; i < n; i++ {
		l := ""
		if labels != nil {
			l = labels[i]
		}
		if _, ok := groups[l]; !ok {
			order = append(order, l)
		}
		groups[l] = append(groups[l], i)
	}
	sort.Strings(order)
	out := make([]coxStratum, 0, len(order))
	for _, l := range order {
		rows := groups[l]
		bs := append([]int(nil), rows...)
		sort.SliceStable(bs, func(a, b int) bool { return stop[bs[a]] > stop[bs[b]] })
		st := coxStratum{byStop: bs}
		if start != nil {
			st.byStart = append([]int(nil), rows...)
			sort.SliceStable(st.byStart, func(a, b int) bool { return start[st.byStart[a]] > start[st.byStart[b]] })
		}
		out = append(out, st)
	}
	return out
}
