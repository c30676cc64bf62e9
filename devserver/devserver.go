// Package devserver runs an embedded Temporal server for `danvan dev`.
//
// It is built the way the Temporal CLI builds `temporal server start-dev`
// (temporalio/cli internal/devserver): all four services (frontend, history,
// matching, worker) in this process with static membership, persisted to one
// SQLite file, plus the dev-friendly dynamic config the CLI uses and a few
// settings danvan measured it needs (one task queue partition).
package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

const (
	// DBFileName is the SQLite file created inside Config.DataDir.
	DBFileName = "temporal.db"

	// LockFileName is held (flock) inside Config.DataDir while a Server runs,
	// so a second server on the same directory fails fast.
	LockFileName = "devserver.lock"

	// DefaultFrontendPort is the conventional Temporal frontend port, the
	// default for `danvan dev`. Callers set it explicitly: in Config the zero
	// port means "pick a free port".
	DefaultFrontendPort = 7233

	// PortEnvHint is the environment variable mentioned in the error when the
	// frontend port is taken, so the developer knows how to pick another.
	PortEnvHint = "DANVAN_TEMPORAL_PORT"

	maxJoinDuration = 30 * time.Second
	// readyTimeout bounds Start when the caller's context has no deadline.
	readyTimeout = 60 * time.Second
)

// Config configures the embedded server. Only DataDir is required.
type Config struct {
	// DataDir holds the SQLite database (DataDir/temporal.db). It is created
	// if missing; reusing it keeps workflows, timers and history across
	// restarts.
	DataDir string

	// FrontendIP is the address the frontend (and the internal services)
	// bind to. Default 127.0.0.1.
	FrontendIP string

	// FrontendPort is the frontend gRPC port, normally DefaultFrontendPort
	// (7233). 0 picks a free port (tests, parallel dev servers); read it
	// back with Server.FrontendAddr.
	FrontendPort int

	// Namespace is registered on first run and checked on every start.
	// Default "default".
	Namespace string

	// SearchAttributes are custom search attributes that must exist in
	// Namespace. Missing ones are added on every start, so attributes added
	// to the project later also reach an existing database.
	SearchAttributes map[string]enums.IndexedValueType

	// Logger receives the server's logs. Nil discards them.
	Logger *slog.Logger

	// LogLevel is the minimum level of server logs forwarded to Logger.
	// Nil means slog.LevelWarn: the server is very chatty at info/debug.
	LogLevel slog.Leveler

	// Retention is how long the namespace keeps closed workflows (their
	// IDs and histories); set on every start, also on an existing
	// database. Default DefaultRetention (400 days): a closed or failed
	// cycle's unit workflows must stay visible, and keep their IDs
	// reserved, for longer than a cycle lives (about 14 months with
	// grace), not the server's 24 hours.
	Retention time.Duration
}

// DefaultRetention is Config.Retention's default.
const DefaultRetention = 400 * 24 * time.Hour

// Server is a running embedded Temporal server. Create it with Start.
type Server struct {
	server       temporal.Server
	frontendAddr string
	logLevel     *slog.LevelVar
	created      bool
	unlock       func()

	stopOnce sync.Once
	stopErr  error
}

