package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform"
)

// headlineRow is one row of the headline table the demo prints.
type headlineRow struct {
	metric, cohort string
	value          printedNumber
	low, high      printedNumber // zero when the demo prints no interval
	n              int64
}

// printedNumber is a number as the demo displays it (14.3%, 1.25,
// $2,734,736), read back with the half-unit its rounding allows.
type printedNumber struct {
	v, tol float64
	ok     bool
}

func parsePrinted(t *testing.T, s string) printedNumber {
	t.Helper()
	s = strings.TrimSpace(s)
	if s == "" || s == "–" {
		return printedNumber{}
	}
	scale := 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSuffix(s, "%"), 0.01
	}
	s = strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", "")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("printed number %q: %v", s, err)
	}
	decimals := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		decimals = len(frac)
	}
	return printedNumber{v: v * scale, tol: 0.5 * math.Pow10(-decimals) * scale, ok: true}
}

// parseHeadline reads the demo's "Headline as of D, vintage V" table, cut
// into columns where its dashed rule says.
func parseHeadline(t *testing.T, out string) (time.Time, int64, []headlineRow) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Headline as of (\d{4}-\d{2}-\d{2}), vintage (\d+) .*\n(.*)\n(-[- ]*)\n((?:.*\n)*?)\(\d+ rows\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no headline table in the demo's output:\n%s", out)
	}
	d, _ := time.Parse(time.DateOnly, m[1])
	v, _ := strconv.ParseInt(m[2], 10, 64)
	var spans [][2]int // rune offsets of each column
	for _, loc := range regexp.MustCompile(`-+`).FindAllStringIndex(m[4], -1) {
		spans = append(spans, [2]int{loc[0], loc[1]})
	}
	if len(spans) != 7 || strings.Fields(m[3])[0] != "metric" || strings.Fields(m[3])[1] != "period" {
		t.Fatalf("headline header %q / %q", m[3], m[4])
	}
	var rows []headlineRow
	for _, line := range strings.Split(strings.TrimSuffix(m[5], "\n"), "\n") {
		r := []rune(line)
		cell := func(i int) string {
			from, to := spans[i][0], spans[i][1]
			if i == len(spans)-1 {
				to = len(r)
			}
			if from >= len(r) {
				return ""
			}
			return strings.TrimSpace(string(r[from:min(to, len(r))]))
		}
		row := headlineRow{metric: cell(0), cohort: cell(2), value: parsePrinted(t, cell(3))}
		if iv := cell(4); iv != "" {
			lo, hi, ok := strings.Cut(iv, " – ")
			if !ok {
				t.Fatalf("interval %q", iv)
			}
			row.low, row.high = parsePrinted(t, lo), parsePrinted(t, hi)
		}
		n, err := strconv.ParseInt(cell(5), 10, 64)
		if err != nil {
			t.Fatalf("headline row %q: n %q", line, cell(5))
		}
		row.n = n
		rows = append(rows, row)
	}
	return d, v, rows
}

