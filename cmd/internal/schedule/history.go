package schedule

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync/atomic"
	"time"
)

// Run statuses.
const (
	StatusRunning     = "running"
	StatusOK          = "ok"
	StatusFailed      = "failed"
	StatusSkipped     = "skipped"     // a tick came while the job was still running
	StatusInterrupted = "interrupted" // stopped by a signal, or its process died
)

// Step is one timed part of a run.
type Step struct {
	Name    string  `json:"step"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
	Message string  `json:"message,omitempty"`
}

// Record is one run in the history.
type Record struct {
	ID       string    `json:"id"`
	Job      string    `json:"job"`
	Trigger  string    `json:"trigger"` // manual, schedule, catch-up, once
	PID      int       `json:"pid"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Status   string    `json:"status"`
	Rows     int64     `json:"rows"`
	Rejected int       `json:"rejected,omitempty"` // input files refused whole (the run itself may be ok)
	Steps    []Step    `json:"steps,omitempty"`
	Message  string    `json:"message,omitempty"`
}

// Duration is how long the run took (so far, when running).
func (r Record) Duration() time.Duration {
	if r.Finished.IsZero() {
		return 0
	}
	return r.Finished.Sub(r.Started)
}

// History is the run history: a JSON-lines file in the workspace, one line
// when a run starts and one when it ends. It lives beside the warehouse, not
// in it, so that a skipped tick or a failed run is recorded even while the
// warehouse is locked or broken. Lines are appended with O_APPEND in one
// write each, so several processes can record at once.
type History struct{ Path string }

var recordSeq atomic.Int64

// Start records that job started and returns its record.
func (h History) Start(job, trigger string, now time.Time) (*Record, error) {
	r := newRecord(job, trigger, StatusRunning, now)
	return r, h.append(r)
}

// Finish records how the run ended.
func (h History) Finish(r *Record, status, message string, now time.Time) error {
	r.Status, r.Message, r.Finished = status, message, now.UTC()
	return h.append(r)
}

// Skip records a tick that found job still running.
func (h History) Skip(job string, now time.Time, running *Record) error {
	r := newRecord(job, "schedule", StatusSkipped, now)
	r.Finished = r.Started
	if running != nil {
		r.Message = fmt.Sprintf("still running since %s (run %s)", running.Started.Format(time.RFC3339), running.ID)
	}
	return h.append(r)
}

// newRecord makes a record whose id is unique across processes: its start
// time to the millisecond, the process id and a counter.
func newRecord(job, trigger, status string, now time.Time) *Record {
	return &Record{ID: fmt.Sprintf("%s-%d-%d", now.UTC().Format("20060102T150405.000"), os.Getpid(), recordSeq.Add(1)),
		Job: job, Trigger: trigger, PID: os.Getpid(), Started: now.UTC(), Status: status}
}

func (h History) append(r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(h.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	defer f.Close()
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return f.Sync()
}

// List returns the runs, newest first: the last line of each run wins. A
// run still marked running whose process is gone is shown interrupted.
func (h History) List() ([]Record, error) {
	f, err := os.Open(h.Path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byID := map[string]Record{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r Record
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue // a line cut short by a crash mid-write
		}
		byID[r.ID] = r
	}
	out := make([]Record, 0, len(byID))
	for _, r := range byID {
		if r.Status == StatusRunning && !Alive(r.PID) {
			r.Status, r.Message = StatusInterrupted, "its process ended before the run finished"
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Started.After(out[j].Started) })
	return out, sc.Err()
}

// LastStart is when job last started a run that did not fail to start
// (ok, failed or interrupted: it ran), zero when never.
func (h History) LastStart(job string) (time.Time, error) {
	runs, err := h.List()
	for _, r := range runs {
		if r.Job == job && r.Status != StatusSkipped {
			return r.Started, err
		}
	}
	return time.Time{}, err
}
