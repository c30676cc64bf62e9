package perf

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/danvan/danvan/devserver"
	"github.com/danvan/danvan/workflows"
)

// taskKinds are the five tasks every unit of a benchmark cycle gets.
var taskKinds = []string{"unit_plan", "model_registration", "midyear_report", "annual_report", "self_assessment"}

// unitsCSV is a province of n units: the standing agency SNV and n-1
// communes.
func unitsCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("code,name,parent_code,kind,email,head_email\n")
	b.WriteString("SNV,Sở Nội vụ,,department,snv@example.org,gd.snv@example.org\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "X%05d,Xã số %d,,commune,x%05d@example.org,ct.x%05d@example.org\n", i, i, i, i)
	}
	return []byte(b.String())
}

// cycleDef is a cycle of the five tasks for every unit, due far enough
// ahead that no alarm fires during the measurement.
func cycleDef(year int, title string, scope any, dues []string, reminders map[string]any) map[string]any {
	tasks := make([]map[string]string, 0, len(taskKinds))
	for i, k := range taskKinds {
		if i >= len(dues) {
			break
		}
		tasks = append(tasks, map[string]string{"kind": k, "title": "Nhiệm vụ " + k, "due": dues[i]})
	}
	def := map[string]any{"year": year, "title": title, "owner": "SNV", "scope": scope, "tasks": tasks,
		"parent_plan": map[string]string{"number": "53/KH-UBND", "date": fmt.Sprintf("%d-03-23", year), "issuer": "UBND tỉnh"}}
	if reminders != nil {
		def["reminders"] = reminders
	}
	return def
}

var farDues = []string{"2099-04-08", "2099-04-15", "2099-06-17", "2099-11-18", "2099-11-30"}

// FanOut measures a cycle of n units (5 tasks each) through dev's API: the
// time from POST /api/cycles until every unit workflow is running with its
// first projection done (visibility) and all 5n task rows are in Postgres.
func FanOut(ctx context.Context, d *Dev, n int, cycleYear int) (time.Duration, error) {
	if err := d.Do(ctx, "POST", "/api/units", "", unitsCSV(n), nil); err != nil {
		return 0, err
	}
	var c struct {
		ID    string   `json:"id"`
		Units []string `json:"units"`
	}
	start := time.Now()
	if err := d.Do(ctx, "POST", "/api/cycles", "", cycleDef(cycleYear, "bench fan-out", "all", farDues, nil), &c); err != nil {
		return 0, err
	}
	q := fmt.Sprintf("%s = '%s' AND %s IS NOT NULL AND ExecutionStatus = 'Running' AND WorkflowType = '%s'",
		workflows.SADanvanCycle, c.ID, workflows.SADanvanStatus, workflows.UnitWorkflowName)
	// "all" is every unit but the owner: that is what the cycle holds.
	n = len(c.Units)
	return waitFor(ctx, start, 30*time.Minute, func() (bool, error) {
		var rows int
		if err := d.DB.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE cycle_id = $1`, c.ID).Scan(&rows); err != nil {
			return false, err
		}
		if rows < 5*n {
			return false, nil
		}
		resp, err := d.TC.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: q})
		if err != nil {
			return false, err
		}
		return resp.GetCount() >= int64(n), nil
	})
}

// firstTasks counts bare workflows whose first workflow task has run.
var firstTasks atomic.Int64

// BareWorkflow is the reference: a workflow with five timers and no
// activities, the least a unit workflow with five deadlines can be.
func BareWorkflow(ctx workflow.Context) error {
	if !workflow.IsReplaying(ctx) {
		firstTasks.Add(1)
	}
	sel := workflow.NewSelector(ctx)
	for i := range 5 {
		sel.AddFuture(workflow.NewTimer(ctx, time.Duration(24*(300+i))*time.Hour), func(workflow.Future) {})
	}
	for range 5 {
		sel.Select(ctx)
	}
	return nil
}

// BareFanOut starts an embedded Temporal server configured as `danvan dev`
// configures it, in this process, and measures how long n BareWorkflows
// take from the first start until every one has run its first task. The
// starts go out 64 at a time, like the cycle's batches.
func BareFanOut(ctx context.Context, n int) (time.Duration, float64, error) {
	dir, err := os.MkdirTemp("", "danvan-bench-bare-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	srv, err := devserver.Start(ctx, devserver.Config{DataDir: dir, FrontendPort: 0, Namespace: "default",
		SearchAttributes: workflows.SearchAttributes, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, 0, err
	}
	defer srv.Stop()
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Logger: quietLogger{}})
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	w := sdkworker.New(c, "bare", sdkworker.Options{})
	w.RegisterWorkflow(BareWorkflow)
	if err := w.Start(); err != nil {
		return 0, 0, err
	}
	defer w.Stop()
	firstTasks.Store(0)
	start := time.Now()
	var wg sync.WaitGroup
	var startErr atomic.Value
	ids := make(chan int)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("bare-%d", i), TaskQueue: "bare"}, BareWorkflow)
				if err != nil {
					startErr.Store(err)
				}
			}
		}()
	}
	for i := range n {
		ids <- i
	}
	close(ids)
	wg.Wait()
	if e, ok := startErr.Load().(error); ok {
		return 0, 0, e
	}
	took, err := waitFor(ctx, start, 30*time.Minute, func() (bool, error) { return firstTasks.Load() >= int64(n), nil })
	var size int64
	if fi, err := os.Stat(dir + "/" + devserver.DBFileName); err == nil {
		size = fi.Size()
	}
	return took, float64(size) / (1 << 20), err
}
