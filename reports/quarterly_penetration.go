package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// PenetrationRow is one country's LEAD_PENETRATION row of a post level
// (country "ALL": every country together) and, beside it, its
// LEAD_PENETRATION_SHRUNK row (Shrunk.value invalid when there is none).
type PenetrationRow struct {
	Country     string
	N, X        sql.NullInt64 // holdings in office on D, held by graduates
	Raw, Shrunk PenetrationValue
}

// PenetrationValue is a share with its 95% limits and note.
type PenetrationValue struct {
	Value, Low, High sql.NullFloat64
	Note             sql.NullString
}

// AllLevels is the post level of the rows over every level together.
const AllLevels = "ALL"

// Penetration reads the LEAD_PENETRATION rows of (asOf, vintage), period
// ALL, of the post level (AllLevels for every level together) with their
// shrunken twins, countries sorted by code and the all-countries row, if
// any, last. Where metric_values has no post_level column yet, its rows
// are those of every level together and any other level has none.
func Penetration(ctx context.Context, db *sql.DB, asOf time.Time, vintage int64, level string) ([]PenetrationRow, error) {
	var hasLevel bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_columns() WHERE table_name = 'metric_values' AND column_name = 'post_level'`).Scan(&hasLevel); err != nil {
		return nil, fmt.Errorf("read metric_values columns: %w", err)
	}
	if !hasLevel && level != AllLevels {
		return nil, nil
	}
	sameLevel, levelIs := "", ""
	args := []any{asOf.Format(time.DateOnly), vintage}
	if hasLevel {
		sameLevel, levelIs = " AND s.post_level = r.post_level", " AND r.post_level = ?"
		args = append(args, level)
	}
	var rAll, sAll []string
	for _, k := range []string{"graduation_cohort", "cohort", "program", "region", "course_category", "sex", "ecl_band"} {
		rAll, sAll = append(rAll, "r."+k+" = 'ALL'"), append(sAll, "s."+k+" = 'ALL'")
	}
	q := `SELECT r.country_code, r.n, coalesce(r.events, r.numerator::BIGINT), r.value, r.ci_low, r.ci_high, r.note,
		       s.value, s.ci_low, s.ci_high, s.note
		FROM metric_values r
		LEFT JOIN metric_values s ON s.metric_id = 'LEAD_PENETRATION_SHRUNK' AND s.as_of = r.as_of AND s.vintage = r.vintage
		     AND s.period = r.period AND s.country_code = r.country_code AND ` + strings.Join(sAll, " AND ") + sameLevel + `
		WHERE r.metric_id = 'LEAD_PENETRATION' AND r.as_of = ? AND r.vintage = ? AND r.period = 'ALL' AND ` + strings.Join(rAll, " AND ") + levelIs + `
		ORDER BY r.country_code = 'ALL', r.country_code`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read LEAD_PENETRATION: %w", err)
	}
	defer rows.Close()
	var out []PenetrationRow
	for rows.Next() {
		var r PenetrationRow
		if err := rows.Scan(&r.Country, &r.N, &r.X, &r.Raw.Value, &r.Raw.Low, &r.Raw.High, &r.Raw.Note,
			&r.Shrunk.Value, &r.Shrunk.Low, &r.Shrunk.High, &r.Shrunk.Note); err != nil {
			return nil, fmt.Errorf("read LEAD_PENETRATION: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// penetrationBlocks are the leadership section's blocks on the share of
// each country's senior posts held by graduates: the funnel plot, the
// table of raw and shrunken shares beside the traditional count, or, when
// no post_holders data were loaded, one sentence saying how to load them.
func (q *quarterly) penetrationBlocks(ctx context.Context, db *sql.DB) ([]Block, error) {
	rows, err := Penetration(ctx, db, q.opt.AsOf, q.opt.Vintage, AllLevels)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return []Block{{Text: "Senior posts held by graduates (LEAD_PENETRATION): no post_holders data were loaded, so there is no share of each country's chiefs of defence, service chiefs, ministers and general officers who trained with us. Put a post_holders file (docs/schema.md) into inbox/post_holders/ and run 'imet ingest' and 'imet transform'; the next report shows it."}}, nil
	}
	names, err := countryNames(ctx, db)
	if err != nil {
		return nil, err
	}
	label := func(c string) string {
		if n, ok := names[c]; ok && n != c {
			return n + " (" + c + ")"
		}
		return c
	}
	blocks := []Block{{Text: "Of the people in each country's senior posts on D (chiefs of defence, service chiefs, ministers and general officers, from a source independent of the training records), the share who are graduates whose training came before the post. " +
		"The funnel plot draws each country's share against its number of posts: the line is the share of all countries together, the curves the exact binomial 95% and 99.8% limits around it. " +
		"A country inside the limits differs from the others by no more than chance makes a country with that few posts differ; the plot is not a ranking. " +
		"(The limits are the 0.1%, 2.5%, 97.5% and 99.9% quantiles of a binomial count of n posts at the share of all countries, divided by n and interpolated between whole counts (Spiegelhalter 2005) so the curves are smooth; a country counts as outside only when its count lies beyond the quantile itself.)"}}
	if c := penetrationFunnel(rows, label); c != nil {
		blocks = append(blocks, Block{Chart: c})
	}
	blocks = append(blocks,
		Block{Text: "Beside each raw share (Wilson 95% interval), the shrunken share (LEAD_PENETRATION_SHRUNK): the share pulled towards that of all countries, the more the fewer the posts (DerSimonian-Laird random effects, exactly metafor's), so a country with three posts none held by a graduate does not read as 0%. The last column is the traditional count of prominent alumni (ALUMNI_PROMINENT), kept for continuity: it has no denominator."},
		Block{Table: q.penetrationTable(rows, label)})
	return blocks, nil
}

// penetrationFunnel is the funnel plot of the country rows (nil without a
// country with posts): P0 is the share of all of them together.
func penetrationFunnel(rows []PenetrationRow, label func(string) string) *Chart {
	s := Series{Name: "country"}
	var x, n int64
	for _, r := range rows {
		if r.Country == "ALL" || !r.N.Valid || r.N.Int64 <= 0 || !r.X.Valid {
			continue
		}
		s.Points = append(s.Points, Point{X: float64(r.N.Int64), Y: float64(r.X.Int64) / float64(r.N.Int64)})
		s.Labels = append(s.Labels, r.Country)
		x, n = x+r.X.Int64, n+r.N.Int64
	}
	if len(s.Points) == 0 {
		return nil
	}
	xmax := 0.0
	for _, p := range s.Points {
		xmax = math.Max(xmax, p.X)
	}
	c := &Chart{Title: "Senior posts held by graduates, by country", XLabel: "senior posts in office on D", YLabel: "share held by graduates",
		XMax: xmax*1.04 + 1, YMax: 1, Funnel: true, P0: float64(x) / float64(n), P0Name: "all countries", Series: []Series{s}}
	desc := fmt.Sprintf("Each dot is a country: the share of its senior posts held by graduates against its number of posts in office on D (%d countries). The solid line is the share of all of them together, %s of %s posts; the dashed curves are the exact binomial 95%% limits around it, the dotted ones the 99.8%% limits; a country outside the 95%% limits is named beside its dot.",
		len(s.Points), format("share", sql.NullFloat64{Float64: c.P0, Valid: true}), thousands(n))
	if out := c.FunnelOutliers(1, label); out != "" {
		desc += " Outside the 99.8% limits (the chance of a count as far from the line below 0.1% on either side): " + out + "."
	} else {
		desc += " No country lies outside the 99.8% limits."
	}
	c.Desc = desc
	return c
}

// penetrationTable lists the countries by name, then all countries
// together.
func (q *quarterly) penetrationTable(rows []PenetrationRow, label func(string) string) *Table {
	t := &Table{Caption: "Senior posts held by graduates by country, raw and shrunken, beside the traditional count",
		Columns: []string{"Country", "Posts in office on D", "Held by graduates", "Share", "95% interval", "Shrunken share", "95% interval", "Prominent alumni (traditional count)", "Note"},
		Numeric: []bool{false, true, true, true, true, true, true, true, false}}
	var countries []PenetrationRow
	var total *PenetrationRow
	for i, r := range rows {
		if r.Country == "ALL" {
			total = &rows[i]
			continue
		}
		countries = append(countries, r)
	}
	sort.SliceStable(countries, func(i, j int) bool { return label(countries[i].Country) < label(countries[j].Country) })
	line := func(name, dim, value string, r PenetrationRow) []string {
		raw := mv{n: r.N, value: r.Raw.Value, low: r.Raw.Low, high: r.Raw.High}
		sh := mv{n: r.N, value: r.Shrunk.Value, low: r.Shrunk.Low, high: r.Shrunk.High}
		ap, _ := q.get(q.opt.AsOf, "ALUMNI_PROMINENT", "ALL", "PARTICIPANT", dim, value)
		notes := r.Raw.Note.String
		if r.Shrunk.Note.Valid && r.Shrunk.Note.String != r.Raw.Note.String {
			notes = strings.TrimPrefix(notes+"; "+r.Shrunk.Note.String, "; ")
		}
		return []string{name, count(r.N), count(r.X), format("share", raw.value), ci("share", raw), format("share", sh.value), interval("share", sh), format("count", ap.value), notes}
	}
	for _, r := range countries {
		t.Rows = append(t.Rows, line(label(r.Country), "country", r.Country, r))
	}
	if total != nil {
		t.Rows = append(t.Rows, line("All countries", "", "", *total))
	}
	return t
}

// countryNames maps the reference countries' codes to their names.
func countryNames(ctx context.Context, db *sql.DB) (map[string]string, error) {
	names := map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT country_code, coalesce(country_name, country_code) FROM countries`)
	if err != nil {
		return nil, fmt.Errorf("read the country names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("read the country names: %w", err)
		}
		names[c] = n
	}
	return names, rows.Err()
}
