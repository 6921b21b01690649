package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// An inbox entry is judged by what it is, never by what it points to: only
// a regular file is read. A symbolic link is refused even when its target
// is a regular file inside the workspace (following it could read a file
// outside the workspace, /etc/passwd, or one the link is swapped to between
// check and open); a named pipe, a device or a socket is refused without
// being opened (opening a pipe waits for a writer forever). Each refusal
// rejects that entry only, with a reason, and the rest of the inbox loads.

// notRegular is why an entry of mode m (from Lstat) is not read, or "".
func notRegular(path string, m fs.FileMode) string {
	name := filepath.Base(path)
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeSymlink != 0:
		to, _ := os.Readlink(path)
		return fmt.Sprintf("%s is a symbolic link (to %s): imet reads only regular files in the inbox and never follows a link, which could lead out of the workspace; copy the file itself into the inbox", name, truncate(to, 200))
	case m&fs.ModeNamedPipe != 0:
		return fmt.Sprintf("%s is a named pipe (FIFO), not a file: imet does not read from pipes (one can wait for a writer forever); write the data to a regular file and put that in the inbox", name)
	case m&fs.ModeDevice != 0:
		return fmt.Sprintf("%s is a device, not a file: put a regular file in the inbox", name)
	case m&fs.ModeSocket != 0:
		return fmt.Sprintf("%s is a socket, not a file: put a regular file in the inbox", name)
	case m.IsDir():
		return fmt.Sprintf("%s is a folder: put the files themselves in inbox/<dataset>/", name)
	}
	return fmt.Sprintf("%s is not a regular file (%s): put a regular file in the inbox", name, m.Type())
}

// errChanging says a file kept changing while it was copied: it stays in
// the inbox for a later run.
var errChanging = errors.New("the file changed while it was read")

// snapshotFile copies the regular file at path into dir (under its own
// name) and returns the copy's path and the file's state when copied, so
// that what is hashed, loaded and archived is one version of it, whatever
// happens to the inbox file meanwhile. The file is opened without
// following a link and without blocking, and must be the very entry Lstat
// saw. A *Rejection says the entry is not a regular file.
func snapshotFile(path, dir string) (string, os.FileInfo, error) {
	var lastErr error
	for range 3 {
		copied, fi, err := copyOnce(path, dir)
		if !errors.Is(err, errChanging) {
			return copied, fi, err
		}
		lastErr = err
	}
	return "", nil, lastErr
}

func copyOnce(path, dir string) (string, os.FileInfo, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return "", nil, err
	}
	if why := notRegular(path, before.Mode()); why != "" {
		return "", nil, reject("%s", why)
	}
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return "", nil, errChanging // swapped for a link since Lstat
		}
		return "", nil, err
	}
	defer fh.Close()
	opened, err := fh.Stat()
	if err != nil {
		return "", nil, err
	}
	if !opened.Mode().IsRegular() || !os.SameFile(before, opened) {
		return "", nil, errChanging // swapped since Lstat
	}
	dst := filepath.Join(dir, filepath.Base(path))
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", nil, err
	}
	_, err = io.Copy(out, fh)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", nil, fmt.Errorf("copy %s: %w", filepath.Base(path), err)
	}
	after, err := fh.Stat()
	if err != nil {
		return "", nil, err
	}
	if !sameVersion(opened, after) {
		return "", nil, errChanging
	}
	return dst, after, nil
}

// sameVersion: the same file, not written to between the two looks.
func sameVersion(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// unchangedSince says whether the inbox entry at path is still the version
// snapshotFile copied.
func unchangedSince(path string, copied os.FileInfo) bool {
	now, err := os.Lstat(path)
	return err == nil && sameVersion(copied, now)
}

// stagingDir is a private folder beside the archive for the copies of one
// LoadAll, on the archive's file system so that archiving is a rename;
// leftovers of a killed run are removed first (one writer at a time holds
// the workspace).
func stagingDir(archiveDir string) (string, error) {
	if err := os.MkdirAll(archiveDir, 0o755); err != nil {
		return "", err
	}
	old, _ := filepath.Glob(filepath.Join(archiveDir, ".incoming-*"))
	for _, o := range old {
		if err := os.RemoveAll(o); err != nil {
			return "", err
		}
	}
	return os.MkdirTemp(archiveDir, ".incoming-")
}
