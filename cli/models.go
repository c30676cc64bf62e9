package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
)

func runModels(ctx context.Context, env Env, args []string) error {
	const synopsis = `models register --cycle ID --unit CODE --file model.json [--attach FILE]... [--draft] [--from-draft N]
       danvan models list [--cycle ID] [--unit CODE] [--field F] [--status S] [--year Y] [--tier T] [--json]
       danvan models review --id ID --stage interim|final --file review.json
       danvan models start --id ID
       danvan models carry --id ID --cycle LATER_CYCLE
       danvan models decide --id ID --result recognised|typical|replicated|commended|not_recognised [--note TEXT]`
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "models", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id")
	unit := fs.String("unit", "", "unit code")
	file := fs.String("file", "", "register/review: the JSON file (see examples/model.json, examples/review.json)")
	draft := fs.Bool("draft", false, "register: save as a draft instead of registering")
	fromDraft := fs.Int64("from-draft", 0, "register: the draft this registration completes")
	id := fs.Int64("id", 0, "review/start/decide: the model's id")
	stage := fs.String("stage", "", "review: interim (sơ kết) or final (tổng kết)")
	result := fs.String("result", "", "decide: recognised, typical, replicated, commended or not_recognised")
	note := fs.String("note", "", "decide: the decision's reference or a note")
	field := fs.String("field", "", "list: only this field, e.g. kinh_te")
	status := fs.String("status", "", "list: only this status")
	year := fs.Int("year", 0, "list: only this year")
	tier := fs.String("tier", "", "list: only units of this kind (department, district, commune)")
	asJSON := fs.Bool("json", false, "list: print JSON")
	var attach multiFlag
	fs.Var(&attach, "attach", "register: a file to attach; repeat for more")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}
	modelPath := func(action string) string {
		return "/api/models/" + strconv.FormatInt(*id, 10) + action
	}
	needID := func() error {
		if *id == 0 {
			fmt.Fprintf(env.Stderr, "danvan models %s: --id is required\n", args[0])
			return errUsage
		}
		return nil
	}
	var m danvan.Model
	switch args[0] {
	case "register":
		if *cycle == "" || *unit == "" || *file == "" {
			fmt.Fprintln(env.Stderr, "danvan models register: --cycle, --unit and --file are required")
			return errUsage
		}
		body, err := readJSONFile(*file)
		if err != nil {
			return err
		}
		files, err := readAttachments(attach)
		if err != nil {
			return err
		}
		if *draft {
			return saveDraft(ctx, env, c, *cycle, *unit, danvan.TaskModelRegistration, body, files)
		}
		var res struct {
			Model     danvan.Model  `json:"model"`
			Task      *danvan.Task  `json:"task"`
			TaskError *danvan.Error `json:"task_error"`
		}
		req := api.ModelRequest{Model: body, Attachments: files, DraftID: *fromDraft}
		if err := c.do(ctx, "POST", workPath(*cycle, *unit, "models"), &req, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "model %d registered for %s: %s (%s)\n", res.Model.ID, *unit, res.Model.Name, res.Model.Status)
		printTask(env, danvan.TaskModelRegistration, res.Task, res.TaskError)
		return nil
	case "list":
		q := url.Values{}
		for k, v := range map[string]string{"cycle": *cycle, "unit": *unit, "field": *field, "status": *status, "tier": *tier} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if *year != 0 {
			q.Set("year", strconv.Itoa(*year))
		}
		var res struct {
			Models []danvan.Model `json:"models"`
		}
		if err := c.do(ctx, "GET", "/api/models?"+q.Encode(), nil, &res); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tYEAR\tUNIT\tFIELD\tKIND\tSTATUS\tNAME")
		for _, m := range res.Models {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Year, m.UnitCode, m.Field, m.Kind, m.Status, m.Name)
		}
		return tw.Flush()
	case "review":
		if err := needID(); err != nil {
			return err
		}
		if *file == "" || (*stage != "interim" && *stage != "final") {
			fmt.Fprintln(env.Stderr, "danvan models review: --file and --stage interim|final are required")
			return errUsage
		}
		body, err := readJSONFile(*file)
		if err != nil {
			return err
		}
		var rv map[string]any
		if err := json.Unmarshal(body, &rv); err != nil {
			return danvan.Errorf(danvan.EInvalid, "%s must hold a JSON object", "%s phải chứa một đối tượng JSON", *file)
		}
		if s, ok := rv["stage"]; ok && s != *stage {
			return danvan.Invalid("stage", fmt.Sprintf("the file says %v but --stage says %s", s, *stage),
				fmt.Sprintf("tệp ghi %v nhưng --stage là %s", s, *stage))
		}
		rv["stage"] = *stage
		if err := c.do(ctx, "POST", modelPath("/reviews"), rv, &m); err != nil {
			return err
		}
	case "carry":
		if err := needID(); err != nil {
			return err
		}
		if *cycle == "" {
			fmt.Fprintln(env.Stderr, "danvan models carry: --cycle (the later cycle) is required")
			return errUsage
		}
		var res struct {
			Model     danvan.Model  `json:"model"`
			Task      *danvan.Task  `json:"task"`
			TaskError *danvan.Error `json:"task_error"`
		}
		if err := c.do(ctx, "POST", modelPath("/carry"), api.CarryRequest{Cycle: *cycle}, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "model %d carried into %s as model %d (%s)\n", *id, *cycle, res.Model.ID, res.Model.Status)
		printTask(env, danvan.TaskModelRegistration, res.Task, res.TaskError)
		return nil
	case "start":
		if err := needID(); err != nil {
			return err
		}
		if err := c.do(ctx, "POST", modelPath("/start"), nil, &m); err != nil {
			return err
		}
	case "decide":
		if err := needID(); err != nil {
			return err
		}
		if *result == "" {
			fmt.Fprintln(env.Stderr, "danvan models decide: --result is required")
			return errUsage
		}
		if err := c.do(ctx, "POST", modelPath("/decide"), api.DecideRequest{Result: *result, Note: *note}, &m); err != nil {
			return err
		}
	default:
		fmt.Fprintf(env.Stderr, "danvan models: unknown subcommand %q (register, list, review, start, carry, decide)\n", args[0])
		return errUsage
	}
	fmt.Fprintf(env.Stdout, "model %d (%s): %s, %d review(s)\n", m.ID, m.UnitCode, m.Status, len(m.Reviews))
	return nil
}
