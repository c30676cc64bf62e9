package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/reports"
)

// readAttachments reads the files to attach; the server checks their types.
func readAttachments(paths []string) ([]api.FileUpload, error) {
	out := make([]api.FileUpload, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", p, err)
		}
		out = append(out, api.FileUpload{Name: filepath.Base(p), Data: b})
	}
	return out, nil
}

// readJSONFile reads a JSON file as raw JSON, with an error that names it.
func readJSONFile(path string) (json.RawMessage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", path, err)
	}
	if !json.Valid(b) {
		return nil, danvan.Errorf(danvan.EInvalid, "%s is not valid JSON", "tệp %s không phải JSON hợp lệ", path)
	}
	return b, nil
}

func workPath(cycle, unit, rest string) string {
	return fmt.Sprintf("/api/cycles/%s/units/%s/%s", url.PathEscape(cycle), url.PathEscape(unit), rest)
}

// saveDraft stores body as a draft of kind for the unit and prints its id.
func saveDraft(ctx context.Context, env Env, c *client, cycle, unit, kind string, body json.RawMessage, files []api.FileUpload) error {
	var d danvan.Draft
	req := api.DraftRequest{Kind: kind, Body: body, Attachments: files}
	if err := c.do(ctx, "POST", workPath(cycle, unit, "drafts"), &req, &d); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "draft %d saved for %s/%s/%s (%d attachment(s)); only the unit's officers see it\n", d.ID, cycle, unit, kind, len(d.Attachments))
	return nil
}

func printTask(env Env, kind string, t *danvan.Task, e *danvan.Error) {
	switch {
	case t != nil:
		fmt.Fprintf(env.Stdout, "task %s: %s\n", kind, t.Status)
	case e != nil:
		fmt.Fprintf(env.Stdout, "task %s not completed: %s / %s\n", kind, e.Error(), e.MessageVI)
	}
}

func runReports(ctx context.Context, env Env, args []string) error {
	const synopsis = "reports submit --cycle ID --unit CODE --kind midyear_report|annual_report --file report.json [--attach FILE]... [--draft] [--from-draft N] | reports show --cycle ID --unit CODE --kind KIND [--json] | reports summary --cycle ID --kind KIND [--json] | reports import --file report.docx"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "reports", synopsis)
	connect := clientFlags(fs, env)
	cycle := fs.String("cycle", "", "cycle id, e.g. 2022-UBND")
	unit := fs.String("unit", "", "unit code")
	kind := fs.String("kind", "", "midyear_report or annual_report")
	file := fs.String("file", "", "submit: the report file (JSON: number, date, title, sections, figures)")
	draft := fs.Bool("draft", false, "submit: save as a draft instead of submitting")
	fromDraft := fs.Int64("from-draft", 0, "submit: the draft this submission completes (its files go with it)")
	asJSON := fs.Bool("json", false, "show: print JSON")
	var attach multiFlag
	fs.Var(&attach, "attach", "submit: a file to attach (.pdf, .docx, .doc, .xlsx, .txt, images); repeat for more")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "summary" && (*cycle == "" || *kind == "") {
		fmt.Fprintln(env.Stderr, "danvan reports summary: --cycle and --kind are required")
		return errUsage
	}
	if args[0] != "import" && args[0] != "summary" && (*cycle == "" || *unit == "" || *kind == "") {
		fmt.Fprintln(env.Stderr, "danvan reports: --cycle, --unit and --kind are required")
		return errUsage
	}
	c, err := connect()
	if err != nil {
		return err
	}
	switch args[0] {
	case "submit":
		if *file == "" {
			fmt.Fprintln(env.Stderr, "danvan reports submit: --file is required")
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
			return saveDraft(ctx, env, c, *cycle, *unit, *kind, body, files)
		}
		var res struct {
			Report    danvan.Report `json:"report"`
			Task      *danvan.Task  `json:"task"`
			TaskError *danvan.Error `json:"task_error"`
		}
		req := api.ReportRequest{Report: body, Attachments: files, DraftID: *fromDraft}
		if err := c.do(ctx, "POST", workPath(*cycle, *unit, "reports/"+url.PathEscape(*kind)), &req, &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "report %s of %s accepted: %d section(s), %d figure(s), %d rate(s), %d citation(s), %d attachment(s), catalogue %s\n",
			*kind, *unit, len(res.Report.Sections), len(res.Report.Figures), len(res.Report.Derived), len(res.Report.Citations),
			len(res.Report.Attachments), res.Report.CatalogueVersion)
		printTask(env, *kind, res.Task, res.TaskError)
		return nil
	case "summary":
		var raw json.RawMessage
		if err := c.do(ctx, "GET", "/api/cycles/"+url.PathEscape(*cycle)+"/reports/"+url.PathEscape(*kind)+"/summary", nil, &raw); err != nil {
			return err
		}
		if *asJSON {
			_, err := env.Stdout.Write(raw)
			return err
		}
		var sum api.Summary
		if err := json.Unmarshal(raw, &sum); err != nil {
			return err
		}
		var catBody json.RawMessage
		if err := c.do(ctx, "GET", "/api/catalogue?version="+url.QueryEscape(sum.Catalogue), nil, &catBody); err != nil {
			return err
		}
		cat, err := reports.Parse(catBody)
		if err != nil {
			return err
		}
		return printSummary(env, &sum, cat)
	case "import":
		// Read a Word report into sections and proposed figures; nothing is
		// stored: the person checks the figures, writes the report file and
		// submits it.
		if *file == "" {
			fmt.Fprintln(env.Stderr, "danvan reports import: --file report.docx is required")
			return errUsage
		}
		data, err := os.ReadFile(*file)
		if err != nil {
			return danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", *file, err)
		}
		var raw json.RawMessage
		if err := c.do(ctx, "POST", "/api/reports/import?name="+url.QueryEscape(filepath.Base(*file)), data, &raw); err != nil {
			return err
		}
		_, err = env.Stdout.Write(raw)
		return err
	case "show":
		var raw json.RawMessage
		if err := c.do(ctx, "GET", workPath(*cycle, *unit, "reports/"+url.PathEscape(*kind)), nil, &raw); err != nil {
			return err
		}
		if *asJSON {
			_, err := env.Stdout.Write(raw)
			return err
		}
		var v api.ReportView
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		return printReport(env, &v)
	}
	fmt.Fprintf(env.Stderr, "danvan reports: unknown subcommand %q (submit, show, summary, import)\n", args[0])
	return errUsage
}

