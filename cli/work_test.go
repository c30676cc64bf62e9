package cli_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// acceptEngine answers every submission as submitted.
type acceptEngine struct{}

func (acceptEngine) StartCycle(context.Context, *danvan.Cycle) error { return nil }
func (acceptEngine) Submit(_ context.Context, s *danvan.Submission, _ string) (*danvan.Task, error) {
	return &danvan.Task{CycleID: s.CycleID, UnitCode: s.UnitCode, Kind: s.Kind, Status: danvan.StatusSubmitted}, nil
}
func (acceptEngine) Decide(_ context.Context, d *danvan.Decision, _ string) (*danvan.Task, error) {
	return &danvan.Task{Status: danvan.StatusAccepted}, nil
}
func (acceptEngine) LiveTasks(context.Context, string, string) ([]danvan.Task, error) {
	return nil, nil
}

// workServer is the real API on a per-test schema with a cycle 2022-OWN
// over unit A; it returns the variables for an administrator and for A's
// officer.
func workServer(t *testing.T) (admin, officer map[string]string) {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{{Code: "OWN", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment},
		{Code: "A", Name: "Văn phòng UBND tỉnh", ParentCode: "OWN", Kind: danvan.UnitDepartment}})
	require.NoError(t, err)
	require.NoError(t, store.NewCycleService(db).CreateCycle(ctx, &danvan.Cycle{ID: "2022-OWN", Units: []string{"A"}, Status: danvan.CycleRunning,
		StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: 2022, Title: "DVCQ", Owner: "OWN"}}))
	users := store.NewUserService(db)
	adminTok, err := users.CreateUser(ctx, &danvan.User{Name: "Quản trị", Role: danvan.RoleAdmin})
	require.NoError(t, err)
	officerTok, err := users.CreateUser(ctx, &danvan.User{Name: "Cán bộ A", Role: danvan.RoleOfficer, UnitCode: "A"})
	require.NoError(t, err)
	s := &api.Server{Units: units, Cycles: store.NewCycleService(db), Tasks: store.NewTaskService(db), Users: users,
		Audit: store.NewAuditService(db), Engine: acceptEngine{}, Models: store.NewModelService(db), Reports: store.NewReportService(db),
		ReadText: cite.ReadBytes}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return map[string]string{"DANVAN_URL": srv.URL, "DANVAN_TOKEN": adminTok},
		map[string]string{"DANVAN_URL": srv.URL, "DANVAN_TOKEN": officerTok}
}

