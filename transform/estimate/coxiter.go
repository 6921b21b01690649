package estimate

import (
	"math"
	"sort"
)

// coxSums are the running weighted risk-set sums of one stratum.
type coxSums struct {
	denom float64
	a     []float64
	cmat  [][]float64
}

func newCoxSums(p int) coxSums { return coxSums{a: make([]float64, p), cmat: newMatrix(p)} }

// add adds (sign 1) or removes (sign -1) row i with risk r = w exp(eta).
func (s *coxSums) add(x []float64, r, sign float64) {
	r *= sign
	s.denom += r
	for j, xj := range x {
		s.a[j] += r * xj
		for k := 0; k <= j; k++ {
			s.cmat[j][k] += r * xj * x[k]
		}
	}
}

// coxHazard records, for one event time of a stratum, what the score
// residuals need (hazard increments of the Efron terms and their means).
type coxHazard struct {
	time    float64
	h, hd   float64   // sum_k h_k and sum_k (k/d) h_k
	hx, hdx []float64 // the same weighted by xbar_k
	xb      []float64 // mean over k of xbar_k
	g       float64   // Fine-Gray: G at this time (0 otherwise)
}

// iter is agfit4's pass at beta: the Efron partial loglik, score and
// information. With rec != nil it also appends each stratum's event-time
// records (descending in time) to rec[stratum].
func (m *coxModel) iter(beta []float64, rec [][]coxHazard) (loglik float64, u []float64, imat [][]float64) {
	p := m.p
	u = make([]float64, p)
	imat = newMatrix(p)
	eta := make([]float64, m.n)
	for i := range eta {
		for j, b := range beta {
			eta[i] += b * m.x[i][j]
		}
	}
	for si, st := range m.strata {
		sums, ext := newCoxSums(p), m.extSums(st, eta)
		i2 := 0
		for i1 := 0; i1 < len(st.byStop); {
			t := m.stop[st.byStop[i1]]
			var deaths []int
			for ; i1 < len(st.byStop) && m.stop[st.byStop[i1]] == t; i1++ {
				i := st.byStop[i1]
				sums.add(m.x[i], m.w[i]*math.Exp(eta[i]), 1)
				if m.event[i] {
					deaths = append(deaths, i)
				}
				if m.fg != nil && m.fg.base[i] > 0 {
					ext.add(m.x[i], m.w[i]*math.Exp(eta[i])/m.fg.base[i], -1) // back to its own row
				}
			}
			for ; st.byStart != nil && i2 < len(st.byStart) && m.start[st.byStart[i2]] >= t; i2++ {
				i := st.byStart[i2]
				sums.add(m.x[i], m.w[i]*math.Exp(eta[i]), -1)
			}
			if len(deaths) == 0 {
				continue
			}
			risk, g := &sums, 0.0
			if m.fg != nil {
				g = m.fg.at(t)
				risk = combine(&sums, &ext, g)
			}
			hz := m.efron(risk, deaths, eta, &loglik, u, imat)
			if rec != nil {
				hz.time, hz.g = t, g
				rec[si] = append(rec[si], hz)
			}
		}
	}
	for j := 0; j < p; j++ {
		for k := j + 1; k < p; k++ {
			imat[j][k] = imat[k][j]
		}
	}
	return loglik, u, imat
}

// fgExtension holds what the Fine-Gray model adds to a right-censored Cox
// model of one row per person (see FineGray): a person with a competing
// exit at T stays at risk after T with weight w G(t)/G(T), G the censoring
// curve read as finegray does (cp2 of the interval holding t).
type fgExtension struct {
	base []float64 // G(T) of each person with a competing exit, 0 for the others
	at   func(t float64) float64
}

// extSums starts a stratum's extension sums with every exiter in it (at
// weight w/G(T)); iter takes each out again when its own row enters.
func (m *coxModel) extSums(st coxStratum, eta []float64) coxSums {
	ext := newCoxSums(m.p)
	if m.fg == nil {
		return ext
	}
	for _, i := range st.byStop {
		if m.fg.base[i] > 0 {
			ext.add(m.x[i], m.w[i]*math.Exp(eta[i])/m.fg.base[i], 1)
		}
	}
	return ext
}

