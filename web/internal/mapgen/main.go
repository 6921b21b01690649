// Command mapgen writes web/assets/world.json, the world map of the
// countries page, from the TopoJSON of the npm package world-atlas@2
// (Natural Earth, public domain; the package's ISC licence is
// web/assets/LICENSE-world-atlas.txt):
//
//	cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
//	go run ./web/internal/mapgen -atlas /tmp/package -out web/assets/world.json
//
// It decodes the quantised, delta-encoded arcs, projects them with the
// Natural Earth projection, simplifies each arc (Douglas-Peucker, so
// neighbours keep a common border) and writes, per ISO 3166-1 alpha-3
// code, an SVG path and the centre of its largest polygon (where the page
// draws the circle of its n). The 1:110m countries are drawn; the small
// ones 1:110m leaves out (island states, city states) come from 1:50m.
// The atlas identifies countries by ISO 3166-1 numeric code:
// iso3166-numeric.csv beside this file maps them (taken from Debian's
// iso-codes, ISO 3166-1); Kosovo has no numeric code and is matched by
// name to XKX, the code schemas' reference data uses.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"strconv"
	"strings"
)

// Width of the map in SVG units; the height follows from the projection.
const width = 960.0

// tolerance of the simplification, in degrees (about a quarter of an SVG
// unit at the equator).
const tolerance = 0.09

