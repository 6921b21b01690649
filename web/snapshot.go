package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/imet-project/imet/schemas"
)

// errNoSnapshot: nothing has been published yet.
var errNoSnapshot = errors.New("no snapshot yet: run 'imet run' to publish one")

// snapshot holds the published snapshot open read-only and reopens it when
// a run has published a new one. Publishing renames a new file into place,
// so a request that began on the old file finishes on it (its inode stays
// readable while open); the old database closes when its last request is
// done.
type snapshot struct {
	path  string
	every time.Duration // how often to look for a new file

	mu      sync.Mutex
	cur     *openDB
	checked time.Time
	seq     int // links made (open)
}

// openDB is one opened file, counted by the requests that use it.
type openDB struct {
	db      *sql.DB
	stamp   stamp
	opened  time.Time
	users   int
	retired bool
}

// stamp tells one published file from the next.
type stamp struct {
	ino   uint64
	size  int64
	mtime time.Time
}

func stampOf(fi os.FileInfo) stamp {
	s := stamp{size: fi.Size(), mtime: fi.ModTime()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino = st.Ino
	}
	return s
}

// acquire returns the current snapshot and a release to call when the
// request is done with it.
func (s *snapshot) acquire(ctx context.Context) (*sql.DB, time.Time, func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.cur == nil || now.Sub(s.checked) >= s.every {
		s.checked = now
		if err := s.refresh(ctx); err != nil && s.cur == nil {
			return nil, time.Time{}, nil, err
		}
	}
	o := s.cur
	o.users++
	release := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		o.users--
		if o.retired && o.users == 0 {
			o.db.Close()
		}
	}
	return o.db, o.stamp.mtime, release, nil
}

// refresh opens the file at path when it is not the one open. A file that
// cannot be opened (a run replacing it at this instant) leaves the open
// one in use; the next look tries again.
func (s *snapshot) refresh(ctx context.Context) error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return errNoSnapshot
	}
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", s.path, err)
	}
	st := stampOf(fi)
	if s.cur != nil && s.cur.stamp == st {
		return nil
	}
	if s.cur == nil {
		s.removeStaleLinks()
	}
	db, err := s.open(ctx)
	if err != nil {
		return err
	}
	old := s.cur
	s.cur = &openDB{db: db, stamp: st, opened: time.Now()}
	if old != nil {
		old.retired = true
		if old.users == 0 {
			old.db.Close()
		}
	}
	return nil
}

// open opens the file now at path. DuckDB's Go driver keeps one database
// per path in a process (its instance cache), so opening the same path
// again while the old file is still open gives the old file. Each file is
// therefore opened through a hard link of its own, removed once open (the
// open file stays readable). Where no link can be made, the new file is
// opened at its own path once nothing uses the old one (drained).
func (s *snapshot) open(ctx context.Context) (*sql.DB, error) {
	dir := filepath.Dir(s.path)
	s.seq++
	link := filepath.Join(dir, fmt.Sprintf("%s%d-%d.duckdb", linkPrefix, os.Getpid(), s.seq))
	if err := os.Link(s.path, link); err == nil {
		defer os.Remove(link)
		return schemas.OpenReadOnly(ctx, link)
	}
	if s.cur != nil {
		if s.cur.users > 0 {
			return nil, errors.New("the new snapshot waits until the old one's requests finish")
		}
		s.cur.db.Close()
		s.cur = nil
	}
	return schemas.OpenReadOnly(ctx, s.path)
}

// linkPrefix names the links open makes; one left by a killed server is
// removed by the next (removeStaleLinks).
const linkPrefix = ".imet-serve-"

// removeStaleLinks removes the links of servers that are no longer
// running (a server opens and removes its link in the same moment, so a
// link whose process is gone was left by a kill). A link's own times are
// the snapshot's (a hard link is the same file), so the process id in its
// name, not its age, tells.
func (s *snapshot) removeStaleLinks() {
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(s.path), linkPrefix+"*.duckdb"))
	for _, f := range old {
		var pid, seq int
		if _, err := fmt.Sscanf(strings.TrimPrefix(filepath.Base(f), linkPrefix), "%d-%d.duckdb", &pid, &seq); err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.Remove(f)
		}
	}
}

// close closes the open database (at shutdown, after the last request).
func (s *snapshot) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	err := s.cur.db.Close()
	s.cur = nil
	return err
}
