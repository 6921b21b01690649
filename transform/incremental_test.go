package transform

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
)

// A headline transform after new batches (or a later D of the same fiscal
// year) rebuilds only the touched people's model rows; what it writes must
// equal, value for value, what a whole rebuild writes from the same data:
// every metric row, curve and data-quality row, and every model table. Each
// step loads one kind of file, transforms incrementally, and then
// transforms the same D and vintage again with Full.
func TestIncrementalEqualsFull(t *testing.T) {
	ctx := context.Background()
	db, dir, loadDir := ingesttest.SynthLoaded(t, synth.Options{Students: 400, Seed: 5, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	d := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	if res, err := Run(ctx, db, Options{AsOf: d}); err != nil {
		t.Fatal(err)
	} else if !strings.HasPrefix(res.Models, "rebuilt") {
		t.Fatalf("the first transform's models: %s", res.Models)
	}

	pick := func(q string) []string {
		t.Helper()
		var a, b string
		if err := db.QueryRow(q).Scan(&a, &b); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return []string{a, b}
	}
	grad := pick(`SELECT student_id, index_date::VARCHAR FROM people WHERE cohort = 'PARTICIPANT' AND graduation_cohort = 'FY2012' ORDER BY student_id LIMIT 1`)
	peer := pick(`SELECT student_id, country_code FROM people WHERE cohort = 'COMPARISON' ORDER BY student_id LIMIT 1`)
	enr := pick(`SELECT enrollment_id, student_id FROM enrollment_facts WHERE status = 'COMPLETED' ORDER BY enrollment_id LIMIT 1`)
	ids := pick(`SELECT family_name, given_names FROM students WHERE student_id = '` + grad[0] + `'`)
	steps := []struct {
		name    string
		d       time.Time
		files   map[string][]map[string]string // dataset: rows
		scoped  bool                           // the models are updated, not rebuilt
		changes bool                           // some metric value must differ from the step before
	}{
		{"new students and their enrollments", d, map[string][]map[string]string{
			"students": {{"student_id": "NEW1", "country_code": peer[1], "family_name": "Newcomer", "given_names": "Ann", "birth_year": "1985", "sex": "F", "cohort": "PARTICIPANT"},
				{"student_id": "NEW2", "country_code": peer[1], "family_name": "Peer", "given_names": "Bob", "birth_year": "1984", "sex": "M", "cohort": "COMPARISON", "index_date": "2015-05-01", "rank_code_at_index": "OF-3"},
				twin("NEW3", peer[1], "Carla"), twin("NEW4", peer[1], "Carla")},
			"enrollments": {{"enrollment_id": "NEWE1", "student_id": "NEW1", "course_code": courseOf(t, db, enr[0]), "program": "IMET", "fiscal_year": "2015",
				"start_date": "2015-01-05", "end_date": "2015-05-01", "status": "COMPLETED", "rank_code_at_entry": "OF-3", "cost_usd": "25000.00", "vetting_status": "APPROVED", "vetting_date": "2014-10-01"}},
		}, true, true},
		{"new career events", d, map[string][]map[string]string{
			"career_events": {{"event_id": "NEWV1", "student_id": "NEW1", "event_date": "2024-03-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "MOD", "reported_date": "2024-04-01"},
				{"event_id": "NEWV2", "student_id": peer[0], "event_date": "2025-02-01", "event_type": "SEPARATION", "source": "MOD", "reported_date": "2025-03-01"},
				// two namesakes: it waits in link_review
				{"event_id": "TWINV", "country_code": peer[1], "family_name": "Twin", "given_names": "Carla", "birth_year": "1983", "event_date": "2024-01-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "MOD", "reported_date": "2024-02-01"}},
		}, true, true},
		{"a namesake corrected: the waiting event links to the other", d, map[string][]map[string]string{
			"students": {twin("NEW4", peer[1], "Dora")},
		}, true, true},
		{"a late event for an old cohort, and one linked by name", d, map[string][]map[string]string{
			"career_events": {{"event_id": "LATE1", "student_id": grad[0], "event_date": "2013-06-01", "event_type": "ASSIGNMENT", "position_level": "STRATEGIC", "functional_area": "LEADERSHIP", "source": "SCO", "reported_date": "2026-03-15"},
				{"event_id": "LATE2", "country_code": countryOf(t, db, grad[0]), "family_name": ids[0], "given_names": ids[1], "event_date": "2019-06-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "OPEN_SOURCE", "reported_date": "2026-03-20"}},
		}, true, true},
		{"corrections", d, map[string][]map[string]string{
			"enrollments": {{"enrollment_id": "NEWE1", "student_id": "NEW1", "course_code": courseOf(t, db, enr[0]), "program": "IMET", "fiscal_year": "2015",
				"start_date": "2015-01-05", "end_date": "2015-05-01", "status": "DROPPED", "rank_code_at_entry": "OF-3", "cost_usd": "25000.00", "vetting_status": "APPROVED", "vetting_date": "2014-10-01"}},
			// the separation was another man's: it moves from the peer to NEW2
			"career_events": {{"event_id": "NEWV2", "student_id": "NEW2", "event_date": "2025-02-01", "event_type": "SEPARATION", "source": "MOD", "reported_date": "2025-03-01"}},
		}, true, true},
		{"a later D of the same fiscal year", time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), nil, true, true},
		{"a course changed", time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), map[string][]map[string]string{
			"courses": {courseRow(t, db, courseOf(t, db, enr[0]))},
		}, false, false},
	}
	var before string
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			in := filepath.Join(dir, fmt.Sprintf("step%d", i))
			for ds, rows := range s.files {
				schemastest.WriteCSV(t, filepath.Join(in, ds, ds+".csv"), ds, rows)
			}
			loadDir(t, in)
			inc, err := Run(ctx, db, Options{AsOf: s.d})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(inc.Models, "updated"); got != s.scoped {
				t.Errorf("models %s, want updated %v", inc.Models, s.scoped)
			}
			incremental := results(t, db, s.d, inc.Vintage)
			full, err := Run(ctx, db, Options{AsOf: s.d, Full: true})
			if err != nil {
				t.Fatal(err)
			}
			if full.Vintage != inc.Vintage || !strings.HasPrefix(full.Models, "rebuilt") {
				t.Fatalf("the full transform: vintage %d, models %s", full.Vintage, full.Models)
			}
			whole := results(t, db, s.d, full.Vintage)
			if incremental != whole {
				t.Errorf("the incremental transform differs from the full one:\n%s", schemastest.FirstDiff(incremental, whole, "incremental", "full"))
			}
			if s.changes && whole == before {
				t.Errorf("the step changed no number: it tests nothing")
			}
			before = whole
		})
	}
}

// results is everything a transform of (d, v) wrote and the model tables,
// each table's rows sorted, values as Go prints them (every digit).
func results(t *testing.T, db *sql.DB, d time.Time, v int64) string {
	t.Helper()
	var b strings.Builder
	kept := fmt.Sprintf("WHERE as_of = DATE '%s' AND vintage = %d", d.Format(time.DateOnly), v)
	for _, q := range []string{
		"SELECT * EXCLUDE (as_of, vintage) FROM metric_values " + kept,
		"SELECT * EXCLUDE (as_of, vintage) FROM km_curves " + kept,
		"SELECT * EXCLUDE (as_of, vintage) FROM cif_curves " + kept,
		"SELECT * EXCLUDE (as_of, vintage) FROM ipw_balance " + kept,
		"SELECT * EXCLUDE (as_of, vintage) FROM data_quality " + kept,
		"SELECT * FROM enrollment_facts", "SELECT * FROM career_timeline", "SELECT * FROM rank_observations",
		"SELECT * FROM people", "SELECT * FROM outcomes",
	} {
		fmt.Fprintln(&b, q)
		b.WriteString(schemastest.Rows(t, db, q))
	}
	return b.String()
}

// courseOf is the course of an enrollment.
func courseOf(t *testing.T, db *sql.DB, enrollment string) string {
	return one(t, db, `SELECT course_code FROM enrollments WHERE enrollment_id = ?`, enrollment)
}

// countryOf is a student's country.
func countryOf(t *testing.T, db *sql.DB, student string) string {
	return one(t, db, `SELECT country_code FROM students WHERE student_id = ?`, student)
}

func one(t *testing.T, db *sql.DB, q string, arg any) string {
	t.Helper()
	var v string
	if err := db.QueryRow(q, arg).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// twin is a comparison peer named Twin, born 1983.
func twin(id, country, given string) map[string]string {
	return map[string]string{"student_id": id, "country_code": country, "family_name": "Twin", "given_names": given, "birth_year": "1983", "sex": "F",
		"cohort": "COMPARISON", "index_date": "2016-05-01", "rank_code_at_index": "OF-4"}
}

// courseRow is a course as stored, moved to another category.
func courseRow(t *testing.T, db *sql.DB, code string) map[string]string {
	t.Helper()
	var title, category, school, area sql.NullString
	if err := db.QueryRow(`SELECT course_title, category, school, functional_area FROM courses WHERE course_code = ?`, code).
		Scan(&title, &category, &school, &area); err != nil {
		t.Fatal(err)
	}
	next := "PME"
	if category.String == "PME" {
		next = "TECHNICAL"
	}
	return map[string]string{"course_code": code, "course_title": `"` + title.String + `"`, "category": next, "school": `"` + school.String + `"`, "functional_area": area.String}
}
