package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"text/tabwriter"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/app"
)

// clientSubcommand parses "SUB [--json] [client flags] ARGS..." for a
// client command and connects; args[0] is the subcommand.
func clientSubcommand(env Env, name, synopsis string, args []string) (*flag.FlagSet, *client, *bool, error) {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return nil, nil, nil, errUsage
	}
	fs := newFlags(env, name, synopsis)
	connect := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args[1:]); err != nil {
		return nil, nil, nil, err
	}
	c, err := connect()
	return fs, c, asJSON, err
}

func runUnits(ctx context.Context, env Env, args []string) error {
	fs, c, asJSON, err := clientSubcommand(env, "units", "units import FILE | units list [--json]", args)
	if err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan units import FILE (CSV with header code,name,parent_code,kind,email,head_email, or JSON)")
			return errUsage
		}
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		if _, err := danvan.ParseUnits(data); err != nil { // fail fast, before any network call
			return err
		}
		var res map[string]int
		if err := c.do(ctx, "POST", "/api/units", data, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "imported units: %d created, %d updated\n", res["created"], res["updated"])
		return nil
	case "list":
		var res struct {
			Units []danvan.Unit `json:"units"`
		}
		if err := c.do(ctx, "GET", "/api/units", nil, &res); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tKIND\tPARENT\tNAME")
		for _, u := range res.Units {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Code, u.Kind, u.ParentCode, u.Name)
		}
		return tw.Flush()
	}
	fmt.Fprintf(env.Stderr, "danvan units: unknown subcommand %q (import, list)\n", args[0])
	return errUsage
}

func runCycle(ctx context.Context, env Env, args []string) error {
	fs, c, asJSON, err := clientSubcommand(env, "cycle", "cycle start FILE | list [--json] | status [--json] ID | export ID | close ID", args)
	if err != nil {
		return err
	}
	switch args[0] {
	case "close":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan cycle close ID")
			return errUsage
		}
		var res struct {
			Closed int `json:"units_closed"`
		}
		if err := c.do(ctx, "POST", "/api/cycles/"+url.PathEscape(fs.Arg(0))+"/close", map[string]string{"reason": "danvan cycle close"}, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %d unit workflows closed; what was left undone is in the audit log\n", fs.Arg(0), res.Closed)
		return nil
	case "start":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan cycle start FILE (cycle definition, .json or .yaml)")
			return errUsage
		}
		def, err := readDefinition(fs.Arg(0))
		if err != nil {
			return err
		}
		var cyc danvan.Cycle
		if err := c.do(ctx, "POST", "/api/cycles", def, &cyc); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, cyc)
		}
		fmt.Fprintln(env.Stdout, cyc.ID)
		return nil
	case "list":
		var res struct {
			Cycles []danvan.Cycle `json:"cycles"`
		}
		if err := c.do(ctx, "GET", "/api/cycles", nil, &res); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tYEAR\tUNITS\tSTATUS\tTITLE")
		for _, cy := range res.Cycles {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", cy.ID, cy.Definition.Year, len(cy.Units), cy.Status, cy.Definition.Title)
		}
		return tw.Flush()
	case "status":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan cycle status [--json] ID")
			return errUsage
		}
		var res struct {
			Cycle    danvan.Cycle     `json:"cycle"`
			Summary  map[string]int   `json:"summary"`
			Units    []*api.UnitTasks `json:"units"`
			Children []api.ChildCycle `json:"children"`
		}
		if err := c.do(ctx, "GET", "/api/cycles/"+url.PathEscape(fs.Arg(0)), nil, &res); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		fmt.Fprintf(env.Stdout, "%s — %s\n", res.Cycle.ID, res.Cycle.Definition.Title)
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "UNIT\tTASK\tSTATUS\tDUE (VN)\tSUBMITTED\tREMINDERS")
		vn := time.FixedZone("ICT", 7*3600)
		for _, u := range res.Units {
			for _, t := range u.Tasks {
				sub := ""
				if t.SubmittedAt != nil {
					sub = t.SubmittedAt.In(vn).Format("02/01/2006 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", u.Unit, t.Kind, t.Status, t.Due.In(vn).Format("02/01/2006 15:04"), sub, t.RemindersSent)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, ch := range res.Children {
			fmt.Fprintf(env.Stdout, "cascaded cycle %s (owner %s, %d units): %v\n", ch.ID, ch.Owner, ch.Units, ch.Summary)
		}
		return nil
	case "export":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan cycle export ID > tong-hop.csv")
			return errUsage
		}
		var raw json.RawMessage
		if err := c.do(ctx, "GET", "/api/cycles/"+url.PathEscape(fs.Arg(0))+"/export.csv", nil, &raw); err != nil {
			return err
		}
		_, err := env.Stdout.Write(raw)
		return err
	}
	fmt.Fprintf(env.Stderr, "danvan cycle: unknown subcommand %q (start, list, status, export)\n", args[0])
	return errUsage
}

// runCalendar imports official days off: `danvan calendar import FILE`
// (the calendar JSON, as DANVAN_CALENDAR_FILE) through the API, which
// stores them and tells the running cycles.
func runCalendar(ctx context.Context, env Env, args []string) error {
	fs, c, _, err := clientSubcommand(env, "calendar", "calendar import FILE", args)
	if err != nil {
		return err
	}
	if args[0] != "import" || fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "Usage: danvan calendar import FILE (JSON: {\"years\": {\"2026\": {\"days_off\": [...], ...}}})")
		return errUsage
	}
	cfg, err := app.LoadCalendar(fs.Arg(0))
	if err != nil {
		return err
	}
	var res struct {
		Years []int `json:"years"`
		Told  int   `json:"workflows_told"`
	}
	if err := c.do(ctx, "POST", "/api/calendar", cfg, &res); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "calendar stored for %v; %d running unit workflows recompute their alarms\n", res.Years, res.Told)
	return nil
}
