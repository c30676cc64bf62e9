package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAPI_SubmissionContent: a multipart submission is stored before the
// engine hears of it; its text and files come back exactly, to the unit
// and administrators only; a repeated Idempotency-Key is one command and a
// malformed key is refused with the header named.
func TestAPI_SubmissionContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	text := "Kế hoạch \"số 5\"\t\\C:\\báo-cáo\r\n"
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	require.NoError(t, w.WriteField("number", "5/KH-B"))
	require.NoError(t, w.WriteField("text", text))
	part, err := w.CreateFormFile("attach", "phu-luc.docx")
	require.NoError(t, err)
	_, _ = part.Write([]byte("PK\x03\x04 docx bytes"))
	require.NoError(t, w.Close())
	send := func(who, key string) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/cycles/2022-OWN/units/B/tasks/unit_plan/submit", bytes.NewReader(buf.Bytes()))
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
		req.Header.Set("Content-Type", w.FormDataContentType())
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := send("b", "bad key with spaces")
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, "Idempotency-Key")
	code, body = send("b", "k1")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"seq": 1`)
	code, _ = send("b", "k1")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, e.engine.submitted, 1, "one command")

	base := "/api/cycles/2022-OWN/units/B/tasks/unit_plan"
	code, got := e.do("b", "GET", base+"/submissions/1/content", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, text, got, "byte for byte")
	code, got = e.do("admin", "GET", base+"/submissions/1/files/1", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "PK\x03\x04 docx bytes", got)
	code, got = e.do("b", "GET", base, "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, got, `"sha256"`)
	require.Contains(t, got, "phu-luc.docx")
	require.False(t, strings.Contains(got, "số 5"), "the listing has no body")

	code, _ = e.do("a", "GET", base+"/submissions/1/content", "")
	require.Equal(t, http.StatusNotFound, code, "A cannot read B's text")
	code, _ = e.do("a", "GET", base+"/submissions/1/files/1", "")
	require.Equal(t, http.StatusNotFound, code, "nor its files")
	code, _ = e.do("b", "GET", base+"/submissions/2/content", "")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = e.do("b", "GET", base+"/submissions/x/content", "")
	require.Equal(t, http.StatusBadRequest, code)
}
