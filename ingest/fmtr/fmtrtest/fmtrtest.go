// Package fmtrtest gives tests the real Foreign Military Training Report
// files they read (Security Force Monitor's scrape, MIT licence,
// testdata/LICENSE.md): the FY2001 (seven regions), FY2002 Africa, FY2005
// all-regions, FY2006 and FY2009 (six regions each) reports, kept
// gzip-compressed in testdata/, and the FY2013 and FY2017 reports that imet
// ships in ingest/fmtr/sample for the demo. Everything is embedded, so a test reads
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
// (2009_2010_Africa_fmtrpt.tsv, …), sorted: 33 files, seven of FY2001,
// FY2002 Africa, FY2005 all regions, and six each of FY2006, FY2009, FY2013
// and FY2017.
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

// Years lists the report years of Names (2001, 2002, 2005, …) and the
// files of each.
func Years() map[int][]string {
	out := map[int][]string{}
	for _, n := range Names() {
		var y int
		if _, err := fmt.Sscanf(n, "%4d_", &y); err == nil {
			out[y] = append(out[y], n)
		}
	}
	return out
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
