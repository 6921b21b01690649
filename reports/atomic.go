package reports

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// Temporary files. Every write that must appear whole fills a temporary
// file (or folder) beside its target, named .<target>.<pid>.tmp or
// .<target>.<pid>-<random>.tmp, and renames it into place. A writer killed
// half-way leaves it behind; the next write of the same target
// (RemoveLeftovers), and every run of a writer over the workspace's
// reports/ and published/ (Tidy), remove the leftovers whose process is
// gone, and those of the fixed names earlier versions used
// (.<target>.tmp).

// tempPath is the temporary file of a write of path by this process.
func tempPath(path string) string {
	return filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%d.tmp", filepath.Base(path), os.Getpid()))
}

// tempPattern is the os.CreateTemp/MkdirTemp pattern of a write of path.
func tempPattern(path string) string {
	return fmt.Sprintf(".%s.%d-*.tmp", filepath.Base(path), os.Getpid())
}

// leftover matches a temporary name: the target, then the pid (and a
// random part) or nothing, then .tmp (DuckDB adds .wal to an attached
// database's).
var leftover = regexp.MustCompile(`^\.(.+?)(?:\.(\d+)(?:-[^/]*)?)?\.tmp(?:\.wal)?$`)

// legacyTarget: the files whose temporary names had no pid before.
var legacyTarget = regexp.MustCompile(`\.(html|pdf|csv|parquet|json|xlsx|duckdb)$`)

// orphan reports whether name is a temporary file of base (any target
// when base is empty) whose writer is no longer running.
func orphan(name, base string) bool {
	m := leftover.FindStringSubmatch(name)
	if m == nil || (base != "" && m[1] != base) {
		return false
	}
	if m[2] == "" {
		// a fixed name of an earlier version, which no writer uses now:
		// only of the files imet writes, not any hidden .tmp file
		return legacyTarget.MatchString(m[1])
	}
	pid, err := strconv.Atoi(m[2])
	if err != nil || pid == os.Getpid() {
		return false
	}
	return !alive(pid)
}

// alive reports whether a process with pid runs.
func alive(pid int) bool {
	if pid <= 0 || pid > 1<<22 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// RemoveLeftovers finishes a report pair that a killed write left
// half-renamed at path (see WriteReport), and removes the temporary files
// of earlier writes of path whose writer has gone.
func RemoveLeftovers(path string) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if orphan(e.Name(), base) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// Tidy walks root (a workspace's reports/ or published/): it finishes
// every report pair left half-renamed, then removes every temporary file
// or folder whose writer has gone. Call it holding the writer lock. It
// returns how many it finished and removed.
func Tidy(root string) (finished, removed int) {
	var journals, orphans []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		switch {
		case strings.HasSuffix(d.Name(), pairSuffix) && !d.IsDir():
			journals = append(journals, p)
		case p != root && orphan(d.Name(), ""):
			orphans = append(orphans, p)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	for _, j := range journals {
		if finishPair(j) == nil {
			finished++
		}
	}
	for _, o := range orphans {
		if _, err := os.Lstat(o); err == nil && os.RemoveAll(o) == nil {
			removed++
		}
	}
	return finished, removed
}

// WriteFile writes path whole or not at all: write fills a temporary file
// in the same folder, which is synced and renamed over path (and the folder
// synced, so the rename survives a crash). Every report and export that must
// appear whole goes through it or through commitFile.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp, err := writeTemp(path, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp fills and syncs the temporary file of path with write, and
// returns its name; on an error it is removed.
func writeTemp(path string, write func(io.Writer) error) (tmp string, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	RemoveLeftovers(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<16)
	if err = write(w); err != nil {
		return "", err
	}
	if err = w.Flush(); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// commitFile makes tmp, written whole by someone else (DuckDB's COPY, the
// PDF writer), appear as out: sync, rename, sync the folder.
func commitFile(tmp, out string) error {
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(out))
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable where the OS allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// A report's HTML and PDF appear together or not at all. Both are written
// whole to temporary files first; then a journal, dir/.<name>.pair.json,
// records the two renames to make, and only then are they made, and the
// journal removed. A write killed before the journal exists leaves the
// report as it was (its temporary files are leftovers); one killed after
// it is finished, rolled forward, by the next write of the report or the
// next writer's Tidy: both temporary files were complete before the
// journal was written.

const pairSuffix = ".pair.json"

// pairRename is one rename of a pair's journal, as names inside its folder.
type pairRename struct {
	Temp   string `json:"temp"`
	Target string `json:"target"`
}

// PairHook, when set, is called at two points of a report pair's write:
// "written" (both temporary files complete, no journal yet) and "renamed
// one" (between the two renames). A test hook: the tests kill the process
// there. Nil in the product.
var PairHook func(point string)

// WriteReport writes a report's HTML and PDF as dir/name.html and
// dir/name.pdf, the two together or neither, and returns their paths.
func WriteReport(d *Document, dir, name string) (html, pdf string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	html, pdf = filepath.Join(dir, name+".html"), filepath.Join(dir, name+".pdf")
	journal := filepath.Join(dir, "."+name+pairSuffix)
	if _, err := os.Stat(journal); err == nil {
		if err := finishPair(journal); err != nil {
			return "", "", fmt.Errorf("finish the report %s left half-written: %w", html, err)
		}
	}
	htmlTmp, err := writeTemp(html, func(w io.Writer) error { return WriteHTML(d, w) })
	if err != nil {
		return "", "", err
	}
	pdfTmp, err := writePDFTemp(d, pdf)
	if err != nil {
		os.Remove(htmlTmp)
		return "", "", err
	}
	if PairHook != nil {
		PairHook("written")
	}
	renames := []pairRename{{filepath.Base(htmlTmp), filepath.Base(html)}, {filepath.Base(pdfTmp), filepath.Base(pdf)}}
	body, _ := json.Marshal(renames)
	if err := WriteFile(journal, func(w io.Writer) error { _, err := w.Write(body); return err }); err != nil {
		os.Remove(htmlTmp)
		os.Remove(pdfTmp)
		return "", "", err
	}
	if err := finishPair(journal); err != nil {
		return "", "", fmt.Errorf("write %s and %s: %w", html, pdf, err)
	}
	return html, pdf, nil
}

// finishPair makes the renames of a pair's journal that are still to be
// made, then removes the journal.
func finishPair(journal string) error {
	dir := filepath.Dir(journal)
	body, err := os.ReadFile(journal)
	if err != nil {
		return err
	}
	var renames []pairRename
	if err := json.Unmarshal(body, &renames); err != nil {
		// written whole or not at all, so never half a journal: one that
		// does not parse is not ours
		return fmt.Errorf("%s: %w", journal, err)
	}
	for i, r := range renames {
		if strings.ContainsRune(r.Temp, filepath.Separator) || strings.ContainsRune(r.Target, filepath.Separator) {
			return fmt.Errorf("%s: names outside its folder", journal)
		}
		if err := os.Rename(filepath.Join(dir, r.Temp), filepath.Join(dir, r.Target)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if i == 0 && PairHook != nil {
			PairHook("renamed one")
		}
	}
	syncDir(dir)
	if err := os.Remove(journal); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}
