package estimate

import (
	"fmt"
	"math"
	"testing"
)

func kmOf(t *testing.T, sets map[string]*dataset, name string) KM {
	t.Helper()
	return KaplanMeier(set(t, sets, name).obs)
}

func TestKaplanMeierSteps(t *testing.T) {
	sets := readDatasets(t)
	tb := readTable(t, "km_steps.csv")
	want := map[string][][]string{}
	var order []string
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		if want[name] == nil {
			order = append(order, name)
		}
		want[name] = append(want[name], r)
	}
	if len(order) < 10 {
		t.Fatalf("km_steps.csv covers %d sets, want the full list", len(order))
	}
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			km := kmOf(t, sets, name)
			rows := want[name]
			if len(km.Steps) != len(rows) {
				t.Fatalf("%d steps, R has %d", len(km.Steps), len(rows))
			}
			if km.N != len(set(t, sets, name).obs) {
				t.Errorf("N = %d", km.N)
			}
			for i, r := range rows {
				s := km.Steps[i]
				at := fmt.Sprintf("step %d (t=%v)", i, s.Time)
				check(t, at+" time", s.Time, tb.num(t, r, "time"))
				if s.NRisk != tb.int(t, r, "n_risk") || s.NEvent != tb.int(t, r, "n_event") || s.NCensor != tb.int(t, r, "n_censor") {
					t.Errorf("%s counts %d/%d/%d, R %v/%v/%v", at, s.NRisk, s.NEvent, s.NCensor,
						tb.str(t, r, "n_risk"), tb.str(t, r, "n_event"), tb.str(t, r, "n_censor"))
				}
				check(t, at+" surv", s.Surv, tb.num(t, r, "surv"))
				check(t, at+" std.err", s.StdErr, tb.num(t, r, "std_err"))
				check(t, at+" lower", s.Lower, tb.num(t, r, "lower"))
				check(t, at+" upper", s.Upper, tb.num(t, r, "upper"))
			}
		})
	}
}

func TestKaplanMeierSummary(t *testing.T) {
	sets := readDatasets(t)
	tb := readTable(t, "km_summary.csv")
	sawNA, sawMid := false, false
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		t.Run(name, func(t *testing.T) {
			km := kmOf(t, sets, name)
			if km.N != tb.int(t, r, "n") || km.Events != tb.int(t, r, "events") {
				t.Errorf("N/Events = %d/%d, R %s/%s", km.N, km.Events, tb.str(t, r, "n"), tb.str(t, r, "events"))
			}
			med, lcl, ucl := km.Median()
			check(t, "median", med, tb.num(t, r, "median"))
			check(t, "0.95LCL", lcl, tb.num(t, r, "lcl"))
			check(t, "0.95UCL", ucl, tb.num(t, r, "ucl"))
		})
		if math.IsNaN(tb.num(t, r, "median")) {
			sawNA = true
		}
		if m := tb.num(t, r, "median"); m != math.Trunc(m) {
			sawMid = true
		}
	}
	if !sawNA || !sawMid {
		t.Errorf("goldens lack a median-not-reached case (%v) or a midpoint median (%v)", sawNA, sawMid)
	}
}

func TestKaplanMeierAt(t *testing.T) {
	sets := readDatasets(t)
	tb := readTable(t, "km_at.csv")
	cache := map[string]KM{}
	refused := 0
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		km, ok := cache[name]
		if !ok {
			km = kmOf(t, sets, name)
			cache[name] = km
		}
		h := tb.num(t, r, "h")
		wantOK := tb.str(t, r, "ok") == "TRUE"
		s, lo, up, gotOK := km.At(h)
		what := fmt.Sprintf("%s At(%v)", name, h)
		if gotOK != wantOK {
			t.Errorf("%s ok = %v, R %v", what, gotOK, wantOK)
			continue
		}
		if !wantOK {
			refused++
			continue
		}
		check(t, what+" surv", s, tb.num(t, r, "surv"))
		check(t, what+" lower", lo, tb.num(t, r, "lower"))
		check(t, what+" upper", up, tb.num(t, r, "upper"))
	}
	if refused == 0 {
		t.Error("goldens have no horizon past the last follow-up")
	}
}

func TestKaplanMeierEdges(t *testing.T) {
	empty := KaplanMeier(nil)
	if empty.N != 0 || empty.Events != 0 || len(empty.Steps) != 0 {
		t.Errorf("empty: %+v", empty)
	}
	if _, _, _, ok := empty.At(0); ok {
		t.Error("empty curve answered At(0)")
	}
	if m, l, u := empty.Median(); !math.IsNaN(m) || !math.IsNaN(l) || !math.IsNaN(u) {
		t.Errorf("empty median %v %v %v", m, l, u)
	}

	km := KaplanMeier([]Obs{{10, true}, {20, false}, {30, true}})
	for _, c := range []struct {
		h    float64
		surv float64
		ok   bool
	}{
		{-1, 1, true}, {0, 1, true}, {9.99, 1, true}, {10, 2.0 / 3, true},
		{29.99, 2.0 / 3, true}, {30, 0, true}, {30.01, math.NaN(), false}, {math.NaN(), math.NaN(), false},
	} {
		s, lo, up, ok := km.At(c.h)
		if ok != c.ok || !agree(s, c.surv, 1e-12) {
			t.Errorf("At(%v) = %v ok %v, want %v ok %v", c.h, s, ok, c.surv, c.ok)
		}
		if c.surv == 1 && (lo != 1 || up != 1) {
			t.Errorf("At(%v) limits %v %v, want 1 1", c.h, lo, up)
		}
		if c.surv == 0 && (!math.IsNaN(lo) || !math.IsNaN(up)) {
			t.Errorf("At(%v) limits %v %v at S=0, want NaN", c.h, lo, up)
		}
	}
	if last := km.Steps[2]; !math.IsInf(last.StdErr, 1) {
		t.Errorf("std.err when everyone at risk dies = %v, want +Inf as R", last.StdErr)
	}

	// Input order must not matter.
	a := KaplanMeier([]Obs{{5, true}, {1, false}, {3, true}, {3, false}})
	b := KaplanMeier([]Obs{{3, false}, {3, true}, {5, true}, {1, false}})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("order changes the fit:\n%v\n%v", a, b)
	}

	defer func() {
		if recover() == nil {
			t.Error("negative time did not panic")
		}
	}()
	KaplanMeier([]Obs{{-1, true}})
}
