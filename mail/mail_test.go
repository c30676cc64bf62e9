package mail_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/mail"
)

// smtpServer is a tiny in-process SMTP server: enough of RFC 5321 for
// net/smtp's client (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT).
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []received
	wg   sync.WaitGroup
}

type received struct {
	auth string
	from string
	to   []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &smtpServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	var cur received
	say("220 localhost ESMTP test")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case verb == "EHLO" || verb == "HELO":
			say("250-localhost")
			say("250-AUTH PLAIN")
			say("250 8BITMIME")
		case verb == "AUTH":
			f := strings.Fields(line)
			if len(f) == 3 {
				b, _ := base64.StdEncoding.DecodeString(f[2])
				cur.auth = string(b)
			}
			say("235 2.7.0 ok")
		case verb == "MAIL":
			cur.from = line
			say("250 ok")
		case verb == "RCPT" && strings.Contains(line, "nobody@"):
			say("550 5.1.1 no such mailbox")
		case verb == "RCPT":
			cur.to = append(cur.to, line)
			say("250 ok")
		case verb == "DATA":
			say("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.data = data.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			cur = received{auth: cur.auth}
			say("250 queued")
		case verb == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func TestMailer_Send(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	m, err := mail.New("smtp://danvan:secret@" + srv.ln.Addr().String() + "?from=" + "Danvan%20%3Cdanvan@quangngai.example.org%3E")
	require.NoError(t, err)
	subject := "Nhắc nhở: Ban hành kế hoạch thực hiện - hạn ngày 08/04/2022"
	body := "Kính gửi: Văn phòng UBND tỉnh\n\nHạn hoàn thành: 08/04/2022 23:59 (còn 7 ngày).\n"
	err = m.Send(context.Background(), danvan.Mail{
		To: []string{"vpub@example.org", "cvp@example.org"}, Subject: subject, Body: body,
		ID: "2022-SNV/VPUB/unit_plan/reminder/1",
	})
	require.NoError(t, err)

	msgs := srv.received()
	require.Len(t, msgs, 1)
	got := msgs[0]
	require.Equal(t, "\x00danvan\x00secret", got.auth)
	require.Equal(t, "MAIL FROM:<danvan@quangngai.example.org> BODY=8BITMIME", got.from)
	require.Equal(t, []string{"RCPT TO:<vpub@example.org>", "RCPT TO:<cvp@example.org>"}, got.to)

	parsed, err := netmail.ReadMessage(strings.NewReader(got.data))
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
	srv := startSMTP(t)
	m, err := mail.New("smtp://danvan:secret@" + srv.ln.Addr().String() + "?from=danvan@example.org")
	require.NoError(t, err)
	err = m.Send(context.Background(), danvan.Mail{To: []string{"nobody@example.org"}, Subject: "s", Body: "b", ID: "x/1"})
	require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), err)
	require.Contains(t, err.Error(), "550")
}
