// Package app wires danvan together: it opens Postgres, the workflow engine
// (embedded or external), the search backend, the worker and the HTTP
// server, and closes them in order. cmd/danvan only parses flags into a
// Config and calls Run; end-to-end tests use Main the same way.
package app

import (
	"log/slog"
	"time"
)

// Defaults of every setting, written once and shown by --help and README.
const (
	DefaultDatabaseURL       = "postgres://postgres@127.0.0.1:5432/danvan?sslmode=disable"
	DefaultDataDir           = ".danvan"
	DefaultHTTPAddr          = "127.0.0.1:8080"
	DefaultTemporalPort      = 7233
	DefaultTemporalAddress   = "127.0.0.1:7233"
	DefaultTemporalNamespace = "default"
)

// Config is everything Main needs. Zero values take the defaults above.
type Config struct {
	// DatabaseURL is the Postgres URL (DANVAN_DATABASE_URL); the database is
	// created when missing.
	DatabaseURL string
	// DatabaseSchema, when set, puts every table in that schema
	// (DANVAN_DATABASE_SCHEMA); tests use it to share one database.
	DatabaseSchema string
	// DataDir holds the embedded Temporal database and admin.token
	// (DANVAN_DATA_DIR).
	DataDir string
	// HTTPAddr is where the API and UI listen (DANVAN_HTTP_ADDR); port 0
	// picks a free port. Empty with HTTP=false runs no server.
	HTTPAddr string
	// HTTP runs the API and web UI.
	HTTP bool
	// Worker runs a Temporal worker in this process.
	Worker bool
	// EmbeddedTemporal starts a Temporal server in this process (danvan
	// dev); otherwise TemporalAddress is dialled.
	EmbeddedTemporal bool
	// TemporalPort is the embedded frontend port (DANVAN_TEMPORAL_PORT);
	// -1 picks a free port.
	TemporalPort int
	// TemporalAddress is an external Temporal frontend
	// (DANVAN_TEMPORAL_ADDRESS).
	TemporalAddress string
	// TemporalNamespace (DANVAN_TEMPORAL_NAMESPACE).
	TemporalNamespace string
	// MeiliURL and MeiliKey select Meilisearch (DANVAN_MEILI_URL,
	// DANVAN_MEILI_KEY); empty uses the local Postgres search.
	MeiliURL, MeiliKey string
	// SMTPURL sends e-mail when set (DANVAN_SMTP_URL), e.g.
	// smtp://user:pass@mail.example.org:587?from=danvan@example.org.
	SMTPURL string
	// SMTPConcurrency bounds the SMTP connections the outbox sender of
	// this process opens at once (DANVAN_SMTP_CONCURRENCY); 0 means 4.
	SMTPConcurrency int
	// SMTPRetryWindow is how long an e-mail that fails temporarily is
	// retried before it is marked failed and listed for administrators
	// (DANVAN_SMTP_RETRY_WINDOW); 0 means 48 h.
	SMTPRetryWindow time.Duration
	// CalendarFile is a JSON file of official days off per year (Tết days,
	// compensatory days, swapped working days) as calendar.Config
	// (DANVAN_CALENDAR_FILE); empty uses the statutory calendar.
	CalendarFile string
	// WriteAdminToken makes sure the administrator "admin" exists (its
	// random password written once to DataDir/admin.password) and writes a
	// personal API token of it to DataDir/admin.token (danvan dev).
	WriteAdminToken bool
	// PublicURL is the address people use (DANVAN_PUBLIC_URL); when it is
	// https the session cookie is Secure and responses carry HSTS.
	PublicURL string
	// SessionIdle ends a session unused this long (DANVAN_SESSION_IDLE);
	// 0 means 30 min.
	SessionIdle time.Duration
	// SessionLifetime ends a session this long after sign-in, used or not
	// (DANVAN_SESSION_LIFETIME); 0 means 12 h.
	SessionLifetime time.Duration
	// Logger receives all logs; nil logs to stderr at info.
	Logger *slog.Logger
	// ShutdownTimeout bounds Close; 0 means 10 s.
	ShutdownTimeout time.Duration
	// Version is reported by /healthz.
	Version string
}

func (c *Config) setDefaults() {
	if c.DatabaseURL == "" {
		c.DatabaseURL = DefaultDatabaseURL
	}
	if c.DataDir == "" {
		c.DataDir = DefaultDataDir
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = DefaultHTTPAddr
	}
	if c.TemporalPort == 0 {
		c.TemporalPort = DefaultTemporalPort
	} else if c.TemporalPort < 0 {
		c.TemporalPort = 0
	}
	if c.TemporalAddress == "" {
		c.TemporalAddress = DefaultTemporalAddress
	}
	if c.TemporalNamespace == "" {
		c.TemporalNamespace = DefaultTemporalNamespace
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if c.Version == "" {
		c.Version = "dev"
	}
}
