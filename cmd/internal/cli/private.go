package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// At rest, a workspace holds personal data in the warehouse (and its WAL
// while a writer runs), archive/ and rejected/ (the files as sent),
// inbox/, the pseudonym key, the run history and the lock and daemon
// files (which name jobs and files). The workspace folder is 0700 and those
// files 0600, set explicitly whatever the umask: the modes below are the
// one place that says so (docs/operating.md, "Personal data at rest").
const (
	privateDir  os.FileMode = 0o700
	privateFile os.FileMode = 0o600
)

// keyFile is the workspace's pseudonym key: inside the workspace, never in
// published/ or a lake.
func (ws *workspace) keyFile() string { return filepath.Join(ws.Root, "pseudonym.key") }

// privacy is what the snapshot, the lake and explain may show: everything
// when imet.toml sets include_personal, else pseudonyms with the
// workspace's key, created on first use (a workspace made before keys
// existed gets one then).
func (ws *workspace) privacy() (reports.Privacy, error) {
	if ws.Config.Snapshot.IncludePersonal {
		return reports.Privacy{IncludePersonal: true}, nil
	}
	if _, err := schemas.CreatePseudonymKey(ws.keyFile()); err != nil {
		return reports.Privacy{}, err
	}
	key, err := schemas.ReadPseudonymKey(ws.keyFile())
	if err != nil {
		return reports.Privacy{}, err
	}
	return reports.Privacy{Key: key}, nil
}

// protect sets the at-rest modes on what the workspace holds: the root,
// inbox/, archive/ and rejected/ (every folder and file under them), the
// warehouse and its WAL, the key, the run history, lock and daemon files.
// Files moved in by rename (an inbox file archived) keep the mode they were
// sent with until this runs: it runs at init and whenever a writer
// finishes. Missing files are skipped.
func (ws *workspace) protect() error {
	if err := chmod(ws.Root, privateDir); err != nil {
		return err
	}
	for _, dir := range []string{ws.Inbox, ws.Archive, ws.Rejected} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			switch {
			case d.IsDir():
				return chmod(path, privateDir)
			case d.Type().IsRegular():
				return chmod(path, privateFile)
			}
			return nil // a symlink or FIFO in the inbox: not ours to change
		})
		if err != nil {
			return err
		}
	}
	for _, f := range []string{ws.Warehouse, ws.Warehouse + ".wal", ws.keyFile(), ws.History.Path, ws.lockPath(), filepath.Join(ws.Root, "imet.daemon")} {
		if err := chmod(f, privateFile); err != nil {
			return err
		}
	}
	return nil
}

// protectAtEnd is protect for a command to defer once it holds the writer
// lock, before it opens the warehouse (so that it runs after the warehouse
// is closed): a failure is a notice, not the command's error.
func (ws *workspace) protectAtEnd(ctx context.Context, job string) func() {
	return func() {
		if err := ws.protect(); err != nil {
			fmt.Fprintf(notices(ctx), "imet %s: set the workspace's permissions: %v\n", job, err)
		}
	}
}

func chmod(path string, mode os.FileMode) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 || fi.Mode().Perm() == mode {
		return nil
	}
	return os.Chmod(path, mode)
}
