package synth_test

import "testing"

// BenchmarkGenerate100k: generating is a small part of cadrestats synth; PostgreSQL does the rest.
func BenchmarkGenerate100k(b *testing.B) {
	g, _ := world(b, 1, 100_000)
	for b.Loop() {
		n := 0
		for range g.Sources() {
		}
		for range g.Figures() {
			n++
		}
	}
}
