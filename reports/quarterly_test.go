package reports

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/imet-project/imet/schemas/schemastest"
)

// The report's period: FY2026Q3, transformed with the data of batch 5.
var (
	testD       = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	testVintage = int64(5)
)

// testMetrics are the registry's words for the metrics the seeded
// warehouse holds (reports does not import transform).
var testMetrics = []MetricDoc{
	{ID: "LEAD_RANK_10Y", Title: "General/flag rank within 10 years (if nobody left the service)", Definition: "Share of officers who reach general or flag rank within ten years of graduating.", Population: "Graduates with follow-up.", Event: "OF-6 or above.", Estimator: "Kaplan-Meier: 1 − S(horizon), log-scale 95% limits", Unit: "share",
		IfNobodyLeft: true, CompetingExitsAs: "LEAD_RANK_CIF_10Y"},
	{ID: "LEAD_RANK_CIF_10Y", Title: "General/flag rank within 10 years", Definition: "Share of officers who reach general or flag rank within ten years, leaving the service competing.", Population: "Graduates with follow-up.", Event: "OF-6 or above.", Estimator: "Aalen-Johansen", Unit: "share", CompetingExits: true},
	{ID: "LEAD_RANK_HR", Title: "Participants vs comparison peers: general/flag rank", Definition: "Cox hazard ratio.", Population: "Graduates and peers.", Event: "OF-6 or above.", Estimator: "Cox", Unit: "ratio", Contrast: true, Associational: true},
	{ID: "TRACK_24M", Title: "Tracking coverage (24 months)", Definition: "Share of graduates reported on in the two years up to D.", Population: "Graduates.", Event: "A career event.", Estimator: "Wilson", Unit: "share"},
	{ID: "COMPLETION", Title: "Course completion", Definition: "Share of students who finish.", Population: "IMET enrollments.", Event: "COMPLETED.", Estimator: "Wilson", Unit: "share"},
	{ID: "VET_DENIED_ATTENDED", Title: "Attended despite denied vetting (alarm)", Definition: "Enrollments attended although vetting was DENIED.", Population: "Enrollments.", Event: "DENIED and attended.", Estimator: "count", Unit: "count"},
}

