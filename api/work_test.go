package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/cite"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

// newWorkEnv is newEnv with the unit's work configured, two cycles (2021
// and 2022) so reports can be compared with the previous year, and a
// commune (C) to filter models by tier.
func newWorkEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{
		{Code: "OWN", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment},
		{Code: "A", Name: "Đơn vị A", ParentCode: "OWN", Kind: danvan.UnitDepartment},
		{Code: "B", Name: "Đơn vị B", ParentCode: "OWN", Kind: danvan.UnitDepartment},
		{Code: "C", Name: "Xã C", ParentCode: "OWN", Kind: danvan.UnitCommune},
	})
	require.NoError(t, err)
	users := store.NewUserService(db)
	e := &env{db: db, t: t, engine: &fakeEngine{tasks: store.NewTaskService(db)}, tokens: map[string]string{}, logins: map[string]string{},
		// The unit-work routes are described in openapi-work.yaml, not yet
		// in the one document the validating client reads.
		client: http.DefaultClient}
	for name, u := range map[string]danvan.User{
		"admin": {Name: "Quản trị", Role: danvan.RoleAdmin}, "a": {Name: "Cán bộ A", Role: danvan.RoleOfficer, UnitCode: "A"},
		"b": {Name: "Cán bộ B", Role: danvan.RoleOfficer, UnitCode: "B"}, "c": {Name: "Cán bộ C", Role: danvan.RoleOfficer, UnitCode: "C"},
		"reader": {Name: "Tra cứu", Role: danvan.RoleReader},
	} {
		tok, err := users.CreateUser(ctx, &u)
		require.NoError(t, err)
		e.tokens[name] = tok
	}
	cycles := store.NewCycleService(db)
	for _, y := range []int{2021, 2022} {
		require.NoError(t, cycles.CreateCycle(ctx, &danvan.Cycle{ID: fmt.Sprintf("%d-OWN", y), Units: []string{"A", "B", "C"},
			Status: danvan.CycleRunning, StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: y, Title: "DVCQ", Owner: "OWN"}}))
	}
	s := &api.Server{Units: units, Cycles: cycles, Tasks: store.NewTaskService(db), Notifications: store.NewNotificationService(db),
		Users: users, Audit: store.NewAuditService(db), Engine: e.engine, Documents: fakeDocs{},
		Models: store.NewModelService(db), Reports: store.NewReportService(db), ReadText: cite.ReadBytes}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

