package reports

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/transform/estimate"
)

// penCountries are the seeded LEAD_PENETRATION countries: posts in office
// and those held by graduates. Colombia is far above the rest and India
// far below (outside the 99.8% limits), Albania and the Bahamas have three
// posts each, none and all held by graduates.
var penCountries = []struct {
	code string
	x, n int
}{
	{"ALB", 0, 3}, {"BHS", 3, 3}, {"TCD", 2, 5}, {"MNG", 2, 8}, {"TUN", 4, 12}, {"SEN", 3, 15}, {"JOR", 6, 20},
	{"PER", 8, 30}, {"GHA", 12, 45}, {"COL", 33, 60}, {"KEN", 18, 80}, {"PHL", 30, 110}, {"IND", 15, 150},
}

// seedPenetration adds LEAD_PENETRATION and LEAD_PENETRATION_SHRUNK rows
// (computed here with the estimators the transform uses) and each
// country's ALUMNI_PROMINENT count to a seeded warehouse.
func seedPenetration(t *testing.T, db *sql.DB) {
	t.Helper()
	ins := func(id, country string, n, x int, v, lo, hi, note any) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
			n, events, numerator, denominator, value, ci_low, ci_high, note, as_of, vintage)
			VALUES (?, 'ALL', 'ALL', ?, 'ALL', 'ALL', ?, 'ALL', 'ALL', 'ALL', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, map[bool]string{true: "PARTICIPANT", false: "ALL"}[id == "ALUMNI_PROMINENT"], country, n, x, x, n, v, lo, hi, note, testD, testVintage); err != nil {
			t.Fatal(err)
		}
	}
	var xs, ns []int
	sx, sn := 0, 0
	for _, c := range penCountries {
		xs, ns = append(xs, c.x), append(ns, c.n)
		sx, sn = sx+c.x, sn+c.n
	}
	fit, err := estimate.ShrinkProportions(xs, ns)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range penCountries {
		var note any
		if c.code == "GHA" {
			note = "2 holdings awaiting link review"
		}
		p, lo, hi := estimate.Wilson(c.x, c.n)
		ins("LEAD_PENETRATION", c.code, c.n, c.x, p, lo, hi, note)
		s := fit.Shares[i]
		ins("LEAD_PENETRATION_SHRUNK", c.code, c.n, c.x, s.Share, s.Lower, s.Upper, note)
		ins("ALUMNI_PROMINENT", c.code, 40, 0, float64(c.x+5), nil, nil, nil)
	}
	p, lo, hi := estimate.Wilson(sx, sn)
	ins("LEAD_PENETRATION", "ALL", sn, sx, p, lo, hi, nil)
	ins("LEAD_PENETRATION_SHRUNK", "ALL", sn, sx, fit.Pooled, fit.PooledLower, fit.PooledUpper, "random-effects pooled share of 13 countries")
}

