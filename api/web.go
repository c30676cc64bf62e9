package api

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/summary"
)

//go:embed templates/*.html
var templateFS embed.FS

var vnZone = time.FixedZone("ICT", 7*3600)

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"viDate": func(s string) string {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("02/01/2006")
		}
		return s
	},
	"viTime": func(v any) string {
		switch t := v.(type) {
		case time.Time:
			return t.In(vnZone).Format("15:04 02/01/2006")
		case *time.Time:
			if t != nil {
				return t.In(vnZone).Format("15:04 02/01/2006")
			}
		}
		return ""
	},
	"statusVI": statusVI,
	"blockVI":  func(b string) string { return summary.TierLabel[b] }, // agency page (webagency.go)
	"actionVI": func(s string) string { return actionVI[s] },
	"kindVI": func(k string) string {
		return map[string]string{danvan.NotifyReminder: "nhắc hạn", danvan.NotifyOverdue: "quá hạn", danvan.NotifyEscalation: "báo người đứng đầu",
			danvan.NotifySubmitted: "đã nộp", danvan.NotifyAccepted: "tiếp nhận", danvan.NotifyReturned: "yêu cầu bổ sung", danvan.NotifyExtended: "gia hạn"}[k]
	},
	"inc": func(i int) int { return i + 1 },
	"dec": func(i int) int { return i - 1 },
	"relVI": func(r string) string {
		return map[string]string{"can_cu": "căn cứ", "thuc_hien": "thực hiện", "thay_the": "thay thế", "dan_chieu": "dẫn chiếu"}[r]
	},
	"clip": func(s string, n int) string {
		if r := []rune(s); len(r) > n {
			return string(r[:n]) + "…"
		}
		return s
	},
	// Placeholders so templates parse; render binds them per request.
	"csrfField": func() template.HTML { return "" },
	"csrfToken": func() string { return "" },
	"list":      func(xs ...string) []string { return xs },
	"cspNonce":  func() string { return "" },
	"roleVI": func(r string) string {
		return map[string]string{danvan.RoleAdmin: "quản trị", danvan.RoleOfficer: "cán bộ đơn vị",
			danvan.RoleInspector: "kiểm tra", danvan.RoleReader: "tra cứu"}[r]
	},
}).ParseFS(templateFS, "templates/*.html"))

func statusVI(s string) string {
	return map[string]string{danvan.StatusPending: "chưa nộp", danvan.StatusSubmitted: "đã nộp", danvan.StatusAccepted: "đã tiếp nhận",
		danvan.StatusReturned: "yêu cầu bổ sung", danvan.StatusOverdue: "quá hạn", danvan.StatusDoneLate: "hoàn thành trễ hạn"}[s]
}

type page struct {
	Title string
	User  *danvan.User
	Error string
	Flash string
	Data  any
}

func (s *Server) webRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.webHome)
	mux.HandleFunc("GET /chu-ky", s.webPage(s.webCycles))
	mux.HandleFunc("GET /chu-ky/{id}", s.webPage(s.webCycle))
	mux.HandleFunc("GET /tra-cuu", s.webPage(s.webSearch))
	mux.HandleFunc("GET /thong-bao", s.webPage(s.webNotifications))
	mux.HandleFunc("POST /thong-bao/doc", s.webPage(s.webNotifications))
	s.webTaskRoutes(mux)
	mux.HandleFunc("GET /don-vi", s.webPage(func(ctx context.Context, _ *danvan.User, _ *http.Request) (string, page, error) {
		units, err := s.Units.ListUnits(ctx)
		return "units", page{Title: "Đơn vị", Data: units}, err
	}))
	mux.HandleFunc("POST /don-vi", s.webPage(s.webImportUnits))
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

// render executes page name with the request's CSRF token and CSP nonce:
// every form writes {{csrfField}}, every inline script carries
// nonce="{{cspNonce}}".
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	csrf := ""
	if sess := sessionFrom(r.Context()); sess != nil {
		csrf = sess.CSRF
	}
	nonce := nonceFrom(r.Context())
	t, err := pages.Clone()
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
			p.Error = e.MessageVI
			for i, f := range e.Fields {
				sep := "; "
				if i == 0 {
					sep = ": "
				}
				p.Error += sep + f.MessageVI
			}
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
	s.render(w, r, "home", page{Title: "Trang chủ", User: u, Data: map[string]any{"Checks": checks, "Version": s.Version}})
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

