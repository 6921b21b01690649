package webtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/imet-project/imet/transform/estimate"
	"github.com/imet-project/imet/web"
)

// getPageData fetches the JSON of a page and fails unless it is a 200.
func getPageData(t testing.TB, ts *httptest.Server, path string) *page {
	t.Helper()
	status, body := get(t, ts, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	var p page
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return &p
}

// sqlRows runs a query through the server's console (POST /api/sql).
func sqlRows(t testing.TB, ts *httptest.Server, q string) [][]any {
	t.Helper()
	code, a := postSQL(t, ts, q)
	if code != http.StatusOK || a.Error != "" {
		t.Fatalf("%s: %d %s", q, code, a.Error)
	}
	return a.Rows
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	case nil:
		return math.NaN()
	}
	return math.NaN()
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

const headlineWhere = `as_of = (SELECT as_of FROM metric_latest LIMIT 1) AND vintage = (SELECT vintage FROM metric_latest LIMIT 1)`

// TestCurvesStepsEqualStoredCurves: by cohort, the page's steps are the
// transform's own km_curves (as 1 − S) and cif_curves rows.
func TestCurvesStepsEqualStoredCurves(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, c := range []struct{ estimate, q string }{
		{"km", `SELECT cohort, time, n_risk, n_event, n_censor, 1 - surv FROM km_curves WHERE outcome = 'LEAD_RANK' AND ` + headlineWhere + ` ORDER BY cohort DESC, time`},
		{"cif", `SELECT cohort, time, n_risk, n_event, n_censor, p_event FROM cif_curves WHERE outcome = 'LEAD_RANK' AND ` + headlineWhere + ` ORDER BY cohort DESC, time`},
	} {
		t.Run(c.estimate, func(t *testing.T) {
			want := sqlRows(t, ts, c.q)
			steps := getPageData(t, ts, "/api/curves?outcome=LEAD_RANK&estimate="+c.estimate).table(t, "steps")
			if len(want) == 0 || len(steps.Rows) != len(want) {
				t.Fatalf("%d steps, km/cif tables have %d", len(steps.Rows), len(want))
			}
			cols := []string{"cohort", "time", "n_risk", "n_event", "n_censor", "estimate"}
			for i, w := range want {
				for j, name := range cols {
					got := steps.Rows[i][steps.col(t, name)]
					if j == 0 {
						if got != w[0] {
							t.Fatalf("row %d: cohort %v, want %v", i, got, w[0])
						}
						continue
					}
					if !near(num(got), num(w[j])) {
						t.Fatalf("row %d (%v at %v): %s = %v, want %v", i, w[0], w[1], name, got, w[j])
					}
				}
			}
		})
	}
}

// TestCurvesByRegionIsTheEstimator: a curve by region is what
// estimate.KaplanMeier gives on that region's graduates in outcomes.
func TestCurvesByRegionIsTheEstimator(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	rows := sqlRows(t, ts, `SELECT time::DOUBLE, status FROM outcomes WHERE outcome = 'LEAD_RANK' AND cohort = 'PARTICIPANT' AND region = 'AF'`)
	obs := make([]estimate.Obs, len(rows))
	for i, r := range rows {
		obs[i] = estimate.Obs{Time: num(r[0]), Event: r[1] == true}
	}
	km := estimate.KaplanMeier(obs)
	s5, lo5, hi5, ok := km.At(5 * 365.25)
	if !ok || len(obs) < 50 {
		t.Fatalf("the demo's AF graduates: %d, curve at 5 years ok=%v", len(obs), ok)
	}
	p := getPageData(t, ts, "/api/curves?outcome=LEAD_RANK&by=region")
	if got := p.filter(t, "cohort"); got != "PARTICIPANT" {
		t.Errorf("by region covers %s by default, want PARTICIPANT (graduates)", got)
	}
	groups := p.table(t, "groups")
	found := false
	for _, r := range groups.Rows {
		if r[0] != "AF" {
			continue
		}
		found = true
		if n := num(r[groups.col(t, "n")]); int(n) != len(obs) {
			t.Errorf("AF n = %v, want %d", n, len(obs))
		}
		for name, want := range map[string]float64{"at_5y": 1 - s5, "at_5y_low": 1 - hi5, "at_5y_high": 1 - lo5} {
			if got := num(r[groups.col(t, name)]); !near(got, want) {
				t.Errorf("AF %s = %v, want %v (1 − the Kaplan-Meier estimate)", name, got, want)
			}
		}
	}
	if !found {
		t.Fatalf("no AF group in %v", groups.Rows)
	}
	steps := p.table(t, "steps")
	n := 0
	for _, r := range steps.Rows {
		if r[0] == "AF" {
			n++
		}
	}
	if n != len(km.Steps) {
		t.Errorf("AF has %d steps, the estimator %d", n, len(km.Steps))
	}
}

// TestCurvesChart: the chart is the report's Kaplan-Meier picture with
// numbers at risk and hover values; bad parameters say what to change.
func TestCurvesChart(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	status, body := get(t, ts, "/curves?outcome=INTEROP")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`<figure class="chart" data-table="steps">`, "Number at risk", "<title>PARTICIPANT, 0.5 years: ", `<select name="by">`, `class="download"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/curves lacks %q", want)
		}
	}
	// a competing-exit curve asked of an outcome without one falls back to
	// Kaplan-Meier, saying so
	if status, body := get(t, ts, "/curves?outcome=PROMO&estimate=cif"); status != http.StatusOK || !strings.Contains(body, "PROMO has no competing-exit curve") {
		t.Errorf("PROMO with estimate=cif: %d, without saying it shows Kaplan-Meier", status)
	}
	// the number at risk at 0 is the group's n
	groups := getPageData(t, ts, "/api/curves?outcome=INTEROP").table(t, "groups")
	for _, r := range groups.Rows {
		n := fmt.Sprintf(">%s<", thousandsText(int64(num(r[1]))))
		if !strings.Contains(body, n) {
			t.Errorf("the chart's numbers at risk lack %s's n %s", r[0], n)
		}
	}
	for _, path := range []string{"/curves?outcome=NOPE", "/curves?by=student_id", "/curves?estimate=cox", "/curves?by=region&cohort=X"} {
		if status, body := get(t, ts, path); status != http.StatusBadRequest || !strings.Contains(body, "choose") {
			t.Errorf("%s: %d, want 400 saying what to choose", path, status)
		}
	}
}

func thousandsText(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkNoSmallCounts fails if a count column of any table of the page has a
// value from 1 to k−1.
func checkNoSmallCounts(t *testing.T, p *page, path string, k float64) {
	t.Helper()
	for _, tb := range p.Tables {
		for j, c := range tb.Columns {
			if c.Unit != "count" {
				continue
			}
			for _, r := range tb.Rows {
				if v := num(r[j]); v >= 1 && v < k {
					t.Errorf("%s: table %s column %s shows %v, below %v", path, tb.Name, c.Name, r[j], k)
					return
				}
			}
		}
	}
}

var atRiskTitle = regexp.MustCompile(`; ([0-9,<]+) at risk</title>`)

// TestCurvesPublic: with --public, no count below k, no group below k.
func TestCurvesPublic(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(o *web.Options) { o.Public = true })
	for _, path := range []string{"/curves?outcome=LEAD_RANK", "/curves?outcome=LEAD_RANK&by=country_code", "/curves?outcome=LEAD_POS&by=sex&estimate=cif"} {
		p := getPageData(t, ts, "/api"+path)
		checkNoSmallCounts(t, p, path, 5)
		for _, r := range p.table(t, "groups").Rows {
			if n := num(r[1]); !(n >= 5) {
				t.Errorf("%s: group %v of n %v is shown", path, r[0], r[1])
			}
		}
		_, body := get(t, ts, path)
		for _, m := range atRiskTitle.FindAllStringSubmatch(body, -1) {
			if n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); err == nil && n > 0 && n < 5 {
				t.Errorf("%s: a hover says %s at risk", path, m[1])
			}
		}
	}
	_, body := get(t, ts, "/curves?outcome=LEAD_RANK&by=country_code")
	if !strings.Contains(body, "not drawn or listed (public view)") {
		t.Errorf("the public page by country does not say groups below k are left out")
	}
}
