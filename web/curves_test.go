package web

import (
	"math"
	"testing"
)

func TestCoarsen(t *testing.T) {
	// 40 people; events at days 100 (2), 500 (1), 600 (4), 1200 (6), 1300 (1)
	var steps []curveStep
	risk := int64(40)
	est := 0.0
	for _, e := range []struct {
		day      float64
		ev, cens int64
	}{{100, 2, 0}, {500, 1, 1}, {600, 4, 0}, {1200, 6, 2}, {1300, 1, 20}} {
		est += float64(e.ev) / float64(risk)
		steps = append(steps, curveStep{Time: e.day, NRisk: risk, NEvent: e.ev, NCensor: e.cens, Est: est, Low: est / 2, High: est * 1.5})
		risk -= e.ev + e.cens
	}
	got := coarsen(steps, 5)
	// year 1: 2 events (< 5) joins year 2: 2+1+4 = 7 events → kept at day 730.5;
	// year 3: no event (a flat year is shown); year 4: 7 events but 3 left at risk: withheld
	want := []struct {
		time float64
		ev   int64
		est  float64
		risk int64
	}{{730.5, 7, steps[2].Est, 32}, {1095.75, 0, steps[2].Est, 32}}
	if len(got) != len(want) {
		t.Fatalf("got %d points %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Time != w.time || g.NEvent != w.ev || math.Abs(g.Est-w.est) > 1e-12 || g.NRisk != w.risk {
			t.Errorf("point %d = %+v, want time %v, events %d, estimate %v, at risk %d", i, g, w.time, w.ev, w.est, w.risk)
		}
	}
	for _, g := range got {
		if g.NEvent > 0 && g.NEvent < 5 || g.NRisk < 5 {
			t.Errorf("a point shows %d events and %d at risk: below k", g.NEvent, g.NRisk)
		}
	}
}
