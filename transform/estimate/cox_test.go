package estimate

import (
	"math"
	"strings"
	"testing"
)

func TestCoxPH(t *testing.T) {
	sets := readDatasets(t)
	tb := readTable(t, "cox.csv")
	kinds := map[string]int{}
	for _, r := range tb.rows {
		name, stratified := tb.str(t, r, "set"), tb.str(t, r, "strata") == "TRUE"
		label := name
		if stratified {
			label += "/strata"
		}
		t.Run(label, func(t *testing.T) {
			d := set(t, sets, name)
			var strata []string
			if stratified {
				if d.strata == nil {
					t.Fatal("stratified case on a set without strata")
				}
				strata = d.strata
			}
			got := CoxPH(d.obs, d.x, strata)
			if got.N != tb.int(t, r, "n") || got.Events != tb.int(t, r, "events") {
				t.Errorf("N/Events %d/%d, R %s/%s", got.N, got.Events, tb.str(t, r, "n"), tb.str(t, r, "events"))
			}
			if got.Iter != tb.int(t, r, "iter") {
				t.Errorf("Iter %d, R %d", got.Iter, tb.int(t, r, "iter"))
			}
			warning := tb.str(t, r, "warning")
			coef := tb.num(t, r, "coef")
			switch {
			case warning != "-":
				// R warned that the coefficient may be infinite or that it
				// ran out of iterations: we report the direction only.
				kinds["diverged"]++
				if !strings.Contains(warning, "infinite") && !strings.Contains(warning, "did not converge") {
					t.Fatalf("unexpected R warning %q", warning)
				}
				if got.Converged {
					t.Error("Converged = true where R warned: " + warning)
				}
				if !math.IsInf(got.Coef, 0) || math.Signbit(got.Coef) != math.Signbit(coef) {
					t.Errorf("Coef %v, want an infinity with the sign of R's %v", got.Coef, coef)
				}
				if got.HR != math.Exp(got.Coef) {
					t.Errorf("HR %v with Coef %v", got.HR, got.Coef)
				}
				for _, v := range []float64{got.SE, got.Lower, got.Upper, got.WaldP} {
					if !math.IsNaN(v) {
						t.Errorf("SE/limits/p should be NaN, got %+v", got)
						break
					}
				}
			case math.IsNaN(coef):
				// R's coefficient is NA: no events or no information.
				kinds["na"]++
				if got.Converged {
					t.Error("Converged = true where R's coefficient is NA")
				}
				for _, v := range []float64{got.Coef, got.SE, got.HR, got.Lower, got.Upper, got.WaldP} {
					if !math.IsNaN(v) {
						t.Errorf("want all NaN, got %+v", got)
						break
					}
				}
			default:
				kinds["ok"]++
				if !got.Converged {
					t.Error("Converged = false")
				}
				check(t, "coef", got.Coef, coef)
				check(t, "se", got.SE, tb.num(t, r, "se"))
				check(t, "HR", got.HR, tb.num(t, r, "hr"))
				check(t, "lower", got.Lower, tb.num(t, r, "lower"))
				check(t, "upper", got.Upper, tb.num(t, r, "upper"))
				check(t, "p", got.WaldP, tb.num(t, r, "p"))
			}
		})
	}
	if kinds["ok"] < 8 || kinds["diverged"] < 2 || kinds["na"] < 2 {
		t.Errorf("goldens cover %v; want converged, diverged and NA cases", kinds)
	}
}

func TestCoxPHInvariance(t *testing.T) {
	sets := readDatasets(t)
	d := set(t, sets, "veteran")
	base := CoxPH(d.obs, d.x, d.strata)
	// Reversing the input order, or relabelling 0/1 as 1/0, must not change
	// the fit (beyond the sign of the coefficient).
	n := len(d.obs)
	obs, x, st, flip := make([]Obs, n), make([]float64, n), make([]string, n), make([]float64, n)
	for i := range d.obs {
		obs[n-1-i], x[n-1-i], st[n-1-i] = d.obs[i], d.x[i], d.strata[i]
		flip[i] = 1 - d.x[i]
	}
	rev := CoxPH(obs, x, st)
	if !agree(rev.Coef, base.Coef, 1e-9) || !agree(rev.SE, base.SE, 1e-9) {
		t.Errorf("order changes the fit: %+v vs %+v", rev, base)
	}
	fl := CoxPH(d.obs, flip, d.strata)
	if !agree(fl.Coef, -base.Coef, 1e-9) || !agree(fl.SE, base.SE, 1e-9) {
		t.Errorf("relabelled fit %+v vs %+v", fl, base)
	}
	// A continuous covariate shifted by a constant gives the same fit.
	a := set(t, sets, "lung_age")
	shift := make([]float64, len(a.x))
	for i, v := range a.x {
		shift[i] = v + 1000
	}
	c1, c2 := CoxPH(a.obs, a.x, nil), CoxPH(a.obs, shift, nil)
	if !agree(c1.Coef, c2.Coef, 1e-9) || !agree(c1.SE, c2.SE, 1e-9) {
		t.Errorf("shifted covariate: %+v vs %+v", c1, c2)
	}
}

func TestCoxPHPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("length mismatch did not panic")
		}
	}()
	CoxPH([]Obs{{1, true}}, []float64{0, 1}, nil)
}
