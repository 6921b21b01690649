package estimate

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestFineGrayRows(t *testing.T) {
	t.Parallel()
	sets := readCRSets(t)
	rows := readTable(t, "fg_rows.csv")
	want := map[string][][]string{}
	for _, r := range rows.rows {
		k := rows.str(t, r, "set") + "/" + rows.str(t, r, "weighted")
		want[k] = append(want[k], r)
	}
	sum := readTable(t, "fg_summary.csv")
	for _, r := range sum.rows {
		name, weighted := sum.str(t, r, "set"), sum.str(t, r, "weighted") == "TRUE"
		key := name + "/" + sum.str(t, r, "weighted")
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			d := crOf(t, sets, name)
			got, err := FineGrayRows(d.time, d.status, d.weights(weighted))
			if sum.str(t, r, "ok") == "FALSE" {
				if !errors.Is(err, ErrNoEvents) {
					t.Fatalf("R failed (%s); got err %v", sum.str(t, r, "error"), err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != sum.int(t, r, "rows") {
				t.Fatalf("%d rows, R %d", len(got), sum.int(t, r, "rows"))
			}
			var sw, sws float64
			ev := 0
			for _, g := range got {
				sw += g.Weight
				sws += g.Weight * g.Stop
				ev += g.Status
			}
			check(t, "sum fgwt", sw, sum.num(t, r, "sumwt"))
			check(t, "sum fgwt*fgstop", sws, sum.num(t, r, "sumwtstop"))
			if ev != sum.int(t, r, "events") {
				t.Errorf("%d events, R %d", ev, sum.int(t, r, "events"))
			}
			for k, wr := range want[key] {
				g := got[k]
				at := fmt.Sprintf("row %d", k+1)
				if d.id[g.Row] != rows.str(t, wr, "id") || g.Status != rows.int(t, wr, "fgstatus") {
					t.Errorf("%s: id %s status %d, R %s %s", at, d.id[g.Row], g.Status, rows.str(t, wr, "id"), rows.str(t, wr, "fgstatus"))
				}
				check(t, at+" fgstart", g.Start, rows.num(t, wr, "fgstart"))
				check(t, at+" fgstop", g.Stop, rows.num(t, wr, "fgstop"))
				check(t, at+" fgwt", g.Weight, rows.num(t, wr, "fgwt"))
			}
		})
	}
}

func TestFineGray(t *testing.T) {
	t.Parallel()
	sets := readCRSets(t)
	tb := readTable(t, "fg_cox.csv")
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		weighted, stratified := tb.str(t, r, "weighted") == "TRUE", tb.str(t, r, "strata") == "TRUE"
		t.Run(fmt.Sprintf("%s/weighted=%v/strata=%v", name, weighted, stratified), func(t *testing.T) {
			t.Parallel()
			d := crOf(t, sets, name)
			arm := make([]float64, len(d.arm))
			for i, a := range d.arm {
				arm[i] = float64(a)
			}
			in := FGData{Time: d.time, Status: d.status, X: [][]float64{arm}, Weight: d.weights(weighted), Cluster: d.id}
			if stratified {
				in.Strata = d.stratum
			}
			fit, err := FineGray(in)
			if err != nil {
				t.Fatal(err)
			}
			if fit.Rows != tb.int(t, r, "n") {
				t.Errorf("%d expanded rows, R %d", fit.Rows, tb.int(t, r, "n"))
			}
			checkCoxRows(t, tb, [][]string{r}, fit.Cox, true)
		})
	}
}

func TestFineGrayNoClusterIsPerPerson(t *testing.T) {
	t.Parallel()
	d := crOf(t, readCRSets(t), "ties")
	arm := make([]float64, len(d.arm))
	for i, a := range d.arm {
		arm[i] = float64(a)
	}
	a, err := FineGray(FGData{Time: d.time, Status: d.status, X: [][]float64{arm}, Cluster: d.id})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FineGray(FGData{Time: d.time, Status: d.status, X: [][]float64{arm}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(a.Cox.RobustSE[0]-b.Cox.RobustSE[0]) > 1e-12 {
		t.Errorf("robust se with ids %v, without %v", a.Cox.RobustSE[0], b.Cox.RobustSE[0])
	}
}
