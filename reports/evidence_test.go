package reports

import (
	"strings"
	"testing"
)

// The section "How much to believe the comparison" sets the unadjusted and
// adjusted contrasts side by side, each with its smallest detectable effect
// and E-value, the attainment before leaving beside "if nobody left", and
// the balance and overlap the weighting reached, all from the transform's
// rows; a transform without the evidence metrics has no such section.
func TestEvidenceSection(t *testing.T) {
	t.Parallel()
	db := seeded(t)
	if s := buildTest(t, db); hasSection(s, "evidence") {
		t.Fatal("an evidence section without the evidence metrics")
	}
	for _, r := range []struct {
		id, cohort    string
		value, lo, hi any
	}{
		{"LEAD_RANK_HR", "ALL", 2.16, 1.58, 2.95},
		{"LEAD_RANK_HR_EVALUE", "ALL", 3.74, 2.54, nil},
		{"LEAD_RANK_HR_MDE", "ALL", 1.41, nil, nil},
		{"LEAD_RANK_SHR", "ALL", 2.10, 1.52, 2.89},
		{"LEAD_RANK_SHR_MDE", "ALL", 1.43, nil, nil},
		{"LEAD_RANK_HR_IPW", "ALL", 1.62, 1.17, 2.23},
		{"LEAD_RANK_HR_IPW_EVALUE", "ALL", 2.61, 1.61, nil},
		{"LEAD_RANK_HR_IPW_MDE", "ALL", 1.52, nil, nil},
		{"LEAD_RANK_CIF_DIFF_10Y_IPW", "ALL", 0.041, 0.012, 0.070},
		{"LEAD_RANK_CIF_10Y", "PARTICIPANT", 0.1446, 0.12, 0.17},
		{"LEAD_RANK_CIF_10Y", "COMPARISON", 0.09, 0.06, 0.12},
		{"EXIT_BEFORE_RANK_10Y", "PARTICIPANT", 0.19, 0.17, 0.21},
		{"EXIT_BEFORE_RANK_10Y", "COMPARISON", 0.22, 0.18, 0.26},
	} {
		if _, err := db.Exec(`INSERT INTO metric_values (metric_id, period, graduation_cohort, cohort, program, region, country_code, course_category, sex, ecl_band,
			n, events, value, ci_low, ci_high, as_of, vintage)
			VALUES (?, 'ALL', 'ALL', ?, 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 'ALL', 3081, 311, ?, ?, ?, ?, ?)`, r.id, r.cohort, r.value, r.lo, r.hi, testD, testVintage); err != nil {
			t.Fatal(err)
		}
	}
	for i, b := range []struct {
		cov, level    string
		before, after float64
	}{{"rank", "OF-3", 0.34, 0.02}, {"country_code", "KEN", 0.12, 0.13}, {"age", "", 0.05, 0.01}} {
		if _, err := db.Exec(`INSERT INTO ipw_balance (position, covariate, level, smd_before, smd_after, balanced, as_of, vintage) VALUES (?, ?, nullif(?, ''), ?, ?, ?, ?, ?)`,
			i, b.cov, b.level, b.before, b.after, b.after < 0.1, testD, testVintage); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO ipw_overlap (cohort, n, ps_min, ps_max, share_outside, kish_ess, max_weight, countries_dropped, people_dropped, as_of, vintage)
		VALUES ('PARTICIPANT', 2400, 0.31, 0.97, 0.08, 2210, 3.1, 4, 12, ?, ?), ('COMPARISON', 600, 0.12, 0.93, 0.05, 380, 7.9, 4, 3, ?, ?)`,
		testD, testVintage, testD, testVintage); err != nil {
		t.Fatal(err)
	}
	docs := append(testMetrics,
		MetricDoc{ID: "LEAD_RANK_HR", Title: "Participants vs comparison peers: general/flag rank", Unit: "ratio"},
		MetricDoc{ID: "LEAD_RANK_SHR", Title: "Participants vs comparison peers: general/flag rank, with exits competing", Unit: "ratio"},
		MetricDoc{ID: "LEAD_RANK_HR_IPW", Title: "Participants vs comparison peers: general/flag rank, adjusted for selection", Unit: "ratio",
			Caveats: []string{"Associational, adjusted for the listed covariates; not a randomised comparison."}},
		MetricDoc{ID: "LEAD_RANK_CIF_DIFF_10Y_IPW", Title: "General/flag rank within 10 years: participants minus comparison, adjusted", Unit: "share"},
	)
	d := buildTestWith(t, db, docs)
	s := sectionText(section(t, d, "evidence"))
	for _, want := range []string{
		"2.16 | 1.58", "1.41", "3.74 (2.54)", // unadjusted: value, MDE, E-value (limit)
		"2.10", "1.43", // Fine-Gray
		"1.62 | 1.17", "1.52", "2.61 (1.61)", // adjusted
		"4.1% | 1.2%", // the difference of the shares, as a share
		"graduates: 14.5% reached general/flag rank within 10 years while serving, 19.0% left the service first (16.4% if nobody had left)",
		"Of 3 covariate levels, 2 differed", "and 1 still do after it",
		"KEN | 0.12 | 0.13",
		"2,400 | 0.31", "7.90", // overlap: people, score range, largest weight
		"Associational, adjusted for the listed covariates",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the evidence section lacks %q:\n%s", want, s)
		}
	}
}

func hasSection(d *Document, id string) bool {
	for _, s := range d.Sections {
		if s.ID == id {
			return true
		}
	}
	return false
}
