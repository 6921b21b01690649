package web

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// TestWorldAsset: the embedded map is small, holds the countries a reader
// looks for (Kosovo by name, the small island states from 1:50m) and no
// Antarctica, each with a path and a centre inside the map.
func TestWorldAsset(t *testing.T) {
	t.Parallel()
	b, err := assets.ReadFile("assets/world.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 300_000 {
		t.Errorf("world.json is %d bytes, want under 300 KB", len(b))
	}
	w, err := loadWorld()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"KEN", "USA", "RUS", "FJI", "XKX", "SGP", "BHR", "MLT", "MUS"} {
		if !strings.HasPrefix(w.Paths[code], "M") {
			t.Errorf("no path for %s", code)
		}
		c, ok := w.Centres[code]
		if !ok || c[0] < 0 || c[0] > w.Width || c[1] < 0 || c[1] > w.Height {
			t.Errorf("%s centre %v outside the %vx%v map", code, c, w.Width, w.Height)
		}
	}
	if _, ok := w.Paths["ATA"]; ok {
		t.Error("Antarctica is drawn")
	}
	if len(w.Paths) < 200 {
		t.Errorf("%d countries", len(w.Paths))
	}
}

// TestWorldMap: one linked path per country of the map, coloured by value,
// hatched when withheld, a circle by n, and no circle without n.
func TestWorldMap(t *testing.T) {
	t.Parallel()
	cells := map[string]mapCell{
		"KEN": {Name: "Kenya", Value: 0.8, N: 400, Title: "Kenya: 80%"},
		"UGA": {Name: "Uganda", Value: 0.1, N: 4, Title: "Uganda: 10%"},
		"TZA": {Name: "Tanzania", Value: math.NaN(), Withheld: true, Title: "Tanzania: withheld"},
		"YUG": {Name: "Yugoslavia", Value: 0.5, N: 10, Title: "Yugoslavia"},
	}
	svg, unplaced, err := worldMap(cells, "share", "TEST")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	w, _ := loadWorld()
	if got := strings.Count(s, `<path data-iso=`); got != len(w.Paths) {
		t.Errorf("%d paths, the map has %d countries", got, len(w.Paths))
	}
	fill := func(code string) string {
		m := regexp.MustCompile(`<path data-iso="` + code + `" d="[^"]*" fill="([^"]+)"`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no path for %s", code)
		}
		return m[1]
	}
	sc := scaleFor("share", cells)
	if fill("KEN") != sc.color(0.8) || fill("UGA") != sc.color(0.1) || fill("KEN") == fill("UGA") {
		t.Errorf("KEN %s, UGA %s: want the scale's colours of 80%% and 10%%", fill("KEN"), fill("UGA"))
	}
	if fill("TZA") != "url(#hatch)" || fill("FRA") != mapNoData {
		t.Errorf("withheld TZA %s, no-data FRA %s", fill("TZA"), fill("FRA"))
	}
	r := func(code string) string {
		m := regexp.MustCompile(`<circle data-iso="` + code + `" cx="[^"]*" cy="[^"]*" r="([^"]+)"`).FindStringSubmatch(s)
		if m == nil {
			return ""
		}
		return m[1]
	}
	if r("KEN") != "16.0" || r("UGA") == "" || r("TZA") != "" {
		t.Errorf("circles: KEN r=%q (want the largest, 16), UGA r=%q, TZA (no n) r=%q", r("KEN"), r("UGA"), r("TZA"))
	}
	if len(unplaced) != 1 || unplaced[0] != "YUG" {
		t.Errorf("unplaced %v, want [YUG]", unplaced)
	}
	for _, want := range []string{`<a href="/countries/KEN">`, "<title>Kenya: 80%</title>", "no data", "too few to show"} {
		if !strings.Contains(s, want) {
			t.Errorf("the map lacks %q", want)
		}
	}
}

func TestMapScale(t *testing.T) {
	t.Parallel()
	ratio := scaleFor("ratio", nil)
	if ratio.color(1) != ratio.Colors[2] || ratio.color(0.3) != ratio.Colors[0] || ratio.color(5) != ratio.Colors[4] {
		t.Errorf("a ratio's scale is not centred on 1: %v", ratio)
	}
	share := scaleFor("share", map[string]mapCell{"A": {Value: 0.37}})
	if top := share.Edges[len(share.Edges)-1]; top < 0.37 || top > 0.5 {
		t.Errorf("a share scale for a largest value of 37%% tops at %v", top)
	}
	if share.color(math.NaN()) != mapNoData || share.color(0.37) != share.Colors[len(share.Colors)-1] && share.Edges[len(share.Edges)-1] == 0.4 {
		t.Errorf("colours: NaN %s, 37%% %s", share.color(math.NaN()), share.color(0.37))
	}
}
