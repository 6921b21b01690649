// Package fmtrtest gives tests the real Foreign Military Training Report
// files they read (Security Force Monitor's scrape, MIT licence,
// testdata/LICENSE.md): the FY2002 Africa, FY2005 all-regions and FY2009
// reports, kept gzip-compressed in testdata/, and the FY2013 report that
// imet ships in ingest/fmtr/sample. Everything is embedded, so a test reads
// only the repository, whatever its working folder.
//
// It is imported by tests only; it must not grow product logic.
package fmtrtest

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imet-project/imet/ingest/fmtr"
)

//go:embed testdata/*.tsv.gz testdata/LICENSE.md testdata/README.md
var older embed.FS

// Names lists the report files, by their published names
// (2009_2010_Africa_fmtrpt.tsv, …), sorted: the FY2002 Africa, FY2005, six
// FY2009 and six FY2013 files.
func Names() []string {
	var names []string
	gz, _ := fs.Glob(older, "testdata/*.tsv.gz")
	for _, p := range gz {
		names = append(names, strings.TrimSuffix(path.Base(p), ".gz"))
	}
	tsv, _ := fs.Glob(fmtr.Sample, "sample/*.tsv")
	for _, p := range tsv {
		names = append(names, path.Base(p))
	}
	slices.Sort(names)
	return names
}

// Read returns the bytes of one report file as published (decompressed).
func Read(name string) ([]byte, error) {
	if b, err := fs.ReadFile(fmtr.Sample, "sample/"+name); err == nil {
		return b, nil
	}
	z, err := older.ReadFile("testdata/" + name + ".gz")
	if err != nil {
		return nil, fmt.Errorf("fmtrtest: no report file %s", name)
	}
	r, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("fmtrtest: %s: %w", name, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("fmtrtest: %s: %w", name, err)
	}
	return b, nil
}

// File writes one report file, under its published name, into a fresh
// t.TempDir() and returns its path: for code that loads files from disk.
func File(t testing.TB, name string) string {
	t.Helper()
	return write(t, t.TempDir(), name)
}

// Files writes every report file of Names into one fresh t.TempDir() and
// returns their paths, sorted.
func Files(t testing.TB) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, name := range Names() {
		out = append(out, write(t, dir, name))
	}
	return out
}

func write(t testing.TB, dir, name string) string {
	t.Helper()
	b, err := Read(name)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