func readExample(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../examples/" + name)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func fieldsOf(t *testing.T, body string) []danvan.FieldError {
	t.Helper()
	var e struct {
		Error danvan.Error `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	return e.Error.Fields
}

func TestWork_ReportLife(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	annual := readExample(t, "annual-report.json")
	signed := base64.StdEncoding.EncodeToString([]byte("Báo cáo số 2035/BC-VP, căn cứ Kế hoạch số 53/KH-UBND ngày 23/3/2022"))
	req := map[string]any{"report": annual, "attachments": []map[string]any{{"name": "bao-cao-ky.txt", "data": signed}}}

	// Last year's report, with smaller figures, for the comparison.
	prev := readExample(t, "annual-report.json")
	prev["figures"].(map[string]any)["tcd.luot"] = 100.0
	prev["figures"].(map[string]any)["tcd.vu_viec"] = 50.0
	code, body := e.do("a", "POST", "/api/cycles/2021-OWN/units/A/reports/annual_report", js(t, map[string]any{"report": prev}))
	require.Equal(t, http.StatusOK, code, body)

	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, req))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"status": "submitted"`)
	last := e.engine.submitted[len(e.engine.submitted)-1]
	require.Equal(t, danvan.TaskAnnualReport, last.Kind)
	require.Contains(t, last.Text, "Báo cáo số liệu: /api/cycles/2022-OWN/units/A/reports/annual_report")

	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/units/A/reports/annual_report", "")
	require.Equal(t, http.StatusOK, code, body)
	var view struct {
		Figures          map[string]float64 `json:"figures"`
		Derived          map[string]float64 `json:"derived"`
		Citations        []string           `json:"citations"`
		CatalogueVersion string             `json:"catalogue_version"`
		PreviousCycle    string             `json:"previous_cycle"`
		Attachments      []danvan.Attachment
		Comparison       []struct {
			Key      string   `json:"key"`
			Value    *float64 `json:"value"`
			Previous *float64 `json:"previous"`
			Change   *float64 `json:"change"`
		} `json:"comparison"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &view))
	require.Equal(t, 99.43, view.Derived["tthc.ty_le_dung_han"])
	require.Equal(t, "2026-12-01", view.CatalogueVersion)
	require.Equal(t, "2021-OWN", view.PreviousCycle)
	require.Contains(t, view.Citations, "53/KH-UBND")
	require.Contains(t, view.Citations, "495/KH-VP")
	require.Len(t, view.Attachments, 1)
	require.True(t, view.Attachments[0].HasText)
	for _, l := range view.Comparison {
		if l.Key == "tcd.luot" {
			require.Equal(t, 124.0, *l.Value)
			require.Equal(t, 100.0, *l.Previous)
			require.Equal(t, 24.0, *l.Change)
		}
	}

	// The attachment downloads for those who may see the unit only.
	path := fmt.Sprintf("/api/attachments/%d", view.Attachments[0].ID)
	code, body = e.do("reader", "GET", path, "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "2035/BC-VP")
	code, _ = e.do("b", "GET", path, "")
	require.Equal(t, http.StatusNotFound, code)

	// Another unit can neither read nor write A's report.
	code, _ = e.do("b", "GET", "/api/cycles/2022-OWN/units/A/reports/annual_report", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("b", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, req))
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("reader", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, req))
	require.Equal(t, http.StatusForbidden, code)
}

// TestWork_ReportRefusedWhole: a report that breaks a rule is refused with
// every problem named, and nothing of it (not even its attachment) is kept.
func TestWork_ReportRefusedWhole(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	bad := readExample(t, "midyear-report.json")
	figs := bad["figures"].(map[string]any)
	figs["tcd.vu_viec"] = 500.0        // part above its total
	figs["hai_long.ty_le"] = 101.0     // percentage out of range
	figs["don.khieu_nai"] = 16.0       // Biểu 01/XLD identity
	figs["tthc.ty_le_dung_han"] = 99.0 // derived, typed
	delete(bad["sections"].(map[string]any), "uu_diem")
	req := map[string]any{"report": bad, "attachments": []map[string]any{{"name": "a.txt", "data": base64.StdEncoding.EncodeToString([]byte("x"))}}}
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/midyear_report", js(t, req))
	require.Equal(t, http.StatusBadRequest, code, body)
	got := map[string]string{}
	for _, f := range fieldsOf(t, body) {
		got[f.Field+"/"+f.Rule] = f.MessageVI
	}
	require.Contains(t, got, "figures.tcd.vu_viec/at_most")
	require.Contains(t, got["figures.tcd.vu_viec/at_most"], "Số vụ việc tiếp nhận qua tiếp công dân")
	require.Contains(t, got, "figures.hai_long.ty_le/range")
	require.Contains(t, got, "figures.don.du_dieu_kien/identity")
	require.Contains(t, got, "figures.tthc.ty_le_dung_han/derived")
	require.Contains(t, got, "sections.uu_diem/required")
	require.Empty(t, e.engine.submitted)
	code, _ = e.do("a", "GET", "/api/cycles/2022-OWN/units/A/reports/midyear_report", "")
	require.Equal(t, http.StatusNotFound, code)
	var n int
	require.NoError(t, e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM attachments`).Scan(&n))
	require.Zero(t, n)

	// A bad attachment refuses the whole report too.
	req = map[string]any{"report": readExample(t, "midyear-report.json"), "attachments": []map[string]any{{"name": "virus.exe", "data": "eA=="}}}
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/midyear_report", js(t, req))
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "attachments[0].name")
	code, _ = e.do("a", "GET", "/api/cycles/2022-OWN/units/A/reports/midyear_report", "")
	require.Equal(t, http.StatusNotFound, code)
	// So does a wrong kind or a unit outside the cycle.
	code, _ = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/weekly", js(t, map[string]any{"report": readExample(t, "midyear-report.json")}))
	require.Equal(t, http.StatusBadRequest, code)
}

