package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/provinces"
)

func feature(name, iso string) string {
	return `{"type":"Feature","properties":{"shapeName":"` + name + `","shapeISO":"` + iso +
		`"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}`
}

func collectionOf(t *testing.T, feats ...string) collection {
	t.Helper()
	var c collection
	if err := json.Unmarshal([]byte(`{"features":[`+strings.Join(feats, ",")+`]}`), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// The table in main.go and the ISO codes of provinces.csv key every
// boundary: one missing, or one the table does not know, fails the build.
func TestMatch(t *testing.T) {
	tab, err := provinces.Load()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, o := range tab.Old {
		all = append(all, feature(o.Name, o.ISO))
	}
	all = append(all, feature("Côn Đảo", "VN-43"))
	m, err := Match(tab, collectionOf(t, all...))
	if err != nil {
		t.Fatal(err)
	}
	if len(m["VN-43"]) != 2 || len(m["VN-71"]) != 1 {
		t.Errorf("Bà Rịa - Vũng Tàu has %d parts, Điện Biên %d; want 2 and 1", len(m["VN-43"]), len(m["VN-71"]))
	}
	if _, err := Match(tab, collectionOf(t, all[1:]...)); err == nil || !strings.Contains(err.Error(), tab.Old[0].Name) {
		t.Errorf("a province without boundary: %v", err)
	}
	if _, err := Match(tab, collectionOf(t, append(all, feature("Hoàng Sa", "VN-XX"))...)); err == nil {
		t.Error("a feature of no province was accepted")
	}
}

// The committed boundaries are the table's: the 63 by name and code, the
// 34 by name with their members.
func TestCommittedBoundaries(t *testing.T) {
	tab, err := provinces.Load()
	if err != nil {
		t.Fatal(err)
	}
	type props struct {
		Name    string   `json:"name"`
		Code    string   `json:"code"`
		Members []string `json:"members"`
	}
	islands := map[string][][][][2]float64{} // "file/province": its polygons
	read := func(name string) []props {
		b, err := os.ReadFile("../../web/static/map/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct {
				Properties props `json:"properties"`
				Geometry   struct {
					Type        string           `json:"type"`
					Coordinates [][][][2]float64 `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		var out []props
		for _, f := range fc.Features {
			if f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
				t.Errorf("%s: %s has no polygon", name, f.Properties.Name)
			}
			out = append(out, f.Properties)
			islands[name+"/"+f.Properties.Name] = f.Geometry.Coordinates
		}
		return out
	}
	old := read("vn63.json")
	if len(old) != 63 {
		t.Fatalf("vn63.json has %d provinces", len(old))
	}
	for i, o := range tab.Old {
		if old[i].Name != o.Name || old[i].Code != o.Code {
			t.Errorf("vn63.json feature %d is %v, want %s %s", i, old[i], o.Name, o.Code)
		}
	}
	// Hoàng Sa in Đà Nẵng, Trường Sa in Khánh Hòa, in both files: each
	// island a polygon of its province's feature, none in another's.
	has := func(polys [][][][2]float64, is island) bool {
		for _, p := range polys {
			minX, minY, maxX, maxY := 180.0, 90.0, -180.0, -90.0
			for _, pt := range p[0] {
				minX, minY, maxX, maxY = min(minX, pt[0]), min(minY, pt[1]), max(maxX, pt[0]), max(maxY, pt[1])
			}
			if minX <= is.Lon && is.Lon <= maxX && minY <= is.Lat && is.Lat <= maxY && maxX-minX < 0.2 {
				return true
			}
		}
		return false
	}
	checkIslands := func(file string, owner map[string]string) {
		t.Helper()
		for _, a := range Archipelagos {
			for _, is := range a.Islands {
				for key, polys := range islands {
					if !strings.HasPrefix(key, file+"/") {
						continue
					}
					prov := strings.TrimPrefix(key, file+"/")
					if got, want := has(polys, is), prov == owner[a.Name]; got != want {
						t.Errorf("%s: island %s of %s in %s: %v, want %v", file, is.Name, a.Name, prov, got, want)
					}
				}
			}
		}
	}
	if len(Archipelagos) != 2 || len(Archipelagos[0].Islands) < 5 || len(Archipelagos[1].Islands) < 5 {
		t.Fatalf("archipelagos: %+v", Archipelagos)
	}
	checkIslands("vn63.json", map[string]string{"Hoàng Sa": "Đà Nẵng", "Trường Sa": "Khánh Hòa"})
	unions := read("vn34.json")
	if len(unions) != 34 {
		t.Fatalf("vn34.json has %d provinces", len(unions))
	}
	for i, n := range tab.New {
		if unions[i].Name != n.Name || !slices.Equal(unions[i].Members, n.Members) {
			t.Errorf("vn34.json feature %d is %v, want %s %v", i, unions[i], n.Name, n.Members)
		}
	}
	checkIslands("vn34.json", map[string]string{"Hoàng Sa": "Đà Nẵng", "Trường Sa": "Khánh Hòa"})
}
