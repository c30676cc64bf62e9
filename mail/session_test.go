package mail_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/mail"
	"github.com/danvan/danvan/mail/smtptest"
)

// TestSession_ReusedAndPerRecipient: one connection carries several
// messages; a refused recipient is reported alone (5xx permanent, 4xx
// temporary) and the others still get the message.
func TestSession_ReusedAndPerRecipient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := smtptest.Start(t)
	m, err := mail.New("smtp://danvan:secret@" + srv.Addr() + "?from=danvan@example.org")
	require.NoError(t, err)
	s, err := m.Open(ctx)
	require.NoError(t, err)

	to := []string{"a@example.org", "nobody@example.org", "busy@example.org", "b@example.org"}
	refused, err := s.Send(ctx, danvan.Mail{ID: "n/1", To: to, Subject: "Một", Body: "một"}, to)
	require.NoError(t, err)
	require.Len(t, refused, 2)
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(refused["nobody@example.org"]), "550 is for good")
	require.NotEqual(t, danvan.EInvalid, danvan.ErrorCode(refused["busy@example.org"]), "451 may heal")
	require.Contains(t, refused["busy@example.org"].Error(), "451")

	refused, err = s.Send(ctx, danvan.Mail{ID: "n/2", To: []string{"nobody@example.org"}, Subject: "Hai", Body: "hai"}, []string{"nobody@example.org"})
	require.NoError(t, err, "no recipient accepted: nothing sent, the session goes on")
	require.Len(t, refused, 1)

	refused, err = s.Send(ctx, danvan.Mail{ID: "n/3", To: []string{"c@example.org"}, Subject: "Ba", Body: "ba"}, []string{"c@example.org"})
	require.NoError(t, err)
	require.Empty(t, refused)
	require.NoError(t, s.Close())

	msgs := srv.Messages()
	require.Len(t, msgs, 2)
	require.Equal(t, []string{"RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>"}, msgs[0].To)
	require.Contains(t, msgs[0].Data, "Message-ID: <n/1@example.org>")
	require.Equal(t, []string{"RCPT TO:<c@example.org>"}, msgs[1].To)
	require.Contains(t, msgs[1].Data, "Message-ID: <n/3@example.org>")
	require.Equal(t, 1, srv.Sessions())
}

func TestSession_ServerDown(t *testing.T) {
	t.Parallel()
	m, err := mail.New("smtp+insecure://127.0.0.1:1?from=danvan@example.org")
	require.NoError(t, err)
	_, err = m.Open(context.Background())
	require.ErrorContains(t, err, "smtp dial")
	require.NotEqual(t, danvan.EInvalid, danvan.ErrorCode(err), "a server that is down is retried")
}