func TestWork_Catalogue(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	code, body := e.do("admin", "GET", "/api/catalogue", "")
	require.Equal(t, http.StatusOK, code)
	var cat map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &cat))
	require.Equal(t, "2026-12-01", cat["version"])

	// A province's catalogue: tcd.vu_viec no longer bounded by tcd.luot,
	// and a fifth model field.
	for _, f := range cat["figures"].([]any) {
		if f.(map[string]any)["key"] == "tcd.vu_viec" {
			delete(f.(map[string]any), "at_most")
		}
	}
	cat["version"] = "2027-QN"
	cat["model_fields"] = []map[string]string{{"key": "nong_thon_moi", "name": "Xây dựng nông thôn mới"}}
	code, _ = e.do("a", "POST", "/api/catalogue", js(t, cat))
	require.Equal(t, http.StatusForbidden, code)
	code, body = e.do("admin", "POST", "/api/catalogue", js(t, cat))
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("admin", "POST", "/api/catalogue", `{"version":"bad","sections":[],"figures":[{"key":"x","section":"none","name":"X"}],"identities":[],"derived":[]}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	cat["about"] = "changed"
	code, _ = e.do("admin", "POST", "/api/catalogue", js(t, cat))
	require.Equal(t, http.StatusConflict, code, "a version is never rewritten")

	rep := readExample(t, "midyear-report.json")
	rep["figures"].(map[string]any)["tcd.vu_viec"] = 500.0
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/midyear_report", js(t, map[string]any{"report": rep}))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"catalogue_version": "2027-QN"`)
}

