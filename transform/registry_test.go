package transform

import (
	"slices"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
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
			if m.Contrast != (m.Estimator.HazardRatio() || m.Estimator == AJDiffIPW) {
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
			if m.IfNobodyLeft != (m.Estimator == KMAttainment) || m.IfNobodyLeft && !strings.Contains(m.Title, schemas.IfNobodyLeftLabel) {
				t.Errorf("if nobody left %v for estimator %s, title %q", m.IfNobodyLeft, m.Estimator.Code(), m.Title)
			}
			if m.CompetingExits != (m.Estimator.competing() && m.Estimator != FineGraySHR) {
				t.Errorf("competing exits %v for estimator %s", m.CompetingExits, m.Estimator.Code())
			}
			if m.Adjusted != slices.Contains(m.Caveats, AdjustedCaveat) || m.Adjusted && !m.Associational {
				t.Errorf("adjusted %v, caveats %q", m.Adjusted, m.Caveats)
			}
			if (m.Of != "") != (m.Estimator == EValue || m.Estimator == MinDetectable) {
				t.Errorf("of %q for estimator %s", m.Of, m.Estimator.Code())
			}
			if m.IfNobodyLeft {
				if c, ok := Lookup(m.CompetingExitsAs); !ok || !c.CompetingExits || c.Unit != m.Unit || c.Where != m.Where || c.Horizon != m.Horizon {
					t.Errorf("competing-exits counterpart %q does not match", m.CompetingExitsAs)
				}
			}
			if m.Of != "" {
				if i, j := slices.IndexFunc(Registry, func(x Metric) bool { return x.ID == m.Of }), slices.IndexFunc(Registry, func(x Metric) bool { return x.ID == m.ID }); i < 0 || i > j || !Registry[i].Estimator.HazardRatio() {
					t.Errorf("computed from %q, which must be a hazard ratio listed before it", m.Of)
				}
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
