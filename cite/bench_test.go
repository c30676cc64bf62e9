package cite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func corpusText(b *testing.B) string {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) == 0 {
		b.Skipf("corpus not found at %s", corpusDir)
	}
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// BenchmarkExtract measures the whole extractor on the concatenated corpus.
func BenchmarkExtract(b *testing.B) {
	text := corpusText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(text, Options{})
	}
}

var naive = regexp.MustCompile(`\d+[/-][\p{L}\d/-]+`)

// BenchmarkNaiveRegex is the baseline: one regexp that only finds
// number-like tokens, without dates, issuers, subjects or merging.
func BenchmarkNaiveRegex(b *testing.B) {
	text := corpusText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		naive.FindAllStringIndex(text, -1)
	}
}
