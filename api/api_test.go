package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/cite"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

// fakeEngine records what reaches the workflow engine. Like the workflow
// it records each stored submission (so the content routes can be read)
// and answers a repeated idempotency key with the first result.
type fakeEngine struct {
	failStart error
	started   []*danvan.Cycle
	submitted []*danvan.Submission
	decided   []*danvan.Decision
	tasks     danvan.TaskService
	keys      map[string]*danvan.Task
}

func (f *fakeEngine) StartCycle(_ context.Context, c *danvan.Cycle) error {
	if err := f.failStart; err != nil {
		f.failStart = nil
		return err
	}
	f.started = append(f.started, c)
	return nil
}

func (f *fakeEngine) Submit(ctx context.Context, s *danvan.Submission, key string) (*danvan.Task, error) {
	if t, ok := f.keys["submit/"+key]; ok && key != "" {
		return t, nil
	}
	if s.ID == 0 {
		return nil, errors.New("submission not stored before the engine was told")
	}
	if f.tasks != nil {
		rec, err := f.tasks.RecordSubmission(ctx, s.ID, time.Now())
		if err != nil {
			return nil, err
		}
		s.Seq, s.SubmittedAt = rec.Seq, rec.SubmittedAt
	}
	f.submitted = append(f.submitted, s)
	t := &danvan.Task{CycleID: s.CycleID, UnitCode: s.UnitCode, Kind: s.Kind, Status: danvan.StatusSubmitted}
	f.remember("submit/"+key, t)
	return t, nil
}

func (f *fakeEngine) remember(key string, t *danvan.Task) {
	if f.keys == nil {
		f.keys = map[string]*danvan.Task{}
	}
	f.keys[key] = t
}

func (f *fakeEngine) Decide(_ context.Context, d *danvan.Decision, key string) (*danvan.Task, error) {
	if t, ok := f.keys[d.Action+"/"+key]; ok && key != "" {
		return t, nil
	}
	f.decided = append(f.decided, d)
	t := &danvan.Task{CycleID: d.CycleID, UnitCode: d.UnitCode, Kind: d.Kind, Status: danvan.StatusAccepted}
	f.remember(d.Action+"/"+key, t)
	return t, nil
}

func (f *fakeEngine) LiveTasks(_ context.Context, cycleID, unit string) ([]danvan.Task, error) {
	return []danvan.Task{{CycleID: cycleID, UnitCode: unit, Kind: "unit_plan", Status: danvan.StatusPending}}, nil
}

type fakeDocs struct{}

func (fakeDocs) SearchDocuments(_ context.Context, q api.DocumentQuery) (*api.DocumentResults, error) {
	return &api.DocumentResults{Total: 1, Hits: []api.DocumentHit{{ID: "1", Number: "33/CT-TTg", Type: "Chỉ thị",
		Snippet: "<mark>Chỉ thị</mark> <script>x</script>", Subject: q.Q}}}, nil
}

func (fakeDocs) ImportDocuments(_ context.Context, in []registry.ImportInput) (*registry.ImportReport, error) {
	rep := &registry.ImportReport{}
	for _, x := range in {
		if strings.Contains(x.Text, "Số:") {
			rep.Imported++
			rep.Files = append(rep.Files, registry.FileReport{File: x.Name, Imported: true, Number: "1/QĐ-UBND", Type: "Quyết định"})
		} else {
			rep.Failed++
			rep.Files = append(rep.Files, registry.FileReport{File: x.Name, Error: danvan.Errorf(danvan.EInvalid, "no number", "không có số")})
		}
	}
	return rep, nil
}

func (fakeDocs) ShowDocument(_ context.Context, id string) (*registry.DocumentView, error) {
	if id != "33/CT-TTg" {
		return nil, danvan.Errorf(danvan.ENotFound, "document %q not found", "không tìm thấy %q", id)
	}
	by := &danvan.Document{ID: 7, Number: "45/2021/QĐ-UBND", Type: "Quyết định", Date: "2021-06-01"}
	return &registry.DocumentView{Document: &danvan.Document{Number: id}, Status: danvan.DocReplaced,
		StatusVI: "đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021",
		Validity: []danvan.Validity{{Kind: danvan.ValReplaced, KindVI: "thay thế", Sentence: "Quyết định này thay thế Chỉ thị số 33/CT-TTg.",
			By: by, SaidBy: by}}}, nil
}

