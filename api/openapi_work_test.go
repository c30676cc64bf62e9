package api_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestOpenAPIWork: every route of the document is served (not the "no such
// API route" fallback), and the document parses.
func TestOpenAPIWork(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("openapi-work.yaml")
	require.NoError(t, err)
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(b, &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	require.GreaterOrEqual(t, len(doc.Paths), 14)
	e := newWorkEnv(t)
	fill := strings.NewReplacer("{id}", "2022-OWN", "{unit}", "A", "{kind}", "annual_report", "{mid}", "1", "{did}", "1", "{aid}", "1")
	for path, ops := range doc.Paths {
		for method := range ops {
			code, body := e.do("admin", strings.ToUpper(method), fill.Replace(path), "")
			require.NotContains(t, body, "no such API route", "%s %s", method, path)
			require.NotEqual(t, http.StatusMethodNotAllowed, code, "%s %s", method, path)
		}
	}
}
