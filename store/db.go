// Package store keeps danvan's entities in Postgres through pgx v5. Every
// query takes its handle as an argument (pool or transaction), and every
// database error goes through translate so callers only see domain codes.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/danvan/danvan"
)

// DBTX is what queries run on: the pool or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the connection pool and the services built on it.
type DB struct {
	Pool   *pgxpool.Pool
	Logger *slog.Logger
}

// Options tune Open.
type Options struct {
	// Schema, when set, is put first on the search path (tests use one
	// schema each); public stays on the path for the extensions.
	Schema string
	// CreateDatabase creates the database named in the URL when missing.
	CreateDatabase bool
	MaxConns       int32
	Logger         *slog.Logger
}

// Open connects to Postgres at dsn. It returns an EUnavailable *Error that
// says how to start Postgres when the server cannot be reached, and EInvalid
// for a malformed URL.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "bad database URL: %v", "địa chỉ cơ sở dữ liệu không hợp lệ: %v", err)
	}
	if opts.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = opts.Schema + ",public"
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.CreateDatabase {
		if err := createDatabase(ctx, cfg.ConnConfig); err != nil {
			return nil, err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, unreachable(cfg.ConnConfig, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, unreachable(cfg.ConnConfig, err)
	}
	return &DB{Pool: pool, Logger: logger}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// Ping returns nil when Postgres answers.
func (db *DB) Ping(ctx context.Context) error { return translate(db.Pool.Ping(ctx)) }

func unreachable(cc *pgx.ConnConfig, err error) error {
	return danvan.Errorf(danvan.EUnavailable,
		"cannot reach PostgreSQL at %s:%d (%v); start it (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`) or set DANVAN_DATABASE_URL",
		"không kết nối được PostgreSQL tại %s:%d (%v); hãy khởi động PostgreSQL hoặc đặt DANVAN_DATABASE_URL",
		cc.Host, cc.Port, err)
}

// createDatabase connects to the maintenance database and creates the
// target one when missing, so `danvan dev` works on a fresh server.
func createDatabase(ctx context.Context, cc *pgx.ConnConfig) error {
	name := cc.Database
	if name == "" || name == "postgres" {
		return nil
	}
	admin := cc.Copy()
	admin.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return unreachable(cc, err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return translate(err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505") { // created meanwhile by another process
		return nil
	}
	return translate(err)
}

// InTx runs fn in a transaction, committing when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := fn(tx); err != nil {
		return err
	}
	return translate(tx.Commit(ctx))
}

// translate is the one place database errors become domain errors; nothing
// else matches errors, and never by their text.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var derr *danvan.Error
	if errors.As(err, &derr) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return danvan.Errorf(danvan.ENotFound, "not found", "không tìm thấy")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return danvan.Errorf(danvan.EConflict, "already exists (%s)", "đã tồn tại (%s)", pgErr.ConstraintName)
		case "23503":
			return danvan.Errorf(danvan.EInvalid, "refers to a record that does not exist (%s)", "tham chiếu tới bản ghi không tồn tại (%s)", pgErr.ConstraintName)
		case "23514":
			// Postgres's own message names tables and values: never show it.
			return danvan.Errorf(danvan.EInvalid, "a value breaks a rule of the record (%s)", "giá trị vi phạm ràng buộc của bản ghi (%s)", pgErr.ConstraintName)
		case "57P01", "57P02", "57P03", "08000", "08003", "08006":
			return danvan.Errorf(danvan.EUnavailable, "database unavailable", "cơ sở dữ liệu không sẵn sàng")
		}
		if strings.HasPrefix(pgErr.Code, "22") {
			// Class 22, data exception (bad encoding, NUL, out of range,
			// bad date): retrying the same input cannot succeed.
			return danvan.Errorf(danvan.EInvalid, "a value is invalid (bad text encoding, a NUL character, out of range or not a date)",
				"có giá trị không hợp lệ (sai mã hóa, ký tự NUL, vượt giới hạn hoặc không phải ngày tháng)")
		}
		return fmt.Errorf("postgres %s: %w", pgErr.Code, err)
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return danvan.Errorf(danvan.EUnavailable, "database unavailable", "cơ sở dữ liệu không sẵn sàng")
	}
	return err
}

// notFound returns an ENotFound *Error naming what was missing.
func notFound(what, key string) error {
	return danvan.Errorf(danvan.ENotFound, "%s %q not found", "không tìm thấy %s %q", what, key)
}

// RedactURL hides the password in a database URL for logs and /healthz.
func RedactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.Replace(u.String(), "xxxxx", "***", 1)
}
