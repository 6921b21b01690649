package transform

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// A cost metric whose input column is missing from a fiscal year's data is
// unknown, with a note, never 0; a fiscal year still under way at D leaves
// out the enrollments not yet over and says it is provisional (issue 11).
func TestCostCompleteness(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "S1|PARTICIPANT", "S2|PARTICIPANT", "S3|PARTICIPANT", "S4|PARTICIPANT")
	// FY2024: costs never sent (a renamed column, say).
	enroll(t, db, 1, "E1", "S1", "2024-01-10", "2024-03-01", "COMPLETED", "OF-3")
	enroll(t, db, 1, "E2", "S2", "2024-01-10", "2024-03-01", "COMPLETED", "OF-3")
	exec(t, db, "UPDATE enrollments SET cost_usd = NULL WHERE enrollment_id IN ('E1', 'E2')")
	// FY2026 (holds D): one graduate ($1,000) and one still in training
	// ($1,000 and $9,000 spent on a course ending after D).
	enroll(t, db, 1, "E3", "S3", "2025-11-01", "2026-02-01", "COMPLETED", "OF-3")
	enroll(t, db, 1, "E4", "S4", "2026-01-05", "2026-12-01", "IN_PROGRESS", "OF-3")
	exec(t, db, "UPDATE enrollments SET cost_usd = 9000 WHERE enrollment_id = 'E4'")
	if _, err := Run(context.Background(), db, Options{AsOf: dayD}); err != nil {
		t.Fatal(err)
	}
	get := func(id, period string) (sql.NullFloat64, string) {
		t.Helper()
		var v sql.NullFloat64
		var note sql.NullString
		err := db.QueryRow(`SELECT value, note FROM metric_values WHERE metric_id = ? AND period = ? AND cohort = 'ALL'
			AND program = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`, id, period).Scan(&v, &note)
		if err != nil {
			t.Fatalf("%s %s: %v", id, period, err)
		}
		return v, note.String
	}
	for _, id := range []string{"COST_PER_GRAD", "FMTR_DOLLARS", "ALLOC_EXECUTION"} {
		t.Run(id+" unknown", func(t *testing.T) {
			v, note := get(id, "FY2024")
			if v.Valid || !strings.Contains(note, "unknown: cost_usd is missing from all 2") {
				t.Errorf("FY2024 = %v, note %q: want unknown, not 0", v, note)
			}
		})
	}
	t.Run("provisional", func(t *testing.T) {
		v, note := get("COST_PER_GRAD", "FY2026")
		if !v.Valid || v.Float64 != 1000 {
			t.Errorf("FY2026 cost per graduate = %v, want 1000 (the cost of training still under way left out)", v)
		}
		if !strings.Contains(note, "provisional: 1 enrollments still under way at D are left out") {
			t.Errorf("note = %q", note)
		}
		if _, note := get("COST_PER_GRAD", "FY2024"); strings.Contains(note, "provisional") {
			t.Errorf("a year with nothing under way is not provisional: %q", note)
		}
	})
}

// A rejected file changes no data, so it never names the vintage.
func TestRejectedBatchIsNoVintage(t *testing.T) {
	t.Parallel()
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "S1|PARTICIPANT")
	exec(t, db, `INSERT INTO batches (batch_id, started_at, finished_at, dataset, status) VALUES
		(2, TIMESTAMP '2026-07-02', TIMESTAMP '2026-07-02', 'students', 'rejected'),
		(3, TIMESTAMP '2026-07-02', TIMESTAMP '2026-07-02', '', 'rejected')`)
	for _, asked := range []int64{0, 2, 3} {
		res, err := Run(context.Background(), db, Options{AsOf: dayD, Vintage: asked})
		if err != nil {
			t.Fatal(err)
		}
		if res.Vintage != 1 {
			t.Errorf("vintage %d asked: transform used %d, want 1 (the last batch that loaded a file)", asked, res.Vintage)
		}
	}
	if v, err := LatestVintage(context.Background(), db); err != nil || v != 1 {
		t.Errorf("LatestVintage = %d, %v", v, err)
	}
}

// The newest vintage transformed for a D is not the last loaded batch when
// newer batches arrived after D was transformed; a D never transformed is
// an error that says what to run.
func TestLatestTransformedVintage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := schemastest.Memory(t)
	batch(t, db, 1)
	people(t, db, 1, "S1|PARTICIPANT")
	if _, err := Run(ctx, db, Options{AsOf: dayD}); err != nil {
		t.Fatal(err)
	}
	batch(t, db, 2)
	if v, err := LatestTransformedVintage(ctx, db, dayD); err != nil || v != 1 {
		t.Errorf("LatestTransformedVintage = %d, %v; want 1", v, err)
	}
	if v, _ := LatestVintage(ctx, db); v != 2 {
		t.Errorf("LatestVintage = %d, want 2", v)
	}
	if _, err := LatestTransformedVintage(ctx, db, dayD.AddDate(1, 0, 0)); err == nil || !strings.Contains(err.Error(), "imet transform") {
		t.Errorf("a D never transformed: %v", err)
	}
}
