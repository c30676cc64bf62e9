package cite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
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
	cpu := startCPU()
	for b.Loop() {
		Extract(text, Options{})
	}
	cpu.report(b, len(text))
}

var naive = regexp.MustCompile(`\d+[/-][\p{L}\d/-]+`)

// BenchmarkNaiveRegex is the baseline: one regexp that only finds
// number-like tokens, without dates, issuers, subjects or merging.
func BenchmarkNaiveRegex(b *testing.B) {
	text := corpusText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		naive.FindAllStringIndex(text, -1)
	}
	cpu.report(b, len(text))
}

// cpuClock measures the CPU time the process spends (all threads, so the
// garbage collector's work counts), which, unlike wall time, does not
// depend on how busy the machine's other cores are: MB per CPU-second is
// the per-core speed.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{processCPU()} }

// report adds "cpuMB/s": bytes processed per CPU-second.
func (c cpuClock) report(b *testing.B, size int) {
	if d := processCPU() - c.start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "cpuMB/s")
	}
}
