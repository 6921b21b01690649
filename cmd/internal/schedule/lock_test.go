package schedule

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockExcludesAndNamesTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imet.lock")
	ctx := context.Background()
	first, err := Acquire(ctx, path, "ingest", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(ctx, path, "run", 250*time.Millisecond)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "(ingest)") || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second writer: %v", err)
	}
	h, err := ReadHolder(path)
	if err != nil || h.PID != os.Getpid() || h.Job != "ingest" {
		t.Fatalf("holder %+v, %v", h, err)
	}
	// A waiter gets the lock as soon as the holder lets go.
	go func() { time.Sleep(200 * time.Millisecond); first.Release() }()
	second, err := Acquire(ctx, path, "run", 5*time.Second)
	if err != nil {
		t.Fatalf("waiting writer: %v", err)
	}
	defer second.Release()
	if h, _ := ReadHolder(path); h.Job != "run" {
		t.Errorf("holder after hand-over: %+v", h)
	}
}

func TestLockWaitEndsWithTheContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imet.lock")
	held, err := Acquire(context.Background(), path, "ingest", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Acquire(ctx, path, "run", time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// A writer that has to wait is told once whom it waits for, then waits.
func TestLockSaysWhomItWaitsFor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imet.lock")
	held, err := Acquire(context.Background(), path, "ingest", 0)
	if err != nil {
		t.Fatal(err)
	}
	var told []Holder
	first := make(chan struct{})
	got := make(chan error, 1)
	go func() {
		l, err := AcquireNotify(context.Background(), path, "run", time.Hour, func(h Holder) {
			told = append(told, h)
			if len(told) == 1 {
				close(first)
			}
		})
		if err == nil {
			l.Release()
		}
		got <- err
	}()
	<-first
	held.Release()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || told[0].PID != os.Getpid() || told[0].Job != "ingest" || told[0].Since.IsZero() {
		t.Errorf("told %+v, want the holder once", told)
	}
	// A free lock, or one not waited for, says nothing.
	told = nil
	l, err := AcquireNotify(context.Background(), path, "run", time.Hour, func(h Holder) { told = append(told, h) })
	if err != nil || len(told) != 0 {
		t.Errorf("free lock: %v, told %+v", err, told)
	}
	_, err = AcquireNotify(context.Background(), path, "other", 0, func(h Holder) { told = append(told, h) })
	if !errors.Is(err, ErrBusy) || len(told) != 0 {
		t.Errorf("no wait: %v, told %+v", err, told)
	}
	l.Release()
}
