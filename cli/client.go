package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/app"
)

// client calls the HTTP API at DANVAN_URL with DANVAN_TOKEN, falling back to
// the admin token `danvan dev` wrote into the data directory.
type client struct {
	base, token string
	http        *http.Client
}

func clientFlags(fs *flag.FlagSet, env Env) func() (*client, error) {
	url := fs.String("url", envString(env, "DANVAN_URL", "http://"+app.DefaultHTTPAddr), "danvan HTTP API base URL (DANVAN_URL)")
	token := fs.String("token", envString(env, "DANVAN_TOKEN", ""), "API token; empty = $DANVAN_DATA_DIR/admin.token (DANVAN_TOKEN)")
	dataDir := envString(env, "DANVAN_DATA_DIR", app.DefaultDataDir)
	return func() (*client, error) {
		t := *token
		if t == "" {
			b, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
			if err != nil {
				return nil, danvan.Errorf(danvan.EUnauthorized, "no token: set DANVAN_TOKEN or run `danvan dev`, which writes %s",
					"chưa có mã truy cập: đặt DANVAN_TOKEN hoặc chạy `danvan dev` (tạo %s)", filepath.Join(dataDir, "admin.token"))
			}
			t = strings.TrimSpace(string(b))
		}
		return &client{base: strings.TrimRight(*url, "/"), token: t, http: &http.Client{Timeout: 2 * time.Minute}}, nil
	}
}

// do sends body (JSON-encoded unless it is []byte) and decodes the answer
// into out; API errors come back as *danvan.Error.
func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return danvan.Errorf(danvan.EUnavailable, "cannot reach danvan at %s: %v (is `danvan dev` running? set DANVAN_URL)",
			"không kết nối được danvan tại %s: %v", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error *danvan.Error `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != nil {
			return e.Error
		}
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(data)))
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = data
		return nil
	}
	return json.Unmarshal(data, out)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
