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
			acts.Mailer = mailer
		}
		m.Worker = worker.New(m.Client, acts, worker.Options{})
		if err := m.Worker.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		m.closers = append(m.closers, func() error { m.Worker.Stop(); return nil })
	}

	cal, err := LoadCalendar(cfg.CalendarFile)
	if err != nil {
		return err
	}
	users := store.NewUserService(m.DB)
	if cfg.WriteAdminToken {
		if err := m.ensureAdminToken(ctx, users); err != nil {
			return err
		}
	}
	if cfg.HTTP {
		srv := &api.Server{Units: units, Cycles: store.NewCycleService(m.DB), Tasks: tasks, Notifications: notifications,
			Users: users, Audit: audit, Engine: &engine.Engine{Client: m.Client, TaskQueue: workflows.TaskQueue, Tasks: tasks, Calendar: cal}, Documents: m.Search,
			Checks: m.checks(), Logger: m.logger, Version: cfg.Version, ReadText: cite.ReadBytes,
			Drafts: store.NewUIQueries(m.DB), History: store.NewUIQueries(m.DB), Calendar: calendar.New(cal)}
		if err := m.serveHTTP(srv.Handler()); err != nil {
			return err
		}
	}
	m.logger.Info("danvan is running", "http", m.HTTPURL(), "temporal", m.TemporalAddress(),
		"search", m.Search.Name(), "startup", time.Since(started).Round(time.Millisecond))
	return nil
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
	m.httpServer = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
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

// AdminTokenPath is where danvan dev writes the administrator's token.
func (m *Main) AdminTokenPath() string { return filepath.Join(m.Config.DataDir, "admin.token") }

// ensureAdminToken keeps one administrator whose token lives in the data
// directory, so the CLI works without configuration after `danvan dev`.
func (m *Main) ensureAdminToken(ctx context.Context, users *store.UserService) error {
	path := m.AdminTokenPath()
	if err := os.MkdirAll(m.Config.DataDir, 0o700); err != nil {
		return err
	}
	if b, err := os.ReadFile(path); err == nil {
		token := strings.TrimSpace(string(b))
		if _, err := users.Authenticate(ctx, token); err == nil {
			return nil
		}
		// The database was reset but the file survived: register it again.
		admin, err := users.FindUserByName(ctx, "Quản trị viên", danvan.RoleAdmin)
		if danvan.ErrorCode(err) == danvan.ENotFound {
			admin = &danvan.User{Name: "Quản trị viên", Role: danvan.RoleAdmin}
			if _, err := users.CreateUser(ctx, admin); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		return users.AddToken(ctx, admin.ID, token)
	}
	token, err := users.CreateUser(ctx, &danvan.User{Name: "Quản trị viên", Role: danvan.RoleAdmin})
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
