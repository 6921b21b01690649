package congress

import (
	"cmp"
	"slices"
)

// penetration lays out the Leadership penetration sheet: for each
// shrunken metric (a MetricDoc with From, LEAD_PENETRATION_SHRUNK), one
// row per country (and the whole population, first) with the raw share of
// From and the shrunken share side by side, as of D. Both rows of a country
// have passed Suppress; when either is suppressed the whole row is
// withheld, since the shrunken share and n give the count back. And when
// any country's row is withheld, so is every shrunken share (PoolWithheld):
// each pools every country, the withheld ones too, and with the pooled
// share and tau² they would let a reader solve for the withheld counts.
func (b *builder) penetration() Table {
	t := Table{Sheet: SheetPenetration, File: "leadership-penetration", Columns: []Column{
		{"metric_id", "Metric", Text},
		{"region", "Region", Text},
		{"country_code", "Country code", Text},
		{"country_name", "Country", Text},
		{"n", "Senior posts in office on D", Integer},
		{"held_by_graduates", "Held by graduates", Integer},
		{"share", "Share held by graduates", Percent},
		{"ci_low", "95% CI low", Percent},
		{"ci_high", "95% CI high", Percent},
		{"shrunken_share", "Shrunken share (small countries pulled to the pool)", Percent},
		{"shrunken_ci_low", "Shrunken 95% CI low", Percent},
		{"shrunken_ci_high", "Shrunken 95% CI high", Percent},
		{"note", "Note", Text},
		{"suppressed", "Suppressed", Bool},
	}}
	for _, d := range b.docs {
		if d.From == "" {
			continue
		}
		pairs := b.penetrationPairs(d.From, d.ID)
		pooled := true
		for _, p := range pairs {
			if p[0].Country != All && (p[0].Suppressed() || p[1] != nil && p[1].Suppressed()) {
				pooled = false
			}
		}
		for _, p := range pairs {
			t.Rows = append(t.Rows, b.penetrationRow(d.From, p[0], p[1], pooled))
		}
	}
	return t
}

// penetrationPairs are the raw and shrunken rows of each place (the whole
// population, then countries by region and code), as of D, whole cohorts.
func (b *builder) penetrationPairs(raw, shrunk string) [][2]*Row {
	byCountry := map[string]*[2]*Row{}
	var order []*Row
	for i := range b.rows {
		r := &b.rows[i]
		if r.Period != All || r.Cohort != All || r.Program != All || r.Category != All || r.ECLBand != All || r.Region != All {
			continue
		}
		side := slices.Index([]string{raw, shrunk}, r.Metric)
		if side < 0 {
			continue
		}
		p := byCountry[r.Country]
		if p == nil {
			p = &[2]*Row{}
			byCountry[r.Country] = p
			order = append(order, r)
		}
		p[side] = r
	}
	slices.SortFunc(order, func(x, y *Row) int { return cmp.Compare(geoSort(x), geoSort(y)) })
	out := make([][2]*Row, 0, len(order))
	for _, r := range order {
		if p := byCountry[r.Country]; p[0] != nil {
			out = append(out, *p)
		}
	}
	return out
}

// PoolWithheld is the note of a row whose shrunken share is withheld
// because another country's row is.
const PoolWithheld = "shrunken share withheld: it pools every country, a suppressed one too, which it could give back"

// penetrationRow is one place's cells; s may be nil (no shrunken row);
// pooled false withholds the shrunken share.
func (b *builder) penetrationRow(metric string, r, s *Row, pooled bool) []any {
	region, name := any(All), any(nil)
	if r.Country != All {
		region, name = orNil(r.CountryRegion), orNil(b.countries[r.Country].name)
	}
	cells := []any{metric, region, r.Country, name}
	withheld := r.Suppressed() || s != nil && s.Suppressed()
	if withheld {
		for range 8 {
			cells = append(cells, Withheld{})
		}
		note := b.note(r)
		if !r.Suppressed() {
			note = b.note(s)
		}
		return append(cells, orNil(note), true)
	}
	held := r.Events
	if !held.Valid && r.Numerator.Valid {
		held.Int64, held.Valid = int64(r.Numerator.Float64), true
	}
	cells = append(cells, integer(r.N), integer(held), float(r.Value), float(r.CILow), float(r.CIHigh))
	note := b.note(r)
	switch {
	case s != nil && !pooled:
		cells = append(cells, Withheld{}, Withheld{}, Withheld{})
		note = joinNotes(note, PoolWithheld)
	case s != nil:
		cells = append(cells, float(s.Value), float(s.CILow), float(s.CIHigh))
		if sn := b.note(s); sn != note {
			note = joinNotes(note, sn)
		}
	default:
		cells = append(cells, nil, nil, nil)
	}
	return append(cells, orNil(note), false)
}
