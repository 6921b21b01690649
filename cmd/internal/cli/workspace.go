package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// workspace is the folder layout of product.md.
type workspace struct {
	Root, Inbox, Archive, Rejected, Warehouse, Published, Reports, ConfigFile string
	Snapshot                                                                  string // published/imet.duckdb
	History                                                                   schedule.History
	Config                                                                    config
}

func layout(root string) *workspace {
	return &workspace{
		Root:       root,
		Inbox:      filepath.Join(root, "inbox"),
		Archive:    filepath.Join(root, "archive"),
		Rejected:   filepath.Join(root, "rejected"),
		Warehouse:  filepath.Join(root, "warehouse.duckdb"),
		Published:  filepath.Join(root, "published"),
		Reports:    filepath.Join(root, "reports"),
		Snapshot:   filepath.Join(root, "published", "imet.duckdb"),
		History:    schedule.History{Path: filepath.Join(root, "runs.jsonl")},
		ConfigFile: filepath.Join(root, "imet.toml"),
		Config:     defaultConfig(),
	}
}

// workspaceFlag adds --workspace to a command.
func workspaceFlag(fs *flag.FlagSet) *string {
	return fs.String("workspace", "", "the workspace folder `DIR` (default $IMET_WORKSPACE, else the current folder)")
}

func workspaceRoot(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("IMET_WORKSPACE"); v != "" {
		return v
	}
	return "."
}

// openWorkspace reads imet.toml (when there is one) of the workspace.
func openWorkspace(flagValue string) (*workspace, error) {
	ws := layout(workspaceRoot(flagValue))
	if err := ws.readConfig(); err != nil {
		return nil, err
	}
	return ws, nil
}

// config is imet.toml.
type config struct {
	Ingest struct {
		// Per dataset: a strptime layout, a CSV delimiter, a text encoding,
		// and file header names that mean contract columns.
		DateFormats map[string]string            `toml:"date_formats"`
		Delimiters  map[string]string            `toml:"delimiters"`
		Encodings   map[string]string            `toml:"encodings"`
		Aliases     map[string]map[string]string `toml:"aliases"`
	} `toml:"ingest"`
	// Limits bound the work one input file may cost (ingest.Limits).
	Limits struct {
		MaxColumns           int   `toml:"max_columns"`
		MaxLineBytes         int   `toml:"max_line_bytes"`
		MaxRecordLines       int   `toml:"max_record_lines"`
		MaxDecompressedBytes int64 `toml:"max_decompressed_bytes"`
		MaxCompressionRatio  int64 `toml:"max_compression_ratio"`
		MaxQuarantined       int64 `toml:"max_quarantined"`
	} `toml:"limits"`
	// DuckDB is the live warehouse's DuckDB settings (schemas.Settings).
	DuckDB struct {
		MemoryLimit string `toml:"memory_limit"`
		MaxTempSize string `toml:"max_temp_size"`
	} `toml:"duckdb"`
	Linking struct {
		Threshold float64 `toml:"threshold"`
		Margin    float64 `toml:"margin"`
	} `toml:"linking"`
	Disclosure struct {
		MinCell int `toml:"min_cell"`
	} `toml:"disclosure"`
	Metrics struct {
		// LeadRank is the general/flag rank threshold of LEAD_RANK_* and COST_PER_LEADER.
		LeadRank string `toml:"lead_rank"`
		// SmallN: groups with fewer people get the note "small n".
		SmallN int `toml:"small_n"`
	} `toml:"metrics"`
	Snapshot struct {
		IncludePersonal bool `toml:"include_personal"`
	} `toml:"snapshot"`
	Lock struct {
		WaitSeconds float64 `toml:"wait_seconds"`
	} `toml:"lock"`
	SQL struct {
		// The limits of one statement of imet sql (0: none).
		TimeoutSeconds float64 `toml:"timeout_seconds"`
		MaxRows        int     `toml:"max_rows"`
	} `toml:"sql"`
	Schedule struct {
		Timezone  string `toml:"timezone"`
		Poll      string `toml:"poll"`
		Quarterly string `toml:"quarterly"`
		Congress  string `toml:"congress"`
	} `toml:"schedule"`
}

