package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A real imet ingest process over an inbox holding a named pipe, a
// dangling link and a link to /etc/passwd beside a good file: it ends (a
// pipe opened for reading would block it forever, the lock held), loads
// the good file, rejects each bad entry with its reason, reads nothing the
// links point to, and leaves an inbox that the next run finds empty.
func TestInboxEntriesInARealIngest(t *testing.T) {
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatal(out)
	}
	dir := filepath.Join(ws, "inbox", "students")
	if err := os.WriteFile(filepath.Join(dir, "good.csv"), []byte("student_id,country_code\nS1,KEN\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, to := range map[string]string{"dangling.csv": filepath.Join(ws, "gone.csv"), "passwd.csv": "/etc/passwd"} {
		if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := child(t, "ingest", "--workspace", ws).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("ingest: %v, want exit 1 (files rejected)\n%s", err, out)
	}
	for _, want := range []string{"good.csv", "pipe.csv is a named pipe", "dangling.csv is a symbolic link", "passwd.csv is a symbolic link", "3 files rejected"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "root:") {
		t.Errorf("the linked /etc/passwd was read:\n%s", out)
	}
	reasons, _ := filepath.Glob(filepath.Join(ws, "rejected", "students", "*.reason"))
	if len(reasons) != 3 {
		t.Errorf("reason files: %v", reasons)
	}
	for _, r := range reasons {
		if b, _ := os.ReadFile(r); strings.Contains(string(b), "root:") {
			t.Errorf("%s quotes /etc/passwd", r)
		}
	}
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 || !strings.Contains(out, "Nothing to load") {
		t.Errorf("second ingest: exit %d\n%s", code, out)
	}
}
