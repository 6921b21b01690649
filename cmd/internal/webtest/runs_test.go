package webtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/web"
)

// The runs page of the real command shows the workspace's schedule (the
// demo's imet.toml: poll, quarterly, congress, each with a next time to
// come), the lock and the inbox, and the snapshot's transforms with their
// steps; the demo records no run history (no runs.jsonl), which it says.
func TestRunsFromTheWorkspace(t *testing.T) {
	t.Parallel()
	base := serveCLI(t, demoWS)
	resp, err := http.Get(base + "api/runs")
	if err != nil {
		t.Fatal(err)
	}
	var p page
	err = decodeJSON(resp, &p)
	if err != nil {
		t.Fatal(err)
	}
	jobs := map[string]string{}
	for _, r := range p.rows(t, "next_runs") {
		jobs[r["job"].(string)] = r["next"].(string)
	}
	for _, j := range []string{"poll", "quarterly", "congress"} {
		at, err := time.Parse("2006-01-02 15:04", jobs[j])
		if err != nil || at.Before(time.Now().Add(-time.Minute)) {
			t.Errorf("next %s run %q: want a time to come (%v)", j, jobs[j], err)
		}
	}
	// The history is runs.jsonl's: one row per run (the last line of a
	// run wins); the demo writes none today, which the page must say.
	ids := map[string]bool{}
	if b, err := os.ReadFile(filepath.Join(demoWS, "runs.jsonl")); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r struct {
				ID string `json:"id"`
			}
			if json.Unmarshal([]byte(line), &r) == nil && r.ID != "" {
				ids[r.ID] = true
			}
		}
	}
	h := p.rows(t, "history")
	switch {
	case len(ids) == 0 && (len(h) != 0 || !hasNote(p, "No run is recorded")):
		t.Errorf("no run history: want an empty table and a note; notes %q", p.Notes)
	case len(ids) > 0 && len(h) != len(ids):
		t.Errorf("runs.jsonl has %d runs, the page %d", len(ids), len(h))
	}
	for _, r := range h {
		if !ids[r["id"].(string)] {
			t.Errorf("run %v is not in runs.jsonl", r["id"])
		}
	}
	trs := p.rows(t, "transform_runs")
	if len(trs) < 2 || trs[0]["run_id"].(float64) < trs[1]["run_id"].(float64) {
		t.Errorf("transform runs, newest first: %v", trs)
	}
	if steps := p.rows(t, "steps"); len(steps) < 10 || steps[0]["step"] != "params" {
		t.Errorf("steps of the newest transform: %v", steps)
	}
}

// The run history Options.Status gives is shown newest first as given;
// a missing or failing Status is said plainly.
func TestRunsStatus(t *testing.T) {
	t.Parallel()
	started := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	ts := newServer(t, func(o *web.Options) {
		o.Status = func(context.Context) (*web.Status, error) {
			return &web.Status{Lock: "held by pid 7 (poll)", Inbox: 3,
				Next: []web.NextRun{{Job: "poll", Spec: "*/15 * * * *", At: started.Add(time.Hour)}, {Job: "congress", Spec: "off"}},
				Runs: []web.Run{
					{ID: "r2", Job: "poll", Trigger: "schedule", Status: "failed", Started: started.Add(time.Minute), Duration: 1500 * time.Millisecond, Message: "bad file"},
					{ID: "r1", Job: "quarterly", Trigger: "manual", Status: "ok", Started: started, Duration: time.Minute, Rows: 1234},
				}}, nil
		}
	})
	p := getPage(t, ts, "/api/runs")
	h := p.rows(t, "history")
	if len(h) != 2 || h[0]["id"] != "r2" || h[0]["status"] != "failed" || h[0]["message"] != "bad file" || h[1]["rows"].(float64) != 1234 {
		t.Errorf("history: %v", h)
	}
	n := p.rows(t, "next_runs")
	if n[0]["next"] != "2026-11-30 07:00" || n[1]["next"] != "off" {
		t.Errorf("next runs: %v", n)
	}
	st := p.rows(t, "state")
	if st[0]["state"] != "held by pid 7 (poll)" || !strings.HasPrefix(st[1]["state"].(string), "3 file") {
		t.Errorf("state: %v", st)
	}

	none := getPage(t, newServer(t, nil), "/api/runs")
	if !hasNote(none, "not available") {
		t.Errorf("without Status: notes %q", none.Notes)
	}
	failing := getPage(t, newServer(t, func(o *web.Options) {
		o.Status = func(context.Context) (*web.Status, error) { return nil, errors.New("runs.jsonl: permission denied") }
	}), "/api/runs")
	if !hasNote(failing, "could not be read: runs.jsonl: permission denied") {
		t.Errorf("a failing Status: notes %q", failing.Notes)
	}
	if len(failing.rows(t, "transform_runs")) == 0 {
		t.Errorf("the snapshot's transforms should show whatever Status does")
	}
}

func hasNote(p page, s string) bool {
	for _, n := range p.Notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
