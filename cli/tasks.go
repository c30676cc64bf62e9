package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/danvan/danvan"
)

func taskPath(cycle, unit, kind, action string) string {
	return fmt.Sprintf("/api/cycles/%s/units/%s/tasks/%s/%s", url.PathEscape(cycle), url.PathEscape(unit), url.PathEscape(kind), action)
}

func runTask(ctx context.Context, env Env, args []string) error {
	const synopsis = "task submit|accept|return|extend --cycle ID --unit CODE --kind KIND [--file F [--attach FILE]... --number N --date YYYY-MM-DD] [--reason R] [--due DATE]"
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
	var attach multiFlag
	fs.Var(&attach, "attach", "submit: a file handed in with the text (repeatable)")
	key := fs.String("idempotency-key", "", "the command's Idempotency-Key; empty = a new one (reused on this command's own retries)")
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
		Task       danvan.Task `json:"task"`
		Submission *struct {
			Seq    int    `json:"seq"`
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"submission"`
	}
	if *key == "" {
		*key = newKey()
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
		body, ctype, err := submitForm(map[string]string{"number": *number, "date": *date, "title": *title, "text": text},
			*file, attach)
		if err != nil {
			return err
		}
		if err := c.doKeyed(ctx, taskPath(*cycle, *unit, *kind, "submit"), ctype, body, *key, &res); err != nil {
			return err
		}
	case "accept", "return", "extend":
		body, err := json.Marshal(danvan.Decision{Reason: *reason, NewDue: *due})
		if err != nil {
			return err
		}
		if err := c.doKeyed(ctx, taskPath(*cycle, *unit, *kind, args[0]), "application/json", body, *key, &res); err != nil {
			return err
		}
	default:
		fmt.Fprintf(env.Stderr, "danvan task: unknown subcommand %q (submit, accept, return, extend)\n", args[0])
		return errUsage
	}
	if res.Submission != nil {
		fmt.Fprintf(env.Stdout, "submission %d: %d bytes, sha256 %s\n", res.Submission.Seq, res.Submission.Size, res.Submission.SHA256)
	}
	vn := time.FixedZone("ICT", 7*3600)
	fmt.Fprintf(env.Stdout, "%s/%s/%s: %s, due %s\n", *cycle, *unit, *kind, res.Task.Status, res.Task.Due.In(vn).Format("02/01/2006 15:04"))
	return nil
}

func runNotifications(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "notifications", "notifications [--json] [--unit CODE] [--cycle ID] [--kind KIND] | notifications --failed [--json]")
	connect := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	unit := fs.String("unit", "", "only this unit")
	cycle := fs.String("cycle", "", "only this cycle")
	kind := fs.String("kind", "", "only this kind: reminder, overdue, escalation, submitted, accepted, returned, extended")
	failed := fs.Bool("failed", false, "list the e-mails given up on (administrators only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}
	if *failed {
		return listFailedMail(ctx, env, c, *asJSON)
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

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// newKey returns a fresh idempotency key: one per command.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return "cli-" + hex.EncodeToString(b)
}

// submitForm builds the multipart body of a submission: the fields, the
// text's own file as "file" and every attachment as "attach". It returns
// the file system's error for a file it cannot read.
func submitForm(fields map[string]string, file string, attach []string) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range []string{"number", "date", "title", "text"} {
		if err := w.WriteField(k, fields[k]); err != nil {
			return nil, "", err
		}
	}
	add := func(field, path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": field, "filename": filepath.Base(path)}))
		mt := mime.TypeByExtension(filepath.Ext(path))
		if mt == "" {
			mt = "application/octet-stream"
		}
		h.Set("Content-Type", mt)
		part, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		_, err = part.Write(data)
		return err
	}
	if err := add("file", file); err != nil {
		return nil, "", err
	}
	for _, a := range attach {
		if err := add("attach", a); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// keyedAttempts is how often the CLI sends one command when the server
// cannot be reached or answers 502-504: the same Idempotency-Key each time,
// so a command that did arrive is not applied twice.
const keyedAttempts = 3

// doKeyed POSTs body with an Idempotency-Key, retrying on a transport
// failure or a gateway/unavailable answer, and decodes the answer into
// out; API errors come back as *danvan.Error.
func (c *client) doKeyed(ctx context.Context, path, contentType string, body []byte, key string, out any) error {
	var last error
	for attempt := 1; attempt <= keyedAttempts; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt-1) * time.Second):
			}
		}
		req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Idempotency-Key", key)
		resp, err := c.http.Do(req)
		if err != nil {
			last = danvan.Errorf(danvan.EUnavailable, "cannot reach danvan at %s: %v (is `danvan dev` running? set DANVAN_URL)",
				"không kết nối được danvan tại %s: %v", c.base, err)
			continue
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			last = err
			continue
		}
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			last = apiError("POST", path, resp.StatusCode, data)
			continue
		}
		if resp.StatusCode >= 400 {
			return apiError("POST", path, resp.StatusCode, data)
		}
		return json.Unmarshal(data, out)
	}
	return last
}

// apiError decodes an error answer into *danvan.Error when it is one.
func apiError(method, path string, status int, data []byte) error {
	var e struct {
		Error *danvan.Error `json:"error"`
	}
	if json.Unmarshal(data, &e) == nil && e.Error != nil {
		return e.Error
	}
	return fmt.Errorf("%s %s: HTTP %d: %s", method, path, status, strings.TrimSpace(string(data)))
}
