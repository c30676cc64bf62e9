package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/danvan/danvan/app"
)

// runHealth asks a running danvan for /healthz: the Dockerfile's health
// check, and a quick look for operators. It fails when the server is
// unreachable or reports a component down.
func runHealth(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "health", "health [--url URL]")
	url := fs.String("url", envString(env, "DANVAN_URL", "http://"+app.DefaultHTTPAddr), "danvan base URL (DANVAN_URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(*url, "/")+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("danvan at %s is unreachable: %w", *url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Fprint(env.Stdout, string(body))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("danvan at %s is unhealthy (HTTP %d)", *url, resp.StatusCode)
	}
	return nil
}
