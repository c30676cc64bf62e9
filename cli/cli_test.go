package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/cli"
)

func run(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errOut.String()
}

func TestRun_Usage(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, nil)
	require.Equal(t, 0, code)
	require.Contains(t, out, "cycle")
	code, _, errOut := run(t, nil, "frobnicate")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "unknown command")
	code, _, errOut = run(t, nil, "task", "submit", "--unit", "A")
	require.Equal(t, 2, code)
	require.Contains(t, errOut, "--cycle, --unit and --kind are required")
	code, _, errOut = run(t, nil, "dev", "-h")
	require.Equal(t, 0, code)
	for _, v := range []string{"DANVAN_DATABASE_URL", "DANVAN_DATA_DIR", "DANVAN_HTTP_ADDR", "DANVAN_TEMPORAL_PORT", "DANVAN_MEILI_URL", "DANVAN_SMTP_URL"} {
		require.Contains(t, errOut, v, "every setting is documented in --help")
	}
	code, out, _ = run(t, nil, "version")
	require.Equal(t, 0, code)
	require.Contains(t, out, "danvan")
}

func TestRun_ClientErrorsAreClear(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vars := map[string]string{"DANVAN_DATA_DIR": dir, "DANVAN_URL": "http://127.0.0.1:1"}
	code, _, errOut := run(t, vars, "cycle", "list")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "DANVAN_TOKEN")

	vars["DANVAN_TOKEN"] = "dv_x"
	bad := filepath.Join(dir, "units.csv")
	require.NoError(t, os.WriteFile(bad, []byte("code,name\nA,B\n"), 0o600))
	code, _, errOut = run(t, vars, "units", "import", bad)
	require.Equal(t, 1, code, "a bad file fails before any network call")
	require.Contains(t, errOut, "parent_code")
	require.Contains(t, errOut, "lỗi:")

	code, _, errOut = run(t, vars, "cycle", "list")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "cannot reach danvan")
}

func TestRun_Cite(t *testing.T) {
	t.Parallel()
	corpus := "../../shared/corpus/qn-vpubnd-bao-cao-dan-van-2022.txt"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not present")
	}
	code, out, errOut := run(t, nil, "cite", "--json", corpus)
	require.Equal(t, 0, code, errOut)
	var res struct {
		File      string           `json:"file"`
		Document  any              `json:"document"`
		Citations []map[string]any `json:"citations"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, corpus, res.File)
	require.Greater(t, len(res.Citations), 20)
	for _, key := range []string{"kind", "number", "type", "type_code", "issuer", "issuer_code", "date", "dates_seen", "year",
		"subject", "name", "mentions", "first_mention", "anomalies"} {
		require.Contains(t, res.Citations[0], key)
	}
	code, _, errOut = run(t, nil, "cite", corpus, filepath.Join(t.TempDir(), "missing.txt"))
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "missing.txt")
}

func TestReadDefinition_YAML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	yml := filepath.Join(dir, "cycle.yaml")
	require.NoError(t, os.WriteFile(yml, []byte(`
year: 2027
title: Dân vận chính quyền năm 2027
parent_plan: {number: 9/KH-UBND, date: 2027-01-10, issuer: UBND tỉnh}
owner: SNV
scope: all
tasks:
  - {kind: unit_plan, title: Ban hành kế hoạch, due: 2027-03-31}
  - {kind: annual_report, title: Báo cáo năm, due: "2027-11-20T17:00:00+07:00"}
reminders: {before: [7d, 3d], overdue_every: 3d, escalate_after: 7d}
`), 0o600))
	def, err := cli.ReadDefinition(yml)
	require.NoError(t, err)
	require.NoError(t, def.Check())
	require.Equal(t, "2027-03-31", def.Tasks[0].Due)
	require.Equal(t, "2027-01-10", def.ParentPlan.Date)
	require.True(t, def.Scope.All)
	require.Equal(t, []string{"7d", "3d"}, def.Reminders.Before)

	typo := filepath.Join(dir, "typo.yml")
	require.NoError(t, os.WriteFile(typo, []byte("year: 2027\ntitel: x\n"), 0o600))
	_, err = cli.ReadDefinition(typo)
	require.ErrorContains(t, err, "titel")
}
