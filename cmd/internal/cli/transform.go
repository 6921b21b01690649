package cli

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/imet-project/imet/transform"
)

func runTransform(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "transform", "[--workspace DIR] [--as-of YYYY-MM-DD] [--vintage BATCH] [--full]",
		"Rebuild the models (graduates, comparison members, follow-up, outcomes) for a period end D\n"+
			"and compute every metric of the registry ('imet metrics list') into metric_values, for\n"+
			"every disaggregation. Events after D are ignored. --vintage reproduces the numbers from the\n"+
			"data of batches up to BATCH (default: everything loaded). The model tables left behind are\n"+
			"always the headline's (the latest D transformed, its newest vintage): after an earlier D or\n"+
			"vintage they are rebuilt for it. After an earlier D of the same fiscal year, only the rows of\n"+
			"the people the new batches or the later D touch are rebuilt (the numbers are the same);\n"+
			"--full rebuilds every model from all the data. One transaction: an interrupted transform\n"+
			"leaves the previous results as they were.")
	wsFlag := workspaceFlag(fs)
	asOf := fs.String("as-of", "", "period end D, YYYY-MM-DD (default: today)")
	vintage := fs.Int64("vintage", 0, "use the data of batches up to this one (default: all)")
	full := fs.Bool("full", false, "rebuild every model from all the data, not only the rows the new batches touch")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	d, err := parseDate("as-of", *asOf)
	if err != nil {
		return err
	}
	ws, db, closeAll, err := openWriter(ctx, *wsFlag, "transform")
	if err != nil {
		return err
	}
	defer closeAll()
	opt := ws.transformOptions(e, d, *vintage)
	opt.Full = *full
	res, err := transformOn(ctx, db, opt)
	if err != nil {
		return err
	}
	printTransform(e, res)
	return nil
}

// transformOn runs one transform and checkpoints the warehouse.
func transformOn(ctx context.Context, db *sql.DB, opt transform.Options) (transform.Result, error) {
	res, err := transform.Run(ctx, db, opt)
	if err != nil {
		return res, err
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return res, fmt.Errorf("checkpoint: %w", err)
	}
	return res, nil
}

// transformOptions are a transform's options under the workspace's settings.
func (ws *workspace) transformOptions(e *env, d time.Time, vintage int64) transform.Options {
	return transform.Options{AsOf: d, Vintage: vintage, Logger: e.logger,
		LeadRank: ws.Config.Metrics.LeadRank, SmallN: ws.Config.Metrics.SmallN}
}

func printTransform(e *env, res transform.Result) {
	var secs float64
	for _, s := range res.Steps {
		secs += s.Seconds
	}
	fmt.Fprintf(e.stdout, "Transform run %d: as of %s, vintage %d (data of batches up to %d): %d metric rows in %.1f s.\n",
		res.RunID, res.AsOf.Format(time.DateOnly), res.Vintage, res.Vintage, res.MetricRows, secs)
	fmt.Fprintf(e.stdout, "Models %s.\n", res.Models)
	fmt.Fprintln(e.stdout, "See them with 'imet export metrics' or 'imet sql \"FROM metric_values\"'.")
}

// parseDate reads a YYYY-MM-DD flag; empty means today (UTC).
func parseDate(flagName, v string) (time.Time, error) {
	if v == "" {
		y, m, d := time.Now().UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1900 || t.Year() > 2199 {
		return time.Time{}, &usageError{fmt.Sprintf("--%s %q: use a date as YYYY-MM-DD", flagName, v)}
	}
	return t, nil
}
