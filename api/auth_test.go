package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/store"
)

// req sends a request with optional session cookie, CSRF header and
// content type, through the validating client.
func (e *env) req(method, path, ctype, body string, cookie *http.Cookie, csrf string, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(e.t, err)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	if csrf != "" {
		r.Header.Set(api.CSRFHeader, csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.client.Do(r)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAuth_LoginThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	login := func(pw string) (*http.Response, string) {
		b, _ := json.Marshal(map[string]string{"login": "officer-a", "password": pw})
		return e.req("POST", "/api/login", "application/json", string(b), nil, "")
	}
	for i := 0; i < 5; i++ {
		resp, body := login("sai mật khẩu " + string(rune('a'+i)))
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, body)
		require.Contains(t, body, "sai tên đăng nhập hoặc mật khẩu")
	}
	resp, body := login(testPassword)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "even the right password waits after 5 failures: %s", body)
	require.Equal(t, "30", resp.Header.Get("Retry-After"))
	resp, _ = login("sai nữa")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)

	// An unknown login answers exactly like a wrong password.
	b, _ := json.Marshal(map[string]string{"login": "nobody", "password": "whatever123"})
	resp, body = e.req("POST", "/api/login", "application/json", string(b), nil, "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Contains(t, body, "wrong login or password")

	// Another login from the same address is not blocked yet (the address
	// allows 20 failures).
	c, csrf := e.login("b")
	require.NotEmpty(t, c.Value)
	require.NotEmpty(t, csrf)

	entries, err := store.NewAuditService(e.db).FindAudit(context.Background(), danvan.AuditFilter{Action: "login."})
	require.NoError(t, err)
	count := map[string]int{}
	for _, en := range entries {
		count[en.Action]++
		require.Equal(t, "127.0.0.1", en.Client)
	}
	require.Equal(t, 6, count["login.failure"])
	require.Equal(t, 2, count["login.throttled"], "the throttled attempts, one with the right password")
	require.Equal(t, 1, count["login.success"])
}

func TestAuth_SessionCSRFLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, csrf := e.login("b")
	resp, body := e.req("GET", "/api/me", "", "", c, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Contains(t, body, `"officer-b"`)
	resp, body = e.req("GET", "/api/session", "", "", c, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Contains(t, body, csrf)

	n := danvan.Notification{ID: "2022-OWN/B/unit_plan/reminder/1", CycleID: "2022-OWN", UnitCode: "B", TaskKind: "unit_plan",
		Kind: danvan.NotifyReminder, Subject: "Nhắc", Body: "x", Due: time.Now()}
	_, err := store.NewNotificationService(e.db).CreateNotification(context.Background(), &n)
	require.NoError(t, err)
	resp, _ = e.req("POST", "/api/notifications/"+n.ID+"/read", "", "", c, "")
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "a cookie-authenticated write needs the CSRF token")
	resp, _ = e.req("POST", "/api/notifications/"+n.ID+"/read", "", "", c, "wrong")
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = e.req("POST", "/api/notifications/"+n.ID+"/read", "", "", c, csrf, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "a cross-origin POST is refused even with the token")
	resp, body = e.req("POST", "/api/notifications/"+n.ID+"/read", "", "", c, csrf)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)

	// Web forms: the token comes in the form field.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"id": {n.ID}}
	post := func(f url.Values, hdr ...string) int {
		r, _ := http.NewRequest("POST", e.srv.URL+"/thong-bao/doc", strings.NewReader(f.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		r.AddCookie(c)
		resp, err := client.Do(r)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusForbidden, post(form), "a form without the token")
	form.Set(api.CSRFField, csrf)
	require.Equal(t, http.StatusForbidden, post(form, "Origin", "http://evil.example"), "a cross-origin form")
	require.Equal(t, http.StatusOK, post(form))

	resp, _ = e.req("POST", "/api/logout", "", "", c, csrf)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.req("GET", "/api/me", "", "", c, "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the session ended at logout")

	// A new login gets a new session id.
	c2, _ := e.login("b")
	require.NotEqual(t, c.Value, c2.Value)
}

func TestAuth_StrictJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := "Bearer " + e.tokens["admin"]
	resp, body := e.req("POST", "/api/users", "application/json", `{"login":"x1","name":"X","role":"reader"} {"more":1}`, nil, "", "Authorization", tok)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	require.Contains(t, body, "dữ liệu thừa")
	resp, _ = e.req("POST", "/api/users", "text/plain", `{"login":"x1","name":"X","role":"reader"}`, nil, "", "Authorization", tok)
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	resp, _ = e.req("POST", "/api/users", "application/json", `{"login":"x1","name":"X","role":"reader","admin":true}`, nil, "", "Authorization", tok)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "unknown fields are refused")
	resp, _ = e.req("POST", "/api/login", "application/json", `{"login":"a","password":"`+strings.Repeat("x", 21<<20)+`"}`, nil, "")
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	big := "code,name,parent_code,kind\n" + strings.Repeat("ZZ,Đơn vị thừa,OWN,commune\n", (21<<20)/26)
	resp, body = e.req("POST", "/api/units", "text/csv", big, nil, "", "Authorization", tok)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	units, err := store.NewUnitService(e.db).ListUnits(context.Background())
	require.NoError(t, err)
	require.Len(t, units, 3, "nothing of an oversized import is kept")
}

