package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/imet-project/imet/reports"
)

// The map's geometry: world-atlas@2 (Natural Earth, public domain; ISC
// licence in assets/LICENSE-world-atlas.txt), unpacked in /tmp/package by
// 'cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz'.
//go:generate go run ./internal/mapgen -atlas /tmp/package -codes internal/mapgen/iso3166-numeric.csv -out assets/world.json

// world is assets/world.json: an SVG path and a centre per alpha-3 code.
type world struct {
	Width   float64               `json:"width"`
	Height  float64               `json:"height"`
	Paths   map[string]string     `json:"paths"`
	Centres map[string][2]float64 `json:"centres"`
}

var loadWorld = sync.OnceValues(func() (*world, error) {
	b, err := assets.ReadFile("assets/world.json")
	if err != nil {
		return nil, fmt.Errorf("read the world map: %w", err)
	}
	var w world
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("read the world map: %w", err)
	}
	return &w, nil
})

// mapCell is what the map shows of one country.
type mapCell struct {
	Name     string
	Value    float64 // NaN: no value (withheld or not estimable)
	N        int64   // 0: no n shown
	Title    string  // the hover text
	Withheld bool    // a row exists but its value is not shown
}

// mapNoData is the fill of a country without a row.
const mapNoData = "#e6e6e6"

// mapScale is a colour scale: colour i is for values from Edges[i] to
// Edges[i+1].
type mapScale struct {
	Colors []string
	Edges  []float64
}

