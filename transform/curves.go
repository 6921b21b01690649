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
	rows, err := c.tx.QueryContext(ctx, `SELECT outcome, cohort,
		list(time::DOUBLE ORDER BY time, status), list(status ORDER BY time, status)
		FROM outcomes GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var recs []map[string]any
	for rows.Next() {
		var outcome, cohort string
		var times, status []any
		if err := rows.Scan(&outcome, &cohort, &times, &status); err != nil {
			return 0, err
		}
		obs := make([]estimate.Obs, len(times))
		for i := range times {
			obs[i] = estimate.Obs{Time: toFloat(times[i]), Event: status[i].(bool)}
		}
		for _, s := range estimate.KaplanMeier(obs).Steps {
			rec := map[string]any{"outcome": outcome, "cohort": cohort, "time": s.Time,
				"n_risk": s.NRisk, "n_event": s.NEvent, "n_censor": s.NCensor}
			setFinite(rec, "surv", s.Surv)
			setFinite(rec, "ci_low", s.Lower)
			setFinite(rec, "ci_high", s.Upper)
			recs = append(recs, rec)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	return c.writeRecords(ctx, "km_curves", recs)
}

// cifCurves writes the Aalen-Johansen step table of every outcome with a
// competing exit, by cohort, to cif_curves for the run's (as_of, vintage).
func (c *computer) cifCurves(ctx context.Context) (int64, error) {
	d := c.opt.AsOf.Format(time.DateOnly)
	if _, err := c.tx.ExecContext(ctx, `DELETE FROM cif_curves WHERE as_of = ? AND vintage = ?`, d, c.vintage); err != nil {
		return 0, err
	}
	rows, err := c.tx.QueryContext(ctx, `SELECT outcome, cohort,
		list(time::DOUBLE ORDER BY time, cr_status), list(cr_status ORDER BY time, cr_status)
		FROM outcomes WHERE outcome IN ('LEAD_RANK', 'LEAD_POS', 'INTEROP') GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var recs []map[string]any
	for rows.Next() {
		var outcome, cohort string
		var times, status []any
		if err := rows.Scan(&outcome, &cohort, &times, &status); err != nil {
			return 0, err
		}
		tm, st := make([]float64, len(times)), make([]int, len(times))
		for i := range times {
			tm[i], st[i] = toFloat(times[i]), int(toFloat(status[i]))
		}
		aj, err := estimate.AalenJohansen(tm, st, nil)
		if err != nil {
			return 0, fmt.Errorf("cif_curves %s %s: %w", outcome, cohort, err)
		}
		for _, s := range aj.Steps {
			rec := map[string]any{"outcome": outcome, "cohort": cohort, "time": s.Time, "n_risk": s.NRisk,
				"n_event": s.NEvent[estimate.StateEvent], "n_exit": s.NEvent[estimate.StateExit], "n_censor": s.NCensor,
				"p_event": s.P[estimate.StateEvent], "p_exit": s.P[estimate.StateExit], "p_neither": s.P[estimate.StateInitial]}
			lo, hi := s.Limits(estimate.StateEvent)
			setFinite(rec, "se_event", s.SE[estimate.StateEvent])
			setFinite(rec, "ci_low", lo)
			setFinite(rec, "ci_high", hi)
			recs = append(recs, rec)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	return c.writeRecords(ctx, "cif_curves", recs)
}
