// Command map builds the province boundaries the map page draws
// (web/static/map/vn63.json and vn34.json) from the geoBoundaries file
// named in SOURCE.md: it keys each boundary to the province table
// (internal/provinces) by ISO 3166-2 code, simplifies it (Douglas-Peucker),
// rounds the coordinates, and groups the 63 into the 34 of Nghị quyết
// 202/2025/QH15, each union a MultiPolygon of its members' polygons (orb
// has no polygon union; the map draws members in one colour, the former
// borders as thin lines). Run by build.sh; nothing runs it at build, test
// or run time, and its output is committed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/cadrestats/cadrestats/internal/provinces"
)

// extra are the source's features that are parts of a province listed
// under another name: geoBoundaries draws the Côn Đảo islands apart,
// with the ISO code of Bà Rịa - Vũng Tàu they belong to.
var extra = map[string]string{"Côn Đảo": "VN-43"}

// island is one island of an archipelago the source file lacks, at its
// well-known position (degrees, WGS 84).
type island struct {
	Name     string
	Lon, Lat float64
}

// Archipelagos are the Hoàng Sa and Trường Sa archipelagos, which the
// geoBoundaries file does not draw: Hoàng Sa is a district (huyện đảo, since
// 2025 đặc khu) of Đà Nẵng, Trường Sa of Khánh Hòa. Each island becomes a
// small diamond in its province's feature, so that it takes the province's
// colour (and, in the 34, that of the union Đà Nẵng or Khánh Hòa). The
// positions show each archipelago's extent; no shoreline is claimed.
var Archipelagos = []struct {
	Name    string // as the map's label names it
	ISO     string // the province it belongs to
	Islands []island
}{
	{"Hoàng Sa", "VN-DN", []island{
		{"Phú Lâm", 112.335, 16.834}, {"Cây", 112.260, 16.980}, {"Linh Côn", 112.733, 16.667},
		{"Hoàng Sa", 111.608, 16.533}, {"Quang Ảnh", 111.510, 16.450}, {"Duy Mộng", 111.740, 16.460},
		{"Tri Tôn", 111.200, 15.783},
	}},
	{"Trường Sa", "VN-34", []island{
		{"Song Tử Tây", 114.330, 11.430}, {"Thị Tứ", 114.284, 11.055}, {"Loại Ta", 114.420, 10.680},
		{"Sơn Ca", 114.480, 10.380}, {"Nam Yết", 114.360, 10.180}, {"Sinh Tồn", 114.330, 9.880},
		{"An Bang", 113.920, 7.890}, {"Trường Sa Lớn", 111.920, 8.640},
	}},
}

// islandRadius is half a diamond's diagonal, in degrees: about 8 km, so
// that an island is a mark of 4-6 pixels at the map's scale (a smaller one
// vanishes under the white borders); it is a mark, not a shoreline.
const islandRadius = 0.08

// diamond is an island's polygon: a square on its point, counter-clockwise.
func diamond(lon, lat float64) orb.Polygon {
	r := islandRadius
	return orb.Polygon{orb.Ring{{lon, lat - r}, {lon + r, lat}, {lon, lat + r}, {lon - r, lat}, {lon, lat - r}}}
}

func main() {
	src := flag.String("src", "", "the geoBoundaries VNM ADM1 GeoJSON")
	out := flag.String("out", "web/static/map", "output directory")
	tolerance := flag.Float64("tolerance", 0.004, "Douglas-Peucker tolerance, degrees")
	flag.Parse()
	if err := run(*src, *out, *tolerance); err != nil {
		fmt.Fprintln(os.Stderr, "map:", err)
		os.Exit(1)
	}
}

