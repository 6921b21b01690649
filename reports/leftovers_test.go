package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets a test run a write in a real child process, to kill it at
// a chosen point: the test binary re-executes itself with
// IMET_REPORTS_CHILD set to what to do.
func TestMain(m *testing.M) {
	switch what, path := os.Getenv("IMET_REPORTS_CHILD"), os.Getenv("IMET_REPORTS_PATH"); what {
	case "":
		os.Exit(m.Run())
	case "stuck-write":
		// an export that is killed while it writes its file
		WriteFile(path, func(w io.Writer) error {
			io.WriteString(w, "half of the new")
			fmt.Println("writing")
			io.Copy(io.Discard, os.Stdin) // until killed
			return nil
		})
	case "killed-between-renames", "killed-before-journal":
		at := map[string]string{"killed-between-renames": "renamed one", "killed-before-journal": "written"}[what]
		PairHook = func(point string) {
			if point == at {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
		WriteReport(pairDoc("new"), filepath.Dir(path), filepath.Base(path))
	}
	os.Exit(3) // the kill did not come
}

// pairDoc is a small report whose HTML and PDF both say which one it is.
func pairDoc(which string) *Document {
	return &Document{Title: "Report " + which, Sections: []Section{{ID: "s", Title: "Section " + which, Blocks: []Block{{Text: "This is the " + which + " report."}}}}}
}

func reportsChild(t *testing.T, what, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "IMET_REPORTS_CHILD="+what, "IMET_REPORTS_PATH="+path)
	return cmd
}

// names lists a folder.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// An export killed while it writes (SIGKILL, a real process) leaves the
// file as it was and a temporary file named after it and its pid; the next
// write of the same file removes it, and so does Tidy for any file, with
// the fixed names of earlier versions; a temporary file of a process still
// running is left alone.
func TestKilledWriteLeavesNothingForLong(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "metric_values.csv")
	os.WriteFile(path, []byte("old\n"), 0o644)
	cmd := reportsChild(t, "stuck-write", path)
	out, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if l, _ := bufio.NewReader(out).ReadString('\n'); l != "writing\n" {
		t.Fatalf("child: %q", l)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	left := names(t, dir)
	want := fmt.Sprintf(".metric_values.csv.%d-", cmd.Process.Pid)
	if len(left) != 2 || !strings.HasPrefix(left[0], want) || !strings.HasSuffix(left[0], ".tmp") {
		t.Fatalf("after the kill the folder holds %v, want the file and %s….tmp", left, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("the killed write changed the file: %q", b)
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if left := names(t, dir); len(left) != 1 {
		t.Errorf("the next write of the file left %v", left)
	}

	// Tidy: leftovers of other files, of dead processes and of earlier
	// versions' fixed names, in folders below; not a running process's.
	sub := filepath.Join(dir, "FY2026Q3")
	os.MkdirAll(filepath.Join(sub, ".lake.4194000-123.tmp", "enrollments"), 0o755)
	running := fmt.Sprintf(".congress.csv.%d-1.tmp", os.Getppid()) // the go command that runs this test
	for _, n := range []string{".evaluator-report.pdf.tmp", ".summary.xlsx.4194001-99.tmp", ".imet.duckdb.4194002.tmp", ".imet.duckdb.4194002.tmp.wal", running, "keep.tmp", ".keep", ".notes.tmp"} {
		os.WriteFile(filepath.Join(sub, n), nil, 0o644)
	}
	if _, removed := Tidy(dir); removed != 5 {
		t.Errorf("Tidy removed %d, want 5", removed)
	}
	if got := strings.Join(names(t, sub), " "); got != strings.Join([]string{running, ".keep", ".notes.tmp", "keep.tmp"}, " ") {
		t.Errorf("after Tidy: %s", got)
	}
}

// A report's HTML and PDF appear together or not at all: a real process
// killed (SIGKILL) between the two renames leaves a journal that the next
// writer's Tidy rolls forward, so both are the new report; one killed
// before the journal leaves both the old report, and its temporary files
// are removed.
func TestReportPairTogetherOrNotAtAll(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kill, want string
		finished   int
	}{
		{"killed-between-renames", "new", 1},
		{"killed-before-journal", "old", 0},
	} {
		t.Run(c.kill, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "FY2026Q3")
			html, pdf, err := WriteReport(pairDoc("old"), dir, "evaluator-report")
			if err != nil {
				t.Fatal(err)
			}
			oldPDF := read(t, pdf)
			cmd := reportsChild(t, c.kill, filepath.Join(dir, "evaluator-report"))
			err = cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed: %v", err)
			}
			// The PDF the killed write made (fpdf's bytes vary from one
			// write to the next, so the PDF is known by its file): named
			// in the journal, when there is one.
			newPDF := []byte(nil)
			if c.kill == "killed-between-renames" {
				var renames []pairRename
				if err := json.Unmarshal(read(t, filepath.Join(dir, ".evaluator-report"+pairSuffix)), &renames); err != nil || len(renames) != 2 {
					t.Fatalf("journal: %v %v", renames, err)
				}
				newPDF = read(t, filepath.Join(dir, renames[1].Temp))
				// what a reader sees until the next writer: the state
				// the journal is for
				if !bytes.Contains(read(t, html), []byte("Report new")) || !bytes.Equal(read(t, pdf), oldPDF) {
					t.Fatalf("the kill did not fall between the renames: %v", names(t, dir))
				}
			}
			finished, _ := Tidy(filepath.Dir(dir))
			if finished != c.finished {
				t.Errorf("Tidy finished %d pairs, want %d", finished, c.finished)
			}
			wantPDF := map[string][]byte{"new": newPDF, "old": oldPDF}[c.want]
			if !bytes.Contains(read(t, html), []byte("Report "+c.want)) {
				t.Errorf("the HTML is not the %s report", c.want)
			}
			if !bytes.Equal(read(t, pdf), wantPDF) {
				t.Errorf("the PDF is not the %s report's", c.want)
			}
			if left := names(t, dir); len(left) != 2 {
				t.Errorf("left in the folder: %v", left)
			}
		})
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