// seeded is a migrated in-memory warehouse holding what a transform of
// (testD, testVintage) would leave for the report: metric values (a
// country in which nothing happened among 120 graduates, denied-vetting
// alarms in earlier years), Kaplan-Meier steps, data-quality figures and
// two FMTR files, one with repairs.
func seeded(t *testing.T) *sql.DB {
	t.Helper()
	db := schemastest.Memory(t)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	type row struct {
		id, period, cohort, region, country string
		n, events                           any
		value, low, high                    any
	}
	rows := []row{
		{"LEAD_RANK_10Y", "ALL", "PARTICIPANT", "ALL", "ALL", 2466, 270, 0.164, 0.143, 0.184},
		{"LEAD_RANK_10Y", "ALL", "COMPARISON", "ALL", "ALL", 615, 41, 0.107, 0.071, 0.142},
		{"TRACK_24M", "ALL", "PARTICIPANT", "ALL", "ALL", 2716, nil, 0.724, 0.707, 0.741},
		{"TRACK_24M", "ALL", "COMPARISON", "ALL", "ALL", 594, nil, 0.818, 0.785, 0.847},
		{"COMPLETION", "FY2026", "ALL", "ALL", "ALL", 189, nil, 0.937, 0.892, 0.963},
		{"COMPLETION", "FY2026Q3", "ALL", "ALL", "ALL", 25, nil, 1.0, 0.867, 1.0},
		{"LEAD_RANK_10Y", "ALL", "PARTICIPANT", "AF", "ALL", 504, 60, 0.146, 0.103, 0.187},
		{"TRACK_24M", "ALL", "PARTICIPANT", "AF", "ALL", 504, nil, 0.640, 0.601, 0.677},
		{"COMPLETION", "FY2026", "ALL", "AF", "ALL", 40, nil, 0.854, 0.716, 0.931},
		{"LEAD_RANK_10Y", "ALL", "PARTICIPANT", "EUR", "ALL", 251, 30, 0.149, 0.083, 0.210},
		// Nothing happened among Albania's 120 graduates: an interval of
		// zero width, which the report must not print as certainty.
		{"LEAD_RANK_10Y", "ALL", "PARTICIPANT", "ALL", "ALB", 120, 0, 0.0, 0.0, 0.0},
		{"TRACK_24M", "ALL", "PARTICIPANT", "ALL", "ALB", 120, nil, 0.818, 0.735, 0.879},
		{"LEAD_RANK_10Y", "ALL", "PARTICIPANT", "ALL", "AFG", 22, 3, 0.138, 0.0, 0.30},
		// the same groups with exits competing; Albania's share of 0 has no
		// log-scale limits, as the Aalen-Johansen estimator leaves it
		{"LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", "ALL", "ALL", 2466, 270, 0.146, 0.128, 0.166},
		{"LEAD_RANK_CIF_10Y", "ALL", "COMPARISON", "ALL", "ALL", 615, 41, 0.093, 0.067, 0.129},
		{"LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", "AF", "ALL", 504, 60, 0.130, 0.094, 0.171},
		{"LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", "EUR", "ALL", 251, 30, 0.140, 0.080, 0.200},
		{"LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", "ALL", "ALB", 120, 0, 0.0, nil, nil},
		{"LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", "ALL", "AFG", 22, 3, 0.120, 0.040, 0.300},
		{"VET_DENIED_ATTENDED", "FY2011", "ALL", "ALL", "ALL", 2, nil, 2.0, nil, nil},
		{"VET_DENIED_ATTENDED", "FY2016", "ALL", "ALL", "ALL", 1, nil, 1.0, nil, nil},
		{"VET_DENIED_ATTENDED", "FY2026", "ALL", "ALL", "ALL", 0, nil, 0.0, nil, nil},
		{"VET_DENIED_ATTENDED", "FY2026Q3", "ALL", "ALL", "ALL", 0, nil, 0.0, nil, nil},
		// a disaggregated row of an alarm year must not be counted twice
		{"VET_DENIED_ATTENDED", "FY2016", "ALL", "AF", "ALL", 1, nil, 1.0, nil, nil},
	}
	for _, r := range rows {
		exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
			n, events, numerator, value, ci_low, ci_high, as_of, vintage)
			VALUES (?, ?, 'ALL', ?, 'ALL', ?, ?, 'ALL', 'ALL', 'ALL', ?, ?, NULL, ?, ?, ?, ?, ?)`,
			r.id, r.period, r.cohort, r.region, r.country, r.n, r.events, r.value, r.low, r.high, testD, testVintage)
	}
	// Hazard ratios by country: Albania holds after adjusting for the
	// four countries, Afghanistan's raw p does not, Kenya shows nothing,
	// Chad has no test at all.
	for _, h := range []struct {
		country      string
		value, p, pa any
	}{
		{"KEN", 1.1, 0.6, 0.6}, {"AFG", 2.5, 0.03, 0.06}, {"TCD", nil, nil, nil}, {"ALB", 3.0, 0.01, 0.04}, {"BHS", nil, 0.02, 0.04},
	} {
		exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
			n, events, value, p_value, p_adjusted, as_of, vintage)
			VALUES ('LEAD_RANK_HR', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', ?, 'ALL', 'ALL', 'ALL', 50, 8, ?, ?, ?, ?, ?)`, h.country, h.value, h.p, h.pa, testD, testVintage)
	}
	// Aalen-Johansen steps: reached, left first, neither, adding up to one.
	for _, o := range []string{"LEAD_RANK", "LEAD_POS"} {
		for _, s := range []struct {
			cohort                 string
			time                   float64
			nRisk, nEvent, nExit   int
			event, exit, low, high float64
		}{
			{"PARTICIPANT", 200, 100, 2, 1, 0.02, 0.01, 0.005, 0.05},
			{"PARTICIPANT", 800, 80, 5, 4, 0.07, 0.05, 0.04, 0.11},
			{"PARTICIPANT", 2000, 30, 3, 3, 0.12, 0.11, 0.08, 0.17},
			{"COMPARISON", 400, 40, 1, 2, 0.025, 0.05, 0.004, 0.15},
			{"COMPARISON", 1000, 20, 1, 1, 0.07, 0.08, 0.02, 0.2},
		} {
			exec(`INSERT INTO cif_curves VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0.01, ?, ?, ?, ?)`, o, s.cohort, s.time, s.nRisk, s.nEvent, s.nExit,
				s.event, s.exit, 1-s.event-s.exit, s.low, s.high, testD, testVintage)
		}
	}
	// Kaplan-Meier steps: 100 graduates followed, the last one to day 2000.
	for _, o := range []string{"LEAD_RANK", "LEAD_POS"} {
		for _, s := range []struct {
			cohort        string
			time          float64
			nRisk, nEvent int
			surv, lo, hi  float64
		}{
			{"PARTICIPANT", 100, 100, 2, 0.98, 0.95, 1},
			{"PARTICIPANT", 500, 90, 5, 0.925, 0.87, 0.97},
			{"PARTICIPANT", 1200, 60, 6, 0.83, 0.76, 0.9},
			{"PARTICIPANT", 2000, 20, 2, 0.75, 0.65, 0.86},
			{"COMPARISON", 300, 40, 1, 0.975, 0.93, 1},
			{"COMPARISON", 900, 25, 2, 0.90, 0.80, 0.99},
		} {
			exec(`INSERT INTO km_curves VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`, o, s.cohort, s.time, s.nRisk, s.nEvent, s.surv, s.lo, s.hi, testD, testVintage)
		}
	}
	for _, q := range []struct {
		topic, dataset, key string
		rows                int64
	}{
		{"linking", "career_events", "id", 900}, {"linking", "career_events", "fuzzy", 100},
		{"quarantine", "enrollments", "allowed", 6}, {"quarantine", "enrollments", "range", 2},
		{"quarantine", "students", "required", 3},
	} {
		exec(`INSERT INTO data_quality VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`, q.topic, q.dataset, q.key, q.rows, testD, testVintage)
	}
	// the share as model 090 computes it: of the rows of the same topic and dataset
	exec(`UPDATE data_quality d SET share = d.rows / t.total FROM (SELECT topic, dataset, sum(rows) AS total FROM data_quality GROUP BY ALL) t
		WHERE t.topic = d.topic AND t.dataset = d.dataset`)
	exec(`INSERT INTO data_quality VALUES ('freshness', 'enrollments', 'latest', 1, NULL, DATE '2026-06-01', TIMESTAMP '2026-07-01 09:48:00', ?, ?)`, testD, testVintage)
	for _, f := range []struct {
		batch   int64
		file    string
		repairs string
	}{
		{2, "2013_2014_South_Central_Asia_fmtrpt.tsv", `{}`},
		{3, "2013_2014_East_Asia_and_Pacific_fmtrpt.tsv", `{"date_order":1,"cost_split":3}`},
	} {
		exec(`INSERT INTO fmtr_reports (batch_id, file, format, data_lines, records, activities, totals, quarantined, new_rows, unchanged, repairs)
			VALUES (?, ?, 'raw-scrape', 1700, 1665, 1598, 67, 0, 1665, 0, ?)`, f.batch, f.file, f.repairs)
	}
	return db
}

