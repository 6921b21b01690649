package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// Item is one file to load and its dataset.
type Item struct {
	Path    string
	Dataset string
	// Problem, when set, is why the entry cannot be read at all (a
	// folder that cannot be listed): it is rejected with this reason.
	Problem string
}

// Discover lists the files waiting in an inbox (inbox/<dataset>/…), in load
// order: reference datasets first, then by name. Names starting with `_` or
// `.`, and unfinished copies (*.tmp, *.part), are skipped. A file outside a
// dataset folder is listed with an empty dataset, to be rejected with a
// message that says where it belongs. Every other entry is listed as it
// is, links, pipes and devices included, for LoadAll to refuse (one bad
// entry rejects itself only); a folder is read, and one that cannot be
// is listed with its Problem.
func Discover(inbox string) ([]Item, error) {
	var items []Item
	err := filepath.WalkDir(inbox, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == inbox {
				return fs.SkipAll
			}
			if path == inbox || d == nil {
				return err
			}
			// A folder that cannot be listed rejects itself, not the inbox.
			if !strings.HasPrefix(d.Name(), "_") && !strings.HasPrefix(d.Name(), ".") {
				cause := err
				if u := errors.Unwrap(err); u != nil {
					cause = u
				}
				items = append(items, Item{Path: path, Dataset: datasetAt(inbox, path),
					Problem: fmt.Sprintf("%s cannot be read (%v): give imet permission to read it, or move it out of the inbox", d.Name(), cause)})
			}
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if path != inbox && (strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".part") {
			return nil
		}
		items = append(items, Item{Path: path, Dataset: datasetAt(inbox, path)})
		return nil
	})
	SortItems(items)
	return items, err
}

// datasetAt is the dataset of an inbox entry: its top folder's, or "" for
// an entry directly in the inbox.
func datasetAt(inbox, path string) string {
	rel, _ := filepath.Rel(inbox, path)
	if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) > 1 {
		return DatasetOf(parts[0])
	}
	return ""
}

// DatasetOf is the dataset a folder (or --dataset) name stands for: names
// are matched as headers are, so `Students` and `Career Events` are
// students and career_events. An unknown name comes back as it is, for the
// rejection to quote.
func DatasetOf(name string) string {
	n := schemas.NormalizeHeader(name)
	if n == schemas.FMTRActivities {
		return n
	}
	if _, err := schemas.Lookup(n); err == nil {
		return n
	}
	return name
}

// SortItems puts items in load order: datasets in contract order (reference
// first), unknown datasets last, then by path.
func SortItems(items []Item) {
	order := map[string]int{}
	for i, n := range schemas.DatasetNames() {
		order[n] = i + 1
	}
	rank := func(d string) int {
		if o, ok := order[d]; ok {
			return o
		}
		return len(order) + 1
	}
	sort.SliceStable(items, func(i, j int) bool {
		if ri, rj := rank(items[i].Dataset), rank(items[j].Dataset); ri != rj {
			return ri < rj
		}
		return items[i].Path < items[j].Path
	})
}

// LoadAll loads the items in order. Files inside inboxDir move to archiveDir
// once loaded (or found already loaded) and to rejectedDir with a .reason
// file beside them when they cannot be read; files given from elsewhere
// stay where they are. progress, when set, is called after each file.
//
// An inbox file is first copied into a private staging folder: the copy is
// hashed, loaded and archived, so the archive holds byte for byte what was
// loaded even when the inbox file is rewritten meanwhile (the new version
// then stays in the inbox for the next run, with a warning). An entry that
// is not a regular file (a link, a pipe, a device, a folder that cannot be
// listed) is rejected by itself, never opened, and the rest loads.
func (l *Loader) LoadAll(ctx context.Context, items []Item, inboxDir, archiveDir, rejectedDir string, progress func(Result)) ([]Result, error) {
	var out []Result
	staging := ""
	defer func() {
		if staging != "" {
			os.RemoveAll(staging)
		}
	}()
	for n, it := range items {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		inInbox := inside(inboxDir, it.Path)
		if inInbox && staging == "" {
			var err error
			if staging, err = stagingDir(archiveDir); err != nil {
				return out, fmt.Errorf("make a staging folder in %s: %w", archiveDir, err)
			}
		}
		res, moved, copied, skip, err := l.loadItem(ctx, n, it, inInbox, staging)
		if skip {
			continue
		}
		if err != nil {
			return out, err
		}
		if inInbox {
			if res, err = l.moveOut(it, res, moved, copied, archiveDir, rejectedDir); err != nil {
				return out, err
			}
		}
		out = append(out, res)
		if progress != nil {
			progress(res)
		}
	}
	return out, nil
}

