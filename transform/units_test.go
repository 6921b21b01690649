package transform

import (
	stdmaps "maps"
	"slices"
	"testing"
)

// A unit is a view only when one scalar metric alone reads it: a survival
// metric reads its unit twice, two metrics read theirs twice, the outcomes
// unit is read by the adjusted comparison too, and metrics computed from
// other metrics' rows read no unit.
func TestReadOnce(t *testing.T) {
	order := []Metric{
		{ID: "A", Unit: "one", Estimator: Wilson},
		{ID: "B", Unit: "survival", Estimator: KMAttainment},
		{ID: "C", Unit: "two", Estimator: Wilson},
		{ID: "D", Unit: "two", Estimator: Median},
		{ID: "E", Unit: "outcomes", Estimator: Wilson},
		{ID: "F", Unit: "derived", Of: "B", Estimator: Wilson},
		{ID: "G", Unit: "shrunk", From: "A", Estimator: Wilson},
	}
	if got := slices.Sorted(stdmaps.Keys(readOnce(order))); !slices.Equal(got, []string{"one"}) {
		t.Errorf("readOnce = %v, want [one]", got)
	}
	// and in the registry: each unit it names is read by one metric, a scalar one
	for u := range readOnce(computeOrder(Registry)) {
		var readers []string
		for _, m := range Registry {
			if m.Unit == u && m.From == "" && m.Of == "" {
				readers = append(readers, m.ID)
				if m.Estimator.survival() {
					t.Errorf("unit %s is a view, but %s is a survival metric", u, m.ID)
				}
			}
		}
		if len(readers) != 1 {
			t.Errorf("unit %s is a view, read by %v", u, readers)
		}
	}
}