// webPageSize bounds the task rows on one cycle page: a province cycle
// has tens of thousands of tasks.
const webPageSize = 300

func (s *Server) webCycle(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p := page{Title: "Chu kỳ"}
	q := r.URL.Query()
	c, f, err := s.scopedCycle(ctx, u, r.PathValue("id"), q.Get("unit"))
	if err != nil {
		return "cycles", p, err
	}
	f.Status = q.Get("status")
	all, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: c.ID, UnitCode: f.UnitCode})
	if err != nil {
		return "cycles", p, err
	}
	summary := map[string]int{}
	var tasks []danvan.Task
	for _, t := range all {
		summary[t.Status]++
		if f.Status == "" || t.Status == f.Status {
			tasks = append(tasks, t)
		}
	}
	pageNo, _ := strconv.Atoi(q.Get("trang"))
	pageNo = max(pageNo, 1)
	pages := max((len(tasks)+webPageSize-1)/webPageSize, 1)
	pageNo = min(pageNo, pages)
	tasks = tasks[min((pageNo-1)*webPageSize, len(tasks)):min(pageNo*webPageSize, len(tasks))]
	byUnit := map[string]*UnitTasks{}
	var units []*UnitTasks
	for _, t := range tasks {
		ut := byUnit[t.UnitCode]
		if ut == nil {
			ut = &UnitTasks{Unit: t.UnitCode}
			byUnit[t.UnitCode] = ut
			units = append(units, ut)
		}
		ut.Tasks = append(ut.Tasks, taskStatus(t))
	}
	var statuses []statusCount
	for _, st := range []string{danvan.StatusPending, danvan.StatusSubmitted, danvan.StatusReturned, danvan.StatusOverdue,
		danvan.StatusAccepted, danvan.StatusDoneLate} {
		statuses = append(statuses, statusCount{st, summary[st]})
	}
	p.Title = c.Definition.Title
	p.Data = map[string]any{"Cycle": c, "Units": units, "Summary": statuses, "Filter": f, "Page": pageNo, "Pages": pages, "Total": len(all)}
	return "cycle", p, nil
}

type statusCount struct {
	Status string
	Count  int
}

type searchView struct {
	Q, Type, From, To string
	Result            []hitView
}

type hitView struct {
	DocumentHit
	Snippet template.HTML
}

// safeSnippet escapes everything and then restores only <mark> tags.
func safeSnippet(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	esc = strings.ReplaceAll(esc, "&lt;mark&gt;", "<mark>")
	esc = strings.ReplaceAll(esc, "&lt;/mark&gt;", "</mark>")
	return template.HTML(esc) //nolint:gosec // escaped above
}

func (s *Server) webSearch(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	q := r.URL.Query()
	v := searchView{Q: q.Get("q"), Type: q.Get("type"), From: q.Get("from"), To: q.Get("to")}
	p := page{Title: "Tra cứu văn bản", Data: &v}
	if s.Documents == nil || (v.Q == "" && v.Type == "" && v.From == "" && v.To == "") {
		return "search", p, nil
	}
	dq := DocumentQuery{Q: v.Q, Type: v.Type, Limit: 50}
	dq.From, _ = strconv.Atoi(v.From)
	dq.To, _ = strconv.Atoi(v.To)
	res, err := s.boundedSearch(ctx, dq)
	if err != nil {
		return "search", p, err
	}
	v.Result = []hitView{}
	for _, h := range res.Hits {
		snip := h.Snippet
		if snip == "" {
			snip = h.Subject
		}
		v.Result = append(v.Result, hitView{DocumentHit: h, Snippet: safeSnippet(snip)})
	}
	return "search", p, nil
}

func (s *Server) webNotifications(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	if r.Method == http.MethodPost {
		if err := s.markRead(ctx, u, r.FormValue("id")); err != nil {
			return "notifications", page{Title: "Thông báo"}, err
		}
	}
	f := danvan.NotificationFilter{Limit: 200, Unread: r.URL.Query().Get("chua-doc") == "1"}
	if u.Role == danvan.RoleOfficer {
		f.UnitCode = u.UnitCode
	}
	ns, err := s.Notifications.FindNotifications(ctx, f)
	return "notifications", page{Title: "Thông báo", Data: ns}, err
}
