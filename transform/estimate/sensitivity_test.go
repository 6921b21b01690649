package estimate

import (
	"fmt"
	"math"
	"testing"
)

func TestEValueHR(t *testing.T) {
	t.Parallel()
	tb := readTable(t, "evalue.csv")
	for _, r := range tb.rows {
		hr, lo, hi, common := tb.num(t, r, "hr"), tb.num(t, r, "lower"), tb.num(t, r, "upper"), tb.str(t, r, "common") == "TRUE"
		t.Run(fmt.Sprintf("%v(%v,%v)/common=%v", hr, lo, hi, common), func(t *testing.T) {
			t.Parallel()
			e, el := EValueHR(hr, lo, hi, common)
			check(t, "E", e, tb.num(t, r, "e"))
			check(t, "E limit", el, tb.num(t, r, "e_limit"))
		})
	}
	// evidence.md's check value.
	e, el := EValueHR(0.56, 0.46, 0.69, true)
	if math.Abs(e-2.3495) > 5e-5 || math.Abs(el-1.9080) > 5e-5 {
		t.Errorf("check value: %v %v, want 2.3495 1.9080", e, el)
	}
	if e, _ := EValueHR(0, 1, 2, false); e == e {
		t.Error("HR 0 gives a number")
	}
}

func TestMinDetectableHR(t *testing.T) {
	t.Parallel()
	tb := readTable(t, "mde.csv")
	for _, r := range tb.rows {
		check(t, fmt.Sprintf("events %s p %s", tb.str(t, r, "events"), tb.str(t, r, "p")),
			MinDetectableHR(tb.int(t, r, "events"), tb.num(t, r, "p")), tb.num(t, r, "mde"))
	}
	for _, c := range []struct {
		e int
		p float64
	}{{0, 0.5}, {10, 0}, {10, 1}, {10, math.NaN()}} {
		if v := MinDetectableHR(c.e, c.p); v == v {
			t.Errorf("MinDetectableHR(%d, %v) = %v, want NaN", c.e, c.p, v)
		}
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	t.Parallel()
	tb := readTable(t, "bh.csv")
	cases := map[string][][]string{}
	var order []string
	for _, r := range tb.rows {
		c := tb.str(t, r, "case")
		if cases[c] == nil {
			order = append(order, c)
		}
		cases[c] = append(cases[c], r)
	}
	for _, c := range order {
		t.Run(c, func(t *testing.T) {
			t.Parallel()
			var p []float64
			for _, r := range cases[c] {
				p = append(p, tb.num(t, r, "p"))
			}
			got := BenjaminiHochberg(p)
			for i, r := range cases[c] {
				check(t, fmt.Sprintf("adj[%d]", i), got[i], tb.num(t, r, "adj"))
			}
		})
	}
}

func TestCIFDifferenceNaN(t *testing.T) {
	t.Parallel()
	d, lo, up := CIFDifference(CIF{P: math.NaN(), SE: math.NaN()}, CIF{P: 0.1, SE: 0.01})
	if d == d || lo == lo || up == up {
		t.Errorf("NaN in gives %v %v %v", d, lo, up)
	}
}
