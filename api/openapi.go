package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.1 description of every JSON route. A test
// (TestOpenAPI_EveryRoute) fails when a route registered in this package
// is missing from it or it lists a route that does not exist; to add a
// route, add its path and operation under "paths" (and, when its mux
// pattern differs from the documented path, an entry in routeAliases of
// the test).
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI document served at /api/openapi.json.
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(openAPIDoc)
	})
}