// byName are countries the atlas gives no numeric id.
var byName = map[string]string{"Kosovo": "XKX"}

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Countries struct {
			Geometries []geometry `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// World is the file written: the SVG view box and, per alpha-3 code, a
// path and a centre.
type World struct {
	Width   float64               `json:"width"`
	Height  float64               `json:"height"`
	Paths   map[string]string     `json:"paths"`
	Centres map[string][2]float64 `json:"centres"`
}

type pt struct{ x, y float64 }

func main() {
	atlas := flag.String("atlas", "/tmp/package", "the unpacked world-atlas@2 package folder")
	codes := flag.String("codes", "web/internal/mapgen/iso3166-numeric.csv", "ISO 3166-1 numeric to alpha-3")
	out := flag.String("out", "web/assets/world.json", "the file to write")
	flag.Parse()
	if err := run(*atlas, *codes, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mapgen:", err)
		os.Exit(1)
	}
}

func run(atlas, codes, out string) error {
	num, err := readCodes(codes)
	if err != nil {
		return err
	}
	// the height: the projected extent of latitudes -60 to 84 (no Antarctica)
	_, yTop := project(0, 84)
	_, yBottom := project(0, -60)
	xMax, _ := project(180, 0)
	scale := width / (2 * xMax)
	w := World{Width: width, Height: math.Round((yTop - yBottom) * scale), Paths: map[string]string{}, Centres: map[string][2]float64{}}
	toSVG := func(lon, lat float64) pt {
		x, y := project(lon, lat)
		return pt{(x + xMax) * scale, (yTop - y) * scale}
	}
	for _, file := range []string{"countries-110m.json", "countries-50m.json"} {
		var t topology
		b, err := os.ReadFile(filepath.Join(atlas, file))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &t); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		arcs := decodeArcs(t)
		for _, g := range t.Objects.Countries.Geometries {
			code := num[g.ID]
			if code == "" {
				code = byName[g.Properties.Name]
			}
			if code == "" || code == "ATA" {
				continue
			}
			if _, done := w.Paths[code]; done {
				continue // drawn from 1:110m already
			}
			polys, err := polygons(g)
			if err != nil {
				return fmt.Errorf("%s %s: %w", file, g.ID, err)
			}
			var d strings.Builder
			best, bestArea := pt{}, -1.0
			for _, poly := range polys {
				for ri, ring := range poly {
					for _, piece := range cutAntimeridian(stitch(arcs, ring)) {
						pts := make([]pt, len(piece))
						for i, p := range piece {
							pts[i] = toSVG(p.x, p.y)
						}
						if len(pts) < 3 {
							continue
						}
						writeRing(&d, pts)
						if ri == 0 {
							if a, c := centroid(pts); a > bestArea {
								best, bestArea = c, a
							}
						}
					}
				}
			}
			if d.Len() == 0 {
				continue
			}
			w.Paths[code] = d.String()
			w.Centres[code] = [2]float64{round1(best.x), round1(best.y)}
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func readCodes(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := map[string]string{}
	for _, r := range recs[1:] {
		m[r[0]] = r[1]
	}
	return m, nil
}

// project is the Natural Earth projection (Šavrič, Jenny, Patterson and
// Hurni 2011), as d3-geo's geoNaturalEarth1Raw, in radians out.
func project(lon, lat float64) (x, y float64) {
	l, p := lon*math.Pi/180, lat*math.Pi/180
	p2 := p * p
	p4 := p2 * p2
	x = l * (0.8707 - 0.131979*p2 + p4*(-0.013791+p4*(0.003971*p2-0.001529*p4)))
	y = p * (1.007226 + p2*(0.015085+p4*(-0.044475+0.028874*p2-0.005916*p4)))
	return x, y
}

// decodeArcs undoes the quantisation and delta encoding and simplifies
// every arc, in longitude and latitude.
func decodeArcs(t topology) [][]pt {
	out := make([][]pt, len(t.Arcs))
	sx, sy := t.Transform.Scale[0], t.Transform.Scale[1]
	tx, ty := t.Transform.Translate[0], t.Transform.Translate[1]
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]pt, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			pts[j] = pt{x*sx + tx, y*sy + ty}
		}
		out[i] = simplify(pts, tolerance)
	}
	return out
}

// polygons is a geometry's arcs as polygons of rings of arc indexes.
func polygons(g geometry) ([][][]int, error) {
	switch g.Type {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(g.Arcs, &p); err != nil {
			return nil, err
		}
		return [][][]int{p}, nil
	case "MultiPolygon":
		var mp [][][]int
		err := json.Unmarshal(g.Arcs, &mp)
		return mp, err
	}
	return nil, nil
}

// stitch joins a ring's arcs (a negative index ~i is arc i reversed).
func stitch(arcs [][]pt, ring []int) []pt {
	var out []pt
	for _, i := range ring {
		var a []pt
		if i < 0 {
			a = append([]pt(nil), arcs[^i]...)
			for l, r := 0, len(a)-1; l < r; l, r = l+1, r-1 {
				a[l], a[r] = a[r], a[l]
			}
		} else {
			a = arcs[i]
		}
		if len(out) > 0 && len(a) > 0 {
			a = a[1:] // the first point is the last of the previous arc
		}
		out = append(out, a...)
	}
	return out
}

// cutAntimeridian splits a ring (longitude, latitude) that crosses the
// 180th meridian (Russia, Fiji) into a piece on each side: the longitudes
// are unwrapped so the ring is continuous, then clipped to each side of
// ±180 and shifted back.
func cutAntimeridian(ring []pt) [][]pt {
	un := make([]pt, len(ring))
	shift := 0.0
	for i, p := range ring {
		if i > 0 {
			switch d := p.x + shift - un[i-1].x; {
			case d > 180:
				shift -= 360
			case d < -180:
				shift += 360
			}
		}
		un[i] = pt{p.x + shift, p.y}
	}
	lo, hi := un[0].x, un[0].x
	for _, p := range un {
		lo, hi = math.Min(lo, p.x), math.Max(hi, p.x)
	}
	switch {
	case hi > 180:
		return [][]pt{clip(un, 180, true, 0), clip(un, 180, false, -360)}
	case lo < -180:
		return [][]pt{clip(un, -180, false, 0), clip(un, -180, true, 360)}
	}
	return [][]pt{ring}
}

// clip keeps the part of a ring on one side of the meridian m (below it
// when below, else above: Sutherland-Hodgman against one line), shifted by
// dx degrees.
func clip(ring []pt, m float64, below bool, dx float64) []pt {
	in := func(p pt) bool { return (p.x <= m) == below || p.x == m }
	var out []pt
	for i, p := range ring {
		q := ring[(i+1)%len(ring)]
		if in(p) {
			out = append(out, pt{p.x + dx, p.y})
		}
		if in(p) != in(q) {
			t := (m - p.x) / (q.x - p.x)
			out = append(out, pt{m + dx, p.y + t*(q.y-p.y)})
		}
	}
	return out
}

// simplify is Douglas-Peucker with tolerance eps, keeping both ends.
func simplify(pts []pt, eps float64) []pt {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var rec func(lo, hi int)
	rec = func(lo, hi int) {
		best, at := 0.0, -1
		for i := lo + 1; i < hi; i++ {
			if d := segDist(pts[i], pts[lo], pts[hi]); d > best {
				best, at = d, i
			}
		}
		if at >= 0 && best > eps {
			keep[at] = true
			rec(lo, at)
			rec(at, hi)
		}
	}
	rec(0, len(pts)-1)
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// writeRing writes a closed ring as SVG path commands, relative after the
// first point, one decimal.
func writeRing(b *strings.Builder, pts []pt) {
	px, py := math.Round(pts[0].x*10), math.Round(pts[0].y*10)
	fmt.Fprintf(b, "M%s %s", dec(px), dec(py))
	n := 0
	for _, p := range pts[1:] {
		x, y := math.Round(p.x*10), math.Round(p.y*10)
		if x == px && y == py {
			continue
		}
		if n == 0 {
			b.WriteString("l")
		} else {
			b.WriteString(" ")
		}
		fmt.Fprintf(b, "%s %s", dec(x-px), dec(y-py))
		px, py = x, y
		n++
	}
	b.WriteString("z")
}

// dec is a tenth-unit integer as a decimal.
func dec(v float64) string {
	s := strconv.FormatFloat(v/10, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// centroid is a ring's area and area-weighted centre (the shoelace).
func centroid(pts []pt) (float64, pt) {
	var a, cx, cy float64
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		c := p.x*q.y - q.x*p.y
		a += c
		cx += (p.x + q.x) * c
		cy += (p.y + q.y) * c
	}
	if a == 0 {
		return 0, pts[0]
	}
	return math.Abs(a / 2), pt{cx / (3 * a), cy / (3 * a)}
}
