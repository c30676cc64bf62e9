// Package cli is danvan's command line: server commands (dev, serve,
// worker, migrate), tools that need no server (cite, docs, search) and
// client commands that talk to the HTTP API (units, cycle, task,
// notifications). Settings come from flags and DANVAN_* variables here only.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
)

// Version is set at build time with -ldflags "-X github.com/danvan/danvan/cli.Version=...".
var Version = "dev"

// Env is the process environment a command sees; tests pass their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"dev":     {"run everything on this machine: embedded Temporal, worker, HTTP server and UI", runDev},
		"serve":   {"run the HTTP server and/or a worker against an external Temporal", runServe},
		"worker":  {"run a worker only (scale horizontally) against an external Temporal", runWorker},
		"migrate": {"apply database migrations and exit", runMigrate},
		"health":  {"check a running danvan's /healthz (exit 0 when healthy); for container health checks", runHealth},
		"version": {"print the version", func(_ context.Context, env Env, _ []string) error {
			_, err := fmt.Fprintln(env.Stdout, "danvan", Version)
			return err
		}},
		"cite":          {"extract citations from text or .docx files (no server needed)", runCite},
		"docs":          {"document registry: import FILE..., show NUMBER", runDocs},
		"search":        {"search the document registry", runSearch},
		"users":         {"accounts: add --login L --name N --role R [--unit CODE]..., list, disable|enable|password|token|revoke LOGIN", runUsers},
		"audit":         {"print the audit log [--since 7d] [--action login.] [--json]", runAudit},
		"units":         {"units: import FILE, list (through the HTTP API)", runUnits},
		"cycle":         {"cycles: start FILE, list, status ID (through the HTTP API)", runCycle},
		"task":          {"tasks: submit, accept, return, extend (through the HTTP API)", runTask},
		"calendar":      {"calendar: import FILE of official days off; running cycles follow (through the HTTP API)", runCalendar},
		"notifications": {"list notifications (through the HTTP API)", runNotifications},
		"models":        {"\"Dân vận khéo\" models: register, list, review, start, decide (through the HTTP API)", runModels},
		"reports":       {"mid-year and annual reports: submit, show (through the HTTP API)", runReports},
		"plan":          {"unit plans: submit (checked against the parent plan), show (through the HTTP API)", runPlan},
		"catalogue":     {"report catalogue: import FILE, show (through the HTTP API)", runCatalogue},
		"inspections":   {"inspections: plan, record, list, close, accept/return answers, notice (through the HTTP API)", runInspections},
		"criteria":      {"criteria sets: import FILE, list, use (through the HTTP API)", runCriteria},
		"scores":        {"scores: self, appraise, show (through the HTTP API)", runScores},
		"summary":       {"the province's summary of a cycle as docx, xlsx or json (through the HTTP API)", runSummary},
	}
}

// Run runs the command in args and returns the process exit code: 0 on
// success, 2 for usage errors, 1 for everything else. Errors are printed in
// English and Vietnamese.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "danvan: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	printError(env.Stderr, err)
	return 1
}

var errUsage = errors.New("usage")

func printError(w io.Writer, err error) {
	var e *danvan.Error
	if errors.As(err, &e) {
		fmt.Fprintf(w, "error: %s\n", e.Error())
		if e.MessageVI != "" && e.MessageVI != e.Message {
			vi := e.MessageVI
			for _, f := range e.Fields {
				vi += "\n  - " + f.MessageVI
			}
			fmt.Fprintf(w, "lỗi: %s\n", vi)
		}
		return
	}
	fmt.Fprintf(w, "error: %v\n", err)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "danvan: workflows and documents for government mass-mobilisation work (dân vận chính quyền)")
	fmt.Fprintln(w, "\nUsage: danvan COMMAND [flags]   (danvan COMMAND -h for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
}

// newFlags returns a flag set that prints its defaults to env.Stderr and
// returns errors instead of exiting.
func newFlags(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: danvan %s\n\nFlags (each also read from the DANVAN_* variable shown):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, mapping a usage problem to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// envString returns the variable's value or def.
func envString(env Env, name, def string) string {
	if v := env.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(env Env, name string, def int) int {
	if v := env.Getenv(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func envBool(env Env, name string, def bool) bool {
	switch strings.ToLower(env.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	return def
}
