package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/store/storetest"
)

// TestRun_DocsShowValidity: `docs show` says in Vietnamese, with dd/mm/yyyy
// dates, that a decision was replaced, by which one and in which words;
// `docs clashes` lists number clashes (none here).
func TestRun_DocsShowValidity(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	vars := map[string]string{"DANVAN_DATABASE_URL": storetest.URL(), "DANVAN_DATABASE_SCHEMA": schema}
	dir := t.TempDir()
	oldFile, newFile := filepath.Join(dir, "qd12.txt"), filepath.Join(dir, "qd45.txt")
	require.NoError(t, os.WriteFile(oldFile, []byte("QUYẾT ĐỊNH\nBan hành Quy chế tiếp công dân."), 0o600))
	require.NoError(t, os.WriteFile(newFile, []byte("QUYẾT ĐỊNH\nĐiều 3. Quyết định này thay thế Quyết định số 12/2019/QĐ-UBND "+
		"ngày 05/3/2019 của UBND tỉnh."), 0o600))
	code, _, errOut := run(t, vars, "docs", "import", "--number", "12/2019/QĐ-UBND", "--date", "5/3/2019", "--type", "QĐ", oldFile)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = run(t, vars, "docs", "import", "--number", "45/2021/QĐ-UBND", "--date", "2021-06-01", "--type", "QĐ", newFile)
	require.Equal(t, 0, code, errOut)

	code, out, errOut := run(t, vars, "docs", "show", "12/2019/QĐ-UBND")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "hiệu lực: đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021")
	require.Contains(t, out, "«Quyết định này thay thế Quyết định số 12/2019/QĐ-UBND")
	require.Contains(t, out, "ngày: 05/03/2019")
	require.NotContains(t, out, "unknown")

	code, out, errOut = run(t, vars, "docs", "show", "--json", "12/2019/QĐ-UBND")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, `"status": "replaced"`)
	require.Contains(t, out, `"status_vi": "đã bị thay thế bởi Quyết định 45/2021/QĐ-UBND ngày 01/06/2021"`)

	code, out, errOut = run(t, vars, "docs", "clashes")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "Không có văn bản trùng số.")
}
