package estimate

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// cpSet is one counting-process data set of cp_datasets.csv (evidence.R).
type cpSet struct {
	id, stratum            []string
	start, stop, x1, x2, w []float64
	event                  []bool
}

func readCPSets(t *testing.T) map[string]*cpSet {
	t.Helper()
	tb := readTable(t, "cp_datasets.csv")
	sets := map[string]*cpSet{}
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		d := sets[name]
		if d == nil {
			d = &cpSet{}
			sets[name] = d
		}
		d.id = append(d.id, tb.str(t, r, "id"))
		d.stratum = append(d.stratum, tb.str(t, r, "stratum"))
		d.start = append(d.start, tb.num(t, r, "start"))
		d.stop = append(d.stop, tb.num(t, r, "stop"))
		d.x1 = append(d.x1, tb.num(t, r, "x1"))
		d.x2 = append(d.x2, tb.num(t, r, "x2"))
		d.w = append(d.w, tb.num(t, r, "w"))
		d.event = append(d.event, tb.int(t, r, "event") == 1)
	}
	return sets
}

// coxCase turns a case label of cox_cp.csv ("x1+x2|strata|w|cluster") into
// CoxData over d.
func coxCase(d *cpSet, counting bool, label string) CoxData {
	parts := strings.Split(label, "|")
	cd := CoxData{Stop: d.stop, Event: d.event}
	if counting {
		cd.Start = d.start
	}
	for _, v := range strings.Split(parts[0], "+") {
		if v == "x1" {
			cd.X = append(cd.X, d.x1)
		} else {
			cd.X = append(cd.X, d.x2)
		}
	}
	for _, f := range parts[1:] {
		switch f {
		case "strata":
			cd.Strata = d.stratum
		case "w":
			cd.Weight = d.w
		case "cluster":
			cd.Cluster = d.id
		}
	}
	return cd
}

// checkCoxRows compares fit with the golden rows of one case, one per term.
func checkCoxRows(t *testing.T, tb table, rows [][]string, fit CoxFit, clustered bool) {
	t.Helper()
	if len(rows) != len(fit.Coef) {
		t.Fatalf("%d terms, R %d", len(fit.Coef), len(rows))
	}
	for j, r := range rows {
		if tb.str(t, r, "warning") != "-" {
			t.Fatalf("R warned: %s", tb.str(t, r, "warning"))
		}
		if fit.N != tb.int(t, r, "n") || fit.Events != tb.int(t, r, "events") {
			t.Errorf("N/Events %d/%d, R %s/%s", fit.N, fit.Events, tb.str(t, r, "n"), tb.str(t, r, "events"))
		}
		if fit.Iter != tb.int(t, r, "iter") {
			t.Errorf("Iter %d, R %d", fit.Iter, tb.int(t, r, "iter"))
		}
		if !fit.Converged {
			t.Error("not converged")
		}
		term := tb.str(t, r, "term")
		check(t, term+" coef", fit.Coef[j], tb.num(t, r, "coef"))
		check(t, term+" se", fit.SE[j], tb.num(t, r, "se"))
		if clustered {
			check(t, term+" robust se", fit.RobustSE[j], tb.num(t, r, "robust_se"))
		} else if !math.IsNaN(fit.RobustSE[j]) {
			t.Errorf("robust se %v without clusters", fit.RobustSE[j])
		}
		check(t, term+" hr", fit.HR[j], tb.num(t, r, "hr"))
		check(t, term+" lower", fit.Lower[j], tb.num(t, r, "lower"))
		check(t, term+" upper", fit.Upper[j], tb.num(t, r, "upper"))
		check(t, term+" loglik", fit.Loglik[1], tb.num(t, r, "loglik"))
	}
}

func TestCoxModel(t *testing.T) {
	t.Parallel()
	sets := readCPSets(t)
	tb := readTable(t, "cox_cp.csv")
	var keys []string
	rows := map[string][][]string{}
	for _, r := range tb.rows {
		k := tb.str(t, r, "set") + "/" + tb.str(t, r, "counting") + "/" + tb.str(t, r, "case")
		if rows[k] == nil {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], r)
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			parts := strings.SplitN(key, "/", 3)
			d, ok := sets[parts[0]]
			if !ok {
				t.Fatalf("no data set %s", parts[0])
			}
			cd := coxCase(d, parts[1] == "TRUE", parts[2])
			fit, err := CoxModel(cd)
			if err != nil {
				t.Fatal(err)
			}
			checkCoxRows(t, tb, rows[key], fit, cd.Cluster != nil || fractional(cd.Weight))
		})
	}
}

