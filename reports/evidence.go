package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// contrast is one comparison of graduates with their peers on reaching
// general/flag rank, with the metrics that qualify it.
type contrast struct {
	id, evalue, mde string
	means           string // what the number means, in one sentence a non-statistician can read
}

var contrasts = []contrast{
	{"LEAD_RANK_HR", "LEAD_RANK_HR_EVALUE", "LEAD_RANK_HR_MDE",
		"How much faster graduates reach general/flag rank than peers of their own country, among those still serving."},
	{"LEAD_RANK_SHR", "", "LEAD_RANK_SHR_MDE",
		"The same, counting an officer who left the service as one who will never reach it."},
	{"LEAD_RANK_HR_IPW", "LEAD_RANK_HR_IPW_EVALUE", "LEAD_RANK_HR_IPW_MDE",
		"The first, with peers weighted to look like graduates in country, service, rank, sex, age and year."},
	{"LEAD_RANK_CIF_DIFF_10Y_IPW", "", "",
		"Graduates' share reaching general/flag rank within 10 years minus peers', after the same weighting."},
}

// evidence is the section "How much to believe the comparison": the
// unadjusted and adjusted contrasts side by side with the smallest effect
// the data could detect and how strong a hidden bias would have to be, the
// balance the weighting reached and the overlap it relied on. Nothing here
// is computed: it reads the evidence metrics and the ipw tables of the
// transform.
func (q *quarterly) evidence(ctx context.Context, db *sql.DB) error {
	t := &Table{Caption: "Graduates against comparison peers: reaching general/flag rank",
		Columns: []string{"Comparison", "Value", "95% interval", "Smallest detectable", "E-value (interval)", "What it means"},
		Numeric: []bool{false, true, true, true, true, false}}
	for _, c := range contrasts {
		r, ok := q.get(q.opt.AsOf, c.id, "ALL", "ALL", "", "")
		if !ok {
			continue
		}
		unit := q.unit(c.id)
		mde, ev := "–", "–"
		if m, ok := q.get(q.opt.AsOf, c.mde, "ALL", "ALL", "", ""); ok && c.mde != "" {
			mde = format("ratio", m.value)
		}
		if e, ok := q.get(q.opt.AsOf, c.evalue, "ALL", "ALL", "", ""); ok && c.evalue != "" {
			ev = format("ratio", e.value) + " (" + format("ratio", e.low) + ")"
		}
		means := c.means
		if r.note.String != "" {
			means += " " + r.note.String
		}
		t.Rows = append(t.Rows, []string{q.title(c.id), format(unit, r.value), interval(unit, r), mde, ev, means})
	}
	if len(t.Rows) == 0 {
		return nil // a transform made before the evidence metrics
	}
	blocks := []Block{
		{Text: "Graduates are chosen; their peers are not. The first row compares them as they are. The adjusted rows weight the peers so that, on what the warehouse records (country, service, rank and age at the index date, sex, year), they resemble the graduates. " +
			"The smallest detectable hazard ratio is the effect these numbers of events could have shown with 80% power: a true effect smaller than it would often go unseen. " +
			"The E-value is how strongly an unrecorded factor would have to be tied both to being chosen and to promotion (as a risk ratio, each way) to explain the hazard ratio away; the figure in brackets, to make its interval include 1 (1: it already does)."},
		{Table: t},
	}
	if s := q.attainmentSentence(); s != "" {
		blocks = append(blocks, Block{Text: s})
	}
	bal, err := q.balance(ctx, db)
	if err != nil {
		return err
	}
	blocks = append(blocks, bal...)
	ov, err := q.overlap(ctx, db)
	if err != nil {
		return err
	}
	blocks = append(blocks, ov...)
	if d, ok := q.docs["LEAD_RANK_HR_IPW"]; ok && len(d.Caveats) > 0 {
		blocks = append(blocks, Block{Note: strings.Join(d.Caveats, " ")})
	}
	q.section("evidence", "How much to believe the comparison", blocks...)
	return nil
}

