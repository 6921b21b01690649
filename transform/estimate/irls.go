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
	rows         [][]entry
	shift, scale []float64 // column j enters as (x - shift[j]) / scale[j]
	intercept    int       // index of the all-ones column, or -1
}

type entry struct {
	j int
	v float64
}

func newWLSSystem(cols [][]float64, n int) wlsSystem {
	s := wlsSystem{p: len(cols), rows: make([][]entry, n), shift: make([]float64, len(cols)),
		scale: ones(len(cols)), intercept: -1}
	for j, c := range cols {
		if s.intercept < 0 && allEqual(c, 1) {
			s.intercept = j
		}
	}
	for j, c := range cols {
		if s.intercept < 0 || j == s.intercept || zeroOne(c) {
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
		}
	}
	for i := 0; i < n; i++ {
		for j, c := range cols {
			if x := (c[i] - s.shift[j]) / s.scale[j]; x != 0 {
				s.rows[i] = append(s.rows[i], entry{j, x})
			}
		}
	}
	return s
}

// solve is one weighted least-squares step, min sum w (z - X b)^2, by the
// normal equations; it returns b on the original scale of the columns
// (NaN for aliased columns) and the rank.
func (s wlsSystem) solve(z, w []float64) ([]float64, int) {
	a := newMatrix(s.p)
	rhs := make([]float64, s.p)
	for i, row := range s.rows {
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
