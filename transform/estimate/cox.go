package estimate

import (
	"fmt"
	"math"
	"sort"
)

// coxph.control() defaults.
const (
	coxEps      = 1e-9                   // eps: relative change in the loglik
	coxTolerInf = 3.1622776601683795e-05 // toler.inf = sqrt(eps)
	coxIterMax  = 20                     // iter.max
)

// Cox is a one-covariate Cox proportional hazards fit.
type Cox struct {
	N      int // observations used
	Events int // events
	// Coef is the log hazard ratio per unit of x; SE its standard error
	// (sqrt of the inverse information); HR = exp(Coef); Lower and Upper the
	// 95% Wald limits exp(Coef -/+ 1.959963984540054 SE); WaldP the
	// two-sided Wald p-value, pchisq((Coef/SE)^2, 1, lower = FALSE).
	Coef, SE, HR, Lower, Upper, WaldP float64
	// Iter is the number of Newton-Raphson iterations, coxph's fit$iter
	// (iter.max + 1 = 21 when it ran out of iterations, 0 with no events).
	Iter int
	// Converged is true only when a finite coefficient was estimated and R
	// would fit it without a warning. When false, see CoxPH for what the
	// other fields hold.
	Converged bool
}

// CoxPH fits coxph(Surv(time, event) ~ x + strata(strata), ties = "efron")
// with coxph's defaults: Newton-Raphson from beta = 0, convergence when the
// relative change in the partial loglik is <= 1e-9, at most 20 iterations,
// step-halving when the loglik gets worse. It follows survival's C routine
// coxfit6 (including its centring and scaling of x unless x is all in
// {-1, 0, 1}) and the checks R's coxph.fit makes afterwards.
//
// strata == nil means one stratum; otherwise strata[i] is person i's
// stratum label (ties and risk sets never cross strata). A stratum of one
// person is allowed and contributes nothing.
//
// Cases where R gives no usable estimate; Converged is false in all of them:
//
//   - No events: R returns coefficient NA with iter 0. Coef, SE, HR, Lower,
//     Upper and WaldP are NaN; Iter = 0.
//   - Zero information (x constant, or no contrast in x at any event time):
//     R returns coefficient NA. All estimates NaN; Iter as R.
//   - Divergence (monotone likelihood, e.g. every event in one group): R
//     either warns "Loglik converged before variable 1; coefficient may be
//     infinite" or "Ran out of iterations and did not converge" and prints
//     a large finite coefficient with an enormous SE and a p-value near 1,
//     none of which means anything. Here Coef is +Inf or -Inf (the
//     direction R's iterations went), HR = exp(Coef) is +Inf or 0, and SE,
//     Lower, Upper and WaldP are NaN. Iter is R's iteration count.
//
// Mismatched slice lengths, and times or x that are not finite (or times
// < 0), are caller bugs and panic.
//
// It is long because it is coxph's Newton-Raphson loop with its step
// halving and convergence tests, kept in R's order so it can be read
// beside R's code (coxfit6); its score and information are the
// frame's (coxFrame.iter).
func CoxPH(obs []Obs, x []float64, strata []string) Cox {
	n := len(obs)
	if len(x) != n || (strata != nil && len(strata) != n) {
		panic(fmt.Sprintf("estimate.CoxPH: %d obs, %d x, %d strata", n, len(x), len(strata)))
	}
	for i := range obs {
		if math.IsNaN(obs[i].Time) || math.IsInf(obs[i].Time, 0) || obs[i].Time < 0 ||
			math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			panic(fmt.Sprintf("estimate.CoxPH: obs[%d] time %v, x %v", i, obs[i].Time, x[i]))
		}
	}
	nan := math.NaN()
	res := Cox{N: n, Coef: nan, SE: nan, HR: nan, Lower: nan, Upper: nan, WaldP: nan}
	for _, o := range obs {
		if o.Event {
			res.Events++
		}
	}
	if res.Events == 0 {
		return res // coxph: "no events" short cut, iter 0, coefficient NA
	}

	// Sort by stratum, then time (coxph.fit: order(strata, time)).
	f := newCoxFrame(obs, x, strata)

	// Newton-Raphson, as coxfit6.
	beta := 0.0
	loglik, u, info := f.iter(beta)
	a := chsolve(info, u)
	newbeta := beta + a
	halving := 0
	var newlk float64
	iter := 1
	converged := false
	for ; iter <= coxIterMax; iter++ {
		newlk, u, info = f.iter(newbeta)
		finite := !math.IsNaN(u) && !math.IsInf(u, 0) && !math.IsNaN(info) && !math.IsInf(info, 0) &&
			!math.IsNaN(newlk) && !math.IsInf(newlk, 0)
		if finite && math.Abs(1-loglik/newlk) <= coxEps {
			loglik = newlk
			beta = newbeta
			converged = true
			break
		}
		if !finite || newlk < loglik {
			halving++ // get more aggressive when it doesn't work
			newbeta = (newbeta + float64(halving)*beta) / (float64(halving) + 1)
		} else {
			halving = 0
			loglik = newlk
			step := chsolve(info, u)
			beta = newbeta
			newbeta += step
		}
	}
	if !converged {
		// Ran out of iterations: coxfit6 goes back to the last good beta.
		_, u, info = f.iter(beta)
	}
	res.Iter = iter

	coef := beta * f.scale
	if singular(info) {
		return res // coxph.fit: which.sing -> coefficient NA
	}
	variance := f.scale * f.scale / info
	score := u / f.scale
	infinite := !converged
	if converged {
		// coxph.fit's check after convergence.
		infs := math.Abs(score * variance)
		infinite = math.IsNaN(score) || math.IsInf(score, 0) ||
			(infs > coxEps && infs > coxTolerInf*math.Abs(coef))
	}
	if infinite {
		res.Coef = math.Copysign(math.Inf(1), coef)
		res.HR = math.Exp(res.Coef)
		return res
	}
	se := math.Sqrt(variance)
	res.Coef, res.SE, res.HR = coef, se, math.Exp(coef)
	res.Lower = math.Exp(coef - Z975*se)
	res.Upper = math.Exp(coef + Z975*se)
	res.WaldP = math.Erfc(math.Abs(coef/se) / math.Sqrt2)
	res.Converged = true
	return res
}