// attainmentSentence sets the 10-year attainment with exits as a competing
// event beside the 1 − KM reading "if nobody left the service".
func (q *quarterly) attainmentSentence() string {
	var parts []string
	for _, c := range []string{"PARTICIPANT", "COMPARISON"} {
		cif, ok1 := q.get(q.opt.AsOf, "LEAD_RANK_CIF_10Y", "ALL", c, "", "")
		km, ok2 := q.get(q.opt.AsOf, "LEAD_RANK_10Y", "ALL", c, "", "")
		exit, ok3 := q.get(q.opt.AsOf, "EXIT_BEFORE_RANK_10Y", "ALL", c, "", "")
		if !ok1 || !ok2 || !ok3 || !cif.value.Valid {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s reached general/flag rank within 10 years while serving, %s left the service first (%s if nobody had left)",
			cohortName(c), format("share", cif.value), format("share", exit.value), format("share", km.value)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Leaving the service ends a career: " + strings.Join(parts, "; ") + "."
}

// balance says how many covariate levels the weighting left unbalanced
// (|SMD| ≥ 0.1) and lists the worst of them.
func (q *quarterly) balance(ctx context.Context, db *sql.DB) ([]Block, error) {
	rows, err := db.QueryContext(ctx, `SELECT covariate, coalesce(level, ''), smd_before, smd_after FROM ipw_balance
		WHERE as_of = ? AND vintage = ? ORDER BY abs(smd_after) DESC NULLS LAST, position`, q.opt.AsOf, q.opt.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read ipw_balance: %w", err)
	}
	defer rows.Close()
	t := &Table{Caption: "Balance: the covariate levels furthest apart after weighting (standardised mean difference; below 0.1 is balanced)",
		Columns: []string{"Covariate", "Level", "Before weighting", "After weighting"}, Numeric: []bool{false, false, true, true}}
	var levels, unbalanced, wasUnbalanced int
	for rows.Next() {
		var cov, level string
		var before, after sql.NullFloat64
		if err := rows.Scan(&cov, &level, &before, &after); err != nil {
			return nil, fmt.Errorf("read ipw_balance: %w", err)
		}
		levels++
		if after.Valid && math.Abs(after.Float64) >= 0.1 {
			unbalanced++
		}
		if before.Valid && math.Abs(before.Float64) >= 0.1 {
			wasUnbalanced++
		}
		if len(t.Rows) < 8 {
			t.Rows = append(t.Rows, []string{cov, dash(level), smd(before), smd(after)})
		}
	}
	if err := rows.Err(); err != nil || levels == 0 {
		return nil, err
	}
	return []Block{
		{Text: fmt.Sprintf("Of %d covariate levels, %d differed between graduates and peers by 0.1 standard deviations or more before weighting, and %d still do after it (ipw_balance in the snapshot lists them all).", levels, wasUnbalanced, unbalanced)},
		{Table: t},
	}, nil
}

func smd(v sql.NullFloat64) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.Float64, 'f', 2, 64)
}

// overlap describes the propensity scores the weights came from: their
// range by arm, the share near 0 or 1, the effective sample size, the
// largest weight and what positivity dropped.
func (q *quarterly) overlap(ctx context.Context, db *sql.DB) ([]Block, error) {
	rows, err := db.QueryContext(ctx, `SELECT cohort, n, ps_min, ps_max, share_outside, kish_ess, max_weight, countries_dropped, people_dropped
		FROM ipw_overlap WHERE as_of = ? AND vintage = ? ORDER BY cohort DESC`, q.opt.AsOf, q.opt.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read ipw_overlap: %w", err)
	}
	defer rows.Close()
	t := &Table{Caption: "Overlap: the propensity scores (the modelled chance of being chosen) by group",
		Columns: []string{"Group", "People", "Score range", "Outside 0.1–0.9", "Effective size", "Largest weight", "Countries dropped", "People dropped"},
		Numeric: []bool{false, true, true, true, true, true, true, true}}
	for rows.Next() {
		var cohort string
		var n, countries, people sql.NullInt64
		var lo, hi, outside, ess, maxW sql.NullFloat64
		if err := rows.Scan(&cohort, &n, &lo, &hi, &outside, &ess, &maxW, &countries, &people); err != nil {
			return nil, fmt.Errorf("read ipw_overlap: %w", err)
		}
		t.Rows = append(t.Rows, []string{cohortName(cohort), count(n), smd(lo) + nbsp + "–" + nbsp + smd(hi), format("share", outside),
			format("count", ess), smd(maxW), count(countries), count(people)})
	}
	if err := rows.Err(); err != nil || len(t.Rows) == 0 {
		return nil, err
	}
	return []Block{{Table: t}, {Text: "Countries whose members were all graduates, or all peers, cannot be compared within the country and are left out of the adjusted rows. An effective size far below the number of people, or a very large weight, means a few people carry the adjusted result."}}, nil
}
