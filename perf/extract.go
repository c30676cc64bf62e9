package perf

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/danvan/danvan/cite"
)

// naive is the reference: the one regular expression a first attempt at
// citation extraction would use (the same as cite's own benchmark).
var naive = regexp.MustCompile(`\d+[/-][\p{L}\d/-]+`)

// corpusText joins the corpus files; the extractor and the reference read
// the same bytes.
func corpusText(dir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return "", os.ErrNotExist
	}
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// Extraction measures cite.Extract and the naive scan on the corpus in
// this process, alternating rounds so both see the same machine load, and
// returns MB/s of each (one core: the calls are sequential).
func Extraction(corpusDir string, rounds int) (extractor, reference float64, err error) {
	text, err := corpusText(corpusDir)
	if err != nil {
		return 0, 0, err
	}
	var tExt, tNaive time.Duration
	for range rounds {
		t := time.Now()
		for range 10 {
			cite.Extract(text, cite.Options{})
		}
		tExt += time.Since(t)
		t = time.Now()
		for range 10 {
			naive.FindAllStringIndex(text, -1)
		}
		tNaive += time.Since(t)
	}
	mb := float64(len(text)) * 10 * float64(rounds) / 1e6
	return mb / tExt.Seconds(), mb / tNaive.Seconds(), nil
}
