package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/cmd/internal/schedule"
)

// A command that finds the writer lock taken says once whom it waits for
// (pid, command, since when), then waits, and goes on when the lock is free.
func TestWaitingForTheLockSaysForWhom(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	held, err := schedule.Acquire(context.Background(), filepath.Join(ws, "imet.lock"), "run", 0)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := schedule.ReadHolder(filepath.Join(ws, "imet.lock"))
	var out bytes.Buffer
	errs := newScreen()
	code := make(chan int, 1)
	go func() {
		code <- Main(context.Background(), []string{"ingest", "--workspace", ws}, &out, errs)
		errs.finish()
	}()
	said := errs.waitFor(t, "\n")
	want := fmt.Sprintf("imet ingest: waiting for the writer lock, held by pid %d (run) since %s; waiting up to 1m0s\n", os.Getpid(), h.Since.Format("2006-01-02T15:04:05Z07:00"))
	if said != want {
		t.Errorf("while waiting:\n got %q\nwant %q", said, want)
	}
	held.Release()
	if c := <-code; c != 0 || !strings.Contains(out.String(), "Nothing to load") {
		t.Fatalf("ingest after the lock was freed: exit %d\n%s%s", c, out.String(), errs.b.String())
	}
	if n := strings.Count(errs.b.String(), "waiting for the writer lock"); n != 1 {
		t.Errorf("said it %d times:\n%s", n, errs.b.String())
	}
}
