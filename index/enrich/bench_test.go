package enrich

import (
	"testing"
	"time"
)

// benchParagraphs returns the seed article's paragraphs, or the package's
// own sample paragraphs when the seed is absent.
func benchParagraphs(b *testing.B) []string {
	if p, err := readSeed(); err == nil {
		return p
	}
	return sampleParagraphs
}

// BenchmarkTag tags the seed article, one Tag call per iteration, and
// reports paragraphs per second.
func BenchmarkTag(b *testing.B) {
	tg, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	paras := benchParagraphs(b)
	bytes := 0
	for _, p := range paras {
		bytes += len(p)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		tg.Tag("", paras)
	}
	el := time.Since(start)
	b.ReportMetric(float64(b.N*len(paras))/el.Seconds(), "paragraphs/s")
	b.ReportMetric(float64(el.Nanoseconds())/float64(b.N*len(paras)), "ns/paragraph")
}

// BenchmarkTagParallel is BenchmarkTag with concurrent callers.
func BenchmarkTagParallel(b *testing.B) {
	tg, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	paras := benchParagraphs(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tg.Tag("", paras)
		}
	})
	el := time.Since(start)
	b.ReportMetric(float64(b.N*len(paras))/el.Seconds(), "paragraphs/s")
}
