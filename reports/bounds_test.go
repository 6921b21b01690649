package reports

import (
	"math"
	"testing"
)

func TestOneSidedBound(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		value float64
		n     int64
		upper bool
		ok    bool
	}{
		{"nothing happened in 120", 0, 120, true, true},
		{"everyone stayed among 40", 1, 40, false, true},
		{"one person", 0, 1, true, true},
		{"no people", 0, 0, false, false},
		{"a share in between", 0.3, 50, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, upper, ok := OneSidedBound(c.value, c.n)
			if ok != c.ok || upper != c.upper {
				t.Fatalf("OneSidedBound(%v, %d) = %v, %v, %v", c.value, c.n, b, upper, ok)
			}
			if !ok {
				return
			}
			// The exact binomial bound is where seeing what was seen has
			// probability 5%: (1-p)^n = 0.05 for 0 events, p^n = 0.05 for all.
			p := b
			if upper {
				p = 1 - b
			}
			if got := math.Pow(p, float64(c.n)); math.Abs(got-0.05) > 1e-12 {
				t.Errorf("bound %v: probability of the observation %v, want 0.05", b, got)
			}
		})
	}
	for _, c := range []struct {
		value float64
		n     int64
		want  string
	}{
		{0, 120, "none of 120; one-sided 95% upper bound 2.5% were all 120 followed to the horizon (wider if fewer were)"},
		{1, 40, "all of 40; one-sided 95% lower bound 92.8% were all 40 followed to the horizon (lower if fewer were)"},
		{0, 0, "an interval of zero width among 0"},
	} {
		if got := ZeroWidthText(c.value, c.n); got != c.want {
			t.Errorf("ZeroWidthText(%v, %d) = %q, want %q", c.value, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		unit             string
		value, low, high float64
		limits, want     bool
	}{
		{"share", 0, 0, 0, true, true},
		{"share", 0, 0, 0.1, true, false},
		{"ratio", 1, 1, 1, true, false},
		{"share", 0, 0, 0, false, true}, // an Aalen-Johansen share of 0 has no log-scale limits
		{"share", 1, 0, 0, false, true},
		{"share", 0.3, 0, 0, false, false},
	} {
		if got := ZeroWidth(c.unit, c.value, c.low, c.high, c.limits); got != c.want {
			t.Errorf("ZeroWidth(%+v) = %v", c, got)
		}
	}
}
