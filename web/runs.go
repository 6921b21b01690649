package web

import (
	"fmt"
	"strconv"
	"time"
)

// runs is the runs page: what the pipeline reports beside the snapshot
// (Options.Status: the run history, the schedule, the writer lock, the
// inbox) and the snapshot's own transform runs with their step timings
// (?run=ID picks the run whose steps are shown; the newest by default).
func (s *Server) runs(r *request) (*Page, error) {
	p := &Page{
		Title: "Runs",
		Lead:  "What the pipeline has done and will do: the run history of this workspace, the next scheduled run of each job, and the transforms the published snapshot holds, with the time each step took.",
	}
	p.Tables = append(p.Tables, s.statusTables(r, p)...)

	com, err := r.columnComments("transform_runs")
	if err != nil {
		return nil, err
	}
	c := func(name, label, unit string) Column {
		return Column{Name: name, Label: label, Unit: unit, Comment: com["transform_runs."+name]}
	}
	tr, err := r.table("transform_runs", "Transforms in the snapshot", []Column{
		c("run_id", "Run", ""), c("as_of", "D", ""), c("vintage", "Vintage", ""),
		c("started_at", "Started (UTC)", ""), c("finished_at", "Finished (UTC)", ""),
		{Name: "seconds", Label: "Seconds", Comment: "finished minus started"},
		{Name: "metric_rows", Label: "Metric rows", Unit: "count", Comment: com["transform_runs.metric_rows"]},
		c("settings", "Settings", ""),
	}, `SELECT run_id, as_of, vintage, started_at, finished_at,
	round(epoch(finished_at - started_at), 1), metric_rows, settings
FROM transform_runs ORDER BY run_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("read transform_runs: %w", err)
	}
	tr.Links = func(row []any) string { return "/runs?run=" + text(row[0]) + "#table-steps" }
	p.Tables = append(p.Tables, tr)

	run := r.URL.Query().Get("run")
	if run == "" && len(tr.Rows) > 0 {
		run = text(tr.Rows[0][0])
	}
	if run != "" {
		id, err := strconv.ParseInt(run, 10, 64)
		if err != nil {
			return nil, badf("run=%s: give a run number of the transforms table", run)
		}
		steps, err := r.table("steps", "Steps of transform run "+run, []Column{
			{Name: "step", Label: "Step", Comment: "a model (NNN_name), a curve table or a metric"},
			{Name: "seconds", Label: "Seconds"},
			{Name: "rows", Label: "Rows", Unit: "count", Comment: "rows the step wrote"},
			{Name: "share", Label: "Share of the run's step time", Unit: "share"},
		}, `WITH s AS (
	SELECT unnest(from_json(steps, '[{"step":"VARCHAR","seconds":"DOUBLE","rows":"BIGINT"}]')) AS s
	FROM transform_runs WHERE run_id = ?)
SELECT s.step, round(s.seconds, 3), s.rows, s.seconds / nullif(sum(s.seconds) OVER (), 0) FROM s`, id)
		if err != nil {
			return nil, fmt.Errorf("read the steps of transform run %d: %w", id, err)
		}
		if len(steps.Rows) == 0 {
			return nil, fmt.Errorf("%w: the snapshot holds no transform run %d", errNotFound, id)
		}
		steps.Sortable = true
		p.Tables = append(p.Tables, steps)
	}
	p.Notes = append(p.Notes,
		"A transform is named by D (the period end) and its vintage (the last batch whose data it used); the snapshot holds each transform's numbers, the headline one's model tables too.",
		"Run history and the schedule come from the workspace (runs.jsonl, imet.toml), read when the page is opened; the transforms come from the published snapshot.")
	return p, nil
}

// statusTables are the tables of Options.Status; when there is none, or it
// fails, the page says so in a note instead.
func (s *Server) statusTables(r *request, p *Page) []*Table {
	if s.opt.Status == nil {
		p.Notes = append(p.Notes, "Run history and schedule: not available (this server was started without the workspace's run history).")
		return nil
	}
	st, err := s.opt.Status(r.ctx())
	if err != nil {
		s.opt.Logger.Warn("runs: status", "err", err)
		p.Notes = append(p.Notes, "Run history and schedule: could not be read: "+err.Error())
		return nil
	}
	state := &Table{Name: "state", Caption: "Now", Columns: []Column{
		{Name: "what", Label: "What"}, {Name: "state", Label: "State"},
	}, Rows: [][]any{
		{"writer lock", st.Lock},
		{"inbox", fmt.Sprintf("%d file(s) waiting", st.Inbox)},
	}}
	next := &Table{Name: "next_runs", Caption: "Next scheduled runs", Columns: []Column{
		{Name: "job", Label: "Job"}, {Name: "spec", Label: "Schedule", Comment: "cron expression of [schedule] in imet.toml"},
		{Name: "next", Label: "Next run (UTC)"},
	}, Rows: [][]any{}}
	for _, n := range st.Next {
		at := "off"
		if !n.At.IsZero() {
			at = n.At.UTC().Format("2006-01-02 15:04")
		}
		next.Rows = append(next.Rows, []any{n.Job, n.Spec, at})
	}
	hist := &Table{Name: "history", Caption: "Run history, newest first", Sortable: true, PageSize: 50, Columns: []Column{
		{Name: "id", Label: "Run"}, {Name: "job", Label: "Job"}, {Name: "trigger", Label: "Trigger"},
		{Name: "status", Label: "Status"}, {Name: "started", Label: "Started (UTC)"},
		{Name: "seconds", Label: "Seconds"}, {Name: "rows", Label: "Rows", Unit: "count"},
		{Name: "message", Label: "Message"},
	}, Rows: [][]any{}}
	for _, x := range st.Runs {
		hist.Rows = append(hist.Rows, []any{x.ID, x.Job, x.Trigger, x.Status, x.Started.UTC().Format(time.DateTime),
			x.Duration.Round(100 * time.Millisecond).Seconds(), x.Rows, x.Message})
	}
	if len(st.Runs) == 0 {
		p.Notes = append(p.Notes, "No run is recorded in this workspace's run history yet (runs.jsonl): 'imet run' and the daemon record theirs.")
	}
	return []*Table{state, next, hist}
}
