package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
)

func TestUserService_Accounts(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	units := store.NewUnitService(db)
	_, _, err := units.ImportUnits(ctx, []danvan.Unit{{Code: "A", Name: "Đơn vị A", Kind: "department"}, {Code: "B", Name: "Đơn vị B", Kind: "department"}})
	require.NoError(t, err)
	users := store.NewUserService(db)

	t.Run("PasswordRules", func(t *testing.T) {
		for _, p := range []string{"short", "officer-a-secret", "1234567890", "qwertyuiop", "Password123"} {
			err := users.AddUser(ctx, &danvan.User{Login: "officer-a", Name: "A", Role: danvan.RoleOfficer, Units: []string{"A"}}, p)
			require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), p)
			require.Equal(t, "password", danvan.AsError(err).Fields[0].Field, p)
		}
	})
	require.NoError(t, users.AddUser(ctx, &danvan.User{Login: "Officer-A", Name: "Cán bộ A", Role: danvan.RoleOfficer, Units: []string{"B", "A"}}, "xanh lá cây 2026"))

	t.Run("Conflict", func(t *testing.T) {
		err := users.AddUser(ctx, &danvan.User{Login: "officer-a", Name: "X", Role: danvan.RoleReader}, "một mật khẩu dài")
		require.Equal(t, danvan.EConflict, danvan.ErrorCode(err))
	})
	t.Run("UnknownUnit", func(t *testing.T) {
		err := users.AddUser(ctx, &danvan.User{Login: "officer-z", Name: "Z", Role: danvan.RoleOfficer, Units: []string{"ZZ"}}, "một mật khẩu dài")
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		require.Equal(t, "units", danvan.AsError(err).Fields[0].Field)
	})
	t.Run("Verify", func(t *testing.T) {
		u, err := users.VerifyPassword(ctx, "officer-a", "xanh lá cây 2026")
		require.NoError(t, err)
		require.Equal(t, []string{"A", "B"}, u.Units)
		require.True(t, u.CanActFor("B"))
		require.False(t, u.CanActFor("C"))
		_, err = users.VerifyPassword(ctx, "officer-a", "xanh lá cây 2027")
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err))
		_, err2 := users.VerifyPassword(ctx, "nobody", "xanh lá cây 2026")
		require.Equal(t, err.Error(), err2.Error(), "an unknown login and a wrong password read the same")
	})
	t.Run("Tokens", func(t *testing.T) {
		u, err := users.FindUser(ctx, "officer-a")
		require.NoError(t, err)
		secret, tok, err := users.NewToken(ctx, u.ID, nil)
		require.NoError(t, err)
		require.Contains(t, secret, store.TokenPrefix)
		require.True(t, len(secret) > 40)
		require.Equal(t, secret[:len(tok.Prefix)], tok.Prefix)
		got, err := users.Authenticate(ctx, secret)
		require.NoError(t, err)
		require.Equal(t, "officer-a", got.Login)
		past := time.Now().Add(-time.Hour)
		_, _, err = users.NewToken(ctx, u.ID, &past)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err))
		soon := time.Now().Add(time.Second)
		short, _, err := users.NewToken(ctx, u.ID, &soon)
		require.NoError(t, err)
		time.Sleep(1100 * time.Millisecond)
		_, err = users.Authenticate(ctx, short)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "an expired token is refused")

		sess, err := users.NewSession(ctx, u.ID, "127.0.0.1")
		require.NoError(t, err)
		_, su, err := users.SessionUser(ctx, sess.ID, time.Minute, time.Hour)
		require.NoError(t, err)
		require.Equal(t, u.ID, su.ID)
		n, err := users.RevokeAll(ctx, "officer-a")
		require.NoError(t, err)
		require.GreaterOrEqual(t, n, 2)
		_, err = users.Authenticate(ctx, secret)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err))
		_, _, err = users.SessionUser(ctx, sess.ID, time.Minute, time.Hour)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err))
	})
	t.Run("SessionTimeouts", func(t *testing.T) {
		u, err := users.FindUser(ctx, "officer-a")
		require.NoError(t, err)
		sess, err := users.NewSession(ctx, u.ID, "")
		require.NoError(t, err)
		require.NotEqual(t, sess.ID, sess.CSRF)
		time.Sleep(1100 * time.Millisecond)
		_, _, err = users.SessionUser(ctx, sess.ID, time.Second, time.Hour)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "idle timeout")
		sess, err = users.NewSession(ctx, u.ID, "")
		require.NoError(t, err)
		time.Sleep(1100 * time.Millisecond)
		_, _, err = users.SessionUser(ctx, sess.ID, time.Hour, time.Second)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "absolute timeout")
		sess, err = users.NewSession(ctx, u.ID, "")
		require.NoError(t, err)
		require.NoError(t, users.EndSession(ctx, sess.ID))
		_, _, err = users.SessionUser(ctx, sess.ID, time.Hour, time.Hour)
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "ended session")
	})
	t.Run("UpdateDisable", func(t *testing.T) {
		yes, no := true, false
		before, after, err := users.UpdateUser(ctx, "officer-a", danvan.UserChange{Disabled: &yes, Units: &[]string{"B"}})
		require.NoError(t, err)
		require.False(t, before.Disabled)
		require.True(t, after.Disabled)
		require.Equal(t, []string{"B"}, after.Units)
		_, err = users.VerifyPassword(ctx, "officer-a", "xanh lá cây 2026")
		require.Equal(t, danvan.EUnauthorized, danvan.ErrorCode(err), "a disabled user cannot sign in")
		_, _, err = users.UpdateUser(ctx, "officer-a", danvan.UserChange{Disabled: &no})
		require.NoError(t, err)
		require.NoError(t, users.SetPassword(ctx, "officer-a", "một mật khẩu mới dài"))
		_, err = users.VerifyPassword(ctx, "officer-a", "một mật khẩu mới dài")
		require.NoError(t, err)
		_, _, err = users.UpdateUser(ctx, "nobody", danvan.UserChange{Disabled: &no})
		require.Equal(t, danvan.ENotFound, danvan.ErrorCode(err))
	})
	t.Run("LegacyCreateUser", func(t *testing.T) {
		token, err := users.CreateUser(ctx, &danvan.User{Name: "Cán bộ B", Role: danvan.RoleOfficer, UnitCode: "B"})
		require.NoError(t, err)
		u, err := users.Authenticate(ctx, token)
		require.NoError(t, err)
		require.Equal(t, "B", u.UnitCode)
		require.Contains(t, u.Login, "user-")
	})
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	th := store.NewLoginThrottle(db)
	now := time.Now()
	for i := 1; i < 5; i++ {
		wait, err := th.Fail(ctx, "login:x", 5, now)
		require.NoError(t, err)
		require.Zero(t, wait)
	}
	wait, err := th.Fail(ctx, "login:x", 5, now)
	require.NoError(t, err)
	require.Equal(t, 30*time.Second, wait)
	wait, err = th.Fail(ctx, "login:x", 5, now)
	require.NoError(t, err)
	require.Equal(t, time.Minute, wait, "the wait grows")
	b, err := th.Blocked(ctx, "login:x", now.Add(10*time.Second))
	require.NoError(t, err)
	require.Equal(t, 50*time.Second, b)
	b, err = th.Blocked(ctx, "login:y", now)
	require.NoError(t, err)
	require.Zero(t, b)
	require.NoError(t, th.Reset(ctx, "login:x"))
	b, err = th.Blocked(ctx, "login:x", now)
	require.NoError(t, err)
	require.Zero(t, b)
}

