//go:build unix

package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Personal data at rest (issue 17, item 10): after init, ingest (a file
// loaded, one rejected) and a publish, under the common umask 022 that
// made them 0644 before, the workspace is 0700 and every file holding
// personal data 0600: the warehouse (and its WAL if one is left), archive/,
// rejected/ with the .reason, the pseudonym key, the run history, the lock;
// the snapshot is 0644 without personal data and 0600 with it, as is the
// lake then. (Not parallel: the umask belongs to the whole process.)
func TestWorkspaceFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ws := filepath.Join(t.TempDir(), "ws")
	if code, out := run(t, "init", ws); code != 0 {
		t.Fatalf("init: %s", out)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "students", "s.csv"), []byte("student_id,country_code,family_name,birth_year\nS1,KEN,Otieno,1980\nS2,KEN,Wanjiru,1979\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "inbox", "students", "broken.csv"), []byte("S3,KEN,Achieng,1981\n"), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 1 {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	mode := func(rel string) fs.FileMode {
		t.Helper()
		fi, err := os.Stat(filepath.Join(ws, rel))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	want := map[string]fs.FileMode{
		".": 0o700, "inbox": 0o700, "inbox/students": 0o700, "archive": 0o700, "rejected": 0o700,
		"warehouse.duckdb": 0o600, "pseudonym.key": 0o600, "runs.jsonl": 0o600, "imet.lock": 0o600,
		"published/imet.duckdb": 0o644,
	}
	for _, pattern := range []string{"archive/*/*", "archive/*", "rejected/*/*", "rejected/*"} {
		matches, _ := filepath.Glob(filepath.Join(ws, pattern))
		for _, m := range matches {
			rel, _ := filepath.Rel(ws, m)
			fi, _ := os.Stat(m)
			if fi.IsDir() {
				want[rel] = 0o700
			} else {
				want[rel] = 0o600
			}
		}
	}
	if _, ok := want["rejected/students/broken.csv.reason"]; !ok {
		t.Fatalf("no .reason in rejected/: %v", want)
	}
	if _, ok := want["archive/students/2_s.csv"]; !ok {
		t.Fatalf("no archived file: %v", want)
	}
	if _, err := os.Stat(filepath.Join(ws, "warehouse.duckdb.wal")); err == nil {
		want["warehouse.duckdb.wal"] = 0o600
	}
	for rel, m := range want {
		if got := mode(rel); got != m {
			t.Errorf("%s: %v, want %v", rel, got, m)
		}
	}
	// With personal data published, the snapshot and a lake are the owner's.
	cfg, _ := os.ReadFile(filepath.Join(ws, "imet.toml"))
	os.WriteFile(filepath.Join(ws, "imet.toml"), bytes.Replace(cfg, []byte("include_personal = false"), []byte("include_personal = true"), 1), 0o600)
	if code, out := run(t, "run", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("run: %s", out)
	}
	if got := mode("published/imet.duckdb"); got != 0o600 {
		t.Errorf("snapshot with personal data: %v, want 0600", got)
	}
	lake := filepath.Join(t.TempDir(), "lake")
	if code, out := run(t, "export", "lake", "--workspace", ws, "--out", lake); code != 0 {
		t.Fatalf("lake: %s", out)
	}
	n := 0
	filepath.WalkDir(lake, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		if w := fs.FileMode(0o600); d.IsDir() && fi.Mode().Perm() != 0o700 || !d.IsDir() && fi.Mode().Perm() != w {
			t.Errorf("lake %s: %v", strings.TrimPrefix(p, lake), fi.Mode().Perm())
		}
		n++
		return nil
	})
	if n < 20 {
		t.Errorf("the lake has %d entries", n)
	}
}
