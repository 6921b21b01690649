package transform

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/transform/estimate"
)

// holding inserts a post holding: id, student ("" = waiting for a link),
// post level, start, end ("" = in office).
func holding(t *testing.T, db *sql.DB, id, student, level, start, end string) {
	s, e, link := "NULL", "NULL", "NULL"
	if student != "" {
		s, link = "'"+student+"'", "1"
	}
	if end != "" {
		e = "DATE '" + end + "'"
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO post_holders BY NAME SELECT '%s' AS holding_id, %s AS student_id, 'KEN' AS country_code,
		'%s' AS post_level, 'Post ' || '%s' AS post_title, DATE '%s' AS start_date, %s AS end_date, 1 AS _batch_id, %s AS _link_batch_id`,
		id, s, level, id, start, e, link))
}

// LEAD_PENETRATION counts the holdings in office on D, and as a
// graduate's only those of a participant who graduated before taking up
// the post: not a comparison peer, not someone who trained later, not
// someone who never completed. Holdings not linked count in n, and the note
// tells those waiting for a reviewer (possible graduates) from those whose
// holder resembles no student; every other metric's rows are post level ALL.
func TestLeadPenetration(t *testing.T) {
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "A|PARTICIPANT", "B|PARTICIPANT", "D|COMPARISON|2015-06-30|OF-4", "E|PARTICIPANT")
	enroll(t, db, 1, "EA", "A", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	enroll(t, db, 1, "EB", "B", "2019-09-01", "2020-03-01", "COMPLETED", "OF-5")
	enroll(t, db, 1, "EE", "E", "2015-01-01", "2015-06-30", "WITHDRAWN", "OF-4")
	holding(t, db, "H1", "A", "CHOD", "2018-01-01", "")              // a graduate's
	holding(t, db, "H2", "B", "GENERAL_OFFICER", "2019-01-01", "")   // trained after taking the post
	holding(t, db, "H3", "D", "GENERAL_OFFICER", "2020-01-01", "")   // a comparison peer
	holding(t, db, "H4", "", "MINISTER", "2021-01-01", "2027-01-01") // waiting in link_review
	holding(t, db, "H5", "E", "SERVICE_CHIEF", "2022-01-01", "")     // never graduated
	holding(t, db, "H6", "A", "GENERAL_OFFICER", "2016-01-01", "2017-12-31")
	holding(t, db, "H7", "", "MINISTER", "2019-01-01", "2026-06-30") // left office on D
	holding(t, db, "H8", "A", "SERVICE_CHIEF", "2026-07-01", "")     // after D
	holding(t, db, "H9", "", "GENERAL_OFFICER", "2020-06-01", "")    // a holder like no student
	// H4's holder resembles two students: it waits for a reviewer
	if _, err := db.Exec(`INSERT INTO link_review VALUES ('post_holders', 'H4', 1, 1, 'ambiguous', 'two candidates', '[{"student_id": "A", "score": 0.9}, {"student_id": "B", "score": 0.9}]'),
		('post_holders', 'H9', 1, 1, 'unmatched', 'no candidate', NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), db, Options{AsOf: dayD}); err != nil {
		t.Fatal(err)
	}
	type row struct {
		n, events int64
		num       float64
		v, lo, hi float64
		note      string
	}
	get := func(country, level string) row {
		t.Helper()
		var r row
		if err := db.QueryRow(`SELECT n, events, numerator, value, ci_low, ci_high, coalesce(note, '') FROM metric_values
			WHERE metric_id = 'LEAD_PENETRATION' AND period = 'ALL' AND cohort = 'ALL' AND region = 'ALL' AND country_code = ? AND post_level = ?`,
			country, level).Scan(&r.n, &r.events, &r.num, &r.v, &r.lo, &r.hi, &r.note); err != nil {
			t.Fatalf("%s/%s: %v", country, level, err)
		}
		return r
	}
	v, lo, hi := estimate.Wilson(1, 6)
	want := row{6, 1, 1, v, lo, hi, "1 holding awaiting link review (a possible graduate); 1 holder in no training record; 1 held by a comparison peer (not a graduate); small n"}
	for _, c := range []string{"ALL", "KEN"} {
		if got := get(c, "ALL"); got.n != want.n || got.events != want.events || got.num != want.num || got.note != want.note ||
			math.Abs(got.v-want.v) > 1e-12 || math.Abs(got.lo-want.lo) > 1e-12 || math.Abs(got.hi-want.hi) > 1e-12 {
			t.Errorf("%s: %+v, want %+v", c, got, want)
		}
	}
	for level, w := range map[string][2]int64{"CHOD": {1, 1}, "GENERAL_OFFICER": {3, 0}, "MINISTER": {1, 0}, "SERVICE_CHIEF": {1, 0}} {
		for _, c := range []string{"ALL", "KEN"} {
			if got := get(c, level); got.n != w[0] || got.events != w[1] {
				t.Errorf("%s/%s: n %d, events %d; want %d, %d", c, level, got.n, got.events, w[0], w[1])
			}
		}
	}
	if n := count(t, db, "SELECT count(*) FROM metric_values WHERE region = 'EAP' AND metric_id = 'LEAD_PENETRATION'"); n != 0 {
		t.Errorf("%d LEAD_PENETRATION rows for a region KEN is not in", n)
	}
	if n := count(t, db, "SELECT count(*) FROM metric_values WHERE metric_id NOT IN ('LEAD_PENETRATION', 'LEAD_PENETRATION_SHRUNK') AND post_level <> 'ALL'"); n != 0 {
		t.Errorf("%d rows of other metrics have a post level", n)
	}
	// the shrunken shares are pooled within each post level, and keep it
	if n := count(t, db, "SELECT count(*) FROM metric_values WHERE metric_id = 'LEAD_PENETRATION_SHRUNK' AND post_level = 'CHOD' AND country_code = 'KEN'"); n != 1 {
		t.Errorf("%d shrunken rows for Kenya's chief of defence, want 1", n)
	}
}