func TestWork_ImportWord(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	text := "BÁO CÁO\nI. Đặc điểm, tình hình\nĐơn vị có 30 công chức.\nII.4. Tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh\nSố lượt tiếp công dân: 58 lượt.\n"
	code, body := e.do("a", "POST", "/api/reports/import?name=bao-cao.txt", text)
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"tinh_hinh": "Đơn vị có 30 công chức."`)
	require.Contains(t, body, `"key": "tcd.luot"`)
	code, _ = e.do("a", "POST", "/api/reports/import?name=bao-cao.pdf", text)
	require.Equal(t, http.StatusBadRequest, code)
}

func TestWork_ModelLife(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	model := readExample(t, "model.json")
	code, body := e.do("admin", "GET", "/api/cycles/2022-OWN/models/missing", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, strings.ReplaceAll(body, "\n", ""), `"A",    "B",    "C"`)

	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/models", js(t, map[string]any{"model": model}))
	require.Equal(t, http.StatusCreated, code, body)
	var created struct {
		Model danvan.Model `json:"model"`
		Task  *danvan.Task `json:"task"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &created))
	require.Equal(t, danvan.ModelRegistered, created.Model.Status)
	require.Equal(t, danvan.TaskModelRegistration, created.Task.Kind)
	id := created.Model.ID
	mp := fmt.Sprintf("/api/models/%d", id)

	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/models/missing", "")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, `"A"`)
	require.Contains(t, body, `"B"`)

	// Bad registrations name the field in both languages.
	bad := readExample(t, "model.json")
	delete(bad, "name")
	bad["field"] = "kinh_te"
	code, body = e.do("b", "POST", "/api/cycles/2022-OWN/units/B/models", js(t, map[string]any{"model": bad}))
	require.Equal(t, http.StatusBadRequest, code)
	require.Equal(t, "Tên mô hình (name): bắt buộc phải nhập", fieldsOf(t, body)[0].MessageVI)
	bad = readExample(t, "model.json")
	bad["field"] = "thu_vien"
	code, body = e.do("b", "POST", "/api/cycles/2022-OWN/units/B/models", js(t, map[string]any{"model": bad}))
	require.Equal(t, http.StatusBadRequest, code)
	require.Equal(t, "field", fieldsOf(t, body)[0].Field)

	// Decide before any review is a conflict; the path runs in order.
	code, _ = e.do("admin", "POST", mp+"/decide", `{"result":"recognised"}`)
	require.Equal(t, http.StatusConflict, code)
	code, body = e.do("a", "POST", mp+"/start", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"status": "implementing"`)
	interim := readExample(t, "review-interim.json")
	code, body = e.do("b", "POST", mp+"/reviews", js(t, interim))
	require.Equal(t, http.StatusNotFound, code, "another unit cannot review A's model")
	code, body = e.do("a", "POST", mp+"/reviews", js(t, interim))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"status": "interim_review"`)
	code, _ = e.do("a", "POST", mp+"/reviews", js(t, interim))
	require.Equal(t, http.StatusConflict, code, "one interim review")
	code, body = e.do("a", "POST", mp+"/reviews", js(t, readExample(t, "review.json")))
	require.Equal(t, http.StatusOK, code, body)
	code, _ = e.do("a", "POST", mp+"/decide", `{"result":"recognised"}`)
	require.Equal(t, http.StatusForbidden, code, "the standing agency decides")
	code, body = e.do("admin", "POST", mp+"/decide", `{"result":"famous"}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	code, body = e.do("admin", "POST", mp+"/decide", `{"result":"recognised","note":"QĐ công nhận"}`)
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("admin", "POST", mp+"/decide", `{"result":"replicated"}`)
	require.Equal(t, http.StatusOK, code, body)
	code, _ = e.do("admin", "POST", mp+"/decide", `{"result":"recognised"}`)
	require.Equal(t, http.StatusConflict, code, "never back")
	code, body = e.do("reader", "GET", mp, "")
	require.Equal(t, http.StatusOK, code)
	var m danvan.Model
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	require.Equal(t, danvan.ModelReplicated, m.Status)
	require.Len(t, m.Reviews, 2)
	require.Equal(t, "QĐ công nhận", m.ResultNote)

	// A model is carried only into a later year (TestWork_CarryModel).
	code, body = e.do("a", "POST", mp+"/carry", `{"cycle":"2021-OWN"}`)
	require.Equal(t, http.StatusBadRequest, code, body)

	// Lists: a commune's model, filters across units for the admin, own
	// unit only for an officer.
	cm := readExample(t, "model.json")
	cm["field"], cm["name"] = "kinh_te", "Chung sức xây dựng đường giao thông nông thôn"
	code, body = e.do("c", "POST", "/api/cycles/2022-OWN/units/C/models", js(t, map[string]any{"model": cm}))
	require.Equal(t, http.StatusCreated, code, body)
	for q, want := range map[string]int{"": 2, "?tier=commune": 1, "?field=kinh_te": 1, "?status=replicated": 1, "?year=2021": 0, "?year=2022&unit=A": 1} {
		code, body = e.do("admin", "GET", "/api/models"+q, "")
		require.Equal(t, http.StatusOK, code, body)
		var l struct{ Models []danvan.Model }
		require.NoError(t, json.Unmarshal([]byte(body), &l))
		require.Len(t, l.Models, want, q)
	}
	code, body = e.do("c", "GET", "/api/models", "")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, `"unit": "A"`)
	code, _ = e.do("c", "GET", "/api/models?unit=A", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("c", "GET", mp, "")
	require.Equal(t, http.StatusNotFound, code)
	code, body = e.do("c", "GET", "/api/cycles/2022-OWN/models/missing", "")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, `"B"`, "an officer sees only its own unit")
}

func TestWork_Drafts(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	half := readExample(t, "annual-report.json")
	delete(half, "figures")
	file := base64.StdEncoding.EncodeToString([]byte("Kế hoạch số 53/KH-UBND"))
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/drafts",
		js(t, map[string]any{"kind": "annual_report", "body": half, "attachments": []map[string]any{{"name": "ban-ky.txt", "data": file}}}))
	require.Equal(t, http.StatusOK, code, body)
	var d danvan.Draft
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	require.Len(t, d.Attachments, 1)
	dp := fmt.Sprintf("/api/drafts/%d", d.ID)

	// Only A's officers see it: not B, not even an administrator.
	for _, who := range []string{"b", "admin", "reader"} {
		code, _ = e.do(who, "GET", dp, "")
		require.Equal(t, http.StatusNotFound, code, who)
		code, _ = e.do(who, "GET", fmt.Sprintf("/api/attachments/%d", d.Attachments[0].ID), "")
		require.Equal(t, http.StatusNotFound, code, who)
	}
	code, _ = e.do("b", "GET", "/api/cycles/2022-OWN/units/A/drafts", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("b", "POST", "/api/cycles/2022-OWN/units/B/drafts", js(t, map[string]any{"id": d.ID, "kind": "annual_report", "body": half}))
	require.Equal(t, http.StatusNotFound, code, "B cannot overwrite A's draft through its own unit")

	// Resume: A updates it, lists it, then submits the full report from it.
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/drafts", js(t, map[string]any{"id": d.ID, "kind": "annual_report", "body": readExample(t, "annual-report.json")}))
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("a", "GET", "/api/cycles/2022-OWN/units/A/drafts", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "2035/BC-VP")
	code, body = e.do("a", "GET", dp, "")
	require.Equal(t, http.StatusOK, code)
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	var resumed map[string]any
	require.NoError(t, json.Unmarshal(d.Body, &resumed))
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, map[string]any{"report": resumed, "draft_id": d.ID}))
	require.Equal(t, http.StatusOK, code, body)
	code, _ = e.do("a", "GET", dp, "")
	require.Equal(t, http.StatusNotFound, code, "a submitted draft is gone")
	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/units/A/reports/annual_report", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "ban-ky.txt", "the draft's files went with the report")

	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/drafts", `{"kind":"Bad Kind","body":{}}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/drafts", js(t, map[string]any{"kind": "unit_plan", "body": map[string]string{"text": "..."}}))
	require.Equal(t, http.StatusOK, code, body)
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	code, _ = e.do("a", "DELETE", fmt.Sprintf("/api/drafts/%d", d.ID), "")
	require.Equal(t, http.StatusOK, code)
}

