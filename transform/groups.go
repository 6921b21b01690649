package transform

import (
	"context"
	"database/sql"
	"fmt"
	stdmaps "maps"
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

// listRead is one sorted read of a unit's people that serves every
// survival metric over the same unit, Where and weighting: LEAD_RANK's
// Kaplan-Meier, Aalen-Johansen, Cox and Fine-Gray metrics, whatever their
// horizon or groupings, read LEAD_RANK's people once. It reads the keys
// and sets of all of them, and the competing-risk status when any of them
// takes it; each metric looks up its own groups.
type listRead struct {
	grouped   []string   // the keys any of them groups on, in Keys order
	sets      [][]string // the sets of all of them, each once
	competing bool
	adjusted  bool
	last      string                // the last metric in compute order that reads it: its lists go after it
	lists     map[string]*timeLists // by keySig; nil until read, and again after last
}

// readKey names the read a survival metric's people come from.
func readKey(m Metric) string {
	return fmt.Sprintf("%s\x00%s\x00%v", m.Unit, m.Where, m.Adjusted)
}

// planReads gives each read the metrics of order (the survival ones)
// share: their keys and sets, and the last of them.
func planReads(order []Metric) map[string]*listRead {
	reads := map[string]*listRead{}
	for _, m := range order {
		if !m.Estimator.survival() {
			continue
		}
		key := readKey(m)
		r := reads[key]
		if r == nil {
			r = &listRead{adjusted: m.Adjusted}
			reads[key] = r
		}
		grouped, sets := metricSets(m)
		for _, set := range sets {
			if !slices.ContainsFunc(r.sets, func(s []string) bool { return slices.Equal(s, set) }) {
				r.sets = append(r.sets, set)
			}
		}
		var union []string
		for _, k := range Keys {
			if slices.Contains(r.grouped, k) || slices.Contains(grouped, k) {
				union = append(union, k)
			}
		}
		r.grouped = union
		r.competing = r.competing || m.Estimator.competing()
		r.last = m.ID
	}
	return reads
}

// timeLists reads a survival metric's people (its listRead, once for all
// the metrics that share it), sorted in timeOrder, and hands each to every
// group of the read's sets it belongs to (keyed by keySig, as the grouping
// query's rows are). A person without a value for a set's key is in no
// group of that set, as in the grouping query, whose row for the missing
// value is skipped. One sorted scan costs far less than DuckDB's ordered
// list() of every column in every grouping set.
func (c *computer) timeLists(ctx context.Context, m Metric, unit string) (map[string]*timeLists, error) {
	r := c.reads[readKey(m)]
	if r == nil { // a metric computed on its own reads for itself
		r = planReads([]Metric{m})[readKey(m)]
	}
	if r.lists != nil {
		return r.lists, nil
	}
	out, err := c.readLists(ctx, r, unit, m.Where)
	if err != nil {
		return nil, err
	}
	r.lists = out
	return out, nil
}

// readLists runs the read r of unit's rows matching where.
func (c *computer) readLists(ctx context.Context, r *listRead, unit, where string) (map[string]*timeLists, error) {
	rows, err := c.tx.QueryContext(ctx, timeQuery(r, unit, where))
	if err != nil {
		return nil, fmt.Errorf("read the time-to-event rows: %w", err)
	}
	defer rows.Close()

	setPos := setPositions(r.grouped, r.sets)
	keyVals := make([]sql.NullString, len(r.grouped))
	var (
		t       float64
		status  bool
		part    int
		country sql.NullString
		cr      int
		w       float64
	)
	dest := make([]any, 0, len(r.grouped)+6)
	for i := range keyVals {
		dest = append(dest, &keyVals[i])
	}
	dest = append(dest, &t, &status, &part, &country)
	if r.competing {
		dest = append(dest, &cr)
	}
	if r.adjusted {
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
			if r.competing {
				l.cr = append(l.cr, cr)
			}
			if r.adjusted {
				l.weight = append(l.weight, w)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the time-to-event rows: %w", err)
	}
	return out, nil
}

// release lets go of the lists whose last reader m was: at a million people
// one read's lists take hundreds of MiB. The lists of the cohorts of a
// read of all of an outcome's people (the whole population of each) stay
// for its curves (curveLists), with only what the curves take.
func (c *computer) release(m Metric) {
	r := c.reads[readKey(m)]
	if r == nil || r.last != m.ID {
		return
	}
	if overOneOutcome(m) && !m.Adjusted {
		if c.cohorts == nil {
			c.cohorts = map[string]map[string]*timeLists{}
		}
		c.cohorts[readKey(m)] = cohortLists(r.lists, r.competing)
	}
	r.lists = nil
}

// cohortLists are the lists of the groups of the whole population by
// cohort (every key ALL but the cohort), by cohort: their times, statuses
// and, with competing, competing-risk statuses.
func cohortLists(lists map[string]*timeLists, competing bool) map[string]*timeLists {
	out := map[string]*timeLists{}
	for sig, l := range lists {
		keys := sigKeys(sig)
		co := keys["cohort"]
		if co == "ALL" || keySig(map[string]string{"cohort": co}) != sig {
			continue
		}
		kept := &timeLists{time: l.time, status: l.status}
		if competing {
			kept.cr = l.cr
		}
		out[co] = kept
	}
	return out
}

// timeQuery reads a listRead's people from its unit in timeOrder: the
// grouped keys, then time, status, participant and country, and the
// competing-risk status and the weight where the read takes them.
func timeQuery(r *listRead, unit, where string) string {
	cols := make([]string, 0, len(r.grouped)+6)
	for _, k := range r.grouped {
		cols = append(cols, k+"::VARCHAR")
	}
	cols = append(cols, "time::DOUBLE", "status", "participant::INTEGER", "country_code")
	if r.competing {
		cols = append(cols, "cr_status::INTEGER")
	}
	if r.adjusted {
		cols = append(cols, "weight::DOUBLE")
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + unit
	if where != "" {
		q += " WHERE " + where
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

// groupQuery is one grouping query that serves every metric over the same
// unit, Where and grouping sets: the five LEAD_RANK metrics, say, each
// asked its own query of the same groups before. It computes the
// aggregates of all of them (metricAggs), in their order, and hands each
// its own rows: the groups and values a query of its own gives.
type groupQuery struct {
	members []Metric              // in compute order
	last    string                // the last member: the rows go after it
	rows    map[string][]groupRow // by member; nil until run, and again after last
}

// groupKey names the grouping query a metric's groups come from.
func groupKey(m Metric) string {
	grouped, sets := metricSets(m)
	return fmt.Sprintf("%s\x00%s\x00%v\x00%v", m.Unit, m.Where, grouped, sets)
}

// planGroups gives each grouping query the metrics of order that share it:
// those computed from a unit's rows (not from other metrics' rows).
func planGroups(order []Metric) map[string]*groupQuery {
	out := map[string]*groupQuery{}
	for _, m := range order {
		if m.From != "" || m.Of != "" {
			continue
		}
		key := groupKey(m)
		q := out[key]
		if q == nil {
			q = &groupQuery{}
			out[key] = q
		}
		q.members, q.last = append(q.members, m), m.ID
	}
	return out
}

// groupRows are m's rows of its grouping query (its groupQuery, run once
// for all the metrics that share it), without the groups whose grouped key
// has no value: a person without a value for a disaggregation counts in
// ALL only.
func (c *computer) groupRows(ctx context.Context, m Metric, unit string) ([]groupRow, error) {
	q := c.groups[groupKey(m)]
	if q == nil { // a metric computed on its own queries for itself
		q = planGroups([]Metric{m})[groupKey(m)]
	}
	if q.rows == nil {
		var err error
		if q.rows, err = q.run(ctx, c.tx, unit); err != nil {
			return nil, err
		}
	}
	rows := q.rows[m.ID]
	if q.last == m.ID {
		q.rows = nil
	}
	return rows, nil
}

// run runs the grouping query of q's members over unit.
func (q *groupQuery) run(ctx context.Context, tx *sql.Tx, unit string) (map[string][]groupRow, error) {
	var aggs []string
	for _, m := range q.members {
		aggs = append(aggs, metricAggs(m)...)
	}
	query, grouped := groupingSQL(q.members[0], unit, aggs)
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]groupRow, len(q.members))
	keyVals := make([]sql.NullString, len(grouped))
	gs := make([]groupRow, len(q.members))
	dest := make([]any, 0, len(grouped)+len(aggs))
	for i := range keyVals {
		dest = append(dest, &keyVals[i])
	}
	for i, m := range q.members {
		g := &gs[i]
		g.counted = make([]sql.NullInt64, len(m.Counted))
		dest = append(dest, &g.n, &g.events, &g.num, &g.den, &g.val, &g.missing, &g.inputs, &g.pending)
		for j := range g.counted {
			dest = append(dest, &g.counted[j])
		}
	}
rowLoop:
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		keys := make(map[string]string, len(grouped))
		for i, k := range grouped {
			if !keyVals[i].Valid {
				continue rowLoop
			}
			keys[k] = keyVals[i].String
		}
		for i, m := range q.members {
			g := gs[i]
			g.keys, g.counted = stdmaps.Clone(keys), slices.Clone(g.counted) // each row its own
			out[m.ID] = append(out[m.ID], g)
		}
	}
	return out, rows.Err()
}
