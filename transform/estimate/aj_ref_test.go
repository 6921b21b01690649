package estimate

import (
	"math"
	"sort"
)

// ajBruteForce is the first, O(n x times) implementation of the
// infinitesimal jackknife: one influence per person carried through the
// recursion. The tests hold AalenJohansen equal to it on random data.
func ajBruteForce(time []float64, status []int, weight []float64) (AJ, error) {
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
			ajUpdateBF(&p, infl, idx, status, k, end, d, wrisk[k])
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

// ajUpdateBF applies one event time to p and to the influence of every
// person: positions [k, n) are at risk, [k, end) have their time here,
// d holds the weighted transitions and wr the weighted risk set.
func ajUpdateBF(p *[3]float64, infl [3][]float64, idx, status []int, k, end int, d [3]float64, wr float64) {
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
