// Package smtptest is a tiny in-process SMTP server for tests: enough of
// RFC 5321 for net/smtp's client (EHLO, AUTH PLAIN, MAIL, RCPT, DATA,
// QUIT, RSET). Recipients at "nobody@" are refused with 550, to test
// permanent failures, and at "busy@" with 451, to test temporary ones. It
// counts sessions and the most that were open at once, so tests can check
// connection reuse and concurrency limits.
package smtptest

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one message the server accepted.
type Message struct {
	Auth string   // decoded AUTH PLAIN payload
	From string   // the MAIL FROM line
	To   []string // the RCPT TO lines
	Data string   // the message, dot-unstuffed
}

// Server is a running test SMTP server.
type Server struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []Message
	wg   sync.WaitGroup

	open, maxOpen, sessions int
	delay                   time.Duration
}

// SetDelay makes the server wait d before answering each DATA, like a
// real server that scans or relays the message; tests of concurrency use
// it to make sessions overlap.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// Sessions returns how many connections were accepted so far.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// MaxOpen returns the most connections that were open at one time.
func (s *Server) MaxOpen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxOpen
}

// Start starts a server on a free loopback port, stopped when t ends. It
// fails t when no port can be had.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	s := &Server{ln: ln}
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

// Addr returns host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Messages returns a copy of what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) serve(c net.Conn) {
	s.mu.Lock()
	s.sessions++
	s.open++
	s.maxOpen = max(s.maxOpen, s.open)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.open--
		s.mu.Unlock()
		c.Close()
	}()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	var cur Message
	say("220 localhost ESMTP test")
	for {
		// An idle client is dropped after 10 s; a session may last longer.
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
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
			if f := strings.Fields(line); len(f) == 3 {
				b, _ := base64.StdEncoding.DecodeString(f[2])
				cur.Auth = string(b)
			}
			say("235 2.7.0 ok")
		case verb == "MAIL":
			cur.From = line
			say("250 ok")
		case verb == "RCPT" && strings.Contains(line, "nobody@"):
			say("550 5.1.1 no such mailbox")
		case verb == "RCPT" && strings.Contains(line, "busy@"):
			say("451 4.2.1 mailbox busy, try later")
		case verb == "RCPT":
			cur.To = append(cur.To, line)
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
			cur.Data = data.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			delay := s.delay
			s.mu.Unlock()
			time.Sleep(delay)
			cur = Message{Auth: cur.Auth}
			say("250 queued")
		case verb == "RSET":
			cur = Message{Auth: cur.Auth}
			say("250 ok")
		case verb == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
