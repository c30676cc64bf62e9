package api

import (
	"context"
	"net/http"

	"github.com/danvan/danvan"
)

// changePasswordRequest is POST /api/me/password: the current password is
// asked again so a borrowed session cannot take the account over.
type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) selfRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/me/password", s.authed(func(w http.ResponseWriter, r *http.Request) {
		var req changePasswordRequest
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.changeOwnPassword(w, r, req); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "changed"})
	}))
	mux.HandleFunc("GET /mat-khau", s.webPage(func(_ context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		p := page{Title: "Đổi mật khẩu"}
		if r.URL.Query().Get("ok") == "1" {
			p.Flash = "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."
		}
		return "password", p, nil
	}))
	// Not webPage: a successful change renews the session cookie and
	// redirects, so the next page carries the new session's CSRF token.
	mux.HandleFunc("POST /mat-khau", func(w http.ResponseWriter, r *http.Request) {
		u := s.webUser(r)
		if u == nil {
			http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
			return
		}
		req := changePasswordRequest{CurrentPassword: r.PostFormValue("current_password"), NewPassword: r.PostFormValue("new_password")}
		if err := s.changeOwnPassword(w, r, req); err != nil {
			e := danvan.AsError(err)
			if e.Code == danvan.EInternal {
				s.Logger.Error("password change failed", "err", err)
			}
			msg := e.MessageVI
			for _, f := range e.Fields {
				msg += ": " + f.MessageVI
			}
			w.WriteHeader(statusOf(e.Code))
			s.render(w, r, "password", page{Title: "Đổi mật khẩu", User: u, Error: msg})
			return
		}
		http.Redirect(w, r, "/mat-khau?ok=1", http.StatusSeeOther)
	})
}

// changeOwnPassword checks the caller's current password (under the
// sign-in throttle's counting, as a wrong one is a guess) and sets the new
// one, which ends all the caller's sessions; a web caller then gets a new
// session so the page that changed it stays signed in.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, req changePasswordRequest) error {
	if s.Accounts == nil {
		return danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản")
	}
	ctx := r.Context()
	me := userFrom(ctx)
	if _, err := s.Accounts.VerifyPassword(ctx, me.Login, req.CurrentPassword); err != nil {
		if danvan.ErrorCode(err) == danvan.EUnauthorized {
			s.record(ctx, &danvan.AuditEntry{Action: "user.password_change_failed", Actor: me.Login, UserID: me.ID, Client: clientAddr(r)})
			return danvan.Invalid("current_password", "is wrong", "mật khẩu hiện tại không đúng")
		}
		return err
	}
	if err := s.Accounts.SetPassword(ctx, me.Login, req.NewPassword); err != nil {
		if e := danvan.AsError(err); e.Code == danvan.EInvalid {
			for i := range e.Fields {
				if e.Fields[i].Field == "password" {
					e.Fields[i].Field = "new_password"
				}
			}
		}
		return err
	}
	s.auditUser(r, "user.password_change", me.Login, nil, nil)
	if sessionFrom(ctx) != nil {
		sess, err := s.Accounts.NewSession(ctx, me.ID, clientAddr(r))
		if err != nil {
			return err
		}
		if w != nil {
			s.setSessionCookie(w, sess.ID)
		}
	}
	return nil
}