// The leadership section ends with the funnel plot of the countries'
// shares, naming the two outside the 99.8% limits, and the table of raw
// and shrunken shares beside the traditional count; both renderers draw
// the plot.
func TestLeadershipPenetration(t *testing.T) {
	db := seeded(t)
	seedPenetration(t, db)
	d := buildTest(t, db)
	var funnel *Chart
	for _, b := range section(t, d, "leadership").Blocks {
		if b.Chart != nil && b.Chart.Funnel {
			funnel = b.Chart
		}
	}
	if funnel == nil {
		t.Fatal("no funnel plot in the leadership section")
	}
	if got := len(funnel.Series[0].Points); got != len(penCountries) {
		t.Errorf("%d dots, want %d", got, len(penCountries))
	}
	if want := 136.0 / 541.0; funnel.P0 != want {
		t.Errorf("pooled share %g, want %g", funnel.P0, want)
	}
	if !strings.Contains(funnel.Desc, "Outside the 99.8% limits (the chance of a count as far from the line below 0.1% on either side): Colombia (COL) above, India (IND) below.") {
		t.Errorf("text alternative %q does not name the two outliers", funnel.Desc)
	}
	// 3 of 3 is beyond the interpolated 99.8% curve (97.9% at n = 3) but
	// at the quantile: its chance is 1.6%, outside the 95% limits only.
	if got := funnel.FunnelOutliers(0, nil); got != "BHS above, COL above, IND below" {
		t.Errorf("outside the 95%% limits: %q", got)
	}
	tb := tableByCaption(t, d, "Senior posts held by graduates by country")
	if len(tb.Rows) != len(penCountries)+1 || tb.Rows[len(tb.Rows)-1][0] != "All countries" {
		t.Fatalf("%d rows, last %v", len(tb.Rows), tb.Rows[len(tb.Rows)-1])
	}
	for _, r := range tb.Rows {
		switch r[0] {
		case "Albania (ALB)":
			// raw 0 of 3 with its Wilson limits, shrunken above 0
			if r[col(t, tb, "Share")] != "0.0%" || r[4] != "0.0%\u00a0–\u00a056.1%" || r[col(t, tb, "Shrunken share")] == "0.0%" {
				t.Errorf("Albania: %v", r)
			}
		case "Ghana (GHA)":
			if r[1] != "45" || r[2] != "12" || r[3] != "26.7%" || r[col(t, tb, "Prominent alumni (traditional count)")] != "17" || r[len(r)-1] != "2 holdings awaiting link review" {
				t.Errorf("Ghana: %v", r)
			}
		case "All countries":
			if r[1] != "541" || !strings.Contains(r[len(r)-1], "pooled share of 13 countries") {
				t.Errorf("all countries: %v", r)
			}
		}
	}
	var html bytes.Buffer
	if err := WriteHTML(d, &html); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(html.String(), "stroke-dasharray=\"2 3\""); n < 3 {
		t.Errorf("the HTML draws %d dotted lines, want the 99.8%% curves and their legend", n)
	}
	dir := t.TempDir()
	if keep := os.Getenv("IMET_KEEP_REPORT"); keep != "" {
		dir = keep // to look at: IMET_KEEP_REPORT=/tmp/x go test -run TestLeadershipPenetration
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), html.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(d, filepath.Join(dir, "report.pdf")); err != nil {
		t.Fatal(err)
	}
}

// Without post_holders data the section says how to load them, and draws
// no funnel.
func TestLeadershipPenetrationMissing(t *testing.T) {
	d := buildTest(t, seeded(t))
	s := section(t, d, "leadership")
	for _, b := range s.Blocks {
		if b.Chart != nil && b.Chart.Funnel {
			t.Error("a funnel plot without LEAD_PENETRATION rows")
		}
	}
	if !strings.Contains(sectionText(s), "no post_holders data were loaded") {
		t.Error("the section does not say that no post_holders data were loaded")
	}
}

// Penetration reads the rows of one post level: before metric_values has
// post_level only every level together, after it the level asked for.
func TestPenetrationPostLevel(t *testing.T) {
	db := seeded(t)
	seedPenetration(t, db)
	ctx := context.Background()
	if rows, err := Penetration(ctx, db, testD, testVintage, "CHOD"); err != nil || rows != nil {
		t.Fatalf("CHOD without a post_level column: %v, %v", rows, err)
	}
	if _, err := db.Exec(`ALTER TABLE metric_values ADD COLUMN IF NOT EXISTS post_level VARCHAR DEFAULT 'ALL'`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"KEN", "ALL"} {
		for _, id := range []string{"LEAD_PENETRATION", "LEAD_PENETRATION_SHRUNK"} {
			if _, err := db.Exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
				n, events, value, post_level, as_of, vintage) VALUES (?, 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', ?, 'ALL', 'ALL', 'ALL', 1, 1, ?, 'CHOD', ?, ?)`,
				id, c, map[string]float64{"LEAD_PENETRATION": 1, "LEAD_PENETRATION_SHRUNK": 0.6}[id], testD, testVintage); err != nil {
				t.Fatal(err)
			}
		}
	}
	chod, err := Penetration(ctx, db, testD, testVintage, "CHOD")
	if err != nil {
		t.Fatal(err)
	}
	if len(chod) != 2 || chod[0].Country != "KEN" || chod[1].Country != "ALL" || chod[0].Shrunk.Value.Float64 != 0.6 {
		t.Errorf("CHOD rows %+v", chod)
	}
	all, err := Penetration(ctx, db, testD, testVintage, AllLevels)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(penCountries)+1 {
		t.Errorf("%d rows of every level, want %d", len(all), len(penCountries)+1)
	}
	for _, r := range all {
		if r.Country == "KEN" && r.N.Int64 != 80 {
			t.Errorf("Kenya, every level: %+v", r)
		}
	}
}