func buildTest(t *testing.T, db *sql.DB) *Document {
	t.Helper()
	return buildTestWith(t, db, testMetrics)
}

func buildTestWith(t *testing.T, db *sql.DB, docs []MetricDoc) *Document {
	t.Helper()
	d, err := BuildQuarterly(context.Background(), db, QuarterlyOptions{
		Quarter: "FY2026Q3", AsOf: testD, Vintage: testVintage,
		PrevQ: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), PrevYear: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		RunID: 7, Version: "test", Generated: "imet report quarterly --quarter FY2026Q3", Metrics: docs,
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tableByCaption is the document's table whose caption starts with prefix.
func tableByCaption(t *testing.T, d *Document, prefix string) *Table {
	t.Helper()
	for _, s := range d.Sections {
		for _, b := range s.Blocks {
			if b.Table != nil && strings.HasPrefix(b.Table.Caption, prefix) {
				return b.Table
			}
		}
	}
	t.Fatalf("no table %q", prefix)
	return nil
}

func section(t *testing.T, d *Document, id string) Section {
	t.Helper()
	for _, s := range d.Sections {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no section %q", id)
	return Section{}
}

// sectionText is every word of a section: its texts, notes and cells.
func sectionText(s Section) string {
	var b strings.Builder
	for _, bl := range s.Blocks {
		b.WriteString(bl.Text + "\n" + bl.Note + "\n")
		if bl.Table != nil {
			b.WriteString(strings.Join(bl.Table.Columns, " | ") + "\n")
			for _, r := range bl.Table.Rows {
				b.WriteString(strings.Join(r, " | ") + "\n")
			}
		}
	}
	return b.String()
}

func col(t *testing.T, tb *Table, name string) int {
	t.Helper()
	for j, c := range tb.Columns {
		if c == name {
			return j
		}
	}
	t.Fatalf("table %q has no column %q: %v", tb.Caption, name, tb.Columns)
	return -1
}

// The FMTR files' repairs read as words: "none", or "rule: rows, …".
func TestFMTRRepairsReadable(t *testing.T) {
	d := buildTest(t, seeded(t))
	tb := tableByCaption(t, d, "Foreign Military Training Report files")
	j := col(t, tb, "Repairs")
	got := map[string]string{}
	for _, r := range tb.Rows {
		got[r[0]] = r[j]
	}
	want := map[string]string{
		"2013_2014_South_Central_Asia_fmtrpt.tsv":    "none",
		"2013_2014_East_Asia_and_Pacific_fmtrpt.tsv": "cost_split:" + nbsp + "3, date_order:" + nbsp + "1",
	}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("repairs of %s = %q, want %q", f, got[f], w)
		}
	}
	if repairList("not json") != "not json" {
		t.Error("text that is not the loader's JSON should show as it is")
	}
}

// The quarantine share is of the dataset's quarantined rows (model 090
// divides by them), and the table says so; the linking share is of the
// dataset's rows.
func TestQualityShareLabels(t *testing.T) {
	d := buildTest(t, seeded(t))
	quar := tableByCaption(t, d, "Rows set aside in quarantine")
	j := col(t, quar, "Share of the dataset's quarantined rows")
	for _, r := range quar.Rows {
		want := map[string]string{"allowed": "75.0%", "range": "25.0%", "required": "100.0%"}[r[1]]
		if r[j] != want {
			t.Errorf("%s %s: share %s, want %s (rows / the dataset's quarantined rows)", r[0], r[1], r[j], want)
		}
	}
	link := tableByCaption(t, d, "Linking of career events")
	col(t, link, "Share of the dataset's rows")
	for _, s := range d.Sections {
		for _, b := range s.Blocks {
			if b.Table != nil && b.Table != link && b.Table != quar {
				for _, c := range b.Table.Columns {
					if strings.Contains(c, "Share of the dataset") {
						t.Errorf("table %q has a column %q", b.Table.Caption, c)
					}
				}
			}
		}
	}
}

// Every denied-vetting alarm of the transform is in the vetting section,
// whatever its year, each counted once.
func TestVettingListsEveryAlarm(t *testing.T) {
	db := seeded(t)
	alarms, err := DeniedVettingAlarms(context.Background(), db, testD, testVintage)
	if err != nil {
		t.Fatal(err)
	}
	if want := []DeniedVettingAlarm{{"FY2011", 2}, {"FY2016", 1}}; fmt.Sprint(alarms) != fmt.Sprint(want) {
		t.Fatalf("alarms %v, want %v", alarms, want)
	}
	text := sectionText(section(t, buildTest(t, db), "vetting"))
	for _, want := range []string{"ALARM: 3 enrollments attended although vetting was DENIED: FY2011 (2), FY2016 (1)", "FY2011 | 2", "FY2016 | 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the vetting section lacks %q:\n%s", want, text)
		}
	}
}

