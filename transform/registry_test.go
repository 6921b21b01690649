package transform

import (
	"slices"
	"testing"
)

// The fields products switch on are consistent with what each metric
// computes.
func TestRegistryMeaningFields(t *testing.T) {
	t.Parallel()
	ids := map[string]bool{}
	for _, m := range Registry {
		ids[m.ID] = true
	}
	for _, m := range Registry {
		t.Run(m.ID, func(t *testing.T) {
			r := m.Reading()
			if r.Value == "" || r.Numerator == "" || r.Denominator == "" || r.Label == "" {
				t.Errorf("reading %+v is incomplete", r)
			}
			if m.Estimator.Code() == "" {
				t.Errorf("estimator %q has no code", m.Estimator)
			}
			if m.Contrast != (m.Estimator == CoxHR) {
				t.Errorf("contrast %v for estimator %s", m.Contrast, m.Estimator.Code())
			}
			if m.Contrast && !m.Associational {
				t.Error("a contrast of the cohorts must carry the associational caveat")
			}
			if m.ReadBeside != "" && !ids[m.ReadBeside] || m.ShownAfter != "" && !ids[m.ShownAfter] {
				t.Errorf("names a metric not in the registry: beside %q, after %q", m.ReadBeside, m.ShownAfter)
			}
			if m.MatureYears > 0 && !slices.Contains(m.By, "graduation_cohort") {
				t.Error("maturity applies to graduation cohorts, which the metric does not break down by")
			}
			if m.Needs != nil && (m.Needs.Missing == "" || m.Needs.Inputs == "" || m.Needs.Of == "") {
				t.Errorf("needs %+v: incomplete", *m.Needs)
			}
		})
	}
	for id, want := range map[string]Measure{"COST_PER_GRAD": Dollars, "COST_SHARE_PARTNER": Share, "PROMO_MEDIAN_DAYS": Days, "LEAD_RANK_HR": HazardRatio, "HR_FLAG_RATE": Rate, "FMTR_SESSIONS": People} {
		if m, _ := Lookup(id); m.Reading().Value != want {
			t.Errorf("%s reads as %s, want %s", id, m.Reading().Value, want)
		}
	}
	if m, _ := Lookup("LEAD_RANK_10Y"); m.ReadBeside != "TRACK_24M" || !m.Associational {
		t.Errorf("LEAD_RANK_10Y: beside %q, associational %v", m.ReadBeside, m.Associational)
	}
	if m, _ := Lookup("TRACK_24M"); m.ReadBeside != "" {
		t.Errorf("TRACK_24M is read beside %q", m.ReadBeside)
	}
}
