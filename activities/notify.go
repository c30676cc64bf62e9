package activities

import (
	"go.temporal.io/sdk/activity"

	"bytes"
	"context"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates holds one template per notification kind, each defining
// "subject" and "body". Parsed at init from embedded files: a broken
// template is a build-time bug caught by the tests, never a runtime input.
var templates = mustTemplates()

func mustTemplates() map[string]*template.Template {
	funcs := template.FuncMap{
		"datetime": func(t time.Time) string { return t.In(calendar.Location()).Format("02/01/2006 15:04") },
		"date":     func(t time.Time) string { return t.In(calendar.Location()).Format("02/01/2006") },
	}
	out := map[string]*template.Template{}
	for _, kind := range []string{danvan.NotifyReminder, danvan.NotifyOverdue, danvan.NotifyEscalation,
		danvan.NotifySubmitted, danvan.NotifyAccepted, danvan.NotifyReturned, danvan.NotifyExtended} {
		t, err := template.New(kind).Funcs(funcs).ParseFS(templateFS, "templates/"+kind+".tmpl")
		if err != nil {
			// Only reachable if an embedded file is broken; the package
			// tests render every kind.
			t = template.Must(template.New(kind).Parse(`{{define "subject"}}Thông báo{{end}}{{define "body"}}Thông báo từ hệ thống dân vận.{{end}}`))
		}
		out[kind] = t
	}
	return out
}

// message is what the templates see.
type message struct {
	workflows.NotifyInput
	UnitName  string
	OwnerName string
	// Left is the time until the deadline in words ("3 ngày", "5 giờ").
	Left string
	// Late is the time past the deadline in words.
	Late string
}

// render returns the subject and body of a notification.
func render(m message) (subject, body string, err error) {
	t, ok := templates[m.Kind]
	if !ok {
		return "", "", fmt.Errorf("no template for notification kind %q", m.Kind)
	}
	var s, b bytes.Buffer
	if err := t.ExecuteTemplate(&s, "subject", m); err != nil {
		return "", "", err
	}
	if err := t.ExecuteTemplate(&b, "body", m); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(s.String()), strings.TrimSpace(b.String()) + "\n", nil
}

// span says a duration the way a Vietnamese notice would: whole days when
// at least a day, else hours, else minutes.
func span(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%d ngày", int((d+12*time.Hour)/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%d giờ", int(d/time.Hour))
	case d > 0:
		return fmt.Sprintf("%d phút", int((d+time.Minute-1)/time.Minute))
	}
	return "0 phút"
}

// Notify creates the notification in the unit's inbox and e-mails it to the
// unit (escalations also to the unit's head and to the owner unit). It is
// idempotent by in.ID: a second call finds the notification and e-mails it
// only if no e-mail was recorded, so a retry never sends twice (except when
// a crash falls between sending and recording; the Message-ID is the same
// business key so mail clients can drop that duplicate). It returns a
// non-retryable EInvalid error for a bad input, ENotFound for an unknown
// unit, and a retryable error when the store or the mail server fails.
func (a *Activities) Notify(ctx context.Context, in workflows.NotifyInput) (workflows.NotifyResult, error) {
	if in.ID == "" || in.CycleID == "" || in.Unit == "" || in.TaskKind == "" || in.At.IsZero() {
		return workflows.NotifyResult{}, invalid("notification needs an id, cycle, unit, task kind and time")
	}
	if _, ok := templates[in.Kind]; !ok {
		return workflows.NotifyResult{}, invalid(fmt.Sprintf("unknown notification kind %q", in.Kind))
	}
	unit, err := a.Units.FindUnit(ctx, in.Unit)
	if err != nil {
		return workflows.NotifyResult{}, fail(err)
	}
	m := message{NotifyInput: in, UnitName: unit.Name, OwnerName: in.Owner}
	if d := in.Due.Sub(in.At); d > 0 {
		m.Left = span(d)
	} else {
		m.Late = span(-d)
	}
	to := []string{unit.Email}
	if in.Kind == danvan.NotifyEscalation {
		to = append(to, unit.HeadEmail)
		if in.Owner != "" && in.Owner != in.Unit {
			owner, err := a.Units.FindUnit(ctx, in.Owner)
			switch {
			case err == nil:
				m.OwnerName = owner.Name
				to = append(to, owner.Email)
			case danvan.ErrorCode(err) != danvan.ENotFound:
				return workflows.NotifyResult{}, fail(err)
			}
		}
	}
	to = recipients(to)
	subject, body, err := render(m)
	if err != nil {
		return workflows.NotifyResult{}, invalid("rendering notification: " + err.Error())
	}
	n := &danvan.Notification{
		ID: in.ID, CycleID: in.CycleID, UnitCode: in.Unit, TaskKind: in.TaskKind, Kind: in.Kind,
		Recipient: strings.Join(to, ", "), Subject: subject, Body: body, Due: in.Due, CreatedAt: in.At,
	}
	created, err := a.Notifications.CreateNotification(ctx, n)
	if err != nil {
		return workflows.NotifyResult{}, fail(err)
	}
	// The owner (the standing agency) keeps a copy of each escalation in
	// its own inbox; the one e-mail above already reached it.
	if in.Kind == danvan.NotifyEscalation && in.Owner != "" && in.Owner != in.Unit {
		cp := *n
		cp.ID, cp.UnitCode = in.ID+"/owner", in.Owner
		if _, err := a.Notifications.CreateNotification(ctx, &cp); err != nil {
			return workflows.NotifyResult{}, fail(err)
		}
	}
	res := workflows.NotifyResult{Created: created}
	if a.Mailer == nil || len(to) == 0 {
		return res, nil
	}
	if !created {
		emailed, err := a.alreadyEmailed(ctx, n)
		if err != nil {
			return res, fail(err)
		}
		if emailed {
			return res, nil
		}
	}
	if err := a.Mailer.Send(ctx, danvan.Mail{To: to, Subject: subject, Body: body, ID: in.ID}); err != nil {
		// The inbox notification exists; the unit workflow waits on this
		// activity, so an e-mail that cannot go out (a refused mailbox, or
		// a mail server down for several attempts) is given up and logged
		// rather than retried for ever.
		if danvan.ErrorCode(err) == danvan.EInvalid || activity.GetInfo(ctx).Attempt >= maxMailAttempts {
			a.logger().Error("notification e-mail given up; the notification stays in the inbox", "id", in.ID, "to", to, "error", err)
			return res, nil
		}
		a.logger().Warn("sending notification e-mail", "id", in.ID, "error", err)
		return res, fail(err)
	}
	if err := a.Notifications.MarkEmailed(ctx, in.ID, a.now()); err != nil {
		return res, fail(err)
	}
	res.Emailed = true
	return res, nil
}

// maxMailAttempts is how many activity attempts try the e-mail before it is
// given up (with the default backoff, about half a minute).
const maxMailAttempts = 5

// alreadyEmailed reports whether the stored notification n.ID was e-mailed.
func (a *Activities) alreadyEmailed(ctx context.Context, n *danvan.Notification) (bool, error) {
	x, err := a.Notifications.FindNotification(ctx, n.ID)
	if err != nil {
		return false, err
	}
	return x.EmailedAt != nil, nil
}

// recipients drops empty and repeated addresses, keeping order.
func recipients(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range in {
		r = strings.TrimSpace(r)
		if r == "" || seen[strings.ToLower(r)] {
			continue
		}
		seen[strings.ToLower(r)] = true
		out = append(out, r)
	}
	return out
}