// sqlRows runs imet sql with --format csv and returns the rows by column.
func sqlRows(t *testing.T, ws, q string) []map[string]string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"sql", "--workspace", ws, "--format", "csv", q}, &stdout, &stderr); code != 0 {
		t.Fatalf("imet sql %q: exit %d: %s", q, code, stderr.String())
	}
	recs, err := csv.NewReader(&stdout).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("imet sql %q: %v", q, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// agrees says whether the query's text value (rounded to 3 decimals by the
// query, and to six significant digits or the whole number by imet sql)
// is the number the demo printed.
func agrees(p printedNumber, q string) bool {
	if !p.ok {
		return q == ""
	}
	v, err := strconv.ParseFloat(q, 64)
	if err != nil {
		return false
	}
	tol := 0.0005
	if math.Abs(v) >= 1000 {
		tol = 0.5
	}
	return math.Abs(p.v-v) <= p.tol+tol+1e-9
}

// outcomeOf is the outcome a survival metric's unit rows are, from the
// registry's Where ("outcome = 'RETAIN'"); "" for other metrics.
func outcomeOf(id string) string {
	m, ok := transform.Lookup(id)
	if !ok || m.Unit != "outcomes" {
		return ""
	}
	_, rest, _ := strings.Cut(m.Where, "'")
	o, _, _ := strings.Cut(rest, "'")
	return o
}

// The demo prints a headline and three queries to try; each query, run on
// the snapshot the demo published, returns the numbers the headline
// printed, one row per metric and cohort; and the snapshot's models
// (graduates, comparison members, outcomes) are those of the headline's D,
// not of the comparison quarters the report transformed after it.
func TestDemoSnapshotIsTheHeadline(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "demo")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"demo", "--workspace", ws, "--students", "300"}, &stdout, &stderr); code != 0 {
		t.Fatalf("demo: exit %d: %s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	d, vintage, head := parseHeadline(t, out)
	if !d.Equal(demoAsOf) || len(head) < 10 {
		t.Fatalf("headline as of %s with %d rows; want %s", d.Format(time.DateOnly), len(head), demoAsOf.Format(time.DateOnly))
	}
	for _, q := range demoQueries {
		if !strings.Contains(out, fmt.Sprintf("imet sql --workspace %s %q", ws, q)) {
			t.Errorf("the demo does not suggest %q", q)
		}
	}
	fm := regexp.MustCompile(`Foreign Military Training Report FY2013: (\d+) of (\d+) printed .*\(\$([\d,]+) in all\)`).FindStringSubmatch(out)
	if fm == nil {
		t.Fatalf("no FMTR line in the demo's output")
	}

	t.Run("the headline query", func(t *testing.T) {
		rows := sqlRows(t, ws, demoQueries[0])
		byKey := map[string]map[string]string{}
		for _, r := range rows {
			k := r["metric_id"] + "/" + r["cohort"]
			if _, dup := byKey[k]; dup {
				t.Errorf("the headline query returns %s more than once", k)
			}
			byKey[k] = r
		}
		for _, h := range head {
			r, ok := byKey[h.metric+"/"+h.cohort]
			if !ok {
				t.Errorf("%s %s: printed, not returned by the query", h.metric, h.cohort)
				continue
			}
			if r["n"] != strconv.FormatInt(h.n, 10) || !agrees(h.value, r["value"]) || !agrees(h.low, r["low"]) || !agrees(h.high, r["high"]) {
				t.Errorf("%s %s: printed value %v [%v, %v] n %d; the query returns %s [%s, %s] n %s",
					h.metric, h.cohort, h.value.v, h.low.v, h.high.v, h.n, r["value"], r["low"], r["high"], r["n"])
			}
		}
	})

	t.Run("the outcomes query", func(t *testing.T) {
		people := map[string]int64{} // outcome/cohort → people
		for _, r := range sqlRows(t, ws, demoQueries[1]) {
			n, _ := strconv.ParseInt(r["people"], 10, 64)
			people[r["outcome"]+"/"+r["cohort"]] = n
			people[r["outcome"]+"/ALL"] += n
		}
		checked := 0
		for _, h := range head {
			o := outcomeOf(h.metric)
			if o == "" {
				continue
			}
			checked++
			if got := people[o+"/"+h.cohort]; got != h.n {
				t.Errorf("%s %s: the headline counts %d people, the outcomes query %d for %s", h.metric, h.cohort, h.n, got, o)
			}
		}
		if checked < 6 {
			t.Errorf("only %d headline rows are survival metrics", checked)
		}
	})

	t.Run("the FMTR query", func(t *testing.T) {
		var groups, matching, dollars int64
		for _, r := range sqlRows(t, ws, demoQueries[2]) {
			g, _ := strconv.ParseInt(r["groups"], 10, 64)
			usd, err := strconv.ParseFloat(r["dollars"], 64)
			if err != nil {
				t.Fatalf("dollars %q: %v", r["dollars"], err)
			}
			if r["fiscal_year"] == "2013" {
				dollars += int64(math.Round(usd))
				groups += g
				if r["reconciliation"] == "matches" {
					matching += g
				}
			}
		}
		printed, _ := strconv.ParseInt(strings.ReplaceAll(fm[3], ",", ""), 10, 64)
		if fmt.Sprint(matching) != fm[1] || fmt.Sprint(groups) != fm[2] || math.Abs(float64(dollars-printed)) > 1 {
			t.Errorf("printed %s of %s groups matching, $%s; the query returns %d of %d, $%d", fm[1], fm[2], fm[3], matching, groups, dollars)
		}
	})

	t.Run("the FMTR trends in every product", func(t *testing.T) { demoTrends(t, ws, out) })

	t.Run("the models are the headline's", func(t *testing.T) {
		db, err := schemas.OpenReadOnly(context.Background(), filepath.Join(ws, "published", "imet.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		key := `period = 'ALL' AND graduation_cohort = 'ALL' AND program = 'ALL' AND region = 'ALL' AND country_code = 'ALL'
			AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL'`
		// n of a whole-population row of metric_latest, or of metric_values at (D, vintage)
		n := func(metric, cohort string, at ...any) int64 {
			t.Helper()
			if len(at) == 0 {
				return scalar(t, db, `SELECT n FROM metric_latest WHERE metric_id = ? AND cohort = ? AND `+key, metric, cohort)
			}
			return scalar(t, db, `SELECT n FROM metric_values WHERE metric_id = ? AND cohort = ? AND as_of = ? AND vintage = ? AND `+key, metric, cohort, at[0], at[1])
		}
		// metric_latest is the headline transform's rows, and only them
		if got := scalar(t, db, `SELECT count(*) FROM metric_latest WHERE as_of <> ? OR vintage <> ?`, d, vintage); got != 0 {
			t.Errorf("%d rows of metric_latest are not of the headline (%s, vintage %d)", got, d.Format(time.DateOnly), vintage)
		}
		latest, all := scalar(t, db, `SELECT count(*) FROM metric_latest`), scalar(t, db, `SELECT count(*) FROM metric_values WHERE as_of = ? AND vintage = ?`, d, vintage)
		if latest == 0 || latest != all {
			t.Errorf("metric_latest has %d rows, the headline's metric_values %d", latest, all)
		}
		if got := scalar(t, db, `SELECT count(DISTINCT as_of) FROM metric_values`); got < 3 {
			t.Errorf("metric_values holds %d period ends; the report's comparison quarters are missing", got)
		}
		// the test tells the headline's D from the quarter before
		prevQ := schemas.LastQuarterEnd(d)
		if n("HR_FLAG_RATE", "PARTICIPANT", prevQ, vintage) == n("HR_FLAG_RATE", "PARTICIPANT") {
			t.Fatal("as many graduates at the quarter before as at D: this test cannot tell their models apart")
		}
		for _, c := range []struct{ what, q, metric, cohort string }{
			{"graduates", `SELECT count(*) FROM graduates`, "HR_FLAG_RATE", "PARTICIPANT"},
			{"graduates serving", `SELECT count(*) FROM graduates WHERE exit_date IS NULL`, "TRACK_24M", "PARTICIPANT"},
			{"comparison members serving", `SELECT count(*) FROM comparison_members WHERE exit_date IS NULL`, "TRACK_24M", "COMPARISON"},
		} {
			if got, want := scalar(t, db, c.q), n(c.metric, c.cohort); got != want {
				t.Errorf("%s: %d in the snapshot; the headline's %s counts %d", c.what, got, c.metric, want)
			}
		}
		if late := scalar(t, db, `SELECT count(*) FROM people WHERE index_date > ? OR followup_end > ?`, d, d); late != 0 {
			t.Errorf("%d people indexed or followed up after D", late)
		}
		if scalar(t, db, `SELECT count(*) FROM people WHERE followup_end > ?`, prevQ) == 0 {
			t.Error("nobody's follow-up reaches past the quarter before D: the models are not D's")
		}
		checked := 0
		for _, m := range transform.Registry {
			o := outcomeOf(m.ID)
			if o == "" || (m.Estimator != transform.KMAttainment && m.Estimator != transform.KMRetention && m.Estimator != transform.KMMedian &&
				m.Estimator != transform.AJIncidence && m.Estimator != transform.AJExit) {
				continue
			}
			// events up to the horizon (evidence.md "Output"), of the state a
			// cumulative incidence reads
			event := "status"
			switch m.Estimator {
			case transform.AJIncidence:
				event = "cr_status = 1"
			case transform.AJExit:
				event = "cr_status = 2"
			}
			if m.Horizon > 0 {
				event += fmt.Sprintf(" AND time <= %d", m.Horizon)
			}
			// the registry's own population: its Where over the outcomes rows
			rows, err := db.Query(`SELECT cohort, n, events FROM metric_latest WHERE metric_id = ? AND cohort <> 'ALL' AND `+key, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var cohort string
				var wantN, wantEvents, gotN, gotEvents int64
				if err := rows.Scan(&cohort, &wantN, &wantEvents); err != nil {
					t.Fatal(err)
				}
				db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE `+event+`) FROM outcomes WHERE cohort = ? AND (`+m.Where+`)`, cohort).Scan(&gotN, &gotEvents)
				if gotN != wantN || gotEvents != wantEvents {
					t.Errorf("%s %s: outcomes hold %d people and %d events; metric_latest says n %d, events %d", m.ID, cohort, gotN, gotEvents, wantN, wantEvents)
				}
				checked++
			}
			rows.Close()
		}
		if checked < 10 {
			t.Errorf("only %d survival metric rows checked", checked)
		}
	})
}
