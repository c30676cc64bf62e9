package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/activities"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/cite"
	"github.com/danvan/danvan/devserver"
	"github.com/danvan/danvan/engine"
	"github.com/danvan/danvan/mail"
	"github.com/danvan/danvan/outbox"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/worker"
	"github.com/danvan/danvan/workflows"
)

// Main is a running danvan process: Run starts it, Close stops it.
type Main struct {
	Config Config

	DB       *store.DB
	Temporal *devserver.Server
	Client   client.Client
	Worker   sdkworker.Worker
	Search   *Search

	// AdminPassword is the first administrator's password when this Run
	// created the account (danvan dev), for the command to print once.
	AdminPassword string

	httpServer *http.Server
	listener   net.Listener
	logger     *slog.Logger
	closers    []func() error
}

// NewMain returns a Main for cfg with defaults filled in.
func NewMain(cfg Config) *Main {
	cfg.setDefaults()
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return &Main{Config: cfg, logger: logger}
}

// Run starts everything the Config asks for and returns once it is serving.
// On error whatever started is closed again and the error says what failed.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = m.Close()
		}
	}()
	cfg := &m.Config
	started := time.Now()

	m.DB, err = store.Open(ctx, cfg.DatabaseURL, store.Options{Schema: cfg.DatabaseSchema, CreateDatabase: true, Logger: m.logger})
	if err != nil {
		return err
	}
	m.closers = append(m.closers, func() error { m.DB.Close(); return nil })
	if _, err := m.DB.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}

	if err := m.openTemporal(ctx); err != nil {
		return err
	}
	if m.Search, err = OpenSearch(ctx, m.DB, cfg.MeiliURL, cfg.MeiliKey, m.logger); err != nil {
		return err
	}

	units, tasks := store.NewUnitService(m.DB), store.NewTaskService(m.DB)
	m.Search.Units = units
	notifications, audit := store.NewNotificationService(m.DB), store.NewAuditService(m.DB)
	if cfg.Worker {
		acts := &activities.Activities{Units: units, Tasks: tasks, Notifications: notifications, Audit: audit,
			Documents: m.Search, Starter: m.Client, Logger: m.logger}
		if cfg.SMTPURL != "" {
			mailer, err := mail.New(cfg.SMTPURL)
			if err != nil {
				return err
			}
			// Notify only queues; the outbox sender delivers.
			acts.Mailer = mailer
			m.startOutbox(mailer)
		}
		m.Worker = worker.New(m.Client, acts, worker.Options{})
		if err := m.Worker.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		m.closers = append(m.closers, func() error { m.Worker.Stop(); return nil })
		// Submissions a workflow refused leave their stored content
		// unreferenced; the sweeper removes it after a grace period.
		sweepCtx, stopSweep := context.WithCancel(context.Background())
		go tasks.RunSweeper(sweepCtx, store.SweepEvery, store.SweepGrace, m.logger)
		m.closers = append(m.closers, func() error { stopSweep(); return nil })
	}

	cal, err := LoadCalendar(cfg.CalendarFile)
	if err != nil {
		return err
	}
	// Days off imported with `danvan calendar import` override the file's
	// years.
	stored, err := store.NewCycleService(m.DB).LoadCalendar(ctx)
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	for y, yc := range stored.Years {
		if cal.Years == nil {
			cal.Years = map[int]calendar.Year{}
		}
		cal.Years[y] = yc
	}
	users := store.NewUserService(m.DB)
	if cfg.WriteAdminToken {
		if err := m.ensureAdmin(ctx, users); err != nil {
			return err
		}
	}
	if cfg.HTTP {
		m.purgeLoop(users, store.NewLoginThrottle(m.DB))
		srv := &api.Server{Units: units, Cycles: store.NewCycleService(m.DB), Tasks: tasks, Notifications: notifications,
			Users: users, Audit: audit, Engine: &engine.Engine{Client: m.Client, TaskQueue: workflows.TaskQueue, Tasks: tasks, Calendar: cal}, Documents: m.Search,
			Models: store.NewModelService(m.DB), Reports: store.NewReportService(m.DB),
			Checks: m.checks(), Logger: m.logger, Version: cfg.Version, ReadText: cite.ReadBytes,
			Accounts: users, Throttle: store.NewLoginThrottle(m.DB), AuditLog: audit,
			SessionIdle: cfg.SessionIdle, SessionLifetime: cfg.SessionLifetime, HTTPS: strings.HasPrefix(strings.ToLower(cfg.PublicURL), "https://"),
			Drafts: store.NewUIQueries(m.DB), History: store.NewUIQueries(m.DB), Calendar: calendar.New(cal)}
		wireAgency(srv, m.DB)
		if err := m.serveHTTP(srv.Handler()); err != nil {
			return err
		}
	}
	m.logger.Info("danvan is running", "http", m.HTTPURL(), "temporal", m.TemporalAddress(),
		"search", m.Search.Name(), "startup", time.Since(started).Round(time.Millisecond))
	return nil
}

