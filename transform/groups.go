package transform

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	competing, adjusted := m.Estimator.competing(), m.Adjusted
	q := timeQuery(m, unit, grouped)
	// metrics that differ only in their horizon or estimator read the
	// same people: read them once
	key := q + "\x00" + fmt.Sprint(sets)
	if c.lists != nil && c.listsKey == key {
		return c.lists, nil
	}
	c.lists, c.listsKey = nil, "" // let the last read's lists go before this one's are made
	rows, err := c.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read the time-to-event rows: %w", err)
	}
	defer rows.Close()

	setPos := setPositions(grouped, sets)
	keyVals := make([]sql.NullString, len(grouped))
	var (
		t       float64
		status  bool
		part    int
		country sql.NullString
		cr      int
		w       float64
	)
	dest := make([]any, 0, len(grouped)+6)
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
	var sig []byte // the group's keySig, built in place: a lookup allocates nothing
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read the time-to-event rows: %w", err)
		}
	set:
		for _, sp := range setPos {
			sig = sig[:0]
			for _, p := range sp {
				v := "ALL"
				if p >= 0 {
					if !keyVals[p].Valid {
						continue set
					}
					v = keyVals[p].String
				}
				sig = append(sig, v...)
				sig = append(sig, 0)
			}
			l := out[string(sig)]
			if l == nil {
				l = &timeLists{}
				out[string(sig)] = l
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
	c.lists, c.listsKey = out, key
	return out, nil
}

// timeQuery reads a survival metric's people from its unit in timeOrder:
// the grouped keys, then time, status, participant and country, and the
// competing-risk status and the weight where the estimator takes them.
func timeQuery(m Metric, unit string, grouped []string) string {
	cols := make([]string, 0, len(grouped)+6)
	for _, k := range grouped {
		cols = append(cols, k+"::VARCHAR")
	}
	cols = append(cols, "time::DOUBLE", "status", "participant::INTEGER", "country_code")
	if m.Estimator.competing() {
		cols = append(cols, "cr_status::INTEGER")
	}
	if m.Adjusted {
		cols = append(cols, "weight::DOUBLE")
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + unit
	if m.Where != "" {
		q += " WHERE " + m.Where
	}
	return q + " ORDER BY " + timeOrder
}

// setPositions gives each set, for every key of Keys, the key's position
// in grouped (the rows' first columns) when the set groups on it, or -1
// (the key reads ALL).
func setPositions(grouped []string, sets [][]string) [][]int {
	pos := map[string]int{}
	for i, k := range grouped {
		pos[k] = i
	}
	setPos := make([][]int, len(sets))
	for i, set := range sets {
		setPos[i] = make([]int, len(Keys))
		for j, k := range Keys {
			setPos[i][j] = -1
			if p, ok := pos[k]; ok && slices.Contains(set, k) {
				setPos[i][j] = p
			}
		}
	}
	return setPos
}
