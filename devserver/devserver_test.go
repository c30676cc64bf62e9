package devserver

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const taskQueue = "devserver-test"

var (
	unitKey    = temporal.NewSearchAttributeKeyKeyword("DanvanUnit")
	attemptKey = temporal.NewSearchAttributeKeyInt64("DanvanAttempt")
)

// HelloWorkflow is the trivial workflow that must survive a restart.
func HelloWorkflow(ctx workflow.Context, name string) (string, error) {
	return "hello " + name, nil
}

// SleepWorkflow has a durable timer that must fire after a restart.
func SleepWorkflow(ctx workflow.Context, d time.Duration) (string, error) {
	if err := workflow.Sleep(ctx, d); err != nil {
		return "", err
	}
	return "slept", nil
}

// TestRestartKeepsState runs the whole dev lifecycle on one data dir:
// fresh start, a workflow, a pending timer, stop, restart, and checks that
// history, the timer and the search attributes all survived.
func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	logger := testLogger(t)
	attrs := map[string]enums.IndexedValueType{
		unitKey.GetName():    enums.INDEXED_VALUE_TYPE_KEYWORD,
		attemptKey.GetName(): enums.INDEXED_VALUE_TYPE_INT,
	}

	// First run: fresh database.
	s1 := startServer(t, Config{DataDir: dir, SearchAttributes: attrs, Logger: logger}, "fresh")
	if !s1.CreatedDatabase() {
		t.Fatal("first start did not report creating the database")
	}
	c1 := dial(t, s1)
	w1 := newWorker(t, c1)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run, err := c1.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        "hello-1",
		TaskQueue: taskQueue,
		// Using the custom attributes at start proves they are usable as
		// soon as Start returns.
		TypedSearchAttributes: temporal.NewSearchAttributes(unitKey.ValueSet("u1"), attemptKey.ValueSet(1)),
	}, HelloWorkflow, "danvan")
	if err != nil {
		t.Fatalf("ExecuteWorkflow: %v", err)
	}
	var got string
	if err := run.Get(ctx, &got); err != nil || got != "hello danvan" {
		t.Fatalf("hello result = %q, %v", got, err)
	}

	sleepRun, err := c1.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "sleep-1", TaskQueue: taskQueue}, SleepWorkflow, 3*time.Second)
	if err != nil {
		t.Fatalf("start sleep workflow: %v", err)
	}
	// Stop as soon as the timer is persisted (the worker ran the first
	// workflow task), well before it fires.
	waitForEvent(ctx, t, c1, "sleep-1", enums.EVENT_TYPE_TIMER_STARTED)
	w1.Stop()
	c1.Close()
	stopStart := time.Now()
	if err := s1.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("stop took %v", time.Since(stopStart))
	if err := s1.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}

	// Second run: same dir, new free port, plus one attribute added since.
	attrs["DanvanLater"] = enums.INDEXED_VALUE_TYPE_BOOL
	s2 := startServer(t, Config{DataDir: dir, SearchAttributes: attrs, Logger: logger}, "existing")
	if s2.CreatedDatabase() {
		t.Fatal("restart re-created the database")
	}
	c2 := dial(t, s2)

	// A second server on the same dir must be refused, not share the file.
	if s3, err := Start(context.Background(), Config{DataDir: dir}); err == nil {
		_ = s3.Stop()
		t.Fatal("second server on the same data dir started")
	} else if !strings.Contains(err.Error(), "in use by another") {
		t.Fatalf("second server on the same data dir: %v", err)
	}

	desc, err := c2.DescribeWorkflowExecution(ctx, "hello-1", run.GetRunID())
	if err != nil {
		t.Fatalf("DescribeWorkflowExecution after restart: %v", err)
	}
	if st := desc.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("hello-1 status after restart = %v, want COMPLETED", st)
	}

	sa, err := c2.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	if err != nil {
		t.Fatalf("ListSearchAttributes: %v", err)
	}
	for name, typ := range attrs {
		if sa.GetCustomAttributes()[name] != typ {
			t.Errorf("search attribute %s after restart = %v, want %v", name, sa.GetCustomAttributes()[name], typ)
		}
	}

	// One partition (dynamic config): the default 4 made the first workflow
	// task of 1,000 fresh workflows take 24-72 s instead of ~11 s.
	parts, err := c2.WorkflowService().ListTaskQueuePartitions(ctx, &workflowservice.ListTaskQueuePartitionsRequest{
		Namespace: "default",
		TaskQueue: &taskqueue.TaskQueue{Name: taskQueue, Kind: enums.TASK_QUEUE_KIND_NORMAL},
	})
	if err != nil {
		t.Fatalf("ListTaskQueuePartitions: %v", err)
	}
	if n := len(parts.GetWorkflowTaskQueuePartitions()); n != 1 {
		t.Errorf("workflow task queue partitions = %d, want 1", n)
	}

	// The timer was persisted; a worker on the new server completes it.
	newWorker(t, c2)
	timerStart := time.Now()
	if err := c2.GetWorkflow(ctx, "sleep-1", sleepRun.GetRunID()).Get(ctx, &got); err != nil || got != "slept" {
		t.Fatalf("sleep workflow after restart = %q, %v", got, err)
	}
	t.Logf("sleep workflow completed %v after the worker started on the restarted server", time.Since(timerStart))
	t.Logf("RSS after test: %s", vmRSS())
}

