package estimate

import (
	"fmt"
	"math"
	"testing"
)

// The shrinkage and funnel goldens are written by testdata/shrink.R
// (metafor's escalc, rma and blup; R's qbinom).

func TestShrinkProportionsGolden(t *testing.T) {
	data := readTable(t, "shrink_data.csv")
	x, n := map[string][]int{}, map[string][]int{}
	var order []string
	for _, r := range data.rows {
		s := data.str(t, r, "set")
		if _, ok := x[s]; !ok {
			order = append(order, s)
		}
		x[s] = append(x[s], data.int(t, r, "x"))
		n[s] = append(n[s], data.int(t, r, "n"))
	}
	fits := map[string]Shrinkage{}
	for _, s := range order {
		fit, err := ShrinkProportions(x[s], n[s])
		if err != nil {
			t.Fatalf("set %s: %v", s, err)
		}
		fits[s] = fit
	}
	ft := readTable(t, "shrink_fit.csv")
	truncated := false
	for _, r := range ft.rows {
		s := ft.str(t, r, "set")
		fit, ok := fits[s]
		if !ok {
			t.Fatalf("shrink_fit.csv names set %q, which shrink_data.csv lacks", s)
		}
		if fit.K != ft.int(t, r, "k") {
			t.Errorf("set %s: k = %d, R says %d", s, fit.K, ft.int(t, r, "k"))
		}
		for name, got := range map[string]float64{"tau2": fit.Tau2, "QE": fit.Q, "mu": fit.Mu, "se": fit.SE, "pooled": fit.Pooled,
			"pooled_lb": fit.PooledLower, "pooled_ub": fit.PooledUpper} {
			check(t, s+" "+name, got, ft.num(t, r, name))
		}
		truncated = truncated || ft.num(t, r, "tau2") == 0
	}
	if !truncated {
		t.Error("no golden set has tau² truncated at 0")
	}
	st := readTable(t, "shrink_study.csv")
	if len(st.rows) != len(data.rows) {
		t.Fatalf("%d study rows for %d data rows", len(st.rows), len(data.rows))
	}
	for _, r := range st.rows {
		s, i := st.str(t, r, "set"), st.int(t, r, "study")-1
		got := fits[s].Shares[i]
		for name, v := range map[string]float64{"yi": got.Yi, "vi": got.Vi, "pred": got.Pred, "se": got.PredSE,
			"share": got.Share, "lower": got.Lower, "upper": got.Upper} {
			check(t, fmt.Sprintf("%s study %d %s", s, i+1, name), v, st.num(t, r, name))
		}
		check(t, fmt.Sprintf("%s study %d pi.lb", s, i+1), got.Pred-Z975*got.PredSE, st.num(t, r, "pi_lb"))
		check(t, fmt.Sprintf("%s study %d pi.ub", s, i+1), got.Pred+Z975*got.PredSE, st.num(t, r, "pi_ub"))
	}
}

func TestShrinkProportionsRefuses(t *testing.T) {
	for _, c := range []struct{ x, n []int }{
		{nil, nil}, {[]int{1}, []int{2, 3}}, {[]int{3}, []int{2}}, {[]int{-1}, []int{2}}, {[]int{0}, []int{0}},
	} {
		if _, err := ShrinkProportions(c.x, c.n); err == nil {
			t.Errorf("ShrinkProportions(%v, %v): no error", c.x, c.n)
		}
	}
	// One country: nothing to pool with, tau² 0 and the BLUP is the pooled
	// logit, i.e. the country's own (with 0.5 added).
	fit, err := ShrinkProportions([]int{0}, []int{4})
	if err != nil {
		t.Fatal(err)
	}
	if fit.Tau2 != 0 || math.Abs(fit.Shares[0].Share-0.5/5.0) > 1e-12 {
		t.Errorf("one country: tau² %g, share %g, want 0 and %g", fit.Tau2, fit.Shares[0].Share, 0.5/5.0)
	}
}

func TestFunnelGolden(t *testing.T) {
	tb := readTable(t, "funnel.csv")
	for _, r := range tb.rows {
		p0, n, p := tb.num(t, r, "p0"), tb.int(t, r, "n"), tb.num(t, r, "p")
		what := fmt.Sprintf("p0 %g n %d p %g", p0, n, p)
		if q, want := QBinom(p, n, p0), float64(tb.int(t, r, "q")); q != want {
			t.Errorf("%s: qbinom = %g, R says %g", what, q, want)
		}
		check(t, what+" limit", FunnelLimit(p, n, p0), tb.num(t, r, "limit"))
	}
}

func TestFunnelLimitOrder(t *testing.T) {
	// The limits nest, and narrow towards p0 as n grows.
	for _, p0 := range []float64{0.02, 0.1, 0.5, 0.9} {
		prevWidth := math.Inf(1)
		for _, n := range []int{5, 50, 500} {
			l := [4]float64{}
			for i, p := range FunnelProbs {
				l[i] = FunnelLimit(p, n, p0)
			}
			if !(l[0] <= l[1] && l[1] <= p0+1e-12 && p0 <= l[2]+1e-12 && l[2] <= l[3]) {
				t.Errorf("p0 %g n %d: limits %v do not nest around p0", p0, n, l)
			}
			if w := l[3] - l[0]; w > prevWidth+1e-12 {
				t.Errorf("p0 %g n %d: 99.8%% width %g wider than at a smaller n (%g)", p0, n, w, prevWidth)
			} else {
				prevWidth = w
			}
		}
	}
	if !math.IsNaN(FunnelLimit(0.5, 0, 0.3)) || !math.IsNaN(QBinom(1.5, 3, 0.3)) {
		t.Error("no NaN for n = 0 or p > 1")
	}
}