// scaleFor is the colour scale of values in unit: for a ratio (a hazard
// ratio) a diverging scale around 1, even on a log scale; otherwise a
// sequential blue scale from 0 to a round number at or above the largest
// value (at most 100% for a share).
func scaleFor(unit string, cells map[string]mapCell) mapScale {
	if unit == "ratio" {
		return mapScale{Colors: []string{"#e66101", "#fdb863", "#fff7bc", "#b2abd2", "#5e3c99"},
			Edges: []float64{0, 0.5, 0.8, 1.25, 2, math.Inf(1)}}
	}
	hi := 0.0
	for _, c := range cells {
		if !math.IsNaN(c.Value) {
			hi = math.Max(hi, c.Value)
		}
	}
	top := reports.NiceMax(hi)
	if unit == "share" {
		top = math.Min(top, 1)
	}
	sc := mapScale{Colors: []string{"#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}}
	for i := range len(sc.Colors) + 1 {
		sc.Edges = append(sc.Edges, top*float64(i)/float64(len(sc.Colors)))
	}
	return sc
}

// color is v's colour (the last bin holds the top itself).
func (sc mapScale) color(v float64) string {
	if math.IsNaN(v) {
		return mapNoData
	}
	for i := range sc.Colors {
		if v < sc.Edges[i+1] {
			return sc.Colors[i]
		}
	}
	return sc.Colors[len(sc.Colors)-1]
}

// label is bin i's range in words.
func (sc mapScale) label(unit string, i int) string {
	lo, hi := sc.Edges[i], sc.Edges[i+1]
	switch {
	case math.IsInf(hi, 1):
		return "≥ " + legendValue(unit, lo)
	case lo == 0 && unit == "ratio":
		return "< " + legendValue(unit, hi)
	}
	return legendValue(unit, lo) + "–" + legendValue(unit, hi)
}

// worldMap draws the countries coloured by their value, a circle at each
// sized by the square root of its n (so a small n is visibly small), a
// hatch where a row exists but its value is withheld or not estimable, and
// the legend. Each country links to its profile; hovering says its values.
func worldMap(cells map[string]mapCell, unit, what string) (template.HTML, []string, error) {
	w, err := loadWorld()
	if err != nil {
		return "", nil, err
	}
	sc := scaleFor(unit, cells)
	legendH := 64.0
	H := w.Height + legendH
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, w.Width, H, esc("World map: "+what))
	b.WriteString(`<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="5" stroke="#888" stroke-width="1.6"/></pattern></defs>`)
	fmt.Fprintf(&b, `<rect width="%.0f" height="%.0f" fill="#f7fbff"/>`, w.Width, w.Height)
	mapShapes(&b, w, cells, sc)
	maxN := mapCircles(&b, w, cells, sc)
	mapLegend(&b, w, sc, unit, what, maxN)
	b.WriteString(`</svg>`)
	var unplaced []string
	for code := range cells {
		if _, ok := w.Paths[code]; !ok {
			unplaced = append(unplaced, code)
		}
	}
	slices.Sort(unplaced)
	return template.HTML(b.String()), unplaced, nil
}

// mapShapes draws each country of the map, in code order, filled with
// its value's colour (hatched when withheld, grey without a row), linking
// to its profile.
func mapShapes(b *strings.Builder, w *world, cells map[string]mapCell, sc mapScale) {
	codes := make([]string, 0, len(w.Paths))
	for c := range w.Paths {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, code := range codes {
		c, ok := cells[code]
		fill := mapNoData
		switch {
		case ok && c.Withheld:
			fill = "url(#hatch)"
		case ok:
			fill = sc.color(c.Value)
		}
		title := code + ": no data"
		if ok {
			title = c.Title
		}
		fmt.Fprintf(b, `<a href="/countries/%s"><path data-iso="%s" d="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s</title></path></a>`,
			code, code, w.Paths[code], fill, esc(title))
	}
}

// mapRMax is the radius of the largest circle of the map.
const mapRMax = 16.0

// mapRadius is the radius of the circle of n when the largest is maxN.
func mapRadius(n, maxN int64) float64 {
	return math.Max(1.5, mapRMax*math.Sqrt(float64(n)/float64(maxN)))
}

// mapCircles draws a circle of n over each placed country with an n,
// largest first so small ones stay on top, and returns the largest n (0
// when none).
func mapCircles(b *strings.Builder, w *world, cells map[string]mapCell, sc mapScale) int64 {
	var maxN int64
	var withN []string
	for code, c := range cells {
		if _, placed := w.Centres[code]; placed && c.N > 0 {
			withN = append(withN, code)
			maxN = max(maxN, c.N)
		}
	}
	slices.SortFunc(withN, func(a, b string) int {
		if d := cells[b].N - cells[a].N; d != 0 {
			return int(d)
		}
		return strings.Compare(a, b)
	})
	for _, code := range withN {
		c, ctr := cells[code], w.Centres[code]
		fill := sc.color(c.Value)
		if c.Withheld {
			fill = "url(#hatch)"
		}
		fmt.Fprintf(b, `<a href="/countries/%s"><circle data-iso="%s" cx="%.1f" cy="%.1f" r="%.1f" fill="%s" fill-opacity="0.8" stroke="#1b1f24" stroke-width="0.7"><title>%s</title></circle></a>`,
			code, code, ctr[0], ctr[1], mapRadius(c.N, maxN), fill, esc(c.Title))
	}
	return maxN
}

// mapLegend draws the legend under the map: what it shows, the colour
// scale, no data, too few, and (when a country has an n) the circles.
func mapLegend(b *strings.Builder, w *world, sc mapScale, unit, what string, maxN int64) {
	y := w.Height + 18
	fmt.Fprintf(b, `<text x="10" y="%.0f" font-size="12" fill="#1b1f24">%s</text>`, y, esc(what))
	for i, col := range sc.Colors {
		x := 10 + 64*float64(i)
		fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="60" height="12" fill="%s" stroke="#999" stroke-width="0.5"/>`, x, y+8, col)
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" font-size="11" fill="#333">%s</text>`, x, y+34, esc(sc.label(unit, i)))
	}
	x := 10 + 64*float64(len(sc.Colors)) + 20
	fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="24" height="12" fill="%s" stroke="#999" stroke-width="0.5"/><text x="%.0f" y="%.0f" font-size="11" fill="#333">no data</text>`, x, y+8, mapNoData, x+30, y+18)
	x += 90
	fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="24" height="12" fill="url(#hatch)" stroke="#999" stroke-width="0.5"/><text x="%.0f" y="%.0f" font-size="11" fill="#333">too few to show / not estimable</text>`, x, y+8, x+30, y+18)
	if maxN > 0 {
		x += 230
		for _, n := range []int64{maxN, max(1, maxN/4), max(1, maxN/25)} {
			r := mapRadius(n, maxN)
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="#1b1f24" stroke-width="0.7"/>`, x+r, y+14+mapRMax-r, r)
			fmt.Fprintf(b, `<text x="%.1f" y="%.0f" font-size="10" text-anchor="middle" fill="#333">%s</text>`, x+r, y+14+mapRMax+12, reports.Thousands(n))
			x += 2*r + 14
		}
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" font-size="11" fill="#333">circle: n</text>`, x, y+18)
	}
}

// legendValue is a bin edge in the metric's unit, short.
func legendValue(unit string, v float64) string {
	switch unit {
	case "share":
		return fmt.Sprintf("%.0f%%", 100*v)
	case "dollars":
		switch {
		case v >= 1e6:
			return fmt.Sprintf("$%gM", math.Round(v/1e5)/10)
		case v >= 1e3:
			return fmt.Sprintf("$%gk", math.Round(v/1e2)/10)
		}
		return fmt.Sprintf("$%.0f", v)
	case "ratio", "rate":
		return strconvG(v)
	}
	return reports.Thousands(int64(math.Round(v)))
}

func strconvG(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
