package estimate

import (
	"fmt"
	"math"
	"sort"
)

// Competing-risk states, the columns of survfit's pstate for
// Surv(time, factor(status, 0:2)).
const (
	StateInitial = 0 // no event and no exit yet ("(s0)")
	StateEvent   = 1 // status 1: the event
	StateExit    = 2 // status 2: the competing exit
)

// AJStep is one distinct time (event, exit or censoring) of an
// Aalen-Johansen curve, a row of survfit's multi-state fit.
type AJStep struct {
	Time float64
	// NRisk is the number of people (unweighted) still in the initial
	// state with follow-up >= Time, survfit's n.risk[, 1].
	NRisk int
	// NEvent counts (unweighted) the transitions at Time into each state,
	// survfit's n.event: NEvent[StateEvent] events, NEvent[StateExit]
	// exits; NEvent[StateInitial] is always 0.
	NEvent  [3]int
	NCensor int // censored at Time
	// P is survfit's pstate after Time: P[StateEvent] is the cumulative
	// incidence of the event, P[StateExit] that of the exit, P[StateInitial]
	// the share in neither. They sum to 1.
	P [3]float64
	// SE is survfit's std.err of each P: the infinitesimal jackknife,
	// sqrt(sum_i (w_i dP/dw_i)^2) over people i.
	SE [3]float64
}

// AJ is an Aalen-Johansen fit of the competing-risk model.
type AJ struct {
	N      int      // people
	Events [3]int   // transitions into each state over all follow-up (unweighted)
	Steps  []AJStep // one per distinct time, ascending
}

// CIF is a state's probability read at a horizon, as summary(fit, times = h)
// reports it.
type CIF struct {
	P, SE float64
	// Lower and Upper are conf.type "log" 95% limits on P itself:
	// P exp(-/+ z SE/P), Upper capped at 1; NaN when P = 0 (R's NA) except
	// before the first time, where R gives Lower = Upper = P.
	Lower, Upper float64
	// Events counts (unweighted) the transitions into this state at times
	// <= h: summary(fit, times = h)$n.event for the state.
	Events int
}

// AalenJohansen fits the Aalen-Johansen estimator for one initial state and
// two absorbing states, exactly
//
//	survfit(Surv(time, factor(status, 0:2)) ~ 1, id = id, weights = weight)
//
// with one row per person (id unique): status 0 censored at time, 1 the
// event, 2 the competing exit. weight == nil means unweighted. At each
// distinct time t with weighted risk set W (follow-up >= t) and weighted
// events d1 and exits d2, P[1] += P[0] d1/W, P[2] += P[0] d2/W and
// P[0] *= 1 - (d1 + d2)/W; censorings at t leave after the events (they are
// in W). The standard errors are survival's infinitesimal jackknife: the
// derivative of each P with respect to each person's weight, carried
// through the same recursion (survfitCI, which supports no other variance
// for multi-state curves).
//
// Times must be finite and >= 0, status in {0, 1, 2}, weights finite and
// > 0; otherwise an error. Empty input gives N = 0 and no steps.
func AalenJohansen(time []float64, status []int, weight []float64) (AJ, error) {
	if err := checkCR("aalen-johansen", time, status, weight); err != nil {
		return AJ{}, err
	}
	n := len(time)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return time[idx[a]] < time[idx[b]] })
	w := func(i int) float64 {
		if weight == nil {
			return 1
		}
		return weight[i]
	}
	// wrisk is the weighted risk set from position k on.
	wrisk := make([]float64, n+1)
	for k := n - 1; k >= 0; k-- {
		wrisk[k] = wrisk[k+1] + w(idx[k])
	}
	aj := AJ{N: n}
	p := [3]float64{1, 0, 0}
	// infl[s][k]: dP[s]/dw of the person at sorted position k.
	var infl [3][]float64
	for s := range infl {
		infl[s] = make([]float64, n)
	}
	for k := 0; k < n; {
		t := time[idx[k]]
		step := AJStep{Time: t, NRisk: n - k}
		var d [3]float64
		end := k
		for ; end < n && time[idx[end]] == t; end++ {
			st := status[idx[end]]
			if st == 0 {
				step.NCensor++
			} else {
				step.NEvent[st]++
				d[st] += w(idx[end])
			}
		}
		moved := d[1]+d[2] > 0
		if moved {
			ajUpdate(&p, infl, idx, status, k, end, d, wrisk[k])
		}
		step.P = p
		if len(aj.Steps) > 0 {
			step.SE = aj.Steps[len(aj.Steps)-1].SE // a censoring-only time changes nothing
		}
		for s := 0; s < 3 && moved; s++ {
			v := 0.0
			for j := range infl[s] {
				u := w(idx[j]) * infl[s][j]
				v += u * u
			}
			step.SE[s] = math.Sqrt(v)
		}
		for s := 1; s < 3; s++ {
			aj.Events[s] += step.NEvent[s]
		}
		aj.Steps = append(aj.Steps, step)
		k = end
	}
	return aj, nil
}

