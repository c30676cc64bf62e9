package worker_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// BenchmarkLaunchCycle measures how long a cycle of N units takes until
// every unit workflow is running (the CycleWorkflow has started them all and
// visibility counts N running unit workflows), on the embedded dev server
// (or DANVAN_TEMPORAL_ADDRESS) with the real activities over the in-memory
// store, so the figure is Temporal's cost, not Postgres's:
//
//	go test ./worker -run '^$' -bench LaunchCycle -benchtime 1x -timeout 30m
func BenchmarkLaunchCycle(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			c := liveClient(b)
			codes := make([]string, n)
			units := []danvan.Unit{{Code: "SNV", Name: "Sở Nội vụ", Kind: danvan.UnitDepartment, Email: "snv@example.org"}}
			for i := range codes {
				codes[i] = fmt.Sprintf("U%05d", i)
				units = append(units, danvan.Unit{Code: codes[i], Name: "Xã " + codes[i], Kind: danvan.UnitCommune, Email: codes[i] + "@example.org"})
			}
			liveWorker(b, c, units...)
			def := danvan.CycleDefinition{Year: 2022, Title: "bench", Owner: "SNV", Scope: danvan.Scope{All: true},
				Tasks: []danvan.TaskDef{
					{Kind: "unit_plan", Title: "Kế hoạch", Due: "2099-04-08"},
					{Kind: "annual_report", Title: "Báo cáo năm", Due: "2099-11-18"},
				},
				Reminders: danvan.ReminderPolicy{Before: []string{"7d", "3d", "1d"}, OverdueEvery: "3d", EscalateAfter: "7d"}}
			ctx := context.Background()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cycleID := fmt.Sprintf("2022-B%d%d", n, i)
				start := time.Now()
				run, err := worker.StartCycle(ctx, c, workflows.CycleInput{CycleID: cycleID, Definition: def, Units: codes})
				if err != nil {
					b.Fatal(err)
				}
				var r workflows.CycleResult
				if err := run.Get(ctx, &r); err != nil {
					b.Fatal(err)
				}
				started := time.Since(start)
				running := waitRunning(b, ctx, c, cycleID, n, start)
				b.ReportMetric(started.Seconds(), "s-to-started")
				b.ReportMetric(running.Seconds(), "s-to-running")
				b.ReportMetric(float64(n)/running.Seconds(), "units/s")
				b.ReportMetric(float64(r.Runs), "cycle-runs")
			}
			b.StopTimer()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
			b.ReportMetric(float64(after.Sys)/(1<<20), "sys-MB")
		})
	}
}

// waitRunning polls visibility until n unit workflows of the cycle are
// running and have done their first projection, and returns how long after
// start that was.
func waitRunning(b *testing.B, ctx context.Context, c client.Client, cycleID string, n int, start time.Time) time.Duration {
	b.Helper()
	q := fmt.Sprintf("%s = '%s' AND %s IS NOT NULL AND ExecutionStatus = 'Running' AND WorkflowType = '%s'",
		workflows.SADanvanCycle, cycleID, workflows.SADanvanStatus, workflows.UnitWorkflowName)
	for {
		resp, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: q})
		if err != nil {
			b.Fatal(err)
		}
		if resp.GetCount() >= int64(n) {
			return time.Since(start)
		}
		if time.Since(start) > 20*time.Minute {
			b.Fatalf("only %d of %d unit workflows running", resp.GetCount(), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
