package transform

import (
	"math"
	"testing"
)

// p_adjusted is Benjamini-Hochberg within one period and disaggregation
// level: the countries together, the regions together, the whole
// population alone; rows without a p-value take no part.
func TestAdjustPByLevel(t *testing.T) {
	t.Parallel()
	mk := func(p float64, kv ...string) *row {
		keys := map[string]string{"period": "ALL"}
		for i := 0; i < len(kv); i += 2 {
			keys[kv[i]] = kv[i+1]
		}
		r := newRow(keys)
		r.p = p
		return r
	}
	rows := []*row{
		mk(0.04),
		mk(0.01, "country_code", "FRA"), mk(0.04, "country_code", "GHA"), mk(0.03, "country_code", "PER"), mk(math.NaN(), "country_code", "TUN"),
		mk(0.02, "region", "AF"), mk(0.5, "region", "EUR"),
	}
	adjustP(rows)
	// R: p.adjust(c(0.01, 0.04, 0.03), "BH") = 0.03 0.04 0.04; c(0.02, 0.5) = 0.04 0.5
	want := []float64{0.04, 0.03, 0.04, 0.04, math.NaN(), 0.04, 0.5}
	for i, r := range rows {
		if got := r.padj; !(math.Abs(got-want[i]) < 1e-15 || math.IsNaN(got) && math.IsNaN(want[i])) {
			t.Errorf("row %d %v: p_adjusted %v, want %v", i, r.keys, got, want[i])
		}
	}
}
