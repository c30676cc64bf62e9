package perf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

// Dev is a `danvan dev` process started from the built binary with its own
// data directory, database and free ports: exactly what a person runs.
type Dev struct {
	Bin      string
	DataDir  string
	DBName   string
	DBURL    string
	URL      string
	Temporal string
	Token    string

	cmd  *exec.Cmd
	logs *bytes.Buffer
	DB   *pgxpool.Pool
	TC   client.Client
	HTTP *http.Client
}

// AdminURL is the server's Postgres without a database name: the bench
// creates one database per process it starts and drops it afterwards.
var AdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func dbURL(name string) string {
	return strings.Replace(AdminURL, "/postgres?", "/"+name+"?", 1)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartDev starts bin as `danvan dev` on a fresh database named dbName
// (dropped first if left over) and waits until /healthz answers 200.
func StartDev(ctx context.Context, bin, dbName string, env ...string) (*Dev, error) {
	if err := dropDB(ctx, dbName); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "danvan-bench-")
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	tPort, err := freePort()
	if err != nil {
		return nil, err
	}
	d := &Dev{Bin: bin, DataDir: dir, DBName: dbName, DBURL: dbURL(dbName),
		URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), Temporal: fmt.Sprintf("127.0.0.1:%d", tPort),
		logs: &bytes.Buffer{}, HTTP: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	d.cmd = exec.Command(bin, "dev")
	d.cmd.Env = append(os.Environ(), "DANVAN_DATA_DIR="+dir, "DANVAN_DATABASE_URL="+d.DBURL,
		"DANVAN_HTTP_ADDR="+strings.TrimPrefix(d.URL, "http://"), "DANVAN_TEMPORAL_PORT="+strconv.Itoa(tPort),
		"DANVAN_LOG_LEVEL=warn", "DANVAN_MEILI_URL=", "DANVAN_SMTP_URL=")
	d.cmd.Env = append(d.cmd.Env, env...)
	d.cmd.Stdout, d.cmd.Stderr = d.logs, d.logs
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := http.Get(d.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) || d.cmd.ProcessState != nil {
			d.Stop()
			return nil, fmt.Errorf("danvan dev did not become healthy: %s", d.tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	tok, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		d.Stop()
		return nil, fmt.Errorf("admin token: %w", err)
	}
	d.Token = strings.TrimSpace(string(tok))
	if d.DB, err = pgxpool.New(ctx, d.DBURL); err != nil {
		d.Stop()
		return nil, err
	}
	if d.TC, err = client.Dial(client.Options{HostPort: d.Temporal, Logger: quietLogger{}}); err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

func (d *Dev) tail() string {
	s := d.logs.String()
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

// PeakRSSMB is the process's peak resident set (VmHWM) in MiB.
func (d *Dev) PeakRSSMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			return kb / 1024
		}
	}
	return 0
}

// TemporalDBMB is the size of the embedded Temporal's SQLite files.
func (d *Dev) TemporalDBMB() float64 {
	var total int64
	_ = filepath.Walk(filepath.Join(d.DataDir, "temporal"), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			total += fi.Size()
		}
		return nil
	})
	return float64(total) / (1 << 20)
}

// PostgresMB is the size of the process's database.
func (d *Dev) PostgresMB(ctx context.Context) float64 {
	var n int64
	_ = d.DB.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
	return float64(n) / (1 << 20)
}

// Stop sends SIGINT (the Ctrl-C a person uses), waits, and removes the
// data directory and database.
func (d *Dev) Stop() {
	if d.TC != nil {
		d.TC.Close()
	}
	if d.DB != nil {
		d.DB.Close()
	}
	if d.cmd != nil && d.cmd.Process != nil && d.cmd.ProcessState == nil {
		_ = d.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = d.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = d.cmd.Process.Kill()
			<-done
		}
	}
	_ = os.RemoveAll(d.DataDir)
	_ = dropDB(context.Background(), d.DBName)
}

func dropDB(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, AdminURL)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// Do calls the API with the admin token (or tok when set) and decodes a
// 2xx JSON answer into out (nil to discard).
func (d *Dev) Do(ctx context.Context, method, path, tok string, body any, out any, hdr ...string) error {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "text/csv"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.URL+path, rd)
	if err != nil {
		return err
	}
	if tok == "" {
		tok = d.Token
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := d.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// CLI runs the danvan binary against this process's database and API and
// returns its standard output.
func (d *Dev) CLI(ctx context.Context, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, d.Bin, args...)
	cmd.Env = append(os.Environ(), "DANVAN_DATA_DIR="+d.DataDir, "DANVAN_DATABASE_URL="+d.DBURL, "DANVAN_URL="+d.URL)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("danvan %s: %w: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

var errTimeout = errors.New("timed out")

// waitFor polls cond every 100 ms until it is true, and returns how long
// after start that was; errTimeout after limit.
func waitFor(ctx context.Context, start time.Time, limit time.Duration, cond func() (bool, error)) (time.Duration, error) {
	for {
		ok, err := cond()
		if err != nil {
			return 0, err
		}
		if ok {
			return time.Since(start), nil
		}
		if time.Since(start) > limit {
			return 0, errTimeout
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// quietLogger drops the SDK's logs; the bench prints its own.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
