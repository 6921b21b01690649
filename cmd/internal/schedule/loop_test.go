package schedule

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The daemon loop on a fake clock (testing/synctest): jobs are plain
// functions, and hours of schedule pass in microseconds of real time, so the
// loop's timing is tested exactly and without waits. The real process (the
// CLI's jobs, signals, the snapshot) is TestDaemon's in the cli package.

// runsOf returns the history's records of one job with one status, oldest
// first.
func runsOf(t *testing.T, h History, job, status string) []Record {
	t.Helper()
	all, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	for i := len(all) - 1; i >= 0; i-- { // List is newest first
		if all[i].Job == job && all[i].Status == status {
			out = append(out, all[i])
		}
	}
	return out
}

// startDaemon runs d in the bubble and returns a stop function that cancels
// it and waits for Run to return (when it returned, and its error).
func startDaemon(t *testing.T, d *Daemon) (stop func() (time.Time, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	go func() { err := d.Run(ctx); done <- result{err, time.Now()} }()
	return func() (time.Time, error) {
		cancel()
		r := <-done
		return r.at, r.err
	}
}

func TestDaemonLoop(t *testing.T) {
	t.Parallel()
	history := func(t *testing.T) History { return History{Path: filepath.Join(t.TempDir(), "runs.jsonl")} }

	t.Run("each job ticks on its schedule", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			h := history(t)
			var polls, hourly atomic.Int64
			d := &Daemon{History: h, Jobs: []Job{
				{Name: "poll", Spec: "*/5 * * * *", Run: func(context.Context, *Record) error { polls.Add(1); return nil }},
				{Name: "hourly", Spec: "1 * * * *", Run: func(context.Context, *Record) error { hourly.Add(1); return nil }},
			}}
			start := time.Now()
			stop := startDaemon(t, d)
			time.Sleep(3*time.Hour + 2*time.Minute)
			synctest.Wait()
			if _, err := stop(); err != nil {
				t.Fatal(err)
			}
			// every 5 minutes for 3 h 2 min: 36 runs; the hourly job, a
			// minute past, never meets a poll running (runs take no time here)
			ok := runsOf(t, h, "poll", StatusOK)
			if len(ok) != 36 || polls.Load() != 36 {
				t.Errorf("poll: %d runs recorded, %d made, want 36", len(ok), polls.Load())
			}
			if got := runsOf(t, h, "hourly", StatusOK); len(got) != 4 || hourly.Load() != 4 {
				t.Fatalf("hourly: %d runs recorded, %d made, want 4 (0:01 to 3:01)", len(got), hourly.Load())
			} else if want := start.Add(time.Minute); !got[0].Started.Equal(want) || got[0].Trigger != "schedule" {
				t.Errorf("first hourly run started %s by %s, want %s by schedule", got[0].Started, got[0].Trigger, want)
			}
			if len(ok) > 0 && !ok[0].Started.Equal(start.Add(5*time.Minute)) {
				t.Errorf("first poll at %s, want %s", ok[0].Started, start.Add(5*time.Minute))
			}
		})
	})

	t.Run("a tick while a job runs is recorded as skipped", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			h := history(t)
			// every minute, each run taking 90 s: the minute after a run
			// starts finds it still running.
			d := &Daemon{History: h, Jobs: []Job{{Name: "slow", Spec: "* * * * *", Run: func(context.Context, *Record) error {
				time.Sleep(90 * time.Second)
				return nil
			}}}}
			stop := startDaemon(t, d)
			time.Sleep(10*time.Minute + 30*time.Second)
			synctest.Wait()
			stop()
			ok, skipped := runsOf(t, h, "slow", StatusOK), runsOf(t, h, "slow", StatusSkipped)
			if len(ok) != 5 || len(skipped) != 5 {
				t.Errorf("%d runs and %d skips in 10 minutes of 90-second runs started every minute, want 5 and 5", len(ok), len(skipped))
			}
			for _, r := range ok {
				if r.Duration() != 90*time.Second {
					t.Errorf("run %s took %s on the fake clock, want 90s", r.ID, r.Duration())
				}
			}
		})
	})

	t.Run("a run missed while down is caught up once at start", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			h := history(t)
			start := time.Now() // 2000-01-01 00:00 UTC in the bubble
			// the quarterly job last ran on 15 July 1999; 15 October passed
			// while the daemon was down. The congress job never ran: never
			// having run is not a missed run.
			if rec, err := h.Start("quarterly", "schedule", start.AddDate(0, 0, -170)); err != nil {
				t.Fatal(err)
			} else if err := h.Finish(rec, StatusOK, "", start.AddDate(0, 0, -170).Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			var made atomic.Int64
			run := func(context.Context, *Record) error { made.Add(1); return nil }
			d := &Daemon{History: h, Jobs: []Job{
				{Name: "quarterly", Spec: "0 6 15 1,4,7,10 *", CatchUp: true, Run: run},
				{Name: "congress", Spec: "0 6 1 11 *", CatchUp: true, Run: run},
			}}
			stop := startDaemon(t, d)
			time.Sleep(24 * time.Hour)
			synctest.Wait()
			stop()
			got := runsOf(t, h, "quarterly", StatusOK)
			if len(got) != 2 || got[1].Trigger != "catch-up" || !got[1].Started.Equal(start) {
				t.Errorf("quarterly runs: %+v, want the old one and a catch-up at start-up", got)
			}
			if c := runsOf(t, h, "congress", StatusOK); len(c) != 0 || made.Load() != 1 {
				t.Errorf("congress ran %d times (jobs made %d runs), want no catch-up of a job never run", len(c), made.Load())
			}
		})
	})

	t.Run("stopping waits for the running job and records it interrupted", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			h := history(t)
			var rolledBack atomic.Bool
			d := &Daemon{History: h, Jobs: []Job{{Name: "load", Spec: "* * * * *", Run: func(ctx context.Context, _ *Record) error {
				select {
				case <-time.After(time.Hour):
					return nil
				case <-ctx.Done():
					time.Sleep(5 * time.Second) // the step under way rolls back
					rolledBack.Store(true)
					return ctx.Err()
				}
			}}}}
			stop := startDaemon(t, d)
			time.Sleep(2*time.Minute + 30*time.Second)
			stopped := time.Now()
			returned, err := stop()
			if err != nil {
				t.Fatal(err)
			}
			if !rolledBack.Load() || returned.Sub(stopped) != 5*time.Second {
				t.Errorf("Run returned %s after the stop (rolled back: %v), want after the job's 5 s roll-back", returned.Sub(stopped), rolledBack.Load())
			}
			got := runsOf(t, h, "load", StatusInterrupted)
			if len(got) != 1 || !got[0].Finished.Equal(returned) {
				t.Errorf("interrupted runs: %+v, want one, finished when Run returned", got)
			}
			if s := runsOf(t, h, "load", StatusSkipped); len(s) != 1 {
				t.Errorf("%d skipped ticks, want 1 (the minute-2 tick met the minute-1 run)", len(s))
			}
		})
	})
}
