package estimate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

// The fit reads the design's non-zero entries row by row (termRows,
// newWLSSystem, linear); they must be exactly what the columns say, and
// the fitted values exactly those of the whole linear predictor.
func TestSparseRowsEqualColumns(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 20 {
		n := 500 + r.IntN(1500)
		country, service := make([]string, n), make([]string, n)
		age, fy, missing, centred := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		y := make([]float64, n)
		for i := range n {
			country[i] = string(rune('A' + r.IntN(20)))
			service[i] = []string{"ARMY", "NAVY", "AIR_FORCE"}[r.IntN(3)]
			age[i] = float64(r.IntN(3)) * (25 + float64(r.IntN(20))) // a third 0
			fy[i] = 2000 + float64(r.IntN(25))
			missing[i] = oneIf(r.IntN(5) == 0)
			centred[i] = float64(r.IntN(5) - 2) // its mean near 0: standardised, 0 where not
			p := 0.3
			if country[i] < "F" {
				p = 0.6
			}
			y[i] = oneIf(r.Float64() < p)
		}
		x, err := NewDesign([]Term{{Name: "country", Factor: country}, {Name: "age", Numeric: age},
			{Name: "service", Factor: service}, {Name: "missing", Numeric: missing}, {Name: "fy", Numeric: fy}, {Name: "centred", Numeric: centred}})
		if err != nil {
			t.Fatal(err)
		}
		cols := make([][]float64, x.P())
		for j := range cols {
			cols[j] = x.Col(j)
		}
		dense := sparseRows{start: make([]int, n+1)}
		for i := range n {
			for j, c := range cols {
				if c[i] != 0 {
					dense.ent = append(dense.ent, entry{j, c[i]})
				}
			}
			dense.start[i+1] = len(dense.ent)
		}
		if got, want := fmt.Sprint(x.rows), fmt.Sprint(dense); got != want {
			t.Fatalf("trial %d: the terms' rows differ from the columns' non-zero values", trial)
		}
		sys := newWLSSystem(x, x.rows)
		for i := range n {
			var want []entry
			for j, c := range cols {
				if v := (c[i] - sys.shift[j]) / sys.scale[j]; v != 0 {
					want = append(want, entry{j, v})
				}
			}
			if got := sys.rows.row(i); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("trial %d row %d: standardised entries %v, want %v", trial, i, got, want)
			}
		}
		fit, err := Logistic(y, x)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for i := range n {
			eta := 0.0
			for j, c := range cols {
				if !math.IsNaN(fit.Coef[j]) {
					eta += c[i] * fit.Coef[j]
				}
			}
			if fit.Fitted[i] != linkinv(eta) {
				t.Fatalf("trial %d row %d: fitted %v, the whole linear predictor gives %v", trial, i, fit.Fitted[i], linkinv(eta))
			}
		}
	}
}

func oneIf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
