package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/danvan/danvan/scoring"
	"github.com/danvan/danvan/summary"
)

func runScores(ctx context.Context, env Env, args []string) error {
	const synopsis = "scores self|appraise --cycle ID --unit CODE --file F | scores show --cycle ID [--json]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "scores", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id")
	unit := fs.String("unit", "", "self/appraise: unit code")
	file := fs.String("file", "", "self/appraise: the JSON sheet (see examples/self-assessment.json, examples/appraisal.json)")
	asJSON := fs.Bool("json", false, "show: print JSON")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *cycle == "" {
		fmt.Fprintln(env.Stderr, "danvan scores: --cycle is required")
		return errUsage
	}
	switch args[0] {
	case "self", "appraise":
		if *unit == "" || *file == "" {
			fmt.Fprintf(env.Stderr, "danvan scores %s: --unit and --file are required\n", args[0])
			return errUsage
		}
		var sh scoring.Sheet
		if err := decodeJSONFile(*file, &sh); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		kind := "self"
		if args[0] == "appraise" {
			kind = "appraisal"
		}
		var res struct {
			Total float64 `json:"total"`
		}
		if err := c.do(ctx, "POST", fmt.Sprintf("/api/cycles/%s/units/%s/scores/%s", url.PathEscape(*cycle), url.PathEscape(*unit), kind), &sh, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s of %s saved: %d criteria, %g points\n", kind, *unit, len(sh.Entries), res.Total)
		return nil
	case "show":
		c, err := connect()
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := c.do(ctx, "GET", "/api/cycles/"+url.PathEscape(*cycle)+"/scores", nil, &raw); err != nil {
			return err
		}
		if *asJSON {
			_, err := env.Stdout.Write(raw)
			return err
		}
		var b summary.Board
		if err := json.Unmarshal(raw, &b); err != nil {
			return err
		}
		if b.CriteriaSet == "" {
			fmt.Fprintf(env.Stdout, "cycle %s has no criteria set (danvan criteria use --cycle %s --set ID)\n", *cycle, *cycle)
		} else if b.Example {
			fmt.Fprintf(env.Stdout, "criteria set %s is an EXAMPLE to replace\n", b.CriteriaSet)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "UNIT\tBLOCK\tSELF\tAUTO\tAPPRAISED\tGRADE\tCAPPED\tREASONS")
		for _, r := range b.Results {
			capped := ""
			if r.CappedDown {
				capped = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%g\t%g\t%g\t%s\t%s\t%s\n", r.Unit, r.Block, r.SelfTotal, r.AutoTotal, r.AppraisedTotal, r.Grade, capped, strings.Join(r.Reasons, "; "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "\nTask timeliness (Nghị định 335/2025):")
		tw = tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "UNIT\tASSIGNED\tON TIME\tLATE\tNOT DONE\tOPEN")
		for _, t := range b.Timeliness {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\n", t.Unit, t.Assigned, t.OnTime, t.Late, t.NotDone, t.Open)
		}
		return tw.Flush()
	}
	fmt.Fprintf(env.Stderr, "danvan scores: unknown subcommand %q (self, appraise, show)\n", args[0])
	return errUsage
}
