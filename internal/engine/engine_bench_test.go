package engine_test

import (
	"context"
	"testing"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/policies"
)

// BenchmarkLoad is what every run pays before checking anything: parsing
// the embedded policies and reading their metadata.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := engine.Load(policies.FS); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAndCompile is a cold run's policy cost: loading, then
// compiling one lab (docker, the smallest) or all four.
func BenchmarkLoadAndCompile(b *testing.B) {
	for _, tc := range []struct {
		name string
		labs []finding.Lab
	}{{"docker", []finding.Lab{finding.Docker}}, {"all", finding.Labs}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				eng, err := engine.Load(policies.FS)
				if err != nil {
					b.Fatal(err)
				}
				for _, l := range tc.labs {
					if err := eng.Prepare(context.Background(), l); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
