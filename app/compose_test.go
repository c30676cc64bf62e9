package app_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestComposeFile checks docker-compose.yml, which cannot run here (no Docker
// engine): it parses, has the province stack, and passes danvan only
// settings the binary reads.
func TestComposeFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var f struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   any               `yaml:"depends_on"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	require.NoError(t, yaml.Unmarshal(data, &f))
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "meilisearch", "danvan", "worker"} {
		require.Contains(t, f.Services, name)
	}
	require.NotNil(t, f.Services["danvan"].Build, "danvan builds from the repo's Dockerfile")
	require.Equal(t, []string{"serve"}, f.Services["danvan"].Command)
	require.Equal(t, []string{"worker"}, f.Services["worker"].Command)
	require.Contains(t, f.Services["meilisearch"].Environment["MEILI_MASTER_KEY"], "${MEILI_MASTER_KEY")

	cli, err := os.ReadFile("../cli/server.go")
	require.NoError(t, err)
	for _, svc := range []string{"danvan", "worker"} {
		for k := range f.Services[svc].Environment {
			require.True(t, strings.HasPrefix(k, "DANVAN_"), k)
			require.Contains(t, string(cli), `"`+k+`"`, "%s sets %s, which the binary does not read", svc, k)
		}
	}
	docker, err := os.ReadFile("../Dockerfile")
	require.NoError(t, err)
	require.Contains(t, string(docker), "USER danvan", "runs as non-root")
	require.Contains(t, string(docker), "AS build", "multi-stage")
	require.Contains(t, string(docker), `danvan", "health"`, "the health check uses a command the binary has")
}
