package transform

import (
	"context"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
)

// The curves drawn from the survival metrics' reads of each outcome (the
// lists of its cohorts, kept for them) are those drawn from a read of
// their own, row for row.
func TestCurvesFromTheMetricsReads(t *testing.T) {
	t.Parallel()
	d := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	db, _, _ := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 5, AsOf: d})
	ctx := context.Background()
	conn, tx := testTx(t, db)
	v, err := resolveVintage(ctx, tx, 0)
	if err != nil {
		t.Fatal(err)
	}
	noTiming := func(_ string, f func() (int64, error)) error { _, err := f(); return err }
	if _, err := buildModels(ctx, tx, d, v, schemas.RankOrder("OF-6"), noTiming, true, modelPlan{}); err != nil {
		t.Fatal(err)
	}
	var res Result
	timed := func(name string, f func() (int64, error)) error {
		n, err := f()
		res.Steps = append(res.Steps, Step{Name: name, Rows: n})
		return err
	}
	opt := withDefaults(Options{AsOf: d})
	c := &computer{tx: tx, conn: conn, opt: opt, vintage: v}
	if err := c.every(ctx, timed, &res); err != nil {
		t.Fatal(err)
	}
	rows := func(table string) string {
		t.Helper()
		var s string
		if err := tx.QueryRowContext(ctx, "SELECT string_agg(r::VARCHAR, '\n' ORDER BY r::VARCHAR) FROM "+table+" r").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	curves := func() (km, cif string) {
		t.Helper()
		return rows("km_curves"), rows("cif_curves")
	}
	km, cif := curves()
	// every outcome's curves came from the metrics' reads, not from reads of their own
	if len(c.cohorts) != 5 {
		t.Fatalf("the metrics' reads kept the cohorts of %d outcomes, want 5", len(c.cohorts))
	}
	for key, cohorts := range c.cohorts {
		for co, l := range cohorts {
			if len(l.time) == 0 || (key != readKey(Metric{Unit: "outcomes", Where: outcomeWhere("PROMO")}) &&
				key != readKey(Metric{Unit: "outcomes", Where: outcomeWhere("RETAIN")}) && l.cr == nil) {
				t.Errorf("%q %s: %d people, competing-risk statuses %v", key, co, len(l.time), l.cr != nil)
			}
		}
	}
	// each curve counts its outcome's people of its cohort, as SQL selects them
	var wrong int
	if err := tx.QueryRowContext(ctx, `WITH k AS (SELECT outcome, cohort, max(n_risk) AS n, sum(n_event) AS events FROM km_curves GROUP BY ALL),
		c AS (SELECT outcome, cohort, max(n_risk) AS n, sum(n_event) AS events, sum(n_exit) AS exits FROM cif_curves GROUP BY ALL),
		o AS (SELECT outcome, cohort, count(*) AS n, count(*) FILTER (WHERE status) AS events, count(*) FILTER (WHERE cr_status = 2) AS exits FROM outcomes GROUP BY ALL)
		SELECT count(*) FROM o LEFT JOIN k USING (outcome, cohort) LEFT JOIN c USING (outcome, cohort)
		WHERE k.n IS DISTINCT FROM o.n OR k.events IS DISTINCT FROM o.events
		   OR (o.outcome IN ('LEAD_RANK', 'LEAD_POS', 'INTEROP') AND (c.n IS DISTINCT FROM o.n OR c.events IS DISTINCT FROM o.events OR c.exits IS DISTINCT FROM o.exits))`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d curves do not count their outcome's people of their cohort", wrong)
	}
	own := &computer{tx: tx, conn: conn, opt: opt, vintage: v}
	if _, err := own.curves(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := own.cifCurves(ctx); err != nil {
		t.Fatal(err)
	}
	if len(own.cohorts) != 5 {
		t.Errorf("the curves read %d outcomes of their own, want 5", len(own.cohorts))
	}
	if km2, cif2 := curves(); km2 != km || cif2 != cif || len(km) < 1000 || len(cif) < 1000 {
		t.Errorf("the curves from the metrics' reads differ from those of reads of their own (%d and %d bytes)", len(km), len(cif))
	}
}
