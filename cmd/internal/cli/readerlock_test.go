package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// holdWarehouse is a child process that reads the warehouse of ws and
// keeps it open until its stdin ends: as an export does (as "export"), or
// as a DuckDB client that knows nothing of the workspace lock ("duckdb").
func holdWarehouse(ws, as string) {
	ctx := context.Background()
	w, err := openWorkspace(ws)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	closeAll := func() {}
	switch as {
	case "export":
		_, closeAll, err = openExport(ctx, w, "export lake")
	default:
		db, oerr := schemas.OpenForExport(ctx, w.Warehouse)
		err = oerr
		if err == nil {
			closeAll = func() { db.Close() }
		}
	}
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("holding")
	io.Copy(io.Discard, os.Stdin)
	closeAll()
	os.Exit(0)
}

// While another process reads the warehouse, imet run (a writer) waits its
// turn, saying once whom it waits for (the command and pid of an imet
// reader, DuckDB's own words with the pid for another client), and runs
// when the reader is done, instead of failing with DuckDB's "Conflicting
// lock". Real processes, a real warehouse.
func TestWriterWaitsForAReader(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ as, says string }{
		{"export", "imet run: waiting for the warehouse, being read by pid %d (export lake) since "},
		{"duckdb", "imet: waiting for the warehouse, which another process has open ("},
	} {
		t.Run(c.as, func(t *testing.T) {
			t.Parallel()
			ws := filepath.Join(t.TempDir(), "ws")
			if code, out := run(t, "init", ws); code != 0 {
				t.Fatal(out)
			}
			os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"),
				[]byte("student_id,country_code,family_name,given_names,birth_year\nS1,KEN,Odhiambo,Grace,1980\n"), 0o644)
			holder := exec.Command(os.Args[0], "-test.run=^$")
			holder.Env = append(os.Environ(), "IMET_TEST_HOLD_WAREHOUSE="+ws, "IMET_TEST_HOLD_AS="+c.as)
			release, err := holder.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			held, err := holder.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := holder.Start(); err != nil {
				t.Fatal(err)
			}
			defer holder.Wait()
			defer release.Close()
			if l, _ := bufio.NewReader(held).ReadString('\n'); l != "holding\n" {
				t.Fatalf("the reader: %q", l)
			}
			writer := child(t, "run", "--workspace", ws, "--as-of", "2026-06-30")
			stderr, err := writer.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stdout strings.Builder
			writer.Stdout = &stdout
			if err := writer.Start(); err != nil {
				t.Fatal(err)
			}
			errs := bufio.NewReader(stderr)
			said, _ := errs.ReadString('\n')
			want := c.says
			if strings.Contains(want, "%d") {
				want = fmt.Sprintf(want, holder.Process.Pid)
			}
			if !strings.HasPrefix(said, want) || !strings.Contains(said, "waiting up to 1m0s") {
				t.Errorf("the writer said\n %q\nwant it to start %q", said, want)
			}
			if c.as == "duckdb" && !strings.Contains(said, fmt.Sprintf("PID %d", holder.Process.Pid)) {
				t.Errorf("the writer did not name the pid %d: %q", holder.Process.Pid, said)
			}
			release.Close() // the reader is done
			rest, _ := io.ReadAll(errs)
			if err := writer.Wait(); err != nil || !strings.Contains(stdout.String(), "snapshot published") {
				t.Errorf("the writer after the reader: %v\n%s%s%s", err, stdout.String(), said, rest)
			}
			if strings.Contains(string(rest), "Conflicting lock") {
				t.Errorf("the writer failed on DuckDB's lock:\n%s", rest)
			}
		})
	}
}
