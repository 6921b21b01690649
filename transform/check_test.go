package transform

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// Every pipeline check fires on the warehouse that breaks it, and none on
// a sound one.
func TestChecks(t *testing.T) {
	t.Parallel()
	sound := func(t *testing.T) *sql.DB {
		db := schemastest.Memory(t)
		batch(t, db, 1)
		people(t, db, 1, "S1|PARTICIPANT")
		enroll(t, db, 1, "E1", "S1", "2015-01-01", "2015-06-30", "COMPLETED", "OF-3")
		if _, err := Run(context.Background(), db, Options{AsOf: dayD}); err != nil {
			t.Fatal(err)
		}
		return db
	}
	t.Run("sound", func(t *testing.T) {
		t.Parallel()
		c, err := Check(context.Background(), sound(t), dayD, 1)
		if err != nil || len(c.Failures)+len(c.Warnings) != 0 {
			t.Errorf("checks of a sound warehouse: %+v, %v", c, err)
		}
	})
	for _, c := range []struct {
		name, breakIt, want string
		fail                bool
	}{
		{"orphan enrollment", `INSERT INTO enrollments BY NAME SELECT 'E2' AS enrollment_id, 'NOBODY' AS student_id, 'C1' AS course_code, DATE '2015-01-01' AS start_date, 'COMPLETED' AS status, 1 AS _batch_id`, "1 enrollments name a student the warehouse does not have", true},
		{"orphan event", `INSERT INTO career_events BY NAME SELECT 'V1' AS event_id, 'NOBODY' AS student_id, DATE '2020-01-01' AS event_date, 'VERIFIED' AS event_type, 1 AS _batch_id`, "1 career events are linked to a student", true},
		{"duplicate enrollment", `INSERT INTO enrollments BY NAME SELECT 'E1' AS enrollment_id, 'S1' AS student_id, 'C1' AS course_code, DATE '2016-01-01' AS start_date, 'COMPLETED' AS status, 1 AS _batch_id`, "1 enrollment ids appear more than once", true},
		{"no metric values", `DELETE FROM metric_values`, "the transform wrote no metric values", true},
		{"link review", `INSERT INTO link_review VALUES ('career_events', 'V9', 1, 1, 'unmatched', 'no candidate', NULL)`, "1 records wait in link_review", false},
		{"open quarantine", `INSERT INTO quarantine (batch_id, file, dataset, rule, reason, quarantined_at) VALUES (1, 'f.csv', 'students', 'type', 'x', TIMESTAMP '2026-07-01')`, "1 rows open in quarantine", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := sound(t)
			exec(t, db, c.breakIt)
			got, err := Check(context.Background(), db, dayD, 1)
			if err != nil {
				t.Fatal(err)
			}
			list := got.Warnings
			if c.fail {
				list = got.Failures
			}
			if len(list) != 1 || !strings.Contains(list[0], c.want) {
				t.Errorf("checks = %+v, want %q among the %s", got, c.want, map[bool]string{true: "failures", false: "warnings"}[c.fail])
			}
		})
	}
}