var zeroInterval = regexp.MustCompile(`(^|[^0-9.])0\.0%` + nbsp + `?–` + nbsp + `?0\.0%`)

// A share from a group where nothing happened shows the count and the
// one-sided bound, never "0.0% – 0.0%"; the methodology says how the bound
// is computed; region and country rates carry their intervals.
func TestZeroWidthAndGeographyIntervals(t *testing.T) {
	d := buildTest(t, seeded(t))
	for _, s := range d.Sections {
		if m := zeroInterval.FindString(sectionText(s)); m != "" {
			t.Errorf("section %s shows a zero-width interval as certainty: %q", s.ID, m)
		}
	}
	country := tableByCaption(t, d, "By country")
	var alb []string
	for _, r := range country.Rows {
		if strings.Contains(r[0], "(ALB)") {
			alb = r
		}
	}
	if alb == nil {
		t.Fatal("no row for Albania")
	}
	if want := "none of 120; one-sided 95% upper bound 2.5%"; alb[2] != want || country.Columns[2] != "95% interval" {
		t.Errorf("Albania's interval %q (column %q), want %q", alb[2], country.Columns[2], want)
	}
	if alb[1] != "0.0%" || alb[3] != "0.0%" || country.Columns[3] != IfNobodyLeftColumn {
		t.Errorf("Albania's share %q, %q %q; want the competing-exits share and the 1 − KM one beside it", alb[1], country.Columns[3], alb[3])
	}
	if got, want := alb[6], "73.5%"+nbsp+"–"+nbsp+"87.9%"; got != want {
		t.Errorf("Albania's tracking coverage interval %q, want %q", got, want)
	}
	region := tableByCaption(t, d, "By region")
	if got := fmt.Sprint(region.Columns); !strings.Contains(got, "95% interval") {
		t.Errorf("the region table has no interval column: %s", got)
	}
	for _, r := range region.Rows {
		if r[0] == "AF" {
			if want := "9.4%" + nbsp + "–" + nbsp + "17.1%"; r[2] != want || r[3] != "14.6%" {
				t.Errorf("AF's interval %q and share if nobody left %q, want %q and 14.6%%", r[2], r[3], want)
			}
			if want := "71.6%" + nbsp + "–" + nbsp + "93.1%"; r[8] != want {
				t.Errorf("AF's completion interval %q, want %q", r[7], want)
			}
		}
	}
	if !strings.Contains(sectionText(section(t, d, "methodology")), BoundMethod) {
		t.Error("the methodology does not say how the one-sided bound is computed")
	}
}

