package web

import (
	"cmp"
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/imet-project/imet/reports"
)

// country is one country's profile: its FMTR dollars and trainees by
// year, its graduates by cohort, its metrics beside its region's, and how
// far its data can be trusted.
func (s *Server) country(r *request) (*Page, error) {
	code := strings.ToUpper(r.PathValue("iso3"))
	t, err := r.headline()
	if err != nil {
		return nil, err
	}
	var name, region, command string
	err = r.queryRow(`SELECT coalesce(country_name, country_code), coalesce(region, ''), coalesce(combatant_command, '') FROM countries WHERE country_code = ?`, code).Scan(&name, &region, &command)
	if err == sql.ErrNoRows {
		// a former country (YUG, SCG, ANT) is only in the FMTR
		err = r.queryRow(`SELECT any_value(coalesce(country_name, country_code)), coalesce(any_value(region), '') FROM fmtr_trends WHERE country_code = ? HAVING count(*) > 0`, code).Scan(&name, &region)
		if err == sql.ErrNoRows {
			return nil, fmt.Errorf("%w: no country %q in the snapshot: give its ISO 3166-1 alpha-3 code (KEN, not KE or Kenya); /countries lists every country with data", errNotFound, code)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read country %s: %w", code, err)
	}
	p := &Page{Title: name + " (" + code + ")"}
	lead := []string{}
	if region != "" {
		lead = append(lead, "Region "+region)
	}
	if command != "" {
		lead = append(lead, "combatant command "+command)
	}
	p.Lead = strings.Join(lead, ", ") + ". Its Foreign Military Training Report history, its IMET graduates, its outcome metrics beside its region's, and how complete its data are."
	if err := r.countryFMTR(p, code); err != nil {
		return nil, err
	}
	if err := r.countryGraduates(p, code); err != nil {
		return nil, err
	}
	if err := s.countryMetrics(r, p, t, code, region); err != nil {
		return nil, err
	}
	if err := r.countryQuarantine(p, code); err != nil {
		return nil, err
	}
	if r.public() {
		p.Notes = append(p.Notes, fmt.Sprintf("Public view: counts from 1 to %d and metric values of fewer than %d people are withheld (—).", r.s.opt.MinCell-1, r.s.opt.MinCell))
	}
	return p, nil
}

// countryFMTR adds the country's FMTR by year (a table and a chart of the
// dollars) and by year and program.
func (r *request) countryFMTR(p *Page, code string) error {
	years, err := r.table("fmtr", "Foreign Military Training Report, by fiscal year", []Column{
		{Name: "fiscal_year", Label: "Fiscal year"},
		{Name: "dollars", Label: "Dollars", Unit: "dollars", Comment: "summed cost of the activities, all programs"},
		{Name: "sessions", Label: "Trainees (training sessions)", Unit: "count", Count: true, Comment: "the report counts a person once per activity: not a count of people"},
		{Name: "activities", Label: "Activities", Unit: "count", Count: true},
		{Name: "reconciled_share", Label: "Dollars reconciled", Unit: "share", Comment: "share of the dollars whose activities reproduce the report's printed totals"},
	}, `SELECT fiscal_year, sum(dollars)::DOUBLE, sum(sessions)::BIGINT, sum(activities)::BIGINT,
		CASE WHEN sum(dollars) > 0 THEN (sum(reconciled_dollars) / sum(dollars))::DOUBLE END
		FROM fmtr_trends WHERE country_code = ? GROUP BY fiscal_year ORDER BY fiscal_year`, code)
	if err != nil {
		return fmt.Errorf("read fmtr_trends of %s: %w", code, err)
	}
	progs, err := r.table("fmtr_programs", "Foreign Military Training Report, by fiscal year and program", []Column{
		{Name: "fiscal_year", Label: "Fiscal year"}, {Name: "program", Label: "Program"},
		{Name: "dollars", Label: "Dollars", Unit: "dollars"},
		{Name: "sessions", Label: "Trainees (training sessions)", Unit: "count", Count: true},
		{Name: "activities", Label: "Activities", Unit: "count", Count: true},
		{Name: "reconciliation", Label: "Reconciliation"},
	}, `SELECT fiscal_year, program, dollars::DOUBLE, sessions::BIGINT, activities, reconciliation
		FROM fmtr_trends WHERE country_code = ? ORDER BY fiscal_year, dollars DESC, program`, code)
	if err != nil {
		return fmt.Errorf("read fmtr_trends of %s: %w", code, err)
	}
	progs.Sortable = true
	p.Tables = append(p.Tables, years, progs)
	if len(years.Rows) == 0 {
		p.Notes = append(p.Notes, "No Foreign Military Training Report rows for this country in the loaded report years.")
		return nil
	}
	c := &reports.Chart{XLabel: "fiscal year of the report", YLabel: "U.S. dollars", Lines: true, YUnit: "dollars"}
	ser := reports.Series{Name: "all programs", Color: "#1f5fa8"}
	var words []string
	for _, row := range years.Rows {
		fy, dollars := mustNumber(row[0]), mustNumber(row[1])
		ser.Points = append(ser.Points, reports.Point{X: fy, Y: dollars})
		ser.Marks = append(ser.Marks, reports.Mark{X: fy, Y: dollars, Title: fmt.Sprintf("FY%.0f: %s", fy, reports.Format("dollars", sql.NullFloat64{Float64: dollars, Valid: true}))})
		c.YMax = math.Max(c.YMax, dollars)
		words = append(words, fmt.Sprintf("FY%.0f %s", fy, reports.Format("dollars", sql.NullFloat64{Float64: dollars, Valid: true})))
	}
	c.XMin, c.XMax = ser.Points[0].X, ser.Points[len(ser.Points)-1].X
	c.YMax = reports.NiceMax(c.YMax)
	c.Series = []reports.Series{ser}
	c.Desc = "Foreign Military Training Report dollars of " + code + " by loaded report year: " + strings.Join(words, ", ") + "."
	p.Charts = append(p.Charts, Chart{Title: "Training dollars by fiscal year (Foreign Military Training Report)", Table: "fmtr", Draw: func() template.HTML { return template.HTML(reports.ChartSVG(c, "fmtr")) }})
	p.Notes = append(p.Notes, "Dollars and trainees: Foreign Military Training Report, Security Force Monitor (MIT licence), only the report years loaded; the report counts training sessions, not people. Years between loaded ones are not data: a dotted line joins the years either side.")
	return nil
}

// countryGraduates adds the graduates by graduation cohort.
func (r *request) countryGraduates(p *Page, code string) error {
	t, err := r.table("graduates", "IMET graduates by graduation cohort (fiscal year of the index date)", []Column{
		{Name: "graduation_cohort", Label: "Graduation cohort"},
		{Name: "graduates", Label: "Graduates", Unit: "count", Count: true},
		{Name: "with_followup", Label: "With follow-up", Unit: "count", Count: true, Comment: "follow-up goes past the index date (in the time-to-event metrics)"},
	}, `SELECT graduation_cohort, count(*), count(*) FILTER (WHERE has_followup) FROM graduates WHERE country_code = ? GROUP BY 1 ORDER BY 1`, code)
	if err != nil {
		return fmt.Errorf("read graduates of %s: %w", code, err)
	}
	p.Tables = append(p.Tables, t)
	if len(t.Rows) == 0 {
		p.Notes = append(p.Notes, "No IMET graduates of this country in the snapshot.")
	}
	return nil
}

// countryMetrics adds the country's metric rows beside its region's, one
// table per unit (a column holds one unit), and the coverage metrics (what
// the registry says each metric is read beside).
func (s *Server) countryMetrics(r *request, p *Page, t transformKey, code, region string) error {
	mine, err := r.metricRows(t, selection{Keys: map[string]string{"country_code": code}, Any: []string{"period", "cohort"}})
	if err != nil {
		return err
	}
	var theirs []metricRow
	if region != "" {
		if theirs, err = r.metricRows(t, selection{Keys: map[string]string{"region": region}, Any: []string{"period", "cohort"}}); err != nil {
			return err
		}
	}
	covTable, tables, units := s.countryMetricTables(mine, theirs, code, region)
	if covTable != nil {
		p.Tables = append(p.Tables, covTable)
	} else {
		p.Notes = append(p.Notes, "No coverage metric for this country in the headline transform.")
	}
	for _, u := range units {
		p.Tables = append(p.Tables, tables[u])
	}
	if len(units) == 0 {
		p.Notes = append(p.Notes, "No metric has a row for this country in the headline transform ("+t.String()+").")
	}
	p.Notes = append(p.Notes, "Metrics: the headline transform ("+t.String()+"), each metric's whole-period row (ALL) or else its latest fiscal year, beside the same row of the region. Definitions: Methodology.")
	return nil
}

// countryMetricTables sort the country's rows mine, each beside the same
// row of its region's rows theirs, into tables: each metric's one period
// (ALL, else the latest fiscal year), the coverage metrics in one table
// (nil when none), the others in one table per unit, keyed by unit, with
// the units in the registry's order of their first metric.
func (s *Server) countryMetricTables(mine, theirs []metricRow, code, region string) (*Table, map[string]*Table, []string) {
	type key struct{ metric, period, cohort string }
	regionRow := map[key]metricRow{}
	for _, m := range theirs {
		regionRow[key{m.Metric, m.Keys["period"], m.Keys["cohort"]}] = m
	}
	// one period per metric: ALL, else the latest fiscal year
	periods := map[string][]string{}
	for _, m := range mine {
		if !slices.Contains(periods[m.Metric], m.Keys["period"]) {
			periods[m.Metric] = append(periods[m.Metric], m.Keys["period"])
		}
	}
	coverage := map[string]bool{}
	for _, d := range s.opt.Metrics {
		if d.ReadBeside != "" {
			coverage[d.ReadBeside] = true
		}
	}
	tables := map[string]*Table{}
	var units []string
	var covTable *Table
	for _, d := range s.opt.Metrics {
		ps := periods[d.ID]
		if len(ps) == 0 {
			continue
		}
		period := defaultPeriod(ps)
		for _, m := range mine {
			if m.Metric != d.ID || m.Keys["period"] != period {
				continue
			}
			var tb *Table
			switch {
			case coverage[d.ID]:
				if covTable == nil {
					covTable = countryMetricTable("coverage", "Coverage: how much of the population can still be followed", d.Unit, code, region)
				}
				tb = covTable
			default:
				if tables[d.Unit] == nil {
					tables[d.Unit] = countryMetricTable("metrics_"+cmp.Or(d.Unit, "other"), "Metrics in "+cmp.Or(unitLabel(d), d.Unit)+", beside the region", d.Unit, code, region)
					units = append(units, d.Unit)
				}
				tb = tables[d.Unit]
			}
			row := []any{d.ID, d.Title, period, m.Keys["cohort"], nullF(m.Value), nullF(m.Low), nullF(m.High), nullInt(m.N), nil, nil, nil, nil, intervalNote(m)}
			if g, ok := regionRow[key{d.ID, period, m.Keys["cohort"]}]; ok {
				row[8], row[9], row[10], row[11] = nullF(g.Value), nullF(g.Low), nullF(g.High), nullInt(g.N)
			}
			tb.Rows = append(tb.Rows, row)
		}
	}
	return covTable, tables, units
}

// countryMetricTable is an empty table of the country's metric rows in
// unit beside its region's, each metric linking to its methodology.
func countryMetricTable(name, caption, unit, code, region string) *Table {
	return &Table{Name: name, Caption: caption, Columns: []Column{
		{Name: "metric_id", Label: "Metric"}, {Name: "title", Label: "Title"},
		{Name: "period", Label: "Period"}, {Name: "cohort", Label: "Cohort"},
		{Name: "value", Label: code, Unit: unit}, {Name: "ci_low", Label: "95% low", Unit: unit}, {Name: "ci_high", Label: "95% high", Unit: unit},
		{Name: "n", Label: "n", Unit: "count", Count: true},
		{Name: "region_value", Label: cmp.Or(region, "region"), Unit: unit}, {Name: "region_ci_low", Label: "95% low", Unit: unit}, {Name: "region_ci_high", Label: "95% high", Unit: unit},
		{Name: "region_n", Label: "region n", Unit: "count", Count: true},
		{Name: "note", Label: "Note"},
	}, Links: func(row []any) string { return "/methodology?filter=" + text(row[0]) }}
}

// countryQuarantine adds the open quarantine rows the snapshot can tie to
// the country: those whose fault is the country code itself, and rows of
// the countries dataset keyed by it.
func (r *request) countryQuarantine(p *Page, code string) error {
	t, err := r.table("quarantine", "Open quarantine rows naming this country", []Column{
		{Name: "dataset", Label: "Dataset"}, {Name: "rule", Label: "Rule"}, {Name: "column_name", Label: "Column"},
		{Name: "rows", Label: "Rows", Unit: "count", Count: true}, {Name: "reason", Label: "What to do"},
	}, `SELECT dataset, rule, column_name, count(*), any_value(reason) FROM quarantine
		WHERE resolved_by IS NULL AND ((column_name = 'country_code' AND upper(value) = ?) OR (dataset = 'countries' AND upper(record_key) = ?))
		GROUP BY ALL ORDER BY ALL`, code, code)
	if err != nil {
		return fmt.Errorf("read quarantine of %s: %w", code, err)
	}
	p.Tables = append(p.Tables, t)
	p.Notes = append(p.Notes, "Quarantine: only rows whose fault is the country code (or a countries row keyed by it) can be tied to a country; other rows set aside, and the linking of records, are counted for the whole program on the Data quality page.")
	return nil
}

func nullInt(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}
