package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/transform"
)

func runExplain(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "explain", "METRIC [--workspace DIR] [--as-of YYYY-MM-DD] [--vintage BATCH] [--period P] [--graduation-cohort G]\n"+
		"  [--cohort C] [--program P] [--region R] [--country ISO3] [--course-category C] [--sex S] [--ecl-band B] [--post-level L]\n"+
		"  [--format table|csv|json|markdown] [--limit N]",
		"Show what made one published number: the metric's definition, its population (the people,\n"+
			"enrollments or events it counts, by pseudonymous id), the number recomputed from them beside\n"+
			"the published one, the source files and batches, and the transform run. Keys not given are\n"+
			"ALL, as in metric_values. By default the latest period end transformed, newest vintage; --as-of and\n"+
			"--vintage pick another. The warehouse is left unchanged. --format csv writes the population\n"+
			"alone, every row, for auditors.")
	wsFlag := workspaceFlag(fs)
	keys := map[string]*string{}
	for _, k := range transform.Keys {
		name := strings.ReplaceAll(k, "_", "-")
		if k == "country_code" {
			name = "country"
		}
		keys[k] = fs.String(name, "ALL", "the "+strings.ReplaceAll(k, "_", " ")+" of the row")
	}
	asOf := fs.String("as-of", "", "D of the transform (default: the latest)")
	vintage := fs.Int64("vintage", 0, "vintage (default: the newest for that D)")
	format := fs.String("format", "table", "table, csv, json or markdown")
	limit := fs.Int("limit", 30, "population rows to show in table format (0: all)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"name one metric, e.g. 'imet explain LEAD_RANK_5Y --cohort PARTICIPANT' (see 'imet metrics list')"}
	}
	if err := oneOf("format", *format, formats...); err != nil {
		return err
	}
	id := strings.ToUpper(pos[0])
	ws, db, closeAll, err := openWriter(ctx, *wsFlag, "explain")
	if err != nil {
		return err
	}
	defer closeAll()
	d, v, err := reports.LatestTransform(ctx, db)
	if err != nil {
		return err
	}
	if *asOf != "" {
		if d, err = parseDate("as-of", *asOf); err != nil {
			return err
		}
		v = *vintage
	} else if *vintage != 0 {
		v = *vintage
	}
	want := map[string]string{}
	for k, p := range keys {
		want[k] = strings.ToUpper(*p)
		if k == "ecl_band" || k == "period" || k == "graduation_cohort" {
			want[k] = *p
			if strings.EqualFold(*p, "all") {
				want[k] = "ALL"
			}
		}
	}
	if m, ok := transform.Lookup(id); ok && m.Timing == transform.PerPeriod && want["period"] == "ALL" {
		return &usageError{fmt.Sprintf("%s is counted per period: add --period, e.g. --period FY%d", id, d.Year())}
	}
	p, err := ws.privacy()
	if err != nil {
		return err
	}
	ex, err := transform.Explain(ctx, db, transform.Options{AsOf: d, Vintage: v, LeadRank: ws.Config.Metrics.LeadRank, PseudonymKey: p.Key}, id, want)
	if err != nil {
		return err
	}
	return printExplanation(e.stdout, ex, *format, *limit)
}

// printExplanation writes the definition, the recomputed and published
// numbers, the population (the first limit rows) and where its records came
// from; csv and json write the population alone, every row.
func printExplanation(w io.Writer, ex *transform.Explanation, format string, limit int) error {
	pop := &table{cols: ex.Columns, rows: ex.Rows}
	if format == "csv" || format == "json" {
		return pop.write(w, format)
	}
	var set []string
	for _, k := range transform.Keys {
		if ex.Keys[k] != "ALL" {
			set = append(set, k+"="+ex.Keys[k])
		}
	}
	fmt.Fprintf(w, "%s: %s\n%s\n\n", ex.Metric.ID, ex.Metric.Title, ex.Metric.Definition)
	fmt.Fprintf(w, "Row:         %s\n", strings.Join(append([]string{"(whole population)"}, set...)[min(1, len(set)):], ", "))
	fmt.Fprintf(w, "Population:  %s\nEvent:       %s\nEstimator:   %s\n", ex.Metric.Population, ex.Metric.Event, ex.Metric.Estimator)
	fmt.Fprintf(w, "As of:       %s, vintage %d (data of batches up to %d), transform run %d\n", ex.AsOf.Format(time.DateOnly), ex.Vintage, ex.Vintage, ex.RunID)
	fmt.Fprintf(w, "Recomputed:  n = %s, events = %s, numerator = %s, denominator = %s\n", num(ex.N), num(ex.Events), num(ex.Numerator), num(ex.Denominator))
	if ex.Published.N.Valid || ex.Published.Value.Valid {
		fmt.Fprintf(w, "Published:   n = %d, events = %s, value = %s\n", ex.Published.N.Int64, nullInt(ex.Published.Events), num(ex.Published.Value))
	} else {
		fmt.Fprintln(w, "Published:   no such row in metric_values for this D and vintage (run 'imet transform' for it)")
	}
	fmt.Fprintf(w, "\nPopulation: %d rows (pseudonymous ids; --format csv writes them all)\n", len(ex.Rows))
	if limit > 0 && len(pop.rows) > limit {
		pop.rows = pop.rows[:limit]
	}
	if err := pop.write(w, format); err != nil {
		return err
	}
	if len(ex.Sources) > 0 {
		src := &table{cols: []string{"dataset", "batch", "file", "rows"}, rows: ex.Sources}
		fmt.Fprintln(w, "\nWhere these people's records came from:")
		return src.write(w, format)
	}
	return nil
}

func num(v sql.NullFloat64) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.Float64, 'f', -1, 64)
}

func nullInt(v sql.NullInt64) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatInt(v.Int64, 10)
}