func TestWorkCLI_ExamplesAccepted(t *testing.T) {
	t.Parallel()
	admin, officer := workServer(t)
	ex := func(name string) string { return filepath.Join("..", "examples", name) }

	code, out, errOut := run(t, officer, "models", "register", "--cycle", "2022-OWN", "--unit", "A", "--file", ex("model.json"), "--attach", ex("plan.txt"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "model 1 registered for A")
	require.Contains(t, out, "task model_registration: submitted")
	code, out, errOut = run(t, officer, "models", "review", "--id", "1", "--stage", "interim", "--file", ex("review-interim.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "interim_review")
	code, _, errOut = run(t, officer, "models", "review", "--id", "1", "--stage", "final", "--file", ex("review-interim.json"))
	require.Equal(t, 1, code, "the file's stage contradicts --stage")
	require.Contains(t, errOut, "stage")
	code, out, errOut = run(t, officer, "models", "review", "--id", "1", "--stage", "final", "--file", ex("review.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "final_review, 2 review(s)")
	code, out, errOut = run(t, admin, "models", "decide", "--id", "1", "--result", "replicated", "--note", "QĐ số 12/QĐ-UBND")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "replicated")
	code, out, _ = run(t, admin, "models", "list", "--year", "2022", "--json")
	require.Equal(t, 0, code)
	require.Contains(t, out, `"status": "replicated"`)
	code, out, _ = run(t, admin, "models", "list", "--field", "kinh_te")
	require.Equal(t, 0, code)
	require.NotContains(t, out, "Ban Tiếp công dân")

	code, out, errOut = run(t, officer, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "midyear_report", "--file", ex("midyear-report.json"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "report midyear_report of A accepted")
	code, out, errOut = run(t, officer, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report", "--file", ex("annual-report.json"),
		"--attach", ex("plan.txt"))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "1 attachment(s)")

	code, out, errOut = run(t, admin, "reports", "show", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report", "--json")
	require.Equal(t, 0, code, errOut)
	var view struct {
		Figures map[string]float64 `json:"figures"`
		Derived map[string]float64 `json:"derived"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &view))
	require.Equal(t, 124.0, view.Figures["tcd.luot"])
	require.Equal(t, 99.43, view.Derived["tthc.ty_le_dung_han"])
	require.Equal(t, 93.33, view.Derived["don.ty_le_giai_quyet"])
	require.Equal(t, 88.57, view.Derived["hoa_giai.ty_le_thanh"])
	require.Equal(t, 77.96, view.Derived["tthc.ty_le_truc_tuyen"])
	code, out, _ = run(t, admin, "reports", "show", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report")
	require.Equal(t, 0, code)
	require.Contains(t, out, "tthc.ty_le_dung_han")
	require.Contains(t, out, "99.43%")
	code, out, errOut = run(t, admin, "reports", "summary", "--cycle", "2022-OWN", "--kind", "annual_report")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "1 unit(s) reported, 0 missing")
	require.Contains(t, out, "99.43%")
}

func TestWorkCLI_PartAboveTotalFails(t *testing.T) {
	t.Parallel()
	_, officer := workServer(t)
	b, err := os.ReadFile("../examples/midyear-report.json")
	require.NoError(t, err)
	var rep map[string]any
	require.NoError(t, json.Unmarshal(b, &rep))
	rep["figures"].(map[string]any)["tthc.dung_han"] = 7000 // above tthc.da_giai_quyet 6050
	bad, _ := json.Marshal(rep)
	p := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(p, bad, 0o600))
	code, _, errOut := run(t, officer, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "midyear_report", "--file", p)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "figures.tthc.dung_han")
	require.Contains(t, errOut, "Hồ sơ giải quyết trước hạn và đúng hạn")
	require.Contains(t, errOut, "lỗi:")
	code, _, errOut = run(t, officer, "reports", "show", "--cycle", "2022-OWN", "--unit", "A", "--kind", "midyear_report")
	require.Equal(t, 1, code, "nothing was saved")
	require.Contains(t, errOut, "not found")
}

func TestWorkCLI_DraftAndCatalogue(t *testing.T) {
	t.Parallel()
	admin, officer := workServer(t)
	code, out, errOut := run(t, officer, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report",
		"--file", "../examples/annual-report.json", "--draft")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "draft 1 saved")
	code, _, _ = run(t, admin, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report",
		"--file", "../examples/annual-report.json", "--from-draft", "1")
	require.Equal(t, 1, code, "an administrator cannot take over the unit's draft")
	code, _, errOut = run(t, officer, "reports", "submit", "--cycle", "2022-OWN", "--unit", "A", "--kind", "annual_report",
		"--file", "../examples/annual-report.json", "--from-draft", "1")
	require.Equal(t, 0, code, errOut)

	cat := filepath.Join(t.TempDir(), "cat.json")
	b, err := os.ReadFile("../reports/default_catalogue.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cat, []byte(strings.Replace(string(b), `"version": "2026-12-01"`, `"version": "2027-01"`, 1)), 0o600))
	code, out, errOut = run(t, admin, "catalogue", "import", cat)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "catalogue 2027-01 in force: 12 sections, 32 figures")
	code, _, errOut = run(t, officer, "catalogue", "import", cat)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "may not do this")
	require.NoError(t, os.WriteFile(cat, []byte(`{"version":"x","figures":[{"key":"a","section":"none","name":"A"}]}`), 0o600))
	code, _, errOut = run(t, admin, "catalogue", "import", cat)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "figures.a")
}
