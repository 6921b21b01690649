package estimate

import "math"

// Small dense symmetric linear algebra for the Newton-Raphson and IRLS fits
// (p x p with p up to a few hundred). Matrices are [][]float64, row-major.

// cholTol is coxph.control()'s toler.chol, .Machine$double.eps^0.75: a
// pivot below cholTol times the largest diagonal element marks its column
// as singular, as survival's cholesky2 does.
const cholTol = 1.8189894035458617e-12

// chol is an LDL' factorisation of a symmetric positive semi-definite
// matrix, following survival's cholesky2: columns whose pivot is too small
// are marked singular and treated as absent (their solution is 0).
type chol struct {
	l    [][]float64 // unit lower triangle below the diagonal, D on it
	sing []bool
}

func newMatrix(p int) [][]float64 {
	m := make([][]float64, p)
	buf := make([]float64, p*p)
	for i := range m {
		m[i] = buf[i*p : (i+1)*p]
	}
	return m
}

func factor(a [][]float64, tol float64) chol {
	p := len(a)
	l := newMatrix(p)
	for i := range a {
		copy(l[i], a[i])
	}
	eps := 0.0
	for i := 0; i < p; i++ {
		eps = math.Max(eps, math.Abs(l[i][i]))
	}
	eps *= tol
	sing := make([]bool, p)
	for i := 0; i < p; i++ {
		pivot := l[i][i]
		if math.IsInf(pivot, 0) || math.IsNaN(pivot) || pivot < eps || pivot == 0 {
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

// solve returns x with A x = b, 0 in the singular columns (chsolve2).
func (c chol) solve(b []float64) []float64 {
	p := len(b)
	x := append([]float64(nil), b...)
	for i := 0; i < p; i++ {
		for j := 0; j < i; j++ {
			x[i] -= x[j] * c.l[i][j]
		}
	}
	for i := p - 1; i >= 0; i-- {
		if c.sing[i] {
			x[i] = 0
			continue
		}
		x[i] /= c.l[i][i]
		for j := i + 1; j < p; j++ {
			x[i] -= x[j] * c.l[j][i]
		}
	}
	return x
}

// inverse returns A^-1 with zero rows and columns for singular columns
// (chinv2's generalised inverse).
func (c chol) inverse() [][]float64 {
	p := len(c.l)
	inv := newMatrix(p)
	e := make([]float64, p)
	for j := 0; j < p; j++ {
		for i := range e {
			e[i] = 0
		}
		e[j] = 1
		col := c.solve(e)
		for i := 0; i < p; i++ {
			inv[i][j] = col[i]
		}
	}
	for i := 0; i < p; i++ {
		if c.sing[i] {
			for j := 0; j < p; j++ {
				inv[i][j], inv[j][i] = 0, 0
			}
		}
	}
	return inv
}

func anySingular(s []bool) bool {
	for _, v := range s {
		if v {
			return true
		}
	}
	return false
}
