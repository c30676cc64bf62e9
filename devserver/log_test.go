package devserver

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

func TestSlogLoggerLevels(t *testing.T) {
	var buf bytes.Buffer
	level := &slog.LevelVar{}
	level.Set(slog.LevelWarn)
	var l log.Logger = slogLogger{
		log:   slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		level: level,
	}
	l = log.With(l, tag.NewStringTag("service", "history"))

	l.Debug("timer debug noise")
	l.Info("started")
	l.Warn("slow persistence", tag.NewInt("shard-id", 1))
	l.Fatal("fatal is only logged")

	out := buf.String()
	if strings.Contains(out, "noise") || strings.Contains(out, "started") {
		t.Errorf("debug/info leaked at WARN level:\n%s", out)
	}
	for _, want := range []string{"level=WARN", "slow persistence", "shard-id=1", "service=history", "level=ERROR", "fatal is only logged"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
