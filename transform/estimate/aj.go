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
// for multi-state curves), in O(n log n) time (see ajIJ).
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
	// wrisk and w2risk: sums of w and w^2 from sorted position k on.
	wrisk, w2risk := make([]float64, n+1), make([]float64, n+1)
	for k := n - 1; k >= 0; k-- {
		wk := w(idx[k])
		wrisk[k], w2risk[k] = wrisk[k+1]+wk, w2risk[k+1]+wk*wk
	}
	aj := AJ{N: n}
	ij := ajIJ{p: [3]float64{1, 0, 0}}
	for k := 0; k < n; {
		t := time[idx[k]]
		step := AJStep{Time: t, NRisk: n - k}
		var d, e2 [3]float64 // weighted transitions and their sums of w^2
		end := k
		for ; end < n && time[idx[end]] == t; end++ {
			st, wi := status[idx[end]], w(idx[end])
			if st == 0 {
				step.NCensor++
			} else {
				step.NEvent[st]++
				d[st] += wi
			}
			e2[st] += wi * wi
		}
		// those still at risk with no transition: later times and the
		// censored here (summed, not subtracted, so that it is exactly 0
		// when everyone at risk moved)
		ij.step(d, e2, wrisk[k], w2risk[end]+e2[0])
		step.P, step.SE = ij.p, ij.se()
		ij.depart()
		for s := 1; s < 3; s++ {
			aj.Events[s] += step.NEvent[s]
		}
		aj.Steps = append(aj.Steps, step)
		k = end
	}
	return aj, nil
}

// ajIJ carries the Aalen-Johansen estimate and its infinitesimal jackknife
// through time in O(1) per distinct time. The influence U_j = dP/dw_j of a
// person is the same for everyone still at risk without a transition (u0,
// q), and for everyone with the same transition at the current time (ev);
// after leaving, a person's influence on P[0] is c S(t) and on P[s]
// a_s + c P[s](t) with constants a_s, c (the recursion adds U_0 h_s and U_0
// shrinks with S), so the departed enter the variance only through sums of
// w^2 a^2, w^2 a c and w^2 c^2.
type ajIJ struct {
	p  [3]float64
	u0 float64    // dP[0]/dw of a person at risk with no transition yet
	q  [3]float64 // dP[s]/dw of the same (q[0] unused)
	ev [3][3]float64
	// the current time's groups: Σw^2 of those at risk without a
	// transition (r2) and of those with transition s (e2[s]; e2[0] is the
	// censored, who are also in r2)
	r2 float64
	e2 [3]float64
	// departed: Σ w^2 a_s^2, Σ w^2 a_s c, Σ w^2 c^2
	a2, ac [3]float64
	c2     float64
}

// step applies one distinct time: d the weighted transitions, e2 their
// sums of w^2 (e2[0]: the censored), wr the risk set's sum of w and r2 the
// sum of w^2 of those in it without a transition.
func (ij *ajIJ) step(d, e2 [3]float64, wr, r2 float64) {
	ij.e2 = e2
	ij.r2 = r2
	ij.ev = [3][3]float64{}
	if d[1]+d[2] == 0 {
		return
	}
	h1, h2 := d[1]/wr, d[2]/wr
	h := h1 + h2
	s := ij.p[0]
	u0 := ij.u0*(1-h) + s*h/wr // dh/dw_j = -h/W for those at risk
	q1 := ij.q[1] + ij.u0*h1 - s*h1/wr
	q2 := ij.q[2] + ij.u0*h2 - s*h2/wr
	for t := 1; t < 3; t++ {
		// a transition into t adds 1/W to dh_t/dw_j
		ij.ev[t] = [3]float64{u0 - s/wr, q1, q2}
		ij.ev[t][t] += s / wr
	}
	ij.u0, ij.q[1], ij.q[2] = u0, q1, q2
	ij.p[1] += s * h1
	ij.p[2] += s * h2
	ij.p[0] = s * (1 - h)
}

// se is the standard error of each P after the current time.
func (ij *ajIJ) se() [3]float64 {
	var out [3]float64
	for st := 0; st < 3; st++ {
		var v float64
		if st == 0 {
			v = ij.r2*ij.u0*ij.u0 + ij.p[0]*ij.p[0]*ij.c2
		} else {
			v = ij.r2*ij.q[st]*ij.q[st] + ij.a2[st] + 2*ij.p[st]*ij.ac[st] + ij.p[st]*ij.p[st]*ij.c2
		}
		for t := 1; t < 3; t++ {
			v += ij.e2[t] * ij.ev[t][st] * ij.ev[t][st]
		}
		out[st] = math.Sqrt(math.Max(v, 0))
	}
	return out
}

// depart moves the current time's transitions and censorings to the
// departed sums.
func (ij *ajIJ) depart() {
	leave := func(w2 float64, u [3]float64) {
		if w2 == 0 {
			return
		}
		c := 0.0 // once S is 0, P no longer moves and c does not matter
		if ij.p[0] > 0 {
			c = u[0] / ij.p[0]
		}
		ij.c2 += w2 * c * c
		for s := 1; s < 3; s++ {
			a := u[s] - c*ij.p[s]
			ij.a2[s] += w2 * a * a
			ij.ac[s] += w2 * a * c
		}
	}
	leave(ij.e2[0], [3]float64{ij.u0, ij.q[1], ij.q[2]})
	for t := 1; t < 3; t++ {
		leave(ij.e2[t], ij.ev[t])
	}
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

// Limits are the 95% limits of P[state] after the step, as At reports
// them (conf.type "log" on P; NaN when P is 0).
func (s AJStep) Limits(state int) (lower, upper float64) {
	return pstateLimits(s.P[state], s.SE[state])
}