// singular is cholesky2's test for a 1x1 matrix: the pivot must be finite
// and not below toler*pivot, i.e. positive.
func singular(info float64) bool {
	return !(info > 0) || math.IsInf(info, 0)
}

// chsolve is chsolve2 for a 1x1 matrix: u/info, or 0 when singular.
func chsolve(info, u float64) float64 {
	if singular(info) {
		return 0
	}
	return u / info
}

// coxFrame is the data sorted by stratum and time, x centred and scaled as
// coxfit6 does.
type coxFrame struct {
	time  []float64
	event []bool
	x     []float64
	last  []bool // last person (in sorted order) of a stratum
	scale float64
}

func newCoxFrame(obs []Obs, x []float64, strata []string) *coxFrame {
	n := len(obs)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	label := func(i int) string {
		if strata == nil {
			return ""
		}
		return strata[i]
	}
	sort.SliceStable(idx, func(a, b int) bool {
		la, lb := label(idx[a]), label(idx[b])
		if la != lb {
			return la < lb
		}
		return obs[idx[a]].Time < obs[idx[b]].Time
	})
	f := &coxFrame{time: make([]float64, n), event: make([]bool, n), x: make([]float64, n),
		last: make([]bool, n), scale: 1}
	zeroOne := true
	for k, i := range idx {
		f.time[k], f.event[k], f.x[k] = obs[i].Time, obs[i].Event, x[i]
		f.last[k] = k == n-1 || label(idx[k+1]) != label(i)
		if x[i] != -1 && x[i] != 0 && x[i] != 1 {
			zeroOne = false
		}
	}
	if !zeroOne {
		// coxph's nocenter = c(-1, 0, 1): other covariates are centred on
		// their mean and scaled by 1/mean absolute deviation.
		mean := 0.0
		for _, v := range f.x {
			mean += v
		}
		mean /= float64(n)
		mad := 0.0
		for k := range f.x {
			f.x[k] -= mean
			mad += math.Abs(f.x[k])
		}
		if mad > 0 {
			f.scale = float64(n) / mad
		}
		for k := range f.x {
			f.x[k] *= f.scale
		}
	}
	return f
}

// iter is coxfit6_iter for one covariate and unit weights: the Efron
// partial loglik, score and information at beta (on the scaled x).
func (f *coxFrame) iter(beta float64) (loglik, u, imat float64) {
	var denom, a, cmat float64
	for person := len(f.time) - 1; person >= 0; {
		if f.last[person] {
			denom, a, cmat = 0, 0, 0
		}
		dtime := f.time[person]
		ndead := 0
		var denom2, a2, cmat2 float64
		for person >= 0 && f.time[person] == dtime {
			xi := f.x[person]
			zbeta := beta * xi
			risk := math.Exp(zbeta)
			if !f.event[person] {
				denom += risk
				a += risk * xi
				cmat += risk * xi * xi
			} else {
				ndead++
				denom2 += risk
				loglik += zbeta
				u += xi
				a2 += risk * xi
				cmat2 += risk * xi * xi
			}
			person--
			if person >= 0 && f.last[person] {
				break // ties don't cross strata
			}
		}
		if ndead == 0 {
			continue
		}
		if ndead == 1 {
			denom += denom2
			loglik -= math.Log(denom)
			a += a2
			mean := a / denom
			u -= mean
			cmat += cmat2
			imat += (cmat - mean*a) / denom
			continue
		}
		// Efron: the tied deaths enter the risk-set sums 1/ndead at a
		// time, one term per death.
		nd := float64(ndead)
		for k := 0; k < ndead; k++ {
			denom += denom2 / nd
			loglik -= math.Log(denom)
			a += a2 / nd
			mean := a / denom
			u -= mean
			cmat += cmat2 / nd
			imat += (cmat - mean*a) / denom
		}
	}
	return loglik, u, imat
}
