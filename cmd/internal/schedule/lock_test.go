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