func TestAuth_Headers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{"/", "/dang-nhap", "/api/cycles", "/healthz"} {
		resp, body := e.req("GET", path, "", "", nil, "")
		h := resp.Header
		require.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		require.Contains(t, h.Get("Content-Security-Policy"), "script-src 'self' 'nonce-", path)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, "same-origin", h.Get("Referrer-Policy"), path)
		require.Empty(t, h.Get("Strict-Transport-Security"), "no HSTS on http")
		require.NotContains(t, body, "<script>", path)
	}
	e.server.HTTPS = true
	srv := httptest.NewServer(e.server.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Contains(t, resp.Header.Get("Strict-Transport-Security"), "max-age=")
}

type failingDocs struct{ fakeDocs }

func (failingDocs) SearchDocuments(context.Context, api.DocumentQuery) (*api.DocumentResults, error) {
	return nil, errors.New(`postgres 42P01: relation "secret_table" does not exist`)
}

func TestAuth_InternalErrorsHidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.server.Documents = failingDocs{}
	srv := httptest.NewServer(e.server.Handler())
	defer srv.Close()
	r, _ := http.NewRequest("GET", srv.URL+"/api/documents?q=x", nil)
	r.Header.Set("Authorization", "Bearer "+e.tokens["reader"])
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	require.NotContains(t, string(b), "secret_table")
	require.Contains(t, string(b), "Internal error")
}

func TestAuth_SearchBounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := strings.TrimSpace(strings.Repeat("chỉ thị ", 20000))
	code, body := e.do("reader", "GET", "/api/documents?q="+url.QueryEscape(q), "")
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Contains(t, body, "40 từ")
	code, _ = e.do("reader", "GET", "/api/documents?q="+url.QueryEscape("chỉ thị 33"), "")
	require.Equal(t, http.StatusOK, code)
}

