package api

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/danvan/danvan"
)

// TextReader turns an uploaded .txt or .docx file into text; the web UI
// uses it for submissions. Nil accepts pasted text only.
type TextReader func(name string, data []byte) (string, error)

type taskView struct {
	CycleID     string
	Cycle       *danvan.Cycle
	Task        danvan.Task
	Badge       string
	Submissions []danvan.Submission
	CanSubmit   bool
	CanDecide   bool
	Flash       string
}

func (s *Server) webTaskRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /chu-ky/{id}/{unit}/{kind}", s.webPage(s.webTask))
	mux.HandleFunc("POST /chu-ky/{id}/{unit}/{kind}/{action}", s.webPage(s.webTaskAction))
}

func (s *Server) loadTask(ctx context.Context, u *danvan.User, r *http.Request) (*taskView, error) {
	id, unit, kind := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(u, unit); err != nil {
		return nil, err
	}
	tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: id, UnitCode: unit, Kind: kind})
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, danvan.Errorf(danvan.ENotFound, "no such task", "không có nhiệm vụ này")
	}
	subs, err := s.Tasks.FindSubmissions(ctx, id, unit, kind)
	if err != nil {
		return nil, err
	}
	t := tasks[0]
	c, err := s.Cycles.FindCycle(ctx, id)
	if err != nil {
		return nil, err
	}
	open := t.Status == danvan.StatusPending || t.Status == danvan.StatusReturned || t.Status == danvan.StatusOverdue
	return &taskView{CycleID: id, Cycle: c, Task: t, Badge: badge(t, s.Now()), Submissions: subs,
		CanSubmit: open && u.CanActFor(unit),
		CanDecide: u.Role == danvan.RoleAdmin && t.Status != danvan.StatusAccepted && t.Status != danvan.StatusDoneLate}, nil
}

func (s *Server) webTask(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	v, err := s.loadTask(ctx, u, r)
	if err != nil {
		return "task", page{Title: msg(pageLang(r), "col.task")}, err
	}
	return "task", page{Title: v.Task.Title, Data: v}, nil
}

// webTaskAction runs a submission or a decision from the task page and
// shows the page again with the outcome; errors keep the page and say why.
func (s *Server) webTaskAction(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	id, unit, kind, action := r.PathValue("id"), r.PathValue("unit"), r.PathValue("kind"), r.PathValue("action")
	var err error
	var flash string
	switch action {
	case "nop":
		flash, err = s.webSubmit(ctx, u, r, id, unit, kind)
	case "accept", "return", "extend":
		flash, err = s.webDecide(ctx, u, r, id, unit, kind, action)
	default:
		err = danvan.Errorf(danvan.ENotFound, "unknown action", "thao tác không hợp lệ")
	}
	v, lerr := s.loadTask(ctx, u, r)
	if lerr != nil {
		return "task", page{Title: msg(pageLang(r), "col.task")}, lerr
	}
	if err != nil {
		return "task", page{Title: v.Task.Title, Data: v}, err
	}
	v.Flash = msg(pageLang(r), flash)
	return "task", page{Title: v.Task.Title, Data: v}, nil
}

func (s *Server) webSubmit(ctx context.Context, u *danvan.User, r *http.Request, id, unit, kind string) (string, error) {
	if !u.CanActFor(unit) {
		return "", danvan.Errorf(danvan.EForbidden, "only the unit's officer can submit its work", "chỉ cán bộ của đơn vị được nộp")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseMultipartForm(maxBody); err != nil && err != http.ErrNotMultipart {
		return "", danvan.Errorf(danvan.EInvalid, "the form could not be read: %v", "không đọc được biểu mẫu: %v", err)
	}
	text := strings.TrimSpace(r.FormValue("text"))
	if f, h, err := r.FormFile("file"); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxBody))
		if err != nil {
			return "", err
		}
		if s.ReadText == nil {
			return "", danvan.Errorf(danvan.EInvalid, "file upload is not available; paste the text", "chưa hỗ trợ tải tệp; hãy dán nội dung")
		}
		if text, err = s.ReadText(filepath.Base(h.Filename), data); err != nil {
			return "", danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được tệp %s: %v", h.Filename, err)
		}
	}
	date, err := parseViDate("date", r.FormValue("date"))
	if err != nil {
		return "", err
	}
	sub := danvan.Submission{CycleID: id, UnitCode: unit, Kind: kind, Number: strings.TrimSpace(r.FormValue("number")),
		Date: date, Title: strings.TrimSpace(r.FormValue("title")), Text: text,
		SubmittedBy: u.Name, SubmittedAt: s.Now().UTC()}
	if err := danvan.Validate(&sub); err != nil {
		return "", err
	}
	if _, err := s.Engine.Submit(ctx, &sub); err != nil {
		return "", err
	}
	s.auditAs(ctx, u, "task.submit", id, unit, map[string]string{"kind": kind, "number": sub.Number, "via": "web"})
	s.clearDraft(ctx, u, draftKey(id, unit, kind))
	return "task.sent", nil
}

func (s *Server) webDecide(ctx context.Context, u *danvan.User, r *http.Request, id, unit, kind, action string) (string, error) {
	if err := requireRole(u, danvan.RoleAdmin); err != nil {
		return "", err
	}
	due, err := parseViDate("new_due", r.FormValue("new_due"))
	if err != nil {
		return "", err
	}
	d := danvan.Decision{CycleID: id, UnitCode: unit, Kind: kind, Action: action, Reason: strings.TrimSpace(r.FormValue("reason")),
		NewDue: due, By: u.Name}
	if err := danvan.Validate(&d); err != nil {
		return "", err
	}
	if _, err := s.Engine.Decide(ctx, &d); err != nil {
		return "", err
	}
	s.auditAs(ctx, u, "task."+action, id, unit, map[string]string{"kind": kind, "reason": d.Reason, "new_due": d.NewDue, "via": "web"})
	return "task.done." + action, nil
}
