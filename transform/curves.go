package transform

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
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
			for k, v := range map[string]float64{"surv": s.Surv, "ci_low": s.Lower, "ci_high": s.Upper} {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					rec[k] = v
				}
			}
			recs = append(recs, rec)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	if len(recs) == 0 {
		return 0, nil
	}
	body, err := json.Marshal(recs)
	if err != nil {
		return 0, err
	}
	_, err = c.tx.ExecContext(ctx, `INSERT INTO km_curves BY NAME
		SELECT r.*, $2::DATE AS as_of, $3::BIGINT AS vintage
		FROM (SELECT unnest(from_json($1::JSON, '[{"outcome": "VARCHAR", "cohort": "VARCHAR", "time": "DOUBLE",
			"n_risk": "BIGINT", "n_event": "BIGINT", "n_censor": "BIGINT", "surv": "DOUBLE", "ci_low": "DOUBLE", "ci_high": "DOUBLE"}]'),
			recursive := true)) AS r`, string(body), d, c.vintage)
	if err != nil {
		return 0, fmt.Errorf("write km_curves: %w", err)
	}
	return int64(len(recs)), nil
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
			for k, v := range map[string]float64{"se_event": s.SE[estimate.StateEvent], "ci_low": lo, "ci_high": hi} {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					rec[k] = v
				}
			}
			recs = append(recs, rec)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	if len(recs) == 0 {
		return 0, nil
	}
	body, err := json.Marshal(recs)
	if err != nil {
		return 0, err
	}
	_, err = c.tx.ExecContext(ctx, `INSERT INTO cif_curves BY NAME
		SELECT r.*, $2::DATE AS as_of, $3::BIGINT AS vintage
		FROM (SELECT unnest(from_json($1::JSON, '[{"outcome": "VARCHAR", "cohort": "VARCHAR", "time": "DOUBLE",
			"n_risk": "BIGINT", "n_event": "BIGINT", "n_exit": "BIGINT", "n_censor": "BIGINT", "p_event": "DOUBLE", "p_exit": "DOUBLE",
			"p_neither": "DOUBLE", "se_event": "DOUBLE", "ci_low": "DOUBLE", "ci_high": "DOUBLE"}]'),
			recursive := true)) AS r`, string(body), d, c.vintage)
	if err != nil {
		return 0, fmt.Errorf("write cif_curves: %w", err)
	}
	return int64(len(recs)), nil
}
