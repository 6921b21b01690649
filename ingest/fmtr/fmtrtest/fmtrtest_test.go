package fmtrtest

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README lists exactly the files testdata/ holds.
func TestReadmeListsTheFiles(t *testing.T) {
	readme, err := older.ReadFile("testdata/README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile("`(\\d{4}_\\d{4}_\\w+_fmtrpt\\.tsv)`").FindAllStringSubmatch(string(readme), -1)
	var names []string
	for _, m := range listed {
		names = append(names, m[1])
	}
	gz, _ := fs.Glob(older, "testdata/*.tsv.gz")
	var files []string
	for _, p := range gz {
		files = append(files, strings.TrimSuffix(path.Base(p), ".gz"))
	}
	slices.Sort(names)
	slices.Sort(files)
	if !slices.Equal(names, files) {
		t.Errorf("README lists %v\ntestdata holds %v", names, files)
	}
	if len(Names()) != 33 {
		t.Errorf("%d report files, want 33", len(Names()))
	}
}
