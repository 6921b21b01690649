package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one scheduled job. Run does the work and fills rec (steps, rows,
// message); the daemon records the run around it.
type Job struct {
	Name    string
	Spec    string // cron expression: 5 fields, or 6 with seconds first; CRON_TZ=Zone prefix allowed
	CatchUp bool   // a tick missed while the daemon was down runs once at start-up
	// Due, when set, says whether there is anything to do (the inbox poll):
	// a tick with nothing to do is not a run and leaves no record.
	Due func() bool
	Run func(ctx context.Context, rec *Record) error
}

var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parse reads a cron expression in loc (unless it names its own CRON_TZ).
func Parse(spec string, loc *time.Location) (s cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		if i := strings.IndexByte(spec, ' '); i < 0 || strings.TrimSpace(spec[i:]) == "" {
			return nil, fmt.Errorf("schedule %q: a time zone with no schedule after it", spec)
		}
	} else if loc != nil {
		spec = "CRON_TZ=" + loc.String() + " " + spec
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("schedule %q: %v", spec, r)
		}
	}()
	s, err = parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w (five fields: minute hour day-of-month month day-of-week)", spec, err)
	}
	return s, nil
}

// Missed reports whether a run fell due between last and now: what a daemon
// that was down at the time must catch up on. Never having run is not a
// missed run.
func Missed(s cron.Schedule, last, now time.Time) bool {
	if last.IsZero() {
		return false
	}
	next := s.Next(last)
	return !next.After(now)
}

// Daemon runs jobs on their schedules, one at a time: the warehouse has one
// writer. A tick that finds a job running is recorded as skipped.
type Daemon struct {
	Jobs     []Job
	Location *time.Location
	History  History
	Logger   *slog.Logger
	Now      func() time.Time

	mu      sync.Mutex             // held by the running job
	running atomic.Pointer[Record] // the running job's record, for skip messages
}

func (d *Daemon) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
}

// Run runs the daemon until ctx is cancelled; then it waits for the
// running job (whose context is ctx, so it commits or rolls back promptly)
// and returns nil.
func (d *Daemon) Run(ctx context.Context) error {
	d.defaults()
	c := cron.New(cron.WithParser(parser), cron.WithLocation(d.location()))
	var catchUp []Job
	for _, j := range d.Jobs {
		s, err := Parse(j.Spec, d.location())
		if err != nil {
			return fmt.Errorf("job %s: %w", j.Name, err)
		}
		j := j
		c.Schedule(s, cron.FuncJob(func() { d.Tick(ctx, j, "schedule") }))
		if j.CatchUp {
			last, err := d.History.LastStart(j.Name)
			if err != nil {
				return err
			}
			if Missed(s, last, d.Now()) {
				catchUp = append(catchUp, j)
			}
		}
	}
	c.Start()
	d.Logger.Info("daemon started", "jobs", len(d.Jobs))
	for _, j := range catchUp {
		d.Logger.Info("catching up a run missed while the daemon was down", "job", j.Name)
		d.Tick(ctx, j, "catch-up")
	}
	<-ctx.Done()
	d.Logger.Info("daemon stopping: waiting for the running job")
	<-c.Stop().Done()
	return nil
}

func (d *Daemon) location() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// Tick runs j now unless another job is running (then it records a skip).
// A panic or error in the job is recorded; the daemon lives on. It logs one
// line as the run starts and one as it ends (job, status, seconds, message):
// all that a journal shows of the daemon's work.
func (d *Daemon) Tick(ctx context.Context, j Job, trigger string) {
	d.defaults()
	if ctx.Err() != nil {
		return
	}
	if !d.mu.TryLock() {
		if err := d.History.Skip(j.Name, d.Now(), d.running.Load()); err != nil {
			d.Logger.Error("record skipped run", "job", j.Name, "err", err)
		}
		d.Logger.Info("tick skipped: a job is still running", "job", j.Name)
		return
	}
	defer d.mu.Unlock()
	if j.Due != nil && !j.Due() {
		return
	}
	rec, err := d.History.Start(j.Name, trigger, d.Now())
	if err != nil {
		d.Logger.Error("record run", "job", j.Name, "err", err)
		return
	}
	d.running.Store(rec)
	defer d.running.Store(nil)
	d.Logger.Info("job started", "job", j.Name, "trigger", trigger, "run", rec.ID)
	Execute(ctx, d.History, rec, j.Run, d.Now)
	level := slog.LevelInfo
	switch rec.Status {
	case StatusFailed:
		level = slog.LevelError
	case StatusInterrupted:
		level = slog.LevelWarn
	}
	d.Logger.Log(context.Background(), level, "job finished", "job", j.Name, "run", rec.ID, "status", rec.Status,
		"seconds", math.Round(rec.Duration().Seconds()*10)/10, "message", rec.Message)
}

// Execute runs fn for a started record and records how it ended: ok,
// failed (an error or a panic, with its message), or interrupted (the
// context was cancelled: the work rolled back).
func Execute(ctx context.Context, h History, rec *Record, fn func(context.Context, *Record) error, now func() time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
		status, msg := StatusOK, rec.Message
		switch {
		case err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil):
			status, msg = StatusInterrupted, "stopped by a signal; the step under way rolled back: "+err.Error()
		case err != nil:
			status, msg = StatusFailed, err.Error()
		}
		if ferr := h.Finish(rec, status, msg, now()); ferr != nil && err == nil {
			err = ferr
		}
	}()
	return fn(ctx, rec)
}
