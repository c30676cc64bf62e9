package perf

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/danvan/danvan/workflows"
)

// SubmitResult is the submissions figure.
type SubmitResult struct {
	PerSecond  float64
	P50, P99   time.Duration
	Failed     int
	HistoryKiB float64
	Events     int64
}

func idemKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// reportText is a real annual report from the corpus, so submissions are
// the size and shape units really send.
func reportText(corpusDir string) string {
	b, err := os.ReadFile(filepath.Join(corpusDir, "qn-vpubnd-bao-cao-dan-van-2022.txt"))
	if err != nil || len(b) == 0 {
		return "BÁO CÁO kết quả công tác dân vận chính quyền năm. Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh."
	}
	return string(b)
}

// Submissions sends one unit_plan submission for each unit of cycleID at
// once (every request in flight together, each with its own Idempotency-Key),
// and then walks one unit through a year of activity (every task submitted,
// returned, submitted again and accepted) to read its workflow's history
// size.
func Submissions(ctx context.Context, d *Dev, cycleID string, units []string, corpusDir string) (SubmitResult, error) {
	text := reportText(corpusDir)
	lat := make([]time.Duration, len(units))
	errs := make([]error, len(units))
	var wg sync.WaitGroup
	start := time.Now()
	for i, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.Now()
			body := map[string]string{"title": "Kế hoạch công tác dân vận chính quyền của " + u, "text": text}
			errs[i] = d.Do(ctx, "POST", fmt.Sprintf("/api/cycles/%s/units/%s/tasks/unit_plan/submit", cycleID, u), "", body, nil,
				"Idempotency-Key", idemKey())
			lat[i] = time.Since(t)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	var res SubmitResult
	var ok []time.Duration
	var firstErr error
	for i, e := range errs {
		if e != nil {
			res.Failed++
			if firstErr == nil {
				firstErr = e
			}
			continue
		}
		ok = append(ok, lat[i])
	}
	if len(ok) == 0 {
		return res, fmt.Errorf("every submission failed: %w", firstErr)
	}
	slices.Sort(ok)
	res.PerSecond = float64(len(ok)) / took.Seconds()
	res.P50, res.P99 = percentile(ok, 50), percentile(ok, 99)

	// A year of one unit's work.
	u := units[len(units)-1]
	for _, kind := range taskKinds {
		base := fmt.Sprintf("/api/cycles/%s/units/%s/tasks/%s/", cycleID, u, kind)
		body := map[string]string{"title": "Văn bản " + kind, "text": text}
		steps := []struct {
			path string
			body any
		}{
			{"submit", body}, {"return", map[string]string{"reason": "Bổ sung số liệu"}}, {"submit", body}, {"accept", nil},
		}
		if kind == "unit_plan" {
			steps = steps[1:] // submitted in the burst above
		}
		for _, s := range steps {
			if err := d.Do(ctx, "POST", base+s.path, "", s.body, nil, "Idempotency-Key", idemKey()); err != nil {
				return res, err
			}
		}
	}
	desc, err := d.TC.DescribeWorkflowExecution(ctx, workflows.UnitWorkflowID(cycleID, u), "")
	if err != nil {
		return res, err
	}
	res.HistoryKiB = float64(desc.GetWorkflowExecutionInfo().GetHistorySizeBytes()) / 1024
	res.Events = desc.GetWorkflowExecutionInfo().GetHistoryLength()
	return res, nil
}
