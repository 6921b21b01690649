package reports

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// The report leads with attainment that counts leaving the service as a
// competing exit (Aalen-Johansen, the registry's CompetingExits metrics)
// and prints the 1 − Kaplan-Meier attainment beside it, labelled as the
// share if nobody left the service.

// IfNobodyLeftColumn heads the column of 1 − Kaplan-Meier attainments
// printed beside their competing-exits counterparts.
var IfNobodyLeftColumn = strings.ToUpper(schemas.IfNobodyLeftLabel[:1]) + schemas.IfNobodyLeftLabel[1:]

// ifNobodyLeft is the 1 − Kaplan-Meier attainment whose competing-exits
// counterpart is id (the registry's CompetingExitsAs), formatted, or ""
// when id has none.
func (q *quarterly) ifNobodyLeft(id, period, cohort, dim, value string) string {
	for _, d := range q.opt.Metrics {
		if d.IfNobodyLeft && d.CompetingExitsAs == id {
			if r, ok := q.get(q.opt.AsOf, d.ID, period, cohort, dim, value); ok {
				return format(d.Unit, r.value)
			}
			return "–"
		}
	}
	return ""
}

// The layers of a stacked attainment chart, from the bottom up.
var competingLayers = []struct{ name, color string }{
	{"reached", "#1f5fa8"},
	{"left first", "#d9a05b"},
	{"neither yet", "#e4e4e4"},
}

// stackedCurve reads the Aalen-Johansen steps of an outcome for one cohort
// (cif_curves): a stacked chart of the share who reached it, who left the
// service first and who have neither yet, adding up to one at every time.
func (q *quarterly) stackedCurve(ctx context.Context, db *sql.DB, outcome, cohort, group, title string) (*Chart, error) {
	rows, err := db.QueryContext(ctx, `SELECT time, n_risk, p_event, p_exit, ci_low, ci_high FROM cif_curves
		WHERE outcome = ? AND cohort = ? AND as_of = ? AND vintage = ? ORDER BY time`, outcome, cohort, q.opt.AsOf, q.opt.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read cif_curves: %w", err)
	}
	defer rows.Close()
	layers := make([]Series, len(competingLayers))
	for i, l := range competingLayers {
		top := 0.0
		if i == len(competingLayers)-1 {
			top = 1
		}
		layers[i] = Series{Name: l.name, Color: l.color, Points: []Point{{0, top, top, top}}}
	}
	var steps []kmRisk
	for rows.Next() {
		var t, event, exit float64
		var nRisk int64
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&t, &nRisk, &event, &exit, &lo, &hi); err != nil {
			return nil, fmt.Errorf("read cif_curves: %w", err)
		}
		steps = append(steps, kmRisk{t, nRisk})
		x := t / 365.25
		first := Point{X: x, Y: event, Lo: event, Hi: event}
		if lo.Valid && hi.Valid {
			first.Lo, first.Hi = lo.Float64, hi.Float64
		}
		layers[0].Points = append(layers[0].Points, first)
		layers[1].Points = append(layers[1].Points, Point{X: x, Y: event + exit, Lo: event + exit, Hi: event + exit})
		layers[2].Points = append(layers[2].Points, Point{X: x, Y: 1, Lo: 1, Hi: 1})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cif_curves: %w", err)
	}
	if len(steps) == 0 {
		return nil, nil
	}
	c := &Chart{Title: title, XLabel: "years since graduation (index date)", YLabel: "share of the group", YMax: 1, Stacked: true, Series: layers}
	c.XMax = math.Ceil(layers[0].Points[len(layers[0].Points)-1].X)
	for _, x := range XTicks(c.XMax) {
		layers[0].AtRisk = append(layers[0].AtRisk, AtRisk{X: x, N: atRisk(steps, x*365.25)})
	}
	layers[0].RiskName = group
	at := math.Min(10, layers[0].Points[len(layers[0].Points)-1].X)
	reached, left := yAt(layers[0].Points, at), yAt(layers[1].Points, at)-yAt(layers[0].Points, at)
	band := bandAt(layers[0].Points, at)
	c.Desc = fmt.Sprintf("%s. After %s: %.1f%% had reached it (95%% interval %.1f%% to %.1f%%), %.1f%% had left the service first, and %.1f%% had neither yet (still serving without it). People we stopped hearing about count for as long as we heard of them.",
		title, years(at), 100*reached, 100*band.Lo, 100*band.Hi, 100*left, 100*(1-reached-left))
	return c, nil
}

