package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// testWorkspace is an inbox, archive and rejected folder in one temporary
// workspace.
type testWorkspace struct{ root, inbox, archive, rejected string }

func newTestWorkspace(t *testing.T) testWorkspace {
	root := t.TempDir()
	ws := testWorkspace{root, filepath.Join(root, "inbox"), filepath.Join(root, "archive"), filepath.Join(root, "rejected")}
	for _, d := range []string{ws.inbox, ws.archive, ws.rejected} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

func (ws testWorkspace) loadInbox(t *testing.T, l *Loader) []Result {
	t.Helper()
	items, err := Discover(ws.inbox)
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	res, err := l.LoadAll(context.Background(), items, ws.inbox, ws.archive, ws.rejected, nil)
	if err != nil {
		t.Fatalf("load all: %v", err)
	}
	return res
}

// Every kind of inbox entry that is not a regular file rejects itself with
// a reason, is moved aside as it is (never opened, never followed), and the
// good file beside it loads; nothing the links point to reaches the
// warehouse, and a pipe does not hang the load.
func TestOneBadEntryRejectsItself(t *testing.T) {
	t.Parallel()
	ws := newTestWorkspace(t)
	outside := writeFile(t, t.TempDir(), "secret.csv", "student_id,country_code,family_name\nOUTSIDE1,KEN,Secretname\n")
	inside := writeFile(t, ws.root, "elsewhere/inside.csv", "student_id,country_code\nINSIDE1,KEN\n")
	dsDir := filepath.Join(ws.inbox, "students")
	writeFile(t, dsDir, "good.csv", "student_id,country_code\nGOOD1,KEN\n")
	type entry struct {
		name, want string
		make       func(path string) error
	}
	entries := []entry{
		{"dangling.csv", "symbolic link", func(p string) error { return os.Symlink(filepath.Join(ws.root, "nowhere.csv"), p) }},
		{"passwd.csv", "symbolic link", func(p string) error { return os.Symlink("/etc/passwd", p) }},
		{"outside.csv", "symbolic link", func(p string) error { return os.Symlink(outside, p) }},
		{"inside.csv", "symbolic link", func(p string) error { return os.Symlink(inside, p) }},
		{"folder.csv", "symbolic link", func(p string) error { return os.Symlink(filepath.Dir(inside), p) }},
		{"pipe.csv", "named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
	}
	// A device node needs privileges; where there are none the other kinds
	// still run.
	devProbe := filepath.Join(t.TempDir(), "dev")
	if syscall.Mknod(devProbe, syscall.S_IFCHR|0o644, 1<<8|3) == nil {
		entries = append(entries, entry{"device.csv", "a device", func(p string) error { return syscall.Mknod(p, syscall.S_IFCHR|0o644, 1<<8|3) }})
	} else {
		t.Log("no privilege to make a device node: the device case is not run")
	}
	for _, e := range entries {
		if err := e.make(filepath.Join(dsDir, e.name)); err != nil {
			t.Fatalf("make %s: %v", e.name, err)
		}
	}
	// A dataset folder that is a link to a folder outside the workspace.
	linkedDir := filepath.Dir(writeFile(t, t.TempDir(), "students/far.csv", "student_id,country_code\nOUTSIDE2,KEN\n"))
	if err := os.Symlink(linkedDir, filepath.Join(ws.inbox, "students_elsewhere")); err != nil {
		t.Fatal(err)
	}
	db := schemastest.Memory(t)
	results := ws.loadInbox(t, newLoader(t, db))
	byName := map[string]Result{}
	for _, r := range results {
		byName[filepath.Base(r.File)] = r
	}
	if r := byName["good.csv"]; r.Status != StatusLoaded || r.Loaded != 1 {
		t.Errorf("good.csv: %+v", r)
	}
	if r := byName["students_elsewhere"]; r.Status != StatusRejected || !strings.Contains(r.Reason, "symbolic link") {
		t.Errorf("linked dataset folder: %+v", r)
	}
	if fi, err := os.Lstat(filepath.Join(ws.rejected, "_unsorted", "students_elsewhere")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("linked dataset folder not moved aside as a link: %v", err)
	}
	for _, e := range entries {
		t.Run(e.name, func(t *testing.T) {
			r, ok := byName[e.name]
			if !ok {
				t.Fatalf("no result for %s", e.name)
			}
			if r.Status != StatusRejected || !strings.Contains(r.Reason, e.want) {
				t.Errorf("status %s, reason %q: want rejected, %q", r.Status, r.Reason, e.want)
			}
			if n := count(t, db, "SELECT count(*) FROM batches WHERE file = ? AND status = 'rejected' AND message LIKE '%' || ? || '%'", e.name, e.want); n != 1 {
				t.Errorf("%d rejected batch rows for %s", n, e.name)
			}
			moved := filepath.Join(ws.rejected, "students", e.name)
			fi, err := os.Lstat(moved)
			if err != nil {
				t.Fatalf("not moved aside: %v", err)
			}
			if fi.Mode().IsRegular() {
				t.Errorf("%s was replaced by a regular file (followed or copied)", moved)
			}
			if _, err := os.Stat(moved + ".reason"); err != nil {
				t.Errorf("no reason file: %v", err)
			}
			if _, err := os.Lstat(filepath.Join(dsDir, e.name)); !os.IsNotExist(err) {
				t.Errorf("still in the inbox: %v", err)
			}
		})
	}
	// Nothing that a link points to was read.
	for _, leak := range []string{"OUTSIDE1", "OUTSIDE2", "INSIDE1", "Secretname", "root:"} {
		n := count(t, db, `SELECT (SELECT count(*) FROM students WHERE student_id = $1 OR family_name = $1)
			+ (SELECT count(*) FROM batches WHERE message LIKE '%' || $1 || '%')
			+ (SELECT count(*) FROM quarantine WHERE raw LIKE '%' || $1 || '%' OR reason LIKE '%' || $1 || '%')`, leak)
		if n > 0 {
			t.Errorf("%q reached the warehouse (%d places)", leak, n)
		}
	}
	if b, _ := os.ReadFile(outside); !bytes.Contains(b, []byte("OUTSIDE1")) {
		t.Errorf("the link's target outside the workspace was changed")
	}
	left, _ := filepath.Glob(filepath.Join(ws.archive, ".incoming-*"))
	if len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

// A pipe or device named on the command line is refused, not opened.
func TestNamedPipeOnCommandLine(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "students.csv")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	db := schemastest.Memory(t)
	ws := newTestWorkspace(t)
	res, err := newLoader(t, db).LoadAll(context.Background(), []Item{{Path: p, Dataset: "students"}}, ws.inbox, ws.archive, ws.rejected, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != StatusRejected || !strings.Contains(res[0].Reason, "named pipe") {
		t.Errorf("results = %+v", res)
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe named on the command line was moved or replaced: %v", err)
	}
}

// A file rewritten while it is loaded: the version loaded is the version
// hashed and archived, byte for byte, and the new version stays in the
// inbox for the next run, which loads it.
func TestArchiveIsWhatWasLoaded(t *testing.T) {
	t.Parallel()
	const v1 = "student_id,country_code\nV1A,KEN\nV1B,KEN\n"
	const v2 = "student_id,country_code\nV2A,KEN\n"
	for _, how := range []struct {
		name    string
		rewrite func(path string) error
	}{
		{"in place", func(p string) error { return os.WriteFile(p, []byte(v2), 0o644) }},
		{"renamed over", func(p string) error {
			tmp := p + ".part"
			if err := os.WriteFile(tmp, []byte(v2), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, p)
		}},
	} {
		t.Run(how.name, func(t *testing.T) {
			t.Parallel()
			ws := newTestWorkspace(t)
			path := writeFile(t, ws.inbox, "students/s.csv", v1)
			db := schemastest.Memory(t)
			l := newLoader(t, db)
			rewritten := false
			l.Step = func(file, step string) {
				if step == "writing" && !rewritten {
					rewritten = true
					if err := how.rewrite(path); err != nil {
						t.Error(err)
					}
				}
			}
			res := ws.loadInbox(t, l)
			if !rewritten || len(res) != 1 || res[0].Status != StatusLoaded {
				t.Fatalf("rewritten %v, results %+v", rewritten, res)
			}
			if !strings.Contains(strings.Join(res[0].Warnings, "; "), "changed while it was loaded") {
				t.Errorf("no warning about the change: %q", res[0].Warnings)
			}
			archived, err := os.ReadFile(filepath.Join(ws.archive, "students", "1_s.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if string(archived) != v1 {
				t.Errorf("archive holds %q, the version loaded was %q", archived, v1)
			}
			sum := sha256.Sum256(archived)
			if n := count(t, db, "SELECT count(*) FROM files f JOIN batches b USING (sha256) WHERE sha256 = ?", hex.EncodeToString(sum[:])); n != 1 {
				t.Errorf("the archived bytes' hash is not the loaded batch's")
			}
			if got := count(t, db, "SELECT count(*) FROM students WHERE student_id IN ('V1A', 'V1B')"); got != 2 {
				t.Errorf("%d rows of the loaded version", got)
			}
			if got := count(t, db, "SELECT count(*) FROM students WHERE student_id = 'V2A'"); got != 0 {
				t.Errorf("the new version's row loaded with the old version's batch")
			}
			if b, err := os.ReadFile(path); err != nil || string(b) != v2 {
				t.Fatalf("the new version is not in the inbox: %q, %v", b, err)
			}
			l.Step = nil
			res = ws.loadInbox(t, l)
			if len(res) != 1 || res[0].Status != StatusLoaded || res[0].Loaded != 1 {
				t.Errorf("next run: %+v", res)
			}
			if _, err := os.Lstat(path); !os.IsNotExist(err) {
				t.Errorf("the loaded new version is still in the inbox: %v", err)
			}
		})
	}
}

// A folder in the inbox that cannot be listed rejects itself; the rest of
// the inbox is still found and loads. (Root reads every folder, so the
// case needs an ordinary user.)
func TestUnreadableFolderRejectsItself(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root can list a folder of mode 000")
	}
	ws := newTestWorkspace(t)
	writeFile(t, ws.inbox, "students/good.csv", "student_id,country_code\nGOOD1,KEN\n")
	locked := filepath.Join(ws.inbox, "students", "locked")
	writeFile(t, locked, "x.csv", "student_id,country_code\nX1,KEN\n")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	db := schemastest.Memory(t)
	res := ws.loadInbox(t, newLoader(t, db))
	if len(res) != 2 {
		t.Fatalf("results: %+v", res)
	}
	for _, r := range res {
		switch filepath.Base(r.File) {
		case "good.csv":
			if r.Status != StatusLoaded {
				t.Errorf("good.csv: %+v", r)
			}
		case "locked":
			if r.Status != StatusRejected || !strings.Contains(r.Reason, "cannot be read") {
				t.Errorf("locked: %+v", r)
			}
		default:
			t.Errorf("unexpected %+v", r)
		}
	}
}