// Start starts the server and returns once the frontend accepts calls and the
// namespace and search attributes exist. On failure nothing is left running.
//
// If ctx has no deadline, readiness is bounded by 60 seconds.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	frontendPort, err := chooseFrontendPort(cfg.FrontendIP, cfg.FrontendPort)
	if err != nil {
		return nil, err
	}
	p := ports{frontend: frontendPort}
	for _, dst := range []*int{&p.frontendHTTP, &p.history, &p.matching, &p.worker} {
		if *dst, err = freePort(cfg.FrontendIP); err != nil {
			return nil, fmt.Errorf("picking a free port for an internal service: %w", err)
		}
	}

	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	// The server's SQLite plugin builds the DSN as "file:<path>?<params>"
	// without escaping, so these characters would corrupt it.
	if strings.ContainsAny(dataDir, "?#%") {
		return nil, fmt.Errorf("data dir %q: path must not contain '?', '#' or '%%'", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data dir: %w", err)
	}
	unlock, err := lockDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	// Until Start succeeds, every error path must release the lock.
	started := false
	defer func() {
		if !started {
			unlock()
		}
	}()
	sqlConf := sqlConfig(filepath.Join(dataDir, DBFileName))
	created, err := prepareDatabase(sqlConf, &cfg)
	if err != nil {
		return nil, err
	}

	level := &slog.LevelVar{}
	level.Set(cfg.LogLevel.Level())
	logger := slogLogger{log: cfg.Logger, level: level}
	srv, err := newTemporalServer(serverConfig(sqlConf, cfg.FrontendIP, p), logger)
	if err != nil {
		return nil, fmt.Errorf("building temporal server: %w", err)
	}
	s := &Server{
		server:       srv,
		frontendAddr: net.JoinHostPort(cfg.FrontendIP, strconv.Itoa(p.frontend)),
		logLevel:     level,
		created:      created,
		unlock:       unlock,
	}
	// From here on s.Stop releases the lock.
	started = true
	if err := srv.Start(); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("starting temporal server: %w", err)
	}

	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, readyTimeout)
		defer cancel()
	}
	if err := waitReady(ctx, s.frontendAddr, cfg.Namespace, cfg.Retention, cfg.SearchAttributes); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// FrontendAddr is the host:port SDK clients dial, e.g. "127.0.0.1:7233".
func (s *Server) FrontendAddr() string { return s.frontendAddr }

// CreatedDatabase reports whether this Start created the SQLite database
// (first run) rather than reopening an existing one.
func (s *Server) CreatedDatabase() bool { return s.created }

// Stop shuts the server down and waits for its services to stop. It is safe
// to call more than once; later calls return the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		// The server logs warnings for expected shutdown noise (cancelled
		// long polls, closed connections); only real errors get through.
		if s.logLevel.Level() < slog.LevelError {
			s.logLevel.Set(slog.LevelError)
		}
		s.stopErr = s.server.Stop()
		// Only after the services stopped: no more writes to the database.
		s.unlock()
	})
	return s.stopErr
}

func (c *Config) setDefaults() error {
	if c.DataDir == "" {
		return errors.New("devserver: Config.DataDir is required")
	}
	if c.FrontendIP == "" || c.FrontendIP == "localhost" {
		// The server needs an IP, not a host name, for binding and for
		// membership (the CLI makes the same substitution).
		c.FrontendIP = "127.0.0.1"
	}
	if net.ParseIP(c.FrontendIP) == nil {
		return fmt.Errorf("devserver: FrontendIP %q is not an IP address", c.FrontendIP)
	}
	if c.FrontendPort < 0 || c.FrontendPort > 65535 {
		return fmt.Errorf("devserver: FrontendPort %d out of range", c.FrontendPort)
	}
	if c.Retention <= 0 {
		c.Retention = DefaultRetention
	}
	if c.Namespace == "" {
		c.Namespace = "default"
	}
	if c.Logger == nil {
		c.Logger = discardLogger()
	}
	if c.LogLevel == nil {
		c.LogLevel = slog.LevelWarn
	}
	return nil
}

// newTemporalServer assembles the server options the way the CLI does:
// all default services in-process, static membership (no ringpop, no
// membership ports), the default (no-op) authorizer, in-memory dynamic config.
func newTemporalServer(conf *config.Config, logger slogLogger) (temporal.Server, error) {
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("claim mapper: %w", err)
	}
	host := func(svc primitives.ServiceName) static.Hosts {
		port := conf.Services[string(svc)].RPC.GRPCPort
		return static.SingleLocalHost(net.JoinHostPort(conf.Global.Membership.BroadcastAddress, strconv.Itoa(port)))
	}
	return temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: host(primitives.FrontendService),
			primitives.HistoryService:  host(primitives.HistoryService),
			primitives.MatchingService: host(primitives.MatchingService),
			primitives.WorkerService:   host(primitives.WorkerService),
		}),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dynamicConfig()),
	)
}
