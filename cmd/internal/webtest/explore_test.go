package webtest

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/imet-project/imet/web"
)

func TestExploreByRegion(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	db := openSnapshot(t)
	p := getJSON(t, ts, ts.URL+"/api/explore?metric=LEAD_RANK_CIF_10Y&by=region&cohort=PARTICIPANT")
	rows := p.rows(t, "rows")
	q := `SELECT region, value, ci_low, ci_high, n FROM metric_latest
WHERE metric_id = 'LEAD_RANK_CIF_10Y' AND period = 'ALL' AND cohort = 'PARTICIPANT' AND region <> 'ALL'
  AND graduation_cohort = 'ALL' AND program = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'
  AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL' ORDER BY region`
	res, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	want := map[string]dbRow{}
	for res.Next() {
		var region string
		var r dbRow
		if err := res.Scan(&region, &r.value, &r.low, &r.high, &r.n); err != nil {
			t.Fatal(err)
		}
		want[region] = r
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 3 {
		t.Fatalf("the demo has %d regions; the test needs several", len(want))
	}
	if len(rows) != len(want) {
		t.Errorf("explore by region gives %d rows; metric_values has %d regions", len(rows), len(want))
	}
	for _, r := range rows {
		region := fmt.Sprint(r["region"])
		w, ok := want[region]
		if !ok {
			t.Errorf("region %s is not in metric_values", region)
			continue
		}
		if !sameNumber(r["value"], w.value) || !sameNumber(r["ci_low"], w.low) || !sameNumber(r["ci_high"], w.high) {
			t.Errorf("%s: %v (%v – %v), metric_values %v (%v – %v)", region, r["value"], r["ci_low"], r["ci_high"], w.value, w.low, w.high)
		}
		if n, _ := cellNum(r["n"]); int64(n) != w.n.Int64 {
			t.Errorf("%s: n %v, metric_values %d", region, r["n"], w.n.Int64)
		}
		var cov float64
		if err := db.QueryRow(`SELECT value FROM metric_latest WHERE metric_id = 'TRACK_24M' AND period = 'ALL' AND cohort = 'PARTICIPANT'
  AND region = ? AND graduation_cohort = 'ALL' AND program = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'
  AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'`, region).Scan(&cov); err != nil {
			t.Fatal(err)
		}
		if got, ok := cellNum(r["read_beside_value"]); !ok || !closeTo(got, cov) {
			t.Errorf("%s: read beside %v, TRACK_24M of the region %v", region, r["read_beside_value"], cov)
		}
	}
}

func TestExploreCSVEqualsTable(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	const query = "metric=LEAD_RANK_HR&by=region&sort=value&desc=1"
	p := getJSON(t, ts, ts.URL+"/api/explore?"+query)
	code, body := get(t, ts, "/api/explore?"+query+"&format=csv&table=rows")
	if code != http.StatusOK {
		t.Fatalf("CSV: status %d: %s", code, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := p.Tables[0]
	if len(recs) != len(tb.Rows)+1 {
		t.Fatalf("the CSV has %d rows, the table %d", len(recs)-1, len(tb.Rows))
	}
	for i, c := range tb.Columns {
		if recs[0][i] != c.Name {
			t.Errorf("CSV column %d is %s, the table's %s", i, recs[0][i], c.Name)
		}
	}
	for i, row := range tb.Rows {
		for j, cell := range row {
			got := recs[i+1][j]
			switch x := cell.(type) {
			case nil:
				if got != "" {
					t.Errorf("row %d %s: CSV %q for an empty cell", i, tb.Columns[j].Name, got)
				}
			case float64:
				if f, err := strconv.ParseFloat(got, 64); err != nil || !closeTo(f, x) {
					t.Errorf("row %d %s: CSV %q, table %v", i, tb.Columns[j].Name, got, x)
				}
			default:
				if got != fmt.Sprint(x) {
					t.Errorf("row %d %s: CSV %q, table %v", i, tb.Columns[j].Name, got, x)
				}
			}
		}
	}
	// sorted by value, largest first
	vi := tb.col(t, "value")
	for i := 1; i < len(tb.Rows); i++ {
		a, _ := cellNum(tb.Rows[i-1][vi])
		b, _ := cellNum(tb.Rows[i][vi])
		if a < b {
			t.Errorf("sort=value&desc=1: row %d (%v) before row %d (%v)", i-1, a, i, b)
		}
	}
}

func TestExploreFilters(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	values := func(query string) []string {
		p := getJSON(t, ts, ts.URL+"/api/explore?"+query)
		var out []string
		for _, r := range p.rows(t, "rows") {
			out = append(out, fmt.Sprint(r["value"]))
		}
		return out
	}
	part := values("metric=LEAD_RANK_CIF_10Y&by=region&cohort=PARTICIPANT")
	comp := values("metric=LEAD_RANK_CIF_10Y&by=region&cohort=COMPARISON")
	if slices.Equal(part, comp) {
		t.Error("cohort=PARTICIPANT and cohort=COMPARISON give the same rows")
	}
	byCat := values("metric=LEAD_RANK_CIF_10Y&by=course_category&cohort=PARTICIPANT")
	if slices.Equal(part, byCat) {
		t.Error("by=region and by=course_category give the same rows")
	}
	filtered := values("metric=LEAD_RANK_CIF_10Y&by=region&cohort=PARTICIPANT&filter=AF")
	if len(filtered) == 0 || len(filtered) >= len(part) {
		t.Errorf("filter=AF keeps %d of %d rows", len(filtered), len(part))
	}
	every := values("metric=LEAD_RANK_CIF_10Y&by=region&cohort=*")
	if len(every) != len(part)+len(comp) {
		t.Errorf("cohort=* gives %d rows; the groups have %d and %d", len(every), len(part), len(comp))
	}

	t.Run("the chart follows the table", func(t *testing.T) {
		_, all := get(t, ts, "/explore?metric=LEAD_RANK_CIF_10Y&by=region&cohort=PARTICIPANT")
		_, one := get(t, ts, "/explore?metric=LEAD_RANK_CIF_10Y&by=region&cohort=PARTICIPANT&filter=AF")
		marks := regexp.MustCompile(`<circle `)
		if a, o := len(marks.FindAllString(all, -1)), len(marks.FindAllString(one, -1)); o >= a || o == 0 {
			t.Errorf("the chart has %d marks for all regions and %d for filter=AF", a, o)
		}
		for _, want := range []string{`<figure class="chart" data-table="rows">`, `<select name="metric">`, `<select name="by">`,
			`<select name="period">`, `<select name="cohort">`, `<select name="transform">`, `<section class="table" id="table-rows">`, `class="download"`} {
			if !strings.Contains(all, want) {
				t.Errorf("the explore page lacks %s", want)
			}
		}
	})
	t.Run("options come from the data", func(t *testing.T) {
		_, body := get(t, ts, "/explore?metric=COMPLETION")
		if !strings.Contains(body, `<option value="FY2026Q4"`) {
			t.Error("COMPLETION's periods do not list FY2026Q4")
		}
		if strings.Contains(body, `<option value="graduation_cohort"`) {
			t.Error("COMPLETION, which is not published by graduation cohort, offers it")
		}
		_, body = get(t, ts, "/explore?metric=COMPLETION&by=period")
		if !strings.Contains(body, `<option value="period" selected>`) {
			t.Error("by=period is not the By choice shown for COMPLETION, counted per period")
		}
	})
}

func TestExploreBadRequests(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, c := range []struct{ path, want string }{
		{"/explore?metric=NOPE", "choose one of"},
		{"/api/explore?metric=NOPE", "LEAD_RANK_CIF_10Y"},
		{"/api/explore?by=colour", "choose none or one of"},
		{"/api/explore?transform=1999-01-01/1", "choose one of"},
		{"/api/explore?sort=nope", "no such column"},
	} {
		t.Run(c.path, func(t *testing.T) {
			code, body := get(t, ts, c.path)
			if code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", code)
			}
			if !strings.Contains(body, c.want) {
				t.Errorf("the answer does not say %q: %s", c.want, body)
			}
		})
	}
}

func TestExplorePublic(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(o *web.Options) { o.Public = true })
	p := getJSON(t, ts, ts.URL+"/api/explore?metric=LEAD_RANK_CIF_10Y&by=country_code&cohort=*")
	rows := p.rows(t, "rows")
	withheld := 0
	for _, r := range rows {
		for _, col := range []string{"n", "events"} {
			if n, ok := r[col].(float64); ok && n >= 1 && n < 5 {
				t.Errorf("%v/%v: %s = %v below the threshold 5", r["country_code"], r["cohort"], col, n)
			}
		}
		if r["value"] == "suppressed" {
			withheld++
		}
	}
	if withheld == 0 {
		t.Error("no country row is withheld: the test does not test the disclosure control")
	}
	_, body := get(t, ts, "/explore?metric=LEAD_RANK_CIF_10Y&by=country_code&cohort=*")
	if m := regexp.MustCompile(`n [1-4]<`).FindString(body); m != "" {
		t.Errorf("the public chart shows %q", m)
	}
	if !strings.Contains(body, "withheld") {
		t.Error("the public chart does not say which rows are withheld")
	}
}