// The Kaplan-Meier charts carry the number at risk at every tick of the
// time axis, and both renderers print it.
func TestChartsNumberAtRisk(t *testing.T) {
	d := buildTest(t, seeded(t))
	var charts []*Chart // the Kaplan-Meier charts, after the stacked ones
	for _, b := range section(t, d, "leadership").Blocks {
		if b.Chart != nil && !b.Chart.Stacked {
			charts = append(charts, b.Chart)
		}
	}
	if len(charts) != 2 || !strings.HasSuffix(charts[0].Title, ", if nobody left the service") {
		t.Fatalf("%d Kaplan-Meier charts, the first titled %q", len(charts), charts[0].Title)
	}
	// graduates: steps at days 100 (100 at risk), 500 (90: the first step
	// after year 1 = 365.25 days), 1200 (60),
	// 2000 (20); the axis reaches 6 years (2000 days = 5.5 years).
	want := map[string]string{
		"graduates":        "[{0 100} {1 90} {2 60} {3 60} {4 20} {5 20} {6 0}]",
		"comparison peers": "[{0 40} {1 25} {2 25} {3 0} {4 0} {5 0} {6 0}]",
	}
	for _, s := range charts[0].Series {
		if got := fmt.Sprint(s.AtRisk); got != want[s.Name] {
			t.Errorf("%s at risk %s, want %s", s.Name, got, want[s.Name])
		}
	}
	var page bytes.Buffer
	if err := WriteHTML(d, &page); err != nil {
		t.Fatal(err)
	}
	svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(page.String(), -1)
	if len(svgs) != 6 {
		t.Fatalf("%d SVG charts in the HTML, want 4 stacked and 2 Kaplan-Meier", len(svgs))
	}
	for _, svg := range svgs[4:] {
		risk := regexp.MustCompile(`>Number at risk</text>(.*)`).FindStringSubmatch(svg)
		if risk == nil {
			t.Fatal("an SVG chart has no number-at-risk row")
		}
		numbers := regexp.MustCompile(`>([0-9,]+)</text>`).FindAllStringSubmatch(risk[1], -1)
		var got []string
		for _, n := range numbers {
			got = append(got, n[1])
		}
		if g := strings.Join(got, " "); g != "100 90 60 60 20 20 0 40 25 25 0 0 0 0" {
			t.Errorf("SVG numbers at risk: %s", g)
		}
	}
	_, l := layoutPDF(d)
	texts := strings.Join(l.Texts, " ")
	if strings.Count(texts, "Number at risk") != 6 || !strings.Contains(texts, "graduates 100 90 60 60 20 20 0 comparison peers 40 25 25 0 0 0 0") {
		t.Errorf("the PDF charts lack their numbers at risk: %s", texts)
	}
}

