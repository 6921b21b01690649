package transform

import (
	"context"
	"testing"
	"time"

	"github.com/imet-project/imet/ingest/ingesttest"
	"github.com/imet-project/imet/schemas/schemastest"
	"github.com/imet-project/imet/synth"
)

// Transforms that cannot become the headline run side by side (EnsureAll):
// each writes what it writes alone, one after the other; their run ids
// follow the order asked; the kept models stay the headline's. A set with
// a new headline in it runs one after the other, in order.
func TestEnsureAllSideBySide(t *testing.T) {
	ctx := context.Background()
	db, _, _ := ingesttest.SynthLoaded(t, synth.Options{Students: 300, Seed: 7, AsOf: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)})
	date := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	d, prevY, prevQ := date("2026-06-30"), date("2025-06-30"), date("2026-03-31")
	head, err := Run(ctx, db, Options{AsOf: d})
	if err != nil {
		t.Fatal(err)
	}
	headModels := results(t, db, d, head.Vintage)

	done, err := EnsureAll(ctx, db, []Options{{AsOf: prevY}, {AsOf: prevQ}, {AsOf: d}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Ensured{{Run: head.RunID + 1, Vintage: head.Vintage, Ran: true}, {Run: head.RunID + 2, Vintage: head.Vintage, Ran: true}, {Run: head.RunID, Vintage: head.Vintage}}
	for i := range want {
		if got := done[i]; got.Run != want[i].Run || got.Vintage != want[i].Vintage || got.Ran != want[i].Ran || got.Ran && got.Result.RunID != got.Run {
			t.Errorf("EnsureAll's %d: %+v, want %+v", i, done[i], want[i])
		}
	}
	for i, when := range []time.Time{prevY, prevQ} {
		if got := one(t, db, `SELECT as_of::VARCHAR FROM transform_runs WHERE run_id = ?`, done[i].Run); got != when.Format(time.DateOnly) {
			t.Errorf("run %d is of %s, want %s", done[i].Run, got, when.Format(time.DateOnly))
		}
	}
	if got := results(t, db, d, head.Vintage); got != headModels {
		t.Errorf("the side-by-side transforms changed the headline's rows or models: %s", schemastest.FirstDiff(got, headModels, "after", "before"))
	}
	if got := one(t, db, `SELECT as_of::VARCHAR FROM model_state WHERE vintage = ?`, head.Vintage); got != d.Format(time.DateOnly) {
		t.Errorf("the kept models are of %s, want the headline's %s", got, d.Format(time.DateOnly))
	}

	// each side-by-side result equals the same transform run alone
	for _, when := range []time.Time{prevY, prevQ} {
		side := results(t, db, when, head.Vintage)
		if metricRows := count(t, db, `SELECT count(*) FROM metric_values WHERE as_of = '`+when.Format(time.DateOnly)+`'`); metricRows < 1000 {
			t.Fatalf("%s: %d metric rows: too few to compare", when.Format(time.DateOnly), metricRows)
		}
		if _, err := Run(ctx, db, Options{AsOf: when}); err != nil {
			t.Fatal(err)
		}
		if alone := results(t, db, when, head.Vintage); alone != side {
			t.Errorf("%s side by side differs from alone: %s", when.Format(time.DateOnly), schemastest.FirstDiff(side, alone, "side by side", "alone"))
		}
	}

	// a new headline among them, with earlier ones beside it: they wait
	// for it, and when it fails they are not committed either
	later, earlier := date("2026-09-30"), date("2025-12-31")
	if _, err := EnsureAll(ctx, db, []Options{{AsOf: earlier}, {AsOf: later, LeadRank: "OF-1"}}); err == nil {
		t.Fatal("EnsureAll with a failing headline: no error")
	}
	if n := count(t, db, `SELECT count(*) FROM transform_runs WHERE as_of IN ('2025-12-31', '2026-09-30')`); n != 0 {
		t.Errorf("a failed headline left %d transform runs of its own or of the transforms beside it", n)
	}
	next := head.RunID + 5
	done, err = EnsureAll(ctx, db, []Options{{AsOf: earlier}, {AsOf: later}})
	if err != nil {
		t.Fatal(err)
	}
	if done[0].Run != next || done[1].Run != next+1 || !done[0].Ran || !done[1].Ran {
		t.Errorf("EnsureAll with a new headline: %+v, want runs %d and %d", done, next, next+1)
	}
	if got := one(t, db, `SELECT as_of::VARCHAR FROM model_state WHERE vintage = ?`, head.Vintage); got != later.Format(time.DateOnly) {
		t.Errorf("the kept models are of %s, want the new headline's %s", got, later.Format(time.DateOnly))
	}
	if got := done[0].Result.Models; got != "rebuilt: not the headline transform (temporary models)" {
		t.Errorf("the transform beside the headline: models %q", got)
	}
	side := []string{results(t, db, earlier, head.Vintage), results(t, db, later, head.Vintage)}
	for i, o := range []Options{{AsOf: earlier}, {AsOf: later, Full: true}} {
		if _, err := Run(ctx, db, o); err != nil {
			t.Fatal(err)
		}
		if alone := results(t, db, o.AsOf, head.Vintage); alone != side[i] {
			t.Errorf("%s beside the headline differs from alone: %s", o.AsOf.Format(time.DateOnly), schemastest.FirstDiff(side[i], alone, "beside", "alone"))
		}
	}
}
