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

// Mailer sends mail through one SMTP server. It opens a connection per
// message: notifications are few and bursty, and a pooled connection would
// need keep-alive handling the servers in use do not reward.
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

// Send delivers msg to all its recipients in one SMTP transaction. It
// returns an error wrapping the SMTP or network failure; the caller may
// retry (the Message-ID stays the same, so receivers can drop a duplicate),
// or an EInvalid *danvan.Error for a message without recipients.
func (m *Mailer) Send(ctx context.Context, msg danvan.Mail) error {
	if len(msg.To) == 0 {
		return danvan.Errorf(danvan.EInvalid, "mail %q has no recipients", "thư %q không có người nhận", msg.ID)
	}
	body, err := m.compose(msg)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok && m.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.Timeout)
		defer cancel()
	}
	conn, err := m.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", m.addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl) // net/smtp has no context; the deadline bounds every read and write
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := m.transact(c, msg.To, body); err != nil {
		return permanent(err)
	}
	return c.Quit()
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

func (m *Mailer) transact(c *smtp.Client, to []string, body []byte) error {
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
	if err := c.Mail(m.from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("smtp RCPT TO %s: %w", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		w.Close()
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return nil
}

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
