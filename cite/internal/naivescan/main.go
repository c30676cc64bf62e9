// Command naivescan is the baseline the citation extractor's speed is
// measured against: it reads each file whole and runs one regular
// expression that only finds number-like tokens (no dates, issuers,
// subjects or merging), printing one JSON object per file. It is the same
// expression as BenchmarkNaiveRegex in package cite.
//
//	go build -o /tmp/naivescan ./cite/internal/naivescan
//	/tmp/naivescan FILE... > /dev/null
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
)

var naive = regexp.MustCompile(`\d+[/-][\p{L}\d/-]+`)

type fileMatches struct {
	File    string   `json:"file"`
	Matches []string `json:"matches"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: naivescan FILE...")
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	status := 0
	for _, path := range os.Args[1:] {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
			continue
		}
		out := fileMatches{File: path, Matches: []string{}}
		for _, m := range naive.FindAll(b, -1) {
			out.Matches = append(out.Matches, string(m))
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(status)
}
