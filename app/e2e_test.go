package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/cli"
	"github.com/danvan/danvan/devserver"
	"github.com/danvan/danvan/mail/smtptest"
	"github.com/danvan/danvan/store/storetest"
)

// stack is a running `danvan dev` (the real Main) on free ports, its own
// data directory and its own database schema.
type stack struct {
	t       *testing.T
	main    *app.Main
	dataDir string
	schema  string
}

func startStack(t *testing.T, dataDir, schema string, opts ...func(*app.Config)) *stack {
	t.Helper()
	cfg := app.Config{
		DatabaseURL: storetest.URL(), DatabaseSchema: schema, DataDir: dataDir,
		HTTPAddr: "127.0.0.1:0", HTTP: true, Worker: true, EmbeddedTemporal: true, TemporalPort: -1,
		WriteAdminToken: true, Logger: testLogger(t),
	}
	for _, o := range opts {
		o(&cfg)
	}
	m := app.NewMain(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.NoError(t, m.Run(ctx))
	s := &stack{t: t, main: m, dataDir: dataDir, schema: schema}
	t.Cleanup(func() { _ = m.Close() })
	return s
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// cli runs a danvan client command against the stack, like a person would.
func (s *stack) cli(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	env := map[string]string{"DANVAN_URL": s.main.HTTPURL(), "DANVAN_DATA_DIR": s.dataDir,
		"DANVAN_DATABASE_URL": storetest.URL(), "DANVAN_DATABASE_SCHEMA": s.schema}
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }})
	if code != 0 {
		return out.String(), fmt.Errorf("danvan %v: exit %d: %s", args, code, errOut.String())
	}
	return out.String(), nil
}

