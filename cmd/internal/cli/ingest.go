package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/imet-project/imet/ingest"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "ingest", "[--workspace DIR] [--dataset NAME] [--force] [FILES…]",
		"Load the files waiting in the workspace inbox (inbox/<dataset>/…), or the given files,\n"+
			"into the warehouse. Each file loads in one transaction; bad rows go to quarantine with a\n"+
			"reason; a file that cannot be read at all moves to rejected/ with a .reason file.\n"+
			"Loaded inbox files move to archive/. Exits 1 when any file was rejected.")
	wsFlag := workspaceFlag(fs)
	dataset := fs.String("dataset", "", "the dataset of the given files (default: the name of the folder each file is in)")
	force := fs.Bool("force", false, "load files again although the ledger knows their bytes (after fixing imet.toml); the reload is recorded in the batch")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return fmt.Errorf("%s is not a workspace (no imet.toml, no warehouse.duckdb): create one with 'imet init %s', or pass --workspace", ws.Root, ws.Root)
	}
	// Given paths are checked before waiting for the lock (a mistake is a
	// usage error that creates nothing); the inbox is read once the lock is
	// held, since the writer we waited for may have loaded its files.
	items, err := ingestItems(ws, pos, *dataset)
	if err != nil {
		return err
	}
	lock, err := ws.lock(ctx, "ingest")
	if err != nil {
		return err
	}
	defer lock.Release()
	defer ws.protectAtEnd(ctx, "ingest")() // the archived and rejected files
	if err := ws.create(ctx); err != nil {
		return err
	}
	if len(pos) == 0 {
		if items, err = ingest.Discover(ws.Inbox); err != nil {
			return err
		}
	}
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	l := ws.loader(db, e)
	l.Force = *force
	results, err := loadWithProgress(ctx, e, ws, l, items)
	if err != nil {
		if len(results) > 0 {
			printSummary(e.stdout, results)
		}
		return err
	}
	printSummary(e.stdout, results)
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	link, err := ingest.LinkStatus(ctx, db)
	if err != nil {
		return err
	}
	printLinks(e.stdout, link)
	rejected := 0
	for _, r := range results {
		if r.Status == ingest.StatusRejected {
			rejected++
		}
	}
	if rejected > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d file%s rejected: see the reasons above (and in %s)", rejected, plural(rejected), ws.Rejected)}
	}
	return nil
}

// ingestItems is what to load: the given files, or the inbox.
func ingestItems(ws *workspace, files []string, dataset string) ([]ingest.Item, error) {
	if len(files) == 0 {
		if dataset != "" {
			return nil, &usageError{"--dataset names the dataset of given files; the inbox's folders name their own"}
		}
		return nil, nil // the inbox, read under the lock
	}
	var items []ingest.Item
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("%s: no such file (give the path of a file to load, or no path to load the inbox)", f)}
		}
		if fi.IsDir() {
			return nil, &usageError{fmt.Sprintf("%s is a folder: give the files in it, or drop them in inbox/<dataset>/ and run imet ingest without paths", f)}
		}
		ds := dataset
		if ds == "" {
			ds = filepath.Base(filepath.Dir(f))
		}
		items = append(items, ingest.Item{Path: f, Dataset: ingest.DatasetOf(ds)})
	}
	ingest.SortItems(items)
	return items, nil
}

// loadWithProgress loads the items, showing on a terminal which file and
// step is under way: a large file takes seconds per step.
func loadWithProgress(ctx context.Context, e *env, ws *workspace, l *ingest.Loader, items []ingest.Item) ([]ingest.Result, error) {
	if isTerminal(e.stderr) && len(items) > 0 {
		bar := progressbar.NewOptions(len(items), progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(20))
		l.Step = func(file, step string) { bar.Describe(file + ": " + step) }
		defer bar.Finish()
		return l.LoadAll(ctx, items, ws.Inbox, ws.Archive, ws.Rejected, func(ingest.Result) { bar.Add(1) })
	}
	return l.LoadAll(ctx, items, ws.Inbox, ws.Archive, ws.Rejected, nil)
}

func printSummary(w io.Writer, results []ingest.Result) {
	if len(results) == 0 {
		fmt.Fprintln(w, "Nothing to load: the inbox is empty.")
		return
	}
	t := &table{cols: []string{"file", "dataset", "status", "batch", "lines", "rows", "loaded", "replaced", "unchanged", "quarantined"}}
	var notes []string
	for _, r := range results {
		// lines: blank for a file refused, or one with an accounting of its
		// own (the FMTR's, in fmtr_reports).
		var lines any = ""
		if r.Lines > 0 {
			lines = r.Lines
		}
		t.rows = append(t.rows, []any{filepath.Base(r.File), r.Dataset, r.Status, r.BatchID, lines, r.Rows, r.Loaded, r.Replaced, r.Unchanged, r.Quarantined})
		if r.Reason != "" {
			notes = append(notes, "rejected: "+r.Reason)
		}
		if r.Accounting != "" {
			notes = append(notes, "lines: "+filepath.Base(r.File)+": "+r.Accounting)
		}
		for _, wn := range r.Warnings {
			notes = append(notes, "warning: "+filepath.Base(r.File)+": "+wn)
		}
	}
	t.writeAligned(w)
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	var q int64
	for _, r := range results {
		q += r.Quarantined
	}
	if q > 0 {
		fmt.Fprintf(w, "%d bad row%s quarantined: see them with 'imet quarantine'.\n", q, plural(int(q)))
	}
}

func printLinks(w io.Writer, l *ingest.LinkResult) {
	if l == nil {
		return
	}
	var parts []string
	for _, m := range []string{"id", "exact_name", "fuzzy"} {
		parts = append(parts, fmt.Sprintf("%d by %s", l.ByMethod[m], m))
	}
	fmt.Fprintf(w, "Linked career events, flags and post holdings: %s; waiting in link_review: %d ambiguous, %d unmatched.\n",
		strings.Join(parts, ", "), l.Ambiguous, l.Unmatched)
}
