package estimate

import (
	"fmt"
	"math"
	"sort"
)

// Z975 is the 97.5% standard normal quantile, R's qnorm(0.975), used for
// every 95% interval in this package.
const Z975 = 1.959963984540054

// medianTol is survival:::survmean's tolerance, sqrt(.Machine$double.eps).
const medianTol = 1.4901161193847656e-08

// Obs is one person: Time >= 0 (days) is the end of follow-up, Event is true
// if the event was seen at Time (otherwise the person is censored there).
type Obs struct {
	Time  float64
	Event bool
}

// KMStep is one row of the Kaplan-Meier table: one distinct time (event or
// censoring), as in summary(survfit(...), censored = TRUE).
type KMStep struct {
	Time    float64 // the distinct time
	NRisk   int     // people with follow-up >= Time
	NEvent  int     // events at Time
	NCensor int     // censored at Time
	// Surv is the Kaplan-Meier estimate of S(Time), the product over event
	// times t <= Time of (NRisk-NEvent)/NRisk.
	Surv float64
	// StdErr is survfit's fit$std.err: the Greenwood standard error of the
	// cumulative hazard, i.e. of log S, sqrt(sum d/(n(n-d))) over event
	// times <= Time. It is not the standard error of S (that is Surv*StdErr).
	// It is +Inf once everyone at risk has died (n = d), as in R.
	StdErr float64
	// Lower and Upper are survfit's conf.type = "log" 95% limits,
	// exp(log S -/+ 1.96 StdErr), Upper capped at 1. Both are NaN when
	// Surv = 0 (R gives NA).
	Lower, Upper float64
}

// KM is a Kaplan-Meier curve.
type KM struct {
	N      int      // people
	Events int      // events
	Steps  []KMStep // one per distinct time, ascending; empty when N = 0
}

// KaplanMeier fits the Kaplan-Meier curve of obs, exactly as
// survfit(Surv(time, event) ~ 1) with its defaults (Greenwood variance,
// conf.type "log", conf.int 0.95), following survival's C routine
// survfitkm and R's survfit_confint.
//
// Times must be finite and >= 0; anything else is a caller bug and panics.
// Empty input gives N = 0 and no steps.
func KaplanMeier(obs []Obs) KM {
	for i, o := range obs {
		if math.IsNaN(o.Time) || math.IsInf(o.Time, 0) || o.Time < 0 {
			panic(fmt.Sprintf("estimate.KaplanMeier: obs[%d].Time = %v, want a finite time >= 0", i, o.Time))
		}
	}
	sorted := append([]Obs(nil), obs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Time < sorted[j].Time })

	km := KM{N: len(sorted)}
	surv, v := 1.0, 0.0
	for i := 0; i < len(sorted); {
		t := sorted[i].Time
		nrisk := len(sorted) - i
		d, c := 0, 0
		for ; i < len(sorted) && sorted[i].Time == t; i++ {
			if sorted[i].Event {
				d++
			} else {
				c++
			}
		}
		if d > 0 {
			n, dd := float64(nrisk), float64(d)
			surv *= (n - dd) / n
			v += dd / (n * (n - dd)) // +Inf when n = d, as in survfitkm
		}
		km.Events += d
		se := math.Sqrt(v)
		lo, up := logLimits(surv, se)
		km.Steps = append(km.Steps, KMStep{Time: t, NRisk: nrisk, NEvent: d, NCensor: c,
			Surv: surv, StdErr: se, Lower: lo, Upper: up})
	}
	return km
}

// logLimits is survfit_confint for conf.type "log": NA (NaN) when S = 0,
// otherwise exp(log S -/+ z se) with the upper limit capped at 1.
func logLimits(s, se float64) (lower, upper float64) {
	if s == 0 {
		return math.NaN(), math.NaN()
	}
	ls := math.Log(s)
	return math.Exp(ls - Z975*se), math.Min(math.Exp(ls+Z975*se), 1)
}

// At reads the curve at horizon h (days), as R's summary(fit, times = h):
// S and its 95% limits at the last step with Time <= h. Before the first
// step (and before the first event) S is 1 with limits 1 and 1.
//
// ok is false when the curve cannot answer: h is NaN, there are no
// observations, or h is beyond every follow-up time (h > the largest Time in
// the data), where R's summary refuses ("no points selected") and the
// caller should say "insufficient follow-up". h equal to the largest time is
// answered (ok = true), as R does. If the curve has reached 0 the limits are
// NaN, as R's NA.
func (k KM) At(h float64) (surv, lower, upper float64, ok bool) {
	if len(k.Steps) == 0 || math.IsNaN(h) || h > k.Steps[len(k.Steps)-1].Time {
		return math.NaN(), math.NaN(), math.NaN(), false
	}
	// first step with Time > h; the one before it is the answer.
	i := sort.Search(len(k.Steps), func(i int) bool { return k.Steps[i].Time > h })
	if i == 0 {
		return 1, 1, 1, true
	}
	s := k.Steps[i-1]
	return s.Surv, s.Lower, s.Upper, true
}

// Median returns the median survival time and its 95% limits exactly as
// print(survfit(...)) reports median, 0.95LCL and 0.95UCL. It follows
// survival:::survmean (its inner minmin), applied to Surv for the median,
// to Lower for the LCL and to Upper for the UCL:
//
//   - only steps whose value is not NA and is < 0.5 + tol count
//     (tol = sqrt(machine epsilon)); if there are none the answer is NaN
//     (R's NA: median not reached, or the limit curve never gets to 0.5);
//   - the answer is the Time of the first such step, except when that
//     step's value is 0.5 within tol and the curve later drops below it:
//     then it is the midpoint between that Time and the Time of the first
//     later step with a smaller value (S exactly 0.5 over a flat segment).
//
// Lower is NaN once S = 0, so an LCL/UCL can be NaN even when the median
// exists.
func (k KM) Median() (median, lcl, ucl float64) {
	surv := make([]float64, len(k.Steps))
	lo := make([]float64, len(k.Steps))
	up := make([]float64, len(k.Steps))
	times := make([]float64, len(k.Steps))
	for i, s := range k.Steps {
		surv[i], lo[i], up[i], times[i] = s.Surv, s.Lower, s.Upper, s.Time
	}
	return minmin(surv, times), minmin(lo, times), minmin(up, times)
}

// minmin is survival:::survmean's minmin(y, x).
func minmin(y, x []float64) float64 {
	var ky, kx []float64
	for i := range y {
		if !math.IsNaN(y[i]) && y[i] < 0.5+medianTol {
			ky = append(ky, y[i])
			kx = append(kx, x[i])
		}
	}
	if len(ky) == 0 {
		return math.NaN()
	}
	if math.Abs(ky[0]-0.5) < medianTol {
		for j := range ky {
			if ky[j] < ky[0] {
				return (kx[0] + kx[j]) / 2
			}
		}
	}
	return kx[0]
}