func defaultConfig() config {
	var c config
	d := ingest.DefaultLimits
	c.Limits.MaxColumns, c.Limits.MaxLineBytes, c.Limits.MaxRecordLines = d.MaxColumns, d.MaxLineBytes, d.MaxRecordLines
	c.Limits.MaxDecompressedBytes, c.Limits.MaxCompressionRatio, c.Limits.MaxQuarantined = d.MaxDecompressedBytes, d.MaxCompressionRatio, d.MaxQuarantined
	c.DuckDB.MemoryLimit = "50%"
	c.DuckDB.MaxTempSize = "50%"
	c.Linking.Threshold = ingest.DefaultLink.Threshold
	c.Linking.Margin = ingest.DefaultLink.Margin
	c.Disclosure.MinCell = 5
	c.Metrics.LeadRank = schemas.FirstGeneralRank
	c.Metrics.SmallN = 10
	c.Lock.WaitSeconds = 60
	c.SQL.TimeoutSeconds = 300
	c.SQL.MaxRows = 1_000_000
	c.Schedule.Timezone = "UTC"
	c.Schedule.Poll = "*/15 * * * *"
	c.Schedule.Quarterly = "0 6 15 1,4,7,10 *"
	c.Schedule.Congress = "0 6 1 11 *"
	return c
}

func (ws *workspace) readConfig() error {
	md, err := toml.DecodeFile(ws.ConfigFile, &ws.Config)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", ws.ConfigFile, err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return fmt.Errorf("%s: unknown setting %s: see docs/configuration.md", ws.ConfigFile, un[0])
	}
	c := ws.Config
	if c.Linking.Threshold <= 0 || c.Linking.Threshold > 1 || c.Linking.Margin < 0 || c.Linking.Margin >= 1 {
		return fmt.Errorf("%s: [linking] threshold must be in (0, 1] and margin in [0, 1)", ws.ConfigFile)
	}
	for _, m := range []map[string]string{c.Ingest.DateFormats, c.Ingest.Delimiters, c.Ingest.Encodings} {
		for ds := range m {
			if _, err := schemas.Lookup(ds); err != nil {
				return fmt.Errorf("%s: [ingest]: %w", ws.ConfigFile, err)
			}
		}
	}
	for ds := range c.Ingest.Aliases {
		if _, err := schemas.Lookup(ds); err != nil {
			return fmt.Errorf("%s: [ingest.aliases]: %w", ws.ConfigFile, err)
		}
	}
	for ds, src := range ws.sources() {
		if err := src.Check(ds); err != nil {
			return fmt.Errorf("%s: [ingest] %w", ws.ConfigFile, err)
		}
	}
	if err := ws.limits().Check(); err != nil {
		return fmt.Errorf("%s: %w", ws.ConfigFile, err)
	}
	if c.Lock.WaitSeconds < 0 {
		return fmt.Errorf("%s: [lock] wait_seconds must not be negative", ws.ConfigFile)
	}
	if c.SQL.TimeoutSeconds < 0 || c.SQL.MaxRows < 0 {
		return fmt.Errorf("%s: [sql] timeout_seconds and max_rows must not be negative (0 turns the limit off)", ws.ConfigFile)
	}
	if r, ok := schemas.NormalizeRank(c.Metrics.LeadRank); !ok || schemas.RankOrder(r) <= schemas.RankOrder("OF-1") {
		return fmt.Errorf("%s: [metrics] lead_rank %q: use an officer rank code above OF-1, e.g. \"OF-6\"", ws.ConfigFile, c.Metrics.LeadRank)
	} else {
		ws.Config.Metrics.LeadRank = r
	}
	if c.Metrics.SmallN < 1 {
		return fmt.Errorf("%s: [metrics] small_n must be at least 1", ws.ConfigFile)
	}
	loc, err := time.LoadLocation(c.Schedule.Timezone)
	if err != nil {
		return fmt.Errorf("%s: [schedule] timezone %q: use an IANA zone name such as \"UTC\" or \"America/New_York\"", ws.ConfigFile, c.Schedule.Timezone)
	}
	for name, spec := range map[string]string{"poll": c.Schedule.Poll, "quarterly": c.Schedule.Quarterly, "congress": c.Schedule.Congress} {
		if spec == "" || spec == "off" {
			continue
		}
		if _, err := schedule.Parse(spec, loc); err != nil {
			return fmt.Errorf("%s: [schedule] %s: %w", ws.ConfigFile, name, err)
		}
	}
	if c.Disclosure.MinCell < 1 {
		return fmt.Errorf("%s: [disclosure] min_cell must be at least 1", ws.ConfigFile)
	}
	return nil
}