// combine returns the risk-set sums a + g b.
func combine(a, b *coxSums, g float64) *coxSums {
	p := len(a.a)
	out := newCoxSums(p)
	out.denom = a.denom + g*b.denom
	for j := 0; j < p; j++ {
		out.a[j] = a.a[j] + g*b.a[j]
		for k := 0; k <= j; k++ {
			out.cmat[j][k] = a.cmat[j][k] + g*b.cmat[j][k]
		}
	}
	return &out
}

// efron adds one event time's Efron terms to loglik, u and imat (lower
// triangle) and returns its hazard record.
func (m *coxModel) efron(s *coxSums, deaths []int, eta []float64, loglik *float64, u []float64, imat [][]float64) coxHazard {
	p := m.p
	d2 := newCoxSums(p) // the deaths' own sums
	wd := 0.0
	for _, i := range deaths {
		d2.add(m.x[i], m.w[i]*math.Exp(eta[i]), 1)
		wd += m.w[i]
		*loglik += m.w[i] * eta[i]
		for j := range u {
			u[j] += m.w[i] * m.x[i][j]
		}
	}
	nd := float64(len(deaths))
	meanwt := wd / nd
	hz := coxHazard{hx: make([]float64, p), hdx: make([]float64, p), xb: make([]float64, p)}
	xbar := make([]float64, p)
	for k := 0; k < len(deaths); k++ {
		f := float64(k) / nd
		den := s.denom - f*d2.denom
		*loglik -= meanwt * math.Log(den)
		hk := meanwt / den
		hz.h += hk
		hz.hd += f * hk
		for j := 0; j < p; j++ {
			xbar[j] = (s.a[j] - f*d2.a[j]) / den
			u[j] -= meanwt * xbar[j]
			hz.hx[j] += hk * xbar[j]
			hz.hdx[j] += f * hk * xbar[j]
			hz.xb[j] += xbar[j] / nd
		}
		for j := 0; j < p; j++ {
			for l := 0; l <= j; l++ {
				imat[j][l] += meanwt * ((s.cmat[j][l]-f*d2.cmat[j][l])/den - xbar[j]*xbar[l])
			}
		}
	}
	return hz
}

// robustVar is coxph's sandwich variance V B V, B = sum over clusters of
// g g', g the cluster's sum of w_i r_i with r_i the (Efron) score residual
// of row i (survival's agscore3/coxscore2).
func (m *coxModel) robustVar(beta []float64, v [][]float64, cluster []string) [][]float64 {
	p := m.p
	rec := make([][]coxHazard, len(m.strata))
	m.iter(beta, rec)
	// g holds each cluster's sums, p at a time, the clusters numbered in
	// the order their first rows come; without clusters each row is its
	// own (coxph: cluster <- seq.int(1, nrow(mf))), met once.
	var g []float64
	var index map[string]int
	if cluster != nil {
		index = map[string]int{}
	}
	for si, st := range m.strata {
		cum := cumHazards(rec[si], p)
		for _, i := range st.byStop {
			r := m.scoreResidual(i, beta, cum)
			k, ok := len(g)/p, false
			if cluster != nil {
				if k, ok = index[cluster[i]]; !ok {
					k = len(g) / p
					index[cluster[i]] = k
				}
			}
			if !ok {
				g = append(g, make([]float64, p)...)
			}
			for j := range r {
				g[k*p+j] += m.w[i] * r[j]
			}
		}
	}
	b := newMatrix(p)
	for c := 0; c < len(g); c += p {
		for j := 0; j < p; j++ {
			for k := 0; k < p; k++ {
				b[j][k] += g[c+j] * g[c+k]
			}
		}
	}
	return sandwich(v, b)
}

func sandwich(v, b [][]float64) [][]float64 {
	p := len(v)
	vb := newMatrix(p)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			for k := 0; k < p; k++ {
				vb[i][j] += v[i][k] * b[k][j]
			}
		}
	}
	out := newMatrix(p)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			for k := 0; k < p; k++ {
				out[i][j] += vb[i][k] * v[k][j]
			}
		}
	}
	return out
}

