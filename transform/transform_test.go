package transform

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

var dayD = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// batch records a loaded batch, as the loader would.
func batch(t *testing.T, db *sql.DB, id int) {
	exec(t, db, fmt.Sprintf(`INSERT INTO batches (batch_id, started_at, finished_at, dataset, status)
		VALUES (%d, TIMESTAMP '2026-07-01', TIMESTAMP '2026-07-01', 'test', 'loaded')`, id))
}

// people inserts a course and students; each student is
// id|cohort|index_date|rank_code_at_index (the last two for COMPARISON).
func people(t *testing.T, db *sql.DB, b int, students ...string) {
	exec(t, db, fmt.Sprintf(`INSERT INTO courses BY NAME SELECT 'C1' AS course_code, 'PME' AS category, 'LOGISTICS' AS functional_area, %d AS _batch_id`, b))
	for _, s := range students {
		f := strings.Split(s, "|")
		idx, rank := "NULL", "NULL"
		if len(f) > 2 {
			idx, rank = "DATE '"+f[2]+"'", "'"+f[3]+"'"
		}
		exec(t, db, fmt.Sprintf(`INSERT INTO students BY NAME SELECT '%s' AS student_id, 'KEN' AS country_code, 'F' AS sex,
			'%s' AS cohort, %s AS index_date, %s AS rank_code_at_index, %d AS _batch_id`, f[0], f[1], idx, rank, b))
	}
}

// enroll inserts an IMET enrollment: id, student, start, end, status, rank.
func enroll(t *testing.T, db *sql.DB, b int, id, student, start, end, status, rank string) {
	exec(t, db, fmt.Sprintf(`INSERT INTO enrollments BY NAME SELECT '%s' AS enrollment_id, '%s' AS student_id, 'C1' AS course_code,
		'IMET' AS program, fiscal_year_of(DATE '%s') AS fiscal_year, DATE '%s' AS start_date, DATE '%s' AS end_date,
		'%s' AS status, '%s' AS rank_code_at_entry, 1000 AS cost_usd, %d AS _batch_id`, id, student, start, start, end, status, rank, b))
}

