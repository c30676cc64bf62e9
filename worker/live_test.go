package worker_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/activities/memstore"
	"github.com/danvan/danvan/devserver"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// liveClient returns a client of the Temporal server at
// DANVAN_TEMPORAL_ADDRESS, or of an embedded dev server in a temp dir.
func liveClient(tb testing.TB) client.Client {
	tb.Helper()
	addr := os.Getenv("DANVAN_TEMPORAL_ADDRESS")
	if addr == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		srv, err := devserver.Start(ctx, devserver.Config{DataDir: tb.TempDir(), SearchAttributes: workflows.SearchAttributes})
		if err != nil {
			tb.Fatalf("starting the dev server: %v", err)
		}
		tb.Cleanup(func() { _ = srv.Stop() })
		addr = srv.FrontendAddr()
	}
	c, err := client.Dial(client.Options{HostPort: addr, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		tb.Fatalf("dialing %s: %v", addr, err)
	}
	tb.Cleanup(c.Close)
	return c
}

// liveWorker runs a worker with the real activities over an in-memory
// store holding units.
func liveWorker(tb testing.TB, c client.Client, units ...danvan.Unit) *memstore.Store {
	tb.Helper()
	store := memstore.New(units...)
	w := worker.New(c, &activities.Activities{Units: store, Tasks: store, Notifications: store, Audit: store,
		Mailer: store, Starter: c, Logger: slog.New(slog.DiscardHandler)}, worker.Options{})
	if err := w.Start(); err != nil {
		tb.Fatalf("starting worker: %v", err)
	}
	tb.Cleanup(w.Stop)
	return store
}
