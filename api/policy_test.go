package api_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/store"
)

// Who may call a route, as the policy says:
const (
	public = "public" // anyone, signed in or not
	signed = "signed" // every signed-in role, own and foreign unit alike
	admin  = "admin"  // administrators; others 403
	read   = "read"   // everyone reads; officers only their own units (404 elsewhere)
	act    = "act"    // administrators, and officers for their own units (404 elsewhere); inspectors and readers 403
	self   = "self"   // one's own account, or an administrator for anyone's; others 404
)

// routeCase is one registered route with a request for the caller's own
// unit (officer A's: A, cycle 2022-OWN) and one for a foreign unit (B,
// cycle 2023-B). {me} is the caller's login, {tok} one of its spare
// tokens' id ({tok} of "target" in the foreign request).
type routeCase struct {
	pattern      string
	own, foreign string
	allow        string
	ctype, body  string
	foreignBody  string // the body of the foreign request, when it differs
	fresh        bool   // the request ends the session: sign in anew for it
}

var routeCases = []routeCase{
	{pattern: "GET /healthz", own: "/healthz", allow: public},
	{pattern: "GET /api/openapi.json", own: "/api/openapi.json", allow: public},
	{pattern: "POST /api/login", own: "/api/login", allow: public, ctype: "application/json", body: `{"login":"reader","password":"` + testPassword + `"}`, fresh: true},
	{pattern: "GET /api/me", own: "/api/me", allow: signed},
	{pattern: "GET /api/session", own: "/api/session", allow: signed},
	{pattern: "POST /api/me/password", own: "/api/me/password", allow: signed, ctype: "application/json",
		body: `{"current_password":"` + testPassword + `","new_password":"` + testPassword + `"}`, fresh: true},
	{pattern: "POST /api/logout", own: "/api/logout", allow: signed, fresh: true},
	{pattern: "GET /api/users", own: "/api/users", allow: admin},
	{pattern: "POST /api/users", own: "/api/users", allow: admin, ctype: "application/json", body: `{"login":"new-user","name":"Mới","role":"reader"}`},
	{pattern: "GET /api/users/{login}", own: "/api/users/target", allow: admin},
	{pattern: "PATCH /api/users/{login}", own: "/api/users/target", allow: admin, ctype: "application/json", body: `{"name":"Đích"}`},
	{pattern: "POST /api/users/{login}/disable", own: "/api/users/target/disable", allow: admin},
	{pattern: "POST /api/users/{login}/enable", own: "/api/users/target/enable", allow: admin},
	{pattern: "POST /api/users/{login}/password", own: "/api/users/target/password", allow: admin, ctype: "application/json", body: `{}`},
	{pattern: "POST /api/users/{login}/revoke", own: "/api/users/target/revoke", allow: admin},
	{pattern: "GET /api/users/{login}/tokens", own: "/api/users/{me}/tokens", foreign: "/api/users/target/tokens", allow: self},
	{pattern: "POST /api/users/{login}/tokens", own: "/api/users/{me}/tokens", foreign: "/api/users/target/tokens", allow: self, ctype: "application/json", body: `{}`},
	{pattern: "DELETE /api/users/{login}/tokens/{id}", own: "/api/users/{me}/tokens/{tok}", foreign: "/api/users/target/tokens/{tok}", allow: self},
	{pattern: "GET /api/audit", own: "/api/audit", allow: admin},
	{pattern: "GET /api/audit.csv", own: "/api/audit.csv", allow: admin},
	{pattern: "GET /api/units", own: "/api/units", allow: signed},
	{pattern: "POST /api/units", own: "/api/units", allow: admin, ctype: "text/csv", body: "code,name,parent_code,kind\nA,Đơn vị A,OWN,department\n"},
	{pattern: "GET /api/cycles", own: "/api/cycles", allow: signed},
	{pattern: "POST /api/cycles", own: "/api/cycles", allow: admin, ctype: "application/json",
		body: `{"year": 2027, "title": "Dân vận 2027", "owner": "OWN", "scope": ["A"], "parent_plan": {"number": "9/KH-UBND", "date": "2027-01-10", "issuer": "UBND tỉnh"}, "tasks": [{"kind": "unit_plan", "title": "Kế hoạch", "due": "2027-03-31"}]}`},
	{pattern: "GET /api/cycles/{id}", own: "/api/cycles/2022-OWN", foreign: "/api/cycles/2023-B", allow: read},
	{pattern: "GET /api/cycles/{id}/export.csv", own: "/api/cycles/2022-OWN/export.csv", foreign: "/api/cycles/2023-B/export.csv", allow: read},
	{pattern: "GET /api/cycles/{id}/units/{unit}/tasks/{kind}", own: "/api/cycles/2022-OWN/units/A/tasks/unit_plan", foreign: "/api/cycles/2022-OWN/units/B/tasks/unit_plan", allow: read},
	{pattern: "GET /api/cycles/{id}/units/{unit}/live", own: "/api/cycles/2022-OWN/units/A/live", foreign: "/api/cycles/2022-OWN/units/B/live", allow: read},
	{pattern: "POST /api/cycles/{id}/units/{unit}/tasks/{kind}/submit", own: "/api/cycles/2022-OWN/units/A/tasks/unit_plan/submit",
		foreign: "/api/cycles/2022-OWN/units/B/tasks/unit_plan/submit", allow: act, ctype: "application/json", body: `{"text":"Kế hoạch của đơn vị"}`},
	{pattern: "POST /api/cycles/{id}/units/{unit}/tasks/{kind}/{action}", own: "/api/cycles/2022-OWN/units/A/tasks/unit_plan/accept",
		foreign: "/api/cycles/2022-OWN/units/B/tasks/unit_plan/accept", allow: admin},
	{pattern: "GET /api/notifications", own: "/api/notifications?unit=A", foreign: "/api/notifications?unit=B", allow: read},
	{pattern: "POST /api/notifications/{id...}", own: "/api/notifications/2022-OWN/A/unit_plan/reminder/1/read", foreign: "/api/notifications/2022-OWN/B/unit_plan/reminder/1/read", allow: act},
	{pattern: "GET /api/documents", own: "/api/documents?q=chi+thi", allow: signed},
	{pattern: "GET /api/documents/{id...}", own: "/api/documents/33/CT-TTg", allow: signed},
	{pattern: "POST /api/documents", own: "/api/documents", allow: admin, ctype: "multipart/form-data; boundary=X",
		body: "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nSố: 1/QĐ-UBND\r\n--X--\r\n"},

	// Web pages.
	{pattern: "GET /{$}", own: "/", allow: public},
	{pattern: "GET /dang-nhap", own: "/dang-nhap", allow: public},
	{pattern: "POST /dang-nhap", own: "/dang-nhap", allow: public, ctype: "application/x-www-form-urlencoded", body: "login=reader&password=" + url.QueryEscape(testPassword), fresh: true},
	{pattern: "POST /dang-xuat", own: "/dang-xuat", allow: public, fresh: true},
	{pattern: "GET /chu-ky", own: "/chu-ky", allow: signed},
	{pattern: "POST /chu-ky", own: "/chu-ky", allow: admin, ctype: "application/x-www-form-urlencoded",
		body: "definition=" + url.QueryEscape(`{"year": 2028, "title": "Dân vận 2028", "owner": "OWN", "scope": ["A"], "parent_plan": {"number": "9/KH-UBND", "date": "2028-01-10", "issuer": "UBND tỉnh"}, "tasks": [{"kind": "unit_plan", "title": "Kế hoạch", "due": "2028-03-31"}]}`)},
	{pattern: "GET /chu-ky/{id}", own: "/chu-ky/2022-OWN", foreign: "/chu-ky/2023-B", allow: read},
	{pattern: "GET /chu-ky/{id}/export.csv", own: "/chu-ky/2022-OWN/export.csv", foreign: "/chu-ky/2023-B/export.csv", allow: read},
	{pattern: "GET /chu-ky/{id}/{unit}/{kind}", own: "/chu-ky/2022-OWN/A/unit_plan", foreign: "/chu-ky/2022-OWN/B/unit_plan", allow: read},
	{pattern: "POST /chu-ky/{id}/{unit}/{kind}/{action}", own: "/chu-ky/2022-OWN/A/unit_plan/nop", foreign: "/chu-ky/2022-OWN/B/unit_plan/nop",
		allow: act, ctype: "application/x-www-form-urlencoded", body: "text=K%E1%BA%BF+ho%E1%BA%A1ch"},
	{pattern: "GET /tra-cuu", own: "/tra-cuu?q=chi+thi", allow: signed},
	{pattern: "POST /tra-cuu/nhap", own: "/tra-cuu/nhap", allow: admin, ctype: "multipart/form-data; boundary=X",
		body: "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nSố: 1/QĐ-UBND\r\n--X--\r\n"},
	{pattern: "GET /van-ban/{id...}", own: "/van-ban/33/CT-TTg", allow: signed},
	{pattern: "GET /thong-bao", own: "/thong-bao", allow: signed},
	{pattern: "POST /thong-bao/doc", own: "/thong-bao/doc", allow: act, ctype: "application/x-www-form-urlencoded",
		body: "id=2022-OWN%2FA%2Funit_plan%2Freminder%2F1", foreignBody: "id=2022-OWN%2FB%2Funit_plan%2Freminder%2F1"},
	{pattern: "GET /don-vi", own: "/don-vi", allow: signed},
	{pattern: "POST /don-vi", own: "/don-vi", allow: admin, ctype: "multipart/form-data; boundary=X",
		body: "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\ncode,name,parent_code,kind\nA,Đơn vị A,OWN,department\n\r\n--X--\r\n"},
	{pattern: "GET /tai-khoan", own: "/tai-khoan", allow: admin},
	{pattern: "POST /tai-khoan", own: "/tai-khoan", allow: admin, ctype: "application/x-www-form-urlencoded", body: "login=web-user&name=Web&role=reader"},
	{pattern: "POST /tai-khoan/{login}", own: "/tai-khoan/target", allow: admin, ctype: "application/x-www-form-urlencoded", body: "action=enable"},
	{pattern: "GET /mat-khau", own: "/mat-khau", allow: signed},
	{pattern: "POST /mat-khau", own: "/mat-khau", allow: signed, ctype: "application/x-www-form-urlencoded",
		body: "current_password=" + url.QueryEscape(testPassword) + "&new_password=" + url.QueryEscape(testPassword), fresh: true},
	{pattern: "GET /nhat-ky", own: "/nhat-ky", allow: admin},
	{pattern: "GET /nhat-ky.csv", own: "/nhat-ky.csv", allow: admin},
}

