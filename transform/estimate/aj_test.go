package estimate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// crSet is one competing-risk data set of cr_datasets.csv (evidence.R).
type crSet struct {
	id      []string
	time    []float64
	status  []int
	w       []float64
	arm     []int
	stratum []string
}

// subset keeps the people of one arm ("0" or "1"), or everyone ("ALL").
func (d *crSet) subset(group string) *crSet {
	out := &crSet{}
	for i := range d.time {
		if group != "ALL" && fmt.Sprint(d.arm[i]) != group {
			continue
		}
		out.id = append(out.id, d.id[i])
		out.time = append(out.time, d.time[i])
		out.status = append(out.status, d.status[i])
		out.w = append(out.w, d.w[i])
		out.arm = append(out.arm, d.arm[i])
		out.stratum = append(out.stratum, d.stratum[i])
	}
	return out
}

func (d *crSet) weights(weighted bool) []float64 {
	if weighted {
		return d.w
	}
	return nil
}

func readCRSets(t *testing.T) map[string]*crSet {
	t.Helper()
	tb := readTable(t, "cr_datasets.csv")
	sets := map[string]*crSet{}
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		d := sets[name]
		if d == nil {
			d = &crSet{}
			sets[name] = d
		}
		d.id = append(d.id, tb.str(t, r, "id"))
		d.time = append(d.time, tb.num(t, r, "time"))
		d.status = append(d.status, tb.int(t, r, "status"))
		d.w = append(d.w, tb.num(t, r, "w"))
		d.arm = append(d.arm, tb.int(t, r, "arm"))
		d.stratum = append(d.stratum, tb.str(t, r, "stratum"))
	}
	return sets
}

func crOf(t *testing.T, sets map[string]*crSet, name string) *crSet {
	t.Helper()
	d, ok := sets[name]
	if !ok {
		t.Fatalf("golden refers to data set %q, which cr_datasets.csv lacks", name)
	}
	return d
}

// groupRows splits a golden by its (set, weighted, group) key, in file order.
func groupRows(t *testing.T, tb table) (keys []string, rows map[string][][]string) {
	rows = map[string][][]string{}
	for _, r := range tb.rows {
		k := tb.str(t, r, "set") + "/" + tb.str(t, r, "weighted") + "/" + tb.str(t, r, "group")
		if rows[k] == nil {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], r)
	}
	return keys, rows
}

func fitKey(t *testing.T, sets map[string]*crSet, key string) AJ {
	t.Helper()
	parts := strings.Split(key, "/")
	d := crOf(t, sets, parts[0]).subset(parts[2])
	aj, err := AalenJohansen(d.time, d.status, d.weights(parts[1] == "TRUE"))
	if err != nil {
		t.Fatal(err)
	}
	return aj
}

func TestAalenJohansenSteps(t *testing.T) {
	t.Parallel()
	sets := readCRSets(t)
	tb := readTable(t, "aj_steps.csv")
	keys, rows := groupRows(t, tb)
	if len(keys) < 15 {
		t.Fatalf("aj_steps.csv covers %d fits", len(keys))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			aj := fitKey(t, sets, key)
			want := rows[key]
			if len(aj.Steps) != len(want) {
				t.Fatalf("%d steps, R has %d", len(aj.Steps), len(want))
			}
			for i, r := range want {
				s := aj.Steps[i]
				at := fmt.Sprintf("step %d (t=%v)", i, s.Time)
				check(t, at+" time", s.Time, tb.num(t, r, "time"))
				if s.NRisk != tb.int(t, r, "n_risk") || s.NEvent[1] != tb.int(t, r, "n_event1") ||
					s.NEvent[2] != tb.int(t, r, "n_event2") || s.NCensor != tb.int(t, r, "n_censor") {
					t.Errorf("%s counts %d/%v/%d, R %v", at, s.NRisk, s.NEvent, s.NCensor, r[4:8])
				}
				for st := 0; st < 3; st++ {
					check(t, fmt.Sprintf("%s p%d", at, st), s.P[st], tb.num(t, r, fmt.Sprintf("p%d", st)))
					check(t, fmt.Sprintf("%s se%d", at, st), s.SE[st], tb.num(t, r, fmt.Sprintf("se%d", st)))
				}
			}
		})
	}
}

