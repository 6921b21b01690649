package transform

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/imet-project/imet/transform/estimate"
)

// ipwUnit is the unit of the adjusted comparison (evidence.md, "Adjusting
// for selection"): the LEAD_RANK rows of the outcomes unit in countries
// with both arms, each with its stabilised ATE weight from a logistic
// propensity model. It writes the balance table and the overlap
// diagnostics of (D, vintage) beside it. When the propensity model cannot
// be fitted the unit is empty and ipwNote says why.
func (c *computer) ipwUnit(ctx context.Context, table string) error {
	base, err := c.unit(ctx, "outcomes")
	if err != nil {
		return err
	}
	all, err := c.ipwPeople(ctx, base)
	if err != nil {
		return err
	}
	pos := positivity(all)
	people := pos.people
	c.ipwNote = fmt.Sprintf("positivity: %d countries with one arm only dropped (%d people)", pos.countries, pos.dropped[0]+pos.dropped[1])

	fail := func(why string) error {
		c.ipwNote = "not adjusted: " + why + "; " + c.ipwNote
		return c.writeIPW(ctx, table, nil, nil, nil, nil)
	}
	n := len(people)
	treated := make([]bool, n)
	y := make([]float64, n)
	for i, p := range people {
		treated[i] = p.treated
		y[i] = float64(b2i(p.treated))
	}
	if n == 0 || !slices.Contains(treated, true) || !slices.Contains(treated, false) {
		return fail("no country has both participants and comparison peers")
	}
	terms := propensityTerms(people)
	design, err := estimate.NewDesign(terms)
	if err != nil {
		return fail(err.Error())
	}
	fit, err := estimate.Logistic(y, design)
	if errors.Is(err, estimate.ErrSeparation) {
		return fail("the propensity model separates the arms (some scores are 0 or 1)")
	}
	if err != nil {
		return fail("the propensity model " + err.Error())
	}
	w, err := estimate.ATEWeights(fit.Fitted, treated)
	if err != nil {
		return fail(err.Error())
	}
	balance, err := balanceRows(terms, treated, w)
	if err != nil {
		return fail(err.Error())
	}
	return c.writeIPW(ctx, table, people, w, balance, overlapRows(fit.Fitted, w, treated, pos))
}

// ipwPerson is one person of the adjusted comparison, with the covariates
// of the propensity model.
type ipwPerson struct {
	id, country, service, rank, sex string
	treated                         bool
	age                             sql.NullFloat64
	fy                              float64
}

