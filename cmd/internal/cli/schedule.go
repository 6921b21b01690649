package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/schemas"
)

func runSchedule(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "schedule", "[--workspace DIR] [--once poll|quarterly|congress]",
		"The daemon: run the jobs of imet.toml's [schedule] on their cron schedules until stopped.\n"+
			"  poll       load the inbox when files wait in it, transform as of today, check, publish\n"+
			"  quarterly  the evaluator report of the fiscal quarter that ended (reports/FY2026Q3/)\n"+
			"  congress   the congressional summary of the fiscal year that ended (reports/FY2026/)\n"+
			"One job runs at a time; a tick that finds a job running is recorded as skipped. A\n"+
			"quarterly or congress run missed while the daemon was down runs once at start-up.\n"+
			"SIGINT or SIGTERM lets the step under way commit or roll back, then exits 0.\n"+
			"--once JOB runs one job now and exits (status 1 if it failed).")
	wsFlag := workspaceFlag(fs)
	once := fs.String("once", "", "run this job now and exit: poll, quarterly or congress")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return notWorkspace(ws.Root)
	}
	jobs := ws.jobs(e)
	if *once != "" {
		for _, j := range jobs {
			if j.Name == *once {
				rec, err := runJob(ctx, e, ws, j.Name, "once", j.Run)
				printRun(e, rec)
				if err != nil {
					return &exitError{code: 1, msg: j.Name + " failed: " + err.Error()}
				}
				return nil
			}
		}
		return &usageError{fmt.Sprintf("--once %q: the jobs are poll, quarterly and congress", *once)}
	}
	var active []schedule.Job
	for _, j := range jobs {
		if j.Spec != "" && j.Spec != "off" {
			active = append(active, j)
		}
	}
	loc, _ := time.LoadLocation(ws.Config.Schedule.Timezone)
	pidFile := filepath.Join(ws.Root, "imet.daemon")
	info, _ := json.Marshal(daemonInfo{PID: os.Getpid(), Started: time.Now().UTC().Truncate(time.Second), Jobs: specs(active)})
	if err := writeIfNoDaemon(pidFile, info); err != nil {
		return err
	}
	defer os.Remove(pidFile)
	fmt.Fprintf(e.stdout, "imet schedule: pid %d, workspace %s, jobs: %s. Stop with SIGINT or SIGTERM.\n", os.Getpid(), ws.Root, strings.Join(specs(active), "; "))
	// The daemon's own lines (each job's start and end) are its journal: they
	// show at info level whatever the commands' default level.
	d := &schedule.Daemon{Jobs: active, Location: loc, History: ws.History, Logger: newLoggerAt(e.stderr, e.logFormat, slog.LevelInfo)}
	if err := d.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "imet schedule: stopped.")
	return nil
}

// jobs are the daemon's jobs, with this workspace's schedules.
func (ws *workspace) jobs(e *env) []schedule.Job {
	today := func() time.Time {
		y, m, d := time.Now().UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return []schedule.Job{
		{Name: "poll", Spec: ws.Config.Schedule.Poll,
			Due: func() bool { n, _ := backlog(ws); return n > 0 },
			Run: func(ctx context.Context, rec *schedule.Record) error {
				return pipeline(ctx, e, ws, rec, today(), false, nil)
			}},
		{Name: "quarterly", Spec: ws.Config.Schedule.Quarterly, CatchUp: true,
			Run: func(ctx context.Context, rec *schedule.Record) error {
				d := schemas.LastQuarterEnd(time.Now())
				return pipeline(ctx, e, ws, rec, d, false, quarterlyProducts(e, ws, d))
			}},
		{Name: "congress", Spec: ws.Config.Schedule.Congress, CatchUp: true,
			Run: func(ctx context.Context, rec *schedule.Record) error {
				d := schemas.LastFiscalYearEnd(time.Now())
				return pipeline(ctx, e, ws, rec, d, false, congressProducts(e, ws, d.Year()))
			}},
	}
}

type daemonInfo struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Jobs    []string  `json:"jobs"`
}

func specs(jobs []schedule.Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.Name+" "+j.Spec)
	}
	return out
}

// writeIfNoDaemon writes the daemon's pid file unless a live daemon has one.
func writeIfNoDaemon(path string, info []byte) error {
	if d, ok := readDaemon(path); ok {
		return fmt.Errorf("a daemon already runs for this workspace: pid %d since %s (stop it first)", d.PID, d.Started.Format(time.RFC3339))
	}
	return os.WriteFile(path, append(info, '\n'), 0o644)
}

// readDaemon reads the pid file and says whether its daemon is alive.
func readDaemon(path string) (daemonInfo, bool) {
	var d daemonInfo
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &d) != nil {
		return d, false
	}
	return d, schedule.Alive(d.PID)
}

// backlog counts the files waiting in the inbox.
func backlog(ws *workspace) (int, int64) {
	items, err := ingest.Discover(ws.Inbox)
	if err != nil {
		return 0, 0
	}
	var bytes int64
	for _, it := range items {
		if st, err := os.Stat(it.Path); err == nil {
			bytes += st.Size()
		}
	}
	return len(items), bytes
}