// loadItem loads one entry of the list: rejected with its reason, or
// (an inbox file) loaded from its private copy in staging, or loaded as
// named. moved is what moves aside after (the entry, or its copy), copied
// the entry as it was copied; skip is true for an inbox file that went
// away or is still being written (it is left for the next run).
func (l *Loader) loadItem(ctx context.Context, n int, it Item, inInbox bool, staging string) (res Result, moved string, copied os.FileInfo, skip bool, err error) {
	moved = it.Path
	switch {
	case it.Problem != "":
		res, err = l.rejected(ctx, Result{File: it.Path, Dataset: it.Dataset}, l.now().UTC(), it.Problem)
	case it.Dataset == "":
		why := fmt.Sprintf("%s is not in a dataset folder: move it to inbox/<dataset>/ (one of %s) or name the dataset with --dataset",
			filepath.Base(it.Path), strings.Join(schemas.DatasetNames(), ", "))
		if fi, lerr := os.Lstat(it.Path); lerr == nil && !fi.Mode().IsRegular() {
			why = notRegular(it.Path, fi.Mode()) // a linked dataset folder, say
		}
		res, err = l.rejected(ctx, Result{File: it.Path}, l.now().UTC(), why)
	case inInbox:
		dir := filepath.Join(staging, strconv.Itoa(n))
		if err := os.Mkdir(dir, 0o700); err != nil {
			return res, moved, copied, false, err
		}
		var copy string
		copy, copied, err = snapshotFile(it.Path, dir)
		var rj *Rejection
		switch {
		case errors.As(err, &rj):
			res, err = l.rejected(ctx, Result{File: it.Path, Dataset: it.Dataset}, l.now().UTC(), rj.Msg)
		case errors.Is(err, fs.ErrNotExist):
			l.logger().Warn("gone from the inbox before it was read", "file", it.Path)
			return res, moved, copied, true, nil
		case errors.Is(err, errChanging):
			l.logger().Warn("still being written: left in the inbox for the next run", "file", it.Path)
			return res, moved, copied, true, nil
		case err != nil:
			return res, moved, copied, false, fmt.Errorf("read %s: %w", it.Path, err)
		default:
			moved = copy
			res, err = l.LoadFile(ctx, copy, it.Dataset)
			res.File = it.Path
		}
	default:
		// A file named on the command line: the user chose it, link or
		// not, but a pipe or a device is never opened.
		if fi, serr := os.Stat(it.Path); serr == nil && !fi.Mode().IsRegular() {
			res, err = l.rejected(ctx, Result{File: it.Path, Dataset: it.Dataset}, l.now().UTC(), notRegular(it.Path, fi.Mode()))
		} else {
			res, err = l.LoadFile(ctx, it.Path, it.Dataset)
		}
	}
	return res, moved, copied, false, err
}

// moveOut moves an inbox entry's loaded or rejected file aside (archive/
// or rejected/) and removes the entry when it is unchanged since it was
// copied; an entry that changed meanwhile stays, with a warning in res.
func (l *Loader) moveOut(it Item, res Result, moved string, copied os.FileInfo, archiveDir, rejectedDir string) (Result, error) {
	if err := moveAside(res, moved, archiveDir, rejectedDir); err != nil {
		if copied != nil || res.Status != StatusRejected {
			return res, err
		}
		// An entry refused as it is (a folder that cannot be
		// listed may not be movable either) stays where it is: its
		// rejection is recorded, and the rest still loads.
		w := fmt.Sprintf("%s could not be moved to rejected/ (%v): move or remove it by hand", filepath.Base(it.Path), errors.Unwrap(err))
		res.Warnings = append(res.Warnings, w)
		l.logger().Warn(w, "file", it.Path)
	}
	if copied != nil {
		if unchangedSince(it.Path, copied) {
			if err := os.Remove(it.Path); err != nil {
				return res, err
			}
		} else if _, err := os.Lstat(it.Path); err == nil {
			w := fmt.Sprintf("%s changed while it was loaded: the version read (sha256 %s) is the one %s; the new version stays in the inbox for the next run",
				filepath.Base(it.Path), shortHash(res.SHA256), map[bool]string{true: "rejected", false: "archived"}[res.Status == StatusRejected])
			res.Warnings = append(res.Warnings, w)
			l.logger().Warn(w, "file", it.Path)
		}
	}

	return res, nil
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func inside(dir, path string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)
}

// moveAside moves a processed inbox entry, src (the entry itself, or the
// copy of it that was loaded): loaded (and already loaded) files to
// archive/<dataset>/<batch>_<name>, rejected ones to
// rejected/<dataset>/<name> with <name>.reason beside it.
func moveAside(res Result, src, archiveDir, rejectedDir string) error {
	name := filepath.Base(res.File)
	ds := res.Dataset
	if ds == "" {
		ds = "_unsorted"
	}
	if res.Status == StatusRejected {
		dir := filepath.Join(rejectedDir, ds)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		dst := filepath.Join(dir, name)
		if _, err := os.Lstat(dst); err == nil {
			dst = filepath.Join(dir, fmt.Sprintf("%d_%s", res.BatchID, name))
		}
		if err := os.WriteFile(dst+".reason", []byte(res.Reason+"\n"), 0o644); err != nil {
			return err
		}
		return os.Rename(src, dst)
	}
	dir := filepath.Join(archiveDir, ds)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dst := filepath.Join(dir, fmt.Sprintf("%d_%s", res.BatchID, name))
	if _, err := os.Stat(dst); err == nil && res.Status == StatusAlreadyLoaded {
		return os.Remove(src) // the archive holds these bytes already
	}
	return os.Rename(src, dst)
}
