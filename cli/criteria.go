package cli

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"text/tabwriter"

	"github.com/danvan/danvan/criteria"
)

func runCriteria(ctx context.Context, env Env, args []string) error {
	const synopsis = "criteria import FILE | criteria list [--json] | criteria use --cycle ID --set SET [--version N]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "criteria", synopsis)
	connect := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "list: print JSON")
	cycle := fs.String("cycle", "", "use: the cycle id")
	set := fs.String("set", "", "use: the criteria set id")
	version := fs.Int("version", 0, "use: the version (0 = newest)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan criteria import FILE (JSON in the format of criteria/example-tay-ninh-2022.json)")
			return errUsage
		}
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		if _, err := criteria.Parse(data); err != nil { // fail fast, before any network call
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var res criteria.Set
		if err := c.do(ctx, "POST", "/api/criteria", data, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "imported criteria set %s for %s %d, version %d (%d criteria)\n", res.ID, res.Province, res.Year, res.Version, len(res.Criteria()))
		if res.Example {
			fmt.Fprintln(env.Stdout, "note: this is an EXAMPLE set; replace it with your province's decision before publishing results")
		}
		return nil
	case "list":
		c, err := connect()
		if err != nil {
			return err
		}
		var res struct {
			Sets []criteria.Set `json:"sets"`
		}
		if err := c.do(ctx, "GET", "/api/criteria", nil, &res); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPROVINCE\tYEAR\tVERSION\tCRITERIA\tMAX\tDECISION\tEXAMPLE")
		for _, s := range res.Sets {
			ex := ""
			if s.Example {
				ex = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%g\t%s\t%s\n", s.ID, s.Province, s.Year, s.Version, len(s.Criteria()), s.MaxTotal, s.Decision.Number, ex)
		}
		return tw.Flush()
	case "use":
		if *cycle == "" || *set == "" {
			fmt.Fprintln(env.Stderr, "danvan criteria use: --cycle and --set are required")
			return errUsage
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var res criteria.Set
		if err := c.do(ctx, "PUT", "/api/cycles/"+url.PathEscape(*cycle)+"/criteria", map[string]any{"set": *set, "version": *version}, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "cycle %s uses criteria set %s version %d\n", *cycle, res.ID, res.Version)
		return nil
	}
	fmt.Fprintf(env.Stderr, "danvan criteria: unknown subcommand %q (import, list, use)\n", args[0])
	return errUsage
}
