package transform

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
)

// The warehouse keeps the career timeline as a view (model.keep), not a
// table. Loads after a transform change career_events under it (new
// events, a corrected one, an event linked by name), and a comparison
// transform builds its own timeline meanwhile: the view still shows the
// rows the headline transform computed, until the next headline replaces
// them. A warehouse of before, whose timeline is a table, gets the view.
func TestKeptViewHoldsItsVintage(t *testing.T) {
	ctx := context.Background()
	db, dir, load := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 7, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	exec(t, db, `CREATE TABLE career_timeline AS SELECT 1 AS x`) // as a warehouse of before has it, a table
	d := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	first, err := Run(ctx, db, Options{AsOf: d})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM duckdb_views() WHERE view_name = 'career_timeline' AND NOT temporary`); n != 1 {
		t.Fatalf("%d kept views career_timeline, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'career_timeline' AND NOT temporary`); n != 0 {
		t.Fatalf("the old table career_timeline is left")
	}
	const timeline = "SELECT * FROM career_timeline"
	// what the model computes over the warehouse's current rows, for D
	const current = `SELECT student_id, event_id, event_date, event_type, rank_code, rank_order(rank_code) AS rank_order, position_level,
		functional_area, operation_type, source, reported_date, link_method
		FROM career_events WHERE student_id IS NOT NULL AND event_date <= DATE '2026-03-31'`
	kept := schemastest.Rows(t, db, timeline)
	if kept != schemastest.Rows(t, db, current) || count(t, db, "SELECT count(*) FROM career_timeline") < 100 {
		t.Fatalf("the kept timeline (%d rows) is not the career events of D", count(t, db, "SELECT count(*) FROM career_timeline"))
	}

	var ev struct{ id, student, typ, source, reported string }
	if err := db.QueryRow(`SELECT event_id, student_id, event_type, source, reported_date::VARCHAR FROM career_events
		WHERE link_method = 'id' AND event_date <= DATE '2026-03-31' ORDER BY event_id LIMIT 1`).Scan(&ev.id, &ev.student, &ev.typ, &ev.source, &ev.reported); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, c := range []string{"student_id", "country_code", "family_name", "given_names"} {
		ids[c] = one(t, db, "SELECT "+c+" FROM students WHERE cohort = 'PARTICIPANT' AND student_id <> ? ORDER BY student_id LIMIT 1", ev.student)
	}
	in := filepath.Join(dir, "later")
	schemastest.WriteCSV(t, filepath.Join(in, "career_events", "career_events.csv"), "career_events", []map[string]string{
		{"event_id": "LATERV1", "student_id": ev.student, "event_date": "2020-02-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "MOD", "reported_date": "2020-03-01"},
		// a correction: the event a year earlier
		{"event_id": ev.id, "student_id": ev.student, "event_date": "2001-01-01", "event_type": ev.typ, "source": ev.source, "reported_date": ev.reported},
		// linked by name
		{"event_id": "LATERV2", "country_code": ids["country_code"], "family_name": ids["family_name"], "given_names": ids["given_names"],
			"event_date": "2019-06-01", "event_type": "ASSIGNMENT", "position_level": "STRATEGIC", "source": "SCO", "reported_date": "2019-07-01"},
	})
	load(t, in)
	if n := count(t, db, `SELECT count(*) FROM career_events WHERE event_id = 'LATERV2' AND link_method = 'exact_name'`); n != 1 {
		t.Fatalf("the event sent by name did not link (%d)", n)
	}
	if schemastest.Rows(t, db, current) == kept {
		t.Fatal("the load changed no career event of D: the test tests nothing")
	}
	if got := schemastest.Rows(t, db, timeline); got != kept {
		t.Errorf("after a load the kept timeline changed:\n%s", schemastest.FirstDiff(got, kept, "kept view", "expected"))
	}
	// a transform that is not the headline (an earlier D) builds its own
	if res, err := Run(ctx, db, Options{AsOf: d.AddDate(0, -3, 0)}); err != nil {
		t.Fatal(err)
	} else if res.Vintage <= first.Vintage {
		t.Fatalf("the comparison transform is of vintage %d", res.Vintage)
	}
	if got := schemastest.Rows(t, db, timeline); got != kept {
		t.Errorf("after a comparison transform the kept timeline changed:\n%s", schemastest.FirstDiff(got, kept, "kept view", "expected"))
	}

	// the next headline shows the new rows, updated or rebuilt alike
	for _, full := range []bool{false, true} {
		if _, err := Run(ctx, db, Options{AsOf: d, Full: full}); err != nil {
			t.Fatal(err)
		}
		if got, want := schemastest.Rows(t, db, timeline), schemastest.Rows(t, db, current); got != want {
			t.Errorf("full %v: the kept timeline is not the new vintage's:\n%s", full, schemastest.FirstDiff(got, want, "kept view", "expected"))
		}
	}
}
