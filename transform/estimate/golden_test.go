package estimate

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// The goldens are written by testdata/goldens.R (see its header); these
// helpers read them. Tests never run R.

const tol = 1e-6

// table is one golden CSV: a header and rows addressed by column name.
type table struct {
	col  map[string]int
	rows [][]string
}

func readTable(t *testing.T, name string) table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("golden %s: %v (regenerate with testdata/goldens.R)", name, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("golden %s has no rows", name)
	}
	tb := table{col: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		tb.col[h] = i
	}
	return tb
}

func (tb table) str(t *testing.T, row []string, name string) string {
	t.Helper()
	i, ok := tb.col[name]
	if !ok {
		t.Fatalf("golden has no column %q", name)
	}
	return row[i]
}

// num parses a golden number: NA (R's NA or NaN) is NaN, Inf/-Inf infinite.
func (tb table) num(t *testing.T, row []string, name string) float64 {
	t.Helper()
	s := tb.str(t, row, name)
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("column %s: %v", name, err)
	}
	return v
}

func (tb table) int(t *testing.T, row []string, name string) int {
	t.Helper()
	v, err := strconv.Atoi(tb.str(t, row, name))
	if err != nil {
		t.Fatalf("column %s: %v", name, err)
	}
	return v
}

// agree reports whether got matches R's want: both NaN (R's NA), the same
// infinity, or within tol absolute (relative when |want| > 1).
func agree(got, want, tol float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !agree(got, want, tol) {
		t.Errorf("%s = %.12g, R says %.12g", what, got, want)
	}
	worst.note(t.Name(), got, want)
}

// worst records, per top-level test, the largest difference from R seen by
// check, absolute (relative where |R| > 1, as agree measures it); go test
// -v prints it (TestMain).
var worst = &diffs{max: map[string]float64{}}

type diffs struct {
	mu  sync.Mutex
	max map[string]float64
}

func (d *diffs) note(name string, got, want float64) {
	if math.IsNaN(got) || math.IsNaN(want) || math.IsInf(want, 0) || math.IsInf(got, 0) {
		return
	}
	for i, c := range name {
		if c == '/' {
			name = name[:i]
			break
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.max[name] = math.Max(d.max[name], math.Abs(got-want)/math.Max(1, math.Abs(want)))
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		names := make([]string, 0, len(worst.max))
		for k := range worst.max {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Printf("largest |Go - R|/max(1, |R|) %-32s %.3g\n", k, worst.max[k])
		}
	}
	os.Exit(code)
}

// dataset is one data set from datasets.csv.
type dataset struct {
	obs    []Obs
	x      []float64
	strata []string // nil when the set has no strata ("-")
}

func (d dataset) groups() []int {
	g := make([]int, len(d.x))
	for i, v := range d.x {
		g[i] = int(v)
	}
	return g
}

func readDatasets(t *testing.T) map[string]*dataset {
	t.Helper()
	tb := readTable(t, "datasets.csv")
	sets := map[string]*dataset{}
	for _, r := range tb.rows {
		name := tb.str(t, r, "set")
		d := sets[name]
		if d == nil {
			d = &dataset{}
			sets[name] = d
		}
		st := tb.int(t, r, "status")
		if st != 0 && st != 1 {
			t.Fatalf("set %s: status %d", name, st)
		}
		d.obs = append(d.obs, Obs{Time: tb.num(t, r, "time"), Event: st == 1})
		d.x = append(d.x, tb.num(t, r, "x"))
		d.strata = append(d.strata, tb.str(t, r, "stratum"))
	}
	for _, d := range sets {
		if d.strata[0] == "-" {
			d.strata = nil
		}
	}
	return sets
}

func set(t *testing.T, sets map[string]*dataset, name string) *dataset {
	t.Helper()
	d, ok := sets[name]
	if !ok {
		t.Fatalf("golden refers to data set %q, which datasets.csv lacks", name)
	}
	return d
}

func TestAgree(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		got, want float64
		ok        bool
	}{
		{1, 1, true}, {1 + 5e-7, 1, true}, {1 + 2e-6, 1, false},
		{1000 + 5e-4, 1000, true}, {1000 + 2e-3, 1000, false},
		{nan, nan, true}, {nan, 0, false}, {0, nan, false},
		{inf, inf, true}, {-inf, inf, false}, {1e300, inf, false},
	} {
		if agree(c.got, c.want, tol) != c.ok {
			t.Errorf("agree(%v, %v) = %v", c.got, c.want, !c.ok)
		}
	}
}
