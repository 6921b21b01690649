package schedule

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Next run times of the default schedules, across quarter ends, time zones
// and daylight-saving changes.
func TestNextRuns(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct {
		spec string
		loc  *time.Location
		from string // RFC3339
		want []string
	}{
		// the quarterly report: 06:00 UTC on the 15th day after each quarter ends
		{"0 6 15 1,4,7,10 *", time.UTC, "2026-06-30T12:00:00Z",
			[]string{"2026-07-15T06:00:00Z", "2026-10-15T06:00:00Z", "2027-01-15T06:00:00Z", "2027-04-15T06:00:00Z"}},
		// the inbox poll every 15 minutes, across midnight at a year end
		{"*/15 * * * *", time.UTC, "2026-12-31T23:40:00Z",
			[]string{"2026-12-31T23:45:00Z", "2027-01-01T00:00:00Z", "2027-01-01T00:15:00Z"}},
		// 06:00 in New York is 11:00 UTC in winter and 10:00 UTC in summer
		{"0 6 * * *", ny, "2026-03-07T12:00:00Z",
			[]string{"2026-03-08T10:00:00Z", "2026-03-09T10:00:00Z"}},
		{"0 6 * * *", ny, "2026-10-31T12:00:00Z",
			[]string{"2026-11-01T11:00:00Z", "2026-11-02T11:00:00Z"}},
		// 02:30 does not exist in New York on 8 March 2026 (clocks jump from 2 to 3)
		{"30 2 * * *", ny, "2026-03-07T12:00:00Z",
			[]string{"2026-03-09T06:30:00Z"}},
		// an explicit zone in the spec wins over the daemon's
		{"CRON_TZ=Asia/Tokyo 0 9 * * *", time.UTC, "2026-06-30T12:00:00Z",
			[]string{"2026-07-01T00:00:00Z"}},
		// seconds, for tests
		{"*/2 * * * * *", time.UTC, "2026-06-30T12:00:00Z",
			[]string{"2026-06-30T12:00:02Z", "2026-06-30T12:00:04Z"}},
	} {
		s, err := Parse(c.spec, c.loc)
		if err != nil {
			t.Fatal(err)
		}
		from, _ := time.Parse(time.RFC3339, c.from)
		var got []string
		next := from
		for range c.want {
			next = s.Next(next)
			got = append(got, next.UTC().Format(time.RFC3339))
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s in %s from %s:\n got %v\nwant %v", c.spec, c.loc, c.from, got, c.want)
		}
	}
	for _, bad := range []string{"CRON_TZ=Europe/Paris", "CRON_TZ=Nowhere/Land 0 6 * * *", "0 6 15 13 *", "every day"} {
		if _, err := Parse(bad, time.UTC); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// A quarterly job whose tick fell while the daemon was down is due once.
func TestMissed(t *testing.T) {
	s, _ := Parse("0 6 15 1,4,7,10 *", time.UTC)
	at := func(v string) time.Time { x, _ := time.Parse(time.RFC3339, v); return x }
	for _, c := range []struct {
		last, now string
		missed    bool
	}{
		{"2026-04-15T06:00:05Z", "2026-07-14T00:00:00Z", false}, // next due tomorrow
		{"2026-04-15T06:00:05Z", "2026-07-15T06:00:00Z", true},  // due now
		{"2026-04-15T06:00:05Z", "2026-09-01T00:00:00Z", true},  // down over the July run
		{"2026-04-15T06:00:05Z", "2027-02-01T00:00:00Z", true},  // down over three: still one catch-up
		{"", "2027-02-01T00:00:00Z", false},                     // never ran: nothing was missed
	} {
		var last time.Time
		if c.last != "" {
			last = at(c.last)
		}
		if got := Missed(s, last, at(c.now)); got != c.missed {
			t.Errorf("last %s now %s: missed %v, want %v", c.last, c.now, got, c.missed)
		}
	}
}

// The history keeps the last line of each run; a tick during a run is
// skipped and recorded; a panicking or failing job is recorded and the
// next tick still runs.
func TestDaemonTicks(t *testing.T) {
	h := History{Path: filepath.Join(t.TempDir(), "runs.jsonl")}
	d := &Daemon{History: h}
	d.Now = time.Now
	ctx := context.Background()
	release := make(chan struct{})
	started := make(chan struct{})
	slow := Job{Name: "slow", Run: func(ctx context.Context, rec *Record) error {
		close(started)
		<-release
		rec.Rows = 7
		return nil
	}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); d.Tick(ctx, slow, "schedule") }()
	<-started
	d.Tick(ctx, Job{Name: "poll", Run: func(context.Context, *Record) error { return nil }}, "schedule")
	close(release)
	wg.Wait()
	d.Tick(ctx, Job{Name: "boom", Run: func(context.Context, *Record) error { panic("kaboom") }}, "schedule")
	d.Tick(ctx, Job{Name: "err", Run: func(context.Context, *Record) error { return errors.New("disk full") }}, "schedule")
	d.Tick(ctx, Job{Name: "idle", Due: func() bool { return false }, Run: func(context.Context, *Record) error { return nil }}, "schedule")
	cancelled, cancel := context.WithCancel(ctx)
	d.Tick(cancelled, Job{Name: "stopped", Run: func(ctx context.Context, _ *Record) error { cancel(); return ctx.Err() }}, "schedule")

	runs, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Record{}
	for _, r := range runs {
		got[r.Job] = r
	}
	if len(runs) != 5 {
		t.Errorf("%d runs recorded, want 5 (no record for a poll with nothing to do): %+v", len(runs), runs)
	}
	if r := got["slow"]; r.Status != StatusOK || r.Rows != 7 || r.Finished.IsZero() {
		t.Errorf("slow: %+v", r)
	}
	if r := got["poll"]; r.Status != StatusSkipped || !strings.Contains(r.Message, "still running") {
		t.Errorf("poll: %+v", r)
	}
	if r := got["boom"]; r.Status != StatusFailed || !strings.Contains(r.Message, "kaboom") {
		t.Errorf("boom: %+v", r)
	}
	if r := got["err"]; r.Status != StatusFailed || r.Message != "disk full" {
		t.Errorf("err: %+v", r)
	}
	if r := got["stopped"]; r.Status != StatusInterrupted {
		t.Errorf("stopped: %+v", r)
	}
}

// A run left "running" by a process that died shows as interrupted.
func TestDeadRunIsInterrupted(t *testing.T) {
	h := History{Path: filepath.Join(t.TempDir(), "runs.jsonl")}
	rec, _ := h.Start("run", "manual", time.Now())
	rec.PID = 1 << 30 // no such process
	h.append(rec)
	runs, _ := h.List()
	if len(runs) != 1 || runs[0].Status != StatusInterrupted {
		t.Errorf("%+v", runs)
	}
}