// event inserts a career event linked by id: student, date, type, rank.
func event(t *testing.T, db *sql.DB, b int, student, date, typ, rank string) {
	r := "NULL"
	if rank != "" {
		r = "'" + rank + "'"
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO career_events BY NAME SELECT '%s' AS event_id, '%s' AS student_id,
		DATE '%s' AS event_date, '%s' AS event_type, %s AS rank_code, %d AS _batch_id, %d AS _link_batch_id, 'id' AS link_method`,
		student+date+typ, student, date, typ, r, b, b))
}

type outcome struct {
	time   int
	status bool
}

func outcomes(t *testing.T, db *sql.DB, which string) map[string]outcome {
	t.Helper()
	rows, err := db.Query(`SELECT student_id, time, status FROM outcomes WHERE outcome = ?`, which)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]outcome{}
	for rows.Next() {
		var id string
		var o outcome
		if err := rows.Scan(&id, &o.time, &o.status); err != nil {
			t.Fatal(err)
		}
		out[id] = o
	}
	return out
}

func days(from, to string) int {
	a, _ := time.Parse(time.DateOnly, from)
	b, _ := time.Parse(time.DateOnly, to)
	return int(b.Sub(a).Hours() / 24)
}

// The people rules of metrics.md on hand-made careers: index date, rank at
// a time (highest of a date), exit, follow-up, censoring, and an event
// after exit that cannot happen.
func TestPeopleAndOutcomes(t *testing.T) {
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "A|PARTICIPANT", "B|PARTICIPANT", "C|PARTICIPANT", "D|COMPARISON|2015-06-30|OF-4",
		"E|PARTICIPANT", "F|PARTICIPANT", "G|PARTICIPANT")
	enroll(t, db, 1, "EA", "A", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	event(t, db, 1, "A", "2016-01-01", "PROMOTION", "OF-5")
	event(t, db, 1, "A", "2019-01-01", "PROMOTION", "OF-6")
	event(t, db, 1, "A", "2020-01-01", "VERIFIED", "")
	// B leaves in 2017; a promotion reported after the exit cannot happen.
	enroll(t, db, 1, "EB", "B", "2015-01-01", "2015-06-30", "COMPLETED", "OF-3")
	event(t, db, 1, "B", "2017-01-01", "SEPARATION", "")
	event(t, db, 1, "B", "2018-01-01", "PROMOTION", "OF-6")
	// C: nothing after graduation, so no follow-up; two ranks on one day.
	enroll(t, db, 1, "EC", "C", "2015-01-01", "2015-06-30", "COMPLETED", "OF-3")
	event(t, db, 1, "C", "2015-01-01", "ASSIGNMENT", "OF-2")
	// D: a comparison member promoted to OF-6 three years after index.
	event(t, db, 1, "D", "2018-06-30", "PROMOTION", "OF-6")
	// E withdrew; F finishes after D; G's second course is later than its first.
	enroll(t, db, 1, "EE", "E", "2015-01-01", "2015-06-30", "WITHDRAWN", "OF-3")
	event(t, db, 1, "E", "2019-01-01", "PROMOTION", "OF-6")
	enroll(t, db, 1, "EF", "F", "2026-05-01", "2026-08-30", "COMPLETED", "OF-3")
	enroll(t, db, 1, "EG2", "G", "2020-01-01", "2020-03-01", "COMPLETED", "OF-5")
	enroll(t, db, 1, "EG1", "G", "2012-01-01", "2012-03-01", "COMPLETED", "OF-2")
	event(t, db, 1, "G", "2027-01-01", "PROMOTION", "OF-6") // after D: ignored

	if _, err := Run(context.Background(), db, Options{AsOf: dayD}); err != nil {
		t.Fatal(err)
	}
	var who []string
	rows, _ := db.Query(`SELECT student_id || ':' || cohort || ':' || index_date || ':' || coalesce(rank_at_index, '-') || ':' || has_followup FROM people ORDER BY 1`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		who = append(who, s)
	}
	rows.Close()
	want := []string{
		"A:PARTICIPANT:2015-06-30:OF-4:true",
		"B:PARTICIPANT:2015-06-30:OF-3:true",
		"C:PARTICIPANT:2015-06-30:OF-3:false", // OF-3 beats OF-2 observed on the same day
		"D:COMPARISON:2015-06-30:OF-4:true",
		"G:PARTICIPANT:2012-03-01:OF-2:true", // the earliest completed course is the index
	}
	if strings.Join(who, "\n") != strings.Join(want, "\n") {
		t.Errorf("people:\n%s\nwant:\n%s", strings.Join(who, "\n"), strings.Join(want, "\n"))
	}

	lead := outcomes(t, db, "LEAD_RANK")
	wantLead := map[string]outcome{
		"A": {days("2015-06-30", "2019-01-01"), true},
		"B": {days("2015-06-30", "2017-01-01"), false}, // censored at exit
		"D": {days("2015-06-30", "2018-06-30"), true},
		"G": {days("2012-03-01", "2020-03-01"), false}, // last contact: the second course's end
	}
	if fmt.Sprint(lead) != fmt.Sprint(wantLead) {
		t.Errorf("LEAD_RANK outcomes %v, want %v", lead, wantLead)
	}
	if p := outcomes(t, db, "PROMO")["A"]; p != (outcome{days("2015-06-30", "2016-01-01"), true}) {
		t.Errorf("A's promotion %v", p)
	}
	if r := outcomes(t, db, "RETAIN")["B"]; r != (outcome{days("2015-06-30", "2017-01-01"), true}) {
		t.Errorf("B's exit %v", r)
	}

	// The whole-population LEAD_RANK row counts the graduates A, B and G.
	var n, events int
	if err := db.QueryRow(`SELECT n, events FROM metric_values WHERE metric_id = 'LEAD_RANK_5Y' AND cohort = 'PARTICIPANT'
		AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL' AND graduation_cohort = 'ALL'`).Scan(&n, &events); err != nil {
		t.Fatal(err)
	}
	if n != 3 || events != 1 {
		t.Errorf("LEAD_RANK_5Y participants n=%d events=%d, want 3 and 1", n, events)
	}
}