// startOutbox runs the e-mail outbox sender until Close. It runs beside
// the worker: any number of processes may, they never send a row twice.
func (m *Main) startOutbox(mailer *mail.Mailer) {
	ctx, cancel := context.WithCancel(context.Background())
	sender := outbox.New(store.NewOutboxService(m.DB), mailer, outbox.Config{
		Concurrency: m.Config.SMTPConcurrency, RetryWindow: m.Config.SMTPRetryWindow, Logger: m.logger})
	done := make(chan struct{})
	go func() { defer close(done); _ = sender.Run(ctx) }()
	m.closers = append(m.closers, func() error { cancel(); <-done; return nil })
}

func (m *Main) openTemporal(ctx context.Context) error {
	cfg := &m.Config
	addr := cfg.TemporalAddress
	if cfg.EmbeddedTemporal {
		srv, err := devserver.Start(ctx, devserver.Config{
			DataDir:          filepath.Join(cfg.DataDir, "temporal"),
			FrontendPort:     cfg.TemporalPort,
			Namespace:        cfg.TemporalNamespace,
			SearchAttributes: workflows.SearchAttributes,
			Logger:           m.logger,
		})
		if err != nil {
			return err
		}
		m.Temporal = srv
		m.closers = append(m.closers, srv.Stop)
		addr = srv.FrontendAddr()
	}
	// The SDK logs every timer at debug; keep it at warn.
	sdkLogger := slog.New(levelFilter{m.logger.Handler(), slog.LevelWarn})
	c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: cfg.TemporalNamespace,
		Logger: tlog.NewStructuredLogger(sdkLogger)})
	if err != nil {
		return danvan.Errorf(danvan.EUnavailable, "cannot reach Temporal at %s: %v (set DANVAN_TEMPORAL_ADDRESS, or run `danvan dev`)",
			"không kết nối được Temporal tại %s: %v", addr, err)
	}
	m.Client = c
	m.closers = append(m.closers, func() error { c.Close(); return nil })
	if m.Temporal == nil {
		// An external cluster (compose, production) gets danvan's search
		// attributes here; the embedded server registered them at start.
		actx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := devserver.EnsureSearchAttributes(actx, c.OperatorService(), cfg.TemporalNamespace, workflows.SearchAttributes); err != nil {
			return danvan.Errorf(danvan.EUnavailable, "registering search attributes on Temporal at %s: %v", "không đăng ký được thuộc tính tìm kiếm trên Temporal tại %s: %v", addr, err)
		}
	}
	return nil
}

func (m *Main) serveHTTP(h http.Handler) error {
	ln, err := net.Listen("tcp", m.Config.HTTPAddr)
	if err != nil {
		return danvan.Errorf(danvan.EUnavailable, "cannot listen on %s: %v (set DANVAN_HTTP_ADDR)", "không mở được cổng %s: %v", m.Config.HTTPAddr, err)
	}
	m.listener = ln
	// A client that never sends its headers or body, or never reads the
	// answer, cannot hold a connection: a 20 MiB upload gets two minutes.
	m.httpServer = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	go func() {
		if err := m.httpServer.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.logger.Error("http server stopped", "err", err)
		}
	}()
	m.closers = append(m.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
		defer cancel()
		return m.httpServer.Shutdown(ctx)
	})
	return nil
}

func (m *Main) checks() []api.Check {
	checks := []api.Check{{Name: "postgres", Detail: store.RedactURL(m.Config.DatabaseURL), Ping: m.DB.Ping}}
	detail := "external " + m.TemporalAddress()
	if m.Temporal != nil {
		detail = "embedded " + m.TemporalAddress()
	}
	checks = append(checks, api.Check{Name: "temporal", Detail: detail, Ping: func(ctx context.Context) error {
		_, err := m.Client.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}})
	return append(checks, api.Check{Name: "search", Detail: m.Search.Name(), Ping: m.Search.Ping})
}

