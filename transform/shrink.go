package transform

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/transform/estimate"
)

// penRow is one stored row of the metric a shrinkage is computed from.
type penRow struct {
	keys map[string]string
	n, x sql.NullInt64
	note string
}

// shrink computes a shrunken metric (Estimator Shrunk) from the country
// rows of m.From already written for this (D, vintage): the countries of
// each group of the other keys (period, post level, …) are pooled
// together, each country row keeping the raw row's n and numerator with
// the DerSimonian-Laird BLUP as value and limits, and the group's
// all-countries row gets the pooled share.
func (c *computer) shrink(ctx context.Context, m Metric) (int64, error) {
	src, err := c.storedRows(ctx, m.From)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", m.ID, err)
	}
	groups := map[string][]penRow{}
	totals := map[string]penRow{}
	var order []string
	seen := map[string]bool{}
	for _, r := range src {
		g := groupSig(r.keys)
		if !seen[g] {
			seen[g] = true
			order = append(order, g)
		}
		if r.keys["country_code"] == "ALL" {
			totals[g] = r
			continue
		}
		groups[g] = append(groups[g], r)
	}
	var out []*row
	for _, g := range order {
		rows, err := shrinkGroup(groups[g], totals[g])
		if err != nil {
			return 0, fmt.Errorf("%s: %w", m.ID, err)
		}
		out = append(out, rows...)
	}
	for _, r := range out {
		if r.n.Valid && r.n.Int64 > 0 && r.n.Int64 < int64(c.opt.SmallN) && !slices.Contains(r.note, "small n") {
			r.note = append(r.note, "small n")
		}
	}
	return int64(len(out)), c.insert(ctx, m, out)
}

// groupSig names the group a row is pooled in: its keys but the country.
func groupSig(keys map[string]string) string {
	k := make(map[string]string, len(keys))
	for n, v := range keys {
		k[n] = v
	}
	k["country_code"] = "ALL"
	return keySig(k)
}

// shrinkGroup pools one group's countries (those with holdings) and
// returns a row per country and one for the group's total (the raw total
// row, when there is one, gives its n and numerator). A group without a
// country with holdings gives no rows.
func shrinkGroup(countries []penRow, total penRow) ([]*row, error) {
	var use []penRow
	var x, n []int
	for _, r := range countries {
		if r.n.Valid && r.n.Int64 > 0 && r.x.Valid {
			use = append(use, r)
			x, n = append(x, int(r.x.Int64)), append(n, int(r.n.Int64))
		}
	}
	if len(use) == 0 {
		return nil, nil
	}
	fit, err := estimate.ShrinkProportions(x, n)
	if err != nil {
		return nil, err
	}
	out := make([]*row, 0, len(use)+1)
	for i, r := range use {
		o := shrunkRow(r.keys, r.n, r.x)
		s := fit.Shares[i]
		o.value, o.low, o.high = s.Share, s.Lower, s.Upper
		if r.note != "" {
			o.note = strings.Split(r.note, "; ")
		}
		out = append(out, o)
	}
	keys := total.keys
	tn, tx := total.n, total.x
	if keys == nil {
		keys = maps(use[0].keys, "country_code", "ALL")
		tn = sql.NullInt64{Int64: int64(sumInts(n)), Valid: true}
		tx = sql.NullInt64{Int64: int64(sumInts(x)), Valid: true}
	}
	o := shrunkRow(keys, tn, tx)
	o.value = fit.Pooled
	o.low, o.high = fit.PooledLower, fit.PooledUpper
	o.note = []string{PooledNote(fit.K, fit.Tau2)}
	return append(out, o), nil
}

// PooledNote is the note of a shrunken metric's all-countries row: what
// its value is, and tau².
func PooledNote(k int, tau2 float64) string {
	if k == 1 {
		return "one country: nothing to pool with, the value is the country's own share"
	}
	return fmt.Sprintf("random-effects pooled share of %d countries; tau² = %.4g (logit scale)", k, tau2)
}

func shrunkRow(keys map[string]string, n, x sql.NullInt64) *row {
	r := newRow(keys)
	r.n, r.events = n, x
	if n.Valid {
		r.den = float64(n.Int64)
	}
	if x.Valid {
		r.num = float64(x.Int64)
	}
	return r
}

func maps(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m))
	for a, b := range m {
		out[a] = b
	}
	out[k] = v
	return out
}

func sumInts(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}

// storedRows reads a metric's rows of this (D, vintage), in key order.
func (c *computer) storedRows(ctx context.Context, id string) ([]penRow, error) {
	q := `SELECT ` + strings.Join(Keys, ", ") + `, n, coalesce(events, numerator::BIGINT), coalesce(note, '')
		FROM metric_values WHERE metric_id = ? AND as_of = ? AND vintage = ?
		ORDER BY ` + strings.Join(Keys, ", ")
	rows, err := c.tx.QueryContext(ctx, q, id, c.opt.AsOf.Format(time.DateOnly), c.vintage)
	if err != nil {
		return nil, fmt.Errorf("read %s rows: %w", id, err)
	}
	defer rows.Close()
	var out []penRow
	for rows.Next() {
		vals := make([]string, len(Keys))
		r := penRow{keys: map[string]string{}}
		dest := make([]any, 0, len(Keys)+3)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		dest = append(dest, &r.n, &r.x, &r.note)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read %s rows: %w", id, err)
		}
		for i, k := range Keys {
			r.keys[k] = vals[i]
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