type env struct {
	db     *store.DB
	t      *testing.T
	srv    *httptest.Server
	engine *fakeEngine
	tokens map[string]string
	logins map[string]string
	server *api.Server
	// client validates every API request and response against the
	// OpenAPI document.
	client *http.Client
}

// testPassword is every test user's password.
const testPassword = "mật khẩu thử nghiệm"

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{
		{Code: "OWN", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment},
		{Code: "A", Name: "Đơn vị A", ParentCode: "OWN", Kind: danvan.UnitDepartment},
		{Code: "B", Name: "Đơn vị B", ParentCode: "OWN", Kind: danvan.UnitDepartment},
	})
	require.NoError(t, err)
	users := store.NewUserService(db)
	e := &env{db: db, t: t, engine: &fakeEngine{tasks: store.NewTaskService(db)}, tokens: map[string]string{}, logins: map[string]string{}}
	for name, u := range map[string]danvan.User{
		"admin": {Login: "admin", Name: "Quản trị", Role: danvan.RoleAdmin}, "a": {Login: "officer-a", Name: "Cán bộ A", Role: danvan.RoleOfficer, UnitCode: "A"},
		"b": {Login: "officer-b", Name: "Cán bộ B", Role: danvan.RoleOfficer, UnitCode: "B"}, "reader": {Login: "reader", Name: "Tra cứu", Role: danvan.RoleReader},
		"inspector": {Login: "inspector", Name: "Kiểm tra", Role: danvan.RoleInspector},
	} {
		tok, err := users.CreateUser(ctx, &u)
		require.NoError(t, err)
		require.NoError(t, users.SetPassword(ctx, u.Login, testPassword))
		e.tokens[name] = tok
		e.logins[name] = u.Login
	}
	cycles, tasks := store.NewCycleService(db), store.NewTaskService(db)
	require.NoError(t, cycles.CreateCycle(ctx, &danvan.Cycle{ID: "2022-OWN", Units: []string{"A", "B"}, Status: danvan.CycleRunning,
		StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: 2022, Title: "2022", Owner: "OWN"}}))
	for _, u := range []string{"A", "B"} {
		require.NoError(t, tasks.UpsertTask(ctx, &danvan.Task{CycleID: "2022-OWN", UnitCode: u, Kind: "unit_plan", Title: "Kế hoạch",
			Status: danvan.StatusPending, Due: time.Now().Add(time.Hour), Version: 1}))
	}
	s := &api.Server{Units: units, Cycles: cycles, Tasks: tasks, Notifications: store.NewNotificationService(db), Users: users,
		Audit: store.NewAuditService(db), Engine: e.engine, Documents: fakeDocs{},
		Checks: []api.Check{{Name: "postgres", Ping: db.Ping}}, ReadText: cite.ReadBytes,
		Accounts: users, Throttle: store.NewLoginThrottle(db), AuditLog: store.NewAuditService(db),
		Drafts: store.NewUIQueries(db), History: store.NewUIQueries(db)}
	e.server = s
	e.client = &http.Client{Transport: newValidator(t)}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request as who ("" = anonymous) and returns status and body.
func (e *env) do(who, method, path, body string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(e.t, err)
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAPI_Auth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, body := e.do("", "GET", "/api/cycles", "")
	require.Equal(t, http.StatusUnauthorized, code)
	require.Contains(t, body, "Bearer")
	require.Contains(t, body, "đăng nhập")
	e.tokens["bad"] = "dv_nope"
	code, _ = e.do("bad", "GET", "/api/cycles", "")
	require.Equal(t, http.StatusUnauthorized, code)
	code, _ = e.do("", "GET", "/healthz", "")
	require.Equal(t, http.StatusOK, code)
	code, body = e.do("admin", "GET", "/api/nothing", "")
	require.Equal(t, http.StatusNotFound, code, body)
}

