package web

import "github.com/imet-project/imet/reports"

// methodology lists every metric's definition from the registry.
func (s *Server) methodology(r *request) (*Page, error) {
	t := &Table{Name: "metrics", Sortable: true, Columns: []Column{
		{Name: "metric_id", Label: "Metric"}, {Name: "title", Label: "Title"},
		{Name: "definition", Label: "Definition"}, {Name: "population", Label: "Population"},
		{Name: "event", Label: "Event"}, {Name: "estimator", Label: "Estimator"},
		{Name: "unit", Label: "Unit"}, {Name: "read_beside", Label: "Read beside"},
		{Name: "associational", Label: "Associational"}, {Name: "caveats", Label: "Caveats"},
	}}
	t.Links = func(row []any) string { return "/explore?metric=" + text(row[0]) }
	for _, m := range s.opt.Metrics {
		t.Rows = append(t.Rows, []any{m.ID, m.Title, m.Definition, m.Population, m.Event, m.Estimator,
			unitLabel(m), m.ReadBeside, m.Associational, joinCaveats(m.Caveats)})
	}
	return &Page{
		Title:  "Methodology",
		Lead:   "Every metric imet publishes, as the registry defines it: who is counted, what event, which estimator. A metric's link opens it in Explore.",
		Tables: []*Table{t},
	}, nil
}

func unitLabel(m reports.MetricDoc) string {
	if m.UnitLabel != "" {
		return m.UnitLabel
	}
	return m.Unit
}

func joinCaveats(cs []string) string {
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += " "
		}
		out += c
	}
	return out
}
