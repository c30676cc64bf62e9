// Command danvan-bench is `make bench`: it measures danvan against
// references in the same run and writes bench/results.json.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/danvan/danvan/perf"
)

func main() {
	var cfg perf.Config
	out := flag.String("o", "bench/results.json", "where to write the results")
	flag.StringVar(&cfg.Bin, "bin", "bin/danvan", "the danvan binary to measure")
	flag.StringVar(&cfg.CorpusDir, "corpus", "../shared/corpus", "the corpus .txt files")
	flag.BoolVar(&cfg.Quick, "quick", false, "every figure at a tenth of its size")
	flag.StringVar(&cfg.Only, "only", "", "run only figure groups containing this: extraction, search, fanout, reminders, submissions, api")
	flag.StringVar(&perf.AdminURL, "postgres", perf.AdminURL, "PostgreSQL (maintenance database); one database per measured process is created and dropped")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r := perf.Run(ctx, cfg)
	r.Table(os.Stdout)
	if err := r.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "danvan-bench:", err)
		os.Exit(1)
	}
	fmt.Println("wrote", *out)
	if len(r.Errors) > 0 {
		os.Exit(1)
	}
}
