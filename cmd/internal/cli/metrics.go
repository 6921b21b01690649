package cli

import (
	"context"
	"strings"

	"github.com/imet-project/imet/transform"
)

func runMetrics(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "metrics", "list [--workspace DIR] [--format table|csv|json|markdown] [--detail]",
		"Print the metric registry: every metric imet computes, with its definition, population,\n"+
			"event, estimator and disaggregations. The same registry drives the computation and the\n"+
			"methodology of every report. With --workspace, that workspace's imet.toml is checked too.")
	wsFlag := workspaceFlag(fs)
	format := fs.String("format", "table", "table, csv, json or markdown")
	detail := fs.Bool("detail", false, "add population, event, disaggregations and caveats")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "list" {
		return &usageError{"say 'imet metrics list'"}
	}
	if err := oneOf("format", *format, formats...); err != nil {
		return err
	}
	if _, err := openWorkspace(*wsFlag); err != nil {
		return err
	}
	t := &table{cols: []string{"id", "title", "estimator", "timing", "definition"}}
	if *detail {
		t.cols = append(t.cols, "population", "event", "disaggregations", "caveats")
	}
	for _, m := range transform.Registry {
		r := []any{m.ID, m.Title, string(m.Estimator), m.Timing, m.Definition}
		if *detail {
			r = append(r, m.Population, m.Event, strings.Join(m.By, ", "), strings.Join(m.Caveats, " "))
		}
		t.rows = append(t.rows, r)
	}
	return t.write(e.stdout, *format)
}
