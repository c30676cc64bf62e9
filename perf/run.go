package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is one `make bench` run.
type Config struct {
	// Bin is the built danvan binary.
	Bin string
	// CorpusDir holds the corpus .txt files.
	CorpusDir string
	// Quick runs every figure at a tenth of its size.
	Quick bool
	// Only, when set, runs the figures whose group name contains it
	// (extraction, search, fanout, reminders, submissions, api).
	Only string
}

func (c Config) want(group string) bool { return c.Only == "" || strings.Contains(c.Only, group) }

func (c Config) size(n int) int {
	if c.Quick {
		return n / 10
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Run measures every figure and returns the results; a figure that fails
// is recorded as not measured and the run goes on.
func Run(ctx context.Context, cfg Config) *Results {
	r := &Results{Machine: DescribeMachine(cfg.Quick)}
	if cfg.want("extraction") {
		rounds := 5
		if cfg.Quick {
			rounds = 2
		}
		ext, ref, err := Extraction(cfg.CorpusDir, rounds)
		if err != nil {
			r.Fail("citation extraction", err)
		} else {
			f := Figure{Name: "citation extraction, corpus", Value: ext, Unit: "MB/s"}.WithRef("naive one-regex scan", ref)
			r.Add(f.WithGoal("≥ 100 MB/s and ≥ 4× reference", ext >= 100 && *f.Ratio >= 4))
		}
	}
	if cfg.want("search") {
		for _, n := range []int{cfg.size(10_000), cfg.size(100_000)} {
			p50, p95, err := Search(ctx, "danvan_bench_search", n, 20, cfg.CorpusDir)
			name := fmt.Sprintf("local search, %d documents", n)
			if err != nil {
				r.Fail(name, err)
				continue
			}
			r.Add(Figure{Name: name + ", p50", Value: ms(p50), Unit: "ms"})
			f := Figure{Name: name + ", p95", Value: ms(p95), Unit: "ms"}
			if n >= 100_000 {
				f = f.WithGoal("p95 ≤ 50 ms at 100k", ms(p95) <= 50)
			}
			r.Add(f)
		}
	}
	small, large := cfg.size(1000), cfg.size(10_000)
	if cfg.want("fanout") || cfg.want("reminders") || cfg.want("submissions") {
		runSmall(ctx, cfg, r, small)
	}
	if cfg.want("fanout") || cfg.want("api") {
		runLarge(ctx, cfg, r, large)
	}
	return r
}

// fanOutFigures measures the fan-out of n units on dev and the bare
// reference, and adds the figures.
func fanOutFigures(ctx context.Context, cfg Config, r *Results, d *Dev, n int) (string, bool) {
	name := fmt.Sprintf("cycle fan-out, %d units × 5 tasks", n)
	progress("%s: bare reference", name)
	bare, bareDB, err := BareFanOut(ctx, n)
	if err != nil {
		r.Fail(name+" (bare reference)", err)
		return "", false
	}
	progress("%s: danvan dev", name)
	took, err := FanOut(ctx, d, n, 2099)
	if err != nil {
		r.Fail(name, err)
		return "", false
	}
	f := Figure{Name: name, Value: took.Seconds(), Unit: "s"}.WithRef("bare Temporal fan-out (5 timers, no activities)", bare.Seconds())
	goal, met := "≤ 1.5× reference", *f.Ratio <= 1.5
	if n >= 10_000 {
		goal, met = "≤ 1.5× reference and ≤ 180 s", met && took.Seconds() <= 180
	}
	r.Add(f.WithGoal(goal, met))
	rss := d.PeakRSSMB()
	r.Add(Figure{Name: name + ", peak RSS of danvan dev", Value: rss, Unit: "MB"}.WithGoal("≤ 1 GB", rss <= 1024))
	r.Add(Figure{Name: name + ", Temporal SQLite size", Value: d.TemporalDBMB(), Unit: "MB"}.WithRef("bare fan-out's SQLite", bareDB))
	r.Add(Figure{Name: name + ", Postgres size", Value: d.PostgresMB(ctx), Unit: "MB"})
	return "2099-SNV", true
}

func runSmall(ctx context.Context, cfg Config, r *Results, n int) {
	progress("starting danvan dev")
	d, err := StartDev(ctx, cfg.Bin, "danvan_bench_small")
	if err != nil {
		r.Fail("danvan dev", err)
		return
	}
	defer d.Stop()
	cycleID, ok := fanOutFigures(ctx, cfg, r, d, n)
	if !ok {
		return
	}
	units := make([]string, 0, n-1)
	for i := 1; i < n; i++ {
		units = append(units, fmt.Sprintf("X%05d", i))
	}
	if cfg.want("submissions") {
		s, err := Submissions(ctx, d, cycleID, units, cfg.CorpusDir)
		name := fmt.Sprintf("submissions through the API, %d units at once", len(units))
		if err != nil {
			r.Fail(name, err)
		} else {
			r.Add(Figure{Name: name + ", throughput", Value: s.PerSecond, Unit: "submissions/s",
				Note: fmt.Sprintf("%d failed", s.Failed)})
			r.Add(Figure{Name: name + ", p50 latency", Value: ms(s.P50), Unit: "ms"})
			r.Add(Figure{Name: name + ", p99 latency", Value: ms(s.P99), Unit: "ms"})
			r.Add(Figure{Name: "unit workflow history after a year (5 tasks submitted, returned, resubmitted, accepted)",
				Value: s.HistoryKiB, Unit: "KiB", Note: fmt.Sprintf("%d events", s.Events)})
		}
	}
	if cfg.want("reminders") {
		burst, err := ReminderLateness(ctx, d, [][]string{units}, 0, 2030)
		name := fmt.Sprintf("reminder lateness, %d due in the same second", len(units))
		if err != nil {
			r.Fail(name, err)
		} else {
			addLateness(r, name, burst, 5*time.Second)
		}
		groups := make([][]string, 20)
		for i, u := range units {
			groups[i%20] = append(groups[i%20], u)
		}
		spread, err := ReminderLateness(ctx, d, groups, time.Minute, 2040)
		name = fmt.Sprintf("reminder lateness, %d spread over a minute", len(units))
		if err != nil {
			r.Fail(name, err)
		} else {
			addLateness(r, name, spread, time.Second)
		}
	}
}

func addLateness(r *Results, name string, l Lateness, goal time.Duration) {
	r.Add(Figure{Name: name + ", seen by the workflow, p50", Value: ms(l.SeenP50), Unit: "ms"})
	r.Add(Figure{Name: name + ", seen by the workflow, p99", Value: ms(l.SeenP99), Unit: "ms"}.
		WithGoal(fmt.Sprintf("p99 ≤ %s", goal), l.SeenP99 <= goal))
	r.Add(Figure{Name: name + ", notification written, p50", Value: ms(l.WrittenP50), Unit: "ms"})
	r.Add(Figure{Name: name + ", notification written, p99", Value: ms(l.WrittenP99), Unit: "ms"}.
		WithGoal(fmt.Sprintf("p99 ≤ %s", goal), l.WrittenP99 <= goal))
}

func runLarge(ctx context.Context, cfg Config, r *Results, n int) {
	d, err := StartDev(ctx, cfg.Bin, "danvan_bench_large")
	if err != nil {
		r.Fail("danvan dev", err)
		return
	}
	defer d.Stop()
	cycleID := "2099-SNV"
	if cfg.want("fanout") {
		id, ok := fanOutFigures(ctx, cfg, r, d, n)
		if !ok {
			return
		}
		cycleID = id
	} else if _, err := FanOut(ctx, d, n, 2099); err != nil {
		r.Fail("cycle for the API figures", err)
		return
	}
	if !cfg.want("api") {
		return
	}
	files, _ := filepath.Glob(filepath.Join(cfg.CorpusDir, "*.txt"))
	if _, err := d.CLI(ctx, "", append([]string{"docs", "import"}, files...)...); err != nil {
		r.Fail("API figures (importing the corpus)", err)
		return
	}
	officer, err := officerToken(ctx, d, "X00001")
	if err != nil {
		r.Fail("API figures (officer account)", err)
		return
	}
	routes := []struct{ name, path, token string }{
		{"officer's task list", "/api/cycles/" + cycleID, officer},
		{"cycle dashboard", "/chu-ky/" + cycleID, d.Token},
		{"document search", "/api/documents?q=chi+thi+33", d.Token},
	}
	dur := 15 * time.Second
	if cfg.Quick {
		dur = 4 * time.Second
	}
	for _, conns := range []int{50, 200} {
		for _, rt := range routes {
			name := fmt.Sprintf("API %s, %d units, %d connections", rt.name, n, conns)
			l, err := Load(ctx, d.URL+rt.path, rt.token, conns, dur)
			if err != nil {
				r.Fail(name, err)
				continue
			}
			r.Add(Figure{Name: name + ", p50", Value: ms(l.P50), Unit: "ms"})
			r.Add(Figure{Name: name + ", p99", Value: ms(l.P99), Unit: "ms"}.WithGoal("p99 ≤ 50 ms", ms(l.P99) <= 50))
			r.Add(Figure{Name: name + ", throughput", Value: l.PerSec, Unit: "requests/s"})
		}
	}
}

// officerToken makes an officer of unit and returns an API token for it.
func officerToken(ctx context.Context, d *Dev, unit string) (string, error) {
	login := "bench." + strings.ToLower(unit)
	if _, err := d.CLI(ctx, "", "users", "add", "--login", login, "--name", "Cán bộ "+unit, "--role", "officer", "--unit", unit); err != nil {
		return "", err
	}
	out, err := d.CLI(ctx, "", "users", "token", login, "--expires", "1d")
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+time.Now().Format("15:04:05")+" "+format+"\n", args...)
}