func run(src, out string, tolerance float64) error {
	tab, err := provinces.Load()
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var fc collection
	if err := json.Unmarshal(raw, &fc); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	byISO, err := Match(tab, fc)
	if err != nil {
		return err
	}
	simp := simplify.DouglasPeucker(tolerance)
	shape := map[string]orb.MultiPolygon{} // by code
	for _, o := range tab.Old {
		var mp orb.MultiPolygon
		for _, g := range byISO[o.ISO] {
			mp = append(mp, polygons(simp.Simplify(orb.Clone(g)))...)
		}
		for _, a := range Archipelagos {
			if a.ISO == o.ISO {
				for _, is := range a.Islands {
					mp = append(mp, diamond(is.Lon, is.Lat))
				}
			}
		}
		shape[o.Code] = round(mp)
	}
	old := outCollection{Type: "FeatureCollection"}
	for _, o := range tab.Old {
		old.Features = append(old.Features, outFeature{Type: "Feature",
			Properties: map[string]any{"name": o.Name, "code": o.Code}, Geometry: multi(shape[o.Code])})
	}
	union := outCollection{Type: "FeatureCollection"}
	for _, n := range tab.New {
		var mp orb.MultiPolygon
		for _, c := range n.Members {
			mp = append(mp, shape[c]...)
		}
		union.Features = append(union.Features, outFeature{Type: "Feature",
			Properties: map[string]any{"name": n.Name, "members": n.Members}, Geometry: multi(mp)})
	}
	for name, fc := range map[string]outCollection{"vn63.json": old, "vn34.json": union} {
		b, err := json.Marshal(fc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Match keys the source's features to the table's ISO codes: every one of
// the 63 must have a boundary, and every feature must belong to one.
func Match(tab provinces.Table, fc collection) (map[string][]orb.Geometry, error) {
	known := map[string]bool{}
	for _, o := range tab.Old {
		known[o.ISO] = true
	}
	out := map[string][]orb.Geometry{}
	for _, f := range fc.Features {
		name, iso := f.Properties.ShapeName, f.Properties.ShapeISO
		if e, ok := extra[name]; ok {
			iso = e
		}
		if !known[iso] {
			return nil, fmt.Errorf("feature %q (%s) is none of the 63", name, iso)
		}
		if len(out[iso]) > 0 && extra[name] == "" {
			if o, ok := tab.OldByName(name); !ok || o.ISO != iso {
				return nil, fmt.Errorf("feature %q: a second boundary for %s", name, iso)
			}
		}
		g, err := f.Geometry.orb()
		if err != nil {
			return nil, fmt.Errorf("feature %q: %w", name, err)
		}
		out[iso] = append(out[iso], g)
	}
	for _, o := range tab.Old {
		if len(out[o.ISO]) == 0 {
			return nil, fmt.Errorf("no boundary for %s (%s)", o.Name, o.ISO)
		}
	}
	return out, nil
}

func polygons(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// round keeps 3 decimals (about 100 m) and drops the rings simplification
// left too small to draw.
func round(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range mp {
		var np orb.Polygon
		for i, r := range p {
			var nr orb.Ring
			for _, pt := range r {
				q := orb.Point{math.Round(pt[0]*1000) / 1000, math.Round(pt[1]*1000) / 1000}
				if len(nr) == 0 || nr[len(nr)-1] != q {
					nr = append(nr, q)
				}
			}
			if len(nr) < 4 {
				if i == 0 {
					break // no outer ring: drop the polygon
				}
				continue
			}
			np = append(np, nr)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

// collection is the part of the source GeoJSON read: geoBoundaries names
// a feature shapeName and shapeISO.
type collection struct {
	Features []struct {
		Properties struct {
			ShapeName string `json:"shapeName"`
			ShapeISO  string `json:"shapeISO"`
		} `json:"properties"`
		Geometry geometry `json:"geometry"`
	} `json:"features"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func (g geometry) orb() (orb.Geometry, error) {
	switch g.Type {
	case "Polygon":
		var c [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, err
		}
		return polygon(c), nil
	case "MultiPolygon":
		var c [][][][2]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, err
		}
		var mp orb.MultiPolygon
		for _, p := range c {
			mp = append(mp, polygon(p))
		}
		return mp, nil
	}
	return nil, fmt.Errorf("geometry %s is not a polygon", g.Type)
}

func polygon(c [][][2]float64) orb.Polygon {
	var p orb.Polygon
	for _, r := range c {
		var ring orb.Ring
		for _, pt := range r {
			ring = append(ring, orb.Point(pt))
		}
		p = append(p, ring)
	}
	return p
}

type outCollection struct {
	Type     string       `json:"type"`
	Features []outFeature `json:"features"`
}

type outFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   outGeometry    `json:"geometry"`
}

type outGeometry struct {
	Type        string           `json:"type"`
	Coordinates [][][][2]float64 `json:"coordinates"`
}

func multi(mp orb.MultiPolygon) outGeometry {
	g := outGeometry{Type: "MultiPolygon"}
	for _, p := range mp {
		var pc [][][2]float64
		for _, r := range p {
			var rc [][2]float64
			for _, pt := range r {
				rc = append(rc, [2]float64(pt))
			}
			pc = append(pc, rc)
		}
		g.Coordinates = append(g.Coordinates, pc)
	}
	return g
}
