package provinces

import (
	"slices"
	"testing"
)

func TestTableIsTheResolutions(t *testing.T) {
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every one of the 63 in exactly one union.
	in := map[string]int{}
	for _, n := range tab.New {
		for _, c := range n.Members {
			in[c]++
		}
	}
	for _, o := range tab.Old {
		if in[o.Code] != 1 {
			t.Errorf("%s (%s) is in %d unions", o.Name, o.Code, in[o.Code])
		}
	}
	var kept, merged []string
	for _, n := range tab.New {
		if n.Unchanged() {
			kept = append(kept, n.Name)
		} else {
			merged = append(merged, n.Name)
		}
	}
	slices.Sort(kept)
	want := []string{"Cao Bằng", "Hà Nội", "Hà Tĩnh", "Huế", "Lai Châu", "Lạng Sơn", "Nghệ An", "Quảng Ninh", "Sơn La", "Thanh Hóa", "Điện Biên"}
	slices.Sort(want)
	if !slices.Equal(kept, want) || len(merged) != 23 {
		t.Errorf("kept %v (%d), merged %d; want the 11 %v and 23", kept, len(kept), len(merged), want)
	}
	// A few unions as the resolution lists them.
	for union, members := range map[string][]string{
		"Quảng Trị":   {"Quảng Bình", "Quảng Trị"},
		"Phú Thọ":     {"Hòa Bình", "Phú Thọ", "Vĩnh Phúc"},
		"Hồ Chí Minh": {"Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"},
		"Lâm Đồng":    {"Bình Thuận", "Lâm Đồng", "Đắk Nông"},
		"Cần Thơ":     {"Cần Thơ", "Hậu Giang", "Sóc Trăng"},
		"Vĩnh Long":   {"Bến Tre", "Trà Vinh", "Vĩnh Long"},
	} {
		n, ok := tab.NewByName(union)
		if !ok {
			t.Errorf("no union %s", union)
			continue
		}
		var got []string
		for _, c := range n.Members {
			o, _ := tab.OldByCode(c)
			got = append(got, o.Name)
		}
		slices.Sort(got)
		slices.Sort(members)
		if !slices.Equal(got, members) {
			t.Errorf("%s unites %v, want %v", union, got, members)
		}
	}
}

func TestNamesMatchAsArticlesWriteThem(t *testing.T) {
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, code := range map[string]string{
		"Điện Biên": "11", "dien bien": "11", "Quảng Bình": "44", "TP. Hồ Chí Minh": "79",
		"Thành phố Hồ Chí Minh": "79", "Bà Rịa-Vũng Tàu": "77", "Thừa Thiên Huế": "46", "Huế": "46",
	} {
		o, ok := tab.OldByName(name)
		if !ok || o.Code != code {
			t.Errorf("OldByName(%q) = %v %v, want code %s", name, o, ok, code)
		}
	}
	if _, ok := tab.OldByName("Điện Biên Đông"); ok {
		t.Error("a district matched a province")
	}
	if n, ok := tab.NewByName("Quảng Trị"); !ok || len(n.Members) != 2 {
		t.Errorf("NewByName(Quảng Trị) = %v %v", n, ok)
	}
	if n, ok := tab.NewByName("Thừa Thiên Huế"); !ok || n.Name != "Huế" {
		t.Errorf("NewByName(Thừa Thiên Huế) = %v %v", n, ok)
	}
	if n, ok := tab.NewByName("Bình Dương"); ok {
		t.Errorf("NewByName(Bình Dương) = %v: a merged province is not one of the 34", n)
	}
}
