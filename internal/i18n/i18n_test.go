package i18n_test

import (
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/i18n"
)

func TestCatalogIsComplete(t *testing.T) {
	// Load refuses a key missing from either language.
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Keys() {
		for _, l := range i18n.Langs {
			if c.Printer(l).T(k) == "" {
				t.Errorf("%s: message %q is empty", l, k)
			}
		}
	}
}

func TestNumbersAndDates(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := c.Printer(i18n.VI), c.Printer(i18n.EN)
	day := time.Date(2020, 10, 28, 0, 0, 0, 0, time.UTC)
	tests := []struct{ got, want string }{
		{vi.Number(1700), "1.700"},
		{vi.Number(62.5), "62,5"},
		{vi.Number(7200), "7.200"},
		{en.Number(1700), "1,700"},
		{vi.Date(day), "28/10/2020"},
		{en.Date(day), "28 Oct 2020"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestVietnameseOrder(t *testing.T) {
	c, _ := i18n.Load()
	vi := c.Printer(i18n.VI)
	// Đ sorts after D, so Điện Biên comes after Dương; byte order disagrees.
	if vi.Compare("Dương", "Điện Biên") >= 0 {
		t.Error("Dương should sort before Điện Biên")
	}
	if vi.Compare("Móng Cái", "Quảng Bình") >= 0 {
		t.Error("Móng Cái should sort before Quảng Bình")
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		query, cookie, accept string
		want                  i18n.Lang
	}{
		{"", "", "", i18n.VI},
		{"en", "", "", i18n.EN},
		{"", "en", "vi", i18n.EN},
		{"vi", "en", "en", i18n.VI},
		{"", "", "en-US,en;q=0.9", i18n.EN},
		{"", "", "fr-FR", i18n.VI},
		{"xx", "", "en", i18n.EN},
	}
	for _, tt := range tests {
		if got := i18n.Negotiate(tt.query, tt.cookie, tt.accept); got != tt.want {
			t.Errorf("Negotiate(%q, %q, %q) = %s, want %s", tt.query, tt.cookie, tt.accept, got, tt.want)
		}
	}
}
