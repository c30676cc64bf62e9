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
	"mime"
	"net/http"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/summary"
)

// Engine runs cycles and tasks (Temporal behind it); the API never talks to
// the workflow engine any other way.
type Engine interface {
	// StartCycle starts c's workflow; EConflict when it runs already.
	StartCycle(ctx context.Context, c *danvan.Cycle) error
	// Submit tells its unit's workflow about a submission already stored
	// (s.ID set) and sets s.Seq and s.SubmittedAt; the workflow's
	// validator answers EInvalid or EConflict for a refused submission. A
	// non-empty key (Idempotency-Key) makes a repeat return the first
	// result and change nothing.
	Submit(ctx context.Context, s *danvan.Submission, key string) (*danvan.Task, error)
	// Decide accepts, returns or extends a task; key as for Submit.
	Decide(ctx context.Context, d *danvan.Decision, key string) (*danvan.Task, error)
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
	// Status is the document's status code (in_force, replaced, repealed,
	// expired, amended, unknown); StatusVI says it in Vietnamese with the
	// document that replaced, repealed or amended it.
	Status   string `json:"status"`
	StatusVI string `json:"status_vi"`
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
	// Agency, Summary and Assigner serve inspections, criteria, scores and
	// the province's summary (api/inspections.go, scores.go, summary.go).
	Agency    AgencyStore
	Summary   summary.Source
	Assigner  inspections.TaskAssigner
	Catalogue *summary.Catalogue
	Checks    []Check
	Logger    *slog.Logger
	Version   string
	// ReadText reads uploaded files in the web UI.
	ReadText TextReader
	// Now is the clock; tests may replace it.
	Now func() time.Time

	// Accounts signs people in with passwords and keeps their sessions;
	// nil disables password sign-in (bearer tokens still work).
	Accounts danvan.Accounts
	// Throttle counts failed sign-ins; nil disables throttling.
	Throttle danvan.LoginThrottle
	// AuditLog reads the audit log for /nhat-ky and /api/audit.
	AuditLog danvan.AuditLog
	// SessionIdle and SessionLifetime end sessions; zero values take
	// DefaultSessionIdle (30 min) and DefaultSessionLifetime (12 h).
	SessionIdle, SessionLifetime time.Duration
	// HTTPS marks the public URL as https: cookies get Secure and
	// responses HSTS.
	HTTPS bool
	// SecureCookies sets Secure on the session cookie (HTTPS sets it too).
	SecureCookies bool
	// Models and Reports hold the unit's work (models, reports, plans,
	// drafts, attachments); nil answers 503 on their routes.
	Models  danvan.ModelService
	Reports danvan.ReportService
	// Drafts keeps the web forms' autosaved drafts; nil turns autosave to
	// the server off (the browser keeps its own copy).
	Drafts Drafts
	// History lists a unit's audit entries on its page; nil hides it.
	History UnitHistory
	// Calendar moves the start form's preview deadlines off weekends and
	// holidays as the workflows will; nil means the statutory calendar.
	Calendar *calendar.Calendar
}

// Handler returns the routes behind the security middleware: headers on
// every response, cross-origin protection, the authenticator (bearer
// token or session cookie, with CSRF check) and the audit of writes.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.SessionIdle <= 0 {
		s.SessionIdle = DefaultSessionIdle
	}
	if s.SessionLifetime <= 0 {
		s.SessionLifetime = DefaultSessionLifetime
	}
	if s.HTTPS {
		s.SecureCookies = true
	}
	if s.Audit != nil {
		if _, ok := s.Audit.(withRequest); !ok {
			s.Audit = withRequest{s.Audit}
		}
	}
	if s.Notifications != nil {
		s.Notifications = perUserInbox(s.Notifications)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /api/me", s.authed(s.handleMe))
	s.authRoutes(mux)
	s.accountRoutes(mux)
	s.selfRoutes(mux)
	s.openAPIRoutes(mux)
	s.unitRoutes(mux)
	s.cycleRoutes(mux)
	s.documentRoutes(mux)
	s.outboxRoutes(mux)
	s.workRoutes(mux)
	s.agencyRoutes(mux)
	s.webRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, danvan.Errorf(danvan.ENotFound, "no such API route: %s %s", "không có đường dẫn API: %s %s", r.Method, r.URL.Path))
	})
	var h http.Handler = mux
	h = s.auditWrites(h)
	h = s.authenticate(h)
	h = s.crossOrigin(h)
	h = s.securityHeaders(h)
	h = withClient(h)
	return s.recoverer(h)
}

func withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, clientAddr(r))))
	})
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
	case danvan.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case danvan.EUnsupported:
		return http.StatusUnsupportedMediaType
	case danvan.ETooManyRequests:
		return http.StatusTooManyRequests
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

// readJSON is the one JSON decoder of the API. It refuses a body that is
// not application/json (EUnsupported, 415), over maxBody (ETooLarge, 413),
// with unknown fields (a typo is an error the user sees, not a silently
// empty field) or with anything after the value (EInvalid, 400).
func readJSON(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return danvan.Errorf(danvan.EUnsupported, "send the body as Content-Type: application/json",
			"nội dung yêu cầu phải có Content-Type: application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return danvan.Errorf(danvan.EInvalid, "the request body has data after the JSON value",
				"nội dung yêu cầu có dữ liệu thừa sau giá trị JSON")
		}
		return nil
	}
	return bodyError(err)
}

// bodyError turns a failure to read or decode a body into EInvalid, or
// ETooLarge when the body went over its limit.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return danvan.Errorf(danvan.ETooLarge, "the request body is over the limit of %d MiB", "nội dung yêu cầu vượt quá giới hạn %d MiB", tooBig.Limit>>20)
	}
	return danvan.Errorf(danvan.EInvalid, "the request body is not valid JSON for this call: %v",
		"nội dung yêu cầu không phải JSON hợp lệ: %v", err)
}

// readBody reads a whole non-JSON body of at most limit bytes; ETooLarge
// past it, never a silent cut.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, bodyError(err)
		}
		return nil, danvan.Errorf(danvan.EInvalid, "cannot read the body", "không đọc được nội dung yêu cầu")
	}
	return data, nil
}

type ctxKey struct{}

// userFrom returns the authenticated user of r, set by authed.
func userFrom(ctx context.Context) *danvan.User {
	u, _ := ctx.Value(ctxKey{}).(*danvan.User)
	return u
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
