package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/danvan/danvan/cite"
)

func citeReadFile(path string) (string, error) { return cite.ReadFile(path) }

// runCite extracts citations from files; it needs no server.
func runCite(_ context.Context, env Env, args []string) error {
	fs := newFlags(env, "cite", "cite [--json] FILE...")
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan cite [--json] FILE... (.txt in UTF-8 or .docx)")
		return errUsage
	}
	failed := 0
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	for _, path := range fs.Args() {
		// Text files are streamed: memory stays flat however large they are.
		res, err := cite.ExtractFile(path, cite.Options{})
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %v\n", path, err)
			failed++
			continue
		}
		if *asJSON {
			if err := enc.Encode(cite.FileResult{File: path, Result: res}); err != nil {
				return err
			}
			continue
		}
		if err := cite.WriteTable(env.Stdout, path, res); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d file(s) could not be read", failed, fs.NArg())
	}
	return nil
}
