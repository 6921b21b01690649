package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// With [duckdb] memory_limit set low (128MB), and with DuckDB at two
// threads instead of one, a transform computes the same numbers, byte for
// byte, as at the default limit (that a query past the limit spills rather
// than fails is schemas' TestMemoryLimit); out of memory (8MB), it stops
// saying what to raise and keeps nothing; a bad memory_limit or
// max_temp_size is refused naming the key.
func TestLowMemoryLimit(t *testing.T) {
	t.Parallel()
	gen := generate(t, 1000, 5, "csv")
	ws := inboxFrom(t, gen)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatal(out)
	}
	dir := t.TempDir()
	setLimit := func(limit string) {
		t.Helper()
		p := filepath.Join(ws, "imet.toml")
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(body), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "memory_limit = ") {
				lines[i] = "memory_limit = " + limit
			}
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	exports := map[string][]byte{}
	for _, limit := range []string{`"50%"`, `"128MB"`} {
		setLimit(limit)
		if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
			t.Fatalf("transform at memory_limit %s: %s", limit, out)
		}
		out := filepath.Join(dir, strings.Trim(limit, `"%`)+".csv")
		if code, msg := run(t, "export", "metrics", "--workspace", ws, "--out", out); code != 0 {
			t.Fatal(msg)
		}
		body, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		exports[limit] = body
	}
	if !bytes.Equal(exports[`"50%"`], exports[`"128MB"`]) || len(exports[`"128MB"`]) < 1000 {
		t.Errorf("the metrics at memory_limit 128MB differ from those at 50%% (%d and %d bytes)", len(exports[`"128MB"`]), len(exports[`"50%"`]))
	}
	// The package's tests run DuckDB on one thread (TestMain): the same
	// program loaded and transformed at two threads, in processes of their
	// own, links the same rows and exports the same metrics, byte for byte.
	two := inboxFrom(t, gen)
	at2 := filepath.Join(dir, "threads-2.csv")
	for _, args := range [][]string{
		{"ingest", "--workspace", two},
		{"transform", "--workspace", two, "--as-of", "2026-06-30"},
		{"export", "metrics", "--workspace", two, "--out", at2},
	} {
		cmd := child(t, args...)
		cmd.Env = append(cmd.Env, schemas.ThreadsEnv+"=2")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("imet %v at 2 threads: %v\n%s", args, err, out)
		}
	}
	if body, err := os.ReadFile(at2); err != nil || !bytes.Equal(body, exports[`"50%"`]) {
		t.Errorf("the metrics at 2 threads differ from those at 1 (%d and %d bytes, %v)", len(body), len(exports[`"50%"`]), err)
	}
	// a bad thread count is refused, naming the variable
	cmd := child(t, "transform", "--workspace", two)
	cmd.Env = append(cmd.Env, schemas.ThreadsEnv+"=many")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), schemas.ThreadsEnv+`="many"`) {
		t.Errorf("%s=many: %v\n%s", schemas.ThreadsEnv, err, out)
	}

	// Out of memory (at 8MB DuckDB cannot pin a block), the
	// transform stops saying what to change, and keeps nothing.
	runs := func() int64 {
		t.Helper()
		db := openWarehouse(t, ws)
		defer db.Close()
		return scalar(t, db, "SELECT count(*) FROM transform_runs")
	}
	before := runs()
	setLimit(`"8MB"`)
	if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2025-06-30"); code != 1 || !strings.Contains(out, "Out of Memory Error") ||
		!strings.Contains(out, "[duckdb] memory_limit and max_temp_size") || !strings.Contains(out, "nothing half-done was kept") {
		t.Errorf("transform at memory_limit 8MB: exit %d, %s", code, out)
	}
	if after := runs(); after != before || before == 0 {
		t.Errorf("the failed transform left %d transform runs, there were %d", after, before)
	}
	setLimit(`"a lot"`)
	if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-06-30"); code == 0 || !strings.Contains(out, "[duckdb]") || !strings.Contains(out, "memory_limit") {
		t.Errorf("memory_limit \"a lot\": exit %d, %s", code, out)
	}
	setLimit(`"50%"`)
	p := filepath.Join(ws, "imet.toml")
	body, _ := os.ReadFile(p)
	body = regexp.MustCompile(`(?m)^max_temp_size = .*$`).ReplaceAll(body, []byte(`max_temp_size = "a lot"`))
	os.WriteFile(p, body, 0o600)
	if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-06-30"); code == 0 || !strings.Contains(out, "[duckdb]") || !strings.Contains(out, `max_temp_size "a lot"`) {
		t.Errorf("max_temp_size \"a lot\": exit %d, %s", code, out)
	}
}
