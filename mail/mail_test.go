package mail_test

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/mail"
	"github.com/danvan/danvan/mail/smtptest"
)

func TestMailer_Send(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	m, err := mail.New("smtp://danvan:secret@" + srv.Addr() + "?from=" + "Danvan%20%3Cdanvan@quangngai.example.org%3E")
	require.NoError(t, err)
	subject := "Nhắc nhở: Ban hành kế hoạch thực hiện - hạn ngày 08/04/2022"
	body := "Kính gửi: Văn phòng UBND tỉnh\n\nHạn hoàn thành: 08/04/2022 23:59 (còn 7 ngày).\n"
	err = m.Send(context.Background(), danvan.Mail{
		To: []string{"vpub@example.org", "cvp@example.org"}, Subject: subject, Body: body,
		ID: "2022-SNV/VPUB/unit_plan/reminder/1",
	})
	require.NoError(t, err)

	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	got := msgs[0]
	require.Equal(t, "\x00danvan\x00secret", got.Auth)
	require.Equal(t, "MAIL FROM:<danvan@quangngai.example.org> BODY=8BITMIME", got.From)
	require.Equal(t, []string{"RCPT TO:<vpub@example.org>", "RCPT TO:<cvp@example.org>"}, got.To)

	parsed, err := netmail.ReadMessage(strings.NewReader(got.Data))
	require.NoError(t, err)
	var dec mime.WordDecoder
	gotSubject, err := dec.DecodeHeader(parsed.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, subject, gotSubject)
	require.NotEqual(t, subject, parsed.Header.Get("Subject"), "the raw header must be encoded, not 8-bit")
	require.Equal(t, "<2022-SNV/VPUB/unit_plan/reminder/1@quangngai.example.org>", parsed.Header.Get("Message-ID"))
	require.Equal(t, "text/plain; charset=UTF-8", parsed.Header.Get("Content-Type"))
	text, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	require.NoError(t, err)
	require.Equal(t, strings.ReplaceAll(body, "\n", "\r\n"), string(text))
}

func TestMailer_Errors(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://x?from=a@b.c", "smtp://?from=a@b.c", "smtp://host:25", "smtp://host?from=nope", "::"} {
		_, err := mail.New(u)
		require.Error(t, err, u)
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), u)
	}
	m, err := mail.New("smtp+insecure://127.0.0.1:1?from=a@b.c")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	require.Error(t, m.Send(ctx, danvan.Mail{To: []string{"x@y.z"}, Subject: "s", Body: "b"}))
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(m.Send(ctx, danvan.Mail{Subject: "s"})))
}

func TestMessageID(t *testing.T) {
	t.Parallel()
	require.Equal(t, "<2022-SNV/VPUB/a-b@x.org>", mail.MessageID("2022-SNV/VPUB/a b", "d@x.org"))
	require.Equal(t, "<k@danvan.local>", mail.MessageID("k", ""))
}

// TestMailer_RefusedIsPermanent: a 5xx reply becomes EInvalid so the caller
// stops retrying a message that will be refused again.
func TestMailer_RefusedIsPermanent(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	m, err := mail.New("smtp://danvan:secret@" + srv.Addr() + "?from=danvan@example.org")
	require.NoError(t, err)
	err = m.Send(context.Background(), danvan.Mail{To: []string{"nobody@example.org"}, Subject: "s", Body: "b", ID: "x/1"})
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), err)
	require.Contains(t, err.Error(), "550")
}
