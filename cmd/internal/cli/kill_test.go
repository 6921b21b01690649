package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas/schemastest"
)

// TestMain lets a test run the CLI in a real child process: the test
// binary re-executes itself with IMET_TEST_ARGS set. Every DuckDB database
// of the package's tests (and of their children) runs on one thread unless
// the environment says otherwise: the suite runs dozens at once on a few
// cores (TestLowMemoryLimit holds that the numbers do not
// depend on it).
func TestMain(m *testing.M) {
	schemastest.OneThread()
	if ws := os.Getenv("IMET_TEST_HOLD_WAREHOUSE"); ws != "" {
		holdWarehouse(ws, os.Getenv("IMET_TEST_HOLD_AS"))
		return
	}
	if args := os.Getenv("IMET_TEST_ARGS"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		if at := os.Getenv("IMET_TEST_PAIR_KILL"); at != "" {
			// the test hook of the report pair: die at that point
			reports.PairHook = func(point string) {
				if point == at {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
			}
		}
		// as cmd/imet does: a signal cancels the context
		ctx, stop := Signals(context.Background())
		code := Main(ctx, a, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	os.RemoveAll(templates())
	os.Exit(code)
}

func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "IMET_TEST_ARGS="+string(b))
	return cmd
}

// uninterrupted loads the generated program in one plain run and returns
// the fingerprint every other way of loading it must reach, and how long
// the load took.
func uninterrupted(t *testing.T, gen string) (string, time.Duration) {
	t.Helper()
	ws := inboxFrom(t, gen)
	began := time.Now()
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("reference ingest: %s", out)
	}
	return tableCounts(t, ws), time.Since(began)
}

// A load killed with SIGKILL at any moment leaves the warehouse as it was
// after its last committed file (no half-loaded file, nothing without its
// batch), the unfinished files stay in the inbox, and the next run
// completes the work: the end state equals an uninterrupted run's.
func TestKilledIngestLosesNothing(t *testing.T) {
	t.Parallel()
	gen := generate(t, 4000, 3, "csv")
	want, took := uninterrupted(t, gen)

	// The kills fall at fractions of what an uninterrupted load took on
	// this machine now, so they land mid-load however busy it is; each
	// run resumes what the one before left, so the later fractions reach
	// into the later files.
	ws := inboxFrom(t, gen)
	killed := 0
	for _, frac := range []float64{0.05, 0.25, 0.5, 0.9} {
		delay := time.Duration(frac * float64(took))
		cmd := child(t, "ingest", "--workspace", ws)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			t.Logf("ingest finished before the kill at %s", delay)
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}
		checkConsistent(t, ws)
	}
	if killed == 0 {
		t.Fatal("no ingest was killed mid-run: make the data larger")
	}
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest after the kills: exit %d\n%s", code, out)
	}
	if got := tableCounts(t, ws); got != want {
		t.Errorf("after kills and a rerun the warehouse holds\n%s\nan uninterrupted run gives\n%s", got, want)
	}
}

// checkConsistent: every row belongs to a committed batch, every loaded
// batch has exactly the rows it reported, and every file still in the
// inbox is one the ledger does not know (or knows whole).
func checkConsistent(t *testing.T, ws string) {
	t.Helper()
	db := openWarehouse(t, ws)
	defer db.Close()
	for _, ds := range []string{"courses", "students", "enrollments", "career_events", "hr_flags", "allocations"} {
		if n := scalar(t, db, "SELECT count(*) FROM "+ds+" WHERE _batch_id NOT IN (SELECT batch_id FROM batches WHERE status = 'loaded')"); n != 0 {
			t.Errorf("%s: %d rows of no committed batch", ds, n)
		}
		if n := scalar(t, db, `SELECT count(*) FROM batches b WHERE b.dataset = ? AND b.status = 'loaded'
			AND b.loaded + b.replaced <> (SELECT count(*) FROM `+ds+` t WHERE t._batch_id = b.batch_id)
				+ (SELECT count(*) FROM `+ds+`_history h WHERE h._batch_id = b.batch_id)`, ds); n != 0 {
			t.Errorf("%s: %d batches whose rows do not add up", ds, n)
		}
		if n := scalar(t, db, `SELECT count(*) FROM batches b WHERE b.dataset = ? AND b.status = 'loaded'
			AND b.quarantined <> (SELECT count(DISTINCT line) FROM quarantine q WHERE q.batch_id = b.batch_id)`, ds); n != 0 {
			t.Errorf("%s: %d batches whose quarantine does not add up", ds, n)
		}
	}
	if n := scalar(t, db, "SELECT count(*) FROM files WHERE batch_id NOT IN (SELECT batch_id FROM batches)"); n != 0 {
		t.Errorf("%d ledger entries without a batch", n)
	}
	left, _ := os.ReadDir(ws + "/inbox")
	var waiting []string
	for _, d := range left {
		files, _ := os.ReadDir(ws + "/inbox/" + d.Name())
		for _, f := range files {
			waiting = append(waiting, d.Name()+"/"+f.Name())
		}
	}
	t.Logf("after the kill: %d loaded batches; waiting in the inbox: %s",
		scalar(t, db, "SELECT count(*) FROM batches WHERE status = 'loaded' AND batch_id > 0"), strings.Join(waiting, ", "))
}

// Two ingest processes on one workspace: one waits for the other; no file
// is loaded twice and nothing is lost.
func TestConcurrentIngests(t *testing.T) {
	t.Parallel()
	gen := generate(t, 3000, 4, "csv")
	want, _ := uninterrupted(t, gen)
	ws := inboxFrom(t, gen)
	a, b := child(t, "ingest", "--workspace", ws), child(t, "ingest", "--workspace", ws)
	var outA, outB strings.Builder
	a.Stdout, a.Stderr, b.Stdout, b.Stderr = &outA, &outA, &outB, &outB
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if errA, errB := a.Wait(), b.Wait(); errA != nil || errB != nil {
		t.Fatalf("ingests: %v / %v\n%s\n%s", errA, errB, outA.String(), outB.String())
	}
	if got := tableCounts(t, ws); got != want {
		t.Errorf("two concurrent ingests give\n%s\none gives\n%s", got, want)
	}
	// One of the two found the inbox empty: the other had loaded it all.
	if !strings.Contains(outA.String()+outB.String(), "Nothing to load") {
		t.Errorf("outputs:\n%s\n%s", outA.String(), outB.String())
	}
}

// A writer that cannot wait long enough says who holds the warehouse.
func TestBusyWorkspaceNamesTheHolder(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	os.WriteFile(filepath.Join(ws, "imet.toml"), []byte("[lock]\nwait_seconds = 0.3\n"), 0o644)
	held, err := schedule.Acquire(context.Background(), filepath.Join(ws, "imet.lock"), "run", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	code, out := run(t, "ingest", "--workspace", ws)
	if code != 1 || !strings.Contains(out, fmt.Sprintf("pid %d (run)", os.Getpid())) {
		t.Errorf("exit %d\n%s", code, out)
	}
}
