package congress

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// penDocs are LEAD_PENETRATION and its shrunken twin, as the registry
// passes them.
var penDocs = []MetricDoc{
	{ID: "LEAD_PENETRATION", NumUnit: "count", DenUnit: "count", UnitLabel: "share", Unit: "share", Title: "Senior posts held by graduates",
		Definition: "Share of the holdings of senior posts in office on D held by a graduate.", Population: "Holdings in office on D.", Event: "Held by a graduate.", Estimator: "proportion, Wilson score 95% interval"},
	{ID: "LEAD_PENETRATION_SHRUNK", NumUnit: "count", DenUnit: "count", UnitLabel: "share", Unit: "share", Title: "Senior posts held by graduates, small countries shrunk to the pool",
		Definition: "LEAD_PENETRATION pulled towards the pool.", Population: "As LEAD_PENETRATION.", Event: "As LEAD_PENETRATION.", Estimator: "DerSimonian-Laird", EstimatorCode: "dl_shrunk", From: "LEAD_PENETRATION"},
}

// penetrationBuild builds the summary with LEAD_PENETRATION rows of the
// countries (code, n, x) and their total, the shrunken share 0.01 above
// the raw one.
func penetrationBuild(t *testing.T, countries ...[3]any) *Table {
	t.Helper()
	db := warehouse(t)
	if _, err := db.Exec(`DELETE FROM metric_values WHERE metric_id LIKE 'LEAD_PENETRATION%'`); err != nil {
		t.Fatal(err)
	}
	ins := func(db *sql.DB, country string, n, x int64) {
		for _, m := range []struct {
			id string
			d  float64
		}{{"LEAD_PENETRATION", 0}, {"LEAD_PENETRATION_SHRUNK", 0.01}} {
			v := float64(x)/float64(n) + m.d
			if _, err := db.Exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
				n, events, numerator, denominator, value, ci_low, ci_high, note, as_of, vintage)
				VALUES (?, 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', ?, 'ALL', 'ALL', 'ALL', ?, ?, ?, ?, ?, ?, ?, ?, ?, 7)`,
				m.id, country, n, x, x, n, v, v-0.05, v+0.05, fmt.Sprintf("%s note", m.id), dayD); err != nil {
				t.Fatal(err)
			}
		}
	}
	var sn, sx int64
	for _, c := range countries {
		ins(db, c[0].(string), int64(c[1].(int)), int64(c[2].(int)))
		sn, sx = sn+int64(c[1].(int)), sx+int64(c[2].(int))
	}
	ins(db, "ALL", sn, sx)
	tables, err := Build(context.Background(), db, options())
	if err != nil {
		t.Fatal(err)
	}
	return table(t, tables, SheetPenetration)
}

// The sheet shows each country's raw and shrunken share side by side, the
// whole population first.
func TestPenetrationSheet(t *testing.T) {
	sheet := penetrationBuild(t, [3]any{"KEN", 40, 10}, [3]any{"PER", 25, 5}, [3]any{"GHA", 12, 5})
	if sheet.File != "leadership-penetration" || len(sheet.Rows) != 4 {
		t.Fatalf("%s: %d rows, want 4", sheet.File, len(sheet.Rows))
	}
	if c := sheet.Rows[0][col(t, sheet, "country_code")]; c != "ALL" {
		t.Errorf("first row is %v, want the whole population", c)
	}
	ken := one(t, sheet, "country_code", "KEN")
	for name, want := range map[string]any{"metric_id": "LEAD_PENETRATION", "region": "AF", "country_name": "Kenya", "n": int64(40), "held_by_graduates": int64(10),
		"share": 0.25, "shrunken_share": 0.26, "suppressed": false, "note": "LEAD_PENETRATION note; LEAD_PENETRATION_SHRUNK note"} {
		if got := ken[col(t, sheet, name)]; got != want {
			t.Errorf("Kenya %s: %v (%T), want %v", name, got, got, want)
		}
	}
}

// A country below the minimum cell size is withheld with its complement,
// and then every shrunken share, since each pools the withheld counts.
func TestPenetrationSheetSuppression(t *testing.T) {
	sheet := penetrationBuild(t, [3]any{"KEN", 40, 10}, [3]any{"PER", 25, 5}, [3]any{"GHA", 12, 3}, [3]any{"TCD", 3, 1})
	for _, c := range []string{"TCD", "GHA"} {
		r := one(t, sheet, "country_code", c)
		if r[col(t, sheet, "suppressed")] != true || r[col(t, sheet, "n")] != (Withheld{}) || r[col(t, sheet, "shrunken_share")] != (Withheld{}) {
			t.Errorf("%s: %v, want withheld", c, r)
		}
		if n := r[col(t, sheet, "note")].(string); !strings.HasPrefix(n, "suppressed:") {
			t.Errorf("%s note %q", c, n)
		}
	}
	for _, c := range []string{"KEN", "PER", "ALL"} {
		r := one(t, sheet, "country_code", c)
		if r[col(t, sheet, "suppressed")] != false || r[col(t, sheet, "share")] == (Withheld{}) || r[col(t, sheet, "shrunken_share")] != (Withheld{}) ||
			!strings.Contains(r[col(t, sheet, "note")].(string), PoolWithheld) {
			t.Errorf("%s: %v, want the raw share and the shrunken one withheld", c, r)
		}
	}
}
