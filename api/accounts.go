package api

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// NewPassword returns a random 16-character password that passes
// danvan.CheckPassword for any login (no ambiguous characters, so it can
// be read out over the phone).
func NewPassword() string {
	return rand.Text()[:16]
}

// newPasswordFor returns a NewPassword that passes the rules for login.
func newPasswordFor(login string) string {
	for {
		if pw := NewPassword(); danvan.CheckPassword(strings.ToLower(login), pw) == nil {
			return pw
		}
	}
}

// userRequest is POST /api/users.
type userRequest struct {
	Login    string   `json:"login"`
	Name     string   `json:"name"`
	Email    string   `json:"email,omitempty"`
	Role     string   `json:"role"`
	Units    []string `json:"units,omitempty"`
	Password string   `json:"password,omitempty"`
}

// userCreated answers POST /api/users; Password only when generated.
type userCreated struct {
	User     *danvan.User `json:"user"`
	Password string       `json:"password,omitempty"`
}

type passwordRequest struct {
	Password string `json:"password,omitempty"`
}

type tokenRequest struct {
	// ExpiresInDays: 0 means 90 days; at most 3650.
	ExpiresInDays int `json:"expires_in_days,omitempty"`
}

type tokenCreated struct {
	Token     string    `json:"token"`
	Prefix    string    `json:"prefix"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/users", s.admin(func(w http.ResponseWriter, r *http.Request) {
		users, err := s.Accounts.ListUsers(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"users": users})
	}))
	mux.HandleFunc("POST /api/users", s.admin(func(w http.ResponseWriter, r *http.Request) {
		var req userRequest
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		u, pw, err := s.createUser(r, req)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, userCreated{User: u, Password: pw})
	}))
	mux.HandleFunc("PATCH /api/users/{login}", s.admin(func(w http.ResponseWriter, r *http.Request) {
		var c danvan.UserChange
		if err := readJSON(r, &c); err != nil {
			s.writeError(w, r, err)
			return
		}
		after, err := s.changeUser(r, r.PathValue("login"), c)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"user": after})
	}))
	mux.HandleFunc("POST /api/users/{login}/password", s.admin(func(w http.ResponseWriter, r *http.Request) {
		var req passwordRequest
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		pw, err := s.resetPassword(r, r.PathValue("login"), req.Password)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out := map[string]string{"status": "changed"}
		if req.Password == "" {
			out["password"] = pw
		}
		writeJSON(w, http.StatusOK, out)
	}))
	mux.HandleFunc("POST /api/users/{login}/tokens", s.authed(func(w http.ResponseWriter, r *http.Request) {
		var req tokenRequest
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		out, err := s.issueToken(r, r.PathValue("login"), req.ExpiresInDays)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, out)
	}))
	mux.HandleFunc("POST /api/users/{login}/revoke", s.admin(func(w http.ResponseWriter, r *http.Request) {
		n, err := s.revoke(r, r.PathValue("login"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"revoked": n})
	}))
	mux.HandleFunc("GET /api/users/{login}", s.admin(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.Accounts.FindUser(r.Context(), r.PathValue("login"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"user": u})
	}))
	setDisabled := func(disabled bool) http.HandlerFunc {
		return s.admin(func(w http.ResponseWriter, r *http.Request) {
			after, err := s.changeUser(r, r.PathValue("login"), danvan.UserChange{Disabled: &disabled})
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"user": after})
		})
	}
	mux.HandleFunc("POST /api/users/{login}/disable", setDisabled(true))
	mux.HandleFunc("POST /api/users/{login}/enable", setDisabled(false))
	mux.HandleFunc("GET /api/users/{login}/tokens", s.authed(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.selfOrAdmin(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		tokens, err := s.Accounts.ListTokens(r.Context(), u.ID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"tokens": tokens})
	}))
	mux.HandleFunc("DELETE /api/users/{login}/tokens/{id}", s.authed(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.selfOrAdmin(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if perr != nil {
			s.writeError(w, r, notFoundErr())
			return
		}
		if err := s.Accounts.RevokeToken(r.Context(), u.ID, id); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.auditUser(r, "token.revoke", u.Login, nil, map[string]int64{"token_id": id})
		writeJSON(w, http.StatusOK, map[string]any{"revoked": id})
	}))
	mux.HandleFunc("GET /api/session", s.authed(func(w http.ResponseWriter, r *http.Request) {
		out := sessionInfo{User: userFrom(r.Context()), Kind: "token"}
		if sess := sessionFrom(r.Context()); sess != nil {
			out.Kind, out.CSRFToken = "session", sess.CSRF
			idle, end := sess.LastSeen.Add(s.SessionIdle), sess.CreatedAt.Add(s.SessionLifetime)
			exp := idle
			if end.Before(idle) {
				exp = end
			}
			out.ExpiresAt = &exp
		}
		writeJSON(w, http.StatusOK, out)
	}))
	mux.HandleFunc("GET /api/audit", s.admin(func(w http.ResponseWriter, r *http.Request) {
		entries, err := s.findAudit(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
	}))
	mux.HandleFunc("GET /api/audit.csv", s.admin(s.auditCSV))
	s.accountPages(mux)
}

// sessionInfo answers GET /api/session.
type sessionInfo struct {
	User      *danvan.User `json:"user"`
	Kind      string       `json:"kind"` // "session" or "token"
	CSRFToken string       `json:"csrf_token,omitempty"`
	ExpiresAt *time.Time   `json:"expires_at,omitempty"`
}

// selfOrAdmin returns the user named in the path when it is the caller or
// the caller administers accounts; ENotFound otherwise (so a login's
// existence does not leak).
func (s *Server) selfOrAdmin(r *http.Request) (*danvan.User, error) {
	if s.Accounts == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản")
	}
	me, login := userFrom(r.Context()), r.PathValue("login")
	if me.Login != login && Allow(me, ActionManageUsers, "") != nil {
		return nil, notFoundErr()
	}
	return s.Accounts.FindUser(r.Context(), login)
}

// admin is authed plus the administrator role, decided by the policy.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		if s.Accounts == nil {
			s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản"))
			return
		}
		if err := Allow(userFrom(r.Context()), ActionManageUsers, ""); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r)
	})
}

func (s *Server) auditUser(r *http.Request, action string, target string, before, after any) {
	u := userFrom(r.Context())
	e := &danvan.AuditEntry{Action: action, Client: clientAddr(r), Detail: marshal(map[string]string{"login": target}),
		Before: marshal(before), After: marshal(after)}
	if u != nil {
		e.Actor, e.UserID = u.Login, u.ID
	}
	s.record(r.Context(), e)
}

// createUser adds the user of req; an empty password is generated and
// returned (shown once).
func (s *Server) createUser(r *http.Request, req userRequest) (*danvan.User, string, error) {
	pw, generated := req.Password, false
	if pw == "" {
		pw, generated = newPasswordFor(req.Login), true
	}
	u := &danvan.User{Login: req.Login, Name: strings.TrimSpace(req.Name), Email: req.Email, Role: req.Role, Units: req.Units}
	if err := s.Accounts.AddUser(r.Context(), u, pw); err != nil {
		return nil, "", err
	}
	s.auditUser(r, "user.create", u.Login, nil, u)
	if !generated {
		pw = ""
	}
	return u, pw, nil
}

func (s *Server) changeUser(r *http.Request, login string, c danvan.UserChange) (*danvan.User, error) {
	if me := userFrom(r.Context()); me != nil && me.Login == login && ((c.Disabled != nil && *c.Disabled) || (c.Role != nil && *c.Role != danvan.RoleAdmin)) {
		return nil, danvan.Errorf(danvan.EConflict, "you cannot disable yourself or give up your own administrator role",
			"không thể tự khóa tài khoản hoặc tự bỏ vai trò quản trị của mình")
	}
	before, after, err := s.Accounts.UpdateUser(r.Context(), login, c)
	if err != nil {
		return nil, err
	}
	action := "user.update"
	if c.Disabled != nil {
		action = map[bool]string{true: "user.disable", false: "user.enable"}[*c.Disabled]
	}
	s.auditUser(r, action, login, before, after)
	return after, nil
}

func (s *Server) resetPassword(r *http.Request, login, pw string) (string, error) {
	if pw == "" {
		pw = newPasswordFor(login)
	}
	if err := s.Accounts.SetPassword(r.Context(), login, pw); err != nil {
		return "", err
	}
	s.auditUser(r, "user.password", login, nil, nil)
	return pw, nil
}

// issueToken makes a personal API token for login: administrators for
// anyone, others for themselves only.
func (s *Server) issueToken(r *http.Request, login string, days int) (*tokenCreated, error) {
	if s.Accounts == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản")
	}
	if days == 0 {
		days = 90
	}
	if days < 1 || days > 3650 {
		return nil, danvan.Invalid("expires_in_days", "must be between 1 and 3650", "phải từ 1 đến 3650 ngày")
	}
	u, err := s.selfOrAdmin(r)
	if err != nil {
		return nil, err
	}
	exp := s.Now().Add(time.Duration(days) * 24 * time.Hour)
	secret, t, err := s.Accounts.NewToken(r.Context(), u.ID, &exp)
	if err != nil {
		return nil, err
	}
	s.auditUser(r, "token.create", login, nil, t)
	return &tokenCreated{Token: secret, Prefix: t.Prefix, ExpiresAt: exp}, nil
}

func (s *Server) revoke(r *http.Request, login string) (int, error) {
	n, err := s.Accounts.RevokeAll(r.Context(), login)
	if err != nil {
		return 0, err
	}
	s.auditUser(r, "token.revoke_all", login, nil, map[string]int{"revoked": n})
	return n, nil
}

// auditFilter reads the filters of /api/audit and /nhat-ky: since, until
// (YYYY-MM-DD or RFC 3339), actor, action (a prefix), cycle, unit.
func auditFilter(r *http.Request) (danvan.AuditFilter, error) {
	q := r.URL.Query()
	f := danvan.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), CycleID: q.Get("cycle"), Unit: q.Get("unit"), Limit: 1000}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02", v, vnZone)
		}
		if err != nil {
			return f, danvan.Invalid(p.name, "must be YYYY-MM-DD or an RFC 3339 time", "phải có dạng YYYY-MM-DD hoặc RFC 3339")
		}
		*p.dst = t
	}
	return f, nil
}

func (s *Server) findAudit(r *http.Request) ([]danvan.AuditEntry, error) {
	if s.AuditLog == nil {
		return nil, danvan.Errorf(danvan.EUnavailable, "the audit log is not configured", "chưa cấu hình nhật ký")
	}
	f, err := auditFilter(r)
	if err != nil {
		return nil, err
	}
	if r.URL.Path == "/api/audit.csv" || r.URL.Path == "/nhat-ky.csv" {
		f.Limit = 10000
	}
	return s.AuditLog.FindAudit(r.Context(), f)
}

func rawString(m json.RawMessage) string {
	if len(m) == 0 {
		return ""
	}
	return string(m)
}
