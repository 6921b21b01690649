package transform

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// goldenSet reads one data set of estimate's shrink goldens (shrink.R):
// x, n and R's BLUP share, lower and upper per study.
func goldenSet(t *testing.T, set string) (x, n []int, want [][3]float64) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open("estimate/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	for _, r := range read("shrink_data.csv") { // set,study,x,n
		if r[0] == set {
			xi, _ := strconv.Atoi(r[2])
			ni, _ := strconv.Atoi(r[3])
			x, n = append(x, xi), append(n, ni)
		}
	}
	for _, r := range read("shrink_study.csv") { // ...,share,lower,upper last
		if r[0] == set {
			var v [3]float64
			for i := range v {
				v[i], _ = strconv.ParseFloat(r[len(r)-3+i], 64)
			}
			want = append(want, v)
		}
	}
	if len(x) == 0 || len(x) != len(want) {
		t.Fatalf("golden set %s: %d studies, %d results", set, len(x), len(want))
	}
	return x, n, want
}

// seedPenetration writes LEAD_PENETRATION rows of (dayD, vintage 1): one
// per country (C1, C2, …) and the period's total, with the given note on
// the first country.
func seedPenetration(t *testing.T, db *sql.DB, period string, x, n []int, note string) {
	t.Helper()
	ins := func(country string, xi, ni int, note string) {
		exec(t, db, fmt.Sprintf(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code,
			course_category, sex, ecl_band, n, events, numerator, denominator, value, note, as_of, vintage)
			VALUES ('LEAD_PENETRATION', '%s', 'ALL', 'ALL', 'ALL', 'ALL', '%s', 'ALL', 'ALL', 'ALL', %d, %d, %d, %d, %g, %s, DATE '%s', 1)`,
			period, country, ni, xi, xi, ni, float64(xi)/float64(ni), note, dayD.Format("2006-01-02")))
	}
	sx, sn := 0, 0
	for i := range x {
		nt := "NULL"
		if i == 0 && note != "" {
			nt = "'" + note + "'"
		}
		ins(fmt.Sprintf("C%d", i+1), x[i], n[i], nt)
		sx, sn = sx+x[i], sn+n[i]
	}
	ins("ALL", sx, sn, "NULL")
}

// LEAD_PENETRATION_SHRUNK pools each group's countries (here two periods,
// standing for two post levels) separately, equals metafor's BLUPs, keeps
// the raw rows' n, numerator and notes, and puts the pooled share and tau²
// on the total row.
func TestLeadPenetrationShrunk(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	mx, mn, mwant := goldenSet(t, "mixed")
	hx, hn, hwant := goldenSet(t, "homog")
	seedPenetration(t, db, "ALL", mx, mn, "2 holdings awaiting link review")
	seedPenetration(t, db, "FY2026", hx, hn, "")
	ctx := context.Background()
	conn, tx := testTx(t, db)
	c := &computer{tx: tx, conn: conn, opt: withDefaults(Options{AsOf: dayD}), vintage: 1}
	m, _ := Lookup("LEAD_PENETRATION_SHRUNK")
	got, err := c.metric(ctx, m)
	if err == nil {
		err = c.flush(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(mx) + len(hx) + 2); got != want {
		t.Errorf("%d rows, want %d", got, want)
	}
	for _, g := range []struct {
		period string
		x, n   []int
		want   [][3]float64
		tau2   string
	}{{"ALL", mx, mn, mwant, "tau² = 0.8058"}, {"FY2026", hx, hn, hwant, "tau² = 0 "}} {
		for i := range g.x {
			var n, events int64
			var num, den, v, lo, hi float64
			var note sql.NullString
			if err := tx.QueryRow(`SELECT n, events, numerator, denominator, value, ci_low, ci_high, note FROM metric_values
				WHERE metric_id = 'LEAD_PENETRATION_SHRUNK' AND period = ? AND country_code = ?`, g.period, fmt.Sprintf("C%d", i+1)).
				Scan(&n, &events, &num, &den, &v, &lo, &hi, &note); err != nil {
				t.Fatalf("%s C%d: %v", g.period, i+1, err)
			}
			if n != int64(g.n[i]) || events != int64(g.x[i]) || num != float64(g.x[i]) || den != float64(g.n[i]) {
				t.Errorf("%s C%d: n %d events %d num %g den %g, want the raw %d of %d", g.period, i+1, n, events, num, den, g.x[i], g.n[i])
			}
			for j, v := range []float64{v, lo, hi} {
				if math.Abs(v-g.want[i][j]) > 1e-6 {
					t.Errorf("%s C%d: column %d = %.9g, metafor says %.9g", g.period, i+1, j, v, g.want[i][j])
				}
			}
			if g.period == "ALL" && i == 0 && !strings.Contains(note.String, "2 holdings awaiting link review") {
				t.Errorf("C1 note %q lost the raw row's", note.String)
			}
			if small := g.n[i] < 10; small != strings.Contains(note.String, "small n") {
				t.Errorf("%s C%d (n %d): note %q", g.period, i+1, g.n[i], note.String)
			}
		}
		var n int64
		var note string
		if err := tx.QueryRow(`SELECT n, note FROM metric_values WHERE metric_id = 'LEAD_PENETRATION_SHRUNK' AND period = ? AND country_code = 'ALL'`,
			g.period).Scan(&n, &note); err != nil {
			t.Fatal(err)
		}
		if n != int64(sumInts(g.n)) || !strings.Contains(note, g.tau2) || !strings.Contains(note, fmt.Sprintf("%d countries", len(g.x))) {
			t.Errorf("%s total: n %d note %q, want n %d and %q", g.period, n, note, sumInts(g.n), g.tau2)
		}
	}
}

// The shrunken metric is computed after every metric it could read, and
// only a From metric is.
func TestComputeOrderPutsFromLast(t *testing.T) {
	t.Parallel()
	order := computeOrder(Registry)
	if len(order) != len(Registry) {
		t.Fatalf("%d metrics, registry has %d", len(order), len(Registry))
	}
	seenFrom := false
	for _, m := range order {
		if m.From != "" {
			seenFrom = true
		} else if seenFrom {
			t.Errorf("%s is computed after a From metric", m.ID)
		}
		if (m.From != "") != (m.Estimator == Shrunk) {
			t.Errorf("%s: from %q, estimator %s", m.ID, m.From, m.Estimator.Code())
		}
	}
	if !seenFrom {
		t.Error("no From metric in the registry")
	}
}

// explain sends a reader of the shrunken metric to the rows it comes from.
func TestExplainShrunkPointsToFrom(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	_, err := Explain(context.Background(), db, Options{AsOf: dayD}, "LEAD_PENETRATION_SHRUNK", nil)
	if err == nil || !strings.Contains(err.Error(), "imet explain LEAD_PENETRATION") {
		t.Errorf("explain LEAD_PENETRATION_SHRUNK: %v", err)
	}
}
