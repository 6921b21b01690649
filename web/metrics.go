package web

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/transform"
)

// transformKey names one transform in the snapshot: its D and vintage.
type transformKey struct {
	AsOf    time.Time
	Vintage int64
}

func (k transformKey) String() string {
	return fmt.Sprintf("D %s, vintage %d", k.AsOf.Format(time.DateOnly), k.Vintage)
}

// metricRow is one metric_values row as a page reads it.
type metricRow struct {
	Metric                                           string
	Keys                                             map[string]string // transform.Keys; ALL where not disaggregated
	N, Events                                        sql.NullInt64
	Numerator, Denominator, Value, Low, High, PValue sql.NullFloat64
	PAdjusted                                        sql.NullFloat64
	Note                                             string
	Suppressed                                       bool // --public withholds its numbers
}

// selection picks metric_values rows of one transform: Metric ("" any)
// and, per key column, a value ("*": any value but ALL; a key not named is
// ALL, unless Any names it).
type selection struct {
	Metric string
	Keys   map[string]string
	Any    []string // key columns whose value does not matter
}

// headline is the transform the snapshot's headline numbers come from
// (metric_latest's rows).
func (r *request) headline() (transformKey, error) {
	var k transformKey
	err := r.queryRow(`SELECT as_of, vintage FROM metric_latest LIMIT 1`).Scan(&k.AsOf, &k.Vintage)
	if err == sql.ErrNoRows {
		return k, fmt.Errorf("%w: the snapshot holds no metrics yet: run 'imet run'", errNoSnapshot)
	}
	return k, err
}

// transforms lists the snapshot's transforms, newest D first.
func (r *request) transforms() ([]transformKey, error) {
	rows, err := r.query(`SELECT DISTINCT as_of, vintage FROM transform_runs ORDER BY as_of DESC, vintage DESC`)
	if err != nil {
		return nil, fmt.Errorf("list transforms: %w", err)
	}
	defer rows.Close()
	var out []transformKey
	for rows.Next() {
		var k transformKey
		if err := rows.Scan(&k.AsOf, &k.Vintage); err != nil {
			return nil, fmt.Errorf("list transforms: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// metricRows reads the rows of transform t that sel picks, in the order of
// metric_values' keys. With --public it gives only rows the congressional
// disclosure control judges (congress.Disclosed), withheld as it decides
// over the whole transform, so no two views can be combined to recover a
// withheld cell.
func (r *request) metricRows(t transformKey, sel selection) ([]metricRow, error) {
	for k := range sel.Keys {
		if !slices.Contains(transform.Keys, k) {
			return nil, badf("no disaggregation %q: choose one of %s", k, strings.Join(transform.Keys, ", "))
		}
	}
	if r.public() {
		all, err := r.s.disclosed(r, t)
		if err != nil {
			return nil, err
		}
		var out []metricRow
		for _, m := range all {
			if sel.matches(m) {
				out = append(out, m)
			}
		}
		return out, nil
	}
	where := []string{"as_of = ?::DATE", "vintage = ?"}
	args := []any{t.AsOf.Format(time.DateOnly), t.Vintage}
	if sel.Metric != "" {
		where = append(where, "metric_id = ?")
		args = append(args, sel.Metric)
	}
	for _, k := range transform.Keys {
		v, named := sel.Keys[k]
		switch {
		case slices.Contains(sel.Any, k):
		case !named:
			where = append(where, k+" = 'ALL'")
		case v == "*":
			where = append(where, k+" <> 'ALL'")
		default:
			where = append(where, k+" = ?")
			args = append(args, v)
		}
	}
	q := `SELECT metric_id, ` + strings.Join(transform.Keys, ", ") + `, n, events, numerator, denominator, value, ci_low, ci_high, p_value, p_adjusted, coalesce(note, '')
FROM metric_values WHERE ` + strings.Join(where, " AND ") + ` ORDER BY metric_id, ` + strings.Join(transform.Keys, ", ")
	rows, err := r.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("read metric_values: %w", err)
	}
	defer rows.Close()
	var out []metricRow
	for rows.Next() {
		m := metricRow{Keys: map[string]string{}}
		keys := make([]string, len(transform.Keys))
		dest := []any{&m.Metric}
		for i := range keys {
			dest = append(dest, &keys[i])
		}
		dest = append(dest, &m.N, &m.Events, &m.Numerator, &m.Denominator, &m.Value, &m.Low, &m.High, &m.PValue, &m.PAdjusted, &m.Note)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read metric_values: %w", err)
		}
		for i, k := range transform.Keys {
			m.Keys[k] = keys[i]
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// matches is sel evaluated on a row already read.
func (sel selection) matches(m metricRow) bool {
	if sel.Metric != "" && m.Metric != sel.Metric {
		return false
	}
	for _, k := range transform.Keys {
		if slices.Contains(sel.Any, k) {
			continue
		}
		v, named := sel.Keys[k]
		switch {
		case !named && m.Keys[k] != congress.All:
			return false
		case v == "*" && m.Keys[k] == congress.All:
			return false
		case named && v != "*" && m.Keys[k] != v:
			return false
		}
	}
	return true
}

// disclosure caches the public rows of each transform of the open snapshot.
type disclosure struct {
	mu    sync.Mutex
	stamp time.Time
	rows  map[transformKey][]metricRow
}

// disclosed is every row --public may serve of transform t, read and
// withheld once per published snapshot.
func (s *Server) disclosed(r *request, t transformKey) ([]metricRow, error) {
	s.disc.mu.Lock()
	defer s.disc.mu.Unlock()
	if !s.disc.stamp.Equal(r.published) {
		s.disc.stamp, s.disc.rows = r.published, map[transformKey][]metricRow{}
	}
	if rows, ok := s.disc.rows[t]; ok {
		return rows, nil
	}
	cs, err := congress.Disclosed(r.ctx(), r.db, t.AsOf, t.Vintage, s.opt.Metrics, s.opt.MinCell)
	if err != nil {
		return nil, err
	}
	out := make([]metricRow, 0, len(cs))
	for _, c := range cs {
		m := metricRow{Metric: c.Metric, Keys: map[string]string{
			"period": c.Period, "graduation_cohort": congress.All, "cohort": c.Cohort, "program": c.Program,
			"region": c.Region, "country_code": c.Country, "course_category": c.Category, "sex": congress.All,
			"ecl_band": c.ECLBand, "post_level": congress.All,
		}, Note: c.Note, Suppressed: c.Suppressed()}
		if !m.Suppressed {
			m.N, m.Events, m.Numerator, m.Denominator = c.N, c.Events, c.Numerator, c.Denominator
			m.Value, m.Low, m.High, m.PValue, m.PAdjusted = c.Value, c.CILow, c.CIHigh, c.PValue, c.PAdjusted
		} else {
			m.Note = "suppressed: fewer than the disclosure threshold"
		}
		out = append(out, m)
	}
	s.disc.rows[t] = out
	return out, nil
}
