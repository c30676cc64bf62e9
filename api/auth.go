package api

import (
	"context"
	"crypto/subtle"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// SessionCookie names the cookie that carries a browser's session id.
const SessionCookie = "danvan_session"

// CSRFHeader carries the session's CSRF token on cookie-authenticated
// JSON writes; forms send it as the field CSRFField.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf_token"
)

// Failed sign-ins allowed before a wait: per login, and (more, since many
// people share an office's address) per client address.
const (
	loginFailureLimit   = 5
	addressFailureLimit = 20
)

// Default session timeouts (ASVS 3.3: idle and absolute).
const (
	DefaultSessionIdle     = 30 * time.Minute
	DefaultSessionLifetime = 12 * time.Hour
)

type sessionKey struct{}
type authErrKey struct{}

// sessionFrom returns the session of a cookie-authenticated request, or nil.
func sessionFrom(ctx context.Context) *danvan.Session {
	s, _ := ctx.Value(sessionKey{}).(*danvan.Session)
	return s
}

// clientAddr is the peer's IP address. X-Forwarded-For is not trusted: a
// client could set it to dodge the sign-in throttle.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// csrfExempt are the writes that have no session yet; cross-origin
// protection still covers them.
func csrfExempt(r *http.Request) bool {
	return r.URL.Path == "/api/login" || r.URL.Path == "/dang-nhap"
}

// authenticate is the one authenticator: a bearer token (personal API
// token) or the session cookie. It puts the user (and the session) in the
// context and refuses cookie-authenticated writes without the session's
// CSRF token. Anonymous requests pass; authed and webPage decide.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || s.Users == nil {
				ctx = context.WithValue(ctx, authErrKey{}, danvan.Errorf(danvan.EUnauthorized,
					"sign in: send Authorization: Bearer <token>", "cần đăng nhập: gửi Authorization: Bearer <mã truy cập>"))
			} else if u, err := s.Users.Authenticate(ctx, strings.TrimSpace(token)); err != nil {
				ctx = context.WithValue(ctx, authErrKey{}, err)
			} else {
				ctx = context.WithValue(ctx, ctxKey{}, u)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" || s.Accounts == nil {
			next.ServeHTTP(w, r)
			return
		}
		sess, u, err := s.Accounts.SessionUser(ctx, c.Value, s.SessionIdle, s.SessionLifetime)
		if err != nil {
			if danvan.ErrorCode(err) != danvan.EUnauthorized {
				s.writeError(w, r, err)
				return
			}
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, authErrKey{}, err)))
			return
		}
		if unsafeMethod(r.Method) && !csrfExempt(r) && !validCSRF(r, sess.CSRF) {
			s.writeError(w, r, danvan.Errorf(danvan.EForbidden, "missing or wrong CSRF token: reload the page and try again",
				"thiếu hoặc sai mã chống giả mạo (CSRF): hãy tải lại trang và thử lại"))
			return
		}
		ctx = context.WithValue(ctx, ctxKey{}, u)
		ctx = context.WithValue(ctx, sessionKey{}, sess)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// validCSRF compares the request's token (header, else form field) with
// the session's in constant time.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" {
			if mt == "multipart/form-data" {
				r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
				_ = r.ParseMultipartForm(maxBody)
			}
			got = r.PostFormValue(CSRFField)
		}
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// authed requires an authenticated user (see authenticate).
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Users == nil {
			s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "users are not configured", "chưa cấu hình người dùng"))
			return
		}
		if userFrom(r.Context()) == nil {
			err, _ := r.Context().Value(authErrKey{}).(error)
			if err == nil {
				err = danvan.Errorf(danvan.EUnauthorized, "sign in: POST /api/login, or send Authorization: Bearer <token>",
					"cần đăng nhập: POST /api/login hoặc gửi Authorization: Bearer <mã truy cập>")
			}
			s.writeError(w, r, err)
			return
		}
		h(w, r)
	}
}

func (s *Server) setSessionCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies})
}

