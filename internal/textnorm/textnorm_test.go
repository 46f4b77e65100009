package textnorm_test

import (
	"testing"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"eth look-alike becomes Đ", "\u00D0iện Biên \u00D0ông", "Điện Biên Đông"},
		{"small eth becomes đ", "\u00F0ồng chí", "đồng chí"},
		{"decomposed becomes NFC", "Sông Lo\u0302\u0300", "Sông Lồ"},
		{"spaces folded", "  hơn\u00A07200\n\tđảng viên ", "hơn 7200 đảng viên"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textnorm.Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	for in, want := range map[string]bool{
		"Tiên Lãng":   true,
		"dòng\nmới":   true,
		"\xff\xfe":    false,
		"nul\x00byte": false,
	} {
		if got := textnorm.Valid(in); got != want {
			t.Errorf("Valid(%q) = %v, want %v", in, got, want)
		}
	}
}
