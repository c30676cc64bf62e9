package cli

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"text/tabwriter"
	"time"

	"github.com/danvan/danvan"
)

func taskPath(cycle, unit, kind, action string) string {
	return fmt.Sprintf("/api/cycles/%s/units/%s/tasks/%s/%s", url.PathEscape(cycle), url.PathEscape(unit), url.PathEscape(kind), action)
}

func runTask(ctx context.Context, env Env, args []string) error {
	const synopsis = "task submit|accept|return|extend --cycle ID --unit CODE --kind KIND [--file F --number N --date YYYY-MM-DD] [--reason R] [--due DATE]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "task", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id, e.g. 2022-SNV")
	unit := fs.String("unit", "", "unit code")
	kind := fs.String("kind", "", "task kind, e.g. unit_plan")
	file := fs.String("file", "", "submit: the text (.txt or .docx) of the plan or report")
	number := fs.String("number", "", "submit: the document's number, e.g. 495/KH-VP")
	date := fs.String("date", "", "submit: the document's date YYYY-MM-DD")
	title := fs.String("title", "", "submit: the document's title")
	reason := fs.String("reason", "", "return: what must be completed")
	due := fs.String("due", "", "extend/return: new deadline, YYYY-MM-DD or RFC 3339")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *cycle == "" || *unit == "" || *kind == "" {
		fmt.Fprintln(env.Stderr, "danvan task: --cycle, --unit and --kind are required")
		return errUsage
	}
	c, err := connect()
	if err != nil {
		return err
	}
	var res struct {
		Task danvan.Task `json:"task"`
	}
	switch args[0] {
	case "submit":
		if *file == "" {
			fmt.Fprintln(env.Stderr, "danvan task submit: --file is required")
			return errUsage
		}
		text, err := readText(*file)
		if err != nil {
			return err
		}
		sub := danvan.Submission{Number: *number, Date: *date, Title: *title, Text: text}
		if err := c.do(ctx, "POST", taskPath(*cycle, *unit, *kind, "submit"), &sub, &res); err != nil {
			return err
		}
	case "accept", "return", "extend":
		d := danvan.Decision{Reason: *reason, NewDue: *due}
		if err := c.do(ctx, "POST", taskPath(*cycle, *unit, *kind, args[0]), &d, &res); err != nil {
			return err
		}
	default:
		fmt.Fprintf(env.Stderr, "danvan task: unknown subcommand %q (submit, accept, return, extend)\n", args[0])
		return errUsage
	}
	vn := time.FixedZone("ICT", 7*3600)
	fmt.Fprintf(env.Stdout, "%s/%s/%s: %s, due %s\n", *cycle, *unit, *kind, res.Task.Status, res.Task.Due.In(vn).Format("02/01/2006 15:04"))
	return nil
}

func runNotifications(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "notifications", "notifications [--json] [--unit CODE] [--cycle ID] [--kind KIND]")
	connect := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	unit := fs.String("unit", "", "only this unit")
	cycle := fs.String("cycle", "", "only this cycle")
	kind := fs.String("kind", "", "only this kind: reminder, overdue, escalation, submitted, accepted, returned, extended")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range map[string]string{"unit": *unit, "cycle": *cycle, "kind": *kind} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var res struct {
		Notifications []danvan.Notification `json:"notifications"`
	}
	if err := c.do(ctx, "GET", "/api/notifications?"+q.Encode(), nil, &res); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	vn := time.FixedZone("ICT", 7*3600)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (VN)\tUNIT\tTASK\tKIND\tSUBJECT")
	for _, n := range res.Notifications {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.CreatedAt.In(vn).Format("02/01/2006 15:04"), n.UnitCode, n.TaskKind, n.Kind, n.Subject)
	}
	return tw.Flush()
}

// readText reads a .txt or .docx file; the cite package knows both formats.
func readText(path string) (string, error) {
	if _, err := os.Stat(path); err != nil {
		return "", err
	}
	return citeReadFile(path)
}