func TestAalenJohansenAt(t *testing.T) {
	t.Parallel()
	sets := readCRSets(t)
	tb := readTable(t, "aj_at.csv")
	keys, rows := groupRows(t, tb)
	refused := 0
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			aj := fitKey(t, sets, key)
			for _, r := range rows[key] {
				h := tb.num(t, r, "h")
				cif, ok := aj.At(h)
				if want := tb.str(t, r, "ok") == "TRUE"; ok != want {
					t.Errorf("h=%v: ok %v, R %v", h, ok, want)
					continue
				}
				if !ok {
					refused++
					continue
				}
				for st := 1; st <= 2; st++ {
					at := fmt.Sprintf("h=%v state %d", h, st)
					c := cif[st]
					check(t, at+" p", c.P, tb.num(t, r, fmt.Sprintf("p%d", st)))
					check(t, at+" se", c.SE, tb.num(t, r, fmt.Sprintf("se%d", st)))
					check(t, at+" lower", c.Lower, tb.num(t, r, fmt.Sprintf("lower%d", st)))
					check(t, at+" upper", c.Upper, tb.num(t, r, fmt.Sprintf("upper%d", st)))
					if c.Events != tb.int(t, r, fmt.Sprintf("n_event%d", st)) {
						t.Errorf("%s events %d, R %s", at, c.Events, tb.str(t, r, fmt.Sprintf("n_event%d", st)))
					}
				}
			}
		})
	}
	if refused == 0 {
		t.Error("goldens have no horizon past the last follow-up time")
	}
}

func TestCIFDifference(t *testing.T) {
	t.Parallel()
	sets := readCRSets(t)
	tb := readTable(t, "aj_diff.csv")
	for _, r := range tb.rows {
		name, h := tb.str(t, r, "set"), tb.num(t, r, "h")
		t.Run(fmt.Sprintf("%s/h=%v", name, h), func(t *testing.T) {
			d := crOf(t, sets, name)
			var cif [2]CIF
			for arm := 0; arm < 2; arm++ {
				g := d.subset(fmt.Sprint(arm))
				aj, err := AalenJohansen(g.time, g.status, g.w)
				if err != nil {
					t.Fatal(err)
				}
				c, ok := aj.At(h)
				if !ok {
					t.Fatalf("arm %d refuses h=%v", arm, h)
				}
				cif[arm] = c[StateEvent]
			}
			check(t, "p1", cif[1].P, tb.num(t, r, "p1"))
			check(t, "p0", cif[0].P, tb.num(t, r, "p0"))
			diff, lo, up := CIFDifference(cif[1], cif[0])
			check(t, "diff", diff, tb.num(t, r, "diff"))
			check(t, "lower", lo, tb.num(t, r, "lower"))
			check(t, "upper", up, tb.num(t, r, "upper"))
		})
	}
}

func TestAalenJohansenErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		time   []float64
		status []int
		w      []float64
	}{
		{"length", []float64{1, 2}, []int{1}, nil},
		{"status", []float64{1}, []int{3}, nil},
		{"time", []float64{-1}, []int{1}, nil},
		{"weight", []float64{1}, []int{1}, []float64{0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := AalenJohansen(c.time, c.status, c.w); err == nil {
				t.Error("no error")
			}
		})
	}
	aj, err := AalenJohansen(nil, nil, nil)
	if err != nil || aj.N != 0 {
		t.Errorf("empty input: %+v, %v", aj, err)
	}
	if _, ok := aj.At(0); ok {
		t.Error("empty fit answers")
	}
}

// TestAalenJohansenFastEqualsBruteForce holds the O(n log n) jackknife
// equal to carrying one influence per person (ajBruteForce) on random data
// with heavy ties, heavy weights and everyone leaving at the end.
func TestAalenJohansenFastEqualsBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	for c := 0; c < 40; c++ {
		n := 1 + r.IntN(300)
		time, status, w := make([]float64, n), make([]int, n), make([]float64, n)
		for i := range time {
			time[i] = float64(1 + r.IntN(1+n/3))
			status[i] = r.IntN(3)
			w[i] = 0.2 + 3*r.Float64()
			if r.IntN(20) == 0 {
				w[i] = 20
			}
		}
		if c%4 == 0 {
			for i := range status {
				if status[i] == 0 {
					status[i] = 1 + i%2 // nobody censored: S reaches 0
				}
			}
		}
		for _, wt := range [][]float64{nil, w} {
			fast, err := AalenJohansen(time, status, wt)
			if err != nil {
				t.Fatal(err)
			}
			slow, _ := ajBruteForce(time, status, wt)
			for k := range slow.Steps {
				for s := 0; s < 3; s++ {
					if !agree(fast.Steps[k].P[s], slow.Steps[k].P[s], 1e-12) ||
						!agree(fast.Steps[k].SE[s], slow.Steps[k].SE[s], 1e-10) {
						t.Fatalf("case %d step %d state %d: %+v, brute force %+v", c, k, s, fast.Steps[k], slow.Steps[k])
					}
				}
			}
		}
	}
}
