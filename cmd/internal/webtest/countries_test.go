package webtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/imet-project/imet/web"
)

// countryRowsSQL is metric_latest's country rows of one metric, period
// and cohort, every other disaggregation ALL.
func countryRowsSQL(metric, period, cohort string) string {
	return fmt.Sprintf(`SELECT country_code, value, ci_low, ci_high, n FROM metric_latest
		WHERE metric_id = '%s' AND period = '%s' AND cohort = '%s' AND country_code <> 'ALL'
		AND graduation_cohort = 'ALL' AND program = 'ALL' AND region = 'ALL' AND course_category = 'ALL'
		AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL' ORDER BY country_code`, metric, period, cohort)
}

// TestCountriesTableIsMetricValues: the countries table's value, interval
// and n are metric_values' country rows of the chosen metric.
func TestCountriesTableIsMetricValues(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	p := getPageData(t, ts, "/api/countries")
	metric, period, cohort := p.filter(t, "metric"), p.filter(t, "period"), p.filter(t, "cohort")
	if !strings.HasPrefix(p.table(t, "countries").Columns[4].Unit, "share") {
		t.Errorf("the default metric %s is not a share", metric)
	}
	want := sqlRows(t, ts, countryRowsSQL(metric, period, cohort))
	if len(want) < 20 {
		t.Fatalf("%s has %d country rows in the demo", metric, len(want))
	}
	tb := p.table(t, "countries")
	got := map[string][]any{}
	for _, r := range tb.Rows {
		got[r[0].(string)] = r
	}
	for _, w := range want {
		r, ok := got[w[0].(string)]
		if !ok {
			t.Errorf("%s is not in the table", w[0])
			continue
		}
		for j, name := range []string{"value", "ci_low", "ci_high", "n"} {
			if g := r[tb.col(t, name)]; !near(num(g), num(w[j+1])) {
				t.Errorf("%s %s = %v, metric_values has %v", w[0], name, g, w[j+1])
			}
		}
	}
	// graduates are the graduates table's
	g := sqlRows(t, ts, `SELECT country_code, count(*) FROM graduates WHERE country_code = 'COL' GROUP BY 1`)
	if r := got["COL"]; r == nil || num(r[tb.col(t, "graduates")]) != num(g[0][1]) {
		t.Errorf("COL graduates %v, want %v", r, g)
	}
	if status, body := get(t, ts, "/countries?metric=NOPE"); status != http.StatusBadRequest || !strings.Contains(body, "choose one of") {
		t.Errorf("metric=NOPE: %d", status)
	}
	// a period the metric lacks (kept by the form from the last metric)
	// shows the metric's own, saying so
	if status, body := get(t, ts, "/countries?metric=COMPLETION&period=ALL"); status != http.StatusOK || !strings.Contains(body, "COMPLETION has no country rows for period ALL") {
		t.Errorf("COMPLETION with period=ALL: %d, without saying which period it shows", status)
	}
}

var mapPath = regexp.MustCompile(`<path data-iso="([A-Z]{3})" d="[^"]*" fill="([^"]+)"`)

// mapFills is each country's fill on the page's world map.
func mapFills(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range mapPath.FindAllStringSubmatch(body, -1) {
		if _, dup := out[m[1]]; dup {
			t.Errorf("the map has two paths for %s", m[1])
		}
		out[m[1]] = m[2]
	}
	if len(out) < 150 {
		t.Fatalf("the map has %d countries", len(out))
	}
	return out
}

// TestCountriesMap: every country with a value has its path, coloured
// (not the no-data grey), with a circle of its n; the colours follow the
// metric filter.
func TestCountriesMap(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	const noData = "#e6e6e6"
	p := getPageData(t, ts, "/api/countries")
	_, body := get(t, ts, "/countries")
	if !strings.Contains(body, `<figure class="chart" data-table="countries">`) || !strings.Contains(body, "no data") {
		t.Fatalf("no map figure with its legend")
	}
	fills := mapFills(t, body)
	tb := p.table(t, "countries")
	colored := 0
	for _, r := range tb.Rows {
		code := r[0].(string)
		fill, onMap := fills[code]
		if !onMap {
			continue
		}
		if r[tb.col(t, "value")] != nil {
			colored++
			if fill == noData {
				t.Errorf("%s has a value but the no-data fill", code)
			}
			if n := num(r[tb.col(t, "n")]); n > 0 && !strings.Contains(body, fmt.Sprintf(`<circle data-iso="%s"`, code)) {
				t.Errorf("%s has n %v but no circle", code, n)
			}
		}
	}
	for code, fill := range fills {
		if fill != noData && !strings.Contains(fill, "hatch") {
			colored--
		}
		_ = code
	}
	if colored != 0 {
		t.Errorf("the number of coloured countries differs from the countries with a value by %d", colored)
	}
	// another metric colours the map differently
	var other string
	for _, f := range p.Filters {
		if f.Name == "metric" {
			for _, o := range f.Options {
				if o.Value != p.filter(t, "metric") && strings.HasPrefix(o.Value, "COMPLETION") {
					other = o.Value
					break
				}
			}
		}
	}
	if other == "" {
		t.Fatal("no COMPLETION metric to switch to")
	}
	_, body2 := get(t, ts, "/countries?metric="+other)
	fills2 := mapFills(t, body2)
	changed := 0
	for code, f := range fills {
		if fills2[code] != f {
			changed++
		}
	}
	if changed < 10 {
		t.Errorf("switching to %s changed the fill of %d countries", other, changed)
	}
}

