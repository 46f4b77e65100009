package chartimg_test

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/chartimg"
	"github.com/cadrestats/cadrestats/web"
)

func drawer(t *testing.T) *chartimg.Drawer {
	d, err := chartimg.New(web.ChartFont)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ptr(v float64) *float64 { return &v }

// sample is a comparison as internal/chart builds it: two levels, a
// lower bound, a locality without data, Vietnamese text everywhere.
func sample() chart.Chart {
	return chart.Chart{ID: "compare-x", Title: "Cán bộ được luân chuyển: huyện → xã",
		Subtitle: "Đơn vị: người · theo số báo cáo", Sources: []string{"Nguồn: Báo Điện Biên Phủ, 03/10/2018", "Báo Vĩnh Phúc, 28/10/2020"},
		Notes: []string{"Cột gạch chéo: chỉ là giá trị tối thiểu (“ít nhất”)."},
		Plot: &chart.Plot{Stacked: true, Categories: []string{"Điện Biên (cấp tỉnh)\n2010–2018", "Sông Lô (cấp huyện)\n2015–2020",
			"Móng Cái (thành phố thuộc tỉnh)\nkhông có số liệu", "Tiên Lãng (cấp huyện)\n2019"},
			Series: []chart.PlotSeries{
				{Name: "cấp tỉnh", Color: "#1f4e9c", Values: []*float64{ptr(85), nil, nil, nil}, Labels: []string{"85 người", "", "", ""}, Lower: []bool{false, false, false, false}},
				{Name: "cấp huyện", Color: "#b25e00", Values: []*float64{nil, ptr(20), nil, ptr(15)}, Labels: []string{"", "20 người", "", "ít nhất 15 người"}, Lower: []bool{false, false, false, true}},
			}}}
}

func TestPNG(t *testing.T) {
	b, err := drawer(t).PNG(sample(), chartimg.Labels{LowerBound: "ít nhất", Site: "Thống kê công tác cán bộ · http://example.com"})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != 1200 || r.Dy() < 630 {
		t.Errorf("image %d×%d, want 1200 wide, at least 630 high", r.Dx(), r.Dy())
	}
	if dir := os.Getenv("CHARTIMG_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "sample.png"), b, 0o644)
	}
}

func TestNoBars(t *testing.T) {
	c := sample()
	c.Plot = nil
	if _, err := drawer(t).PNG(c, chartimg.Labels{}); err != chartimg.ErrNoBars {
		t.Errorf("a chart without a plot: %v, want ErrNoBars", err)
	}
}

// The chart font has every Vietnamese letter and the signs titles use: a
// missing glyph would draw a box in every title. (go-analyze's own Roboto
// lacks "→".)
func TestFontHasVietnamese(t *testing.T) {
	const letters = "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴ" +
		"aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ→–“”·÷"
	font := drawer(t).Font()
	var missing []string
	for _, r := range letters {
		if font.Index(r) == 0 {
			missing = append(missing, string(r))
		}
	}
	if len(missing) > 0 {
		t.Errorf("the chart font lacks %q", missing)
	}
}

// A lower bound's bar is pale and striped, as on the page; without lower
// bounds nothing has that shade.
func TestLowerBoundHatched(t *testing.T) {
	shade := chartimg.Pale("#b25e00")
	count := func(c chart.Chart) (pale, stripes int) {
		b, err := drawer(t).PNG(c, chartimg.Labels{LowerBound: "ít nhất"})
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r := img.Bounds()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			prev := false
			for x := r.Min.X; x < r.Max.X; x++ {
				p := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				if p == shade {
					pale++
					prev = true
				} else if prev && p == (color.NRGBA{255, 255, 255, 255}) {
					stripes++ // white right after the shade: a stripe or the bar's end
					prev = false
				}
			}
		}
		return pale, stripes
	}
	c := sample()
	pale, stripes := count(c)
	if pale < 200 || stripes < 50 {
		t.Errorf("lower bound: %d pale pixels, %d stripe edges; want a striped bar", pale, stripes)
	}
	c.Plot.Series[1].Lower = []bool{false, false, false, false}
	if pale, _ := count(c); pale != 0 {
		t.Errorf("without lower bounds, %d pixels of the lower bounds' shade", pale)
	}
}

func BenchmarkPNG(b *testing.B) {
	d, err := chartimg.New(web.ChartFont)
	if err != nil {
		b.Fatal(err)
	}
	c := sample()
	for b.Loop() {
		if _, err := d.PNG(c, chartimg.Labels{LowerBound: "ít nhất"}); err != nil {
			b.Fatal(err)
		}
	}
}