// create lays out the folders, writes a commented imet.toml if there is
// none, and creates the warehouse.
func (ws *workspace) create(ctx context.Context) error {
	// The folders of personal data are the owner's only (protect);
	// published/ and reports/ hold what may be shared.
	for _, d := range []string{ws.Root, ws.Archive, ws.Rejected} {
		if err := os.MkdirAll(d, privateDir); err != nil {
			return err
		}
	}
	for _, d := range []string{ws.Published, ws.Reports} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	for _, d := range schemas.DatasetNames() {
		if err := os.MkdirAll(filepath.Join(ws.Inbox, d), privateDir); err != nil {
			return err
		}
	}
	if _, err := schemas.CreatePseudonymKey(ws.keyFile()); err != nil {
		return err
	}
	if _, err := os.Stat(ws.ConfigFile); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(ws.ConfigFile, []byte(defaultTOML), 0o644); err != nil {
			return err
		}
	}
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return ws.protect()
}

// exists reports whether root holds a workspace already.
func (ws *workspace) exists() bool {
	for _, f := range []string{ws.ConfigFile, ws.Warehouse} {
		if _, err := os.Stat(f); err == nil {
			return true
		}
	}
	return false
}

// notWorkspace is the error of a command that needs a workspace where
// there is none.
func notWorkspace(root string) error {
	return fmt.Errorf("not an imet workspace: %s (run `imet init`)", root)
}

// lock takes the workspace's writer lock for job, waiting as imet.toml says.
// Take it before opening the warehouse and before reading the inbox: the
// holder moves files out of it.
// Holding it, the writer tidies what killed writes left in reports/ and
// published/ (reports.Tidy).
func (ws *workspace) lock(ctx context.Context, job string) (*schedule.Lock, error) {
	l, err := schedule.AcquireNotify(ctx, ws.lockPath(), job, ws.lockWait(), ws.sayWaiting(ctx, job))
	if err == nil {
		reports.Tidy(ws.Reports)
		reports.Tidy(ws.Published)
	}
	return l, err
}

// readLock takes the workspace lock shared, for a command that reads the
// warehouse: with other readers, never while a writer writes, and a writer
// waits for it (DuckDB would refuse either to open the file).
func (ws *workspace) readLock(ctx context.Context, job string) (*schedule.Lock, error) {
	return schedule.AcquireShared(ctx, ws.lockPath(), job, ws.lockWait(), ws.sayWaiting(ctx, job))
}

func (ws *workspace) lockWait() time.Duration {
	return time.Duration(ws.Config.Lock.WaitSeconds * float64(time.Second))
}

// sayWaiting is what a command that has to wait for the lock says, once:
// whom it waits for.
func (ws *workspace) sayWaiting(ctx context.Context, job string) func(schedule.Holder) {
	return func(h schedule.Holder) {
		since := "an unknown time"
		if !h.Since.IsZero() {
			since = h.Since.Format(time.RFC3339)
		}
		if h.Shared {
			fmt.Fprintf(notices(ctx), "imet %s: waiting for the warehouse, being read by pid %d (%s) since %s; waiting up to %s\n",
				job, h.PID, h.Job, since, ws.lockWait())
			return
		}
		fmt.Fprintf(notices(ctx), "imet %s: waiting for the writer lock, held by pid %d (%s) since %s; waiting up to %s\n",
			job, h.PID, h.Job, since, ws.lockWait())
	}
}

// noticeKey carries where a command says what it is waiting for (its
// stderr) down to the writer lock, which every writing command takes
// through ws.lock without an env at hand.
type noticeKey struct{}

func withNotices(ctx context.Context, w io.Writer) context.Context {
	return context.WithValue(ctx, noticeKey{}, w)
}

func notices(ctx context.Context) io.Writer {
	if w, ok := ctx.Value(noticeKey{}).(io.Writer); ok {
		return w
	}
	return io.Discard
}

// checkOut refuses an --out that would write over the workspace's own
// files or folders (the warehouse, imet.toml, the lock, the run history,
// inbox/, archive/, rejected/, published/, or the workspace itself): an
// export replaces what is at its path. Empty is the command's default.
func (ws *workspace) checkOut(out string) error {
	if out == "" {
		return nil
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return filepath.Clean(p)
		}
		return a
	}
	o := abs(out)
	for _, f := range []string{ws.Root, ws.Warehouse, ws.Warehouse + ".wal", ws.ConfigFile, ws.lockPath(), ws.History.Path} {
		if o == abs(f) {
			return &usageError{fmt.Sprintf("--out %s is the workspace's own %s: write the export elsewhere (reports/ is the place)", out, filepath.Base(f))}
		}
	}
	for _, d := range []string{ws.Inbox, ws.Archive, ws.Rejected, ws.Published} {
		if rel, err := filepath.Rel(abs(d), o); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return &usageError{fmt.Sprintf("--out %s is inside the workspace's %s/, which imet manages: write the export elsewhere (reports/ is the place)", out, filepath.Base(d))}
		}
	}
	return nil
}