// TestCoxModelMatchesCoxPH runs CoxModel over goldens.R's one-covariate
// cases: where R converged, the general model must agree with R (and so
// with CoxPH); where R gave NA or diverged it must say so too.
func TestCoxModelMatchesCoxPH(t *testing.T) {
	t.Parallel()
	sets := readDatasets(t)
	tb := readTable(t, "cox.csv")
	for _, r := range tb.rows {
		name, stratified := tb.str(t, r, "set"), tb.str(t, r, "strata") == "TRUE"
		t.Run(name+map[bool]string{true: "/strata", false: ""}[stratified], func(t *testing.T) {
			d := set(t, sets, name)
			cd := CoxData{X: [][]float64{d.x}}
			for _, o := range d.obs {
				cd.Stop = append(cd.Stop, o.Time)
				cd.Event = append(cd.Event, o.Event)
			}
			if stratified {
				cd.Strata = d.strata
			}
			fit, err := CoxModel(cd)
			if err != nil {
				t.Fatal(err)
			}
			coef := tb.num(t, r, "coef")
			switch {
			case tb.str(t, r, "warning") != "-":
				if fit.Converged || !math.IsInf(fit.Coef[0], 0) || math.Signbit(fit.Coef[0]) != math.Signbit(coef) {
					t.Errorf("R warned; got %+v", fit)
				}
			case math.IsNaN(coef):
				if fit.Converged || !math.IsNaN(fit.Coef[0]) {
					t.Errorf("R's coefficient is NA; got %+v", fit)
				}
			default:
				if fit.Iter != tb.int(t, r, "iter") || !fit.Converged {
					t.Errorf("iter %d converged %v, R iter %s", fit.Iter, fit.Converged, tb.str(t, r, "iter"))
				}
				check(t, "coef", fit.Coef[0], coef)
				check(t, "se", fit.SE[0], tb.num(t, r, "se"))
				check(t, "lower", fit.Lower[0], tb.num(t, r, "lower"))
				check(t, "upper", fit.Upper[0], tb.num(t, r, "upper"))
				check(t, "p", fit.P[0], tb.num(t, r, "p"))
			}
		})
	}
}

func TestCoxModelErrors(t *testing.T) {
	t.Parallel()
	ok := CoxData{Stop: []float64{1, 2}, Event: []bool{true, false}, X: [][]float64{{0, 1}}}
	for _, c := range []struct {
		name string
		edit func(d *CoxData)
	}{
		{"no covariates", func(d *CoxData) { d.X = nil }},
		{"lengths", func(d *CoxData) { d.Event = d.Event[:1] }},
		{"covariate length", func(d *CoxData) { d.X = [][]float64{{1}} }},
		{"start after stop", func(d *CoxData) { d.Start = []float64{0, 3} }},
		{"weight", func(d *CoxData) { d.Weight = []float64{1, -1} }},
		{"nan covariate", func(d *CoxData) { d.X = [][]float64{{0, math.NaN()}} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := ok
			c.edit(&d)
			if _, err := CoxModel(d); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestCoxModelAliased: a covariate that is a multiple of another has R's
// NA coefficient (singular information); the other is fitted as if alone.
func TestCoxModelAliased(t *testing.T) {
	t.Parallel()
	d := set(t, readDatasets(t), "lung")
	cd := CoxData{}
	double := make([]float64, len(d.x))
	for i, o := range d.obs {
		cd.Stop = append(cd.Stop, o.Time)
		cd.Event = append(cd.Event, o.Event)
		double[i] = 2 * d.x[i]
	}
	cd.X = [][]float64{d.x}
	alone, err := CoxModel(cd)
	if err != nil {
		t.Fatal(err)
	}
	cd.X = [][]float64{d.x, double}
	both, err := CoxModel(cd)
	if err != nil {
		t.Fatal(err)
	}
	if both.Converged || !math.IsNaN(both.Coef[1]) || !math.IsNaN(both.SE[1]) {
		t.Errorf("aliased column: %+v", both)
	}
	if !agree(both.Coef[0], alone.Coef[0], 1e-9) || !agree(both.SE[0], alone.SE[0], 1e-9) {
		t.Errorf("first column %v (%v), alone %v (%v)", both.Coef[0], both.SE[0], alone.Coef[0], alone.SE[0])
	}
}

// Robust is the sandwich variance with each row its own cluster: the same
// fit, bit for bit, as clusters labelled with a distinct id per row (the
// labels' map is what Robust spares), and a robust one where the weights
// alone would not make it so.
func TestCoxModelRobust(t *testing.T) {
	t.Parallel()
	for name, d := range readCPSets(t) {
		for _, label := range []string{"x1", "x1+x2|strata", "x1|strata|w"} {
			t.Run(name+"/"+label, func(t *testing.T) {
				t.Parallel()
				cd := coxCase(d, false, label)
				cd.Robust = true
				robust, err := CoxModel(cd)
				if err != nil {
					t.Fatal(err)
				}
				cd.Robust, cd.Cluster = false, make([]string, len(cd.Stop))
				for i := range cd.Cluster {
					cd.Cluster[i] = fmt.Sprint("row", i)
				}
				clustered, err := CoxModel(cd)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := fmt.Sprint(robust), fmt.Sprint(clustered); got != want {
					t.Errorf("Robust gives\n%s\na distinct cluster per row\n%s", got, want)
				}
				if math.IsNaN(robust.RobustSE[0]) {
					t.Errorf("no robust SE with Robust")
				}
			})
		}
	}
}
