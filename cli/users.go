package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/app"
	"github.com/danvan/danvan/store"
)

// stringList is a repeatable flag (--unit A --unit B).
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

const usersUsage = `Usage:
  danvan users add --login L --name N --role admin|officer|inspector|reader [--unit CODE]... [--email E] [--password-stdin]
  danvan users list [--json]
  danvan users disable|enable LOGIN
  danvan users password LOGIN [--password-stdin]
  danvan users token LOGIN [--expires 90d]
  danvan users revoke LOGIN`

// openDB opens and migrates the database the env and flags name.
func openDB(ctx context.Context, dsn, schema string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn, store.Options{Schema: schema, CreateDatabase: true})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// readPassword reads one line from stdin (no echo handling: it is meant
// for pipes, e.g. from a password manager).
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// parseExpiry reads "90d", "12h" or "2027-01-31".
func parseExpiry(s string, now time.Time) (time.Time, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d > 0 && d <= 3650 {
			return now.AddDate(0, 0, d), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil && t.After(now) {
		return t, nil
	}
	return time.Time{}, danvan.Invalid("expires", "must be like 90d, 36h or a future date YYYY-MM-DD (at most 3650d)",
		"hạn phải có dạng 90d, 36h hoặc một ngày YYYY-MM-DD trong tương lai")
}

// cliAudit records a CLI action in the audit log; the actor is the
// operating-system side ("cli"), which has direct database access.
func cliAudit(ctx context.Context, db *store.DB, action, login string, before, after any) {
	raw := func(v any) json.RawMessage {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		return b
	}
	now := time.Now()
	_ = store.NewAuditService(db).Audit(ctx, &danvan.AuditEntry{Key: fmt.Sprintf("cli/%s/%s/%d", action, login, now.UnixNano()), At: now,
		Actor: "cli", Client: "cli", Action: action, Detail: raw(map[string]string{"login": login}), Before: raw(before), After: raw(after)})
}

// runUsers manages accounts directly in the database: it is how the first
// administrator of a `danvan serve` deployment is made.
func runUsers(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, usersUsage)
		return errUsage
	}
	sub := args[0]
	fs := newFlags(env, "users "+sub, usersUsage[len("Usage:\n  danvan "):])
	dsn := fs.String("database-url", envString(env, "DANVAN_DATABASE_URL", app.DefaultDatabaseURL), "Postgres URL (DANVAN_DATABASE_URL)")
	schema := fs.String("database-schema", envString(env, "DANVAN_DATABASE_SCHEMA", ""), "Postgres schema (DANVAN_DATABASE_SCHEMA)")
	login := fs.String("login", "", "add: the login (lower-case letters, digits, . _ @ -)")
	name := fs.String("name", "", "add: the person's name")
	role := fs.String("role", "", "add: admin, officer, inspector or reader")
	var units stringList
	fs.Var(&units, "unit", "add: an officer's unit code (repeat for several units)")
	email := fs.String("email", "", "add: e-mail address")
	stdin := fs.Bool("password-stdin", false, "add, password: read the password from standard input instead of generating one")
	expires := fs.String("expires", "90d", "token: validity, e.g. 90d, 36h or 2027-12-31")
	asJSON := fs.Bool("json", false, "list: print JSON")
	// Flags may follow the LOGIN argument: parse what comes after it too.
	rest := args[1:]
	var target string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		target, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	}
	needsLogin := map[string]bool{"disable": true, "enable": true, "password": true, "token": true, "revoke": true}
	if needsLogin[sub] && target == "" {
		fmt.Fprintf(env.Stderr, "danvan users %s: give the LOGIN\n\n%s\n", sub, usersUsage)
		return errUsage
	}
	if !needsLogin[sub] && sub != "add" && sub != "list" {
		fmt.Fprintf(env.Stderr, "danvan users: unknown subcommand %q\n\n%s\n", sub, usersUsage)
		return errUsage
	}
	db, err := openDB(ctx, *dsn, *schema)
	if err != nil {
		return err
	}
	defer db.Close()
	users := store.NewUserService(db)
	password := func(forLogin string) (string, bool, error) {
		if *stdin {
			pw, err := readPassword(env.Stdin)
			return pw, false, err
		}
		for {
			if pw := api.NewPassword(); danvan.CheckPassword(forLogin, pw) == nil {
				return pw, true, nil
			}
		}
	}
	switch sub {
	case "add":
		u := &danvan.User{Login: *login, Name: *name, Role: *role, Units: units, Email: *email}
		if u.Login == "" {
			return danvan.Invalid("login", "is required: --login L", "bắt buộc phải nhập --login")
		}
		pw, generated, err := password(strings.ToLower(u.Login))
		if err != nil {
			return err
		}
		if err := users.AddUser(ctx, u, pw); err != nil {
			return err
		}
		cliAudit(ctx, db, "user.create", u.Login, nil, u)
		fmt.Fprintf(env.Stdout, "created %s (%s)\n", u.Login, u.Role)
		if generated {
			fmt.Fprintf(env.Stdout, "password (shown once): %s\n", pw)
		}
		return nil
	case "list":
		list, err := users.ListUsers(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"users": list})
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tROLE\tUNITS\tSTATUS\tNAME")
		for _, u := range list {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, strings.Join(u.Units, ","), status, u.Name)
		}
		return tw.Flush()
	case "disable", "enable":
		v := sub == "disable"
		before, after, err := users.UpdateUser(ctx, target, danvan.UserChange{Disabled: &v})
		if err != nil {
			return err
		}
		cliAudit(ctx, db, "user."+sub, target, before, after)
		fmt.Fprintf(env.Stdout, "%sd %s\n", sub, target)
		return nil
	case "password":
		pw, generated, err := password(strings.ToLower(target))
		if err != nil {
			return err
		}
		if err := users.SetPassword(ctx, target, pw); err != nil {
			return err
		}
		cliAudit(ctx, db, "user.password", target, nil, nil)
		fmt.Fprintf(env.Stdout, "password of %s changed; its sessions ended\n", target)
		if generated {
			fmt.Fprintf(env.Stdout, "password (shown once): %s\n", pw)
		}
		return nil
	case "token":
		exp, err := parseExpiry(*expires, time.Now())
		if err != nil {
			return err
		}
		u, err := users.FindUser(ctx, target)
		if err != nil {
			return err
		}
		secret, t, err := users.NewToken(ctx, u.ID, &exp)
		if err != nil {
			return err
		}
		cliAudit(ctx, db, "token.create", target, nil, t)
		fmt.Fprintf(env.Stdout, "token %s… of %s, valid until %s (shown once):\n%s\n", t.Prefix, target, exp.Format("2006-01-02 15:04 MST"), secret)
		return nil
	case "revoke":
		n, err := users.RevokeAll(ctx, target)
		if err != nil {
			return err
		}
		cliAudit(ctx, db, "token.revoke_all", target, nil, map[string]int{"revoked": n})
		fmt.Fprintf(env.Stdout, "revoked %d session(s) and token(s) of %s\n", n, target)
		return nil
	}
	return errUsage
}

