package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/store"
)

// registryFlags binds the settings the document commands need: they work on
// the database and search backend directly, no server required.
func registryFlags(fs *flag.FlagSet, env Env) func(ctx context.Context) (*app.Search, func(), error) {
	dsn := fs.String("database-url", envString(env, "DANVAN_DATABASE_URL", app.DefaultDatabaseURL), "Postgres URL (DANVAN_DATABASE_URL)")
	schema := fs.String("database-schema", envString(env, "DANVAN_DATABASE_SCHEMA", ""), "Postgres schema (DANVAN_DATABASE_SCHEMA)")
	meiliURL := fs.String("meili-url", envString(env, "DANVAN_MEILI_URL", ""), "Meilisearch URL; empty = local Postgres search (DANVAN_MEILI_URL)")
	meiliKey := fs.String("meili-key", envString(env, "DANVAN_MEILI_KEY", ""), "Meilisearch API key (DANVAN_MEILI_KEY)")
	return func(ctx context.Context) (*app.Search, func(), error) {
		logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		db, err := store.Open(ctx, *dsn, store.Options{Schema: *schema, CreateDatabase: true, Logger: logger})
		if err != nil {
			return nil, nil, err
		}
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, nil, err
		}
		s, err := app.OpenSearch(ctx, db, *meiliURL, *meiliKey, logger)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return s, db.Close, nil
	}
}

func runDocs(ctx context.Context, env Env, args []string) error {
	const synopsis = "docs import [--number N --date D --type T --issuer I] FILE... | docs show [--json] NUMBER|ID | docs reindex | docs clashes [--json]"
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	fs := newFlags(env, "docs", synopsis)
	open := registryFlags(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	var id registry.Identity
	fs.StringVar(&id.Number, "number", "", "import: the document's number when its header has none, e.g. 53/KH-UBND")
	fs.StringVar(&id.Date, "date", "", "import: its date, YYYY-MM-DD or D/M/YYYY")
	fs.StringVar(&id.Type, "type", "", "import: its type, name or code (KH, Kế hoạch)")
	fs.StringVar(&id.Issuer, "issuer", "", "import: its issuing body")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	sub := args[0]
	if sub != "import" && sub != "show" && sub != "reindex" && sub != "clashes" {
		fmt.Fprintf(env.Stderr, "danvan docs: unknown subcommand %q (import, show, reindex, clashes)\n", sub)
		return errUsage
	}
	if (sub == "import" && fs.NArg() == 0) || (sub == "show" && fs.NArg() != 1) {
		fmt.Fprintln(env.Stderr, "Usage: danvan "+synopsis)
		return errUsage
	}
	s, closeDB, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	switch sub {
	case "import":
		var override *registry.Identity
		if id != (registry.Identity{}) {
			override = &id
		}
		inputs := make([]registry.ImportInput, fs.NArg())
		for i, p := range fs.Args() {
			inputs[i] = registry.ImportInput{Path: p, Override: override}
		}
		rep, err := s.Registry.Import(ctx, inputs, progressBar(env.Stderr, len(inputs)))
		if err != nil {
			return err
		}
		if *asJSON {
			err = printJSON(env.Stdout, rep)
		} else {
			err = registry.WriteImportReport(env.Stdout, rep)
		}
		if err == nil && rep.Failed > 0 {
			err = fmt.Errorf("%d of %d file(s) were not imported", rep.Failed, len(inputs))
		}
		return err
	case "show":
		v, err := s.Registry.Show(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, v)
		}
		return registry.WriteTable(env.Stdout, v)
	case "clashes":
		// Number clashes: a unit's submission under a number another
		// owner's document has; the administrator decides what is meant.
		cs, err := s.Registry.DB.NumberClashes(ctx, 1000)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, cs)
		}
		if len(cs) == 0 {
			fmt.Fprintln(env.Stdout, "Không có văn bản trùng số.")
		}
		for _, a := range cs {
			fmt.Fprintf(env.Stdout, "văn bản %d: %s\n", a.DocumentID, a.MessageVI)
		}
		return nil
	default:
		n, err := s.Registry.Reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "reindexed %d document(s) into %s\n", n, s.Name())
		return nil
	}
}

// progressBar draws a bar on w for more than a handful of files.
func progressBar(w io.Writer, total int) func(done, total int) {
	if total < 5 {
		return nil
	}
	return func(done, total int) {
		const width = 30
		fill := width * done / total
		fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

func runSearch(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "search", "search [--json] [--type KH] [--issuer I] [--year 2023 | --from Y --to Y] [--limit N] QUERY")
	open := registryFlags(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	typ := fs.String("type", "", "type code or name; several separated by commas")
	issuer := fs.String("issuer", "", "issuing body (name or code)")
	year := fs.Int("year", 0, "only documents of this year")
	from := fs.Int("from", 0, "only documents from this year on")
	to := fs.Int("to", 0, "only documents up to this year")
	limit := fs.Int("limit", search.DefaultLimit, "at most this many hits (max 100)")
	if err := parse(fs, args); err != nil {
		return err
	}
	q := search.Query{Q: strings.Join(fs.Args(), " "), Issuer: *issuer, YearFrom: *from, YearTo: *to, Limit: *limit}
	if *year != 0 {
		q.YearFrom, q.YearTo = *year, *year
	}
	for _, t := range strings.Split(*typ, ",") {
		if t = strings.TrimSpace(t); t != "" {
			q.Types = append(q.Types, t)
		}
	}
	if q.Q == "" && len(q.Types) == 0 && q.Issuer == "" && q.YearFrom == 0 && q.YearTo == 0 {
		fmt.Fprintln(env.Stderr, "danvan search: give a query or a filter, e.g. danvan search \"chi thi 33\"")
		return errUsage
	}
	s, closeDB, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	res, err := s.Registry.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	return registry.WriteResults(env.Stdout, res)
}
