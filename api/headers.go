package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/danvan/danvan"
)

type nonceKey struct{}

// nonceFrom returns the request's CSP nonce ("" outside a request).
func nonceFrom(ctx context.Context) string {
	n, _ := ctx.Value(nonceKey{}).(string)
	return n
}

// securityHeaders sets the headers every response carries. Scripts run
// only from this origin or with the request's nonce (templates get it
// from {{cspNonce}}); inline style attributes stay allowed, since they
// cannot run code.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [18]byte
		_, _ = rand.Read(b[:])
		nonce := base64.RawStdEncoding.EncodeToString(b[:])
		h := w.Header()
		h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", nonce))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if s.HTTPS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce)))
	})
}

// crossOrigin refuses cross-origin state-changing browser requests (by
// Sec-Fetch-Site or Origin) with 403, before any handler runs.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Logger.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"), "client", clientAddr(r))
		s.writeError(w, r, danvan.Errorf(danvan.EForbidden, "cross-origin request refused", "yêu cầu từ trang web khác bị từ chối"))
	}))
	return cop.Handler(next)
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// auditWrites records every state-changing request of a signed-in user:
// who, from where, what and the outcome, on top of the detailed entries
// (with before and after) the handlers write themselves.
func (s *Server) auditWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !unsafeMethod(r.Method) || csrfExempt(r) || r.URL.Path == "/dang-xuat" || r.URL.Path == "/api/logout" {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		u := userFrom(r.Context())
		if u == nil {
			return
		}
		s.record(r.Context(), &danvan.AuditEntry{Actor: u.Login, UserID: u.ID, Client: clientAddr(r),
			Action: "http." + strings.ToLower(r.Method), Detail: marshal(map[string]any{"path": r.URL.Path, "status": rec.status})})
	})
}

// withRequest fills an audit entry's user and client address from the
// request context, so entries written by any handler carry them.
type withRequest struct{ danvan.AuditService }

type clientKey struct{}

func (a withRequest) Audit(ctx context.Context, e *danvan.AuditEntry) error {
	if u := userFrom(ctx); u != nil && e.UserID == 0 {
		e.UserID = u.ID
	}
	if c, _ := ctx.Value(clientKey{}).(string); c != "" && e.Client == "" {
		e.Client = c
	}
	return a.AuditService.Audit(ctx, e)
}

func marshal(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