func printReport(env Env, v *api.ReportView) error {
	fmt.Fprintf(env.Stdout, "%s %s (%s), %s/%s, catalogue %s\n", v.Number, v.Title, v.Date, v.CycleID, v.UnitCode, v.CatalogueVersion)
	keys := make([]string, 0, len(v.Sections))
	for k := range v.Sections {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return v.SectionTitles[keys[i]] < v.SectionTitles[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(env.Stdout, "  %s: %d characters\n", v.SectionTitles[k], len([]rune(v.Sections[k])))
	}
	prev := "PREVIOUS"
	if v.PreviousCycle != "" {
		prev += " (" + v.PreviousCycle + ")"
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "FIGURE\tVALUE\t%s\tCHANGE\tNAME\n", prev)
	for _, l := range v.Comparison {
		name := l.Name
		if l.Derived {
			name += " (tính tự động)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Key, fnum(l.Value, l.Unit), fnum(l.Previous, l.Unit), fnum(l.Change, ""), name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(v.Citations) > 0 {
		fmt.Fprintf(env.Stdout, "cites: %s\n", strings.Join(v.Citations, ", "))
	}
	for _, a := range v.Attachments {
		fmt.Fprintf(env.Stdout, "attachment %d: %s (%s, %d bytes, sha256 %s…)\n", a.ID, a.Name, a.MediaType, a.Size, a.SHA256[:12])
	}
	return nil
}

// printSummary prints the sums with the names of cat, the catalogue the
// sums follow.
func printSummary(env Env, s *api.Summary, cat *reports.Catalogue) error {
	fmt.Fprintf(env.Stdout, "%s %s: %d unit(s) reported, %d missing %v (catalogue %s)\n", s.CycleID, s.Kind, len(s.Reported), len(s.Missing), s.Missing, s.Catalogue)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tTOTAL\tNAME")
	for _, l := range cat.Compare(s.Figures, s.Derived, nil, nil) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Key, fnum(l.Value, l.Unit), l.Name)
	}
	return tw.Flush()
}

func fnum(v *float64, unit string) string {
	if v == nil {
		return "-"
	}
	s := fmt.Sprintf("%g", *v)
	if unit == "%" {
		s += "%"
	}
	return s
}

// runCatalogue imports or shows the report catalogue through the API.
func runCatalogue(ctx context.Context, env Env, args []string) error {
	const synopsis = "catalogue import FILE | catalogue show [--version V]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "catalogue", synopsis)
	connect := clientFlags(fs, env)
	version := fs.String("version", "", "show: this version instead of the one in force")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "Usage: danvan catalogue import FILE")
			return errUsage
		}
		body, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", fs.Arg(0), err)
		}
		// Checked here too so a mistake is named before anything is sent.
		if _, err := reports.Parse(body); err != nil {
			return err
		}
		var res map[string]any
		if err := c.do(ctx, "POST", "/api/catalogue", json.RawMessage(body), &res); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "catalogue %v in force: %v sections, %v figures, %v identities, %v derived rates, %v model fields\n",
			res["version"], res["sections"], res["figures"], res["identities"], res["derived"], res["model_fields"])
		return nil
	case "show":
		var raw json.RawMessage
		q := ""
		if *version != "" {
			q = "?version=" + url.QueryEscape(*version)
		}
		if err := c.do(ctx, "GET", "/api/catalogue"+q, nil, &raw); err != nil {
			return err
		}
		_, err := env.Stdout.Write(raw)
		return err
	}
	fmt.Fprintf(env.Stderr, "danvan catalogue: unknown subcommand %q (import, show)\n", args[0])
	return errUsage
}
