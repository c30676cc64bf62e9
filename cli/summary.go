package cli

import (
	"context"
	"fmt"
	"net/url"
)

func runSummary(ctx context.Context, env Env, args []string) error {
	const synopsis = "summary --cycle ID --format docx|xlsx|json -o FILE [--number N] [--signer NAME]"
	fs := newFlags(env, "summary", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id")
	format := fs.String("format", "json", "docx, xlsx or json")
	out := fs.String("o", "", "output file")
	number := fs.String("number", "", "docx: the report's number once assigned (empty: left blank to fill in after signing)")
	signer := fs.String("signer", "", "docx: the signer's name")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cycle == "" || *out == "" {
		fmt.Fprintln(env.Stderr, "danvan summary: --cycle and -o are required")
		return errUsage
	}
	switch *format {
	case "docx", "xlsx", "json":
	default:
		fmt.Fprintf(env.Stderr, "danvan summary: --format must be docx, xlsx or json, not %q\n", *format)
		return errUsage
	}
	c, err := connect()
	if err != nil {
		return err
	}
	q := url.Values{"format": {*format}}
	if *number != "" {
		q.Set("number", *number)
	}
	if *signer != "" {
		q.Set("signer", *signer)
	}
	return download(ctx, c, "/api/cycles/"+url.PathEscape(*cycle)+"/summary?"+q.Encode(), *out, env)
}