func runRuns(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "runs", "[--workspace DIR] [--limit N] [--job NAME] [--steps] [--format table|csv|json|markdown]",
		"The run history, newest first: job, trigger, start, duration, status, rows and message.\n"+
			"A run whose process died shows as interrupted; a tick that came while a job was running\n"+
			"shows as skipped.")
	wsFlag := workspaceFlag(fs)
	limit := fs.Int("limit", 20, "show at most this many runs (0: all)")
	job := fs.String("job", "", "only this job")
	format := fs.String("format", "table", "table, csv, json or markdown")
	steps := fs.Bool("steps", false, "one line per step of each run")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, formats...); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return notWorkspace(ws.Root)
	}
	runs, err := ws.History.List()
	if err != nil {
		return err
	}
	t := &table{cols: []string{"run", "job", "trigger", "started", "seconds", "status", "rows", "message"}}
	if *steps {
		t.cols = []string{"run", "job", "status", "step", "seconds", "rows", "message"}
	}
	shown := 0
	for _, r := range runs {
		if *job != "" && r.Job != *job {
			continue
		}
		if *limit > 0 && shown == *limit {
			break
		}
		shown++
		if *steps {
			for _, s := range r.Steps {
				t.rows = append(t.rows, []any{r.ID, r.Job, r.Status, s.Name, fmt.Sprintf("%.2f", s.Seconds), s.Rows, s.Message})
			}
			continue
		}
		t.rows = append(t.rows, []any{r.ID, r.Job, r.Trigger, r.Started.Format(time.RFC3339), fmt.Sprintf("%.1f", r.Duration().Seconds()), r.Status, r.Rows, r.Message})
	}
	if len(t.rows) == 0 && *format == "table" {
		fmt.Fprintln(e.stdout, "No runs yet: 'imet run' runs the pipeline once; 'imet schedule' runs it on schedule.")
		return nil
	}
	return t.write(e.stdout, *format)
}

func runStatus(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "status", "[--workspace DIR]",
		"What the workspace is doing: the daemon, the writer lock, the published snapshot's age,\n"+
			"the inbox backlog, the next scheduled run of each job (from imet.toml's [schedule]) and\n"+
			"the last run of each job.")
	wsFlag := workspaceFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return notWorkspace(ws.Root)
	}
	now := time.Now()
	w := e.stdout
	fmt.Fprintf(w, "workspace  %s\n", ws.Root)
	if d, ok := readDaemon(filepath.Join(ws.Root, "imet.daemon")); ok {
		fmt.Fprintf(w, "daemon     running: pid %d since %s (%s)\n", d.PID, d.Started.Format(time.RFC3339), strings.Join(d.Jobs, "; "))
	} else {
		fmt.Fprintln(w, "daemon     not running ('imet schedule' starts it)")
	}
	if h, held := schedule.Held(filepath.Join(ws.Root, "imet.lock")); held {
		fmt.Fprintf(w, "lock       held by pid %d (%s) since %s\n", h.PID, h.Job, h.Since.Format(time.RFC3339))
	} else {
		fmt.Fprintln(w, "lock       free")
	}
	if st, err := os.Stat(ws.Snapshot); err == nil {
		fmt.Fprintf(w, "snapshot   %s, published %s (%s ago)\n", ws.Snapshot, st.ModTime().UTC().Format(time.RFC3339), now.Sub(st.ModTime()).Round(time.Second))
	} else {
		fmt.Fprintln(w, "snapshot   none yet ('imet run' publishes one)")
	}
	n, bytes := backlog(ws)
	fmt.Fprintf(w, "inbox      %d file%s waiting (%d bytes)\n", n, plural(n), bytes)
	// The next run of each job, as the daemon would schedule it from
	// imet.toml (a daemon started earlier keeps the schedules it read then).
	loc, _ := time.LoadLocation(ws.Config.Schedule.Timezone)
	for _, j := range ws.jobs(e) {
		if j.Spec == "" || j.Spec == "off" {
			fmt.Fprintf(w, "next %-9s off\n", j.Name)
			continue
		}
		s, err := schedule.Parse(j.Spec, loc)
		if err != nil {
			return err
		}
		next := s.Next(now)
		fmt.Fprintf(w, "next %-9s %s (in %s; %s)\n", j.Name, next.UTC().Format(time.RFC3339), until(next.Sub(now)), j.Spec)
	}
	runs, err := ws.History.List()
	if err != nil {
		return err
	}
	last := map[string]schedule.Record{}
	for _, r := range runs {
		if _, seen := last[r.Job]; !seen && r.Status != schedule.StatusSkipped {
			last[r.Job] = r
		}
	}
	names := make([]string, 0, len(last))
	for j := range last {
		names = append(names, j)
	}
	sort.Strings(names)
	for _, j := range names {
		r := last[j]
		fmt.Fprintf(w, "last %-9s %s at %s: %s\n", j, r.Status, r.Started.Format(time.RFC3339), r.Message)
	}
	return nil
}

// until says how long d is, to the minute past an hour, in days past a day.
func until(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	case d < 24*time.Hour:
		m := int(d.Round(time.Minute).Minutes())
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
	h := int(d.Round(time.Hour).Hours())
	return fmt.Sprintf("%d d %d h", h/24, h%24)
}
