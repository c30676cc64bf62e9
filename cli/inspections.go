package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/inspections"
)

// decodeJSONFile reads a JSON file strictly (unknown fields are errors), so a
// typo is caught before anything is sent.
func decodeJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return danvan.Errorf(danvan.EInvalid, "%s is not valid JSON for this command: %v", "%s không phải JSON hợp lệ cho lệnh này: %v", path, err)
	}
	return nil
}

func runInspections(ctx context.Context, env Env, args []string) error {
	const synopsis = "inspections plan --file plan.json | record --id ID --unit CODE --file record.json | list [--json] [--cycle ID] | close --id ID | " +
		"accept|return --id ID --unit CODE --action N [--reason R] | notice --id ID --unit CODE -o FILE"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "inspections", synopsis)
	connect := clientFlags(fs, env)
	file := fs.String("file", "", "plan/record: the JSON file (see examples/)")
	id := fs.Int64("id", 0, "inspection id")
	unit := fs.String("unit", "", "inspected unit code")
	cycle := fs.String("cycle", "", "list: only this cycle")
	asJSON := fs.Bool("json", false, "list: print JSON")
	action := fs.Int("action", 0, "accept/return: the corrective action's number")
	reason := fs.String("reason", "", "return: what the answer lacks")
	out := fs.String("o", "", "notice: output .docx file")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	need := func(ok bool, what string) error {
		if !ok {
			fmt.Fprintf(env.Stderr, "danvan inspections %s: %s\n", args[0], what)
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "plan":
		if err := need(*file != "", "--file is required"); err != nil {
			return err
		}
		var p inspections.Plan
		if err := decodeJSONFile(*file, &p); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var res struct {
			ID         int64    `json:"id"`
			Unassigned []string `json:"unassigned"`
		}
		if err := c.do(ctx, "POST", "/api/inspections", &p, &res); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, res.ID)
		if len(res.Unassigned) > 0 {
			fmt.Fprintf(env.Stderr, "warning: the self-inspection report task could not be assigned to %s\n", strings.Join(res.Unassigned, ", "))
		}
		return nil
	case "record":
		if err := need(*file != "" && *id > 0 && *unit != "", "--id, --unit and --file are required"); err != nil {
			return err
		}
		var rec inspections.Record
		if err := decodeJSONFile(*file, &rec); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var res struct {
			Actions    []inspections.Action `json:"actions"`
			Unassigned []int                `json:"unassigned"`
		}
		if err := c.do(ctx, "POST", fmt.Sprintf("/api/inspections/%d/units/%s/record", *id, url.PathEscape(*unit)), &rec, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "recorded inspection %d at %s: %d corrective actions\n", *id, *unit, len(res.Actions))
		for _, a := range res.Actions {
			fmt.Fprintf(env.Stdout, "  %d. due %s, answer with: danvan task submit --cycle %s --unit %s --kind %s --file ANSWER\n",
				a.Seq, a.Due, a.TaskCycle, a.Unit, inspections.TaskResponse)
		}
		if len(res.Unassigned) > 0 {
			fmt.Fprintf(env.Stderr, "warning: tasks of actions %v could not be assigned\n", res.Unassigned)
		}
		return nil
	case "list":
		c, err := connect()
		if err != nil {
			return err
		}
		return listInspections(ctx, env, c, *cycle, *asJSON)
	case "close":
		if err := need(*id > 0, "--id is required"); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		if err := c.do(ctx, "POST", fmt.Sprintf("/api/inspections/%d/close", *id), nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "inspection %d closed\n", *id)
		return nil
	case "accept", "return":
		if err := need(*id > 0 && *unit != "" && *action > 0, "--id, --unit and --action are required"); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var res struct {
			Action inspections.Action `json:"action"`
		}
		if err := c.do(ctx, "POST", fmt.Sprintf("/api/inspections/%d/units/%s/actions/%d/%s", *id, url.PathEscape(*unit), *action, args[0]),
			&danvan.Decision{Reason: *reason}, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "inspection %d, %s, action %d: %s\n", *id, *unit, *action, res.Action.State)
		return nil
	case "notice":
		if err := need(*id > 0 && *unit != "" && *out != "", "--id, --unit and -o are required"); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		return download(ctx, c, fmt.Sprintf("/api/inspections/%d/units/%s/notice.docx", *id, url.PathEscape(*unit)), *out, env)
	}
	fmt.Fprintf(env.Stderr, "danvan inspections: unknown subcommand %q\n", args[0])
	return errUsage
}

func listInspections(ctx context.Context, env Env, c *client, cycle string, asJSON bool) error {
	var res struct {
		Inspections []struct {
			inspections.Plan
			Records map[string]json.RawMessage `json:"records"`
			Actions []inspections.Action       `json:"actions"`
		} `json:"inspections"`
	}
	var raw json.RawMessage
	if err := c.do(ctx, "GET", "/api/inspections?cycle="+url.QueryEscape(cycle), nil, &raw); err != nil {
		return err
	}
	if asJSON {
		_, err := env.Stdout.Write(raw)
		return err
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCYCLE\tKIND\tSTATUS\tUNITS\tRECORDED\tACTIONS (OPEN)\tTITLE")
	for _, in := range res.Inspections {
		open := 0
		for _, a := range in.Actions {
			if a.State != inspections.ActionAccepted {
				open++
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d (%d)\t%s\n", in.ID, in.CycleID, in.Kind, in.Status, len(in.Units), len(in.Records), len(in.Actions), open, in.Title)
	}
	return tw.Flush()
}

// download GETs path and writes the body to out.
func download(ctx context.Context, c *client, path, out string, env Env) error {
	var raw json.RawMessage
	if err := c.do(ctx, "GET", path, nil, &raw); err != nil {
		return err
	}
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes)\n", out, len(raw))
	return nil
}
