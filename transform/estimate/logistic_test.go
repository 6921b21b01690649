package estimate

import (
	"errors"
	"fmt"
	"testing"
)

// glmSet is one propensity data set of glm_data.csv (evidence.R).
type glmSet struct {
	y                           []float64
	country, service, rank, sex []string
	age, ageMissing, fy         []float64
}

func (g *glmSet) terms() []Term {
	return []Term{{Name: "country", Factor: g.country}, {Name: "service", Factor: g.service},
		{Name: "rank", Factor: g.rank}, {Name: "sex", Factor: g.sex},
		{Name: "age", Numeric: g.age}, {Name: "age_missing", Numeric: g.ageMissing}, {Name: "fy", Numeric: g.fy}}
}

func (g *glmSet) treated() []bool {
	tr := make([]bool, len(g.y))
	for i, v := range g.y {
		tr[i] = v == 1
	}
	return tr
}

func readGLMSets(t *testing.T) (names []string, sets map[string]*glmSet) {
	t.Helper()
	tb := readTable(t, "glm_data.csv")
	sets = map[string]*glmSet{}
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		g := sets[name]
		if g == nil {
			g = &glmSet{}
			sets[name] = g
			names = append(names, name)
		}
		g.y = append(g.y, tb.num(t, r, "y"))
		g.country = append(g.country, tb.str(t, r, "country"))
		g.service = append(g.service, tb.str(t, r, "service"))
		g.rank = append(g.rank, tb.str(t, r, "rank"))
		g.sex = append(g.sex, tb.str(t, r, "sex"))
		g.age = append(g.age, tb.num(t, r, "age"))
		g.ageMissing = append(g.ageMissing, tb.num(t, r, "age_missing"))
		g.fy = append(g.fy, tb.num(t, r, "fy"))
	}
	return names, sets
}

func fitGLM(t *testing.T, g *glmSet) (LogitFit, error) {
	t.Helper()
	x, err := NewDesign(g.terms())
	if err != nil {
		t.Fatal(err)
	}
	return Logistic(g.y, x)
}

func TestLogistic(t *testing.T) {
	t.Parallel()
	_, sets := readGLMSets(t)
	fits := readTable(t, "glm_fit.csv")
	fv := readTable(t, "glm_fitted.csv")
	fitted := map[string][]float64{}
	for _, r := range fv.rows {
		k := fv.str(t, r, "set")
		fitted[k] = append(fitted[k], fv.num(t, r, "fitted"))
	}
	for _, r := range fits.rows {
		name := fits.str(t, r, "set")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := sets[name]
			fit, err := fitGLM(t, g)
			warning := fits.str(t, r, "warning")
			if warning != "-" {
				if !errors.Is(err, ErrNotConverged) || !errors.Is(err, ErrSeparation) {
					t.Errorf("R warned %q; err = %v", warning, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fit.Iter != fits.int(t, r, "iter") || fit.Rank != fits.int(t, r, "rank") {
				t.Errorf("iter/rank %d/%d, R %s/%s", fit.Iter, fit.Rank, fits.str(t, r, "iter"), fits.str(t, r, "rank"))
			}
			aliased := 0
			for _, c := range fit.Coef {
				if c != c {
					aliased++
				}
			}
			if aliased != fits.int(t, r, "aliased") {
				t.Errorf("%d aliased, R %d", aliased, fits.int(t, r, "aliased"))
			}
			check(t, "deviance", fit.Deviance, fits.num(t, r, "deviance"))
			want := fitted[name]
			if len(want) != len(fit.Fitted) {
				t.Fatalf("%d fitted, R %d", len(fit.Fitted), len(want))
			}
			for i := range want {
				check(t, fmt.Sprintf("fitted[%d]", i), fit.Fitted[i], want[i])
			}
		})
	}
}

func TestNewDesign(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		terms []Term
		cols  []string
		err   bool
	}{
		{"levels in sort order", []Term{{Name: "c", Factor: []string{"USA", "CAN", "MEX", "CAN"}}},
			[]string{"(Intercept)", "cMEX", "cUSA"}, false},
		{"numeric", []Term{{Name: "x", Numeric: []float64{1, 2}}, {Name: "s", Factor: []string{"F", "M"}}},
			[]string{"(Intercept)", "x", "sM"}, false},
		{"one level", []Term{{Name: "r", Factor: []string{"OF-1", "OF-1"}}}, nil, true},
		{"lengths", []Term{{Name: "x", Numeric: []float64{1}}, {Name: "s", Factor: []string{"F", "M"}}}, nil, true},
		{"both kinds", []Term{{Name: "x", Numeric: []float64{1}, Factor: []string{"a"}}}, nil, true},
		{"none", nil, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d, err := NewDesign(c.terms)
			if (err != nil) != c.err {
				t.Fatalf("err = %v", err)
			}
			if fmt.Sprint(d.Names) != fmt.Sprint(c.cols) && !c.err {
				t.Errorf("columns %v, want %v", d.Names, c.cols)
			}
		})
	}
}