// bandAt is the point of a step curve in force at x.
func bandAt(pts []Point, x float64) Point {
	var p Point
	for _, q := range pts {
		if q.X > x {
			break
		}
		p = q
	}
	return p
}

// years is a length of follow-up in words: "10 years", "7.5 years".
func years(x float64) string {
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64) + " years"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " years"
}

// significance is how a contrast's p-value reads in a table of many
// groups: by the Benjamini-Hochberg adjusted p-value, never the raw one
// alone (n is how many groups were tested).
func significance(r mv, n int) string {
	switch {
	case r.padj.Valid && r.padj.Float64 < 0.05:
		return "holds after adjusting for " + strconv.Itoa(n) + " tests"
	case r.p.Valid && r.p.Float64 < 0.05:
		return "p < 0.05 alone: not after adjusting for " + strconv.Itoa(n) + " tests"
	case r.p.Valid:
		return "no difference shown"
	}
	return "–"
}

// byChance is how many of n tests show p < 0.05 by chance alone, in words.
func byChance(n int) string {
	if e := 0.05 * float64(n); e >= 1 {
		return fmt.Sprintf("about %.0f", e)
	}
	return "fewer than one"
}

// pValue formats a p-value, or a dash.
func pValue(v sql.NullFloat64) string {
	if !v.Valid {
		return "–"
	}
	if v.Float64 < 0.001 {
		return "< 0.001"
	}
	return strconv.FormatFloat(v.Float64, 'f', 3, 64)
}

// contrastByCountry is the table of a contrast metric (a hazard ratio of
// graduates against peers) by country, sorted by the adjusted p-value, so
// a table of many countries never leads with one lucky raw p-value.
func (q *quarterly) contrastByCountry(id string, label func(string) string) (*Table, int) {
	var keys []string
	tested := 0
	for k, r := range q.rows {
		if k.asOf == q.opt.AsOf.Format(time.DateOnly) && k.id == id && k.dim == "country" && k.period == "ALL" {
			keys = append(keys, k.dimValue)
			if r.p.Valid {
				tested++
			}
		}
	}
	get := func(c string) mv { r, _ := q.get(q.opt.AsOf, id, "ALL", "ALL", "country", c); return r }
	slices.SortFunc(keys, func(a, b string) int {
		ra, rb := get(a), get(b)
		return cmp.Or(cmpNull(ra.padj, rb.padj), cmpNull(ra.p, rb.p), cmp.Compare(label(a), label(b)))
	})
	u := q.unit(id)
	t := &Table{Caption: q.title(id) + " by country, sorted by the p-value adjusted for the " + strconv.Itoa(tested) + " countries tested (Benjamini-Hochberg)",
		Columns: []string{"Country", "Value", "95% interval", "n", "Events", "p", "p adjusted", "Reading", "Note"},
		Numeric: []bool{false, true, true, true, true, true, true, false, false}}
	for _, c := range keys {
		r := get(c)
		t.Rows = append(t.Rows, []string{label(c), format(u, r.value), ci(u, r), count(r.n), count(r.events), pValue(r.p), pValue(r.padj), significance(r, tested), note(r)})
	}
	return t, tested
}

// cmpNull orders values ascending with missing ones last.
func cmpNull(a, b sql.NullFloat64) int {
	switch {
	case a.Valid && b.Valid:
		return cmp.Compare(a.Float64, b.Float64)
	case a.Valid:
		return -1
	case b.Valid:
		return 1
	}
	return 0
}