// TestCountryProfile: the FMTR dollars are fmtr_trends' sums, graduates
// the graduates table's, the metrics beside the region's; XXX is a 404.
func TestCountryProfile(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, code := range []string{"KEN", "COL"} {
		t.Run(code, func(t *testing.T) {
			p := getPageData(t, ts, "/api/countries/"+code)
			want := sqlRows(t, ts, `SELECT fiscal_year, sum(dollars)::DOUBLE, sum(sessions)::BIGINT FROM fmtr_trends WHERE country_code = '`+code+`' GROUP BY 1 ORDER BY 1`)
			fmtr := p.table(t, "fmtr")
			if len(want) == 0 || len(fmtr.Rows) != len(want) {
				t.Fatalf("%d FMTR years, fmtr_trends has %d", len(fmtr.Rows), len(want))
			}
			for i, w := range want {
				r := fmtr.Rows[i]
				if num(r[0]) != num(w[0]) || !near(num(r[fmtr.col(t, "dollars")]), num(w[1])) || num(r[fmtr.col(t, "sessions")]) != num(w[2]) {
					t.Errorf("FY %v: %v, fmtr_trends sums to %v", w[0], r, w)
				}
			}
			grads := sqlRows(t, ts, `SELECT count(*) FROM graduates WHERE country_code = '`+code+`'`)
			total := 0.0
			for _, r := range p.table(t, "graduates").Rows {
				total += num(r[1])
			}
			if total != num(grads[0][0]) {
				t.Errorf("graduates by cohort sum to %v, the graduates table has %v", total, grads[0][0])
			}
			shares := p.table(t, "metrics_share")
			region := sqlRows(t, ts, `SELECT region FROM countries WHERE country_code = '`+code+`'`)[0][0].(string)
			checked := 0
			for _, r := range shares.Rows {
				if r[0] != "LEAD_RANK_CIF_10Y" {
					continue
				}
				w := sqlRows(t, ts, fmt.Sprintf(`SELECT value, n FROM metric_latest WHERE metric_id = 'LEAD_RANK_CIF_10Y' AND period = '%v' AND cohort = '%v'
					AND region = '%s' AND country_code = 'ALL' AND graduation_cohort = 'ALL' AND program = 'ALL' AND course_category = 'ALL'
					AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'`, r[2], r[3], region))
				if len(w) != 1 || !near(num(r[shares.col(t, "region_value")]), num(w[0][0])) || num(r[shares.col(t, "region_n")]) != num(w[0][1]) {
					t.Errorf("%v %v: region value %v n %v, metric_values has %v", r[0], r[3], r[shares.col(t, "region_value")], r[shares.col(t, "region_n")], w)
				}
				checked++
			}
			if checked == 0 {
				t.Errorf("no LEAD_RANK_CIF_10Y row beside the region")
			}
			p.table(t, "coverage")
			status, body := get(t, ts, "/countries/"+strings.ToLower(code))
			if status != http.StatusOK || !strings.Contains(body, "Security Force Monitor") || !strings.Contains(body, `data-table="fmtr"`) {
				t.Errorf("the profile page: %d, without the FMTR chart or its citation", status)
			}
		})
	}
	for _, path := range []string{"/countries/XXX", "/api/countries/XXX"} {
		if status, body := get(t, ts, path); status != http.StatusNotFound || !strings.Contains(body, "alpha-3") {
			t.Errorf("%s: %d %s, want 404 saying how codes are given", path, status, body)
		}
	}
}

// TestCountriesPublic: with --public no count below k on the countries
// pages, of a country with many graduates and one with few.
func TestCountriesPublic(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(o *web.Options) { o.Public = true })
	for _, path := range []string{"/countries", "/countries?metric=COMPLETION", "/countries/COL", "/countries/KEN", "/countries/TUV"} {
		p := getPageData(t, ts, "/api"+path)
		checkNoSmallCounts(t, p, path, 5)
	}
	_, body := get(t, ts, "/countries")
	for _, m := range regexp.MustCompile(`, n ([0-9,]+)`).FindAllStringSubmatch(body, -1) {
		if n := num(strings.ReplaceAll(m[1], ",", "")); n < 5 {
			t.Errorf("the public map says n %s", m[1])
		}
	}
}
