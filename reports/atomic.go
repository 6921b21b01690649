package reports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes path whole or not at all: write fills a temporary file
// in the same folder, which is synced and renamed over path (and the folder
// synced, so the rename survives a crash). Every report and export that must
// appear whole goes through it or through commitFile.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
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
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// commitFile makes tmp, written whole by someone else (DuckDB's COPY, the
// PDF writer), appear as out: sync, rename, sync the folder.
func commitFile(tmp, out string) error {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(out))
	return nil
}

// syncDir makes a rename in dir durable where the OS allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteReport writes a report's HTML and PDF, each whole or not at all, as
// dir/name.html and dir/name.pdf, and returns their paths.
func WriteReport(d *Document, dir, name string) (html, pdf string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	html, pdf = filepath.Join(dir, name+".html"), filepath.Join(dir, name+".pdf")
	if err := WriteFile(html, func(w io.Writer) error { return WriteHTML(d, w) }); err != nil {
		return "", "", err
	}
	if err := WritePDF(d, pdf); err != nil {
		return "", "", err
	}
	return html, pdf, nil
}
