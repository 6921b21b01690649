package estimate

import (
	"math"
	"testing"
)

func TestStratifiedLogRank(t *testing.T) {
	sets := readDatasets(t)
	tb := readTable(t, "logrank.csv")
	stratified := 0
	for _, r := range tb.rows {
		name, strat := tb.str(t, r, "set"), tb.str(t, r, "strata") == "TRUE"
		label := name
		if strat {
			label += "/strata"
			stratified++
		}
		t.Run(label, func(t *testing.T) {
			d := set(t, sets, name)
			var strata []string
			if strat {
				strata = d.strata
			}
			got := StratifiedLogRank(d.obs, d.groups(), strata)
			check(t, "chisq", got.Chisq, tb.num(t, r, "chisq"))
			check(t, "p", got.P, tb.num(t, r, "p"))
			// R reports df -1 when there are no events; we never go below 0.
			if want := max(0, tb.int(t, r, "df")); got.DF != want {
				t.Errorf("DF %d, R %d", got.DF, want)
			}
		})
	}
	if stratified < 3 {
		t.Errorf("only %d stratified goldens", stratified)
	}
}

func TestStratifiedLogRankEdges(t *testing.T) {
	obs := []Obs{{1, true}, {2, true}, {3, false}}
	one := StratifiedLogRank(obs, []int{1, 1, 1}, nil)
	if !math.IsNaN(one.Chisq) || !math.IsNaN(one.P) || one.DF != 0 {
		t.Errorf("one group: %+v", one)
	}
	three := StratifiedLogRank(obs, []int{0, 1, 2}, nil)
	if !math.IsNaN(three.Chisq) {
		t.Errorf("three groups: %+v", three)
	}
	// Each event alone in its risk set: zero variance.
	alone := StratifiedLogRank([]Obs{{1, true}, {1, true}}, []int{0, 1}, []string{"a", "b"})
	if !math.IsNaN(alone.Chisq) || !math.IsNaN(alone.P) {
		t.Errorf("zero variance: %+v", alone)
	}
	// Group labels other than 0/1, and label swap, give the same test.
	d1 := StratifiedLogRank(obs, []int{0, 1, 0}, nil)
	d2 := StratifiedLogRank(obs, []int{7, 3, 7}, nil)
	if !agree(d1.Chisq, d2.Chisq, 1e-12) || !agree(d1.P, d2.P, 1e-12) || d1.DF != 1 {
		t.Errorf("relabelled: %+v vs %+v", d1, d2)
	}
}
