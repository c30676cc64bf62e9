package app_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store/storetest"
)

func (s *stack) mustAs(token string, args ...string) string {
	s.t.Helper()
	out, err := s.cliAs(token, args...)
	require.NoError(s.t, err)
	return out
}

// post sends body as token and returns status and answer.
func (s *stack) postJSON(token, path string, body any) (int, string) {
	s.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(s.t, err)
	req, _ := http.NewRequest("POST", s.main.HTTPURL()+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// TestScenario_UnitYear walks unit A through its year on the real `danvan
// dev` Main (embedded Temporal, worker, Postgres): its plan citing the
// parent plan, a "Dân vận khéo" model, a mid-year report resumed from a
// draft, the model's interim review, and the annual report with its signed
// original attached; each step completes its task in the unit's workflow
// and the reports' citations land in the document registry.
func TestScenario_UnitYear(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	s := startStack(t, dir, schema)
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", unitsCSV))
	officer := s.userToken("user1", "--name", "Cán bộ A", "--role", "officer", "--unit", "A")

	due := time.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)
	def, _ := json.Marshal(map[string]any{
		"year": 2032, "title": "Công tác dân vận chính quyền năm 2032", "owner": "OWN", "scope": []string{"A", "B", "C"},
		"parent_plan": map[string]string{"number": "53/KH-UBND", "date": "2022-03-23", "issuer": "UBND tỉnh"},
		"tasks": []map[string]string{
			{"kind": "unit_plan", "title": "Ban hành kế hoạch", "due": due},
			{"kind": "model_registration", "title": "Đăng ký mô hình Dân vận khéo", "due": due},
			{"kind": "midyear_report", "title": "Báo cáo sơ kết 6 tháng", "due": due},
			{"kind": "annual_report", "title": "Báo cáo năm", "due": due},
		},
	})
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", string(def))))
	require.Eventually(t, func() bool { st, _ := s.status(id).task("A", "annual_report"); return st == danvan.StatusPending },
		60*time.Second, 300*time.Millisecond, "the unit workflows run")
	ex := func(name string) string { return filepath.Join("..", "examples", name) }

	// 1. The plan, attached as a file; it cites the parent plan.
	plan, err := os.ReadFile(ex("plan.txt"))
	require.NoError(t, err)
	code, body := s.postJSON(officer, "/api/cycles/"+id+"/units/A/plan", map[string]any{"number": "495/KH-VP", "date": "2022-03-29",
		"issuer": "Văn phòng UBND tỉnh", "title": "Kế hoạch thực hiện Quy chế dân chủ ở cơ sở và công tác dân vận chính quyền",
		"attachments": []map[string]any{{"name": "ke-hoach-495.txt", "data": base64.StdEncoding.EncodeToString(plan)}}})
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"cites_parent": true`)
	require.Contains(t, body, `"status": "submitted"`)

	// 2. The model; the cycle shows the units still without one.
	out := s.mustAs(officer, "models", "register", "--cycle", id, "--unit", "A", "--file", ex("model.json"))
	require.Contains(t, out, "task model_registration: submitted")
	missing := s.get("/api/cycles/" + id + "/models/missing")
	require.Contains(t, missing, `"B"`)
	require.NotContains(t, missing, `"A"`)

	// 3. The mid-year report: saved as a draft first, then submitted from it.
	out = s.mustAs(officer, "reports", "submit", "--cycle", id, "--unit", "A", "--kind", "midyear_report", "--file", ex("midyear-report.json"), "--draft")
	require.Contains(t, out, "draft 1 saved")
	out = s.mustAs(officer, "reports", "submit", "--cycle", id, "--unit", "A", "--kind", "midyear_report", "--file", ex("midyear-report.json"), "--from-draft", "1")
	require.Contains(t, out, "task midyear_report: submitted")

	// 4. The model's interim review.
	out = s.mustAs(officer, "models", "review", "--id", "1", "--stage", "interim", "--file", ex("review-interim.json"))
	require.Contains(t, out, "interim_review")

	// 5. The annual report with the signed original and the plan attached.
	out = s.mustAs(officer, "reports", "submit", "--cycle", id, "--unit", "A", "--kind", "annual_report", "--file", ex("annual-report.json"),
		"--attach", ex("plan.txt"), "--attach", writeFile(t, dir, "ban-ky.txt", "Báo cáo số 2035/BC-VP ngày 25/11/2022 (bản ký)"))
	require.Contains(t, out, "2 attachment(s)")
	require.Contains(t, out, "task annual_report: submitted")

	st := s.status(id)
	for _, kind := range []string{"unit_plan", "model_registration", "midyear_report", "annual_report"} {
		status, _ := st.task("A", kind)
		require.Equal(t, danvan.StatusSubmitted, status, kind)
	}
	status, _ := st.task("B", "annual_report")
	require.Equal(t, danvan.StatusPending, status, "B's work is untouched")

	// The standing agency accepts the annual report; its citations are in
	// the registry, and the figures show with their derived rates.
	s.mustCLI("task", "accept", "--cycle", id, "--unit", "A", "--kind", "annual_report")
	require.Eventually(t, func() bool {
		return strings.Contains(s.get("/api/documents?q=2035/BC-VP"), `"number": "2035/BC-VP"`)
	}, 30*time.Second, 300*time.Millisecond, "the report is registered")
	cited := s.get("/api/documents?q=869-CV/TU")
	require.Contains(t, cited, `"number": "869-CV/TU"`, "a document the report cites is registered")
	var view struct {
		Derived     map[string]float64 `json:"derived"`
		Attachments []danvan.Attachment
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("reports", "show", "--cycle", id, "--unit", "A", "--kind", "annual_report", "--json")), &view))
	require.Equal(t, 99.43, view.Derived["tthc.ty_le_dung_han"])
	require.Len(t, view.Attachments, 2)

	// B's officer sees none of it.
	officerB := s.userToken("user2", "--name", "Cán bộ B", "--role", "officer", "--unit", "B")
	_, err = s.cliAs(officerB, "reports", "show", "--cycle", id, "--unit", "A", "--kind", "annual_report")
	require.ErrorContains(t, err, "not found")
	require.NotContains(t, s.mustAs(officerB, "models", "list"), "Ban Tiếp công dân")
}
