package activities

import (
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

// Notify creates the notification in the unit's inbox and, when e-mail is
// on (a.Mailer set), queues it in the outbox for the unit (escalations
// also for the unit's head and the owner unit), in one transaction: the
// activity never talks SMTP, so a slow or refusing mail server never holds
// up the unit workflow; package outbox delivers. It is idempotent by in.ID:
// a second call finds the notification and queues nothing. Emailed in the
// result reports that the e-mail was queued. It returns a non-retryable
// EInvalid error for a bad input, ENotFound for an unknown unit, and a
// retryable error when the store fails.
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
	ns := []*danvan.Notification{n}
	// The owner (the standing agency) keeps a copy of each escalation in
	// its own inbox; the one e-mail of n already reaches it.
	if in.Kind == danvan.NotifyEscalation && in.Owner != "" && in.Owner != in.Unit {
		cp := *n
		cp.ID, cp.UnitCode = in.ID+"/owner", in.Owner
		ns = append(ns, &cp)
	}
	var mailTo []string
	if a.Mailer != nil {
		mailTo = to
	}
	created, err := a.Notifications.CreateNotifications(ctx, ns, mailTo)
	if err != nil {
		return workflows.NotifyResult{}, fail(err)
	}
	return workflows.NotifyResult{Created: created, Emailed: created && len(mailTo) > 0}, nil
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