// ajUpdate applies one event time to p and to the influence of every
// person: positions [k, n) are at risk, [k, end) have their time here,
// d holds the weighted transitions and wr the weighted risk set.
func ajUpdate(p *[3]float64, infl [3][]float64, idx, status []int, k, end int, d [3]float64, wr float64) {
	h1, h2 := d[1]/wr, d[2]/wr
	h := h1 + h2
	p0 := p[0]
	for j := range infl[0] {
		// dh_s/dw_j = (dN_js - Y_j h_s)/W
		var dh1, dh2 float64
		if j >= k {
			dh1, dh2 = -h1/wr, -h2/wr
			if j < end {
				switch status[idx[j]] {
				case 1:
					dh1 += 1 / wr
				case 2:
					dh2 += 1 / wr
				}
			}
		}
		u0 := infl[0][j]
		infl[0][j] = u0*(1-h) - p0*(dh1+dh2)
		infl[1][j] += u0*h1 + p0*dh1
		infl[2][j] += u0*h2 + p0*dh2
	}
	p[1] += p0 * h1
	p[2] += p0 * h2
	p[0] = p0 * (1 - h)
}

// At reads the curve at horizon h (days) as summary(fit, times = h): the
// values at the last step with Time <= h, for each state. Before the first
// step P = (1, 0, 0) with SE 0 and limits equal to P, as R reports.
//
// ok is false when R's summary refuses ("no points selected"): h is NaN,
// there are no people, or h is beyond every follow-up time. The caller
// reports NULL with "insufficient follow-up" then.
func (a AJ) At(h float64) (cif [3]CIF, ok bool) {
	if len(a.Steps) == 0 || math.IsNaN(h) || h > a.Steps[len(a.Steps)-1].Time {
		nan := math.NaN()
		for s := range cif {
			cif[s] = CIF{P: nan, SE: nan, Lower: nan, Upper: nan}
		}
		return cif, false
	}
	i := sort.Search(len(a.Steps), func(i int) bool { return a.Steps[i].Time > h })
	if i == 0 {
		cif[0] = CIF{P: 1, Lower: 1, Upper: 1}
		return cif, true
	}
	st := a.Steps[i-1]
	for s := range cif {
		lo, up := pstateLimits(st.P[s], st.SE[s])
		cif[s] = CIF{P: st.P[s], SE: st.SE[s], Lower: lo, Upper: up}
		for _, prev := range a.Steps[:i] {
			cif[s].Events += prev.NEvent[s]
		}
	}
	return cif, true
}

// pstateLimits is survfit_confint(p, se, logse = FALSE, conf.type = "log"):
// the standard error is that of p, so the log-scale one is se/p.
func pstateLimits(p, se float64) (lower, upper float64) {
	if p == 0 {
		return math.NaN(), math.NaN()
	}
	return logLimits(p, se/p)
}

// checkCR validates competing-risk input.
func checkCR(what string, time []float64, status []int, weight []float64) error {
	if len(status) != len(time) || (weight != nil && len(weight) != len(time)) {
		return fmt.Errorf("%s: %d times, %d statuses, %d weights", what, len(time), len(status), len(weight))
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return fmt.Errorf("%s: row %d: time %v, want a finite time >= 0", what, i, t)
		}
		if status[i] < 0 || status[i] > 2 {
			return fmt.Errorf("%s: row %d: status %d, want 0 (censored), 1 (event) or 2 (exit)", what, i, status[i])
		}
		if weight != nil && !(weight[i] > 0 && !math.IsInf(weight[i], 0)) {
			return fmt.Errorf("%s: row %d: weight %v, want a finite weight > 0", what, i, weight[i])
		}
	}
	return nil
}
