package fmtr

import (
	"regexp"
	"strings"
	"testing"
)

// tidy is strings.TrimSpace of the regexp \s+ replaced by one space, written
// out for speed: the same answer on every kind of space.
func TestTidyCollapsesSpaceAsTheRegexpWould(t *testing.T) {
	re := regexp.MustCompile(`\s+`)
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\t\nb ", "\v a\v", "x\u00a0 y", "  lead", "trail  ", "a b c", "a \t b", "a\vb"} {
		want := strings.TrimSpace(re.ReplaceAllString(s, " "))
		if got := tidy(s); got != want {
			t.Errorf("%q: %q want %q", s, got, want)
		}
	}
}
