package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// Item is one file to load and its dataset.
type Item struct {
	Path    string
	Dataset string
}

// Discover lists the files waiting in an inbox (inbox/<dataset>/…), in load
// order: reference datasets first, then by name. Names starting with `_` or
// `.`, and unfinished copies (*.tmp, *.part), are skipped. A file outside a
// dataset folder is listed with an empty dataset, to be rejected with a
// message that says where it belongs.
func Discover(inbox string) ([]Item, error) {
	var items []Item
	err := filepath.WalkDir(inbox, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == inbox {
				return fs.SkipAll
			}
			return err
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
		rel, _ := filepath.Rel(inbox, path)
		dataset := ""
		if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) > 1 {
			dataset = DatasetOf(parts[0])
		}
		items = append(items, Item{Path: path, Dataset: dataset})
		return nil
	})
	SortItems(items)
	return items, err
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
func (l *Loader) LoadAll(ctx context.Context, items []Item, inboxDir, archiveDir, rejectedDir string, progress func(Result)) ([]Result, error) {
	var out []Result
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var res Result
		var err error
		if it.Dataset == "" {
			res, err = l.rejected(ctx, Result{File: it.Path}, l.now().UTC(),
				fmt.Sprintf("%s is not in a dataset folder: move it to inbox/<dataset>/ (one of %s) or name the dataset with --dataset",
					filepath.Base(it.Path), strings.Join(schemas.DatasetNames(), ", ")))
		} else {
			res, err = l.LoadFile(ctx, it.Path, it.Dataset)
		}
		if err != nil {
			return out, err
		}
		if inside(inboxDir, it.Path) {
			if err := moveAside(res, archiveDir, rejectedDir); err != nil {
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

func inside(dir, path string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)
}

// moveAside moves a processed inbox file: loaded (and already loaded) files
// to archive/<dataset>/<batch>_<name>, rejected ones to
// rejected/<dataset>/<name> with <name>.reason beside it.
func moveAside(res Result, archiveDir, rejectedDir string) error {
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
		if _, err := os.Stat(dst); err == nil {
			dst = filepath.Join(dir, fmt.Sprintf("%d_%s", res.BatchID, name))
		}
		if err := os.WriteFile(dst+".reason", []byte(res.Reason+"\n"), 0o644); err != nil {
			return err
		}
		return os.Rename(res.File, dst)
	}
	dir := filepath.Join(archiveDir, ds)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dst := filepath.Join(dir, fmt.Sprintf("%d_%s", res.BatchID, name))
	if _, err := os.Stat(dst); err == nil && res.Status == StatusAlreadyLoaded {
		return os.Remove(res.File) // the archive holds these bytes already
	}
	return os.Rename(res.File, dst)
}
