// Package migrations holds the numbered SQL migrations, embedded in the
// binary so a deployed danvan needs no files beside it. Files are named
// NNN_name.sql and run in number order, each once, by store.Migrate.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