// The leadership section opens with the Aalen-Johansen picture: per
// outcome and cohort a stacked chart whose layers (reached, left first,
// neither) are the cif_curves shares and add up to one; its one row of
// numbers at risk is the group's n_risk; both renderers draw it.
func TestStackedAttainment(t *testing.T) {
	d := buildTest(t, seeded(t))
	var stacked []*Chart
	for _, b := range section(t, d, "leadership").Blocks {
		if b.Chart != nil && b.Chart.Stacked {
			stacked = append(stacked, b.Chart)
		}
	}
	if len(stacked) != 4 || stacked[0].Title != "Graduates: reaching general or flag rank (OF-6 and above)" || !strings.HasPrefix(stacked[1].Title, "Comparison peers") {
		t.Fatalf("%d stacked charts: %v", len(stacked), stacked)
	}
	g := stacked[0]
	if len(g.Series) != 3 || g.Series[0].Name != "reached" || g.Series[1].Name != "left first" || g.Series[2].Name != "neither yet" {
		t.Fatalf("layers %+v", g.Series)
	}
	// day 800: reached 0.07 (0.04-0.11), left first 0.05
	want := [][]Point{
		{{0, 0, 0, 0}, {200 / 365.25, 0.02, 0.005, 0.05}, {800 / 365.25, 0.07, 0.04, 0.11}, {2000 / 365.25, 0.12, 0.08, 0.17}},
		{{0, 0, 0, 0}, {200 / 365.25, 0.03, 0.03, 0.03}, {800 / 365.25, 0.12, 0.12, 0.12}, {2000 / 365.25, 0.23, 0.23, 0.23}},
		{{0, 1, 1, 1}, {200 / 365.25, 1, 1, 1}, {800 / 365.25, 1, 1, 1}, {2000 / 365.25, 1, 1, 1}},
	}
	for i, s := range g.Series {
		if len(s.Points) != len(want[i]) {
			t.Fatalf("%s: %v", s.Name, s.Points)
		}
		for k, p := range s.Points {
			w := want[i][k]
			if math.Abs(p.X-w.X) > 1e-12 || math.Abs(p.Y-w.Y) > 1e-12 || math.Abs(p.Lo-w.Lo) > 1e-12 || math.Abs(p.Hi-w.Hi) > 1e-12 {
				t.Errorf("%s point %d: %+v, want %+v", s.Name, k, p, w)
			}
		}
	}
	if got := fmt.Sprint(g.Series[0].AtRisk); got != "[{0 100} {1 80} {2 80} {3 30} {4 30} {5 30} {6 0}]" || g.Series[0].RiskName != "graduates" || g.Series[1].AtRisk != nil {
		t.Errorf("numbers at risk %s (%q), %v", got, g.Series[0].RiskName, g.Series[1].AtRisk)
	}
	if want := "After 5.5 years: 12.0% had reached it (95% interval 8.0% to 17.0%), 11.0% had left the service first, and 77.0% had neither yet"; !strings.Contains(g.Desc, want) {
		t.Errorf("description %q lacks %q", g.Desc, want)
	}
	var page bytes.Buffer
	if err := WriteHTML(d, &page); err != nil {
		t.Fatal(err)
	}
	svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(page.String())
	if n := strings.Count(svg, "<polygon"); n != 3 || strings.Count(svg, `stroke-dasharray`) != 2 || !strings.Contains(svg, ">dotted: 95% band of</text>") {
		t.Errorf("the first SVG chart has %d layers, %d dotted lines:\n%s", n, strings.Count(svg, `stroke-dasharray`), svg)
	}
	_, l := layoutPDF(d)
	if texts := strings.Join(l.Texts, " "); strings.Count(texts, "dotted: 95% band") != 4 || !strings.Contains(texts, "reached left first neither yet") {
		t.Errorf("the PDF's stacked charts lack their legend: %s", texts)
	}
}

