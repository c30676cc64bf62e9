package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/outbox"
	"github.com/danvan/danvan/store"
)

// serverFlags binds every server setting to a flag whose default comes from
// its DANVAN_* variable, falling back to the documented default.
func serverFlags(fs *flag.FlagSet, env Env, cfg *app.Config, embedded bool) *string {
	fs.StringVar(&cfg.DatabaseURL, "database-url", envString(env, "DANVAN_DATABASE_URL", app.DefaultDatabaseURL), "Postgres URL; the database is created if missing (DANVAN_DATABASE_URL)")
	fs.StringVar(&cfg.DatabaseSchema, "database-schema", envString(env, "DANVAN_DATABASE_SCHEMA", ""), "Postgres schema for all tables; empty = public (DANVAN_DATABASE_SCHEMA)")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", envString(env, "DANVAN_HTTP_ADDR", app.DefaultHTTPAddr), "address of the HTTP API and web UI (DANVAN_HTTP_ADDR)")
	fs.StringVar(&cfg.DataDir, "data-dir", envString(env, "DANVAN_DATA_DIR", app.DefaultDataDir), "directory for the embedded Temporal database and admin.token (DANVAN_DATA_DIR)")
	if embedded {
		fs.IntVar(&cfg.TemporalPort, "temporal-port", envInt(env, "DANVAN_TEMPORAL_PORT", app.DefaultTemporalPort), "embedded Temporal frontend port; -1 = any free port (DANVAN_TEMPORAL_PORT)")
	} else {
		fs.StringVar(&cfg.TemporalAddress, "temporal-address", envString(env, "DANVAN_TEMPORAL_ADDRESS", app.DefaultTemporalAddress), "Temporal frontend host:port (DANVAN_TEMPORAL_ADDRESS)")
	}
	fs.StringVar(&cfg.TemporalNamespace, "temporal-namespace", envString(env, "DANVAN_TEMPORAL_NAMESPACE", app.DefaultTemporalNamespace), "Temporal namespace (DANVAN_TEMPORAL_NAMESPACE)")
	fs.StringVar(&cfg.MeiliURL, "meili-url", envString(env, "DANVAN_MEILI_URL", ""), "Meilisearch URL; empty = local Postgres search (DANVAN_MEILI_URL)")
	fs.StringVar(&cfg.MeiliKey, "meili-key", envString(env, "DANVAN_MEILI_KEY", ""), "Meilisearch API key (DANVAN_MEILI_KEY)")
	fs.StringVar(&cfg.SMTPURL, "smtp-url", envString(env, "DANVAN_SMTP_URL", ""), "SMTP URL for e-mail, e.g. smtp://user:pass@host:587?from=a@b; empty = in-app only (DANVAN_SMTP_URL)")
	fs.IntVar(&cfg.SMTPConcurrency, "smtp-concurrency", envInt(env, "DANVAN_SMTP_CONCURRENCY", outbox.DefaultConcurrency), "SMTP connections the e-mail outbox opens at once (DANVAN_SMTP_CONCURRENCY)")
	fs.DurationVar(&cfg.SMTPRetryWindow, "smtp-retry-window", envDuration(env, "DANVAN_SMTP_RETRY_WINDOW", outbox.DefaultRetryWindow), "how long a failing e-mail is retried before it is marked failed (DANVAN_SMTP_RETRY_WINDOW)")
	fs.StringVar(&cfg.CalendarFile, "calendar-file", envString(env, "DANVAN_CALENDAR_FILE", ""), "JSON file of official days off per year; empty = statutory calendar (DANVAN_CALENDAR_FILE)")
	fs.StringVar(&cfg.PublicURL, "public-url", envString(env, "DANVAN_PUBLIC_URL", ""), "the address people use, e.g. https://danvan.example.gov.vn; https makes cookies Secure and turns on HSTS (DANVAN_PUBLIC_URL)")
	fs.DurationVar(&cfg.SessionIdle, "session-idle", envDuration(env, "DANVAN_SESSION_IDLE", 30*time.Minute), "a session unused this long ends (DANVAN_SESSION_IDLE)")
	fs.DurationVar(&cfg.SessionLifetime, "session-lifetime", envDuration(env, "DANVAN_SESSION_LIFETIME", 12*time.Hour), "a session ends this long after sign-in (DANVAN_SESSION_LIFETIME)")
	return fs.String("log-level", envString(env, "DANVAN_LOG_LEVEL", "info"), "log level: debug, info, warn, error (DANVAN_LOG_LEVEL)")
}

