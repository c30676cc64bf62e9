package api

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

type page struct {
	Title string
	User  *danvan.User
	Error string
	Flash string
	Data  any
	// HTMX loads htmx on pages that use it; the others stay lighter.
	HTMX bool
	// LangURL is this page in the other language (set by render).
	LangURL string
}

func (s *Server) webRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.webHome)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.HandleFunc("GET /chu-ky", s.webPage(s.webCycles))
	mux.HandleFunc("GET /chu-ky/{id}", s.webPage(s.webCycle))
	mux.HandleFunc("GET /tra-cuu", s.webPage(s.webSearch))
	mux.HandleFunc("GET /thong-bao", s.webPage(s.webNotifications))
	mux.HandleFunc("POST /thong-bao/doc", s.webPage(s.webNotifications))
	s.webTaskRoutes(mux)
	s.webHomeRoutes(mux)
	s.webStartRoutes(mux)
	s.webUnitRoutes(mux)
	s.webDraftRoutes(mux)
	mux.HandleFunc("POST /chu-ky", s.webPage(s.webStartCycle))
	mux.HandleFunc("POST /tra-cuu/nhap", s.webPage(func(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
		p := page{Title: "Tra cứu văn bản", Data: &searchView{}}
		rep, err := s.importUploads(r, u)
		if err != nil {
			return "search", p, err
		}
		var lines []string
		for _, f := range rep.Files {
			switch {
			case f.Error != nil && !f.Imported:
				lines = append(lines, f.File+": "+f.Error.MessageVI)
			case f.Number != "":
				lines = append(lines, fmt.Sprintf("%s: %s %s, %d văn bản được dẫn", f.File, f.Type, f.Number, f.Citations))
			default:
				lines = append(lines, fmt.Sprintf("%s: %s (không số), %d văn bản được dẫn", f.File, f.Name, f.Citations))
			}
		}
		p.Flash = fmt.Sprintf("Đã nhập %d, lỗi %d. ", rep.Imported, rep.Failed) + strings.Join(lines, "; ")
		return "search", p, nil
	}))
	mux.HandleFunc("GET /van-ban/{id...}", s.webPage(func(ctx context.Context, _ *danvan.User, r *http.Request) (string, page, error) {
		if s.Documents == nil {
			return "search", page{Title: "Văn bản", Data: &searchView{}}, danvan.Errorf(danvan.EUnavailable, "no registry", "chưa cấu hình tra cứu văn bản")
		}
		v, err := s.Documents.ShowDocument(ctx, r.PathValue("id"))
		if err != nil {
			return "search", page{Title: "Văn bản", Data: &searchView{}}, err
		}
		return "document", page{Title: "Văn bản", Data: v}, nil
	}))
}

