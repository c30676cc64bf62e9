package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/store/storetest"
)

// TestBinary_KillNine runs the real binary: `danvan dev` on free ports,
// a cycle whose deadline is seconds away, kill -9 before the deadline, and
// a restart whose worker fires the deadline: nothing is lost.
func TestBinary_KillNine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "danvan")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	_, schema := storetest.NewWithSchema(t)
	env := append(os.Environ(), "DANVAN_DATABASE_URL="+storetest.URL(), "DANVAN_DATABASE_SCHEMA="+schema,
		"DANVAN_DATA_DIR="+filepath.Join(dir, "data"), "DANVAN_HTTP_ADDR=127.0.0.1:0", "DANVAN_TEMPORAL_PORT=-1",
		"DANVAN_LOG_LEVEL=warn")

	dev := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "dev")
		cmd.Env = env
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = &logWriter{t}
		require.NoError(t, cmd.Start())
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
		})
		lines := bufio.NewScanner(stdout)
		found := make(chan string, 1)
		go func() {
			for lines.Scan() {
				if u, ok := strings.CutPrefix(lines.Text(), "danvan is running: "); ok {
					found <- strings.Fields(u)[0]
				}
			}
		}()
		select {
		case u := <-found:
			return cmd, u
		case <-time.After(90 * time.Second):
			t.Fatal("danvan dev did not start in 90 s")
		}
		return nil, ""
	}
	cli := func(url string, args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, "DANVAN_URL="+url)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v: %s", args, out)
		return string(out)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}

	cmd, url := dev()
	cli(url, "units", "import", write("units.csv", "code,name,parent_code,kind,email,head_email\nOWN,Sở Nội vụ,,department,,\nA,Đơn vị A,OWN,commune,,\n"))
	due := time.Now().Add(10 * time.Second).Format(time.RFC3339)
	def := fmt.Sprintf(`{"year": 2033, "title": "t", "owner": "OWN", "scope": ["A"],
		"parent_plan": {"number": "1/KH-UBND", "date": "2033-01-05", "issuer": "UBND tỉnh"},
		"tasks": [{"kind": "unit_plan", "title": "Kế hoạch", "due": %q}]}`, due)
	id := strings.TrimSpace(cli(url, "cycle", "start", write("cycle.json", def)))
	status := func(url string) string {
		var st struct {
			Units []struct {
				Tasks []struct {
					Status string `json:"status"`
				} `json:"tasks"`
			} `json:"units"`
		}
		require.NoError(t, json.Unmarshal([]byte(cli(url, "cycle", "status", "--json", id)), &st))
		if len(st.Units) == 0 || len(st.Units[0].Tasks) == 0 {
			return ""
		}
		return st.Units[0].Tasks[0].Status
	}
	require.Eventually(t, func() bool { return status(url) == "pending" }, 30*time.Second, 200*time.Millisecond)

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	cmd, url = dev()
	require.Eventually(t, func() bool { return status(url) == "overdue" }, 60*time.Second, 500*time.Millisecond,
		"the deadline set before kill -9 fired after the restart")

	// Ctrl-C stops cleanly: exit status 0, promptly.
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("danvan dev did not stop within 30 s of Ctrl-C")
	}
}

type logWriter struct{ t *testing.T }

func (w *logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