func newLogger(env Env, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("bad log level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: l})), nil
}

// runMain runs a Main until ctx ends (Ctrl-C) and closes it.
func runMain(ctx context.Context, env Env, cfg app.Config, level string) error {
	logger, err := newLogger(env, level)
	if err != nil {
		return err
	}
	cfg.Logger, cfg.Version = logger, Version
	m := app.NewMain(cfg)
	if err := m.Run(ctx); err != nil {
		return err
	}
	if cfg.HTTP {
		fmt.Fprintf(env.Stdout, "danvan is running: %s (Ctrl-C stops it)\n", m.HTTPURL())
		if cfg.WriteAdminToken {
			fmt.Fprintf(env.Stdout, "admin token: %s\n", m.AdminTokenPath())
			if m.AdminPassword != "" {
				fmt.Fprintf(env.Stdout, "first administrator created: sign in at %s/dang-nhap as %q with the password %s (also in %s, written once)\n",
					m.HTTPURL(), app.AdminLogin, m.AdminPassword, m.AdminPasswordPath())
			}
		}
	}
	<-ctx.Done()
	logger.Info("stopping")
	return m.Close()
}

func runDev(ctx context.Context, env Env, args []string) error {
	cfg := app.Config{EmbeddedTemporal: true, Worker: true, HTTP: true, WriteAdminToken: true}
	fs := newFlags(env, "dev", "dev [flags]")
	level := serverFlags(fs, env, &cfg, true)
	if err := parse(fs, args); err != nil {
		return err
	}
	return runMain(ctx, env, cfg, *level)
}

func runServe(ctx context.Context, env Env, args []string) error {
	cfg := app.Config{}
	fs := newFlags(env, "serve", "serve [flags]")
	level := serverFlags(fs, env, &cfg, false)
	fs.BoolVar(&cfg.HTTP, "http", envBool(env, "DANVAN_SERVE_HTTP", true), "run the HTTP API and UI (DANVAN_SERVE_HTTP)")
	fs.BoolVar(&cfg.Worker, "worker", envBool(env, "DANVAN_SERVE_WORKER", true), "run a worker in this process (DANVAN_SERVE_WORKER)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !cfg.HTTP && !cfg.Worker {
		return fmt.Errorf("nothing to run: both -http and -worker are false")
	}
	return runMain(ctx, env, cfg, *level)
}

func runWorker(ctx context.Context, env Env, args []string) error {
	cfg := app.Config{Worker: true}
	fs := newFlags(env, "worker", "worker [flags]")
	level := serverFlags(fs, env, &cfg, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	return runMain(ctx, env, cfg, *level)
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate [flags]")
	dsn := fs.String("database-url", envString(env, "DANVAN_DATABASE_URL", app.DefaultDatabaseURL), "Postgres URL (DANVAN_DATABASE_URL)")
	schema := fs.String("database-schema", envString(env, "DANVAN_DATABASE_SCHEMA", ""), "Postgres schema (DANVAN_DATABASE_SCHEMA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn, store.Options{Schema: *schema, CreateDatabase: true})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "applied %d migration(s) %v\n", len(applied), applied)
	return nil
}

// envDuration returns the variable's value as a duration, or def.
func envDuration(env Env, name string, def time.Duration) time.Duration {
	if v := env.Getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return d
		}
	}
	return def
}
