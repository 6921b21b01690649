package webtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/web"
)

// page is a page's JSON as a client reads it.

func getJSON(t *testing.T, ts interface {
	Client() *http.Client
}, url string) page {
	t.Helper()
	resp, err := ts.Client().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	var p page
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return p
}

// openSnapshot opens the demo workspace's snapshot as the tests' own
// reading of the numbers.
func openSnapshot(t *testing.T) *sql.DB {
	t.Helper()
	db, err := schemas.OpenReadOnly(context.Background(), filepath.Join(demoWS, "published", "imet.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dbRow is one metric_values row's numbers.
type dbRow struct {
	value, low, high sql.NullFloat64
	n                sql.NullInt64
}

// wholeRows reads the whole-population rows of one transform as the
// overview shows them: period ALL, or the fiscal year of D for a metric
// without an ALL row; keyed metric/cohort.
func wholeRows(t *testing.T, db *sql.DB, asOf string, vintage int64) map[string]dbRow {
	t.Helper()
	d, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		t.Fatal(err)
	}
	fy := fmt.Sprintf("FY%d", schemas.FiscalYear(d))
	rows, err := db.Query(`SELECT metric_id, cohort, value, ci_low, ci_high, n FROM metric_values m
WHERE as_of = ?::DATE AND vintage = ? AND graduation_cohort = 'ALL' AND program = 'ALL' AND region = 'ALL' AND country_code = 'ALL'
  AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'
  AND (period = 'ALL' OR (period = ? AND NOT EXISTS (SELECT 1 FROM metric_values a WHERE a.metric_id = m.metric_id
       AND a.as_of = m.as_of AND a.vintage = m.vintage AND a.period = 'ALL')))`, asOf, vintage, fy)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]dbRow{}
	for rows.Next() {
		var id, cohort string
		var r dbRow
		if err := rows.Scan(&id, &cohort, &r.value, &r.low, &r.high, &r.n); err != nil {
			t.Fatal(err)
		}
		out[id+"/"+cohort] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func cellNum(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// sameNumber says whether a JSON cell holds the database's value.
func sameNumber(cell any, v sql.NullFloat64) bool {
	if !v.Valid {
		return cell == nil
	}
	x, ok := cellNum(cell)
	return ok && closeTo(x, v.Float64)
}

func TestOverviewHeadline(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	db := openSnapshot(t)
	var asOf string
	var vintage int64
	if err := db.QueryRow(`SELECT strftime(as_of, '%Y-%m-%d'), vintage FROM metric_latest LIMIT 1`).Scan(&asOf, &vintage); err != nil {
		t.Fatal(err)
	}
	p := getJSON(t, ts, ts.URL+"/api/overview")
	rows := p.rows(t, "headline")
	latest := wholeRows(t, db, asOf, vintage)
	if len(rows) != len(latest) {
		t.Errorf("the headline has %d rows; metric_latest has %d whole-population rows", len(rows), len(latest))
	}
	d, _ := time.Parse(time.DateOnly, asOf)
	prevQ := wholeRows(t, db, schemas.LastQuarterEnd(d).Format(time.DateOnly), vintage)
	prevY := wholeRows(t, db, d.AddDate(-1, 0, 0).Format(time.DateOnly), vintage)
	if len(prevQ) == 0 || len(prevY) == 0 {
		t.Fatal("the demo snapshot should hold the transforms of the quarter and the year before")
	}
	seen := map[string]bool{}
	for _, r := range rows {
		key := fmt.Sprint(r["metric_id"]) + "/" + fmt.Sprint(r["cohort"])
		seen[key] = true
		want, ok := latest[key]
		if !ok {
			t.Errorf("%s: on the overview, not among metric_latest's whole-population rows", key)
			continue
		}
		if !sameNumber(r["value"], want.value) {
			t.Errorf("%s: value %v, metric_latest %v", key, r["value"], want.value)
		}
		if n, _ := cellNum(r["n"]); want.n.Valid && int64(n) != want.n.Int64 {
			t.Errorf("%s: n %v, metric_latest %d", key, r["n"], want.n.Int64)
		}
		zeroWidth := r["ci_low"] == nil && r["ci_high"] == nil && strings.Contains(fmt.Sprint(r["note"]), "one-sided")
		if !zeroWidth && (!sameNumber(r["ci_low"], want.low) || !sameNumber(r["ci_high"], want.high)) {
			t.Errorf("%s: interval %v – %v, metric_latest %v – %v", key, r["ci_low"], r["ci_high"], want.low, want.high)
		}
		for col, then := range map[string]map[string]dbRow{"change_last_quarter": prevQ, "change_year_ago": prevY} {
			was, ok := then[key]
			switch {
			case ok && col == "change_last_quarter" && r["period"] != "ALL":
				// the fiscal year to date a quarter ago spanned fewer months
				if r[col] != "not like for like (fiscal year to date)" {
					t.Errorf("%s: %s = %v for a fiscal year to date a quarter apart", key, col, r[col])
				}
			case !ok:
				if r[col] != "not computed then" {
					t.Errorf("%s: %s = %v for a metric not computed then", key, col, r[col])
				}
			case !want.value.Valid || !was.value.Valid:
				if r[col] != nil {
					t.Errorf("%s: %s = %v without two values", key, col, r[col])
				}
			default:
				if got, ok := cellNum(r[col]); !ok || !closeTo(got, want.value.Float64-was.value.Float64) {
					t.Errorf("%s: %s = %v, want %v", key, col, r[col], want.value.Float64-was.value.Float64)
				}
			}
		}
	}
	for key := range latest {
		if !seen[key] {
			t.Errorf("%s: a whole-population row of metric_latest missing from the overview", key)
		}
	}
	// The coverage beside each rate is its ReadBeside metric's value for the same group.
	for _, r := range rows {
		if r["read_beside"] == nil {
			continue
		}
		key := fmt.Sprint(r["read_beside"]) + "/" + fmt.Sprint(r["cohort"])
		if b, ok := latest[key]; ok && !sameNumber(r["read_beside_value"], b.value) {
			t.Errorf("%s/%s: read beside %v, %s is %v", r["metric_id"], r["cohort"], r["read_beside_value"], key, b.value)
		}
	}
	trend := p.rows(t, "trend")
	if len(trend) <= len(rows) {
		t.Errorf("the trend has %d rows for %d headline rows: it should have one per transform", len(trend), len(rows))
	}
}

func TestOverviewHTML(t *testing.T) {
	t.Parallel()
	t.Run("private", func(t *testing.T) {
		t.Parallel()
		ts := newServer(t, nil)
		code, body := get(t, ts, "/")
		if code != http.StatusOK {
			t.Fatalf("status %d: %s", code, body)
		}
		for _, want := range []string{`<section class="table" id="table-headline">`, `<figure class="chart" data-table="trend">`,
			`href="/explore?metric=LEAD_RANK_CIF_10Y"`, `href="/lineage?`, `class="download"`, "<title>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the overview lacks %s", want)
			}
		}
		if strings.Contains(body, " style=") {
			t.Error("the overview has an inline style attribute, which the CSP refuses")
		}
	})
	t.Run("public", func(t *testing.T) {
		t.Parallel()
		ts := newServer(t, func(o *web.Options) { o.Public = true })
		code, body := get(t, ts, "/")
		if code != http.StatusOK {
			t.Fatalf("status %d: %s", code, body)
		}
		if strings.Contains(body, "/lineage?") {
			t.Error("the public overview links to lineage, which --public turns off")
		}
		p := getJSON(t, ts, ts.URL+"/api/overview")
		for _, name := range []string{"headline", "trend"} {
			for _, r := range p.rows(t, name) {
				if n, ok := r["n"].(float64); ok && n >= 1 && n < 5 {
					t.Errorf("%s: %s/%s shows n = %v below the threshold 5", name, r["metric_id"], r["cohort"], n)
				}
			}
		}
	})
}