// TestPortInUse checks the developer gets an actionable message.
func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	port := l.Addr().(*net.TCPAddr).Port

	_, err = Start(context.Background(), Config{DataDir: t.TempDir(), FrontendPort: port})
	if err == nil || !strings.Contains(err.Error(), "port "+strconv.Itoa(port)+" in use") || !strings.Contains(err.Error(), PortEnvHint) {
		t.Fatalf("Start on a busy port: err = %v, want 'port %d in use ... %s'", err, port, PortEnvHint)
	}
}

// TestConfigErrors covers the cheap validation paths.
func TestConfigErrors(t *testing.T) {
	if _, err := Start(context.Background(), Config{}); err == nil {
		t.Fatal("Start without DataDir succeeded")
	}
	if _, err := Start(context.Background(), Config{DataDir: t.TempDir(), FrontendIP: "not-an-ip"}); err == nil {
		t.Fatal("Start with a host name as IP succeeded")
	}
}

func waitForEvent(ctx context.Context, t *testing.T, c client.Client, id string, want enums.EventType) {
	t.Helper()
	for {
		it := c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", id, err)
			}
			if ev.GetEventType() == want {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never recorded %v", id, want)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func startServer(t *testing.T, cfg Config, label string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	begin := time.Now()
	s, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start (%s): %v", label, err)
	}
	t.Logf("Start (%s database) ready in %v at %s; RSS %s", label, time.Since(begin), s.FrontendAddr(), vmRSS())
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

func dial(t *testing.T, s *Server) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{
		HostPort:  s.FrontendAddr(),
		Namespace: "default",
		Logger:    sdklog.NewStructuredLogger(testLogger(t)),
	})
	if err != nil {
		t.Fatalf("Dial %s: %v", s.FrontendAddr(), err)
	}
	t.Cleanup(c.Close)
	return c
}

func newWorker(t *testing.T, c client.Client) worker.Worker {
	t.Helper()
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(HelloWorkflow)
	w.RegisterWorkflow(SleepWorkflow)
	if err := w.Start(); err != nil {
		t.Fatalf("worker start: %v", err)
	}
	var once sync.Once
	t.Cleanup(func() { once.Do(w.Stop) })
	return stopOnce{Worker: w, once: &once}
}

// stopOnce lets the test stop a worker early without the cleanup stopping it
// again (worker.Stop is not idempotent).
type stopOnce struct {
	worker.Worker
	once *sync.Once
}

func (s stopOnce) Stop() { s.once.Do(s.Worker.Stop) }

// testLogger sends WARN+ logs to t.Log until the test ends; the server and
// SDK can log from background goroutines after that, which t.Log forbids.
func testLogger(t *testing.T) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// vmRSS reads this process's resident set size (Linux only).
func vmRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
