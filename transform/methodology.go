package transform

import (
	"fmt"
	"io"
	"strings"
)

// keyNames are the disaggregations as readers call them.
var keyNames = map[string]string{
	"period": "period", "graduation_cohort": "graduation cohort", "cohort": "cohort (participants, comparison peers)",
	"program": "program", "region": "region", "country_code": "country", "course_category": "course category",
	"sex": "sex", "ecl_band": "English test band",
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
- A person without a value for a breakdown (say, no course category for a
  comparison peer) counts in the whole population only.
`
