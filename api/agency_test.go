package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/danvan/danvan"
)

// TestAgencyOpenAPI checks that the description parses and names every
// route the agency registers.
func TestAgencyOpenAPI(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(agencyOpenAPI, &doc))
	for _, route := range []string{
		"POST /api/inspections", "GET /api/inspections", "GET /api/inspections/{id}", "POST /api/inspections/{id}/close",
		"POST /api/inspections/{id}/units/{unit}/record", "POST /api/inspections/{id}/units/{unit}/actions/{n}/{action}",
		"GET /api/inspections/{id}/units/{unit}/notice.docx", "POST /api/criteria", "GET /api/criteria", "PUT /api/cycles/{id}/criteria",
		"POST /api/cycles/{id}/units/{unit}/scores/{kind}", "GET /api/cycles/{id}/scores", "GET /api/cycles/{id}/summary",
	} {
		method, path, _ := strings.Cut(route, " ")
		_, ok := doc.Paths[path][strings.ToLower(method)]
		require.True(t, ok, route)
	}
	rec := httptest.NewRecorder()
	(&Server{}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi/agency.yaml", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), "openapi: 3.0.3")
}

// TestAgencyRoutes_Unconfigured answers 503, not a panic, when the agency
// store is not wired.
func TestAgencyRoutes_Unconfigured(t *testing.T) {
	srv := &Server{Users: fakeUsersForAgency{}}
	for _, path := range []string{"/api/inspections", "/api/criteria"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer x")
		srv.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code, path)
		require.Contains(t, rec.Body.String(), "message_vi")
	}
}

type fakeUsersForAgency struct{}

func (fakeUsersForAgency) CreateUser(context.Context, *danvan.User) (string, error) { return "", nil }
func (fakeUsersForAgency) Authenticate(context.Context, string) (*danvan.User, error) {
	return &danvan.User{ID: 1, Name: "admin", Role: danvan.RoleAdmin}, nil
}
func (fakeUsersForAgency) ListUsers(context.Context) ([]danvan.User, error) { return nil, nil }