// signIn checks login and password under the throttle, starts a new
// session (a fresh id: any session the request carried is ended) and sets
// its cookie. Errors: EUnauthorized for wrong credentials (one message for
// every cause), ETooManyRequests while throttled (Retry-After set).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, login, password string) (*danvan.User, *danvan.Session, error) {
	if s.Accounts == nil {
		return nil, nil, danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản")
	}
	ctx := r.Context()
	login = strings.ToLower(strings.TrimSpace(login))
	addr := clientAddr(r)
	keys := []struct {
		key   string
		limit int
	}{{"login:" + login, loginFailureLimit}, {"addr:" + addr, addressFailureLimit}}
	entry := func(action string, u *danvan.User, detail any) {
		e := &danvan.AuditEntry{Actor: login, Action: action, Client: addr, Detail: marshal(detail)}
		if u != nil {
			e.UserID = u.ID
		}
		s.record(ctx, e)
	}
	if s.Throttle != nil {
		for _, k := range keys {
			wait, err := s.Throttle.Blocked(ctx, k.key, s.Now())
			if err != nil {
				return nil, nil, err
			}
			if wait > 0 {
				entry("login.throttled", nil, map[string]any{"wait_seconds": int(wait.Seconds())})
				return nil, nil, tooMany(w, wait)
			}
		}
	}
	u, err := s.Accounts.VerifyPassword(ctx, login, password)
	if err != nil {
		if danvan.ErrorCode(err) != danvan.EUnauthorized {
			return nil, nil, err
		}
		var wait time.Duration
		if s.Throttle != nil {
			for _, k := range keys {
				d, ferr := s.Throttle.Fail(ctx, k.key, k.limit, s.Now())
				if ferr != nil {
					return nil, nil, ferr
				}
				wait = max(wait, d)
			}
		}
		entry("login.failure", nil, map[string]any{"wait_seconds": int(wait.Seconds())})
		return nil, nil, err
	}
	if s.Throttle != nil {
		if err := s.Throttle.Reset(ctx, keys[0].key); err != nil {
			return nil, nil, err
		}
	}
	if old := sessionFrom(ctx); old != nil {
		_ = s.Accounts.EndSession(ctx, old.ID)
	} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		_ = s.Accounts.EndSession(ctx, c.Value)
	}
	sess, err := s.Accounts.NewSession(ctx, u.ID, addr)
	if err != nil {
		return nil, nil, err
	}
	s.setSessionCookie(w, sess.ID)
	entry("login.success", u, nil)
	return u, sess, nil
}

func tooMany(w http.ResponseWriter, wait time.Duration) error {
	secs := int(wait.Round(time.Second).Seconds())
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return danvan.Errorf(danvan.ETooManyRequests, "too many failed sign-ins: wait %d seconds", "đăng nhập sai quá nhiều lần: hãy chờ %d giây", secs)
}

// signOut ends the request's session (if any) and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if sess := sessionFrom(r.Context()); sess != nil && s.Accounts != nil {
		if err := s.Accounts.EndSession(r.Context(), sess.ID); err != nil {
			s.Logger.Error("end session", "err", err)
		}
	}
	s.clearSessionCookie(w)
	if u != nil {
		s.record(r.Context(), &danvan.AuditEntry{Action: "logout", Actor: u.Login, UserID: u.ID, Client: clientAddr(r)})
	}
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type loginResponse struct {
	User      *danvan.User `json:"user"`
	CSRFToken string       `json:"csrf_token"`
}

func (s *Server) authRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		var req loginRequest
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		u, sess, err := s.signIn(w, r, req.Login, req.Password)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, loginResponse{User: u, CSRFToken: sess.CSRF})
	})
	mux.HandleFunc("POST /api/logout", s.authed(func(w http.ResponseWriter, r *http.Request) {
		s.signOut(w, r)
		writeJSON(w, http.StatusOK, map[string]string{"status": "signed_out"})
	}))
	mux.HandleFunc("GET /dang-nhap", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, "login", page{Title: "Đăng nhập", User: userFrom(r.Context())})
	})
	mux.HandleFunc("POST /dang-nhap", s.webLogin)
	mux.HandleFunc("POST /dang-xuat", func(w http.ResponseWriter, r *http.Request) {
		s.signOut(w, r)
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
	})
}

func (s *Server) webLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_, _, err := s.signIn(w, r, r.PostFormValue("login"), r.PostFormValue("password"))
	if err != nil {
		e := danvan.AsError(err)
		if e.Code == danvan.EInternal {
			s.Logger.Error("sign-in failed", "err", err)
		}
		w.WriteHeader(statusOf(e.Code))
		s.render(w, r, "login", page{Title: "Đăng nhập", Error: e.MessageVI, Data: map[string]string{"Login": r.PostFormValue("login")}})
		return
	}
	http.Redirect(w, r, "/chu-ky", http.StatusSeeOther)
}

// record appends e to the audit log with a unique key and the time; a
// failure is logged, never shown: what it records has happened.
func (s *Server) record(ctx context.Context, e *danvan.AuditEntry) {
	if s.Audit == nil {
		return
	}
	now := s.Now()
	if e.At.IsZero() {
		e.At = now
	}
	if e.Key == "" {
		e.Key = fmt.Sprintf("api/%s/%s/%d", e.Action, e.Actor, now.UnixNano())
	}
	if err := s.Audit.Audit(ctx, e); err != nil {
		s.Logger.Error("audit failed", "action", e.Action, "err", err)
	}
}