// TestPolicy_EveryRoute runs every route (API and web) for every role,
// and anonymously, against the caller's own unit and a foreign one.
func TestPolicy_EveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	users := store.NewUserService(e.db)
	cycles := store.NewCycleService(e.db)
	require.NoError(t, cycles.CreateCycle(ctx, &danvan.Cycle{ID: "2023-B", Units: []string{"B"}, Status: danvan.CycleRunning,
		StartedAt: time.Now(), Definition: danvan.CycleDefinition{Year: 2023, Title: "2023", Owner: "OWN"}}))
	ns := store.NewNotificationService(e.db)
	for _, u := range []string{"A", "B"} {
		_, err := ns.CreateNotification(ctx, &danvan.Notification{ID: "2022-OWN/" + u + "/unit_plan/reminder/1", CycleID: "2022-OWN", UnitCode: u,
			TaskKind: "unit_plan", Kind: danvan.NotifyReminder, Subject: "Nhắc", Body: "x", Due: time.Now()})
		require.NoError(t, err)
	}
	require.NoError(t, users.AddUser(ctx, &danvan.User{Login: "target", Name: "Đích", Role: danvan.RoleReader}, testPassword))
	target, err := users.FindUser(ctx, "target")
	require.NoError(t, err)

	// Every registered route has a case, and every case a route.
	var patterns []string
	for _, c := range routeCases {
		patterns = append(patterns, c.pattern)
	}
	var registered []string
	for _, p := range handlerPatterns(t) {
		if p == "/api/" {
			continue
		}
		if notYetCovered[p] {
			require.NotContains(t, patterns, p, "%s has a case now: remove it from notYetCovered", p)
			continue
		}
		registered = append(registered, p)
	}
	require.ElementsMatch(t, registered, patterns, "routeCases lists every route of the api package (or notYetCovered does)")

	// spareToken makes a token for userID nobody uses, so revoking it by
	// id breaks no other request.
	spareToken := func(userID int64) string {
		_, tok, err := users.NewToken(ctx, userID, nil)
		require.NoError(t, err)
		return strconv.FormatInt(tok.ID, 10)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	roles := []string{"admin", "a", "inspector", "reader", ""}
	type session struct {
		cookie *http.Cookie
		csrf   string
	}
	sessions := map[string]session{} // one per role, signed in once
	roleOf := map[string]string{"admin": danvan.RoleAdmin, "a": danvan.RoleOfficer, "inspector": danvan.RoleInspector, "reader": danvan.RoleReader}
	for _, c := range routeCases {
		method, _, _ := strings.Cut(c.pattern, " ")
		for _, who := range roles {
			for _, scope := range []string{"own", "foreign"} {
				path := c.own
				if scope == "foreign" && c.foreign != "" {
					path = c.foreign
				}
				me := e.logins[who]
				if who == "" {
					me = "admin"
				}
				u, _ := users.FindUser(ctx, me)
				owner := u.ID
				if scope == "foreign" {
					owner = target.ID
				}
				path = strings.ReplaceAll(path, "{me}", me)
				if strings.Contains(path, "{tok}") {
					path = strings.ReplaceAll(path, "{tok}", spareToken(owner))
				}
				body := c.body
				if scope == "foreign" && c.foreignBody != "" {
					body = c.foreignBody
				}
				web := !strings.HasPrefix(path, "/api/") && path != "/healthz"
				req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
				require.NoError(t, err)
				if c.ctype != "" {
					req.Header.Set("Content-Type", c.ctype)
				}
				if who != "" {
					if web || c.fresh {
						sess, ok := sessions[who]
						if !ok || c.fresh {
							sess.cookie, sess.csrf = e.login(who)
						}
						if c.fresh {
							delete(sessions, who) // a password change ends every session of the user
						} else {
							sessions[who] = sess
						}
						req.AddCookie(sess.cookie)
						req.Header.Set(api.CSRFHeader, sess.csrf)
					} else {
						req.Header.Set("Authorization", "Bearer "+e.tokens[who])
					}
				}
				resp, err := client.Do(req)
				require.NoError(t, err)
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				code, loc := resp.StatusCode, resp.Header.Get("Location")
				name := c.pattern + " as " + who + " (" + scope + ") -> " + strconv.Itoa(code) + ": " + clip(string(b))

				role := roleOf[who]
				var allowed bool
				denial := 0 // the status a refusal must have; 0: 403 or 404
				switch c.allow {
				case public:
					allowed = true
				case signed:
					allowed = who != ""
				case admin:
					allowed, denial = role == danvan.RoleAdmin, 0
				case read:
					allowed = who != "" && (role != danvan.RoleOfficer || scope == "own")
					denial = http.StatusNotFound
				case act:
					switch role {
					case danvan.RoleAdmin:
						allowed = true
					case danvan.RoleOfficer:
						allowed, denial = scope == "own", http.StatusNotFound
					default:
						denial = http.StatusForbidden
					}
				case self:
					allowed = who != "" && (scope == "own" || role == danvan.RoleAdmin)
					denial = http.StatusNotFound
				}
				switch {
				case allowed:
					require.Less(t, code, 500, name)
					require.NotContains(t, []int{401, 403, 404}, code, name)
					if c.pattern != "POST /dang-xuat" { // signing out ends at the sign-in page
						require.NotEqual(t, "/dang-nhap", loc, name)
					}
				case who == "":
					if web && code != http.StatusUnauthorized { // a page sends to the sign-in form, a download answers 401
						require.Equal(t, http.StatusSeeOther, code, name)
						require.Equal(t, "/dang-nhap", loc, name)
					} else {
						require.Equal(t, http.StatusUnauthorized, code, name)
					}
				case denial != 0:
					require.Equal(t, denial, code, name)
				default:
					require.Contains(t, []int{403, 404}, code, name)
				}
			}
		}
	}
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
