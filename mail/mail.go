// Package mail sends danvan's notification e-mails over SMTP (net/smtp).
// It implements danvan.Mailer; build it from DANVAN_SMTP_URL with New.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// Mailer sends mail through one SMTP server: Send opens a connection per
// message; Open gives a Session that sends many on one connection (the
// outbox sender's batches).
type Mailer struct {
	addr     string // host:port
	host     string
	from     mail.Address
	auth     smtp.Auth
	startTLS bool // "smtp": STARTTLS when offered; "smtp+insecure": never
	implicit bool // "smtps": TLS from the first byte (port 465)
	// Timeout bounds one whole send when ctx has no deadline; New sets 30s.
	Timeout time.Duration
	// Now stamps the Date header; New sets time.Now.
	Now func() time.Time
}

// New returns a Mailer for a URL such as
// "smtp://user:pass@mail.example.org:587?from=Danvan%20<danvan@example.org>".
// Schemes: smtp (STARTTLS when the server offers it), smtps (implicit TLS),
// smtp+insecure (never TLS; local relays and tests). The port defaults to
// 25 (465 for smtps); user and password are optional; from is required. It
// returns an EInvalid *danvan.Error describing what is wrong with the URL.
func New(rawURL string) (*Mailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "SMTP URL: %v", "URL SMTP không hợp lệ: %v", err)
	}
	m := &Mailer{host: u.Hostname(), Timeout: 30 * time.Second, Now: time.Now}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		m.startTLS = true
	case "smtp+insecure":
	case "smtps":
		m.implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, danvan.Errorf(danvan.EInvalid, "SMTP URL: scheme %q is not smtp, smtps or smtp+insecure",
			"URL SMTP: giao thức %q phải là smtp, smtps hoặc smtp+insecure", u.Scheme)
	}
	if m.host == "" {
		return nil, danvan.Errorf(danvan.EInvalid, "SMTP URL: no host", "URL SMTP: thiếu máy chủ")
	}
	if port == "" {
		port = "25"
	}
	m.addr = net.JoinHostPort(m.host, port)
	from, err := mail.ParseAddress(u.Query().Get("from"))
	if err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "SMTP URL: from=%q is not an address: %v",
			"URL SMTP: from=%q không phải địa chỉ thư: %v", u.Query().Get("from"), err)
	}
	m.from = *from
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		// PlainAuth refuses to send the password over an unencrypted
		// connection to anything but localhost, which is what we want.
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, m.host)
	}
	return m, nil
}

// Send delivers msg to all its recipients in one SMTP transaction on a
// connection of its own. It returns an error wrapping the SMTP or network
// failure; the caller may retry (the Message-ID stays the same, so
// receivers can drop a duplicate), or an EInvalid *danvan.Error for a
// message without recipients or one the server refused for good.
func (m *Mailer) Send(ctx context.Context, msg danvan.Mail) error {
	if len(msg.To) == 0 {
		return danvan.Errorf(danvan.EInvalid, "mail %q has no recipients", "thư %q không có người nhận", msg.ID)
	}
	if _, ok := ctx.Deadline(); !ok && m.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.Timeout)
		defer cancel()
	}
	s, err := m.Open(ctx)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	refused, err := s.Send(ctx, msg, msg.To)
	if err != nil {
		return err
	}
	for _, r := range msg.To {
		if err := refused[r]; err != nil {
			return err
		}
	}
	return s.Close()
}

// Session is one SMTP connection, greeted and authenticated, that sends
// several messages in turn: the outbox sender opens one per batch instead
// of one per message. It is not safe for concurrent use.
type Session struct {
	m    *Mailer
	conn net.Conn
	c    *smtp.Client
}

// Open dials the server and greets it (STARTTLS and AUTH as configured).
// Each later Send is bounded by ctx's deadline or else by m.Timeout. It
// returns an error wrapping the network or SMTP failure, an EInvalid
// *danvan.Error when the server refuses the login for good.
func (m *Mailer) Open(ctx context.Context) (*Session, error) {
	conn, err := m.dial(ctx)
	if err != nil {
		return nil, fmt.Errorf("smtp dial %s: %w", m.addr, err)
	}
	s := &Session{m: m, conn: conn}
	s.deadline(ctx)
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("smtp greeting: %w", err)
	}
	s.c = c
	if err := m.hello(c); err != nil {
		c.Close()
		return nil, permanent(err)
	}
	return s, nil
}

// deadline bounds the next exchange: net/smtp has no context, so the
// connection's deadline does it.
func (s *Session) deadline(ctx context.Context) {
	if dl, ok := ctx.Deadline(); ok {
		_ = s.conn.SetDeadline(dl)
	} else if s.m.Timeout > 0 {
		_ = s.conn.SetDeadline(time.Now().Add(s.m.Timeout))
	}
}

