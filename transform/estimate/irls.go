package estimate

import "math"

// aliasTol marks a design column as aliased (R's NA coefficient) when its
// pivot in the Cholesky factorisation of X'WX falls below aliasTol times its
// diagonal element, i.e. when less than sqrt(aliasTol) = 3e-5 of its
// (weighted, standardised) norm is left after the columns before it. R's QR
// (dqrdc2, tolerance 1e-11 on the norm) makes the same choice for exactly
// aliased columns, which is what model matrices of factors produce; only a
// column collinear to within 3e-5 but not exactly would be treated
// differently.
const aliasTol = 1e-9

// wlsSystem is a design prepared for the IRLS steps: each row's non-zero
// entries (a factor's indicators are mostly 0), and numeric columns
// standardised when there is an intercept (the fit does not change, the
// conditioning does).
type wlsSystem struct {
	p            int
	rows         sparseRows
	shift, scale []float64 // column j enters as (x - shift[j]) / scale[j]
	intercept    int       // index of the all-ones column, or -1
}

type entry struct {
	j int
	v float64
}

// sparseRows are a design's non-zero entries row by row, each row's in
// column order: row i is ent[start[i]:start[i+1]]. Laid out in one array,
// not a slice per row: a propensity model has a million rows of about
// eight entries.
type sparseRows struct {
	start []int
	ent   []entry
}

func (s sparseRows) row(i int) []entry { return s.ent[s.start[i]:s.start[i+1]] }

// newWLSSystem prepares x, whose non-zero entries are values, for the
// IRLS steps.
func newWLSSystem(x Design, values sparseRows) wlsSystem {
	n := x.N
	s := wlsSystem{p: x.P(), shift: make([]float64, x.P()),
		scale: ones(x.P()), intercept: -1}
	for j := range x.P() {
		if s.intercept < 0 && x.allOnes(j) {
			s.intercept = j
		}
	}
	var std []int // the standardised columns, in order
	for j, col := range x.cols {
		c := col.values // only a numeric term's column is standardised
		if s.intercept < 0 || j == s.intercept || c == nil || zeroOne(c) {
			continue
		}
		m, v := 0.0, 0.0
		for _, x := range c {
			m += x
		}
		m /= float64(n)
		for _, x := range c {
			v += (x - m) * (x - m)
		}
		if sd := math.Sqrt(v / float64(n)); sd > 0 {
			s.shift[j], s.scale[j] = m, sd
			std = append(std, j)
		}
	}
	// Each row's entries are its values, except in the standardised
	// columns, whose (x - shift) / scale is not 0 where x is.
	s.rows = sparseRows{start: make([]int, n+1), ent: make([]entry, 0, len(values.ent)+n*len(std))}
	for i := range n {
		k := 0
		add := func() {
			j := std[k]
			if v := (x.cols[j].values[i] - s.shift[j]) / s.scale[j]; v != 0 {
				s.rows.ent = append(s.rows.ent, entry{j, v})
			}
			k++
		}
		for _, e := range values.row(i) {
			for k < len(std) && std[k] < e.j {
				add()
			}
			if k < len(std) && std[k] == e.j {
				add()
				continue
			}
			s.rows.ent = append(s.rows.ent, e)
		}
		for k < len(std) {
			add()
		}
		s.rows.start[i+1] = len(s.rows.ent)
	}
	return s
}

// solve is one weighted least-squares step, min sum w (z - X b)^2, by the
// normal equations; it returns b on the original scale of the columns
// (NaN for aliased columns) and the rank.
func (s wlsSystem) solve(z, w []float64) ([]float64, int) {
	a := newMatrix(s.p)
	rhs := make([]float64, s.p)
	for i := range len(s.rows.start) - 1 {
		row := s.rows.row(i)
		for k, e := range row {
			we := w[i] * e.v
			rhs[e.j] += we * z[i]
			for _, f := range row[:k+1] {
				a[e.j][f.j] += we * f.v // e.j >= f.j: columns are in order
			}
		}
	}
	for j := 0; j < s.p; j++ {
		for k := j + 1; k < s.p; k++ {
			a[j][k] = a[k][j]
		}
	}
	ch := factorColumns(a, aliasTol)
	b := ch.solve(rhs)
	rank := 0
	icpt := 0.0
	for j := range b {
		if ch.sing[j] {
			b[j] = math.NaN()
			continue
		}
		rank++
		icpt += b[j] * s.shift[j] / s.scale[j]
		b[j] /= s.scale[j]
	}
	if s.intercept >= 0 && !ch.sing[s.intercept] {
		b[s.intercept] -= icpt
	}
	return b, rank
}

// factorColumns is factor with each pivot judged against its own column's
// diagonal element rather than the largest one.
func factorColumns(a [][]float64, tol float64) chol {
	p := len(a)
	l := newMatrix(p)
	for i := range a {
		copy(l[i], a[i])
	}
	sing := make([]bool, p)
	for i := 0; i < p; i++ {
		pivot := l[i][i]
		if !(pivot > tol*a[i][i]) || math.IsInf(pivot, 0) {
			sing[i] = true
			for j := i; j < p; j++ {
				l[j][i] = 0
			}
			continue
		}
		for j := i + 1; j < p; j++ {
			temp := l[j][i] / pivot
			l[j][i] = temp
			l[j][j] -= temp * temp * pivot
			for k := j + 1; k < p; k++ {
				l[k][j] -= temp * l[k][i]
			}
		}
	}
	return chol{l: l, sing: sing}
}

func allEqual(c []float64, v float64) bool {
	for _, x := range c {
		if x != v {
			return false
		}
	}
	return len(c) > 0
}

func zeroOne(c []float64) bool {
	for _, x := range c {
		if x != 0 && x != 1 {
			return false
		}
	}
	return true
}