// cumRecord is a stratum's event-time records in ascending time with
// cumulative sums of h and h xbar, and (Fine-Gray) of G h and G h xbar.
type cumRecord struct {
	times   []float64
	h, gh   []float64   // cumulative sums up to and including times[k]
	hx, ghx [][]float64 // likewise for h xbar and G h xbar
	at      []coxHazard
}

func cumHazards(desc []coxHazard, p int) cumRecord {
	n := len(desc)
	c := cumRecord{times: make([]float64, n), h: make([]float64, n), gh: make([]float64, n),
		hx: make([][]float64, n), ghx: make([][]float64, n), at: make([]coxHazard, n)}
	run, grun, runx, grunx := 0.0, 0.0, make([]float64, p), make([]float64, p)
	for k := 0; k < n; k++ {
		hz := desc[n-1-k]
		c.at[k] = hz
		c.times[k] = hz.time
		run += hz.h
		grun += hz.g * hz.h
		c.h[k], c.gh[k] = run, grun
		for j := range runx {
			runx[j] += hz.hx[j]
			grunx[j] += hz.g * hz.hx[j]
		}
		c.hx[k] = append([]float64(nil), runx...)
		c.ghx[k] = append([]float64(nil), grunx...)
	}
	return c
}

// upTo returns the index of the last event time <= t (-1 if none).
func (c cumRecord) upTo(t float64) int {
	return sort.Search(len(c.times), func(k int) bool { return c.times[k] > t }) - 1
}

// span returns the sums of h and h xbar over event times in (from, to]
// (from = index of the last time <= start, to = that of stop), from the
// plain (g false) or G-weighted sums.
func (c cumRecord) span(from, to int, g bool) (float64, []float64) {
	h, hx := c.h, c.hx
	if g {
		h, hx = c.gh, c.ghx
	}
	sx := make([]float64, len(c.hx[0]))
	if to < 0 {
		return 0, sx
	}
	sh := h[to]
	copy(sx, hx[to])
	if from >= 0 {
		sh -= h[from]
		for j := range sx {
			sx[j] -= hx[from][j]
		}
	}
	return sh, sx
}

// scoreResidual is row i's score residual (not weighted): the event term
// x_i - mean xbar at its own death time, minus its risk times
// sum_k c_k h_k (x_i - xbar_k) over the event times of (start, stop], with
// c_k = 1 - k/d for its own tied death's terms and 1 otherwise. A
// Fine-Gray exiter adds the same sum over the times after its exit, each
// weighted G(t)/G(T): the residuals of all its expanded rows, each
// multiplied by its row weight relative to the person's.
func (m *coxModel) scoreResidual(i int, beta []float64, c cumRecord) []float64 {
	p := m.p
	if len(c.times) == 0 {
		return make([]float64, p)
	}
	x := m.x[i]
	eta := 0.0
	for j, b := range beta {
		eta += b * x[j]
	}
	risk := math.Exp(eta)
	kStop, kStart := c.upTo(m.stop[i]), -1
	if m.start != nil {
		kStart = c.upTo(m.start[i])
	}
	dh, dhx := c.span(kStart, kStop, false)
	r := make([]float64, p)
	for j := 0; j < p; j++ {
		r[j] = -risk * (x[j]*dh - dhx[j])
	}
	if m.fg != nil && m.fg.base[i] > 0 {
		gh, ghx := c.span(kStop, len(c.times)-1, true)
		for j := 0; j < p; j++ {
			r[j] -= risk * (x[j]*gh - ghx[j]) / m.fg.base[i]
		}
	}
	if m.event[i] && kStop >= 0 && c.times[kStop] == m.stop[i] {
		hz := c.at[kStop]
		for j := 0; j < p; j++ {
			r[j] += x[j] - hz.xb[j] + risk*(x[j]*hz.hd-hz.hdx[j])
		}
	}
	return r
}
