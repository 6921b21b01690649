package webtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/cli"
)

// imet runs a command of the CLI in this process and fails the test when
// it exits other than 0.
func imet(t testing.TB, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if code := cli.Main(context.Background(), args, &out, &out); code != 0 {
		t.Fatalf("imet %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
	}
	return out.String()
}

// smallWorkspace makes a workspace of a generated program of n people
// (no bad rows) and publishes its snapshot with imet run, leaving out the
// datasets held and those without rows; it returns the workspace and the folder of the generated
// files, so a test can add a held one later.
func smallWorkspace(t testing.TB, n int, held ...string) (ws, gen string) {
	t.Helper()
	dir := t.TempDir()
	ws, gen = filepath.Join(dir, "ws"), filepath.Join(dir, "gen")
	imet(t, "init", ws)
	imet(t, "generate", "--out", gen, "--students", fmt.Sprint(n), "--clean")
	entries, err := os.ReadDir(gen)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); e.IsDir() && !strings.HasPrefix(name, "_") && !contains(held, name) && hasRows(t, gen, name) {
			addToInbox(t, ws, gen, name)
		}
	}
	imet(t, "run", "--workspace", ws)
	return ws, gen
}

// hasRows: the generated CSV of a dataset has a row under its header (a
// small program has no human-rights flags, and an empty file is refused).
func hasRows(t testing.TB, gen, dataset string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(gen, dataset, dataset+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n")) > 1
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// addToInbox copies the generated files of one dataset into the inbox.
func addToInbox(t testing.TB, ws, gen, dataset string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(gen, dataset, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated files of %s: %v", dataset, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, "inbox", dataset, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A page never fails while a run publishes: clients read every page of a
// small workspace over and over while imet run loads a new file and
// publishes a new snapshot in place of the one being read; every answer
// is 200, and afterwards the pages show the new snapshot's numbers.
func TestPagesWhileARunPublishes(t *testing.T) {
	ws, gen := smallWorkspace(t, 300, "career_events")
	c := newClient(serveCLI(t, ws), "")
	var targets []string
	for _, p := range sitePagesOf(t, c) {
		targets = append(targets, p, apiOf(p))
	}
	const counts = "SELECT (SELECT count(*) FROM batches) AS batches, (SELECT count(*) FROM metric_values) AS metric_rows"
	console := "/sql?q=" + strings.ReplaceAll(counts, " ", "+")
	targets = append(targets, console)
	before := snapshotCounts(t, c, counts)

	// The readers: bounded in count, they read until the new snapshot
	// is seen (stop), however long the run takes.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var (
		mu       sync.Mutex
		failures []string
		served   int
		wg       sync.WaitGroup
	)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20000 && ctx.Err() == nil; i++ {
				path := targets[(i+w)%len(targets)]
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
				resp, err := c.hc.Do(req)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				served++
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("GET %s: %v", path, err))
				case resp.StatusCode != http.StatusOK:
					failures = append(failures, fmt.Sprintf("GET %s: %d", path, resp.StatusCode))
				}
				mu.Unlock()
				if err == nil {
					resp.Body.Close()
				}
				time.Sleep(2 * time.Millisecond) // leave the run a core
			}
		}()
	}
	addToInbox(t, ws, gen, "career_events")
	start := time.Now()
	out := imet(t, "run", "--workspace", ws)
	if !strings.Contains(out, "snapshot published") {
		t.Errorf("imet run did not publish:\n%s", out)
	}
	published := time.Since(start)
	// The server looks for a new file once a second: wait until it has
	// seen it (were it never to, go test's -timeout fails the test).
	var after [2]int64
	for after = snapshotCounts(t, c, counts); after == before; after = snapshotCounts(t, c, counts) {
		time.Sleep(200 * time.Millisecond)
	}
	stop()
	wg.Wait()
	t.Logf("%d requests while the run took %s; batches and metric rows %v before, %v after", served, published.Round(time.Millisecond), before, after)
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed while a run published, e.g.:\n%s", len(failures), served, strings.Join(failures[:min(10, len(failures))], "\n"))
	}
	if served < 10 {
		t.Errorf("only %d requests were made while the run published", served)
	}
	if after[0] != before[0]+1 || after[1] == before[1] {
		t.Errorf("after the run the console shows batches and metric rows %v (before %v): want one batch more and other metrics", after, before)
	}
	// Every page still answers, from the new snapshot.
	for _, p := range targets {
		if code, body := c.get(t, p); code != http.StatusOK {
			t.Errorf("GET %s after the run = %d:\n%.300s", p, code, body)
		}
	}
}

// sitePagesOf are the navigation's pages of a server over a workspace
// other than the demo's (no country profiles: they depend on the data).
func sitePagesOf(t testing.TB, c *client) []string {
	t.Helper()
	status, body := c.get(t, "/")
	if status != http.StatusOK {
		t.Fatalf("GET / = %d:\n%.300s", status, body)
	}
	return navLinks(t, body)
}

// snapshotCounts runs the two-count statement in the console.
func snapshotCounts(t testing.TB, c *client, q string) [2]int64 {
	t.Helper()
	code, a := c.postSQL(t, q)
	if code != http.StatusOK || len(a.Rows) != 1 || len(a.Rows[0]) != 2 {
		t.Fatalf("POST /api/sql %q = %d %+v", q, code, a)
	}
	var out [2]int64
	for i, v := range a.Rows[0] {
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("%q: cell %d is %T %v, want a number", q, i, v, v)
		}
		out[i] = int64(f)
	}
	return out
}