// The hazard ratio by country is sorted and read by the Benjamini-Hochberg
// adjusted p-value: a raw p below 0.05 that does not survive the
// adjustment says so, and a country without a test comes last.
func TestCountryContrastByAdjustedP(t *testing.T) {
	d := buildTest(t, seeded(t))
	tb := tableByCaption(t, d, "Participants vs comparison peers: general/flag rank (LEAD_RANK_HR) by country, sorted by the p-value adjusted for the 4 countries tested")
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r[0]+": "+r[col(t, tb, "p")]+" / "+r[col(t, tb, "p adjusted")]+" / "+r[col(t, tb, "Reading")])
	}
	want := []string{
		"Albania (ALB): 0.010 / 0.040 / holds after adjusting for 4 tests",
		"Bahamas (BHS): 0.020 / 0.040 / holds after adjusting for 4 tests",
		"Afghanistan (AFG): 0.030 / 0.060 / p < 0.05 alone: not after adjusting for 4 tests",
		"Kenya (KEN): 0.600 / 0.600 / no difference shown",
		"Chad (TCD): – / – / –",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(sectionText(section(t, d, "geography")), "with 4 countries tested that is fewer than one here") {
		t.Errorf("the geography section does not explain the adjustment")
	}
}

// Every id in the HTML is unique, and every reference to one (aria,
// anchors) finds it.
func TestHTMLIDsUnique(t *testing.T) {
	d := buildTest(t, seeded(t))
	var page bytes.Buffer
	if err := WriteHTML(d, &page); err != nil {
		t.Fatal(err)
	}
	root, err := html.Parse(bytes.NewReader(page.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	var refs []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[a.Val]++
				case "aria-labelledby", "aria-describedby":
					refs = append(refs, strings.Fields(a.Val)...)
				case "href":
					if strings.HasPrefix(a.Val, "#") {
						refs = append(refs, a.Val[1:])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if len(ids) < 10 {
		t.Fatalf("only %d ids: the walk found nothing", len(ids))
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	for _, r := range refs {
		if ids[r] == 0 {
			t.Errorf("a reference to id %q finds nothing", r)
		}
	}
}

// The PDF: every table fits the page's width with all its columns; lines
// break at spaces only (no word of the report is broken); sections follow
// one another, so no page but the last is mostly empty.
func TestPDFLayout(t *testing.T) {
	d := buildTest(t, seeded(t))
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := WritePDF(d, path); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := bytes.Count(body, []byte("/Type /Page\n"))
	_, l := layoutPDF(d)
	if pages != len(l.Used) {
		t.Fatalf("the PDF has %d pages, the layout %d", pages, len(l.Used))
	}
	right := l.PageW - l.Margin + 0.01
	headers := map[string]int{}
	for _, c := range l.Cells {
		if c.X+c.W > right {
			t.Errorf("page %d: the column of %q ends at %.1f mm, past the margin at %.1f mm", c.Page, c.Text, c.X+c.W, right)
		}
		if c.Header {
			headers[c.Text]++
		}
		checkLines(t, c)
	}
	fmtr := tableByCaption(t, d, "Foreign Military Training Report files")
	for _, c := range fmtr.Columns {
		if headers[c] == 0 {
			t.Errorf("the FMTR table's column %q is not drawn", c)
		}
	}
	for i, used := range l.Used[:len(l.Used)-1] {
		if fill := (used - l.Margin) / (l.PageH - 2*l.Margin); fill < 0.5 {
			t.Errorf("page %d of %d is %.0f%% full", i+1, len(l.Used), 100*fill)
		}
	}
	if len(l.Used) >= len(d.Sections) {
		t.Errorf("%d pages for %d short sections: a page break before every section?", len(l.Used), len(d.Sections))
	}
}

// checkLines holds a cell's lines to the wrapping rule, as it applies to
// a report whose every word fits its column: the lines are the cell's
// words in order, broken at spaces only (a broken word would read as two,
// "Rep airs", or carry a hyphen), each no wider than the column.
func checkLines(t *testing.T, c pdfCell) {
	t.Helper()
	var words []string
	for _, w := range strings.Split(c.Text, " ") {
		if w != "" {
			words = append(words, w)
		}
	}
	if got, want := strings.Join(c.Lines, " "), strings.Join(words, " "); got != want {
		t.Errorf("cell %q drawn as %q", c.Text, c.Lines)
	}
}

// wrap breaks at spaces, never inside a word or a value that fits; only a
// word longer than the column breaks, with a hyphen.
func TestPDFWrap(t *testing.T) {
	p, _ := layoutPDF(&Document{Title: "t"})
	r := &pdfWriter{p: p, l: &pdfLayout{}}
	p.SetFont("go", "", 8)
	w := p.GetStringWidth("Repairs") + 0.1
	for _, c := range []struct {
		text string
		w    float64
		want []string
	}{
		{"Repairs", w, []string{"Repairs"}},
		{"Repairs groups", w, []string{"Repairs", "groups"}},
		{"12.3%" + nbsp + "–" + nbsp + "14.5%", p.GetStringWidth("12.3% – 14.5%") + 0.1, []string{"12.3%" + nbsp + "–" + nbsp + "14.5%"}},
	} {
		if got := r.wrap(c.text, c.w); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("wrap(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	long := "2013_2014_South_Central_Asia_fmtrpt.tsv"
	narrow := p.GetStringWidth("2013_2014_Sou")
	lines := r.wrap(long, narrow)
	if len(lines) < 2 {
		t.Fatalf("a word wider than the column: %q", lines)
	}
	var joined string
	for i, l := range lines {
		if p.GetStringWidth(l) > narrow {
			t.Errorf("line %q is wider than the column", l)
		}
		if i < len(lines)-1 {
			if !strings.HasSuffix(l, "-") {
				t.Errorf("line %q of a broken word has no hyphen", l)
			}
			l = strings.TrimSuffix(l, "-")
		}
		joined += l
	}
	if joined != long {
		t.Errorf("the broken word reads %q", joined)
	}
}
