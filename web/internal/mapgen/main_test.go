package main

import (
	"math"
	"testing"
)

// TestCutAntimeridian: a ring across the 180th meridian becomes a piece on
// each side, every point within ±180, the cut on the meridian; a ring that
// does not cross it is left alone.
func TestCutAntimeridian(t *testing.T) {
	t.Parallel()
	across := []pt{{170, 60}, {-170, 60}, {-170, 70}, {170, 70}}
	pieces := cutAntimeridian(across)
	if len(pieces) != 2 {
		t.Fatalf("%d pieces, want 2: %v", len(pieces), pieces)
	}
	for i, piece := range pieces {
		onMeridian := 0
		for _, p := range piece {
			if p.x < -180 || p.x > 180 {
				t.Errorf("piece %d has longitude %v", i, p.x)
			}
			if math.Abs(math.Abs(p.x)-180) < 1e-9 {
				onMeridian++
			}
		}
		if onMeridian != 2 {
			t.Errorf("piece %d has %d points on the meridian, want 2: %v", i, onMeridian, piece)
		}
	}
	inside := []pt{{10, 10}, {20, 10}, {20, 20}}
	if got := cutAntimeridian(inside); len(got) != 1 || len(got[0]) != 3 {
		t.Errorf("a ring away from the meridian became %v", got)
	}
}

// TestSimplifyKeepsEnds: Douglas-Peucker drops the points within the
// tolerance of the line and keeps both ends and the corner.
func TestSimplifyKeepsEnds(t *testing.T) {
	t.Parallel()
	got := simplify([]pt{{0, 0}, {1, 0.01}, {2, 0}, {2, 2}}, 0.1)
	want := []pt{{0, 0}, {2, 0}, {2, 2}}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%v, want %v", got, want)
		}
	}
}