func TestAuditService_Find(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	a := store.NewAuditService(db)
	t0 := time.Now().UTC().Truncate(time.Second)
	require.NoError(t, a.Audit(ctx, &danvan.AuditEntry{Key: "k1", At: t0, Actor: "admin", UserID: 1, Client: "127.0.0.1", Action: "user.create",
		After: []byte(`{"login":"x"}`)}))
	require.NoError(t, a.Audit(ctx, &danvan.AuditEntry{Key: "k2", At: t0.Add(time.Minute), Actor: "x", Action: "login.failure"}))
	all, err := a.FindAudit(ctx, danvan.AuditFilter{})
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, "k2", all[0].Key, "newest first")
	users, err := a.FindAudit(ctx, danvan.AuditFilter{Action: "user."})
	require.NoError(t, err)
	require.Len(t, users, 1)
	require.JSONEq(t, `{"login":"x"}`, string(users[0].After))
	require.Equal(t, "127.0.0.1", users[0].Client)
	since, err := a.FindAudit(ctx, danvan.AuditFilter{Since: t0.Add(30 * time.Second)})
	require.NoError(t, err)
	require.Len(t, since, 1)
}

func TestPurge(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	users := store.NewUserService(db)
	_, err := users.CreateUser(ctx, &danvan.User{Login: "p1", Name: "P", Role: danvan.RoleReader})
	require.NoError(t, err)
	u, _ := users.FindUser(ctx, "p1")
	_, err = users.NewSession(ctx, u.ID, "")
	require.NoError(t, err)
	time.Sleep(1100 * time.Millisecond)
	fresh, err := users.NewSession(ctx, u.ID, "")
	require.NoError(t, err)
	n, err := users.PurgeSessions(ctx, time.Second, time.Hour)
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "only the idle session")
	_, _, err = users.SessionUser(ctx, fresh.ID, time.Hour, time.Hour)
	require.NoError(t, err)

	th := store.NewLoginThrottle(db)
	old := time.Now().Add(-2 * time.Hour)
	_, err = th.Fail(ctx, "login:old", 5, old)
	require.NoError(t, err)
	_, err = th.Fail(ctx, "login:new", 5, time.Now())
	require.NoError(t, err)
	k, err := th.Purge(ctx, time.Now())
	require.NoError(t, err)
	require.Equal(t, int64(1), k)
}