func TestWork_Plan(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	ctx := context.Background()
	// The cycle's parent plan and the unit's deadline.
	_, err := e.db.Pool.Exec(ctx, `UPDATE cycles SET definition = jsonb_set(definition, '{parent_plan}',
		'{"number":"53/KH-UBND","date":"2022-03-23","issuer":"UBND tỉnh"}') WHERE id = '2022-OWN'`)
	require.NoError(t, err)
	require.NoError(t, store.NewTaskService(e.db).UpsertTask(ctx, &danvan.Task{CycleID: "2022-OWN", UnitCode: "A", Kind: "unit_plan",
		Title: "Kế hoạch", Status: danvan.StatusPending, Due: time.Date(2022, 3, 31, 16, 59, 59, 0, time.UTC), Version: 1}))
	plan, err := os.ReadFile("../examples/plan.txt")
	require.NoError(t, err)

	// Attached as a file, in time, citing the parent: no warning.
	req := map[string]any{"number": "495/KH-VP", "date": "2022-03-29", "issuer": "Văn phòng UBND tỉnh", "title": "Kế hoạch thực hiện QCDC",
		"attachments": []map[string]any{{"name": "ke-hoach.txt", "data": base64.StdEncoding.EncodeToString(plan)}}}
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/plan", js(t, req))
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"cites_parent": true`)
	require.Contains(t, body, `"warnings": []`)
	last := e.engine.submitted[len(e.engine.submitted)-1]
	require.Equal(t, "unit_plan", last.Kind)
	require.Contains(t, last.Text, "53/KH-UBND", "the task carries the plan's text for the registry")

	// Late and not citing the parent: accepted, with both warnings shown.
	req = map[string]any{"number": "496/KH-VP", "date": "2022-04-05", "text": "Kế hoạch thực hiện công tác dân vận năm 2022."}
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/plan", js(t, req))
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/units/A/plan", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "no_parent_citation")
	require.Contains(t, body, "after_deadline")
	require.Contains(t, body, "ke-hoach.txt", "the earlier file is kept")
	code, _ = e.do("b", "GET", "/api/cycles/2022-OWN/units/A/plan", "")
	require.Equal(t, http.StatusNotFound, code)

	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/plan", `{"number":"1/KH-A","text":"  "}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "text")
	code, _ = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/plan", `{"date":"29/3/2022","text":"x"}`)
	require.Equal(t, http.StatusBadRequest, code)
}

func TestWork_WebPages(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, map[string]any{"report": readExample(t, "annual-report.json")}))
	require.Equal(t, http.StatusOK, code, body)
	code, body = e.do("a", "POST", "/api/cycles/2022-OWN/units/A/models", js(t, map[string]any{"model": readExample(t, "model.json")}))
	require.Equal(t, http.StatusCreated, code, body)

	page := func(who, path string) (int, string) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body = page("admin", "/bao-cao/2022-OWN/A/annual_report")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Tỷ lệ hồ sơ giải quyết đúng hạn")
	require.Contains(t, body, "99.43")
	require.Contains(t, body, "II.4. Tiếp công dân")
	require.NotContains(t, body, "0xc0", "figures print as numbers, not pointers")
	code, body = page("b", "/bao-cao/2022-OWN/A/annual_report")
	require.Equal(t, http.StatusNotFound, code)
	require.NotContains(t, body, "Tỷ lệ hồ sơ")
	code, body = page("admin", "/mo-hinh?field=xay_dung_he_thong_chinh_tri")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, "Xây dựng hệ thống chính trị")
	require.Contains(t, body, "đã đăng ký")
	code, body = page("b", "/mo-hinh")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Chưa có mô hình")
}