// A transform for an earlier vintage sees the data as it stood then: a
// replaced row in its old version, a later link not yet made. Results of
// several (D, vintage) pairs live side by side; rerunning one replaces it.
func TestVintage(t *testing.T) {
	db := schemastest.Memory(t)
	ctx := context.Background()
	for b := 1; b <= 3; b++ {
		batch(t, db, b)
	}
	people(t, db, 1, "A|PARTICIPANT", "B|PARTICIPANT")
	enroll(t, db, 1, "EA", "A", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	enroll(t, db, 1, "EB", "B", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	// Batch 2 corrects B's enrollment to WITHDRAWN: the loader keeps the
	// old version in history.
	exec(t, db,
		`INSERT INTO enrollments_history SELECT *, 2 FROM enrollments WHERE enrollment_id = 'EB'`,
		`UPDATE enrollments SET status = 'WITHDRAWN', _batch_id = 2 WHERE enrollment_id = 'EB'`)
	// An event loaded in batch 2 but linked to A only in batch 3.
	event(t, db, 2, "A", "2018-01-01", "PROMOTION", "OF-6")
	exec(t, db, `UPDATE career_events SET _link_batch_id = 3, link_method = 'fuzzy'`)

	graduates := func(v int64) int {
		t.Helper()
		if _, err := Run(ctx, db, Options{AsOf: dayD, Vintage: v}); err != nil {
			t.Fatal(err)
		}
		return count(t, db, `SELECT count(*) FROM people`)
	}
	if g := graduates(1); g != 2 {
		t.Errorf("vintage 1: %d graduates, want 2 (B had completed then)", g)
	}
	if g := graduates(2); g != 1 {
		t.Errorf("vintage 2: %d graduates, want 1", g)
	}
	var linked int
	db.QueryRow(`SELECT count(*) FROM career_timeline`).Scan(&linked)
	if linked != 0 {
		t.Errorf("vintage 2 sees %d linked events; the link came in batch 3", linked)
	}
	graduates(3)
	db.QueryRow(`SELECT count(*) FROM career_timeline`).Scan(&linked)
	if linked != 1 {
		t.Errorf("vintage 3 sees %d linked events, want 1", linked)
	}
	before := count(t, db, `SELECT count(*) FROM metric_values`)
	graduates(3)
	if after := count(t, db, `SELECT count(*) FROM metric_values`); after != before {
		t.Errorf("rerunning vintage 3 changed metric_values from %d to %d rows", before, after)
	}
	if v := count(t, db, `SELECT count(DISTINCT vintage) FROM metric_values`); v != 3 {
		t.Errorf("%d vintages kept, want 3", v)
	}
	if _, err := Run(ctx, db, Options{AsOf: dayD, Vintage: 9}); err == nil || !strings.Contains(err.Error(), "batches 1 to 3") {
		t.Errorf("vintage 9: %v", err)
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The SQL macros agree with their Go twins.
func TestMacros(t *testing.T) {
	db := schemastest.Memory(t)
	for _, code := range append(append([]string{}, schemas.RankCodes...), "XX", "OF-11", "OF-0", "OF-01", "of-1", " OF-1", "OR-10", "WO-6", "") {
		var got int
		if err := db.QueryRow(`SELECT rank_order(?)`, code).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := schemas.RankOrder(code); got != want {
			t.Errorf("rank_order(%q) = %d, Go says %d", code, got, want)
		}
	}
	var none int
	if err := db.QueryRow(`SELECT rank_order(NULL::VARCHAR)`).Scan(&none); err != nil || none != 0 {
		t.Errorf("rank_order(NULL) = %d (%v), want 0", none, err)
	}
	for _, c := range []struct {
		date   string
		fy, fq int
	}{{"2025-09-30", 2025, 4}, {"2025-10-01", 2026, 1}, {"2025-12-31", 2026, 1}, {"2026-01-01", 2026, 2}, {"2026-04-01", 2026, 3}, {"2026-07-01", 2026, 4}} {
		var fy, fq int
		if err := db.QueryRow(`SELECT fiscal_year_of(?::DATE), fiscal_quarter_of(?::DATE)`, c.date, c.date).Scan(&fy, &fq); err != nil {
			t.Fatal(err)
		}
		if fy != c.fy || fq != c.fq {
			t.Errorf("%s: FY%dQ%d, want FY%dQ%d", c.date, fy, fq, c.fy, c.fq)
		}
	}
}

// Every metric of the registry is complete and computed: each has its
// words for the methodology, and each produces rows.
func TestRegistry(t *testing.T) {
	ids := map[string]bool{}
	for _, m := range Registry {
		if ids[m.ID] {
			t.Errorf("%s twice", m.ID)
		}
		ids[m.ID] = true
		if m.Title == "" || m.Definition == "" || m.Population == "" || m.Event == "" || m.Estimator == "" || m.Unit == "" && m.From == "" {
			t.Errorf("%s: incomplete definition", m.ID)
		}
	}
	// metrics.md's table, id by id.
	for _, id := range strings.Fields(`LEAD_RANK_5Y LEAD_RANK_10Y LEAD_POS_5Y LEAD_POS_10Y PROMO_MEDIAN_DAYS LEAD_RANK_HR
		RETAIN_5Y INTEROP_5Y UTIL_2Y TRACK_24M UNTRACKED VET_COMPLIANCE VET_DENIED_ATTENDED HR_FLAG_RATE COMPLETION
		COMPLETION_BY_ECL WPS_SHARE COST_PER_GRAD COST_PER_LEADER COST_SHARE_PARTNER ALLOC_EXECUTION REPORT_LAG_DAYS
		ALUMNI_PROMINENT FMTR_SESSIONS FMTR_STUDENTS FMTR_COURSES FMTR_DOLLARS`) {
		if !ids[id] {
			t.Errorf("metrics.md's %s is not in the registry", id)
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/metrics.md from the registry")

// docs/metrics.md is the registry's methodology, as committed.
func TestMethodologyIsCommitted(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMethodology(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "metrics.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, b.Bytes()) {
		t.Errorf("docs/metrics.md differs from the registry: run 'go test ./transform -update'")
	}
	for _, m := range Registry {
		if !bytes.Contains(committed, []byte("## "+m.ID+": ")) {
			t.Errorf("docs/metrics.md lacks %s", m.ID)
		}
	}
}

// Every column of every model table carries a comment after a run: its
// model's words, or those of the same column where it first appears.
func TestModelColumnsCommented(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "A|PARTICIPANT", "B|COMPARISON")
	enroll(t, db, 1, "EA", "A", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	if _, err := Run(context.Background(), db, Options{AsOf: dayD}); err != nil {
		t.Fatal(err)
	}
	models := []string{"enrollment_facts", "career_timeline", "rank_observations", "people", "outcomes"}
	for _, m := range models {
		docs, err := schemas.ColumnComments(context.Background(), db, "", m)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) == 0 {
			t.Errorf("no model table %s", m)
		}
		for c, d := range docs {
			if d == "" {
				t.Errorf("%s.%s has no comment", m, c)
			}
		}
	}
	// outcomes.student_id inherits, outcomes.status has its own words
	docs, _ := schemas.ColumnComments(context.Background(), db, "", "outcomes")
	facts, _ := schemas.ColumnComments(context.Background(), db, "", "enrollment_facts")
	if docs["student_id"] != facts["student_id"] || !strings.Contains(docs["status"], "censored") {
		t.Errorf("outcomes: student_id %q (want enrollment_facts' %q), status %q", docs["student_id"], facts["student_id"], docs["status"])
	}
}
