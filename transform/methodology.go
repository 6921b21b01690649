package transform

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// keyNames are the disaggregations as readers call them.
var keyNames = map[string]string{
	"period": "period", "graduation_cohort": "graduation cohort", "cohort": "cohort (participants, comparison peers)",
	"program": "program", "region": "region", "country_code": "country", "course_category": "course category",
	"sex": "sex", "ecl_band": "English test band", "post_level": "post level",
}

// Disaggregations says in words how a metric is broken down.
func (m Metric) Disaggregations() string {
	var parts []string
	for _, k := range append(append([]string{}, m.Base...), m.By...) {
		if k == "period" && m.Timing == AsOfD {
			continue
		}
		parts = append(parts, keyNames[k])
	}
	for _, c := range m.Crossed {
		names := make([]string, len(c))
		for i, k := range c {
			names[i] = keyNames[k]
		}
		parts = append(parts, strings.Join(names, " × "))
	}
	return strings.Join(parts, ", ")
}

// WriteMethodology writes the definitions of every metric as Markdown: the
// text of docs/metrics.md and of every report's methodology section, made
// from the registry so that no definition is copied by hand.
func WriteMethodology(w io.Writer) error {
	var b strings.Builder
	b.WriteString(methodologyIntro)
	for _, m := range Registry {
		fmt.Fprintf(&b, "\n## %s: %s\n\n%s\n\n", m.ID, m.Title, m.Definition)
		fmt.Fprintf(&b, "- **Population:** %s\n", m.Population)
		fmt.Fprintf(&b, "- **Event / numerator:** %s\n", m.Event)
		fmt.Fprintf(&b, "- **Estimator:** %s\n", m.Estimator)
		if m.Timing == AsOfD {
			b.WriteString("- **Measured:** as of D (period `ALL`)\n")
		} else {
			b.WriteString("- **Measured:** per fiscal year, and per quarter of the fiscal year that holds D\n")
		}
		if m.Horizon > 0 {
			fmt.Fprintf(&b, "- **Horizon:** %d days\n", m.Horizon)
		}
		if m.IfNobodyLeft {
			fmt.Fprintf(&b, "- **Reads:** %s (those who left are censored); with exits competing: %s\n", schemas.IfNobodyLeftLabel, cmp.Or(m.CompetingExitsAs, "the _CIF metric of the same outcome"))
		}
		if m.CompetingExits {
			b.WriteString("- **Exits:** leaving the service before the event is a competing event (Aalen-Johansen)\n")
		}
		if m.Adjusted {
			fmt.Fprintf(&b, "- **Adjusted for:** %s\n", AdjustedFor)
		}
		if m.Of != "" {
			fmt.Fprintf(&b, "- **Computed from:** %s, for the same groups\n", m.Of)
		}
		fmt.Fprintf(&b, "- **Broken down by:** %s (one at a time, beside the whole population)\n", m.Disaggregations())
		for _, c := range m.Caveats {
			fmt.Fprintf(&b, "- **Caveat:** %s\n", c)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

const methodologyIntro = `# Metric definitions

Generated from the metric registry (` + "`transform/registry.go`" + `) by ` + "`go test ./transform -update`" + `;
the same registry drives the computation, ` + "`imet metrics list`" + ` and the
methodology section of every report. Do not edit by hand.

## How to read them

- **D** is the period end: events dated after it are ignored. **Vintage** is
  the last loaded batch whose data was used; a transform for an earlier vintage
  reproduces the numbers as they were.
- A **graduate** is a PARTICIPANT with a COMPLETED IMET enrollment that ended on
  or before D; the **index date** is the earliest such end date, and that
  enrollment's course category is the graduate's. A **comparison member** is a
  COMPARISON student whose index date is on or before D.
- **Rank at a time** is the latest rank observation on or before it (an
  enrollment's rank at entry, a career event's rank, a comparison member's rank
  at index), the highest when several share the date.
- **Exit** is the earliest separation, retirement or death; **last contact** the
  latest date the person was observed (career event, enrollment start or end);
  **follow-up** ends at the earlier of the two. People whose follow-up does not
  go past the index date are left out of time-to-event metrics; people we
  stopped hearing about are **censored** at their last contact, never counted as
  failures or successes.
- Time-to-event metrics use Kaplan-Meier (1 − S at the horizon, with
  log-scale 95% limits); a horizon longer than every follow-up in a group gives
  no value and the note ` + "`insufficient follow-up`" + `. Proportions carry Wilson
  95% intervals, rates exact Poisson (Garwood) limits.
- **Participants vs comparison peers** is an association, not an effect: peers are
  supplied by partner nations, not randomised.
- Every row of ` + "`metric_values`" + ` has ` + "`n`" + ` (the population) and, where it
  applies, ` + "`events`" + `, numerator and denominator. Notes: ` + "`small n`" + ` (fewer people
  than ` + "`[metrics] small_n`" + `), ` + "`insufficient follow-up`" + `, ` + "`immature cohort`" + `,
  ` + "`median not reached`" + `.
- **Leaving the service competes.** An officer who retires, separates or dies
  can no longer reach general rank. The ` + "`_CIF`" + ` metrics (Aalen-Johansen
  cumulative incidence) count such a person as not reaching it; the 1 − Kaplan-Meier
  metrics (LEAD_RANK_5Y, …) treat them as if they might still, and so read
  "if nobody left the service": an upper bound, higher than the ` + "`_CIF`" + `
  figure by roughly the share who left before reaching it
  (EXIT_BEFORE_RANK_10Y shows how many left first). The table ` + "`cif_curves`" + ` holds
  the three shares over time (reached, left first, neither).
- **Two hazard ratios.** LEAD_RANK_HR (cause-specific) compares how fast
  graduates and peers still serving are promoted; LEAD_RANK_SHR (Fine-Gray)
  compares how many actually get there, counting those who left as not getting
  there. They agree when exits are alike in both cohorts.
- **Adjusted for selection.** Participants are picked, peers are not: the
  ` + "`_IPW`" + ` metrics weight each person by the inverse of their estimated chance
  of being in their cohort given ` + AdjustedFor + `, so that the cohorts
  resemble each other on these. Countries with only one cohort are left out and
  counted. ` + "`ipw_balance`" + ` shows each covariate's standardised difference before
  and after weighting (below 0.1 in absolute value: balanced), ` + "`ipw_overlap`" + ` the
  spread of the scores and the effective sample size. Anything not measured
  is not adjusted for: the result stays an association.
- **How robust, how sensitive.** An E-value (` + "`_EVALUE`" + `) is how strong an
  unmeasured factor, tied both to selection and to promotion, would have to be
  (as a risk ratio with each) to explain a hazard ratio away; a minimum
  detectable effect (` + "`_MDE`" + `) is the smallest hazard ratio the data could reliably
  see: a ratio nearer 1 than it can hide in the noise. ` + "`p_adjusted`" + ` is the
  Benjamini-Hochberg p-value across all the rows of a table (e.g. every
  country), so one lucky country is not read as a finding.
- ` + "`events`" + ` of a metric at a horizon counts the events up to the horizon.
- A person without a value for a breakdown (say, no course category for a
  comparison peer) counts in the whole population only.
`
