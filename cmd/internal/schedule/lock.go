package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Holder says who holds the writer lock.
type Holder struct {
	PID   int       `json:"pid"`
	Job   string    `json:"job"`
	Since time.Time `json:"since"`
}

// Lock is the workspace's writer lock: an flock on a file beside the
// warehouse. The kernel drops an flock when its process dies, so a lock left
// by a killed process is simply free for the next writer to take.
type Lock struct{ f *os.File }

// ErrBusy is returned (wrapped, with the holder) when the wait ran out.
var ErrBusy = errors.New("the warehouse is being written by another process")

// Acquire takes the lock at path for job, waiting up to wait for a holder
// to finish.
func Acquire(ctx context.Context, path, job string, wait time.Duration) (*Lock, error) {
	return AcquireNotify(ctx, path, job, wait, nil)
}

// AcquireNotify is Acquire that, when it has to wait, tells waiting (once,
// before it waits on) who holds the lock.
func AcquireNotify(ctx context.Context, path, job string, wait time.Duration, waiting func(Holder)) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open writer lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	tries := 0
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("take writer lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			h, _ := ReadHolder(path)
			f.Close()
			return nil, fmt.Errorf("%w: pid %d (%s) since %s; waited %s: try again when it is done, or raise [lock] wait_seconds in imet.toml",
				ErrBusy, h.PID, h.Job, h.Since.Format(time.RFC3339), wait)
		}
		if waiting != nil {
			// The holder writes its name just after it takes the lock:
			// give it one more try to appear before saying what is known.
			if h, err := ReadHolder(path); (err == nil && h.PID != 0) || tries > 0 {
				waiting(h)
				waiting = nil
			}
			tries++
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Job: job, Since: time.Now().UTC().Truncate(time.Second)})
	if err := f.Truncate(0); err == nil {
		f.WriteAt(append(b, '\n'), 0)
	}
	return &Lock{f: f}, nil
}

// ReadHolder reads who last took the lock at path (the current holder,
// while it is held).
func ReadHolder(path string) (Holder, error) {
	var h Holder
	b, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	return h, json.Unmarshal(b, &h)
}

// Release frees the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}

// Held reports whether some process holds the lock at path now, and who.
func Held(path string) (Holder, bool) {
	f, err := os.Open(path)
	if err != nil {
		return Holder{}, false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return Holder{}, false
	}
	h, _ := ReadHolder(path)
	return h, true
}
