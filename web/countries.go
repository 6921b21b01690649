package web

import (
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform"
)

// countrySlice is a (period, cohort) in which a metric has country rows
// with every other disaggregation ALL.
type countrySlice struct{ Metric, Period, Cohort string }

// countrySlices lists, for transform t, every metric's country slices.
func (r *request) countrySlices(t transformKey) ([]countrySlice, error) {
	where := []string{"as_of = ?::DATE", "vintage = ?", "country_code <> 'ALL'"}
	for _, k := range transform.Keys {
		if k != "period" && k != "cohort" && k != "country_code" {
			where = append(where, k+" = 'ALL'")
		}
	}
	rows, err := r.query(`SELECT DISTINCT metric_id, period, cohort FROM metric_values WHERE `+strings.Join(where, " AND ")+` ORDER BY ALL`,
		t.AsOf.Format(time.DateOnly), t.Vintage)
	if err != nil {
		return nil, fmt.Errorf("list the metrics by country: %w", err)
	}
	defer rows.Close()
	var out []countrySlice
	for rows.Next() {
		var s countrySlice
		if err := rows.Scan(&s.Metric, &s.Period, &s.Cohort); err != nil {
			return nil, fmt.Errorf("list the metrics by country: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// defaultPeriod is ALL when offered, else the latest fiscal year, else the
// last in order.
func defaultPeriod(ps []string) string {
	if slices.Contains(ps, "ALL") {
		return "ALL"
	}
	best, bestFY := "", 0
	for _, p := range ps {
		if fy, ok := schemas.ParseFiscalYearPeriod(p); ok && fy > bestFY {
			best, bestFY = p, fy
		}
	}
	if best != "" {
		return best
	}
	return ps[len(ps)-1]
}

// defaultCohort is graduates when offered, else ALL, else the first.
func defaultCohort(cs []string) string {
	for _, c := range []string{"PARTICIPANT", "ALL"} {
		if slices.Contains(cs, c) {
			return c
		}
	}
	return cs[0]
}

// countryInfo is a row of the countries table.
type countryInfo struct{ Code, Name, Region string }

// countryList reads the countries table.
func (r *request) countryList() (map[string]countryInfo, error) {
	rows, err := r.query(`SELECT country_code, coalesce(country_name, country_code), coalesce(region, '') FROM countries`)
	if err != nil {
		return nil, fmt.Errorf("read countries: %w", err)
	}
	defer rows.Close()
	out := map[string]countryInfo{}
	for rows.Next() {
		var c countryInfo
		if err := rows.Scan(&c.Code, &c.Name, &c.Region); err != nil {
			return nil, fmt.Errorf("read countries: %w", err)
		}
		out[c.Code] = c
	}
	return out, rows.Err()
}

// graduateCounts is the number of graduates per country (the graduates
// table of the headline transform).
func (r *request) graduateCounts() (map[string]int64, error) {
	rows, err := r.query(`SELECT country_code, count(*) FROM graduates WHERE country_code IS NOT NULL GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("count graduates by country: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var c string
		var n int64
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("count graduates by country: %w", err)
		}
		out[c] = n
	}
	return out, rows.Err()
}

// metricDoc is the registry's entry of id.
func (s *Server) metricDoc(id string) (reports.MetricDoc, bool) {
	for _, m := range s.opt.Metrics {
		if m.ID == id {
			return m, true
		}
	}
	return reports.MetricDoc{ID: id}, false
}

// countries lists the countries with the chosen metric's value, interval
// and n, and draws them on a world map.
func (s *Server) countries(r *request) (*Page, error) {
	t, err := r.headline()
	if err != nil {
		return nil, err
	}
	slicesOf, err := r.countrySlices(t)
	if err != nil {
		return nil, err
	}
	opts, def := s.countryMetricOptions(slicesOf)
	if len(opts) == 0 {
		return nil, fmt.Errorf("%w: the headline transform (%s) has no metric by country", errNotFound, t)
	}
	def = cmp.Or(def, opts[0].Value)
	metric := r.param("metric", def)
	doc, ok := s.metricDoc(metric)
	if !ok || !slices.ContainsFunc(opts, func(o Option) bool { return o.Value == metric }) {
		return nil, badf("metric=%s: choose one of the metrics by country: %s", metric, optionValues(opts))
	}
	pick := pickCountrySlice(r, slicesOf, metric)
	period, cohort := pick.period, pick.cohort
	rows, err := r.metricRows(t, selection{Metric: metric, Keys: map[string]string{"country_code": "*", "period": period, "cohort": cohort}})
	if err != nil {
		return nil, err
	}
	info, err := r.countryList()
	if err != nil {
		return nil, err
	}
	grads, err := r.graduateCounts()
	if err != nil {
		return nil, err
	}
	byCode := map[string]metricRow{}
	for _, m := range rows {
		byCode[m.Keys["country_code"]] = m
	}
	tbl, cells := countriesTable(r, doc, countryCodes(info, grads, byCode), info, grads, byCode)
	what := fmt.Sprintf("%s, %s, %s", doc.ID, period, cohort)
	svg, unplaced, err := worldMap(cells, doc.Unit, what)
	if err != nil {
		return nil, err
	}
	p := &Page{
		Title: "Countries",
		Lead:  "Each country's value of the chosen metric, with its 95% interval and n, on a map and in a table; a country's code opens its profile. On the map the colour is the value and the circle's area is n, so a small country's number is visibly uncertain.",
		Filters: []*Filter{
			{Name: "metric", Label: "Metric", Value: metric, Options: opts},
			{Name: "period", Label: "Period", Value: period, Options: plainOptions(pick.periods)},
			{Name: "cohort", Label: "Cohort", Value: cohort, Options: plainOptions(pick.cohorts)},
		},
		Charts: []Chart{{Title: "World map: " + doc.Title + " (" + period + ", " + cohort + ")", Table: "countries", SVG: svg}},
		Tables: []*Table{tbl},
		Notes:  append(pick.fellBack, doc.ID+": "+doc.Definition),
	}
	p.Notes = append(p.Notes, s.countriesNotes(r, doc, unplaced)...)
	return p, nil
}

// countryMetricOptions are the metrics with country rows, in the
// registry's order, and the default: the first share among them ("" when
// none is a share).
func (s *Server) countryMetricOptions(slicesOf []countrySlice) ([]Option, string) {
	var opts []Option
	def := ""
	for _, m := range s.opt.Metrics {
		if !slices.ContainsFunc(slicesOf, func(c countrySlice) bool { return c.Metric == m.ID }) {
			continue
		}
		opts = append(opts, Option{m.ID, m.ID + ": " + m.Title})
		if def == "" && m.Unit == "share" {
			def = m.ID
		}
	}
	return opts, def
}

// countryPick is the period and cohort the countries page shows of a
// metric, the periods and cohorts it offers, and what the page says when
// the form asked for one the metric does not have.
type countryPick struct {
	periods, cohorts []string
	period, cohort   string
	fellBack         []string
}

// pickCountrySlice reads ?period= and ?cohort= for metric: a period or
// cohort the metric does not have (the form keeps the last metric's)
// falls back to the metric's default, and says so.
func pickCountrySlice(r *request, slicesOf []countrySlice, metric string) countryPick {
	var c countryPick
	for _, x := range slicesOf {
		if x.Metric == metric && !slices.Contains(c.periods, x.Period) {
			c.periods = append(c.periods, x.Period)
		}
	}
	c.period = r.param("period", defaultPeriod(c.periods))
	if !slices.Contains(c.periods, c.period) {
		c.fellBack = append(c.fellBack, fmt.Sprintf("%s has no country rows for period %s (it has %s): showing %s.", metric, c.period, strings.Join(c.periods, ", "), defaultPeriod(c.periods)))
		c.period = defaultPeriod(c.periods)
	}
	for _, x := range slicesOf {
		if x.Metric == metric && x.Period == c.period && !slices.Contains(c.cohorts, x.Cohort) {
			c.cohorts = append(c.cohorts, x.Cohort)
		}
	}
	c.cohort = r.param("cohort", defaultCohort(c.cohorts))
	if !slices.Contains(c.cohorts, c.cohort) {
		c.fellBack = append(c.fellBack, fmt.Sprintf("%s for %s has no country rows for cohort %s (it has %s): showing %s.", metric, c.period, c.cohort, strings.Join(c.cohorts, ", "), defaultCohort(c.cohorts)))
		c.cohort = defaultCohort(c.cohorts)
	}
	return c
}

// countryCodes are the countries the table lists, in order: each known
// country with a row of the metric or with graduates, and each former
// country (YUG, SCG, ANT) of the FMTR with a row.
func countryCodes(info map[string]countryInfo, grads map[string]int64, byCode map[string]metricRow) []string {
	codes := make([]string, 0, len(info))
	for code := range info {
		if _, has := byCode[code]; has || grads[code] > 0 {
			codes = append(codes, code)
		}
	}
	for code := range byCode {
		if _, known := info[code]; !known {
			codes = append(codes, code) // a former country (YUG, SCG, ANT) of the FMTR
		}
	}
	slices.Sort(codes)
	return codes
}

// countriesTable is the countries table of metric doc, one row per code,
// and the world map's cell of each country with a row of the metric.
func countriesTable(r *request, doc reports.MetricDoc, codes []string, info map[string]countryInfo, grads map[string]int64, byCode map[string]metricRow) (*Table, map[string]mapCell) {
	tbl := &Table{Name: "countries", Caption: "Countries", Sortable: true, Columns: []Column{
		{Name: "country_code", Label: "Code"}, {Name: "country_name", Label: "Country"}, {Name: "region", Label: "Region"},
		{Name: "graduates", Label: "Graduates", Unit: "count", Count: true, Comment: "graduates of the headline transform from the country"},
		{Name: "value", Label: doc.ID, Unit: doc.Unit, Comment: doc.Title},
		{Name: "ci_low", Label: "95% low", Unit: doc.Unit}, {Name: "ci_high", Label: "95% high", Unit: doc.Unit},
		{Name: "n", Label: "n", Unit: "count", Count: true, Comment: "the metric's population in the country"},
		{Name: "note", Label: "Note"},
	}}
	tbl.Links = func(row []any) string { return "/countries/" + text(row[0]) }
	cells := map[string]mapCell{}
	for _, code := range codes {
		c := info[code]
		name := cmp.Or(c.Name, code)
		var g any
		if n := grads[code]; n > 0 {
			g = n
		}
		row := []any{code, name, c.Region, g, nil, nil, nil, nil, ""}
		if m, ok := byCode[code]; ok {
			row[4], row[5], row[6] = nullF(m.Value), nullF(m.Low), nullF(m.High)
			if m.N.Valid {
				row[7] = m.N.Int64
			}
			row[8] = intervalNote(m)
			cell := mapCell{Name: name, Value: math.NaN(), N: m.N.Int64, Withheld: m.Suppressed || !m.Value.Valid}
			if m.Value.Valid {
				cell.Value = m.Value.Float64
			}
			cell.Title = mapTitle(name, doc.Unit, m, r.s.opt.MinCell)
			if cell.Withheld {
				cell.N = 0
			}
			cells[code] = cell
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	return tbl, cells
}

// countriesNotes are the countries page's notes after the metric's
// definition: what it is read beside, that it is an association when it
// compares groups, the public view's withholding, the countries not on
// the map, and the map's sources.
func (s *Server) countriesNotes(r *request, doc reports.MetricDoc, unplaced []string) []string {
	var notes []string
	if doc.ReadBeside != "" {
		beside := doc.ReadBeside
		if b, ok := s.metricDoc(doc.ReadBeside); ok {
			beside += " (" + b.Title + ")"
		}
		notes = append(notes, "Read it beside "+beside+": "+doc.ID+" is only as complete as that is.")
	}
	if doc.Associational {
		notes = append(notes, "This metric compares participants with peers: an association, not the effect of the training.")
	}
	if r.public() {
		notes = append(notes, fmt.Sprintf("Public view: values of fewer than %d people are withheld (hatched on the map, — in the table), as the congressional summary withholds them.", r.s.opt.MinCell))
	}
	if len(unplaced) > 0 {
		notes = append(notes, "Not on the map (too small for its scale, or a former country): "+strings.Join(unplaced, ", ")+"; they are in the table.")
	}
	return append(notes, "Map: Natural Earth (public domain) via world-atlas (ISC licence), Natural Earth projection.")
}

// intervalNote is a row's note, saying so when a value has no interval.
func intervalNote(m metricRow) string {
	if m.Value.Valid && (!m.Low.Valid || !m.High.Valid) && !m.Suppressed {
		return strings.TrimPrefix(m.Note+"; no 95% interval", "; ")
	}
	return m.Note
}

// mapTitle is a country's hover text: value, interval and n.
func mapTitle(name, unit string, m metricRow, k int) string {
	if m.Suppressed {
		return fmt.Sprintf("%s: withheld (fewer than %d)", name, k)
	}
	v := reports.Format(unit, m.Value)
	if iv := reports.FormatInterval(unit, m.Low, m.High); iv != "" {
		v += " (95% " + iv + ")"
	}
	if m.N.Valid {
		v += ", n " + reports.Thousands(m.N.Int64)
	}
	if note := intervalNote(m); note != "" {
		v += "; " + note
	}
	return name + ": " + v
}

func plainOptions(vs []string) []Option {
	out := make([]Option, len(vs))
	for i, v := range vs {
		out[i] = Option{v, v}
	}
	return out
}

// nullF is a nullable number as a cell.
func nullF(v sql.NullFloat64) any {
	if !v.Valid || math.IsNaN(v.Float64) {
		return nil
	}
	return v.Float64
}
