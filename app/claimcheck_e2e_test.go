package app_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/devserver"
	"github.com/danvan/danvan/store/storetest"
	"github.com/danvan/danvan/workflows"
)

// post sends body as the administrator with an Idempotency-Key (none when
// key is empty) and returns the status and body.
func (s *stack) post(path, key, body string) (int, string) {
	s.t.Helper()
	token, err := os.ReadFile(filepath.Join(s.dataDir, "admin.token"))
	require.NoError(s.t, err)
	req, _ := http.NewRequest("POST", s.main.HTTPURL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *stack) historySize(cycleID, unit string) int64 {
	s.t.Helper()
	resp, err := s.main.Client.WorkflowService().DescribeWorkflowExecution(context.Background(),
		&workflowservice.DescribeWorkflowExecutionRequest{Namespace: "default",
			Execution: &commonpb.WorkflowExecution{WorkflowId: workflows.UnitWorkflowID(cycleID, unit)}})
	require.NoError(s.t, err)
	return resp.GetWorkflowExecutionInfo().GetHistorySizeBytes()
}

// denseText is n bytes of text full of what JSON escapes: quotes,
// backslashes, tabs, line breaks, a control character, and Vietnamese.
func denseText(n int) string {
	const line = "\"Số liệu\"\t\\\\máy-chủ\\báo-cáo\\\t\"trích\" \x01 <a&b>\r\n"
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(line)
	}
	return b.String()[:n-n%len(line)]
}

// TestClaimCheck_EndToEnd (findings 1 and 2), through `danvan dev` and the
// CLI: a 5 MB text dense in escapes and a 20 MB .docx are accepted, the
// unit workflow's history stays under 50 KB, the text comes back byte for
// byte and is listed with its sha256; the same extend and the same submit
// sent twice at once with one Idempotency-Key leave one extension (one
// notification) and one submission.
func TestClaimCheck_EndToEnd(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	s := startStack(t, dir, schema)
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", unitsCSV))
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", cycleJSON(2031, time.Now().Add(48*time.Hour), "24h"))))
	require.Eventually(t, func() bool { st, _ := s.status(id).task("C", "unit_plan"); return st == danvan.StatusPending },
		60*time.Second, 200*time.Millisecond)
	nsDesc, err := s.main.Client.WorkflowService().DescribeNamespace(context.Background(), &workflowservice.DescribeNamespaceRequest{Namespace: "default"})
	require.NoError(t, err)
	require.Equal(t, devserver.DefaultRetention, nsDesc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(),
		"closed workflows (and their IDs) are kept 400 days, not 24 hours")
	task := func(unit string) string { return "/api/cycles/" + id + "/units/" + unit + "/tasks/unit_plan" }

	// A 28 KB report: the history it makes (the issue measured 80 KB
	// before the claim check).
	report := denseText(28 << 10)
	out := s.mustCLI("task", "submit", "--cycle", id, "--unit", "A", "--kind", "unit_plan", "--number", "1/BC",
		"--file", writeFile(t, dir, "report.txt", report))
	require.Contains(t, out, "submission 1:")
	t.Logf("history of a unit workflow with a 28 KB report: %d bytes", s.historySize(id, "A"))

	// 5 MB of escapes plus a 20 MB .docx.
	text := denseText(5 << 20)
	docx := make([]byte, 20<<20)
	_, _ = rand.Read(docx)
	docxPath := filepath.Join(dir, "bao-cao.docx")
	require.NoError(t, os.WriteFile(docxPath, docx, 0o600))
	out = s.mustCLI("task", "submit", "--cycle", id, "--unit", "B", "--kind", "unit_plan", "--number", "2/BC",
		"--file", writeFile(t, dir, "big.txt", text), "--attach", docxPath)
	sum := sha256.Sum256([]byte(text))
	require.Contains(t, out, hex.EncodeToString(sum[:]))
	size := s.historySize(id, "B")
	t.Logf("history of a unit workflow with a 5 MB text and a 20 MB .docx: %d bytes", size)
	require.Less(t, size, int64(50_000))
	require.Equal(t, text, s.get(task("B")+"/submissions/1/content"), "the text comes back byte for byte")
	docSum := sha256.Sum256(docx)
	require.Equal(t, docx, []byte(s.get(task("B")+"/submissions/1/files/2")))
	var listing struct {
		Submissions []danvan.Submission `json:"submissions"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.get(task("B"))), &listing))
	require.Len(t, listing.Submissions, 1)
	require.Equal(t, hex.EncodeToString(sum[:]), listing.Submissions[0].SHA256)
	require.Empty(t, listing.Submissions[0].Text, "the listing carries no body")
	require.Equal(t, "bao-cao.docx", listing.Submissions[0].Files[1].Name)
	require.Equal(t, hex.EncodeToString(docSum[:]), listing.Submissions[0].Files[1].SHA256)

	// The same extend twice at once, and once more later: one extension.
	ext := fmt.Sprintf(`{"new_due": %q, "reason": "Gia hạn"}`, time.Now().Add(96*time.Hour).Format(time.RFC3339))
	twice := func(path, body string) []string {
		var wg sync.WaitGroup
		res := make([]string, 2)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, b := s.post(path, "same-key-1", body)
				require.Equal(t, http.StatusOK, code, b)
				res[i] = b
			}()
		}
		wg.Wait()
		return res
	}
	twice(task("C")+"/extend", ext)
	code, b := s.post(task("C")+"/extend", "same-key-1", ext)
	require.Equal(t, http.StatusOK, code, b)
	var tk struct {
		Task danvan.Task `json:"task"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.get(task("C"))), &tk))
	require.Equal(t, 1, tk.Task.Extensions, "one extension")
	var ns struct {
		Notifications []danvan.Notification `json:"notifications"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.get("/api/notifications?unit=C&kind=extended")), &ns))
	require.Len(t, ns.Notifications, 1, "one notification")

	// The same submit twice at once: one submission, both answered with it.
	res := twice(task("C")+"/submit", `{"number": "3/KH", "text": "Kế hoạch của đơn vị C"}`)
	require.NoError(t, json.Unmarshal([]byte(s.get(task("C"))), &listing))
	require.Len(t, listing.Submissions, 1, "one submission")
	for _, r := range res {
		require.Contains(t, r, `"seq": 1`)
	}
	// Without a key a repeat is a new command, refused: the task is submitted.
	code, _ = s.post(task("C")+"/submit", "", `{"text": "lần nữa"}`)
	require.Equal(t, http.StatusConflict, code)

	// Closing the cycle ends every unit workflow, submitted-but-undecided
	// ones too, and records what was left undone.
	require.Contains(t, s.mustCLI("cycle", "close", id), "3 unit workflows closed")
	for _, u := range []string{"A", "B", "C"} {
		var r workflows.UnitResult
		require.NoError(t, s.main.Client.GetWorkflow(context.Background(), workflows.UnitWorkflowID(id, u), "").Get(context.Background(), &r))
		require.True(t, r.Closed, u)
		require.Equal(t, []string{"unit_plan"}, r.Undone, u)
	}
}