// HTTPURL returns the base URL of the HTTP server, "" when none runs.
func (m *Main) HTTPURL() string {
	if m.listener == nil {
		return ""
	}
	return "http://" + m.listener.Addr().String()
}

// TemporalAddress returns the frontend address in use.
func (m *Main) TemporalAddress() string {
	if m.Temporal != nil {
		return m.Temporal.FrontendAddr()
	}
	return m.Config.TemporalAddress
}

// purgeLoop deletes ended sessions and old sign-in failures every hour
// (and once at start), so the tables do not grow without end.
func (m *Main) purgeLoop(users *store.UserService, throttle *store.LoginThrottle) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	idle, lifetime := m.Config.SessionIdle, m.Config.SessionLifetime
	if idle <= 0 {
		idle = api.DefaultSessionIdle
	}
	if lifetime <= 0 {
		lifetime = api.DefaultSessionLifetime
	}
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			if n, err := users.PurgeSessions(ctx, idle, lifetime); err != nil && ctx.Err() == nil {
				m.logger.Warn("purging sessions", "err", err)
			} else if n > 0 {
				m.logger.Info("ended sessions purged", "count", n)
			}
			if _, err := throttle.Purge(ctx, time.Now()); err != nil && ctx.Err() == nil {
				m.logger.Warn("purging sign-in failures", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	m.closers = append(m.closers, func() error { cancel(); <-done; return nil })
}

// AdminTokenPath is where danvan dev writes the administrator's token.
func (m *Main) AdminTokenPath() string { return filepath.Join(m.Config.DataDir, "admin.token") }

// AdminPasswordPath is where danvan dev writes the first administrator's
// password, once, when it creates the account.
func (m *Main) AdminPasswordPath() string { return filepath.Join(m.Config.DataDir, "admin.password") }

// AdminLogin is the login of the administrator danvan dev creates.
const AdminLogin = "admin"

// ensureAdmin keeps the administrator "admin": on first start it gets a
// random password, written once to admin.password (mode 600) and kept in
// AdminPassword for the command to print; a personal API token of it lives
// in admin.token, so the CLI works without configuration.
func (m *Main) ensureAdmin(ctx context.Context, users *store.UserService) error {
	if err := os.MkdirAll(m.Config.DataDir, 0o700); err != nil {
		return err
	}
	admin, err := users.FindUser(ctx, AdminLogin)
	if danvan.ErrorCode(err) == danvan.ENotFound {
		pw := api.NewPassword()
		admin = &danvan.User{Login: AdminLogin, Name: "Quản trị viên", Role: danvan.RoleAdmin}
		if err := users.AddUser(ctx, admin, pw); err != nil {
			return err
		}
		if err := os.WriteFile(m.AdminPasswordPath(), []byte(pw+"\n"), 0o600); err != nil {
			return err
		}
		// WriteFile keeps the mode of an existing file: make sure.
		if err := os.Chmod(m.AdminPasswordPath(), 0o600); err != nil {
			return err
		}
		m.AdminPassword = pw
	} else if err != nil {
		return err
	}
	path := m.AdminTokenPath()
	if b, err := os.ReadFile(path); err == nil {
		token := strings.TrimSpace(string(b))
		if u, err := users.Authenticate(ctx, token); err == nil && u.ID == admin.ID {
			return nil
		}
		// The database was reset but the file survived: register it again.
		if len(token) >= 24 {
			return users.AddToken(ctx, admin.ID, token)
		}
	}
	token, _, err := users.NewToken(ctx, admin.ID, nil)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(token+"\n"), 0o600)
}

// Close stops everything in reverse order of start and returns the first
// error. It is safe to call more than once.
func (m *Main) Close() error {
	var first error
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	m.closers = nil
	return first
}

// levelFilter drops records below min; it lets the SDK log at warn while the
// rest of danvan logs at info.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(a), f.min}
}

func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(n), f.min}
}

// LoadCalendar reads a calendar.Config from a JSON file; "" gives the zero
// Config (the statutory calendar). It returns EInvalid for a file that does
// not parse or fails calendar validation.
func LoadCalendar(path string) (calendar.Config, error) {
	var cfg calendar.Config
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, danvan.Errorf(danvan.EInvalid, "calendar file: %v", "tệp lịch nghỉ: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, danvan.Errorf(danvan.EInvalid, "calendar file %s: %v", "tệp lịch nghỉ %s: %v", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, danvan.Errorf(danvan.EInvalid, "calendar file %s: %v", "tệp lịch nghỉ %s: %v", path, err)
	}
	return cfg, nil
}
