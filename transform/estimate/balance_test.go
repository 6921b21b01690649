package estimate

import (
	"fmt"
	"testing"
)

func TestBalance(t *testing.T) {
	t.Parallel()
	_, sets := readGLMSets(t)
	bal := readTable(t, "balance.csv")
	byset := map[string][][]string{}
	for _, r := range bal.rows {
		byset[bal.str(t, r, "set")] = append(byset[bal.str(t, r, "set")], r)
	}
	arms := readTable(t, "balance_arm.csv")
	for _, name := range []string{"ps_big", "ps_small"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := sets[name]
			fit, err := fitGLM(t, g)
			if err != nil {
				t.Fatal(err)
			}
			tr := g.treated()
			w, err := ATEWeights(fit.Fitted, tr)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := BalanceColumns(g.terms())
			if err != nil {
				t.Fatal(err)
			}
			rows := byset[name]
			if len(rows) != len(cols.Names) {
				t.Fatalf("%d balance columns, R %d", len(cols.Names), len(rows))
			}
			for j, r := range rows {
				if cols.Names[j] != bal.str(t, r, "column") {
					t.Fatalf("column %d is %s, R %s", j, cols.Names[j], bal.str(t, r, "column"))
				}
				before, err := SMD(cols.Col(j), tr, nil)
				if err != nil {
					t.Fatal(err)
				}
				after, _ := SMD(cols.Col(j), tr, w)
				check(t, cols.Names[j]+" before", before, bal.num(t, r, "before"))
				check(t, cols.Names[j]+" after", after, bal.num(t, r, "after"))
			}
			for _, r := range arms.rows {
				if arms.str(t, r, "set") != name {
					continue
				}
				arm := arms.int(t, r, "arm") == 1
				var wa []float64
				maxw := 0.0
				for i := range w {
					if tr[i] == arm {
						wa = append(wa, w[i])
						maxw = max(maxw, w[i])
					}
				}
				check(t, fmt.Sprintf("arm %v ess", arm), KishESS(wa), arms.num(t, r, "ess"))
				check(t, fmt.Sprintf("arm %v max weight", arm), maxw, arms.num(t, r, "maxw"))
				for k := 1; k <= 3; k++ {
					check(t, fmt.Sprintf("w%d", k), w[k-1], arms.num(t, r, fmt.Sprintf("w%d", k)))
				}
			}
		})
	}
}

func TestBalanceEdges(t *testing.T) {
	t.Parallel()
	if v, err := SMD([]float64{1, 1, 1}, []bool{true, false, false}, nil); err != nil || v == v {
		t.Errorf("one treated: %v %v, want NaN", v, err)
	}
	if _, err := SMD([]float64{1}, []bool{true, false}, nil); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := ATEWeights([]float64{0, 0.5}, []bool{true, false}); err == nil {
		t.Error("ps = 0 accepted")
	}
	if e := KishESS([]float64{1, 1, 1, 1}); e != 4 {
		t.Errorf("ESS of equal weights %v", e)
	}
	if e := KishESS(nil); e == e {
		t.Errorf("ESS of nothing %v", e)
	}
}