// render executes page name in the request's language (?lang= is
// remembered for a year) with the request's CSRF token and CSP nonce:
// every form writes {{csrfField}}, every inline script carries
// nonce="{{cspNonce}}".
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	lang := pageLang(r)
	if q := r.URL.Query().Get("lang"); q != "" {
		http.SetCookie(w, &http.Cookie{Name: "danvan_lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	}
	other := langEN
	if lang == langEN {
		other = langVI
	}
	q := r.URL.Query()
	q.Set("lang", other)
	p.LangURL = r.URL.Path + "?" + q.Encode()
	if r.Method != http.MethodGet {
		// A form's result page has no GET of its own.
		p.LangURL = "/?lang=" + other
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	csrf := ""
	if sess := sessionFrom(r.Context()); sess != nil {
		csrf = sess.CSRF
	}
	nonce := nonceFrom(r.Context())
	t, err := pageSets[lang].Clone()
	if err == nil {
		t = t.Funcs(template.FuncMap{
			"csrfField": func() template.HTML {
				return template.HTML(`<input type="hidden" name="` + CSRFField + `" value="` + template.HTMLEscapeString(csrf) + `">`) //nolint:gosec // escaped
			},
			"csrfToken": func() string { return csrf },
			"cspNonce":  func() string { return nonce },
		})
		err = t.ExecuteTemplate(w, name, p)
	}
	if err != nil {
		s.Logger.Error("render", "page", name, "err", err)
	}
}

// webUser returns the signed-in user (see authenticate), or nil.
func (s *Server) webUser(r *http.Request) *danvan.User { return userFrom(r.Context()) }

// webPage wraps a page that needs a signed-in user; errors render in
// Vietnamese on the page itself.
func (s *Server) webPage(fn func(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := s.webUser(r)
		if u == nil {
			http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
			return
		}
		name, p, err := fn(r.Context(), u, r)
		p.User = u
		if err != nil {
			e := danvan.AsError(err)
			w.WriteHeader(statusOf(e.Code))
			p.Error = errorText(pageLang(r), e)
			if e.Code == danvan.EInternal {
				s.Logger.Error("page failed", "path", r.URL.Path, "err", err)
			}
		}
		s.render(w, r, name, p)
	}
}

type checkView struct{ Name, Status, Detail, Error string }

func (s *Server) webHome(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	u := s.webUser(r)
	if u != nil && u.Role == danvan.RoleOfficer {
		http.Redirect(w, r, "/viec-cua-toi", http.StatusSeeOther)
		return
	}
	var checks []checkView
	for _, c := range s.Checks {
		v := checkView{Name: c.Name, Status: "ok"}
		err := c.Ping(ctx)
		if err != nil {
			v.Status = "down"
		}
		// Addresses and error texts are for administrators only.
		if u != nil && u.Role == danvan.RoleAdmin {
			v.Detail = c.Detail
			if err != nil {
				v.Error = err.Error()
			}
		}
		checks = append(checks, v)
	}
	p := page{Title: msg(pageLang(r), "nav.home"), User: u}
	var board *adminBoard
	if u != nil && u.Role == danvan.RoleAdmin {
		var err error
		if board, err = s.adminHome(r.Context()); err != nil {
			p.Error = errorText(pageLang(r), danvan.AsError(err))
			s.Logger.Error("admin home", "err", err)
		}
	}
	p.Data = map[string]any{"Checks": checks, "Version": s.Version, "Board": board}
	s.render(w, r, "home", p)
}

func (s *Server) webCycles(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p := page{Title: "Chu kỳ"}
	cycles, err := s.Cycles.ListCycles(ctx)
	var out []danvan.Cycle
	for _, c := range cycles {
		if u.Role != danvan.RoleOfficer || contains(c.Units, u.UnitCode) {
			out = append(out, c)
		}
	}
	p.Data = out
	return "cycles", p, err
}

type searchView struct {
	Q, Type, Issuer, From, To string
	Result                    []hitView
	Total, Page, Pages        int
	Query                     string
}

type hitView struct {
	DocumentHit
	Snippet template.HTML
}

// safeSnippet shows a search snippet with its <mark> highlights and
// everything else as text, escaped exactly once: the search adapters
// already return HTML-escaped snippets, so entities are decoded first
// (escaping again is what showed "&#34;" to people).
func safeSnippet(s string) template.HTML {
	s = strings.NewReplacer("<mark>", "\uE000", "</mark>", "\uE001").Replace(s)
	esc := template.HTMLEscapeString(html.UnescapeString(s))
	esc = strings.NewReplacer("\uE000", "<mark>", "\uE001", "</mark>").Replace(esc)
	return template.HTML(esc) //nolint:gosec // escaped above
}

// searchPageSize is the number of hits on one search page.
const searchPageSize = 20

func (s *Server) webSearch(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	q := r.URL.Query()
	v := searchView{Q: q.Get("q"), Type: q.Get("type"), Issuer: q.Get("issuer"), From: q.Get("from"), To: q.Get("to"), Page: 1, Pages: 1}
	p := page{Title: msg(pageLang(r), "search.title"), Data: &v}
	if s.Documents == nil || (v.Q == "" && v.Type == "" && v.Issuer == "" && v.From == "" && v.To == "") {
		return "search", p, nil
	}
	dq := DocumentQuery{Q: v.Q, Type: v.Type, Issuer: v.Issuer, Limit: searchPageSize}
	var err error
	if dq.From, err = yearParam("from", v.From); err != nil {
		return "search", p, err
	}
	if dq.To, err = yearParam("to", v.To); err != nil {
		return "search", p, err
	}
	v.Page, _ = strconv.Atoi(q.Get("trang"))
	v.Page = max(v.Page, 1)
	dq.Offset = (v.Page - 1) * searchPageSize
	res, err := s.boundedSearch(ctx, dq)
	if err != nil {
		return "search", p, err
	}
	v.Total = res.Total
	v.Pages = max((res.Total+searchPageSize-1)/searchPageSize, 1)
	qs := url.Values{}
	for k, x := range map[string]string{"q": v.Q, "type": v.Type, "issuer": v.Issuer, "from": v.From, "to": v.To} {
		if x != "" {
			qs.Set(k, x)
		}
	}
	v.Query = qs.Encode()
	v.Result = []hitView{}
	for _, h := range res.Hits {
		snip := h.Snippet
		if snip == "" {
			snip = template.HTMLEscapeString(h.Subject)
		}
		v.Result = append(v.Result, hitView{DocumentHit: h, Snippet: safeSnippet(snip)})
	}
	return "search", p, nil
}

// yearParam reads an optional year filter; EInvalid names field otherwise.
func yearParam(field, s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 1900 || y > 2100 {
		return 0, danvan.Invalid(field, "write a year such as 2024", "hãy ghi năm, ví dụ 2024")
	}
	return y, nil
}

// notifPageSize is the inbox page size.
const notifPageSize = 50

// webNotifications is the inbox: unread first, then newest first, in pages.
func (s *Server) webNotifications(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p := page{Title: msg(pageLang(r), "notif.title"), HTMX: true, Data: map[string]any{"Page": 1, "Pages": 1}}
	if r.Method == http.MethodPost {
		if err := s.markRead(ctx, u, r.FormValue("id")); err != nil {
			return "notifications", p, err
		}
	}
	f := danvan.NotificationFilter{Limit: 5000}
	if u.Role == danvan.RoleOfficer {
		f.UnitCode = u.UnitCode
	}
	ns, err := s.Notifications.FindNotifications(ctx, f)
	if err != nil {
		return "notifications", p, err
	}
	unread := 0
	for _, n := range ns {
		if n.ReadAt == nil {
			unread++
		}
	}
	sort.SliceStable(ns, func(i, j int) bool { return ns[i].ReadAt == nil && ns[j].ReadAt != nil })
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	pages := max((len(ns)+notifPageSize-1)/notifPageSize, 1)
	pageNo = min(max(pageNo, 1), pages)
	items := ns[min((pageNo-1)*notifPageSize, len(ns)):min(pageNo*notifPageSize, len(ns))]
	p.Data = map[string]any{"Items": items, "Page": pageNo, "Pages": pages, "Unread": unread, "Total": len(ns)}
	return "notifications", p, nil
}
