package estimate

import (
	"fmt"
	"math"
	"testing"
)

func TestWilson(t *testing.T) {
	tb := readTable(t, "wilson.csv")
	edges := 0
	for _, r := range tb.rows {
		x, n := tb.int(t, r, "x"), tb.int(t, r, "n")
		p, lo, up := Wilson(x, n)
		what := fmt.Sprintf("Wilson(%d, %d)", x, n)
		check(t, what+" p", p, tb.num(t, r, "p"))
		check(t, what+" lower", lo, tb.num(t, r, "lower"))
		check(t, what+" upper", up, tb.num(t, r, "upper"))
		if x == 0 || x == n {
			edges++
			if (x == 0 && lo != 0) || (x == n && up != 1) {
				t.Errorf("%s = %v %v, want the exact clamp", what, lo, up)
			}
		}
	}
	if edges < 4 {
		t.Errorf("goldens have %d 0/n or n/n cases", edges)
	}
	for _, c := range [][2]int{{0, 0}, {1, 0}, {-1, 5}, {6, 5}} {
		if p, lo, up := Wilson(c[0], c[1]); !math.IsNaN(p) || !math.IsNaN(lo) || !math.IsNaN(up) {
			t.Errorf("Wilson(%d, %d) = %v %v %v, want NaN", c[0], c[1], p, lo, up)
		}
	}
}

func TestGarwood(t *testing.T) {
	tb := readTable(t, "garwood.csv")
	for _, r := range tb.rows {
		x, py := tb.int(t, r, "x"), tb.num(t, r, "py")
		rate, lo, up := Garwood(x, py)
		what := fmt.Sprintf("Garwood(%d, %v)", x, py)
		check(t, what+" rate", rate, tb.num(t, r, "rate"))
		check(t, what+" lower", lo, tb.num(t, r, "lower"))
		check(t, what+" upper", up, tb.num(t, r, "upper"))
		if x == 0 && lo != 0 {
			t.Errorf("%s lower %v, want 0", what, lo)
		}
	}
	for _, c := range []struct {
		x  int
		py float64
	}{{1, 0}, {1, -3}, {-1, 10}, {1, math.NaN()}, {1, math.Inf(1)}} {
		if r, lo, up := Garwood(c.x, c.py); !math.IsNaN(r) || !math.IsNaN(lo) || !math.IsNaN(up) {
			t.Errorf("Garwood(%d, %v) = %v %v %v, want NaN", c.x, c.py, r, lo, up)
		}
	}
}

// TestQGamma holds the quantile to 1e-10 relative against R's qgamma.
func TestQGamma(t *testing.T) {
	tb := readTable(t, "qgamma.csv")
	for _, r := range tb.rows {
		p, shape, want := tb.num(t, r, "p"), tb.num(t, r, "shape"), tb.num(t, r, "q")
		got := qgamma(p, shape)
		if !(math.Abs(got-want) <= 1e-10*want) {
			t.Errorf("qgamma(%v, %v) = %.17g, R %.17g (rel %.2g)", p, shape, got, want, math.Abs(got-want)/want)
		}
		if c := qchisq(p, 2*shape); !(math.Abs(c-2*want) <= 1e-10*2*want) {
			t.Errorf("qchisq(%v, %v) = %.17g, R %.17g", p, 2*shape, c, 2*want)
		}
	}
	if len(tb.rows) < 100 {
		t.Errorf("qgamma grid has %d points", len(tb.rows))
	}
	for _, c := range []struct{ p, shape, want float64 }{
		{0, 2, 0}, {1, 2, math.Inf(1)}, {-0.1, 2, math.NaN()}, {0.5, 0, math.NaN()}, {0.5, math.NaN(), math.NaN()},
	} {
		if got := qgamma(c.p, c.shape); !agree(got, c.want, 0) {
			t.Errorf("qgamma(%v, %v) = %v, want %v", c.p, c.shape, got, c.want)
		}
	}
}

// TestLogIncGammaRoundTrip checks P(a, qgamma(p, a)) = p on a finer grid.
func TestLogIncGammaRoundTrip(t *testing.T) {
	for _, a := range []float64{0.1, 0.5, 1, 2.5, 10, 77, 500, 5000, 1e5} {
		for _, p := range []float64{1e-12, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-9} {
			q := qgamma(p, a)
			lp, lq := logIncGamma(a, q)
			var rel float64
			if p <= 0.5 {
				rel = math.Abs(math.Exp(lp)-p) / p
			} else {
				rel = math.Abs(math.Exp(lq)-(1-p)) / (1 - p)
			}
			if !(rel < 1e-9) {
				t.Errorf("a=%v p=%v: q=%v, relative error %g", a, p, q, rel)
			}
		}
	}
}
