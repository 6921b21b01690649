package reports

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
	"github.com/imet-project/imet/transform"
)

// After every kind of new file and transform, a publish that updates the
// last snapshot writes the same tables, rows and words as one written
// whole; and it updates only when it may.
func TestPublishUpdateEqualsWhole(t *testing.T) {
	for _, list := range []int64{literalKeys, 0} {
		t.Run(fmt.Sprintf("keys named up to %d", list), func(t *testing.T) {
			was := literalKeys
			literalKeys = list
			defer func() { literalKeys = was }()
			publishUpdateEqualsWhole(t)
		})
	}
}

func publishUpdateEqualsWhole(t *testing.T) {
	ctx := context.Background()
	db, dir, load := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 5, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	d := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	run := func(t *testing.T, opt transform.Options) {
		t.Helper()
		if _, err := transform.Run(ctx, db, opt); err != nil {
			t.Fatal(err)
		}
	}
	run(t, transform.Options{AsOf: d})
	priv := Privacy{Key: []byte(strings.Repeat("k", schemas.PseudonymKeyBytes))}
	path := filepath.Join(dir, "published", "imet.duckdb")
	publish := func(t *testing.T, p Privacy, want string) {
		t.Helper()
		pub, err := Publish(ctx, db, path, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(pub.How, want) {
			t.Errorf("published %s, want %s…", pub.How, want)
		}
		full := filepath.Join(dir, "whole", "imet.duckdb")
		os.RemoveAll(filepath.Dir(full))
		if pub, err := Publish(ctx, db, full, p, true); err != nil || !strings.HasPrefix(pub.How, "written whole: asked for") {
			t.Fatalf("the whole publish: %v %s", err, pub.How)
		}
		if got, whole := snapshotText(t, path), snapshotText(t, full); got != whole {
			t.Errorf("the updated snapshot differs from the one written whole:\n%s", schemastest.FirstDiff(got, whole, "updated", "whole"))
		}
	}
	publish(t, priv, "written whole: no snapshot published there yet")

	pick := func(q string) []string {
		t.Helper()
		var a, b, c string
		if err := db.QueryRow(q).Scan(&a, &b, &c); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return []string{a, b, c}
	}
	grad := pick(`SELECT student_id, country_code, graduation_cohort FROM people WHERE cohort = 'PARTICIPANT' ORDER BY student_id LIMIT 1`)
	ids := pick(`SELECT family_name, given_names, country_code FROM students WHERE student_id = '` + grad[0] + `'`)
	enr := pick(`SELECT enrollment_id, student_id, course_code FROM enrollments WHERE status = 'COMPLETED' ORDER BY enrollment_id LIMIT 1`)
	ev := pick(`SELECT event_id, student_id, event_type FROM career_events WHERE link_method = 'id' ORDER BY event_id LIMIT 1`)
	steps := []struct {
		name  string
		files map[string][]map[string]string
		runs  []transform.Options
	}{
		{"new students and an enrollment", map[string][]map[string]string{
			"students":    {{"student_id": "NEW1", "country_code": grad[1], "family_name": "Newcomer", "given_names": "Ann", "birth_year": "1985", "sex": "F", "cohort": "PARTICIPANT"}},
			"enrollments": {{"enrollment_id": "NEWE1", "student_id": "NEW1", "course_code": enr[2], "program": "IMET", "start_date": "2015-01-05", "end_date": "2015-05-01", "status": "COMPLETED", "rank_code_at_entry": "OF-3", "cost_usd": "25000.00"}},
		}, []transform.Options{{AsOf: d}}},
		{"new career events, one linked by name", map[string][]map[string]string{
			"career_events": {{"event_id": "NEWV1", "student_id": "NEW1", "event_date": "2024-03-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "MOD", "reported_date": "2024-04-01"},
				{"event_id": "NEWV2", "country_code": ids[2], "family_name": ids[0], "given_names": ids[1], "event_date": "2019-06-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "OPEN_SOURCE", "reported_date": "2020-01-01"}},
		}, []transform.Options{{AsOf: d}}},
		{"two namesakes, and an event by their name: it waits", map[string][]map[string]string{
			"students": {twin("NEW3", grad[1], "Carla"), twin("NEW4", grad[1], "Carla")},
			"career_events": {{"event_id": "TWINV", "country_code": grad[1], "family_name": "Twin", "given_names": "Carla", "birth_year": "1983",
				"event_date": "2024-01-01", "event_type": "PROMOTION", "rank_code": "OF-6", "source": "MOD", "reported_date": "2024-02-01"}},
		}, []transform.Options{{AsOf: d}}},
		{"a namesake corrected: the waiting event links to the other", map[string][]map[string]string{
			"students": {twin("NEW4", grad[1], "Dora")},
		}, []transform.Options{{AsOf: d}}},
		{"corrections: an enrollment withdrawn, an event moved to another person", map[string][]map[string]string{
			"enrollments":   {{"enrollment_id": enr[0], "student_id": enr[1], "course_code": enr[2], "program": "IMET", "start_date": "2015-01-05", "end_date": "2015-05-01", "status": "WITHDRAWN"}},
			"career_events": {{"event_id": ev[0], "student_id": "NEW1", "event_date": "2020-02-01", "event_type": ev[2], "source": "MOD", "reported_date": "2020-03-01"}},
		}, []transform.Options{{AsOf: d}}},
		{"a bad row quarantined, and a comparison quarter", map[string][]map[string]string{
			"students": {{"student_id": "BAD1", "country_code": "XXX", "family_name": "Nobody", "cohort": "PARTICIPANT"}},
		}, []transform.Options{{AsOf: d}, {AsOf: d.AddDate(0, -3, 0)}}},
		{"a later D of the same fiscal year, no file", nil, []transform.Options{{AsOf: d.AddDate(0, 0, 15)}}},
		{"a course changed: every model row rebuilt", map[string][]map[string]string{
			"courses": {{"course_code": enr[2], "course_title": "Renamed course", "category": "TECHNICAL", "school": "School", "functional_area": "LOGISTICS", "duration_weeks": "4"}},
		}, []transform.Options{{AsOf: d.AddDate(0, 0, 15)}}},
		{"nothing new", nil, nil},
	}
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if len(s.files) > 0 {
				in := filepath.Join(dir, fmt.Sprintf("step%d", i))
				for ds, rows := range s.files {
					schemastest.WriteCSV(t, filepath.Join(in, ds, ds+".csv"), ds, rows)
				}
				load(t, in)
			}
			for _, o := range s.runs {
				run(t, o)
			}
			if strings.HasPrefix(s.name, "a namesake corrected") {
				var linked string
				if err := db.QueryRow(`SELECT coalesce(student_id, '') FROM career_events WHERE event_id = 'TWINV'`).Scan(&linked); err != nil || linked != "NEW3" {
					t.Fatalf("the waiting event linked to %q (%v), want NEW3", linked, err)
				}
			}
			publish(t, priv, "updated from the last snapshot")
		})
	}

	// when it may not update
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	publish(t, priv, "written whole: the snapshot file is not the one imet last wrote")
	publish(t, Privacy{IncludePersonal: true}, "written whole: the last snapshot was written with other tables, privacy settings or migrations")
	publish(t, Privacy{Key: []byte(strings.Repeat("q", schemas.PseudonymKeyBytes))}, "written whole: the last snapshot was written with other tables, privacy settings or migrations")
	publish(t, Privacy{Key: []byte(strings.Repeat("q", schemas.PseudonymKeyBytes))}, "updated from the last snapshot")
	if _, err := db.Exec(`UPDATE publish_state SET updates = ?`, maxUpdates); err != nil {
		t.Fatal(err)
	}
	publish(t, Privacy{Key: []byte(strings.Repeat("q", schemas.PseudonymKeyBytes))}, fmt.Sprintf("written whole: %d updates since", maxUpdates))
}

// twin is a comparison peer named Twin, born 1983.
func twin(id, country, given string) map[string]string {
	return map[string]string{"student_id": id, "country_code": country, "family_name": "Twin", "given_names": given, "birth_year": "1983", "sex": "F",
		"cohort": "COMPARISON", "index_date": "2016-05-01", "rank_code_at_index": "OF-4"}
}

// snapshotText is every table of the snapshot at path, its rows sorted,
// with the words on the table and each column.
func snapshotText(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	b.WriteString(schemastest.Rows(t, db, `SELECT table_name, comment FROM duckdb_tables()`))
	b.WriteString(schemastest.Rows(t, db, `SELECT table_name, column_name, column_index, data_type, comment FROM duckdb_columns()`))
	rows, err := db.Query(`SELECT table_name FROM duckdb_tables() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		fmt.Fprintln(&b, n)
		b.WriteString(schemastest.Rows(t, db, "SELECT * FROM "+n))
	}
	return b.String()
}