// TestAPI_UnitScoping: a unit can never see or change another unit's work.
func TestAPI_UnitScoping(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	submit := `{"text": "Kế hoạch thực hiện", "number": "5/KH-B"}`

	code, body := e.do("b", "GET", "/api/cycles/2022-OWN", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"unit": "B"`)
	require.NotContains(t, body, `"unit": "A"`, "B sees only its own tasks")

	code, body = e.do("b", "GET", "/api/cycles/2022-OWN/export.csv", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Đơn vị B")
	require.NotContains(t, body, "Đơn vị A", "the export is scoped like the status")
	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/export.csv", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 4, strings.Count(body, "\n"), "two header lines and a row per task: %s", body)
	require.True(t, strings.HasPrefix(body, "\xef\xbb\xbfMã đơn vị,"))
	code, _ = e.do("b", "GET", "/api/cycles/2022-OWN/units/A/tasks/unit_plan", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("b", "GET", "/api/cycles/2022-OWN/units/A/live", "")
	require.Equal(t, http.StatusNotFound, code)
	code, body = e.do("b", "GET", "/api/cycles/2022-OWN/units/B/live", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"status": "pending"`)
	code, _ = e.do("b", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/submit", submit)
	require.Equal(t, http.StatusNotFound, code, "B cannot submit for A")
	code, _ = e.do("reader", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/submit", submit)
	require.Equal(t, http.StatusForbidden, code, "readers read but do not act")
	code, _ = e.do("b", "GET", "/api/notifications?unit=A", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("b", "POST", "/api/cycles/2022-OWN/units/B/tasks/unit_plan/accept", "")
	require.Equal(t, http.StatusForbidden, code, "only administrators decide")
	require.Empty(t, e.engine.submitted)
	require.Empty(t, e.engine.decided)

	code, body = e.do("b", "POST", "/api/cycles/2022-OWN/units/B/tasks/unit_plan/submit", submit)
	require.Equal(t, http.StatusOK, code, body)
	require.Len(t, e.engine.submitted, 1)
	got := e.engine.submitted[0]
	require.Equal(t, "B", got.UnitCode, "the unit comes from the path the officer may act for")
	require.Equal(t, "Cán bộ B", got.SubmittedBy)

	code, body = e.do("admin", "POST", "/api/cycles/2022-OWN/units/B/tasks/unit_plan/return", `{"reason": "Bổ sung số liệu"}`)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "return", e.engine.decided[0].Action)
}

func TestAPI_BadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/submit", `{"text": ""}`)
	require.Equal(t, http.StatusBadRequest, code)
	var out struct {
		Error danvan.Error `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.Equal(t, danvan.EInvalid, out.Error.Code)
	require.Equal(t, "text", out.Error.Fields[0].Field)
	require.Contains(t, out.Error.Fields[0].MessageVI, "bắt buộc")

	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/submit", `{"txt": "typo"}`)
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "txt")

	code, _ = e.do("admin", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/return", `{}`)
	require.Equal(t, http.StatusBadRequest, code, "a return needs a reason")
	code, _ = e.do("admin", "POST", "/api/cycles/2022-OWN/units/A/tasks/unit_plan/extend", `{"new_due": "31/4/2022"}`)
	require.Equal(t, http.StatusBadRequest, code, "dates are YYYY-MM-DD or RFC 3339")

	bad := `{"year": 1990, "title": "", "owner": "OWN", "scope": ["A", "ZZZ"], "tasks": [{"kind": "Unit Plan", "title": "x", "due": "2022-02-30"}],
		"parent_plan": {"number": "53/KH-UBND", "date": "2022-03-23", "issuer": "UBND tỉnh"}, "reminders": {"before": ["soon"]}}`
	code, body = e.do("admin", "POST", "/api/cycles", bad)
	require.Equal(t, http.StatusBadRequest, code)
	for _, f := range []string{"year", "title", "tasks[0].kind", "tasks[0].due", "reminders.before[0]"} {
		require.Contains(t, body, `"field": "`+f+`"`)
	}
	require.Empty(t, e.engine.started)

	unknownUnit := strings.Replace(strings.Replace(bad, `"year": 1990, "title": ""`, `"year": 2023, "title": "2023"`, 1), `"Unit Plan"`, `"unit_plan"`, 1)
	unknownUnit = strings.Replace(strings.Replace(unknownUnit, "2022-02-30", "2023-04-08", 1), `"soon"`, `"7d"`, 1)
	code, body = e.do("admin", "POST", "/api/cycles", unknownUnit)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "ZZZ")

	ok := strings.Replace(unknownUnit, `, "ZZZ"`, "", 1)
	// The engine refuses the definition: nothing is left behind.
	e.engine.failStart = danvan.Errorf(danvan.EInvalid, "bad plan", "kế hoạch sai")
	code, body = e.do("admin", "POST", "/api/cycles", ok)
	require.Equal(t, http.StatusBadRequest, code, body)
	code, body = e.do("admin", "GET", "/api/cycles/2023-OWN", "")
	require.Equal(t, http.StatusNotFound, code, body)
	// The engine is unreachable: the row stays (the start may have
	// happened) and starting again starts it.
	e.engine.failStart = danvan.Errorf(danvan.EUnavailable, "temporal down", "temporal không sẵn sàng")
	code, body = e.do("admin", "POST", "/api/cycles", ok)
	require.Equal(t, http.StatusServiceUnavailable, code, body)
	require.Empty(t, e.engine.started)
	code, body = e.do("a", "POST", "/api/cycles", ok)
	require.Equal(t, http.StatusForbidden, code, body)
	code, body = e.do("admin", "POST", "/api/cycles", ok)
	require.Equal(t, http.StatusCreated, code, body)
	require.Equal(t, []string{"A"}, e.engine.started[0].Units)
	e.engine.failStart = danvan.Errorf(danvan.EConflict, "running", "đang chạy")
	code, _ = e.do("admin", "POST", "/api/cycles", ok)
	require.Equal(t, http.StatusConflict, code)

	// A cascaded cycle: A passes the work on to its own units.
	child := strings.Replace(strings.Replace(ok, `"owner": "OWN"`, `"owner": "A", "parent": "2023-OWN"`, 1), `"scope": ["A"]`, `"scope": ["B"]`, 1)
	code, body = e.do("admin", "POST", "/api/cycles", child)
	require.Equal(t, http.StatusCreated, code, body)
	require.Equal(t, "2023-A", e.engine.started[1].ID)
	orphan := strings.Replace(child, `"owner": "A"`, `"owner": "B"`, 1)
	orphan = strings.Replace(orphan, `"scope": ["B"]`, `"scope": ["A"]`, 1)
	code, body = e.do("admin", "POST", "/api/cycles", orphan)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "not in the scope")
	code, body = e.do("admin", "GET", "/api/cycles/2023-OWN", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"id": "2023-A"`, "the child cycle rolls up into its parent's status")
}

func TestAPI_Documents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, body := e.do("reader", "GET", "/api/documents?q=chi+thi+33&type=CT&from=2000&to=2030", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"cited_by"`)
	code, _ = e.do("reader", "GET", "/api/documents?from=abc", "")
	require.Equal(t, http.StatusBadRequest, code)
	code, body = e.do("reader", "GET", "/api/documents/33/CT-TTg", "")
	require.Equal(t, http.StatusOK, code, body)
	code, _ = e.do("reader", "GET", "/api/documents/1/X", "")
	require.Equal(t, http.StatusNotFound, code)

	upload := func(who string, files map[string]string) (int, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for name, body := range files {
			fw, _ := w.CreateFormFile("file", name)
			fw.Write([]byte(body))
		}
		w.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/documents", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body = upload("admin", map[string]string{"a.txt": "Số: 1/QĐ-UBND\nQuyết định", "b.txt": "no header"})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"imported": 1`)
	require.Contains(t, body, `"failed": 1`)
	code, _ = upload("a", map[string]string{"a.txt": "Số: 1/QĐ-UBND"})
	require.Equal(t, http.StatusForbidden, code, "only administrators import")
	code, _ = upload("admin", map[string]string{"a.pdf": "%PDF"})
	require.Equal(t, http.StatusBadRequest, code, "unsupported file types are refused with a message")
}

