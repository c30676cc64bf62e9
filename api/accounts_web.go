package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

type accountsView struct {
	Users []danvan.User
}

type auditView struct {
	Entries                                  []danvan.AuditEntry
	Since, Until, Actor, Action, Cycle, Unit string
	Query                                    string
}

// accountPages are the administrator's pages: accounts (/tai-khoan) and
// the audit log (/nhat-ky, with CSV export).
func (s *Server) accountPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /tai-khoan", s.webAdmin(func(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		return s.accountsPage(ctx, page{})
	}))
	mux.HandleFunc("POST /tai-khoan", s.webAdmin(func(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		var units []string
		for _, c := range strings.FieldsFunc(r.PostFormValue("units"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			units = append(units, c)
		}
		u, pw, err := s.createUser(r, userRequest{Login: r.PostFormValue("login"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
			Role: r.PostFormValue("role"), Units: units, Password: r.PostFormValue("password")})
		if err != nil {
			name, p, _ := s.accountsPage(ctx, page{})
			return name, p, err
		}
		flash := "Đã tạo tài khoản " + u.Login + "."
		if pw != "" {
			flash += " Mật khẩu (chỉ hiện một lần): " + pw
		}
		return s.accountsPage(ctx, page{Flash: flash})
	}))
	mux.HandleFunc("POST /tai-khoan/{login}", s.webAdmin(func(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		login := r.PathValue("login")
		var flash string
		var err error
		switch r.PostFormValue("action") {
		case "disable", "enable":
			v := r.PostFormValue("action") == "disable"
			_, err = s.changeUser(r, login, danvan.UserChange{Disabled: &v})
			flash = map[bool]string{true: "Đã khóa ", false: "Đã mở khóa "}[v] + login + "."
		case "units":
			units := strings.FieldsFunc(r.PostFormValue("units"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
			role := r.PostFormValue("role")
			c := danvan.UserChange{Units: &units}
			if role != "" {
				c.Role = &role
			}
			_, err = s.changeUser(r, login, c)
			flash = "Đã cập nhật vai trò và đơn vị của " + login + "."
		case "password":
			var pw string
			pw, err = s.resetPassword(r, login, "")
			flash = "Mật khẩu mới của " + login + " (chỉ hiện một lần): " + pw
		case "revoke":
			var n int
			n, err = s.revoke(r, login)
			flash = fmt.Sprintf("Đã thu hồi %d phiên và mã truy cập của %s.", n, login)
		default:
			err = danvan.Invalid("action", "must be disable, enable, units, password or revoke", "thao tác không hợp lệ")
		}
		if err != nil {
			name, p, _ := s.accountsPage(ctx, page{})
			return name, p, err
		}
		return s.accountsPage(ctx, page{Flash: flash})
	}))
	mux.HandleFunc("GET /nhat-ky", s.webAdmin(func(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		q := r.URL.Query()
		v := &auditView{Since: q.Get("since"), Until: q.Get("until"), Actor: q.Get("actor"), Action: q.Get("action"),
			Cycle: q.Get("cycle"), Unit: q.Get("unit"), Query: r.URL.RawQuery}
		p := page{Title: "Nhật ký", Data: v}
		entries, err := s.findAudit(r)
		v.Entries = entries
		return "audit", p, err
	}))
	mux.HandleFunc("GET /nhat-ky.csv", s.webAdmin(nil))
}

// webAdmin is webPage for administrators; a nil fn serves the audit CSV.
func (s *Server) webAdmin(fn func(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error)) http.HandlerFunc {
	if fn == nil {
		return func(w http.ResponseWriter, r *http.Request) {
			u := s.webUser(r)
			if u == nil {
				http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
				return
			}
			if err := Allow(u, ActionManageUsers, ""); err != nil {
				s.writeError(w, r, err)
				return
			}
			s.auditCSV(w, r)
		}
	}
	return s.webPage(func(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
		if err := Allow(u, ActionManageUsers, ""); err != nil {
			return "home", page{Title: "Trang chủ", Data: map[string]any{}}, err
		}
		if s.Accounts == nil {
			return "home", page{Title: "Trang chủ", Data: map[string]any{}}, danvan.Errorf(danvan.EUnavailable, "accounts are not configured", "chưa cấu hình tài khoản")
		}
		return fn(ctx, u, r)
	})
}

func (s *Server) accountsPage(ctx context.Context, p page) (string, page, error) {
	p.Title = "Tài khoản"
	users, err := s.Accounts.ListUsers(ctx)
	p.Data = &accountsView{Users: users}
	return "accounts", p, err
}

// auditCSV writes the filtered audit log as CSV for Excel (UTF-8 with BOM).
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	entries, err := s.findAudit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="nhat-ky.csv"`)
	_, _ = w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "actor", "user_id", "client", "action", "cycle_id", "unit", "detail", "before", "after"})
	for _, e := range entries {
		_ = cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), csvSafe(e.Actor), strconv.FormatInt(e.UserID, 10),
			e.Client, e.Action, csvSafe(e.CycleID), csvSafe(e.Unit), csvSafe(rawString(e.Detail)), csvSafe(rawString(e.Before)), csvSafe(rawString(e.After))})
	}
	cw.Flush()
}

// csvSafe defuses spreadsheet formulas (a cell starting with = + - @).
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
