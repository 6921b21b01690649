package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
)

// At the default log level the daemon writes one line to stderr as each
// job starts and one as it ends, with job, status, seconds and message:
// under systemd, that is the journal.
func TestDaemonLogsEachRunAtTheDefaultLevel(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[schedule]\npoll = \"* * * * * *\"\nquarterly = \"off\"\ncongress = \"off\"\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code\nS1,KEN\n"), 0o644)
	var out bytes.Buffer
	errs := newScreen()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	go func() {
		code <- Main(ctx, []string{"schedule", "--workspace", ws}, &out, errs)
		errs.finish()
	}()
	// Once the history holds a finished poll, stop the daemon and read what
	// it logged.
	for finished := false; !finished; time.Sleep(50 * time.Millisecond) {
		runs, err := layout(ws).History.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			finished = finished || (r.Job == "poll" && r.Status != schedule.StatusSkipped && !r.Finished.IsZero())
		}
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("schedule: exit %d\n%s", c, out.String())
	}
	errs.mu.Lock()
	logs := errs.b.String()
	errs.mu.Unlock()
	for _, re := range []string{
		`(?m)level=INFO msg="job started" job=poll trigger=schedule run=\S+$`,
		`(?m)level=INFO msg="job finished" job=poll run=\S+ status=ok seconds=[0-9.]+ message="as of \d{4}-\d\d-\d\d, vintage 1: 1 rows loaded[^"]*"$`,
	} {
		if !regexp.MustCompile(re).MatchString(logs) {
			t.Errorf("no line matching %s in the daemon's stderr:\n%s", re, logs)
		}
	}
}

// imet status shows when each job runs next, from imet.toml's schedules
// in its time zone.
func TestStatusShowsTheNextRuns(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[schedule]\ntimezone = \"America/New_York\"\npoll = \"0 6 1 1 *\"\nquarterly = \"off\"\n"), 0o644)
	now := time.Now().UTC()
	// 06:00 on 1 January in New York is 11:00 UTC
	next := time.Date(now.Year(), time.January, 1, 11, 0, 0, 0, time.UTC)
	if !next.After(now) {
		next = next.AddDate(1, 0, 0)
	}
	code, out := run(t, "status", "--workspace", ws)
	if code != 0 {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	for _, want := range []string{"next poll      " + next.Format(time.RFC3339) + " (in ", "next quarterly off\n", "next congress  "} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}
