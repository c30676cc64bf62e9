package api_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/api"
)

// routeAliases maps a mux pattern to the path it is documented under, for
// patterns whose wildcards OpenAPI cannot spell ({id...} with slashes).
var routeAliases = map[string]string{
	"GET /api/documents/{id...}":      "GET /api/documents/{id}",
	"POST /api/notifications/{id...}": "POST /api/notifications/{id}/read",
}

// handlerPatterns returns every pattern registered in the package (string
// literals passed to HandleFunc or Handle), read from the source so a
// route added anywhere in api/ is seen; it fails the test for a pattern
// that is not a literal.
func handlerPatterns(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: route pattern is not a string literal; write it out so the route tests see it", fset.Position(call.Pos()))
				return true
			}
			pat, _ := strconv.Unquote(lit.Value)
			out = append(out, pat)
			return true
		})
	}
	sort.Strings(out)
	return out
}

// registeredRoutes returns "METHOD /path" of every JSON route, as the
// OpenAPI document spells it.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, pat := range handlerPatterns(t) {
		method, path, ok := strings.Cut(pat, " ")
		if !ok || !(strings.HasPrefix(path, "/api/") || path == "/healthz") {
			continue // web pages, and the /api/ catch-all
		}
		if a, ok := routeAliases[pat]; ok {
			pat = a
		} else {
			pat = method + " " + path
		}
		seen[pat] = true
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

var loadDoc = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

func TestOpenAPI_EveryRoute(t *testing.T) {
	t.Parallel()
	doc, err := loadDoc()
	require.NoError(t, err, "the OpenAPI document is valid")
	require.True(t, doc.IsOpenAPI31OrLater())
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(documented)
	var registered []string
	for _, r := range registeredRoutes(t) {
		if notYetCovered[r] {
			require.NotContains(t, documented, r, "%s is documented now: remove it from notYetCovered", r)
			continue
		}
		registered = append(registered, r)
	}
	require.Subset(t, documented, registered, "every route is documented in api/openapi.json")
	require.Subset(t, registered, documented, "every documented route exists")
	require.Contains(t, documented, "POST /api/login")
}

// validator checks requests and responses against the OpenAPI document.
type validator struct {
	t      *testing.T
	router routers.Router
	next   http.RoundTripper
}

func newValidator(t *testing.T) *validator {
	doc, err := loadDoc()
	require.NoError(t, err)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return &validator{t: t, router: router, next: http.DefaultTransport}
}

// RoundTrip validates the request and its response when the route is an
// API route the router can match (ids with slashes cannot be).
func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/") {
		return resp, err
	}
	route, params, ferr := v.router.FindRoute(req)
	if ferr != nil {
		return resp, nil
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: opts}
	// Requests the server refuses (415, 400 for bad JSON) are meant to
	// break the contract; only those it accepts must keep it.
	if resp.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			v.t.Errorf("request %s %s does not match the OpenAPI document: %v", req.Method, req.URL.Path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		v.t.Errorf("response %d to %s %s does not match the OpenAPI document: %v", resp.StatusCode, req.Method, req.URL.Path, err)
	}
	return resp, nil
}