func TestAuth_Accounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, body := e.do("admin", "POST", "/api/users", `{"login":"officer-c","name":"Cán bộ C","role":"officer","units":["A","B"]}`)
	require.Equal(t, http.StatusCreated, code, body)
	var created struct {
		User     danvan.User `json:"user"`
		Password string      `json:"password"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &created))
	require.Len(t, created.Password, 16, "a generated password is shown once")
	require.Equal(t, []string{"A", "B"}, created.User.Units)
	code, _ = e.do("a", "POST", "/api/users", `{"login":"officer-d","name":"D","role":"admin"}`)
	require.Equal(t, http.StatusForbidden, code, "only administrators create users")
	code, body = e.do("admin", "POST", "/api/users", `{"login":"officer-e","name":"E","role":"reader","password":"officer-e-123"}`)
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, body, `"password"`)
	code, _ = e.do("admin", "POST", "/api/users", `{"login":"officer-c","name":"C","role":"reader"}`)
	require.Equal(t, http.StatusConflict, code)

	loginC := func(pw string) int {
		b, _ := json.Marshal(map[string]string{"login": "officer-c", "password": pw})
		resp, _ := e.req("POST", "/api/login", "application/json", string(b), nil, "")
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, loginC(created.Password))
	code, body = e.do("admin", "POST", "/api/users/officer-c/disable", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, http.StatusUnauthorized, loginC(created.Password), "a disabled user cannot sign in")
	code, _ = e.do("admin", "POST", "/api/users/admin/disable", "")
	require.Equal(t, http.StatusConflict, code, "an administrator cannot lock himself out")
	code, _ = e.do("admin", "PATCH", "/api/users/officer-c", `{"disabled":false,"units":["B"]}`)
	require.Equal(t, http.StatusOK, code)
	code, body = e.do("admin", "POST", "/api/users/officer-c/password", `{}`)
	require.Equal(t, http.StatusOK, code, body)
	var pw struct{ Password string }
	require.NoError(t, json.Unmarshal([]byte(body), &pw))
	require.Equal(t, http.StatusOK, loginC(pw.Password))

	// Personal tokens: own or by an administrator, shown once, listed
	// without secret, revocable.
	code, body = e.do("b", "POST", "/api/users/officer-b/tokens", `{"expires_in_days":30}`)
	require.Equal(t, http.StatusCreated, code, body)
	var tok struct{ Token, Prefix string }
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	require.True(t, strings.HasPrefix(tok.Token, store.TokenPrefix))
	code, _ = e.do("b", "POST", "/api/users/officer-a/tokens", `{}`)
	require.Equal(t, http.StatusNotFound, code, "nobody else's tokens")
	code, body = e.do("b", "GET", "/api/users/officer-b/tokens", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, tok.Prefix)
	require.NotContains(t, body, tok.Token)
	e.tokens["b2"] = tok.Token
	code, _ = e.do("b2", "GET", "/api/me", "")
	require.Equal(t, http.StatusOK, code)
	code, body = e.do("admin", "POST", "/api/users/officer-b/revoke", "")
	require.Equal(t, http.StatusOK, code, body)
	code, _ = e.do("b2", "GET", "/api/me", "")
	require.Equal(t, http.StatusUnauthorized, code, "revoked tokens are refused")

	code, body = e.do("admin", "GET", "/api/audit?action=user.", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"user.create"`)
	require.Contains(t, body, `"user.disable"`)
	require.Contains(t, body, `"before"`)
	code, _ = e.do("reader", "GET", "/api/audit", "")
	require.Equal(t, http.StatusForbidden, code)
	code, body = e.do("admin", "GET", "/api/audit.csv?action=token.", "")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "token.revoke_all")
}