func (ws *workspace) lockPath() string { return filepath.Join(ws.Root, "imet.lock") }

// openWriter opens an existing workspace's warehouse for writing, holding
// the writer lock for job; close releases both.
func openWriter(ctx context.Context, wsFlag, job string) (ws *workspace, db *sql.DB, closeAll func(), err error) {
	if ws, err = openWorkspace(wsFlag); err != nil {
		return nil, nil, nil, err
	}
	if !ws.exists() {
		return nil, nil, nil, fmt.Errorf("%s is not a workspace: create one with 'imet init', load data with 'imet ingest', or pass --workspace", ws.Root)
	}
	lock, err := ws.lock(ctx, job)
	if err != nil {
		return nil, nil, nil, err
	}
	if db, err = ws.open(ctx); err != nil {
		lock.Release()
		return nil, nil, nil, err
	}
	protect := ws.protectAtEnd(ctx, job)
	return ws, db, func() {
		db.Close()
		protect() // what the command archived, rejected or logged: owner only
		lock.Release()
	}, nil
}

// open opens the live warehouse for writing. A process that is not imet
// (a DuckDB client) may have the file open without taking the workspace
// lock: DuckDB then refuses it ("Conflicting lock … (PID n)"), and open
// tries again, up to [lock] wait_seconds, having said once what it waits for.
func (ws *workspace) open(ctx context.Context) (*sql.DB, error) {
	deadline := time.Now().Add(ws.lockWait())
	said := false
	for {
		db, err := schemas.OpenWith(ctx, ws.Warehouse, schemas.Settings{MemoryLimit: ws.Config.DuckDB.MemoryLimit, MaxTempSize: ws.Config.DuckDB.MaxTempSize})
		if err == nil {
			return db, nil
		}
		if se := (*schemas.SettingsError)(nil); errors.As(err, &se) {
			return nil, fmt.Errorf("%s: [duckdb] %w", ws.ConfigFile, err)
		}
		if !strings.Contains(err.Error(), "Conflicting lock") || time.Now().After(deadline) {
			return nil, fmt.Errorf("%w (another process has the warehouse open: try again when it is done, or raise [lock] wait_seconds in imet.toml)", err)
		}
		if !said {
			fmt.Fprintf(notices(ctx), "imet: waiting for the warehouse, which another process has open (%v); waiting up to %s\n", err, ws.lockWait())
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (ws *workspace) loader(db *sql.DB, e *env) *ingest.Loader {
	return &ingest.Loader{
		DB:      db,
		Logger:  e.logger,
		Sources: ws.sources(),
		Link:    ingest.LinkConfig{Threshold: ws.Config.Linking.Threshold, Margin: ws.Config.Linking.Margin},
		Limits:  ws.limits(),
	}
}

func (ws *workspace) limits() ingest.Limits {
	c := ws.Config.Limits
	return ingest.Limits{MaxColumns: c.MaxColumns, MaxLineBytes: c.MaxLineBytes, MaxRecordLines: c.MaxRecordLines,
		MaxDecompressedBytes: c.MaxDecompressedBytes, MaxCompressionRatio: c.MaxCompressionRatio, MaxQuarantined: c.MaxQuarantined}
}

// sources gathers [ingest]'s per-dataset settings by dataset.
func (ws *workspace) sources() map[string]ingest.Source {
	in := ws.Config.Ingest
	out := map[string]ingest.Source{}
	set := func(m map[string]string, field func(*ingest.Source) *string) {
		for ds, v := range m {
			s := out[ds]
			*field(&s) = v
			out[ds] = s
		}
	}
	set(in.DateFormats, func(s *ingest.Source) *string { return &s.DateFormat })
	set(in.Delimiters, func(s *ingest.Source) *string { return &s.Delimiter })
	set(in.Encodings, func(s *ingest.Source) *string { return &s.Encoding })
	for ds, v := range in.Aliases {
		s := out[ds]
		s.Aliases = v
		out[ds] = s
	}
	return out
}

const defaultTOML = `# imet workspace configuration. Every setting is optional; the values shown
# are the defaults. See docs/configuration.md.

[ingest]
# A strptime layout per dataset, for a source that cannot send YYYY-MM-DD
# dates (ISO dates are still accepted from it).
# date_formats = { enrollments = "%m/%d/%Y" }
# For a source that cannot save comma-separated UTF-8 CSV: the field
# delimiter and the text encoding ("latin-1" or "windows-1252") per dataset.
# delimiters = { students = ";" }
# encodings = { students = "windows-1252" }
# Header names of a source's files that mean contract columns, per dataset
# (matched like headers: case, spaces and punctuation do not matter).
# [ingest.aliases.enrollments]
# "Tuition and travel" = "cost_usd"

[limits]
# Bounds on what one input file may cost; a file beyond one is refused whole
# (or, for a line, that line is quarantined) with a reason naming the limit.
# The most fields in a header (the widest dataset has about 20).
max_columns = 1000
# The longest line: a longer one is quarantined, a longer header refuses the file.
max_line_bytes = 1048576
# The most lines one CSV row may span (line breaks inside a quoted value, in
# any column); a quote still open after them is an unterminated quote.
max_record_lines = 5
# What a .csv.gz may unpack to, in bytes (4 GiB), and how many times its own
# size (checked past the first 16 MiB).
max_decompressed_bytes = 4294967296
max_compression_ratio = 100
# The most rows of one file quarantined; with more, nothing of it loads.
max_quarantined = 100000

[duckdb]
# The most memory DuckDB's buffer manager may hold: a share of the
# machine's ("50%"; DuckDB's own default is 80%, and some of its work is
# not counted in it) or a size ("8GB"). Past it, large joins, sorts and
# aggregates spill to warehouse.duckdb.tmp in this folder instead of
# failing.
memory_limit = "50%"
# The most DuckDB may spill there: a share of the disk space free when the
# warehouse opens ("50%"; DuckDB's own default is 90%) or a size ("100GB").
# Past it, the command stops, saying so, rather than filling the disk.
max_temp_size = "50%"

[linking]
# A career event or flag without a student_id links to the best-scoring
# student of its country (0..1, Jaro-Winkler over folded names) when the
# score reaches threshold and beats the runner-up by margin; otherwise it
# waits in link_review.
threshold = 0.90
margin = 0.04

[disclosure]
# Congress-facing exports suppress cells with fewer than min_cell people.
min_cell = 5

[metrics]
# The general/flag rank that LEAD_RANK_* and COST_PER_LEADER count as
# reaching leadership (a NATO officer rank code).
lead_rank = "OF-6"
# Metric rows of groups with fewer people than this get the note "small n".
small_n = 10

[schedule]
# The jobs 'imet schedule' runs, as cron expressions (minute hour
# day-of-month month day-of-week) in this time zone; "off" disables one.
# A schedule may name its own zone: "CRON_TZ=America/New_York 0 6 * * *".
# UTC avoids runs skipped or doubled when clocks change.
timezone = "UTC"
# Load the inbox when files are waiting, transform, check, publish.
poll = "*/15 * * * *"
# The quarterly products, on the 15th day after each fiscal quarter ends,
# for that quarter. A run missed while the daemon was down runs at start-up.
quarterly = "0 6 15 1,4,7,10 *"
# The congressional products for the fiscal year that ended, once a year.
congress = "0 6 1 11 *"

[snapshot]
# Names, birth years, human-rights flag detail and link review stay out of
# the published snapshot and the lake, and student ids appear as keyed
# pseudonyms (the key: pseudonym.key in this folder), unless this is true.
include_personal = false

[lock]
# One process writes the warehouse at a time; another waits this long for
# it, then stops with a message naming the holder.
wait_seconds = 60

[sql]
# Limits of each statement of 'imet sql' (a query, a file or the prompt):
# one that runs longer is stopped, one that returns more rows is refused
# (add LIMIT or narrow it). 0 turns a limit off; --timeout and --max-rows
# override them for one call.
timeout_seconds = 300
max_rows = 1000000
`

func runInit(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "init", "[--workspace DIR | DIR]", "Create a workspace: inbox/<dataset>/ folders, archive/, rejected/, published/, reports/,\na commented imet.toml, an empty warehouse and pseudonym.key (the key of the published\npseudonyms); the folder and the files holding personal data are its owner's only. Safe to\nrun on an existing workspace, whose permissions it tightens.")
	wsFlag := workspaceFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	root := workspaceRoot(*wsFlag)
	if len(pos) > 1 {
		return &usageError{"give at most one folder"}
	}
	if len(pos) == 1 {
		root = pos[0]
	}
	ws := layout(root)
	if err := ws.readConfig(); err != nil {
		return err
	}
	if err := ws.create(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Workspace ready in %s\nDrop files in %s/<dataset>/ (datasets: %v), then run: imet ingest --workspace %s\n",
		root, ws.Inbox, schemas.DatasetNames(), root)
	return nil
}
