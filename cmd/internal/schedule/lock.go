package schedule

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// Holder says who holds the workspace lock.
type Holder struct {
	PID   int       `json:"pid"`
	Job   string    `json:"job"`
	Since time.Time `json:"since"`
	// Shared: a reader (an export reading the warehouse), which other
	// readers may join but a writer waits for.
	Shared bool `json:"shared,omitempty"`
}

// Lock is the workspace lock: an flock on a file beside the warehouse,
// exclusive for a writer, shared by readers (DuckDB lets no process open
// the file while another writes it, and no writer open it while a reader
// has it, so they must take turns). The kernel drops an flock when its
// process dies, so a lock left by a killed process is simply free for the
// next one to take. The file names the holders, one JSON line each: the
// writer, or the readers.
type Lock struct{ f *os.File }

// ErrBusy is returned (wrapped, with the holder) when the wait ran out.
var ErrBusy = errors.New("the warehouse is in use by another process")

// Acquire takes the writer lock at path for job, waiting up to wait for a
// holder to finish.
func Acquire(ctx context.Context, path, job string, wait time.Duration) (*Lock, error) {
	return AcquireNotify(ctx, path, job, wait, nil)
}

// AcquireNotify is Acquire that, when it has to wait, tells waiting (once,
// before it waits on) who holds the lock.
func AcquireNotify(ctx context.Context, path, job string, wait time.Duration, waiting func(Holder)) (*Lock, error) {
	return acquire(ctx, path, job, wait, waiting, false)
}

// AcquireShared takes the lock at path for a reader: with other readers,
// after a writer, before the next writer.
func AcquireShared(ctx context.Context, path, job string, wait time.Duration, waiting func(Holder)) (*Lock, error) {
	return acquire(ctx, path, job, wait, waiting, true)
}

func acquire(ctx context.Context, path, job string, wait time.Duration, waiting func(Holder), shared bool) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the workspace lock %s: %w", path, err)
	}
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	deadline := time.Now().Add(wait)
	tries := 0
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("take the workspace lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			h, _ := ReadHolder(path)
			f.Close()
			doing := "writing it"
			if h.Shared {
				doing = "reading it"
			}
			return nil, fmt.Errorf("%w: pid %d (%s), %s since %s; waited %s: try again when it is done, or raise [lock] wait_seconds in imet.toml",
				ErrBusy, h.PID, h.Job, doing, h.Since.Format(time.RFC3339), wait)
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
	b, _ := json.Marshal(Holder{PID: os.Getpid(), Job: job, Since: time.Now().UTC().Truncate(time.Second), Shared: shared})
	b = append(b, '\n')
	if !shared {
		if err := f.Truncate(0); err == nil {
			f.WriteAt(b, 0)
		}
	} else if a, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err == nil {
		// Readers add a line each; the next writer starts the file afresh.
		// A writer's line left from before goes first.
		if hs := readHolders(path); len(hs) > 0 && !hs[0].Shared {
			a.Truncate(0)
		}
		a.Write(b)
		a.Close()
	}
	return &Lock{f: f}, nil
}

// ReadHolder reads who holds the lock at path: the writer, or the reader
// that came first among those still running (whoever took it last, when it
// is free).
func ReadHolder(path string) (Holder, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Holder{}, err
	}
	hs := parseHolders(b)
	if len(hs) == 0 {
		var h Holder
		return h, json.Unmarshal(bytes.TrimSpace(b), &h)
	}
	for _, h := range hs {
		if !h.Shared || alive(h.PID) {
			return h, nil
		}
	}
	return hs[len(hs)-1], nil
}

func readHolders(path string) []Holder {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return parseHolders(b)
}

func parseHolders(b []byte) []Holder {
	var hs []Holder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var h Holder
		if l := strings.TrimSpace(sc.Text()); l != "" && json.Unmarshal([]byte(l), &h) == nil {
			hs = append(hs, h)
		}
	}
	return hs
}

// alive reports whether a process with pid runs (a reader that left keeps
// its line until the next writer).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
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

// Held reports whether a writer holds the lock at path now, and who.
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
