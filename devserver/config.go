package devserver

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"

	"github.com/google/uuid"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	sqliteschema "go.temporal.io/server/schema/sqlite"
)

const (
	storeName   = "sqlite-default"
	clusterName = "active"
)

// ports are the listeners the embedded server uses. Only the frontend gRPC
// port is user-visible; the rest are internal and picked free at each start.
type ports struct {
	frontend, frontendHTTP, history, matching, worker int
}

// sqlConfig is the SQLite persistence config shared by schema setup, namespace
// creation and the server itself.
//
// All three must produce the same DSN: the server's SQLite plugin pools
// connections by DSN, so identical config means the schema setup, the
// namespace insert and every service share ONE connection. Separate
// connections to the same file gave "database is locked" retries.
func sqlConfig(dbFile string) *config.SQL {
	return &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: dbFile,
		ConnectAttributes: map[string]string{
			// rwc: create the file if it does not exist (first run).
			"mode": "rwc",
			// Pragma names go in without the "_" prefix: the plugin turns every
			// non-URI key into "_pragma=key=value" for modernc.org/sqlite.
			// WAL makes each commit an append instead of a rollback-journal
			// rewrite. NORMAL (1) skips the fsync per commit and in WAL mode
			// is still durable against a crash or kill of the process (only
			// an OS crash or power loss can lose the last commits).
			// Measured, 500 trivial workflows start-to-complete on 2 cores:
			// CLI default (no pragmas) 19.1 s, WAL+FULL 7.8 s, WAL+NORMAL
			// 4.3 s.
			"journal_mode": "wal",
			"synchronous":  "1",
		},
		// One connection for the whole process (see above); these are also
		// the plugin's defaults, set explicitly because more connections were
		// measured to cause lock contention.
		MaxConns:     1,
		MaxIdleConns: 1,
	}
}

// prepareDatabase creates the schema when the database file is new and makes
// sure the namespace exists, before the server starts, exactly like the
// Temporal CLI's `server start-dev --db-filename`.
//
// It reports whether the database was created by this call.
func prepareDatabase(sqlConf *config.SQL, cfg *Config) (bool, error) {
	created := false
	if _, err := os.Stat(sqlConf.DatabaseName); errors.Is(err, fs.ErrNotExist) {
		// Running the schema on an existing database would fail with "table
		// already exists", so it only runs when there is no file yet.
		if err := sqliteschema.SetupSchema(sqlConf); err != nil {
			// Remove the partial file so the next start retries the setup
			// instead of treating a half-created schema as existing.
			_ = os.Remove(sqlConf.DatabaseName)
			return false, fmt.Errorf("setting up SQLite schema in %s: %w", sqlConf.DatabaseName, err)
		}
		created = true
	} else if err != nil {
		return false, fmt.Errorf("checking database file: %w", err)
	}

	// The custom search attributes go into the namespace record only when the
	// namespace is new; on an existing database CreateNamespaces is a no-op
	// and Start adds missing attributes through the operator service instead.
	nsConf, err := sqliteschema.NewNamespaceConfig(clusterName, cfg.Namespace, false, cfg.SearchAttributes)
	if err != nil {
		return created, fmt.Errorf("namespace config: %w", err)
	}
	if err := sqliteschema.CreateNamespaces(sqlConf, nsConf); err != nil {
		return created, fmt.Errorf("creating namespace %q: %w", cfg.Namespace, err)
	}
	return created, nil
}

// serverConfig builds the static server config, mirroring the CLI dev server:
// one history shard, SQLite for both default and visibility stores, a single
// local cluster, archival off.
func serverConfig(sqlConf *config.SQL, ip string, p ports) *config.Config {
	hostPort := func(port int) string { return net.JoinHostPort(ip, strconv.Itoa(port)) }

	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = maxJoinDuration
	conf.Global.Membership.BroadcastAddress = ip
	// Global.Metrics stays nil: no Prometheus listener, metrics are no-ops.

	conf.Persistence.DefaultStore = storeName
	conf.Persistence.VisibilityStore = storeName
	// The CLI uses 1 shard; more shards only add per-shard timers and queue
	// processors fighting over the single SQLite connection.
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = map[string]config.DataStore{storeName: {SQL: sqlConf}}

	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             hostPort(p.frontend),
				HTTPAddress:            hostPort(p.frontendHTTP),
				// Only used when the cluster metadata record is first
				// written; on restarts the persisted ID wins silently.
				ClusterID: uuid.NewString(),
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"

	service := func(grpcPort, httpPort int) config.Service {
		var s config.Service
		s.RPC.GRPCPort = grpcPort
		s.RPC.HTTPPort = httpPort
		s.RPC.BindOnIP = ip
		return s
	}
	conf.Services = map[string]config.Service{
		"frontend": service(p.frontend, p.frontendHTTP),
		"history":  service(p.history, 0),
		"matching": service(p.matching, 0),
		"worker":   service(p.worker, 0),
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	// The system worker (scanner, batcher, scheduler) talks to the frontend
	// through this address.
	conf.PublicClient.HostPort = hostPort(p.frontend)
	return &conf
}

// dynamicConfig returns the dev server's dynamic config. A StaticClient is
// enough because nothing changes at runtime; values must have the Go type the
// setting expects (int, not int64; bool).
func dynamicConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		// One task queue partition: with the default 4, the first workflow
		// task of 1,000 just-started workflows took 24-72 s instead of
		// ~11 s, because pollers and tasks land on different partitions and
		// forwarding between them is slow on a single node.
		dynamicconfig.MatchingNumTaskqueueReadPartitions.Key():  1,
		dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,

		// danvan uses workflow Updates. Both default to true in v1.32; set
		// explicitly so a changed default cannot silently break us.
		dynamicconfig.FrontendEnableUpdateWorkflowExecution.Key():              true,
		dynamicconfig.FrontendEnableUpdateWorkflowExecutionAsyncAccepted.Key(): true,

		// The CLI's dev defaults (temporalcli/commands.server.go and
		// devserver/server.go): make new search attributes and Nexus
		// endpoints visible immediately instead of after a cache refresh...
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		dynamicconfig.ForceNexusEndpointRefreshOnRead.Key():         true,
		// ...and, because that bypasses a cache, raise the persistence QPS
		// limits (same ratio as the server defaults).
		dynamicconfig.FrontendPersistenceMaxQPS.Key(): 10000,
		dynamicconfig.HistoryPersistenceMaxQPS.Key():  45000,
		// Smaller host-level mutable state cache (default 128k entries):
		// a dev machine does not need it and it bounds memory.
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): 8096,
		// The default visibility RPS (10) throttles UIs and `list` calls.
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,

		// Not a CLI default: the server otherwise phones home to Temporal's
		// version-check service from every developer machine running
		// `danvan dev` (and fails noisily offline).
		dynamicconfig.EnableServerVersionCheck.Key(): false,
	}
}
