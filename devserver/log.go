package devserver

import (
	"context"
	"log/slog"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// slogLogger adapts the Temporal server's tag-based log.Logger to *slog.Logger,
// the same way the Temporal CLI's dev server does.
//
// The level is a *slog.LevelVar rather than a plain value so Stop can raise it
// to ERROR: the server routinely emits warnings while shutting down (closed
// connections, cancelled pollers) that would only alarm a developer.
type slogLogger struct {
	log   *slog.Logger
	level *slog.LevelVar
}

var (
	_ log.Logger      = slogLogger{}
	_ log.WithLogger  = slogLogger{}
	_ log.SLogWrapper = slogLogger{}
)

func (s slogLogger) Debug(msg string, tags ...tag.Tag) { s.logTags(slog.LevelDebug, msg, tags) }
func (s slogLogger) Info(msg string, tags ...tag.Tag)  { s.logTags(slog.LevelInfo, msg, tags) }
func (s slogLogger) Warn(msg string, tags ...tag.Tag)  { s.logTags(slog.LevelWarn, msg, tags) }
func (s slogLogger) Error(msg string, tags ...tag.Tag) { s.logTags(slog.LevelError, msg, tags) }

// DPanic, Panic and Fatal are logged as errors and never panic or exit: an
// embedded server must not take the developer's whole process down through its
// logger.
func (s slogLogger) DPanic(msg string, tags ...tag.Tag) { s.logTags(slog.LevelError, msg, tags) }
func (s slogLogger) Panic(msg string, tags ...tag.Tag)  { s.logTags(slog.LevelError, msg, tags) }
func (s slogLogger) Fatal(msg string, tags ...tag.Tag)  { s.logTags(slog.LevelError, msg, tags) }

// With implements log.WithLogger so the server's many tagged child loggers
// pre-render their tags once instead of going through the generic (slower)
// prepending wrapper on every call.
func (s slogLogger) With(tags ...tag.Tag) log.Logger {
	return slogLogger{log: s.log.With(attrsAny(tags)...), level: s.level}
}

// SLog lets server code that wants a *slog.Logger get ours directly.
func (s slogLogger) SLog() *slog.Logger { return s.log }

func (s slogLogger) logTags(level slog.Level, msg string, tags []tag.Tag) {
	// The level check comes first so the (frequent) debug/info calls from
	// the server cost no allocation at the default WARN level.
	if level < s.level.Level() || !s.log.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]slog.Attr, len(tags))
	for i, t := range tags {
		attrs[i] = slog.Any(t.Key(), t.Value())
	}
	s.log.LogAttrs(context.Background(), level, msg, attrs...)
}

func attrsAny(tags []tag.Tag) []any {
	out := make([]any, len(tags))
	for i, t := range tags {
		out[i] = slog.Any(t.Key(), t.Value())
	}
	return out
}

// discardLogger is used when Config.Logger is nil.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
