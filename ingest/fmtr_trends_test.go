package ingest

import (
	"bytes"
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/imet-project/imet/ingest/fmtr"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/schemas/schemastest"
)

// fmtr_trends (migration 0010) against an independent reading: the shipped
// FY2013 and FY2017 reports loaded into a real warehouse, and the same
// files parsed and summed in Go (fmtr.Parse, fmtr.Reconcile), cell by
// cell: sessions, dollars, activities and the share of dollars in groups
// that reproduce their printed total.
func TestFMTRTrendsAgainstAnIndependentSum(t *testing.T) {
	db, _ := schemastest.File(t)
	l := &Loader{DB: db}
	ctx := context.Background()
	type cell struct {
		fy               int
		country, program string
	}
	type sums struct {
		sessions, activities int64
		dollars, matched     float64
	}
	want := map[cell]*sums{}
	names, _ := fs.Glob(fmtr.Sample, "sample/*.tsv")
	dir := t.TempDir()
	years := map[int]bool{}
	for _, n := range names {
		b, _ := fmtr.Sample.ReadFile(n)
		path := filepath.Join(dir, filepath.Base(n))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if res, err := l.LoadFile(ctx, path, schemas.FMTRActivities); err != nil || res.Status != StatusLoaded {
			t.Fatalf("%s: %v %+v", n, err, res)
		}
		rep, err := fmtr.Parse(bytes.NewReader(b), filepath.Base(n))
		if err != nil {
			t.Fatal(err)
		}
		get := func(fy int, country, program string) *sums {
			k := cell{fy, country, program}
			if want[k] == nil {
				want[k] = &sums{}
			}
			return want[k]
		}
		for _, r := range rep.Rows {
			if r.Kind != fmtr.KindActivity {
				continue
			}
			s := get(r.FiscalYear, r.CountryCode, r.Program)
			s.activities++
			s.sessions += *r.Quantity
			s.dollars += *r.Cost
			years[r.FiscalYear] = true
		}
		for _, g := range fmtr.Reconcile(rep.Rows) {
			if g.Match() {
				get(g.FiscalYear, g.CountryCode, g.Program).matched += g.Cost
			}
		}
	}
	if !years[2013] || !years[2017] {
		t.Fatalf("the sample's fiscal years: %v, want 2013 and 2017", years)
	}
	rows, err := db.QueryContext(ctx, `SELECT fiscal_year, country_code, program, sessions, dollars, activities, reconciled_share, reconciliation, region FROM fmtr_trends`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var k cell
		var got sums
		var share *float64
		var rec string
		var region *string
		if err := rows.Scan(&k.fy, &k.country, &k.program, &got.sessions, &got.dollars, &got.activities, &share, &rec, &region); err != nil {
			t.Fatal(err)
		}
		seen++
		w := want[k]
		if w == nil {
			t.Errorf("%v: in fmtr_trends, not in the files", k)
			continue
		}
		if got.sessions != w.sessions || got.activities != w.activities || math.Abs(got.dollars-w.dollars) > 0.005 {
			t.Errorf("%v: sessions %d, activities %d, dollars %.2f; the files sum to %d, %d, %.2f", k, got.sessions, got.activities, got.dollars, w.sessions, w.activities, w.dollars)
		}
		switch {
		case w.dollars == 0 && share != nil:
			t.Errorf("%v: no dollars but a share %v", k, *share)
		case w.dollars != 0 && (share == nil || math.Abs(*share-w.matched/w.dollars) > 1e-9):
			t.Errorf("%v: reconciled share %v, the files say %.6f", k, share, w.matched/w.dollars)
		case rec == "matches" && share != nil && *share != 1:
			t.Errorf("%v: matches with a share of %v", k, *share)
		}
		if region == nil || *region == "" {
			t.Errorf("%v: no region", k)
		}
	}
	if seen != len(want) {
		t.Errorf("fmtr_trends has %d cells, the files %d", seen, len(want))
	}
	// FY2013 reconciles exactly (docs/fmtr.md): its IMET cells all match,
	// and its IMET dollars are the printed $70,312,925.
	var imet2013, share2013 float64
	if err := db.QueryRow(`SELECT sum(dollars), min(reconciled_share) FROM fmtr_trends WHERE fiscal_year = 2013 AND program = 'IMET'`).Scan(&imet2013, &share2013); err != nil {
		t.Fatal(err)
	}
	if math.Round(imet2013) != 70312925 || share2013 != 1 {
		t.Errorf("FY2013 IMET: $%.0f, lowest reconciled share %v; want $70,312,925 all reconciled", imet2013, share2013)
	}
	var differs int
	db.QueryRow(`SELECT count(*) FROM fmtr_trends WHERE fiscal_year = 2013 AND reconciliation <> 'matches'`).Scan(&differs)
	if differs != 0 {
		t.Errorf("FY2013: %d cells do not match", differs)
	}
	t.Logf("%d cells of fiscal years, countries and programs", seen)
}
