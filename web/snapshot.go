package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	opens   int // files opened, to name each one's alias
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
	s.opens++
	name, st, drop := s.alias(st)
	defer drop()
	if name == s.path && s.cur != nil {
		// Without an alias the path gives the open database back until
		// it is closed: close it first, when no request is on it, or
		// keep it and try again at the next look.
		if s.cur.users > 0 {
			return nil
		}
		s.cur.db.Close()
		s.cur = nil
	}
	db, err := schemas.OpenReadOnly(ctx, name)
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

// alias is the name to open the snapshot by: a hard link of it, made for
// this one opening beside it and removed as soon as DuckDB has it open
// (drop). DuckDB keeps one database per file name in a process, so opening
// the path again while the old file is still open (requests still on it)
// would give the old database back, and the server would serve the first
// snapshot for ever; each file under its own name is its own database. The
// link is also exactly the file stamped, whatever a run renames into place
// meanwhile. Where no link can be made (a folder the server cannot write),
// the path itself, with st.
func (s *snapshot) alias(st stamp) (string, stamp, func()) {
	name := filepath.Join(filepath.Dir(s.path), fmt.Sprintf(".%s.serve-%d-%d", filepath.Base(s.path), os.Getpid(), s.opens))
	if err := os.Link(s.path, name); err != nil {
		return s.path, st, func() {}
	}
	if fi, err := os.Stat(name); err == nil {
		st = stampOf(fi)
	}
	return name, st, func() { os.Remove(name) }
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
