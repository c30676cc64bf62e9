// Package storetest gives each test its own freshly migrated schema in a real
// Postgres, dropped when the test ends, so store tests run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/danvan/danvan/store"
)

// DefaultURL is used when DANVAN_TEST_DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/danvan_test?sslmode=disable"

// URL returns the test database URL.
func URL() string {
	if u := os.Getenv("DANVAN_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New returns a migrated *store.DB on a new schema. The test fails (it does
// not skip: store tests must run) when Postgres cannot be reached.
func New(t testing.TB) *store.DB {
	t.Helper()
	db, _ := NewWithSchema(t)
	return db
}

// NewWithSchema is New that also returns the schema name, for tests that
// open a second connection (such as the binary's Main) on the same schema.
func NewWithSchema(t testing.TB) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := store.Open(ctx, URL(), store.Options{CreateDatabase: true, MaxConns: 2})
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	if _, err := admin.Pool.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Pool.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		admin.Close()
	})
	db, err := store.Open(ctx, URL(), store.Options{Schema: schema, MaxConns: 4})
	if err != nil {
		t.Fatalf("open schema: %v", err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db, schema
}