// Send delivers msg (its To header lists msg.To) to the envelope
// recipients rcpts in one SMTP transaction. Each recipient the server
// refuses is reported in refused, keyed by address: an EInvalid
// *danvan.Error for a 5xx reply (retrying cannot help), the SMTP error for
// a 4xx one; the others still get the message. err is for the whole
// message (connection lost, DATA refused: EInvalid for a 5xx) and the
// session should then be closed. A message none of rcpts accepts is not
// sent and err is nil.
func (s *Session) Send(ctx context.Context, msg danvan.Mail, rcpts []string) (refused map[string]error, err error) {
	body, err := s.m.compose(msg)
	if err != nil {
		return nil, err
	}
	s.deadline(ctx)
	// A cancelled ctx (shutdown) ends the exchange at once rather than at
	// the deadline; the message is then not recorded as sent and goes out
	// again later with the same Message-ID.
	stop := context.AfterFunc(ctx, func() { _ = s.conn.SetDeadline(time.Now()) })
	defer stop()
	if err := s.c.Mail(s.m.from.Address); err != nil {
		return nil, permanent(fmt.Errorf("smtp MAIL FROM: %w", err))
	}
	refused = map[string]error{}
	accepted := 0
	for _, r := range rcpts {
		err := s.c.Rcpt(r)
		var tp *textproto.Error
		switch {
		case err == nil:
			accepted++
		case errors.As(err, &tp):
			refused[r] = permanent(fmt.Errorf("smtp RCPT TO %s: %w", r, err))
		default:
			return refused, fmt.Errorf("smtp RCPT TO %s: %w", r, err)
		}
	}
	if accepted == 0 {
		return refused, s.c.Reset()
	}
	w, err := s.c.Data()
	if err != nil {
		return refused, permanent(fmt.Errorf("smtp DATA: %w", err))
	}
	if _, err := w.Write(body); err != nil {
		w.Close()
		return refused, fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return refused, permanent(fmt.Errorf("smtp DATA: %w", err))
	}
	return refused, nil
}

// Close ends the session politely (QUIT) and closes the connection; the
// error is QUIT's, and can be ignored once the messages were accepted.
func (s *Session) Close() error {
	_ = s.conn.SetDeadline(time.Now().Add(5 * time.Second))
	err := s.c.Quit()
	s.conn.Close()
	return err
}

// permanent turns a 5xx SMTP reply (unknown mailbox, message refused) into
// an EInvalid *danvan.Error: the same message will be refused again, so the
// caller should stop retrying. Other errors are returned as they are.
func permanent(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 && tp.Code < 600 {
		return danvan.Errorf(danvan.EInvalid, "the mail server refused the message: %v", "máy chủ thư từ chối thư: %v", err)
	}
	return err
}

func (m *Mailer) dial(ctx context.Context) (net.Conn, error) {
	if m.implicit {
		d := tls.Dialer{Config: &tls.Config{ServerName: m.host}}
		return d.DialContext(ctx, "tcp", m.addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", m.addr)
}

func (m *Mailer) hello(c *smtp.Client) error {
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && m.startTLS {
		if err := c.StartTLS(&tls.Config{ServerName: m.host}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if m.auth != nil {
		if ok, _ := c.Extension("AUTH"); ok {
			if err := c.Auth(m.auth); err != nil {
				return fmt.Errorf("smtp auth: %w", err)
			}
		}
	}
	return nil
}

// From returns the sender address, whose domain ends every Message-ID.
func (m *Mailer) From() string { return m.from.Address }

// compose builds the RFC 5322 message: UTF-8 headers Q-encoded, body
// quoted-printable, CRLF line ends, and Message-ID from the business key.
func (m *Mailer) compose(msg danvan.Mail) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", m.from.String())
	var to []string
	for _, r := range msg.To {
		a, err := mail.ParseAddress(r)
		if err != nil {
			return nil, danvan.Errorf(danvan.EInvalid, "recipient %q: %v", "người nhận %q: %v", r, err)
		}
		to = append(to, a.String())
	}
	h("To", strings.Join(to, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", m.Now().Format(time.RFC1123Z))
	if msg.ID != "" {
		h("Message-ID", MessageID(msg.ID, m.from.Address))
	}
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	text := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MessageID returns the Message-ID header for a notification's business
// key: "<key@domain>" with the domain of from and any character not allowed
// in a message id replaced by '-'. It never fails.
func MessageID(key, from string) string {
	domain := "danvan.local"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	var s strings.Builder
	for _, r := range key {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r)) {
			s.WriteRune(r)
		} else {
			s.WriteByte('-')
		}
	}
	return "<" + s.String() + "@" + domain + ">"
}