func TestWeb_Pages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(e.srv.URL + "/chu-ky")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "pages need a sign-in")

	resp, err = client.PostForm(e.srv.URL+"/dang-nhap", map[string][]string{"login": {"officer-b"}, "password": {testPassword}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	cookie := resp.Cookies()[0]
	require.Equal(t, api.SessionCookie, cookie.Name)
	require.True(t, cookie.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, cookie.SameSite)

	get := func(path string) string {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.AddCookie(cookie)
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/chu-ky/2022-OWN")
	require.Contains(t, page, "chưa nộp: 1", "the summary counts only B's task")
	require.NotContains(t, get("/chu-ky/2022-OWN?status=overdue"), `<th scope="row">B<br>`, "the status filter applies")
	require.Contains(t, page, `<th scope="row">B<br>`)
	require.NotContains(t, page, `<th scope="row">A<br>`, "officer B's page shows only B")
	page = get("/tra-cuu?q=chi+thi+33")
	require.Contains(t, page, "<mark>Chỉ thị</mark>")
	require.NotContains(t, page, "<script>", "snippets are escaped except <mark>")
	require.Contains(t, get("/viec-cua-toi"), "/chu-ky/2022-OWN/B/unit_plan", "B's home lists B's task")
	require.Contains(t, get("/van-ban/33/CT-TTg"), "Được dẫn chiếu bởi")
	require.Contains(t, get("/van-ban/33/CT-TTg"), "<td>đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021</td>", "validity on the page")
	require.Contains(t, get("/van-ban/33/CT-TTg"), "«Quyết định này thay thế Chỉ thị số 33/CT-TTg.»")
	require.Contains(t, get("/van-ban/9/X"), "không tìm thấy")
	require.Contains(t, get("/don-vi"), "Đơn vị B")

	page = get("/chu-ky/2022-OWN/B/unit_plan")
	require.Contains(t, page, "Nộp văn bản", "B's officer gets the submit form")
	require.NotContains(t, page, "Tiếp nhận", "but not the administrator's buttons")
	require.Contains(t, get("/chu-ky/2022-OWN/A/unit_plan"), "không tìm thấy", "nor A's task")

	csrf := csrfOf(t, get("/chu-ky"))
	post := func(path string, form url.Values) (int, string) {
		if form == nil {
			form = url.Values{}
		}
		form.Set(api.CSRFField, csrf)
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(cookie)
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post("/chu-ky/2022-OWN/B/unit_plan/nop", url.Values{"number": {"5/KH-B"}, "text": {"Kế hoạch của đơn vị B"}})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Đã nộp.")
	require.Len(t, e.engine.submitted, 1)
	require.Equal(t, "5/KH-B", e.engine.submitted[0].Number)

	code, body = post("/chu-ky/2022-OWN/B/unit_plan/nop", url.Values{"text": {""}})
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "Dữ liệu không hợp lệ: text: bắt buộc phải nhập")
	code, _ = post("/chu-ky/2022-OWN/A/unit_plan/nop", url.Values{"text": {"x"}})
	require.Equal(t, http.StatusNotFound, code, "B cannot submit for A from the web either")
	code, _ = post("/chu-ky/2022-OWN/B/unit_plan/accept", nil)
	require.Equal(t, http.StatusForbidden, code)
	require.Len(t, e.engine.submitted, 1)
	require.Empty(t, e.engine.decided)
}

// TestWeb_Admin: an administrator imports units and starts a cycle from the
// web UI; an officer cannot.
func TestWeb_Admin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sessions := map[string][2]string{}
	post := func(who, path string, fields map[string]string) (int, string) {
		if _, ok := sessions[who]; !ok {
			c, csrf := e.login(who)
			sessions[who] = [2]string{c.Value, csrf}
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField(api.CSRFField, sessions[who][1])
		for k, v := range fields {
			if k == "file" {
				fw, _ := w.CreateFormFile("file", "upload")
				fw.Write([]byte(v))
			} else {
				w.WriteField(k, v)
			}
		}
		w.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+path, &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: sessions[who][0]})
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post("admin", "/don-vi", map[string]string{"file": "code,name,parent_code,kind\nC,Đơn vị C,OWN,commune\n"})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Xem trước thay đổi", "an import is previewed first")
	require.NotContains(t, body, `href="/don-vi/C"`, "and changes nothing yet")
	code, body = post("admin", "/don-vi", map[string]string{"action": "apply", "data": `[{"code":"C","name":"Đơn vị C","parent_code":"OWN","kind":"commune"}]`})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "1 đơn vị mới")
	require.Contains(t, body, "Đơn vị C")
	code, body = post("admin", "/don-vi", map[string]string{"file": "code,name,parent_code,kind\nD,Đơn vị D,NOPE,commune\n"})
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "dòng 1 parent_code")
	code, _ = post("a", "/don-vi", map[string]string{"file": "code,name,parent_code,kind\nE,E,,other\n"})
	require.Equal(t, http.StatusForbidden, code)

	def := `{"year": 2027, "title": "Dân vận 2027", "owner": "OWN", "scope": ["A", "C"],
		"parent_plan": {"number": "9/KH-UBND", "date": "2027-01-10", "issuer": "UBND tỉnh"},
		"tasks": [{"kind": "unit_plan", "title": "Kế hoạch", "due": "2027-03-31"}]}`
	code, body = post("admin", "/chu-ky", map[string]string{"definition": def})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Đã khởi động chu kỳ 2027-OWN cho 2 đơn vị")
	require.Equal(t, []string{"A", "C"}, e.engine.started[0].Units)
	code, body = post("admin", "/chu-ky", map[string]string{"definition": `{"year": 2027}`})
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "bắt buộc")
	code, _ = post("b", "/chu-ky", map[string]string{"definition": def})
	require.Equal(t, http.StatusForbidden, code)
	require.Len(t, e.engine.started, 1)

	code, body = post("admin", "/tra-cuu/nhap", map[string]string{"file": "Số: 1/QĐ-UBND\nQuyết định"})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Đã nhập 1, lỗi 0")
	code, _ = post("reader", "/tra-cuu/nhap", map[string]string{"file": "Số: 1/QĐ-UBND"})
	require.Equal(t, http.StatusForbidden, code)
}

