package estimate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

// TestFineGrayEqualsExpansion holds FineGray (no expansion) equal to
// CoxModel over FineGrayRows, the literal finegray + coxph route, on random
// data with ties, strata, weights, clusters and two covariates.
func TestFineGrayEqualsExpansion(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 5))
	for c := 0; c < 25; c++ {
		n := 5 + r.IntN(200)
		d := FGData{Time: make([]float64, n), Status: make([]int, n), X: [][]float64{make([]float64, n), make([]float64, n)},
			Strata: make([]string, n), Weight: make([]float64, n), Cluster: make([]string, n)}
		for i := 0; i < n; i++ {
			d.Time[i] = float64(1 + r.IntN(1+n/4))
			d.Status[i] = r.IntN(3)
			d.X[0][i] = float64(r.IntN(2))
			d.X[1][i] = r.NormFloat64()
			d.Strata[i] = fmt.Sprint(r.IntN(3))
			d.Weight[i] = 0.5 + r.Float64()*2
			if r.IntN(15) == 0 {
				d.Weight[i] = 20
			}
			d.Cluster[i] = fmt.Sprint(r.IntN(n/2 + 1))
		}
		d.Status[0] = 1
		if c%3 == 0 {
			d.Weight = nil
		}
		got, err := FineGray(d)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := FineGrayRows(d.Time, d.Status, d.Weight)
		if err != nil {
			t.Fatal(err)
		}
		cd := CoxData{Start: make([]float64, len(rows)), Stop: make([]float64, len(rows)), Event: make([]bool, len(rows)),
			Weight: make([]float64, len(rows)), X: [][]float64{make([]float64, len(rows)), make([]float64, len(rows))},
			Strata: make([]string, len(rows)), Cluster: make([]string, len(rows))}
		for k, row := range rows {
			cd.Start[k], cd.Stop[k], cd.Event[k], cd.Weight[k] = row.Start, row.Stop, row.Status == 1, row.Weight
			cd.X[0][k], cd.X[1][k] = d.X[0][row.Row], d.X[1][row.Row]
			cd.Strata[k], cd.Cluster[k] = d.Strata[row.Row], d.Cluster[row.Row]
		}
		want, err := CoxModel(cd)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != len(rows) || got.Cox.Iter != want.Iter || got.Cox.Converged != want.Converged {
			t.Fatalf("case %d: rows %d iter %d conv %v; expansion %d %d %v", c, got.Rows, got.Cox.Iter, got.Cox.Converged,
				len(rows), want.Iter, want.Converged)
		}
		for j := range want.Coef {
			for _, v := range [][2]float64{{got.Cox.Coef[j], want.Coef[j]}, {got.Cox.SE[j], want.SE[j]},
				{got.Cox.RobustSE[j], want.RobustSE[j]}, {got.Cox.Loglik[1], want.Loglik[1]}} {
				if !agree(v[0], v[1], 1e-9) {
					t.Fatalf("case %d term %d: %+v, expansion %+v", c, j, got.Cox, want)
				}
			}
		}
	}
}
