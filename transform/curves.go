package transform

import (
	"context"
	"fmt"
	"time"

	"github.com/imet-project/imet/transform/estimate"
)

// curves writes the Kaplan-Meier step table of every outcome, by cohort,
// to km_curves for the run's (as_of, vintage).
func (c *computer) curves(ctx context.Context) (int64, error) {
	d := c.opt.AsOf.Format(time.DateOnly)
	if _, err := c.tx.ExecContext(ctx, `DELETE FROM km_curves WHERE as_of = ? AND vintage = ?`, d, c.vintage); err != nil {
		return 0, err
	}
	pairs, err := c.outcomeCohorts(ctx, "")
	if err != nil {
		return 0, err
	}
	var recs []map[string]any
	for _, oc := range pairs {
		l, err := c.curveLists(ctx, oc, false)
		if err != nil {
			return 0, err
		}
		obs := make([]estimate.Obs, len(l.time))
		for i := range l.time {
			obs[i] = estimate.Obs{Time: l.time[i], Event: l.status[i]}
		}
		for _, s := range estimate.KaplanMeier(obs).Steps {
			rec := map[string]any{"outcome": oc.outcome, "cohort": oc.cohort, "time": s.Time,
				"n_risk": s.NRisk, "n_event": s.NEvent, "n_censor": s.NCensor}
			setFinite(rec, "surv", s.Surv)
			setFinite(rec, "ci_low", s.Lower)
			setFinite(rec, "ci_high", s.Upper)
			recs = append(recs, rec)
		}
	}
	return c.writeRecords(ctx, "km_curves", recs)
}

// cifCurves writes the Aalen-Johansen step table of every outcome with a
// competing exit, by cohort, to cif_curves for the run's (as_of, vintage).
func (c *computer) cifCurves(ctx context.Context) (int64, error) {
	d := c.opt.AsOf.Format(time.DateOnly)
	if _, err := c.tx.ExecContext(ctx, `DELETE FROM cif_curves WHERE as_of = ? AND vintage = ?`, d, c.vintage); err != nil {
		return 0, err
	}
	pairs, err := c.outcomeCohorts(ctx, "outcome IN ('LEAD_RANK', 'LEAD_POS', 'INTEROP')")
	if err != nil {
		return 0, err
	}
	var recs []map[string]any
	for _, oc := range pairs {
		l, err := c.curveLists(ctx, oc, true)
		if err != nil {
			return 0, err
		}
		aj, err := estimate.AalenJohansen(l.time, l.cr, nil)
		if err != nil {
			return 0, fmt.Errorf("cif_curves %s %s: %w", oc.outcome, oc.cohort, err)
		}
		for _, s := range aj.Steps {
			rec := map[string]any{"outcome": oc.outcome, "cohort": oc.cohort, "time": s.Time, "n_risk": s.NRisk,
				"n_event": s.NEvent[estimate.StateEvent], "n_exit": s.NEvent[estimate.StateExit], "n_censor": s.NCensor,
				"p_event": s.P[estimate.StateEvent], "p_exit": s.P[estimate.StateExit], "p_neither": s.P[estimate.StateInitial]}
			lo, hi := s.Limits(estimate.StateEvent)
			setFinite(rec, "se_event", s.SE[estimate.StateEvent])
			setFinite(rec, "ci_low", lo)
			setFinite(rec, "ci_high", hi)
			recs = append(recs, rec)
		}
	}
	return c.writeRecords(ctx, "cif_curves", recs)
}

// outcomeCohort is one curve: an outcome's people of one cohort.
type outcomeCohort struct{ outcome, cohort string }

// outcomeCohorts are the outcomes and cohorts of the outcomes model
// (matching where, when given), in order.
func (c *computer) outcomeCohorts(ctx context.Context, where string) ([]outcomeCohort, error) {
	q := `SELECT DISTINCT outcome, cohort FROM outcomes`
	if where != "" {
		q += " WHERE " + where
	}
	rows, err := c.tx.QueryContext(ctx, q+" ORDER BY ALL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outcomeCohort
	for rows.Next() {
		var oc outcomeCohort
		if err := rows.Scan(&oc.outcome, &oc.cohort); err != nil {
			return nil, err
		}
		out = append(out, oc)
	}
	return out, rows.Err()
}

// curveLists are the times and statuses (with competing, the
// competing-risk statuses) of a curve's people: the lists of its cohort
// that the outcome's survival metrics read (kept by release), or, when
// none of them read the outcome (or not its competing-risk status), a
// read of its own. An estimate from either is the same: a curve's steps
// count the people at each time, whatever their order.
func (c *computer) curveLists(ctx context.Context, oc outcomeCohort, competing bool) (*timeLists, error) {
	est := KMAttainment
	if competing {
		est = AJIncidence
	}
	m := Metric{ID: "curves of " + oc.outcome, Estimator: est, Unit: "outcomes", Where: outcomeWhere(oc.outcome), Base: []string{"period", "cohort"}}
	key := readKey(m)
	if l := c.cohorts[key][oc.cohort]; l != nil && (!competing || l.cr != nil) {
		return l, nil
	}
	unit, err := c.unit(ctx, m.Unit)
	if err != nil {
		return nil, err
	}
	lists, err := c.readLists(ctx, planReads([]Metric{m})[key], unit, m.Where)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.ID, err)
	}
	if c.cohorts == nil {
		c.cohorts = map[string]map[string]*timeLists{}
	}
	c.cohorts[key] = cohortLists(lists, competing)
	if l := c.cohorts[key][oc.cohort]; l != nil {
		return l, nil
	}
	return nil, fmt.Errorf("%s: no people of cohort %s read", m.ID, oc.cohort)
}