// get calls the API as the administrator and returns the body of a 200.
func (s *stack) get(path string) string {
	s.t.Helper()
	token, err := os.ReadFile(filepath.Join(s.dataDir, "admin.token"))
	require.NoError(s.t, err)
	req, _ := http.NewRequest("GET", s.main.HTTPURL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Equal(s.t, http.StatusOK, resp.StatusCode, string(b))
	return string(b)
}

func (s *stack) mustCLI(args ...string) string {
	s.t.Helper()
	out, err := s.cli(args...)
	require.NoError(s.t, err)
	return out
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

type cycleStatus struct {
	Cycle danvan.Cycle `json:"cycle"`
	Units []struct {
		Unit  string `json:"unit"`
		Tasks []struct {
			Kind          string     `json:"kind"`
			Status        string     `json:"status"`
			Due           time.Time  `json:"due"`
			SubmittedAt   *time.Time `json:"submitted_at"`
			RemindersSent int        `json:"reminders_sent"`
		} `json:"tasks"`
	} `json:"units"`
}

func (s *stack) status(id string) cycleStatus {
	s.t.Helper()
	var st cycleStatus
	require.NoError(s.t, json.Unmarshal([]byte(s.mustCLI("cycle", "status", "--json", id)), &st))
	return st
}

func (st cycleStatus) task(unit, kind string) (status string, reminders int) {
	for _, u := range st.Units {
		for _, t := range u.Tasks {
			if u.Unit == unit && t.Kind == kind {
				return t.Status, t.RemindersSent
			}
		}
	}
	return "", 0
}

const unitsCSV = `code,name,parent_code,kind,email,head_email
OWN,Sở Nội vụ,,department,snv@example.org,gd@example.org
A,Đơn vị A,OWN,department,a@example.org,head.a@example.org
B,Đơn vị B,OWN,department,b@example.org,head.b@example.org
C,Đơn vị C,OWN,commune,c@example.org,head.c@example.org
`

func cycleJSON(year int, due time.Time, before ...string) string {
	b, _ := json.Marshal(map[string]any{
		"year": year, "title": "Công tác dân vận chính quyền", "owner": "OWN", "scope": []string{"A", "B", "C"},
		"parent_plan": map[string]string{"number": "53/KH-UBND", "date": "2022-03-23", "issuer": "UBND tỉnh"},
		"tasks":       []map[string]string{{"kind": "unit_plan", "title": "Ban hành kế hoạch", "due": due.Format(time.RFC3339)}},
		"reminders":   map[string]any{"before": before, "overdue_every": "1h", "escalate_after": "2h"},
	})
	return string(b)
}

func TestDev_HealthAndRestart(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	s := startStack(t, dir, schema)

	resp, err := http.Get(s.main.HTTPURL() + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var health struct {
		Status string                    `json:"status"`
		Checks map[string]map[string]any `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(body, &health))
	require.Equal(t, "ok", health.Status)
	for _, c := range []string{"postgres", "temporal", "search"} {
		require.Equal(t, "ok", health.Checks[c]["status"], c)
	}

	out := s.mustCLI("health", "-url", s.main.HTTPURL())
	require.Contains(t, out, `"status": "ok"`)

	resp, err = http.Get(s.main.HTTPURL() + "/")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), "Tình trạng hệ thống")

	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", unitsCSV))
	due := time.Now().Add(8 * time.Second)
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", cycleJSON(2030, due, "4s"))))
	require.Equal(t, "2030-OWN", id)
	require.Eventually(t, func() bool { st, _ := s.status(id).task("B", "unit_plan"); return st == danvan.StatusPending },
		30*time.Second, 200*time.Millisecond, "unit workflows project their tasks")

	// Stop everything before the deadline; its timer must fire after the restart.
	require.NoError(t, s.main.Close())
	s = startStack(t, dir, schema)
	require.Contains(t, s.mustCLI("cycle", "list"), "2030-OWN")
	require.Eventually(t, func() bool { st, _ := s.status(id).task("B", "unit_plan"); return st == danvan.StatusOverdue },
		60*time.Second, 500*time.Millisecond, "the deadline timer fired after the restart")

	// A second start of the same cycle is refused, not duplicated.
	_, err = s.cli("cycle", "start", filepath.Join(dir, "cycle.json"))
	require.ErrorContains(t, err, "already exists")
}

// TestCycle_DeadlinesEndToEnd is the acceptance scenario on the
// embedded server, in real time: unit_plan due in 40 s with reminders 30 s
// and 15 s before; A submits at once; 10 s after the deadline A is
// submitted, B and C are overdue with both reminders sent and recorded, and
// no notification is duplicated.
func TestCycle_DeadlinesEndToEnd(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	smtp := smtptest.Start(t)
	s := startStack(t, dir, schema, func(c *app.Config) {
		c.SMTPURL = "smtp+insecure://" + smtp.Addr() + "?from=danvan@example.org"
	})
	// C's mailbox is refused by the mail server: its notices stay in its
	// inbox and are listed for administrators; B's e-mails still go out.
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", strings.Replace(unitsCSV, "c@example.org", "nobody@example.org", 1)))

	due := time.Now().Add(40 * time.Second).Truncate(time.Second)
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", cycleJSON(2031, due, "30s", "15s"))))
	plan := writeFile(t, dir, "plan.txt", "KẾ HOẠCH\nThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về công tác dân vận chính quyền năm 2022.")
	require.Eventually(t, func() bool {
		_, err := s.cli("task", "submit", "--cycle", id, "--unit", "A", "--kind", "unit_plan", "--file", plan, "--number", "12/KH-A", "--date", "2022-03-29")
		return err == nil
	}, 30*time.Second, 300*time.Millisecond, "A submits as soon as its workflow runs")

	// Another unit's task cannot be submitted with a bad request; the error says why.
	_, err := s.cli("task", "submit", "--cycle", id, "--unit", "A", "--kind", "unit_plan", "--file", plan)
	require.ErrorContains(t, err, "cannot be submitted now", "a second submission of a submitted task is refused")
	require.ErrorContains(t, err, "không thể nộp lúc này", "with the workflow validator's Vietnamese message")
	_, err = s.cli("task", "submit", "--cycle", id, "--unit", "B", "--kind", "no_such_task", "--file", plan)
	require.ErrorContains(t, err, "has no task", "an unknown task kind is refused by the validator")

	// Once accepted (issue 8: only accepted work is registered, off the
	// submission path), the plan is in the registry, citing the
	// province's plan.
	s.mustCLI("task", "accept", "--cycle", id, "--unit", "A", "--kind", "unit_plan")
	require.Eventually(t, func() bool { _, err := s.cli("docs", "show", "--json", "53/KH-UBND"); return err == nil },
		30*time.Second, 200*time.Millisecond, "the accepted plan is indexed")
	var shown struct {
		CitedBy []struct {
			Relation string `json:"relation"`
			Other    struct {
				Number string `json:"number"`
			} `json:"other"`
		} `json:"cited_by"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("docs", "show", "--json", "53/KH-UBND")), &shown))
	require.Len(t, shown.CitedBy, 1)
	require.Equal(t, "12/KH-A", shown.CitedBy[0].Other.Number)
	require.Equal(t, "thuc_hien", shown.CitedBy[0].Relation)
	hits := s.mustCLI("search", "--json", "12/KH-A")
	require.Contains(t, hits, `"number": "12/KH-A"`)
	// And through the running server's API.
	body := s.get("/api/documents?q=53/KH-UBND&type=KH")
	require.Contains(t, body, `"number": "53/KH-UBND"`)
	require.Contains(t, body, `"cited_by": 1`)

	time.Sleep(time.Until(due.Add(10 * time.Second)))
	st := s.status(id)
	status, _ := st.task("A", "unit_plan")
	require.Equal(t, danvan.StatusAccepted, status)
	for _, u := range []string{"B", "C"} {
		status, reminders := st.task(u, "unit_plan")
		require.Equal(t, danvan.StatusOverdue, status, u)
		// Two reminders before the deadline plus the overdue notice at it.
		require.Equal(t, 3, reminders, u)
	}

	csv := s.mustCLI("cycle", "export", id)
	require.Contains(t, csv, "Đơn vị B,unit_plan")
	require.Contains(t, csv, "quá hạn")

	var inbox struct {
		Notifications []danvan.Notification `json:"notifications"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("notifications", "--json", "--cycle", id)), &inbox))
	count := map[string]int{}
	for _, n := range inbox.Notifications {
		count[n.UnitCode+"/"+n.Kind]++
	}
	require.Equal(t, 2, count["B/reminder"], count)
	require.Equal(t, 2, count["C/reminder"], count)
	require.Equal(t, 1, count["B/overdue"], count)
	require.Equal(t, 1, count["C/overdue"], count)
	require.Zero(t, count["A/reminder"], "A submitted before any reminder: %v", count)

	// Every notification went out by e-mail exactly once (Message-ID is the
	// notification's business key), except C's, which the outbox gave up
	// on and lists for administrators. The outbox delivers within seconds
	// of the deadline.
	var failed struct {
		Failed []danvan.FailedMail `json:"failed"`
	}
	require.Eventually(t, func() bool {
		out, err := s.cli("notifications", "--failed", "--json")
		return err == nil && json.Unmarshal([]byte(out), &failed) == nil && len(failed.Failed) == count["C/reminder"]+count["C/overdue"]
	}, 10*time.Second, 200*time.Millisecond, "C's notices are listed as failed")
	for _, f := range failed.Failed {
		require.Equal(t, "C", f.UnitCode)
		require.Equal(t, "nobody@example.org", f.Recipient)
		require.Contains(t, f.LastError, "550")
	}
	require.Contains(t, s.mustCLI("notifications", "--failed"), "nobody@example.org")
	ids := map[string]int{}
	for _, m := range smtp.Messages() {
		for _, line := range strings.Split(m.Data, "\r\n") {
			if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
				ids[v]++
			}
		}
	}
	require.Len(t, ids, len(inbox.Notifications)-len(failed.Failed), "one e-mail per notification")
	for id, n := range ids {
		require.Equal(t, 1, n, id)
	}
}

// TestServe_ExternalTemporal runs the production shape: a Temporal server
// of its own (here an embedded one without danvan's search attributes), an
// API-only `danvan serve -worker=false` and a separate `danvan worker`.
// danvan registers its search attributes on the cluster, and the worker
// process alone runs the cycle the API started.
func TestServe_ExternalTemporal(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tsrv, err := devserver.Start(ctx, devserver.Config{DataDir: filepath.Join(dir, "cluster"), FrontendPort: 0})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tsrv.Stop() })

	base := app.Config{DatabaseURL: storetest.URL(), DatabaseSchema: schema, DataDir: dir, TemporalAddress: tsrv.FrontendAddr(), Logger: testLogger(t)}
	apiCfg := base
	apiCfg.HTTP, apiCfg.HTTPAddr, apiCfg.WriteAdminToken = true, "127.0.0.1:0", true
	apiMain := app.NewMain(apiCfg)
	require.NoError(t, apiMain.Run(ctx))
	t.Cleanup(func() { _ = apiMain.Close() })
	workerCfg := base
	workerCfg.Worker = true
	workerMain := app.NewMain(workerCfg)
	require.NoError(t, workerMain.Run(ctx))
	t.Cleanup(func() { _ = workerMain.Close() })
	require.Empty(t, workerMain.HTTPURL(), "a worker serves no HTTP")

	s := &stack{t: t, main: apiMain, dataDir: dir, schema: schema}
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", unitsCSV))
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", cycleJSON(2032, time.Now().Add(time.Hour), "30m"))))
	require.Eventually(t, func() bool { st, _ := s.status(id).task("C", "unit_plan"); return st == danvan.StatusPending },
		30*time.Second, 200*time.Millisecond, "the worker process ran the unit workflows")
	require.Eventually(t, func() bool {
		_, err := s.cli("task", "submit", "--cycle", id, "--unit", "C", "--kind", "unit_plan", "--file", writeFile(t, dir, "p.txt", "Kế hoạch"))
		return err == nil
	}, 30*time.Second, 300*time.Millisecond)
	st, _ := s.status(id).task("C", "unit_plan")
	require.Equal(t, danvan.StatusSubmitted, st)

	// The workflow's own answer (a query) agrees with the projection.
	require.Contains(t, s.get("/api/cycles/"+id+"/units/C/live"), `"status": "submitted"`)
}
