package transform

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// timeLists are one group's people as a time-to-event estimator takes
// them, in the estimators' order (timeOrder).
type timeLists struct {
	time        []float64
	status      []bool
	participant []int
	country     []string  // "" when the person has none
	cr          []int     // the competing-risk status, when the metric needs it
	weight      []float64 // the adjusted comparison's weights, when it has them
}

// timeOrder is the order of a group's people in its lists: the estimators'
// results do not depend on it, but their floating-point sums do, so it is
// fixed, person id last.
const timeOrder = "time, status, participant, country_code, student_id"

// timeLists reads a survival metric's people once, sorted in timeOrder, and
// hands each to every group of sets it belongs to (keyed by keySig, as the
// grouping query's rows are). A person without a value for a set's key is
// in no group of that set, as in the grouping query, whose row for the
// missing value is skipped. One sorted scan costs far less than DuckDB's
// ordered list() of every column in every grouping set.
func (c *computer) timeLists(ctx context.Context, m Metric, unit string, grouped []string, sets [][]string) (map[string]*timeLists, error) {
	cols := make([]string, 0, len(grouped)+6)
	for _, k := range grouped {
		cols = append(cols, k+"::VARCHAR")
	}
	cols = append(cols, "time::DOUBLE", "status", "participant::INTEGER", "country_code")
	competing, adjusted := m.Estimator.competing(), m.Adjusted
	if competing {
		cols = append(cols, "cr_status::INTEGER")
	}
	if adjusted {
		cols = append(cols, "weight::DOUBLE")
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + unit
	if m.Where != "" {
		q += " WHERE " + m.Where
	}
	q += " ORDER BY " + timeOrder
	// metrics that differ only in their horizon or estimator read the
	// same people: read them once
	key := q + "\x00" + fmt.Sprint(sets)
	if l, ok := c.lists[key]; ok {
		return l, nil
	}
	rows, err := c.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read the time-to-event rows: %w", err)
	}
	defer rows.Close()

	// each set as positions in grouped, and each group's keys in Keys order
	pos := map[string]int{}
	for i, k := range grouped {
		pos[k] = i
	}
	setPos := make([][]int, len(sets))
	for i, set := range sets {
		for _, k := range set {
			setPos[i] = append(setPos[i], pos[k])
		}
	}
	keyVals := make([]sql.NullString, len(grouped))
	var (
		t       float64
		status  bool
		part    int
		country sql.NullString
		cr      int
		w       float64
	)
	dest := make([]any, 0, len(cols))
	for i := range keyVals {
		dest = append(dest, &keyVals[i])
	}
	dest = append(dest, &t, &status, &part, &country)
	if competing {
		dest = append(dest, &cr)
	}
	if adjusted {
		dest = append(dest, &w)
	}
	out := map[string]*timeLists{}
	inSet := make([]bool, len(grouped))
	var sig strings.Builder
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read the time-to-event rows: %w", err)
		}
	set:
		for _, sp := range setPos {
			clear(inSet)
			for _, p := range sp {
				if !keyVals[p].Valid {
					continue set
				}
				inSet[p] = true
			}
			sig.Reset()
			for _, k := range Keys {
				v := "ALL"
				if p, ok := pos[k]; ok && inSet[p] {
					v = keyVals[p].String
				}
				sig.WriteString(v)
				sig.WriteByte(0)
			}
			l := out[sig.String()]
			if l == nil {
				l = &timeLists{}
				out[sig.String()] = l
			}
			l.time = append(l.time, t)
			l.status = append(l.status, status)
			l.participant = append(l.participant, part)
			l.country = append(l.country, country.String)
			if competing {
				l.cr = append(l.cr, cr)
			}
			if adjusted {
				l.weight = append(l.weight, w)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the time-to-event rows: %w", err)
	}
	if c.lists == nil {
		c.lists = map[string]map[string]*timeLists{}
	}
	c.lists[key] = out
	return out, nil
}