// ipwPeople reads the LEAD_RANK rows of the outcomes unit, by student_id.
func (c *computer) ipwPeople(ctx context.Context, base string) ([]ipwPerson, error) {
	rows, err := c.tx.QueryContext(ctx, `SELECT student_id, participant, country_code, service, coalesce(rank_at_index, ''), sex3, age, index_fy
		FROM `+base+` WHERE outcome = 'LEAD_RANK' ORDER BY student_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []ipwPerson
	for rows.Next() {
		var p ipwPerson
		var part int
		var country sql.NullString
		if err := rows.Scan(&p.id, &part, &country, &p.service, &p.rank, &p.sex, &p.age, &p.fy); err != nil {
			return nil, err
		}
		p.treated, p.country = part == 1, country.String
		all = append(all, p)
	}
	return all, rows.Err()
}

// positive is what positivity keeps and what it drops.
type positive struct {
	people    []ipwPerson
	countries int    // countries dropped
	dropped   [2]int // people dropped: comparison, participants
}

// positivity leaves out the countries with only one arm, and counts them.
func positivity(all []ipwPerson) positive {
	var arms = map[string][2]int{}
	for _, p := range all {
		a := arms[p.country]
		if p.treated {
			a[1]++
		} else {
			a[0]++
		}
		arms[p.country] = a
	}
	var out positive
	for _, a := range arms {
		if a[0] == 0 || a[1] == 0 {
			out.countries++
		}
	}
	for _, p := range all {
		if a := arms[p.country]; a[0] == 0 || a[1] == 0 {
			out.dropped[b2i(p.treated)]++
			continue
		}
		out.people = append(out.people, p)
	}
	return out
}

// propensityTerms are the terms of glm(participant ~ country_code +
// service + rank + sex + age + age_missing + index_fy), a factor with one
// level left out (R refuses it; it would be constant anyway). Age is the
// analysed population's median where the birth year is missing.
func propensityTerms(people []ipwPerson) []estimate.Term {
	n := len(people)
	var known []float64
	for _, p := range people {
		if p.age.Valid {
			known = append(known, p.age.Float64)
		}
	}
	med := median(known)
	age, ageMissing, fy := make([]float64, n), make([]float64, n), make([]float64, n)
	factors := map[string][]string{"country_code": make([]string, n), "service": make([]string, n), "rank": make([]string, n), "sex": make([]string, n)}
	for i, p := range people {
		age[i] = p.age.Float64
		if !p.age.Valid {
			age[i], ageMissing[i] = med, 1
		}
		if math.IsNaN(age[i]) {
			age[i] = 0 // no birth year at all: the indicator carries it
		}
		fy[i] = p.fy
		factors["country_code"][i], factors["service"][i], factors["rank"][i], factors["sex"][i] = p.country, p.service, p.rank, p.sex
	}
	var terms []estimate.Term
	for _, name := range []string{"country_code", "service", "rank", "sex"} {
		if len(estimate.Levels(factors[name])) > 1 {
			terms = append(terms, estimate.Term{Name: name, Factor: factors[name]})
		}
	}
	return append(terms, estimate.Term{Name: "age", Numeric: age}, estimate.Term{Name: "age_missing", Numeric: ageMissing}, estimate.Term{Name: "index_fy", Numeric: fy})
}

// balanceRows are the balance table's rows: every covariate level's means
// and standardised differences, before and after weighting by w.
func balanceRows(terms []estimate.Term, treated []bool, w []float64) ([]map[string]any, error) {
	cols, err := estimate.BalanceColumns(terms)
	if err != nil {
		return nil, err
	}
	// the columns are independent, each a few passes over every person
	balance := make([]map[string]any, len(cols.Names))
	onEveryCore(len(cols.Names), func(j int) {
		name, col := cols.Names[j], cols.Col(j) // one column at a time per core
		before, _ := estimate.SMD(col, treated, nil)
		after, _ := estimate.SMD(col, treated, w)
		rec := map[string]any{"covariate": name, "position": j + 1}
		for _, t := range terms {
			if t.Factor != nil && strings.HasPrefix(name, t.Name) {
				rec["covariate"], rec["level"] = t.Name, strings.TrimPrefix(name, t.Name)
				break
			}
		}
		var m1, m0 [2]float64
		for i, v := range col {
			if treated[i] {
				m1[0], m1[1] = m1[0]+v, m1[1]+1
			} else {
				m0[0], m0[1] = m0[0]+v, m0[1]+1
			}
		}
		setFinite(rec, "mean_participant", m1[0]/m1[1])
		setFinite(rec, "mean_comparison", m0[0]/m0[1])
		setFinite(rec, "smd_before", before)
		setFinite(rec, "smd_after", after)
		if !math.IsNaN(after) {
			rec["balanced"] = math.Abs(after) < 0.1
		}
		balance[j] = rec
	})
	return balance, nil
}

// overlapRows are the overlap diagnostics of each arm and both: the
// score range, the share outside [0.1, 0.9], Kish's effective sample size,
// the largest weight, and what positivity dropped.
func overlapRows(scores, w []float64, treated []bool, pos positive) []map[string]any {
	var overlap []map[string]any
	for _, arm := range []string{"PARTICIPANT", "COMPARISON", "ALL"} {
		var ps, ws []float64
		for i := range scores {
			if arm == "ALL" || treated[i] == (arm == "PARTICIPANT") {
				ps, ws = append(ps, scores[i]), append(ws, w[i])
			}
		}
		outside := 0
		for _, v := range ps {
			if v < 0.1 || v > 0.9 {
				outside++
			}
		}
		rec := map[string]any{"cohort": arm, "n": len(ps), "countries_dropped": pos.countries}
		switch arm {
		case "PARTICIPANT":
			rec["people_dropped"] = pos.dropped[1]
		case "COMPARISON":
			rec["people_dropped"] = pos.dropped[0]
		default:
			rec["people_dropped"] = pos.dropped[0] + pos.dropped[1]
		}
		if len(ps) > 0 {
			setFinite(rec, "ps_min", slices.Min(ps))
			setFinite(rec, "ps_max", slices.Max(ps))
			setFinite(rec, "share_outside", float64(outside)/float64(len(ps)))
			setFinite(rec, "kish_ess", estimate.KishESS(ws))
			setFinite(rec, "max_weight", slices.Max(ws))
		}
		overlap = append(overlap, rec)
	}
	return overlap
}

// writeIPW stores the weights (w[i] the weight of people[i], one row
// each) as the unit table and the balance and overlap rows of (D,
// vintage).
func (c *computer) writeIPW(ctx context.Context, table string, people []ipwPerson, w []float64, balance, overlap []map[string]any) error {
	// in student_id order, as ipwPeople reads them (sorted here otherwise)
	order := make([]int, len(people))
	for i := range order {
		order[i] = i
	}
	if !slices.IsSortedFunc(people, func(a, b ipwPerson) int { return strings.Compare(a.id, b.id) }) {
		sort.SliceStable(order, func(a, b int) bool { return people[order[a]].id < people[order[b]].id })
	}
	// the weights through the appender (as JSON they cost more than the
	// model at 100,000 people)
	if _, err := c.tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE ipw_weights (student_id VARCHAR, weight DOUBLE)`); err != nil {
		return fmt.Errorf("ipw weights: %w", err)
	}
	err := c.conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "ipw_weights")
		if err != nil {
			return err
		}
		for _, i := range order {
			if err := a.AppendRow(people[i].id, w[i]); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
	if err != nil {
		return fmt.Errorf("ipw weights: %w", err)
	}
	if _, err := c.tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+table+` AS
		SELECT o.*, w.weight
		FROM unit_outcomes o JOIN ipw_weights w ON w.student_id = o.student_id
		WHERE o.outcome = 'LEAD_RANK';
		DROP TABLE ipw_weights`); err != nil {
		return fmt.Errorf("ipw weights: %w", err)
	}
	if _, err := c.writeRecords(ctx, "ipw_balance", balance); err != nil {
		return err
	}
	_, err = c.writeRecords(ctx, "ipw_overlap", overlap)
	return err
}

func setFinite(rec map[string]any, k string, v float64) {
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		rec[k] = v
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// median is R's median(): the middle value, or the mean of the two middle
// values; NaN for none.
func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	k := len(s) / 2
	if len(s)%2 == 1 {
		return s[k]
	}
	return (s[k-1] + s[k]) / 2
}
