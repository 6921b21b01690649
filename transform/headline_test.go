package transform

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas/schemastest"
)

// Whatever was transformed last, the model tables are the headline
// transform's (the latest D, its newest vintage, its lead rank), while each
// transform's own metrics come from models of its own D and vintage: a
// transform that is not the headline builds them as temporary tables and
// leaves none behind on the connection (the test database has one).
func TestModelsStayTheHeadlines(t *testing.T) {
	db := schemastest.Memory(t)
	ctx := context.Background()
	batch(t, db, 1)
	batch(t, db, 2)
	people(t, db, 1, "A|PARTICIPANT", "B|PARTICIPANT", "H|PARTICIPANT")
	enroll(t, db, 1, "EA", "A", "2015-01-01", "2015-06-30", "COMPLETED", "OF-4")
	enroll(t, db, 1, "EB", "B", "2026-01-01", "2026-05-31", "COMPLETED", "OF-4") // a graduate of the last months only
	enroll(t, db, 1, "EH", "H", "2015-01-01", "2015-06-30", "COMPLETED", "OF-6") // eligible for LEAD_RANK only above OF-6
	people(t, db, 2, "C|PARTICIPANT")
	enroll(t, db, 2, "EC", "C", "2014-01-01", "2014-06-30", "COMPLETED", "OF-4") // arrives with batch 2
	for _, s := range []string{"A", "H", "C"} {
		event(t, db, 1, s, "2020-01-01", "VERIFIED", "") // follow-up, so that they have outcomes
	}
	earlier := dayD.AddDate(0, -6, 0)

	// n of a metric's whole-population PARTICIPANT row of (d, v)
	n := func(metric string, d time.Time, v int64) int {
		t.Helper()
		return count(t, db, fmt.Sprintf(`SELECT n FROM metric_values WHERE metric_id = '%s' AND cohort = 'PARTICIPANT'
			AND period = 'ALL' AND graduation_cohort = 'ALL' AND program = 'ALL' AND region = 'ALL' AND country_code = 'ALL'
			AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND as_of = DATE '%s' AND vintage = %d`, metric, d.Format(time.DateOnly), v))
	}
	transform := func(d time.Time, v int64, lead string) Result {
		t.Helper()
		res, err := Run(ctx, db, Options{AsOf: d, Vintage: v, LeadRank: lead})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	tempTables := func() int {
		t.Helper()
		return count(t, db, `SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name IN ('enrollment_facts', 'career_timeline', 'rank_observations', 'people', 'outcomes')`) +
			count(t, db, `SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = 'career_timeline'`)
	}
	headline := func() (int, int, int) {
		t.Helper()
		return count(t, db, `SELECT count(*) FROM people`),
			count(t, db, `SELECT count(*) FROM outcomes WHERE outcome = 'LEAD_RANK'`),
			count(t, db, `SELECT count(*) FROM enrollment_facts`)
	}

	// The headline: D, vintage 2, OF-6: A, B, C and H graduates; A and C
	// eligible for LEAD_RANK (H is at OF-6 already, B has no follow-up).
	transform(dayD, 2, "")
	people0, lead0, facts0 := headline()
	if people0 != 4 || n("HR_FLAG_RATE", dayD, 2) != 4 || lead0 != 2 {
		t.Fatalf("headline: %d people (n %d), %d LEAD_RANK rows; want 4 graduates, 2 eligible", people0, n("HR_FLAG_RATE", dayD, 2), lead0)
	}

	for _, c := range []struct {
		name                string
		d                   time.Time
		v                   int64
		lead                string
		graduates, leadRank int // what the run's own metrics count
	}{
		{"an earlier quarter", earlier, 2, "", 3, 2},               // B graduates after it
		{"an earlier vintage of D", dayD, 1, "", 3, 1},             // C arrives with batch 2
		{"another lead rank, earlier D", earlier, 2, "OF-7", 3, 3}, // H is eligible below OF-7
	} {
		transform(c.d, c.v, c.lead)
		if g, l := n("HR_FLAG_RATE", c.d, c.v), n("LEAD_RANK_10Y", c.d, c.v); g != c.graduates || l != c.leadRank {
			t.Errorf("%s: its metrics count %d graduates and %d eligible for LEAD_RANK, want %d and %d (models of its own D, vintage and lead rank)",
				c.name, g, l, c.graduates, c.leadRank)
		}
		if n := tempTables(); n != 0 {
			t.Errorf("%s left %d temporary model tables on the connection", c.name, n)
		}
		if p, l, f := headline(); p != people0 || l != lead0 || f != facts0 {
			t.Errorf("%s left models with %d people, %d LEAD_RANK rows, %d enrollment facts; the headline's have %d, %d, %d",
				c.name, p, l, f, people0, lead0, facts0)
		}
	}
	// A later D becomes the headline, and its models stay.
	later := dayD.AddDate(0, 3, 0)
	transform(later, 2, "")
	if p, g := count(t, db, `SELECT count(*) FROM people`), n("HR_FLAG_RATE", later, 2); p != g {
		t.Errorf("after the headline transform of a later D the models have %d people; its metrics count %d graduates", p, g)
	}
	if got := count(t, db, fmt.Sprintf(`SELECT count(*) FROM headline_transform WHERE as_of = DATE '%s' AND vintage = 2`, later.Format(time.DateOnly))); got != 1 {
		t.Errorf("headline_transform is not the later D")
	}
}
