package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/cli"
	"github.com/danvan/danvan/store/storetest"
)

// cliIn is cli with text on standard input.
func (s *stack) cliIn(stdin string, args ...string) string {
	s.t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"DANVAN_URL": s.main.HTTPURL(), "DANVAN_DATA_DIR": s.dataDir,
		"DANVAN_DATABASE_URL": storetest.URL(), "DANVAN_DATABASE_SCHEMA": s.schema}
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }})
	require.Equal(s.t, 0, code, "danvan %v: %s", args, errOut.String())
	return out.String()
}

// call sends one request to the stack; hdr are header name, value pairs.
func (s *stack) call(method, path, ctype string, body io.Reader, cookie *http.Cookie, hdr ...string) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.main.HTTPURL()+path, body)
	require.NoError(s.t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// login signs in through POST /api/login and returns the answer, the
// session cookie and the CSRF token.
func (s *stack) login(login, password string) (*http.Response, *http.Cookie, string) {
	s.t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": password})
	resp, body := s.call("POST", "/api/login", "application/json", bytes.NewReader(b), nil)
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	_ = json.Unmarshal([]byte(body), &out)
	for _, c := range resp.Cookies() {
		if c.Name == "danvan_session" {
			return resp, c, out.CSRFToken
		}
	}
	return resp, nil, ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// TestDev_Accounts is issue 8's "done when" list against the real Main.
func TestDev_Accounts(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	s := startStack(t, dir, schema)

	// The first administrator: a random password written once, mode 600.
	st, err := os.Stat(filepath.Join(dir, "admin.password"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	pwBytes, err := os.ReadFile(filepath.Join(dir, "admin.password"))
	require.NoError(t, err)
	adminPW := strings.TrimSpace(string(pwBytes))
	require.Equal(t, adminPW, s.main.AdminPassword)
	require.Len(t, adminPW, 16)

	// Accounts from the CLI.
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", unitsCSV))
	const pwA = "mật khẩu của cán bộ A"
	require.Contains(t, s.cliIn(pwA+"\n", "users", "add", "--login", "officer-a", "--name", "Cán bộ A", "--role", "officer", "--unit", "A", "--password-stdin"), "created officer-a")
	out := s.mustCLI("users", "add", "--login", "reader1", "--name", "Người tra cứu", "--role", "reader")
	require.Contains(t, out, "password (shown once): ")
	readerPW := strings.TrimPrefix(lastLine(out), "password (shown once): ")
	s.mustCLI("users", "add", "--login", "officer-b", "--name", "Cán bộ B", "--role", "officer", "--unit", "B")
	_, err = s.cli("users", "add", "--login", "weak", "--name", "W", "--role", "reader", "--password-stdin")
	require.Error(t, err, "an empty password from stdin is refused")
	var listed struct {
		Users []struct {
			Login string   `json:"login"`
			Units []string `json:"units"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("users", "list", "--json")), &listed))
	require.Len(t, listed.Users, 4)

	// Wrong passwords: 401, then 429 with a growing wait.
	for i := 0; i < 5; i++ {
		resp, _, _ := s.login("officer-a", fmt.Sprintf("sai mật khẩu %d", i))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, _, _ := s.login("officer-a", pwA)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	first := resp.Header.Get("Retry-After")
	resp, _, _ = s.login("officer-a", "sai nữa")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, first, resp.Header.Get("Retry-After"), "a throttled attempt does not extend the wait by itself")

	// The administrator signs in with the written password, in the web form too.
	resp, adminCookie, adminCSRF := s.login("admin", adminPW)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, adminCookie.HttpOnly)
	resp, _ = s.call("POST", "/dang-nhap", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"login": {"admin"}, "password": {adminPW}}.Encode()), nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page := s.call("GET", "/tai-khoan", "", nil, adminCookie)
	require.Contains(t, page, "officer-b")
	// The administrator's password reset lets officer A in again (and the
	// throttle is per login: A is still waiting, so use B).
	out = s.mustCLI("users", "password", "officer-b")
	pwB := strings.TrimPrefix(lastLine(out), "password (shown once): ")
	resp, cookieB, csrfB := s.login("officer-b", pwB)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	// A cycle whose deadline is past: every task overdue at once, with notices.
	id := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", cycleJSON(2032, time.Now().Add(-time.Hour)))))
	var notice string
	require.Eventually(t, func() bool {
		var ns struct {
			Notifications []struct {
				ID       string `json:"id"`
				UnitCode string `json:"unit"`
			} `json:"notifications"`
		}
		_ = json.Unmarshal([]byte(s.get("/api/notifications?unit=B")), &ns)
		for _, n := range ns.Notifications {
			if n.UnitCode == "B" {
				notice = n.ID
				return true
			}
		}
		return false
	}, 60*time.Second, 300*time.Millisecond, "B gets its overdue notice")

	// An officer cannot read another unit's task; "not found" reads the same as a missing one.
	resp, own := s.call("GET", "/api/cycles/"+id+"/units/B/tasks/unit_plan", "", nil, cookieB)
	require.Equal(t, http.StatusOK, resp.StatusCode, own)
	resp, foreign := s.call("GET", "/api/cycles/"+id+"/units/A/tasks/unit_plan", "", nil, cookieB)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	_, missing := s.call("GET", "/api/cycles/"+id+"/units/ZZ/tasks/unit_plan", "", nil, cookieB)
	require.Equal(t, missing, foreign)

	// A reader cannot change an officer's notices.
	resp, readerCookie, readerCSRF := s.login("reader1", readerPW)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = s.call("POST", "/api/notifications/"+notice+"/read", "", nil, readerCookie, "X-CSRF-Token", readerCSRF)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Contains(t, s.get("/api/notifications?unit=B&unread=1"), notice, "still unread")

	// A cross-origin POST with a session cookie gets 403, even with the token.
	resp, _ = s.call("POST", "/api/notifications/"+notice+"/read", "", nil, cookieB, "X-CSRF-Token", csrfB, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = s.call("POST", "/api/notifications/"+notice+"/read", "", nil, cookieB)
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "and without the CSRF token")
	resp, body := s.call("POST", "/api/notifications/"+notice+"/read", "", nil, cookieB, "X-CSRF-Token", csrfB)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)

	// After logout the session, after `users revoke` the token, are refused.
	resp, _ = s.call("POST", "/api/logout", "", nil, readerCookie, "X-CSRF-Token", readerCSRF)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = s.call("GET", "/api/me", "", nil, readerCookie)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	token := lastLine(s.mustCLI("users", "token", "officer-b", "--expires", "30d"))
	require.True(t, strings.HasPrefix(token, "dvt_"), token)
	resp, _ = s.call("GET", "/api/me", "", nil, nil, "Authorization", "Bearer "+token)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, s.mustCLI("users", "revoke", "officer-b"), "revoked")
	resp, _ = s.call("GET", "/api/me", "", nil, nil, "Authorization", "Bearer "+token)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = s.call("GET", "/api/me", "", nil, cookieB)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "revoke ends sessions too")

	// Strict input: trailing JSON 400, text/plain 415, a 70 MB unit import 413.
	resp, _ = s.call("POST", "/api/login", "application/json", strings.NewReader(`{"login":"admin","password":"x"} []`), nil)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = s.call("POST", "/api/login", "text/plain", strings.NewReader(`{"login":"admin","password":"x"}`), nil)
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	big := bytes.NewBufferString("code,name,parent_code,kind\n")
	for big.Len() < 70<<20 {
		fmt.Fprintf(big, "X%d,Đơn vị thừa %d,OWN,commune\n", big.Len(), big.Len())
	}
	resp, body = s.call("POST", "/api/units", "text/csv", big, adminCookie, "X-CSRF-Token", adminCSRF)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	require.NotContains(t, s.get("/api/units"), "Đơn vị thừa", "all rows or none")

	// A 20,000-word search is refused at once (not run for 19 s).
	q := strings.TrimSpace(strings.Repeat("chỉ thị ", 10000))
	started := time.Now()
	resp, body = s.call("GET", "/api/documents?q="+url.QueryEscape(q), "", nil, adminCookie)
	t.Logf("20,000-word search answered %d in %s", resp.StatusCode, time.Since(started))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)

	// The headers are present.
	for _, path := range []string{"/", "/api/me", "/dang-nhap"} {
		resp, _ = s.call("GET", path, "", nil, adminCookie)
		require.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		require.NotEmpty(t, resp.Header.Get("Referrer-Policy"), path)
	}

	// The OpenAPI document lists /api/login among its paths.
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	resp, body = s.call("GET", "/api/openapi.json", "", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	require.Contains(t, doc.Paths, "/api/login")
	require.GreaterOrEqual(t, len(doc.Paths), 29)

	// Everything above is in the audit log, with the client address.
	var audit struct {
		Entries []struct{ Action, Client, Actor string } `json:"entries"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("audit", "--json", "--since", "1h")), &audit))
	seen := map[string]bool{}
	for _, e := range audit.Entries {
		seen[e.Action] = true
		if strings.HasPrefix(e.Action, "login.") {
			require.Equal(t, "127.0.0.1", e.Client)
		}
	}
	for _, a := range []string{"login.failure", "login.throttled", "login.success", "logout", "user.create", "user.password", "token.create", "token.revoke_all", "http.post", "cycle.start"} {
		require.True(t, seen[a], "audit has %s", a)
	}
}
