package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/reports"
)

// runPlan submits or shows a unit's plan through the API: the plan's text
// is checked for its citation of the cycle's parent plan and its date.
func runPlan(ctx context.Context, env Env, args []string) error {
	const synopsis = "plan submit --cycle ID --unit CODE (--file plan.txt|.docx | --attach FILE...) [--number N --date YYYY-MM-DD --issuer I --title T] [--draft] [--from-draft N] | plan show --cycle ID --unit CODE [--json]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "plan", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id")
	unit := fs.String("unit", "", "unit code")
	file := fs.String("file", "", "submit: the plan's text (.txt or .docx)")
	number := fs.String("number", "", "submit: the plan's number, e.g. 495/KH-VP")
	date := fs.String("date", "", "submit: the plan's date YYYY-MM-DD")
	issuer := fs.String("issuer", "", "submit: who issued it")
	title := fs.String("title", "", "submit: the plan's title")
	asJSON := fs.Bool("json", false, "show: print JSON")
	draft := fs.Bool("draft", false, "submit: save as a draft instead of submitting")
	fromDraft := fs.Int64("from-draft", 0, "submit: the draft this submission completes (its files go with it)")
	var attach multiFlag
	fs.Var(&attach, "attach", "submit: a file to keep with the plan (.pdf, .docx, ...); its text is used when --file is not given")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *cycle == "" || *unit == "" {
		fmt.Fprintln(env.Stderr, "danvan plan: --cycle and --unit are required")
		return errUsage
	}
	c, err := connect()
	if err != nil {
		return err
	}
	switch args[0] {
	case "submit":
		if *file == "" && len(attach) == 0 {
			fmt.Fprintln(env.Stderr, "danvan plan submit: give --file or --attach")
			return errUsage
		}
		req := api.PlanRequest{Number: *number, Date: *date, Issuer: *issuer, Title: *title}
		if *file != "" {
			if req.Text, err = readText(*file); err != nil {
				return danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", *file, err)
			}
		}
		if req.Attachments, err = readAttachments(attach); err != nil {
			return err
		}
		if *draft {
			body, err := json.Marshal(api.PlanRequest{Number: req.Number, Date: req.Date, Issuer: req.Issuer, Title: req.Title, Text: req.Text})
			if err != nil {
				return err
			}
			return saveDraft(ctx, env, c, *cycle, *unit, danvan.TaskUnitPlan, body, req.Attachments)
		}
		req.DraftID = *fromDraft
		var res struct {
			Plan      danvan.UnitPlan       `json:"plan"`
			Warnings  []reports.PlanWarning `json:"warnings"`
			Task      *danvan.Task          `json:"task"`
			TaskError *danvan.Error         `json:"task_error"`
		}
		if err := c.do(ctx, "POST", workPath(*cycle, *unit, "plan"), &req, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "plan %s of %s stored: %d citation(s), cites the parent plan: %v\n", res.Plan.Number, *unit, len(res.Plan.Citations), res.Plan.CitesParent)
		for _, w := range res.Warnings {
			fmt.Fprintf(env.Stdout, "warning: %s / %s\n", w.Message, w.MessageVI)
		}
		printTask(env, danvan.TaskUnitPlan, res.Task, res.TaskError)
		return nil
	case "show":
		var raw json.RawMessage
		if err := c.do(ctx, "GET", workPath(*cycle, *unit, "plan"), nil, &raw); err != nil {
			return err
		}
		if *asJSON {
			_, err := env.Stdout.Write(raw)
			return err
		}
		var p danvan.UnitPlan
		if err := json.Unmarshal(raw, &p); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s (%s) %s\ncites parent plan: %v\ncitations: %v\nwarnings: %s\n", p.Number, p.Date, p.Title, p.CitesParent, p.Citations, p.Warnings)
		return nil
	}
	fmt.Fprintf(env.Stderr, "danvan plan: unknown subcommand %q (submit, show)\n", args[0])
	return errUsage
}
