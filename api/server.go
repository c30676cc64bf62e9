// Package api is danvan's HTTP interface: a JSON API under /api and the
// Vietnamese web UI. It speaks only the domain's interfaces; errors become
// HTTP statuses in one place (writeError).
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/registry"
)

// Engine runs cycles and tasks (Temporal behind it); the API never talks to
// the workflow engine any other way.
type Engine interface {
	// StartCycle starts c's workflow; EConflict when it runs already.
	StartCycle(ctx context.Context, c *danvan.Cycle) error
	// Submit hands a submission to its unit's workflow; the workflow's
	// validator answers EInvalid or EConflict for a refused submission.
	Submit(ctx context.Context, s *danvan.Submission) (*danvan.Task, error)
	// Decide accepts, returns or extends a task.
	Decide(ctx context.Context, d *danvan.Decision) (*danvan.Task, error)
	// LiveTasks asks the unit's running workflow for its tasks (not the
	// projection); ENotFound when it is not running.
	LiveTasks(ctx context.Context, cycleID, unit string) ([]danvan.Task, error)
}

// Documents is the document registry and its search.
type Documents interface {
	// SearchDocuments answers GET /api/documents.
	SearchDocuments(ctx context.Context, q DocumentQuery) (*DocumentResults, error)
	// ShowDocument answers GET /api/documents/{id}; ENotFound if unknown.
	ShowDocument(ctx context.Context, id string) (*registry.DocumentView, error)
	// ImportDocuments registers uploaded texts; per-file problems are in
	// the report, the error is for the whole call.
	ImportDocuments(ctx context.Context, in []registry.ImportInput) (*registry.ImportReport, error)
}

// DocumentQuery is the query of GET /api/documents.
type DocumentQuery struct {
	Q, Type, Issuer string
	From, To        int
	Limit, Offset   int
}

// DocumentResults is a page of search hits.
type DocumentResults struct {
	Hits  []DocumentHit `json:"hits"`
	Total int           `json:"total"`
}

// DocumentHit is one document found. Snippet may hold <mark> highlights and
// nothing else: other markup is escaped before display.
type DocumentHit struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Type    string `json:"type"`
	Issuer  string `json:"issuer"`
	Date    string `json:"date"`
	Subject string `json:"subject"`
	CitedBy int    `json:"cited_by"`
	Snippet string `json:"snippet,omitempty"`
}

// Check is one dependency's health.
type Check struct {
	Name   string
	Detail string
	Ping   func(ctx context.Context) error
}

// Server holds the API's dependencies. Fields left nil disable their routes
// with a 503 rather than a panic.
type Server struct {
	Units         danvan.UnitService
	Cycles        danvan.CycleService
	Tasks         danvan.TaskService
	Notifications danvan.NotificationService
	Users         danvan.UserService
	Audit         danvan.AuditService
	Engine        Engine
	Documents     Documents
	Checks        []Check
	Logger        *slog.Logger
	Version       string
	// ReadText reads uploaded files in the web UI.
	ReadText TextReader
	// Now is the clock; tests may replace it.
	Now func() time.Time
	// Drafts keeps the web forms' autosaved drafts; nil turns autosave to
	// the server off (the browser keeps its own copy).
	Drafts Drafts
	// History lists a unit's audit entries on its page; nil hides it.
	History UnitHistory
	// Calendar moves the start form's preview deadlines off weekends and
	// holidays as the workflows will; nil means the statutory calendar.
	Calendar *calendar.Calendar
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /api/me", s.authed(s.handleMe))
	s.unitRoutes(mux)
	s.cycleRoutes(mux)
	s.documentRoutes(mux)
	s.webRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "no such API route: %s %s", "không có đường dẫn API: %s %s", r.Method, r.URL.Path))
	})
	return s.recoverer(mux)
}

// recoverer turns a panic in a handler into a 500 with a generic message:
// no panic reaches a user.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic in handler", "path", r.URL.Path, "panic", v)
				s.writeError(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusOf maps domain codes to HTTP statuses: the one place that does.
func statusOf(code string) int {
	switch code {
	case danvan.EInvalid:
		return http.StatusBadRequest
	case danvan.ENotFound:
		return http.StatusNotFound
	case danvan.EConflict:
		return http.StatusConflict
	case danvan.EUnauthorized:
		return http.StatusUnauthorized
	case danvan.EForbidden:
		return http.StatusForbidden
	case danvan.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := danvan.AsError(err)
	switch e.Code {
	case danvan.EInternal:
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case danvan.EUnavailable:
		s.Logger.Warn("dependency unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, statusOf(e.Code), map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// maxBody bounds request bodies: reports are large but not unbounded.
const maxBody = 20 << 20

// readJSON decodes the body into v, rejecting unknown fields so a typo in a
// field name is an error the user sees rather than a silently empty field.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return danvan.Errorf(danvan.EInvalid, "the request body is not valid JSON for this call: %v",
			"nội dung yêu cầu không phải JSON hợp lệ: %v", err)
	}
	return nil
}

type ctxKey struct{}

// userFrom returns the authenticated user of r, set by authed.
func userFrom(ctx context.Context) *danvan.User {
	u, _ := ctx.Value(ctxKey{}).(*danvan.User)
	return u
}

// authed requires a valid bearer token (or the danvan_token cookie the web
// UI sets) and puts the user in the request context.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Users == nil {
			s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "users are not configured", "chưa cấu hình người dùng"))
			return
		}
		token := bearer(r)
		if token == "" {
			s.writeError(w, r, danvan.Errorf(danvan.EUnauthorized, "sign in: send Authorization: Bearer <token>",
				"cần đăng nhập: gửi Authorization: Bearer <mã truy cập>"))
			return
		}
		u, err := s.Users.Authenticate(r.Context(), token)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
	}
}

func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if c, err := r.Cookie("danvan_token"); err == nil {
		return c.Value
	}
	return ""
}

// requireRole answers 403 unless the user has one of roles.
func requireRole(u *danvan.User, roles ...string) error {
	for _, role := range roles {
		if u.Role == role {
			return nil
		}
	}
	return danvan.Errorf(danvan.EForbidden, "this needs the role %s", "thao tác này cần vai trò %s", strings.Join(roles, " or "))
}

// canRead returns ENotFound (not EForbidden) for another unit's work, so an
// officer cannot even learn what exists elsewhere.
func canRead(u *danvan.User, unit string) error {
	if !u.CanRead(unit) {
		return danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy")
	}
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, userFrom(r.Context()))
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	checks := map[string]any{}
	for _, c := range s.Checks {
		res := map[string]any{"status": "ok"}
		if err := c.Ping(ctx); err != nil {
			// Domain messages only; the raw error goes to the log.
			res["status"], res["error"] = "down", danvan.ErrorMessage(err)
			s.Logger.Warn("health check failed", "check", c.Name, "err", err)
			status, code = "degraded", http.StatusServiceUnavailable
		}
		checks[c.Name] = res
	}
	writeJSON(w, code, map[string]any{"status": status, "version": s.Version, "checks": checks})
}
