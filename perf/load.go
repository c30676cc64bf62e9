package perf

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// LoadResult is one route under load.
type LoadResult struct {
	P50, P99 time.Duration
	PerSec   float64
	Requests int
	Errors   int
}

// Load sends GET url with the bearer token from conns connections at once,
// each sending its next request as soon as the last one was answered, for
// dur, and measures latency and throughput. It runs in the bench process,
// apart from the server's.
func Load(ctx context.Context, url, token string, conns int, dur time.Duration) (LoadResult, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var firstErr error
	stop := time.Now().Add(dur)
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			var e error
			for time.Now().Before(stop) && ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("GET %s: %d", url, resp.StatusCode)
					}
				}
				if err != nil {
					bad++
					if e == nil {
						e = err
					}
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			if firstErr == nil {
				firstErr = e
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if len(lat) == 0 {
		return LoadResult{Errors: errs}, fmt.Errorf("no request succeeded: %v", firstErr)
	}
	if errs > len(lat)/100 {
		return LoadResult{Errors: errs}, fmt.Errorf("%d of %d requests failed: %v", errs, errs+len(lat), firstErr)
	}
	slices.Sort(lat)
	return LoadResult{P50: percentile(lat, 50), P99: percentile(lat, 99), PerSec: float64(len(lat)) / took.Seconds(),
		Requests: len(lat), Errors: errs}, nil
}