func TestAuth_NotificationReadsPerUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := danvan.Notification{ID: "2022-OWN/B/unit_plan/reminder/1", CycleID: "2022-OWN", UnitCode: "B", TaskKind: "unit_plan",
		Kind: danvan.NotifyReminder, Subject: "Nhắc", Body: "x", Due: time.Now()}
	ns := store.NewNotificationService(e.db)
	_, err := ns.CreateNotification(context.Background(), &n)
	require.NoError(t, err)
	for _, who := range []string{"reader", "inspector"} {
		code, _ := e.do(who, "POST", "/api/notifications/"+n.ID+"/read", "")
		require.Equal(t, http.StatusForbidden, code, "%s cannot change an officer's inbox", who)
	}
	got, err := ns.FindNotification(context.Background(), n.ID)
	require.NoError(t, err)
	require.Nil(t, got.ReadAt, "still unread")
	code, _ := e.do("b", "POST", "/api/notifications/"+n.ID+"/read", "")
	require.Equal(t, http.StatusOK, code)
	u, err := store.NewUserService(e.db).FindUser(context.Background(), "officer-b")
	require.NoError(t, err)
	reads, err := ns.ReadBy(context.Background(), u.ID, []string{n.ID})
	require.NoError(t, err)
	require.Contains(t, reads, n.ID, "the read is recorded for the user")
	_, body := e.do("b", "GET", "/api/notifications?unread=1", "")
	require.NotContains(t, body, n.ID, "read for B")
	_, body = e.do("admin", "GET", "/api/notifications?unit=B&unread=1", "")
	require.Contains(t, body, n.ID, "still unread for the administrator: read state is per user")
	code, _ = e.do("admin", "POST", "/api/notifications/"+n.ID+"/read", "")
	require.Equal(t, http.StatusOK, code)
	_, body = e.do("admin", "GET", "/api/notifications?unit=B&unread=1", "")
	require.NotContains(t, body, n.ID)
}

// TestWeb_LoginLogout: the login form, the logout button and the pages
// of accounts and audit.
func TestWeb_LoginLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(e.srv.URL+"/dang-nhap", url.Values{"login": {"admin"}, "password": {"sai mật khẩu 1"}})
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Contains(t, string(b), "sai tên đăng nhập hoặc mật khẩu")
	c, _ := e.login("admin")
	get := func(path string) (int, string) {
		r, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		r.AddCookie(c)
		resp, err := client.Do(r)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, page := get("/tai-khoan")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "officer-a")
	require.Contains(t, page, `action="/dang-xuat"`, "the logout button")
	csrf := csrfOf(t, page)
	code, page = get("/nhat-ky?action=login.")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "login.success")
	code, csv := get("/nhat-ky.csv")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, csv, "login.failure")

	form := url.Values{"login": {"officer-z"}, "name": {"Cán bộ Z"}, "role": {"officer"}, "units": {"A"}, api.CSRFField: {csrf}}
	r, _ := http.NewRequest("POST", e.srv.URL+"/tai-khoan", bytes.NewReader([]byte(form.Encode())))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(c)
	resp, err = client.Do(r)
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	require.Contains(t, string(b), "Mật khẩu (chỉ hiện một lần)")

	r, _ = http.NewRequest("POST", e.srv.URL+"/dang-xuat", strings.NewReader(url.Values{api.CSRFField: {csrf}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(c)
	resp, err = client.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	code, _ = get("/tai-khoan")
	require.Equal(t, http.StatusSeeOther, code, "signed out")

	cr, _ := e.login("reader")
	r, _ = http.NewRequest("GET", e.srv.URL+"/tai-khoan", nil)
	r.AddCookie(cr)
	resp, err = client.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "accounts are for administrators")
}

func TestAuth_ChangeOwnPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, csrf := e.login("b")
	other, _ := e.login("b")
	resp, body := e.req("POST", "/api/me/password", "application/json", `{"current_password":"sai","new_password":"một mật khẩu mới dài"}`, c, csrf)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	require.Contains(t, body, "current_password")
	resp, body = e.req("POST", "/api/me/password", "application/json", `{"current_password":"`+testPassword+`","new_password":"officer-b-2026"}`, c, csrf)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	require.Contains(t, body, "new_password")
	resp, body = e.req("POST", "/api/me/password", "application/json", `{"current_password":"`+testPassword+`","new_password":"một mật khẩu mới dài"}`, c, csrf)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var renewed *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == api.SessionCookie {
			renewed = k
		}
	}
	require.NotNil(t, renewed, "the caller gets a new session")
	resp, _ = e.req("GET", "/api/me", "", "", renewed, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.req("GET", "/api/me", "", "", other, "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "other sessions end")
	b, _ := json.Marshal(map[string]string{"login": "officer-b", "password": "một mật khẩu mới dài"})
	resp, _ = e.req("POST", "/api/login", "application/json", string(b), nil, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
