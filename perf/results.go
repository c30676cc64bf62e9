// Package perf is `make bench`: it measures danvan on the configuration
// people run (`danvan dev`'s own process: embedded Temporal on SQLite,
// Postgres projection, local search) and, in the same run, a reference for
// each figure (a bare Temporal fan-out, a naive regular expression, ...),
// and writes bench/results.json. Nothing in the product imports it.
package perf

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// Machine describes where the figures were measured.
type Machine struct {
	Cores    int    `json:"cores"`
	MemoryMB int64  `json:"memory_mb"`
	CPU      string `json:"cpu"`
	Go       string `json:"go"`
	Revision string `json:"git_revision"`
	Date     string `json:"date"`
	OS       string `json:"os"`
	Quick    bool   `json:"quick"`
}

// Figure is one measured value with its reference and goal. Ratio is
// Value/ReferenceValue when there is a reference. Goal is written for
// people ("≤ 1.5× reference"); Met says whether it held, nil when the
// figure has no goal.
type Figure struct {
	Name           string   `json:"name"`
	Value          float64  `json:"value"`
	Unit           string   `json:"unit"`
	ReferenceName  string   `json:"reference_name,omitempty"`
	ReferenceValue *float64 `json:"reference_value,omitempty"`
	Ratio          *float64 `json:"ratio,omitempty"`
	Goal           string   `json:"goal,omitempty"`
	Met            *bool    `json:"met,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// Results is bench/results.json.
type Results struct {
	Machine Machine  `json:"machine"`
	Figures []Figure `json:"figures"`
	Errors  []string `json:"errors,omitempty"`

	mu sync.Mutex
}

// Add appends f (safe for concurrent use) and prints it at once, so a long
// run shows progress.
func (r *Results) Add(f Figure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Figures = append(r.Figures, f)
	fmt.Fprintf(os.Stderr, "bench: %s = %s %s%s\n", f.Name, num(f.Value), f.Unit, refText(f))
}

// Fail records a figure that could not be measured, with why.
func (r *Results) Fail(name string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Errors = append(r.Errors, name+": "+err.Error())
	fmt.Fprintf(os.Stderr, "bench: %s FAILED: %v\n", name, err)
}

func refText(f Figure) string {
	if f.ReferenceValue == nil {
		return ""
	}
	return fmt.Sprintf(" (reference %s = %s)", f.ReferenceName, num(*f.ReferenceValue))
}

// WithRef returns f with the reference set and the ratio computed.
func (f Figure) WithRef(name string, v float64) Figure {
	f.ReferenceName, f.ReferenceValue = name, &v
	if v != 0 {
		r := f.Value / v
		f.Ratio = &r
	}
	return f
}

// Goal sets the goal text and whether it was met.
func (f Figure) WithGoal(text string, met bool) Figure {
	f.Goal, f.Met = text, &met
	return f
}

func num(v float64) string {
	switch {
	case v == float64(int64(v)) && v < 1e12:
		return fmt.Sprintf("%d", int64(v))
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// Table writes the figures as an aligned table.
func (r *Results) Table(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tvalue\treference\tratio\tgoal\tmet")
	for _, f := range r.Figures {
		ref, ratio, met := "", "", ""
		if f.ReferenceValue != nil {
			ref = f.ReferenceName + " " + num(*f.ReferenceValue)
		}
		if f.Ratio != nil {
			ratio = fmt.Sprintf("%.2f×", *f.Ratio)
		}
		if f.Met != nil {
			met = map[bool]string{true: "yes", false: "NO"}[*f.Met]
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%s\n", f.Name, num(f.Value), f.Unit, ref, ratio, f.Goal, met)
	}
	_ = tw.Flush()
	for _, e := range r.Errors {
		fmt.Fprintln(w, "not measured:", e)
	}
}

// Write saves the results as indented JSON at path, creating its folder.
func (r *Results) Write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// DescribeMachine reads the machine's facts; unknown ones stay empty.
func DescribeMachine(quick bool) Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), Date: time.Now().UTC().Format(time.RFC3339),
		OS: runtime.GOOS + "/" + runtime.GOARCH, Quick: quick}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, line := range strings.Split(string(b), "\n") {
			if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil {
				m.MemoryMB = kb / 1024
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Revision = strings.TrimSpace(string(out))
	}
	return m
}

// percentile returns the p-th percentile (0..100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}