func TestAPI_NotificationsRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ns := store.NewNotificationService(e.db)
	n := danvan.Notification{ID: "2022-OWN/B/unit_plan/reminder/1", CycleID: "2022-OWN", UnitCode: "B", TaskKind: "unit_plan",
		Kind: danvan.NotifyReminder, Subject: "Nhắc nhở", Body: "Hạn 08/04/2022", Due: time.Now()}
	_, err := ns.CreateNotification(context.Background(), &n)
	require.NoError(t, err)

	code, _ := e.do("a", "POST", "/api/notifications/"+n.ID+"/read", "")
	require.Equal(t, http.StatusNotFound, code, "A cannot touch B's inbox")
	code, body := e.do("b", "GET", "/api/notifications?unread=1", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, n.ID)
	code, body = e.do("b", "POST", "/api/notifications/"+n.ID+"/read", "")
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("b", "GET", "/api/notifications?unread=1", "")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, n.ID)
	code, _ = e.do("b", "POST", "/api/notifications/nope/read", "")
	require.Equal(t, http.StatusNotFound, code)
}

// login signs who in through POST /api/login and returns the session
// cookie and the CSRF token.
func (e *env) login(who string) (*http.Cookie, string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"login": e.logins[who], "password": testPassword})
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&out))
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			return c, out.CSRFToken
		}
	}
	e.t.Fatal("no session cookie")
	return nil, ""
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfOf returns the CSRF token of the first form on page.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	require.NotNil(t, m, "the page has a form with the CSRF token")
	return m[1]
}

// TestWeb_Drafts: an officer's draft survives on the server, only for its
// own unit, and goes away once the task is submitted.
func TestWeb_Drafts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/ban-nhap/chu-ky/2022-OWN/B/unit_plan"
	code, _ := e.do("b", "GET", path, "")
	require.Equal(t, http.StatusNotFound, code, "no draft yet")
	code, body := e.do("b", "PUT", path, `{"fields": {"number": "5/KH-B", "text": "Kế hoạch đang viết"}}`)
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("b", "GET", path, "")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Kế hoạch đang viết")
	code, _ = e.do("a", "GET", path, "")
	require.Equal(t, http.StatusNotFound, code, "A cannot read B's draft")
	code, _ = e.do("a", "PUT", path, `{"fields": {"text": "x"}}`)
	require.Equal(t, http.StatusNotFound, code, "nor write one")
	code, body = e.do("b", "PUT", path, `{"fields": "nope"}`)
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "fields")
	code, body = e.do("b", "GET", path, "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Kế hoạch đang viết", "a bad save loses nothing")
}
