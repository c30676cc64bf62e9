package api

import (
	"io/fs"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
)

// TestCatalogue: every key the templates and the Go code use has a
// Vietnamese and an English text, and no text is empty.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, m := range messages {
		require.False(t, seen[m[0]], "key %s twice", m[0])
		seen[m[0]] = true
		require.NotEmpty(t, m[1], m[0])
		require.NotEmpty(t, m[2], m[0])
	}
	keyRE := regexp.MustCompile(`\{\{T "([^"]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		if d.IsDir() {
			return nil
		}
		b, err := templateFS.ReadFile(path)
		require.NoError(t, err)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			require.True(t, seen[m[1]], "%s uses %q, which the catalogue lacks", path, m[1])
		}
		return nil
	})
	require.NoError(t, err)
	for _, s := range []string{danvan.StatusPending, danvan.StatusSubmitted, danvan.StatusAccepted, danvan.StatusReturned,
		danvan.StatusOverdue, danvan.StatusDoneLate} {
		require.True(t, seen["status."+s], s)
		require.True(t, seen["badge."+s], s)
	}
	for _, k := range standardKinds {
		require.True(t, seen["kind."+k], k)
	}
	for _, k := range []string{"ontime", "soon"} {
		require.True(t, seen["badge."+k], k)
	}
	require.Equal(t, "Việc của tôi", msg(langVI, "my.title"))
	require.Equal(t, "My tasks", msg(langEN, "my.title"))
	require.Equal(t, "no.such.key", msg(langEN, "no.such.key"))
}

// TestSafeSnippet: a snippet the search adapter already escaped shows its
// quotes as quotes (escaped once), keeps <mark> and neutralises markup.
func TestSafeSnippet(t *testing.T) {
	t.Parallel()
	got := string(safeSnippet(`Kế hoạch &#34;<mark>dân vận</mark>&#34; &lt;script&gt;x&lt;/script&gt; &amp; <b>b</b>`))
	require.Equal(t, `Kế hoạch &#34;<mark>dân vận</mark>&#34; &lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;b&lt;/b&gt;`, got)
	require.NotContains(t, got, "&amp;#34;")
}

func TestVietnameseFormats(t *testing.T) {
	t.Parallel()
	require.Equal(t, "0", viNum(0))
	require.Equal(t, "999", viNum(999))
	require.Equal(t, "1.000", viNum(1000))
	require.Equal(t, "12.345.678", viNum(12345678))
	require.Equal(t, "-1.234", viNum(-1234))
	require.Equal(t, "31/03/2027", viDate("2027-03-31"))
	at := time.Date(2027, 3, 31, 17, 30, 0, 0, time.UTC)
	require.Equal(t, "01/04/2027", viDate(at), "dates are in Vietnam time")
	require.Equal(t, "00:30 01/04/2027", viTime(at))

	d, err := parseViDate("date", "5/4/2027")
	require.NoError(t, err)
	require.Equal(t, "2027-04-05", d)
	d, err = parseViDate("date", "")
	require.NoError(t, err)
	require.Empty(t, d)
	_, err = parseViDate("date", "04/31/2027")
	e := danvan.AsError(err)
	require.Equal(t, danvan.EInvalid, e.Code)
	require.Equal(t, "date", e.Fields[0].Field)
	require.Contains(t, e.Fields[0].MessageVI, "dd/mm/yyyy")
}

func TestBadge(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 3, 10, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	due := func(days int) time.Time { return time.Date(2027, 3, 10+days, 16, 59, 0, 0, time.UTC) }
	for _, c := range []struct {
		status string
		due    time.Time
		want   string
	}{
		{danvan.StatusPending, due(10), "ontime"},
		{danvan.StatusPending, due(3), "soon"},
		{danvan.StatusPending, due(0), "soon"},
		{danvan.StatusPending, now.Add(-time.Hour), danvan.StatusOverdue},
		{danvan.StatusOverdue, due(-2), danvan.StatusOverdue},
		{danvan.StatusSubmitted, due(5), danvan.StatusSubmitted},
		{danvan.StatusReturned, due(5), danvan.StatusReturned},
		{danvan.StatusAccepted, due(5), danvan.StatusAccepted},
		{danvan.StatusDoneLate, due(-5), danvan.StatusDoneLate},
	} {
		require.Equal(t, c.want, badge(danvan.Task{Status: c.status, Due: c.due}, now), "%s due %s", c.status, c.due)
	}
	require.Equal(t, 3, daysLeft(due(3), now))
	require.Equal(t, -2, daysLeft(due(-2), now))
}