// runAudit prints the audit log, newest first.
func runAudit(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "audit", "audit [--since 2026-01-31|24h] [--action PREFIX] [--actor LOGIN] [--json]")
	dsn := fs.String("database-url", envString(env, "DANVAN_DATABASE_URL", app.DefaultDatabaseURL), "Postgres URL (DANVAN_DATABASE_URL)")
	schema := fs.String("database-schema", envString(env, "DANVAN_DATABASE_SCHEMA", ""), "Postgres schema (DANVAN_DATABASE_SCHEMA)")
	since := fs.String("since", "", "only entries since a date (YYYY-MM-DD, Vietnam time), an RFC 3339 time or a duration ago (24h, 7d)")
	action := fs.String("action", "", "only actions starting with this, e.g. login. or user.")
	actor := fs.String("actor", "", "only this actor")
	limit := fs.Int("limit", 1000, "at most this many entries (max 10000)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	f := danvan.AuditFilter{Action: *action, Actor: *actor, Limit: *limit}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return err
		}
		f.Since = t
	}
	db, err := openDB(ctx, *dsn, *schema)
	if err != nil {
		return err
	}
	defer db.Close()
	entries, err := store.NewAuditService(db).FindAudit(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"entries": entries})
	}
	vn := time.FixedZone("ICT", 7*3600)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (VN)\tACTOR\tCLIENT\tACTION\tCYCLE\tUNIT\tDETAIL")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.At.In(vn).Format("02/01/2006 15:04:05"), e.Actor, e.Client, e.Action, e.CycleID, e.Unit, string(e.Detail))
	}
	return tw.Flush()
}

func parseSince(s string, now time.Time) (time.Time, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d >= 0 {
			return now.AddDate(0, 0, -d), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.FixedZone("ICT", 7*3600)); err == nil {
		return t, nil
	}
	return time.Time{}, danvan.Invalid("since", "must be YYYY-MM-DD, an RFC 3339 time or a duration like 24h or 7d",
		"phải có dạng YYYY-MM-DD, thời điểm RFC 3339 hoặc khoảng thời gian như 24h, 7d")
}
